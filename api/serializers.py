"""What the API returns. Read-only: writes go through the input serializers in inputs.py
and then the services."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from beneficiaries.growth.who import WhzStatus
from beneficiaries.identity import shown_kk, shown_nik
from beneficiaries.models import (
    Activity,
    Assistance,
    CapitalAccess,
    Case,
    Enterprise,
    Group,
    GroupMembership,
    Household,
    Person,
    StageTransition,
)
from beneficiaries.models.growth import FollowUpReason, GrowthFollowUp, Intervention, Measurement
from programs.models import Partner, Program
from regions.models import District, Regency, Village


class ReadOnlyModelSerializer(serializers.ModelSerializer):
    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
        return fields


class RegencySerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Regency
        fields = ["code", "name", "kind", "zone", "is_active"]


class DistrictSerializer(ReadOnlyModelSerializer):
    kind = serializers.SerializerMethodField()

    class Meta:
        model = District
        fields = ["code", "name", "kind", "regency", "is_active"]

    @extend_schema_field({"type": "string", "enum": ["kecamatan"]})
    def get_kind(self, obj) -> str:
        return "kecamatan"


class VillageSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Village
        fields = ["code", "name", "kind", "district", "regency", "is_active"]


class ProgramSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Program
        fields = ["id", "name", "agency", "description", "starts_on", "ends_on", "targets_women"]


class PartnerSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Partner
        fields = ["id", "name", "kind", "region_code", "contact", "is_active"]


class PersonSerializer(ReadOnlyModelSerializer):
    """The NIK as `beneficiaries.identity.shown_nik` decides: masked `360101120385****` in
    lists (the view says which it is), whole on one record for a user who may see it."""

    nik = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id", "nik", "has_no_nik", "nik_outside_banten", "full_name", "sex", "birth_date",
            "household", "relation", "is_female_head", "has_disability", "left_on", "left_reason",
            "left_note", "version",
        ]  # fmt: skip

    @extend_schema_field({"type": "string", "nullable": True, "example": "360101120385****"})
    def get_nik(self, obj) -> str | None:
        if not obj.nik:
            return None
        return shown_nik(
            self.context["request"].user, obj, in_list=self.context.get("identity_in_list", True)
        )


class HouseholdSerializer(ReadOnlyModelSerializer):
    """The KK number as `beneficiaries.identity.shown_kk` decides; `members` are who belong
    to the household now (a member who left is still under /persons/, with `left_on`)."""

    kk_number = serializers.SerializerMethodField()
    members = PersonSerializer(source="current_members", many=True, read_only=True)

    class Meta:
        model = Household
        fields = [
            "id", "kk_number", "village", "district", "regency", "address", "rt", "rw", "desil",
            "members", "created_at", "updated_at", "version",
        ]  # fmt: skip

    @extend_schema_field({"type": "string", "example": "360101200120****"})
    def get_kk_number(self, obj) -> str:
        return shown_kk(self.context["request"].user, obj)


class MoveSerializer(ReadOnlyModelSerializer):
    proposed_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="Nama pengguna yang mengusulkan."
    )
    decided_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="Nama pengguna yang memutuskan."
    )

    class Meta:
        model = StageTransition
        fields = [
            "id", "case", "kind", "from_position", "to", "state", "reason", "exit_reason",
            "evidence", "proposed_by", "proposed_at", "decided_by", "decided_at", "decision_note",
            "village", "monthly_income",
        ]  # fmt: skip


class CaseSerializer(ReadOnlyModelSerializer):
    pending_move = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id", "household", "program", "village", "district", "regency", "stage", "status",
            "opened_on", "closed_on", "exit_reason", "pending_move", "version",
        ]  # fmt: skip

    @extend_schema_field(MoveSerializer(allow_null=True))
    def get_pending_move(self, obj):
        # The viewset prefetches `pending_moves`; a case fresh from a service is read here.
        pending = getattr(obj, "pending_moves", None)
        if pending is None:
            pending = list(obj.moves.filter(state="pending").select_related("proposed_by", "decided_by"))
        if not pending:
            return None
        if not hasattr(self, "_move_serializer"):  # one instance for the whole page, not one per row
            self._move_serializer = MoveSerializer(context=self.context)
        return self._move_serializer.to_representation(pending[0])


class AssistanceSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Assistance
        fields = [
            "id", "case", "kind", "program", "partner", "recipient", "delivered_on", "amount",
            "quantity", "unit", "note", "village", "created_at",
        ]  # fmt: skip


class MembershipSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = GroupMembership
        fields = ["household", "joined_on"]


class GroupSerializer(ReadOnlyModelSerializer):
    members = MembershipSerializer(source="memberships", many=True, read_only=True)

    class Meta:
        model = Group
        fields = [
            "id",
            "name",
            "sector",
            "formed_on",
            "is_active",
            "village",
            "enterprise",
            "members",
            "version",
        ]


class EnterpriseSerializer(ReadOnlyModelSerializer):
    groups = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Enterprise
        fields = ["id", "name", "legal_form", "nib", "founded_on", "village", "groups", "version"]


class CapitalAccessSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = CapitalAccess
        fields = [
            "id", "enterprise", "source", "amount", "status", "applied_on", "approved_on",
            "disbursed_on", "note", "village",
        ]  # fmt: skip


class ActivitySerializer(ReadOnlyModelSerializer):
    attendees = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = ["id", "partner", "program", "topic", "title", "held_on", "note", "village", "attendees"]

    @extend_schema_field({"type": "array", "items": {"type": "integer"}})
    def get_attendees(self, obj) -> list[int]:
        return sorted(a.person_id for a in obj.attendance.all())


# ---------------------------------------------------------------- growth monitoring


def codes(text: str) -> list[str]:
    return [code for code in text.split(",") if code]


class MeasurementSerializer(ReadOnlyModelSerializer):
    """A measurement with what the service computed: `age_months` (completed months),
    `haz`, `waz`, `whz` (two decimals, null when not computed; `whz_note` says why), their
    Permenkes 2/2020 status codes, the KMS `growth_sign` (N/T/B/O), `two_t`, and `flagged`
    with the implausible `flags` (left out of prevalence, to be measured again)."""

    whz_status = serializers.SerializerMethodField()
    flags = serializers.SerializerMethodField()

    class Meta:
        model = Measurement
        fields = [
            "id", "person", "measured_on", "weight_kg", "height_cm", "position", "muac_cm", "head_cm",
            "posyandu", "age_months", "haz", "waz", "whz", "whz_note", "haz_status", "waz_status",
            "whz_status", "growth_sign", "two_t", "flagged", "flags", "village", "district", "regency",
            "created_at", "updated_at",
        ]  # fmt: skip

    @extend_schema_field(
        {
            "type": "string",
            "nullable": True,
            "enum": [*WhzStatus.values, None],
            "description": "null: WHZ tidak dihitung",
        }
    )
    def get_whz_status(self, obj) -> str | None:
        return obj.whz_status or None

    @extend_schema_field({"type": "array", "items": {"type": "string", "enum": ["haz", "waz", "whz"]}})
    def get_flags(self, obj) -> list[str]:
        return codes(obj.flags)


class InterventionSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Intervention
        fields = ["id", "given_on", "kind", "partner", "note", "created_at"]


class FollowUpSerializer(ReadOnlyModelSerializer):
    """Pendampingan of one child: why it opened (`reasons`), its state, and interventions."""

    reasons = serializers.SerializerMethodField()
    interventions = InterventionSerializer(many=True, read_only=True)

    class Meta:
        model = GrowthFollowUp
        fields = [
            "id", "person", "opened_on", "reasons", "opening_measurement", "status", "closed_on",
            "close_reason", "close_note", "village", "district", "regency", "interventions",
        ]  # fmt: skip

    @extend_schema_field({"type": "array", "items": {"type": "string", "enum": FollowUpReason.values}})
    def get_reasons(self, obj) -> list[str]:
        return codes(obj.reasons)


class GrowthCoverageSerializer(serializers.Serializer):
    """One month of one region: `stunted` includes `severely_stunted`, `wasted`
    `severely_wasted`, `underweight` the severely underweight; percentages with one
    decimal (null when there is nothing to divide by); flagged measurements are left out of
    prevalence."""

    region = serializers.CharField()
    period = serializers.CharField(help_text="TTTT-BB")
    toddlers = serializers.IntegerField(help_text="Balita tercatat (di bawah 60 bulan) pada bulan itu.")
    measured = serializers.IntegerField(help_text="Balita yang diukur pada bulan itu.")
    coverage_pct = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    stunted = serializers.IntegerField()
    severely_stunted = serializers.IntegerField()
    wasted = serializers.IntegerField()
    severely_wasted = serializers.IntegerField()
    underweight = serializers.IntegerField()
    stunting_pct = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    wasting_pct = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    followups_open = serializers.IntegerField(help_text="Pendampingan berjalan pada akhir bulan.")
