"""Cases and their moves between stages, and the assistance delivered to them."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from beneficiaries import services
from beneficiaries.models import Assistance, Case, MoveState, StageTransition

from .. import filters, inputs, serializers
from ..base import ApiViewSet


def moves_of(user):
    return StageTransition.objects.visible_to(user).select_related("proposed_by", "decided_by")


@extend_schema_view(
    list=extend_schema(summary="Daftar kasus, dengan usulan perpindahan yang menunggu (pending_move)"),
    create=extend_schema(
        summary="Buka kasus untuk rumah tangga (masuk tahap 1)",
        request=inputs.CaseCreateSerializer,
        responses={201: serializers.CaseSerializer},
    ),
)
class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Kasus: perjalanan satu rumah tangga melalui tiga tahap, dengan perpindahannya."""

    model = Case
    serializer_class = serializers.CaseSerializer
    filterset_class = filters.CaseFilterSet
    ordering_fields = ["id", "opened_on", "closed_on", "stage"]

    def get_queryset(self):
        pending = moves_of(self.request.user).filter(state=MoveState.PENDING)
        return self.visible().prefetch_related(Prefetch("moves", queryset=pending, to_attr="pending_moves"))

    def create(self, request):
        data = self.read(inputs.CaseCreateSerializer)
        case = services.open_case(actor=request.user, **data)
        return self.respond(case, status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary="Riwayat perpindahan tahap kasus ini",
        responses=serializers.MoveSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Usulkan atau lakukan perpindahan tahap",
        description=(
            "Pejabat wilayah di atas desa: perpindahan langsung berlaku (`state` = `applied`). "
            "Pengguna desa: usulan menunggu persetujuan (`state` = `pending`). Syarat yang belum "
            "terpenuhi ditolak dengan 409 dan disebut namanya (misalnya `basic_needs_assistance`)."
        ),
        request=inputs.MoveRequestSerializer,
        responses={201: serializers.MoveSerializer},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def moves(self, request, pk=None):
        case = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(moves_of(request.user).filter(case=case))
            return self.get_paginated_response(serializers.MoveSerializer(page, many=True).data)
        data = self.read(inputs.MoveRequestSerializer)
        move = services.request_move(
            actor=request.user, case=case.pk, expected_version=self.expected_version(), **data
        )
        fresh = moves_of(request.user).get(pk=move.pk)
        return Response(serializers.MoveSerializer(fresh).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Daftar perpindahan tahap (filter `state=pending` untuk usulan)")
)
class MoveViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Perpindahan tahap (naik, turun, lulus, keluar): usulan dan keputusannya."""

    model = StageTransition
    serializer_class = serializers.MoveSerializer
    filterset_class = filters.MoveFilterSet
    ordering_fields = ["id", "proposed_at", "decided_at"]

    def get_queryset(self):
        return moves_of(self.request.user)

    def decide(self, request, pk, *, approve: bool):
        data = self.read(inputs.DecisionSerializer)
        move = services.decide_move(actor=request.user, move=int(pk), approve=approve, **data)
        return self.respond(move)

    @extend_schema(
        summary="Setujui usulan (perpindahan berlaku)",
        description="Hanya pejabat kecamatan, kabupaten/kota atau provinsi di atas desa kasus. "
        "Usulan yang sudah diputuskan: 409.",
        request=inputs.DecisionSerializer,
        responses={200: serializers.MoveSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def approve(self, request, pk=None):
        return self.decide(request, pk, approve=True)

    @extend_schema(
        summary="Tolak usulan (catatan wajib)",
        request=inputs.DecisionSerializer,
        responses={200: serializers.MoveSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def reject(self, request, pk=None):
        return self.decide(request, pk, approve=False)


@extend_schema_view(
    create=extend_schema(
        summary="Catat bantuan yang diserahkan",
        request=inputs.AssistanceCreateSerializer,
        responses={201: serializers.AssistanceSerializer},
    ),
)
class AssistanceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Bantuan yang diserahkan kepada kasus; nilai dalam rupiah bulat."""

    model = Assistance
    serializer_class = serializers.AssistanceSerializer
    filterset_class = filters.AssistanceFilterSet
    ordering_fields = ["id", "delivered_on", "amount"]

    def create(self, request):
        data = self.read(inputs.AssistanceCreateSerializer)
        key = request.headers.get("Idempotency-Key")
        assistance = services.record_assistance(actor=request.user, idempotency_key=key, **data)
        response = self.respond(assistance, status.HTTP_201_CREATED)
        if getattr(assistance, "replayed", False):
            response["Idempotent-Replayed"] = "true"  # the first answer again; nothing written
        return response
