"""Household businesses and their follow-ups, capital help, and the women's programme."""

import django_filters as df
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from beneficiaries import business_selectors
from beneficiaries.models import Business, CapitalHelp, WomenEnrolment
from beneficiaries.services import business as services

from .. import business_serializers as io
from ..base import ApiViewSet
from ..filters import filterset
from .groups import ReadCreate, create_schema, update_schema

BusinessFilterSet = filterset(
    Business,
    ["sector", "last_status", "next_due_kind"],
    ids=["owner_person", "owner_group", "household"],
    due_by=df.DateFilter(
        field_name="next_due_on", lookup_expr="lte", label="Kunjungan jatuh tempo paling lambat"
    ),
)
CapitalHelpFilterSet = filterset(CapitalHelp, ["scheme", "status"], ids=["business", "person", "partner"])
EnrolmentFilterSet = filterset(
    WomenEnrolment,
    ["female_headed"],
    ids=["person", "household", "program"],
    enrolled_from=df.DateFilter(field_name="enrolled_on", lookup_expr="gte"),
    enrolled_to=df.DateFilter(field_name="enrolled_on", lookup_expr="lte"),
)


@extend_schema_view(
    create=create_schema(
        "Catat usaha milik perorangan atau kelompok", io.BusinessCreateSerializer, io.BusinessSerializer
    ),
    partial_update=update_schema(
        "Ubah usaha: nama, bidang, tanggal mulai, tempat berjualan, NIB",
        io.BusinessUpdateSerializer,
        io.BusinessSerializer,
    ),
)
class BusinessViewSet(ReadCreate, ApiViewSet):
    """Usaha rumah tangga atau kelompok, dengan kunjungan 3, 6 dan 12 bulan."""

    model = Business
    serializer_class = io.BusinessSerializer
    filterset_class = BusinessFilterSet
    search_fields = ["name"]
    ordering_fields = ["id", "started_on", "next_due_on"]
    create_input = io.BusinessCreateSerializer
    create_service = services.create_business
    update_input = io.BusinessUpdateSerializer
    update_service = services.update_business
    update_kwarg = "business"

    def get_queryset(self):
        return business_selectors.businesses_for(self.request.user)

    @extend_schema(
        methods=["GET"],
        summary="Kunjungan usaha ini, terbaru dahulu",
        responses=io.BusinessFollowUpSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Catat kunjungan usaha",
        description=(
            "`kind`: `m3`, `m6`, `m12` (sekali masing-masing, 409 pada `kind` bila sudah ada) "
            "atau `adhoc`. Usaha berhenti (`stopped`) wajib `stop_reason`."
        ),
        request=io.BusinessFollowUpCreateSerializer,
        responses={201: io.BusinessFollowUpSerializer},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def followups(self, request, pk=None):
        business = self.get_object()
        if request.method == "GET":
            rows = business_selectors.followups_for(request.user).filter(business=business)
            page = self.paginate_queryset(rows.order_by("-visited_on", "-id"))
            return self.get_paginated_response(io.BusinessFollowUpSerializer(page, many=True).data)
        data = self.read(io.BusinessFollowUpCreateSerializer)
        followup = services.record_followup(actor=request.user, business=business.pk, **data)
        return Response(io.BusinessFollowUpSerializer(followup).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    create=create_schema(
        "Catat pengajuan bantuan modal untuk usaha atau perorangan",
        io.CapitalHelpCreateSerializer,
        io.CapitalHelpSerializer,
    ),
    partial_update=update_schema(
        "Majukan status bantuan modal satu langkah, atau perbaiki isiannya",
        io.CapitalHelpUpdateSerializer,
        io.CapitalHelpSerializer,
        description=(
            "Status hanya berpindah `applied` → `approved` → `disbursed`, atau ke `refused` "
            "sebelum dicairkan; langkah lain ditolak dengan 409 pada `status`. Tanggal langkah "
            "dari `on`, atau hari ini."
        ),
    ),
)
class CapitalHelpViewSet(ReadCreate, ApiViewSet):
    """Bantuan modal usaha: hibah, dana bergulir, KUR, CSR, BUMDes, koperasi."""

    model = CapitalHelp
    serializer_class = io.CapitalHelpSerializer
    filterset_class = CapitalHelpFilterSet
    ordering_fields = ["id", "applied_on", "amount"]
    create_input = io.CapitalHelpCreateSerializer
    create_service = services.record_capital_help

    def get_queryset(self):
        return business_selectors.capital_help_for(self.request.user)

    def partial_update(self, request, pk=None):
        help_row = self.get_object()
        changes = self.read(io.CapitalHelpUpdateSerializer, partial=True)
        version = self.expected_version()
        to, on = changes.pop("status", None), changes.pop("on", None)
        if changes:
            help_row = services.update_capital_help(
                actor=request.user, capital_help=help_row.pk, expected_version=version, **changes
            )
            version = help_row.version
        if to and to != help_row.status:
            help_row = services.change_capital_help_status(
                actor=request.user, capital_help=help_row.pk, to=to, on=on, expected_version=version
            )
        return self.respond(help_row)


@extend_schema_view(
    create=create_schema(
        "Daftarkan perempuan desa (kepala keluarga atau istri) ke program",
        io.EnrolmentCreateSerializer,
        io.EnrolmentSerializer,
    )
)
class EnrolmentViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Peserta program pemberdayaan ekonomi perempuan; `female_headed` diturunkan dari rumah tangganya."""

    model = WomenEnrolment
    serializer_class = io.EnrolmentSerializer
    filterset_class = EnrolmentFilterSet
    ordering_fields = ["id", "enrolled_on"]

    def get_queryset(self):
        return business_selectors.enrolments_for(self.request.user)

    def create(self, request, *args, **kwargs):
        data = self.read(io.EnrolmentCreateSerializer)
        enrolment = services.enrol_woman(actor=request.user, **data)
        return self.respond(enrolment, status.HTTP_201_CREATED)


__all__ = ["BusinessViewSet", "CapitalHelpViewSet", "EnrolmentViewSet"]
