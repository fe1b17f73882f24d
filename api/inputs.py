"""What the API accepts. These serializers check shapes and types only; every rule
(regions, NIK and KK, dates, guards) is the services' and the models' to decide."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from beneficiaries.growth.who import Position
from beneficiaries.models import Assistance, CapitalAccess, ExitReason, Person, Relation, Sex, Target
from beneficiaries.models.activities import Topic
from beneficiaries.models.groups import Enterprise, Sector
from beneficiaries.models.growth import CloseReason, InterventionKind
from programs.models import Program
from regions.models import User

BIGINT_MAX = 2**63 - 1


def text(max_length: int = 5000, **kwargs) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, **kwargs)


def optional_text(max_length: int = 5000) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True)


def object_id(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=BIGINT_MAX, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class VisibleObjectField(serializers.PrimaryKeyRelatedField):
    """An id resolved only among the rows the requesting user may see; any other id reads
    as "does not exist", so a row out of region is never revealed."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        user: User = self.context["request"].user
        return self.model.objects.visible_to(user)


class PersonInputSerializer(serializers.Serializer):
    nik = serializers.CharField(max_length=16, required=False, allow_blank=True, allow_null=True)
    has_no_nik = serializers.BooleanField(required=False)
    full_name = text(150)
    sex = serializers.ChoiceField(choices=Sex.choices)
    birth_date = serializers.DateField()
    relation = serializers.ChoiceField(choices=Relation.choices)
    is_female_head = serializers.BooleanField(required=False)
    has_disability = serializers.BooleanField(required=False)


class PersonCreateSerializer(PersonInputSerializer):
    household = object_id()


class HouseholdUpdateSerializer(serializers.Serializer):
    kk_number = text(16)
    village = text(13)
    address = text(255)
    rt = text(3)
    rw = text(3)
    desil = serializers.IntegerField(required=False, allow_null=True, min_value=-32768, max_value=32767)


class HouseholdCreateSerializer(HouseholdUpdateSerializer):
    members = PersonInputSerializer(many=True, required=False)


class CaseCreateSerializer(serializers.Serializer):
    household = object_id()
    opened_on = serializers.DateField(required=False)
    program = VisibleObjectField(Program, required=False, allow_null=True)


class MoveRequestSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Target.choices)
    reason = optional_text()
    exit_reason = serializers.ChoiceField(choices=ExitReason.choices, required=False, allow_blank=True)
    evidence = optional_text()
    monthly_income = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=BIGINT_MAX,
        help_text="Pendapatan rumah tangga per bulan (Rp); wajib untuk `to` = `graduated`.",
    )


class DecisionSerializer(serializers.Serializer):
    note = optional_text()


class AssistanceCreateSerializer(serializers.Serializer):
    case = object_id()
    kind = serializers.ChoiceField(choices=Assistance.Kind.choices)
    program = VisibleObjectField(Program)
    partner = object_id(required=False, allow_null=True)
    recipient = VisibleObjectField(Person, required=False, allow_null=True)
    delivered_on = serializers.DateField()
    amount = serializers.IntegerField(required=False, min_value=-BIGINT_MAX, max_value=BIGINT_MAX)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    unit = optional_text(30)
    note = optional_text()


class GroupCreateSerializer(serializers.Serializer):
    village = text(13)
    name = text(200)
    sector = serializers.ChoiceField(choices=Sector.choices)
    formed_on = serializers.DateField()


class GroupUpdateSerializer(serializers.Serializer):
    """PATCH: only the fields sent change."""

    name = text(200)
    sector = serializers.ChoiceField(choices=Sector.choices)
    formed_on = serializers.DateField()
    is_active = serializers.BooleanField(help_text="false: kelompok tidak aktif (syarat tahap 3 membacanya).")
    enterprise = object_id(
        allow_null=True, help_text="Badan usaha tempat kelompok bergabung; null melepasnya."
    )


class MembershipCreateSerializer(serializers.Serializer):
    household = object_id()
    joined_on = serializers.DateField(required=False)


class EnterpriseCreateSerializer(serializers.Serializer):
    village = text(13)
    name = text(200)
    legal_form = serializers.ChoiceField(choices=Enterprise.LegalForm.choices)
    founded_on = serializers.DateField()
    nib = optional_text(13)
    groups = serializers.ListField(child=object_id(), required=False, max_length=200)


class EnterpriseUpdateSerializer(serializers.Serializer):
    """PATCH: only the fields sent change; the village stays."""

    name = text(200)
    legal_form = serializers.ChoiceField(choices=Enterprise.LegalForm.choices)
    founded_on = serializers.DateField()
    nib = optional_text(13)


class CapitalAccessCreateSerializer(serializers.Serializer):
    enterprise = object_id()
    source = serializers.ChoiceField(choices=CapitalAccess.Source.choices)
    amount = serializers.IntegerField(min_value=-BIGINT_MAX, max_value=BIGINT_MAX)
    status = serializers.ChoiceField(choices=CapitalAccess.Status.choices, required=False)
    applied_on = serializers.DateField()
    approved_on = serializers.DateField(required=False, allow_null=True)
    disbursed_on = serializers.DateField(required=False, allow_null=True)
    note = optional_text()


class CapitalAccessUpdateSerializer(serializers.Serializer):
    """PATCH: a new `status` is one step of diajukan → disetujui → dicairkan (or ditolak
    before the money goes out), dated by `approved_on`/`disbursed_on` or today."""

    source = serializers.ChoiceField(choices=CapitalAccess.Source.choices)
    amount = serializers.IntegerField(min_value=-BIGINT_MAX, max_value=BIGINT_MAX)
    status = serializers.ChoiceField(choices=CapitalAccess.Status.choices)
    applied_on = serializers.DateField()
    approved_on = serializers.DateField(allow_null=True)
    disbursed_on = serializers.DateField(allow_null=True)
    note = optional_text()


class AttendanceSerializer(serializers.Serializer):
    persons = serializers.ListField(child=object_id(), max_length=1000)


class ActivityCreateSerializer(serializers.Serializer):
    partner = object_id()
    program = VisibleObjectField(Program, required=False, allow_null=True)
    village = text(13)
    topic = serializers.ChoiceField(choices=Topic.choices)
    title = text(200)
    held_on = serializers.DateField()
    note = optional_text()
    attendees = serializers.ListField(child=object_id(), required=False, max_length=1000)


class ActivityUpdateSerializer(serializers.Serializer):
    """PATCH: only the fields sent change; `attendees` replaces the attendance. The partner
    and the village stay."""

    program = VisibleObjectField(Program, allow_null=True)
    topic = serializers.ChoiceField(choices=Topic.choices)
    title = text(200)
    held_on = serializers.DateField()
    note = optional_text()
    attendees = serializers.ListField(child=object_id(), max_length=1000)


# ---------------------------------------------------------------- growth monitoring


def kg_or_cm(**kwargs) -> serializers.DecimalField:
    """A number as written, not rounded: the service refuses the range and the decimal
    places (two for weight, one for lengths) with the field named."""
    return serializers.DecimalField(max_digits=8, decimal_places=None, **kwargs)


class MeasurementUpdateSerializer(serializers.Serializer):
    """PATCH: only the fields sent change; age, z-scores, statuses and signs are recomputed."""

    measured_on = serializers.DateField()
    weight_kg = kg_or_cm(help_text="Berat badan dalam kg, satu atau dua angka desimal (0,5-40).")
    height_cm = kg_or_cm(help_text="Panjang/tinggi badan dalam cm, satu angka desimal (35-130).")
    position = serializers.ChoiceField(choices=Position.choices)
    muac_cm = kg_or_cm(allow_null=True, help_text="Lingkar lengan atas (LiLA) dalam cm.")
    head_cm = kg_or_cm(allow_null=True, help_text="Lingkar kepala dalam cm.")
    posyandu = object_id(allow_null=True, help_text="Mitra berjenis posyandu di desa anak.")


class MeasurementCreateSerializer(MeasurementUpdateSerializer):
    person = object_id(help_text="Anak (balita) yang diukur.")
    muac_cm = kg_or_cm(required=False, allow_null=True, help_text="Lingkar lengan atas (LiLA) dalam cm.")
    head_cm = kg_or_cm(required=False, allow_null=True, help_text="Lingkar kepala dalam cm.")
    posyandu = object_id(required=False, allow_null=True, help_text="Mitra berjenis posyandu di desa anak.")


class InterventionCreateSerializer(serializers.Serializer):
    given_on = serializers.DateField()
    kind = serializers.ChoiceField(choices=InterventionKind.choices)
    partner = object_id(required=False, allow_null=True)
    note = optional_text()


class FollowUpCloseSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=CloseReason.choices)
    note = optional_text()
