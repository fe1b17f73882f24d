"""Query filters. They narrow a queryset that the visibility selector already scoped, so
no filter value can reach a row out of region."""

import re

import django_filters as df
from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.filters import SearchFilter

from beneficiaries.models import (
    Activity,
    Assistance,
    CapitalAccess,
    Case,
    Enterprise,
    Group,
    Household,
    Person,
    StageTransition,
)
from beneficiaries.models.growth import GrowthFollowUp, Measurement
from programs.models import Partner, Program
from regions.models import District, Village

# 16 digits in a row: a NIK or a KK, which must not stand in a URL (access logs).
IDENTITY_NUMBER = re.compile(r"\d{16}")


class IdentitySearchFilter(SearchFilter):
    """`search`: on households and persons the view's `identity_search` selector decides
    (a NIK or KK matches only whole, 16 digits, so the digits a masked number hides cannot
    be found out one by one; names match in part); elsewhere the names in `search_fields`
    contain each term."""

    search_description = "Nama memuat kata ini; NIK atau nomor KK harus ditulis lengkap (16 angka)."

    def get_schema_operation_parameters(self, view):
        if not getattr(view, "search_fields", None) and not hasattr(view, "identity_search"):
            return []
        return super().get_schema_operation_parameters(view)

    def get_search_terms(self, request):
        if request.method == "POST":  # the search action: the term in the body, not the URL
            value = request.data.get(self.search_param, "") if hasattr(request.data, "get") else ""
            return str(value or "").replace(",", " ").split()
        terms = super().get_search_terms(request)
        if any(IDENTITY_NUMBER.search(t) for t in terms):
            raise ValidationError(
                {
                    self.search_param: [
                        _(
                            "NIK atau nomor KK tidak dikirim di alamat (URL): cari lewat POST ke "
                            '…/search/ dengan {"search": "…"} di badan permintaan.'
                        )
                    ]
                }
            )
        return terms

    def filter_queryset(self, request, queryset, view):
        terms = [t.replace("\x00", "") for t in self.get_search_terms(request)]
        terms = [t for t in terms if t]
        if not terms:
            return queryset
        identity_search = getattr(view, "identity_search", None)
        if identity_search is not None:
            return identity_search(queryset, request.user, " ".join(terms))
        for term in terms:
            q = Q()
            for field in getattr(view, "search_fields", []):
                q |= Q(**{f"{field}__icontains": term})
            queryset = queryset.filter(q)
        return queryset


class IdFilter(df.Filter):
    """An id filter on the column itself, so any id, seen or not, just narrows the list
    (a choice filter would answer "not a valid choice" only for ids that do not exist)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=2**63 - 1, **kwargs)


def region_filters(prefix: str = "") -> dict:
    return {
        name: df.CharFilter(field_name=f"{prefix}{name}_id", label=label)
        for name, label in (
            ("village", "Kode desa/kelurahan, misalnya 36.01.01.2001"),
            ("district", "Kode kecamatan, misalnya 36.01.01"),
            ("regency", "Kode kabupaten/kota, misalnya 36.01"),
        )
    }


def filterset(model, fields: list[str], *, ids=(), region_prefix: str | None = "", **extra):
    """A FilterSet class: exact filters on `fields`, id filters on the foreign keys `ids`,
    region-code filters, and `extra`."""
    attrs = {**(region_filters(region_prefix) if region_prefix is not None else {}), **extra}
    attrs.update({name: IdFilter(field_name=f"{name}_id") for name in ids})
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": fields})
    return type(f"{model.__name__}FilterSet", (df.FilterSet,), attrs)


DistrictFilterSet = filterset(
    District,
    [],
    region_prefix=None,
    regency=df.CharFilter(field_name="regency_id", label="Kode kabupaten/kota"),
)
VillageFilterSet = filterset(
    Village,
    ["kind"],
    region_prefix=None,
    district=df.CharFilter(field_name="district_id", label="Kode kecamatan"),
    regency=df.CharFilter(field_name="regency_id", label="Kode kabupaten/kota"),
)
ProgramFilterSet = filterset(Program, ["agency", "targets_women"], region_prefix=None)
PartnerFilterSet = filterset(Partner, ["kind", "is_active", "region_code"], region_prefix=None)
HouseholdFilterSet = filterset(Household, ["desil"])
PersonFilterSet = filterset(
    Person, ["sex", "relation", "has_disability"], ids=["household"], region_prefix="household__"
)
CaseFilterSet = filterset(Case, ["stage", "status"], ids=["household", "program"])
MoveFilterSet = filterset(StageTransition, ["state", "kind"], ids=["case"])
AssistanceFilterSet = filterset(
    Assistance,
    ["kind"],
    ids=["case", "program", "partner", "recipient"],
    delivered_from=df.DateFilter(field_name="delivered_on", lookup_expr="gte"),
    delivered_to=df.DateFilter(field_name="delivered_on", lookup_expr="lte"),
)
GroupFilterSet = filterset(Group, ["sector", "is_active"], ids=["enterprise"])
EnterpriseFilterSet = filterset(Enterprise, ["legal_form"])
CapitalAccessFilterSet = filterset(CapitalAccess, ["source", "status"], ids=["enterprise"])
ActivityFilterSet = filterset(
    Activity,
    ["topic"],
    ids=["partner", "program"],
    held_from=df.DateFilter(field_name="held_on", lookup_expr="gte"),
    held_to=df.DateFilter(field_name="held_on", lookup_expr="lte"),
)
MeasurementFilterSet = filterset(
    Measurement,
    ["position", "haz_status", "waz_status", "whz_status", "growth_sign", "two_t", "flagged"],
    ids=["person", "posyandu"],
    measured_from=df.DateFilter(field_name="measured_on", lookup_expr="gte"),
    measured_to=df.DateFilter(field_name="measured_on", lookup_expr="lte"),
)
FollowUpFilterSet = filterset(
    GrowthFollowUp,
    ["status", "close_reason"],
    ids=["person"],
    reason=df.CharFilter(field_name="reasons", lookup_expr="contains", label="Alasan, misalnya stunted"),
)
