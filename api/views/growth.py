"""Posyandu growth monitoring: measurements, follow-ups with their interventions, and the
monthly coverage of a region."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from beneficiaries import growth_selectors
from beneficiaries.models.growth import GrowthFollowUp, Measurement
from beneficiaries.services import growth as services
from core.errors import DomainError
from regions import policy
from regions.models import find_region

from .. import filters, inputs, serializers
from ..base import ApiViewSet
from ..errors import api_exception_handler
from ..schema import ApiSchema
from .groups import ReadCreate, create_schema, update_schema


@extend_schema_view(
    create=create_schema(
        "Catat penimbangan dan pengukuran balita",
        inputs.MeasurementCreateSerializer,
        serializers.MeasurementSerializer,
    ),
    partial_update=update_schema(
        "Perbaiki pengukuran (umur, z-skor, status dan tanda pertumbuhan dihitung ulang)",
        inputs.MeasurementUpdateSerializer,
        serializers.MeasurementSerializer,
    ),
)
class MeasurementViewSet(ReadCreate, ApiViewSet):
    """Penimbangan dan pengukuran balita di posyandu, dengan z-skor WHO dan status
    Permenkes 2/2020 yang dihitung sistem."""

    model = Measurement
    serializer_class = serializers.MeasurementSerializer
    filterset_class = filters.MeasurementFilterSet
    ordering_fields = ["id", "measured_on"]
    create_input = inputs.MeasurementCreateSerializer
    create_service = services.record_measurement
    update_input = inputs.MeasurementUpdateSerializer
    update_service = services.correct_measurement
    update_kwarg = "measurement"


@extend_schema_view(
    list=extend_schema(summary="Daftar pendampingan balita; `?status=open` untuk yang berjalan"),
)
class FollowUpViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Pendampingan balita pendek, gizi kurang/buruk, berat badan sangat kurang, 2T atau
    LiLA < 11,5 cm, dengan intervensinya; dibuka dan ditutup (pulih) oleh pengukuran."""

    model = GrowthFollowUp
    serializer_class = serializers.FollowUpSerializer
    filterset_class = filters.FollowUpFilterSet
    ordering_fields = ["id", "opened_on"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return growth_selectors.followups_for(self.request.user)

    @extend_schema(
        summary="Catat intervensi (spesifik atau sensitif) untuk anak dalam pendampingan",
        request=inputs.InterventionCreateSerializer,
        responses={201: serializers.FollowUpSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def interventions(self, request, pk=None):
        followup = self.get_object()
        data = self.read(inputs.InterventionCreateSerializer)
        services.record_intervention(actor=request.user, followup=followup.pk, **data)
        return self.respond(followup, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Tutup pendampingan dengan alasan (pulih, berumur 60 bulan, pindah, meninggal, lainnya)",
        request=inputs.FollowUpCloseSerializer,
        responses={200: serializers.FollowUpSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def close(self, request, pk=None):
        followup = self.get_object()
        data = self.read(inputs.FollowUpCloseSerializer)
        services.close_followup(actor=request.user, followup=followup.pk, **data)
        return self.respond(followup)


class GrowthCoverageView(APIView):
    """Cakupan penimbangan dan prevalensi stunting/wasting satu wilayah dalam satu bulan,
    dari selektor yang sama dengan halaman dan laporan bulanan."""

    permission_classes = [IsAuthenticated]
    schema = ApiSchema()

    def get_exception_handler(self):
        return api_exception_handler

    @extend_schema(
        summary="Cakupan dan prevalensi pertumbuhan balita per wilayah dan bulan",
        parameters=[
            OpenApiParameter(
                "region",
                OpenApiTypes.STR,
                required=True,
                description="Kode wilayah: 36, 36.01, 36.01.01 atau desa",
            ),
            OpenApiParameter(
                "period", OpenApiTypes.STR, description="Bulan, TTTT-BB (bawaan: bulan ini)", required=False
            ),
        ],
        responses={200: serializers.GrowthCoverageSerializer},
    )
    def get(self, request: Request) -> Response:
        code = (request.query_params.get("region") or "").strip()
        raw_period = request.query_params.get("period") or f"{timezone.localdate():%Y-%m}"
        errors: dict[str, list[str]] = {}
        if not code:
            errors["region"] = [_("Isi kode wilayah, misalnya 36.01.")]
        elif find_region(code) is None:
            errors["region"] = [_("Kode wilayah tidak dikenal.")]
        try:
            period = growth_selectors.parse_period(raw_period)
        except DomainError as error:
            errors.update(error.errors)
        if errors:
            raise DomainError(errors=errors)
        if not policy.may_read_growth(request.user, code):
            raise DomainError(_("Wilayah tidak ditemukan."), code=DomainError.NOT_FOUND)
        figures = growth_selectors.growth_coverage(region_code=code, period=period)
        return Response(serializers.GrowthCoverageSerializer(figures).data)
