"""What the business and women's-programme endpoints accept and answer. Shapes and types
only: owners, regions, dates and the capital-help table are the services' to decide."""

from rest_framework import serializers

from beneficiaries.models import (
    Business,
    BusinessFollowUp,
    BusinessStatus,
    CapitalHelp,
    CapitalScheme,
    FollowUpKind,
    StopReason,
    WomenEnrolment,
)
from beneficiaries.models.groups import Sector

from .inputs import BIGINT_MAX, object_id, optional_text, text
from .serializers import ReadOnlyModelSerializer


def rupiah_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=-BIGINT_MAX, max_value=BIGINT_MAX, **kwargs)


class BusinessSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Business
        fields = [
            "id", "owner_person", "owner_group", "household", "name", "sector", "started_on",
            "sells_at_market", "sells_in_shop", "sells_online", "nib", "last_status",
            "last_followup_on", "last_monthly_revenue", "next_due_kind", "next_due_on",
            "village", "district", "regency", "version",
        ]  # fmt: skip


class BusinessUpdateSerializer(serializers.Serializer):
    name = text(200)
    sector = serializers.ChoiceField(choices=Sector.choices)
    started_on = serializers.DateField()
    sells_at_market = serializers.BooleanField()
    sells_in_shop = serializers.BooleanField()
    sells_online = serializers.BooleanField()
    nib = serializers.CharField(max_length=13, allow_blank=True)


class BusinessCreateSerializer(BusinessUpdateSerializer):
    owner_person = object_id(required=False, allow_null=True)
    owner_group = object_id(required=False, allow_null=True)
    sells_at_market = serializers.BooleanField(required=False, default=False)
    sells_in_shop = serializers.BooleanField(required=False, default=False)
    sells_online = serializers.BooleanField(required=False, default=False)
    nib = serializers.CharField(max_length=13, allow_blank=True, required=False, default="")


class BusinessFollowUpSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = BusinessFollowUp
        fields = [
            "id", "business", "kind", "visited_on", "status", "stop_reason", "monthly_revenue",
            "monthly_profit", "workers", "note", "village",
        ]  # fmt: skip


class BusinessFollowUpCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FollowUpKind.choices)
    visited_on = serializers.DateField()
    status = serializers.ChoiceField(choices=BusinessStatus.choices)
    stop_reason = serializers.ChoiceField(choices=StopReason.choices, required=False, allow_blank=True)
    monthly_revenue = rupiah_field(required=False, default=0)
    monthly_profit = rupiah_field(required=False, allow_null=True)
    workers = serializers.IntegerField(min_value=0, max_value=10_000, required=False, default=1)
    note = optional_text()


class CapitalHelpSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = CapitalHelp
        fields = [
            "id", "business", "person", "scheme", "amount", "partner", "status", "applied_on",
            "approved_on", "disbursed_on", "refused_on", "note", "village", "version",
        ]  # fmt: skip


class CapitalHelpCreateSerializer(serializers.Serializer):
    business = object_id(required=False, allow_null=True)
    person = object_id(required=False, allow_null=True)
    scheme = serializers.ChoiceField(choices=CapitalScheme.choices)
    amount = rupiah_field()
    partner = object_id(required=False, allow_null=True)
    applied_on = serializers.DateField()
    note = optional_text()


class CapitalHelpUpdateSerializer(serializers.Serializer):
    """PATCH: `status` takes one step of the table (dated by `on`, or today); the other
    fields correct the application."""

    status = serializers.ChoiceField(choices=CapitalHelp.Status.choices)
    on = serializers.DateField(required=False, allow_null=True)
    scheme = serializers.ChoiceField(choices=CapitalScheme.choices)
    amount = rupiah_field()
    partner = object_id(allow_null=True)
    applied_on = serializers.DateField()
    note = optional_text()


class EnrolmentSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = WomenEnrolment
        fields = [
            "id", "person", "household", "program", "enrolled_on", "female_headed", "note",
            "village", "district", "regency", "version",
        ]  # fmt: skip


class EnrolmentCreateSerializer(serializers.Serializer):
    person = object_id()
    enrolled_on = serializers.DateField(required=False, allow_null=True)
    program = object_id(required=False, allow_null=True)
    note = optional_text()
