"""Stage 3: groups, enterprises and their capital; and partners' activities with attendance."""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from beneficiaries import services
from beneficiaries.models import Activity, CapitalAccess, Enterprise, Group, GroupMembership
from core.models import VersionedModel

from .. import filters, inputs, serializers
from ..base import ApiViewSet
from ..permissions import ChangeToRemovePermissions


class ReadCreate(mixins.ListModelMixin, mixins.RetrieveModelMixin):
    # List, detail, a create that validates `create_input` and calls `create_service`,
    # and a PATCH that finds the row in region (404), validates `update_input` and calls
    # `update_service(actor=..., <update_kwarg>=pk, **changes)`.

    create_input = None
    create_service = None
    update_input = None
    update_service = None
    update_kwarg = ""
    http_method_names = ["get", "post", "patch", "head", "options"]

    def create(self, request):
        data = self.read(self.create_input)
        obj = type(self).create_service(actor=request.user, **data)
        return self.respond(obj, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        obj = self.get_object()
        changes = self.read(self.update_input, partial=True)
        if isinstance(obj, VersionedModel):  # a stale write is refused (409), see expected_version
            changes["expected_version"] = self.expected_version()
        updated = type(self).update_service(actor=request.user, **{self.update_kwarg: obj.pk}, **changes)
        return self.respond(updated)


def create_schema(summary: str, request, response):
    return extend_schema(summary=summary, request=request, responses={201: response})


def update_schema(summary: str, request, response, *, description: str = ""):
    return extend_schema(summary=summary, description=description, request=request, responses={200: response})


@extend_schema_view(
    create=create_schema(
        "Bentuk kelompok usaha bersama", inputs.GroupCreateSerializer, serializers.GroupSerializer
    ),
    partial_update=update_schema(
        "Ubah kelompok: nama, bidang, tanggal, aktif, badan usaha (null melepasnya)",
        inputs.GroupUpdateSerializer,
        serializers.GroupSerializer,
    ),
)
class GroupViewSet(ReadCreate, ApiViewSet):
    """Kelompok usaha bersama (tahap 3) dan anggotanya (rumah tangga dari desa yang sama)."""

    model = Group
    serializer_class = serializers.GroupSerializer
    filterset_class = filters.GroupFilterSet
    search_fields = ["name"]
    ordering_fields = ["id", "name", "formed_on"]
    create_input = inputs.GroupCreateSerializer
    create_service = services.create_group
    update_input = inputs.GroupUpdateSerializer
    update_service = services.update_group
    update_kwarg = "group"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        memberships = Prefetch("memberships", queryset=GroupMembership.objects.order_by("joined_on", "id"))
        return self.visible().prefetch_related(memberships)

    @extend_schema(
        summary="Tambah rumah tangga ke kelompok",
        request=inputs.MembershipCreateSerializer,
        responses={201: serializers.GroupSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def members(self, request, pk=None):
        group = self.get_object()
        data = self.read(inputs.MembershipCreateSerializer)
        services.add_group_member(actor=request.user, group=group.pk, **data)
        return self.respond(group, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Keluarkan rumah tangga dari kelompok",
        request=None,
        responses={204: OpenApiResponse(description="Dikeluarkan.")},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"members/(?P<household>[0-9]+)",
        filter_backends=[],
        permission_classes=[ChangeToRemovePermissions],
    )
    def remove_member(self, request, pk=None, household=None):
        group = self.get_object()
        services.remove_group_member(actor=request.user, group=group.pk, household=int(household))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    create=create_schema(
        "Dirikan badan usaha (bisa langsung dengan kelompoknya)",
        inputs.EnterpriseCreateSerializer,
        serializers.EnterpriseSerializer,
    ),
    partial_update=update_schema(
        "Ubah badan usaha: nama, bentuk, NIB, tanggal berdiri",
        inputs.EnterpriseUpdateSerializer,
        serializers.EnterpriseSerializer,
    ),
)
class EnterpriseViewSet(ReadCreate, ApiViewSet):
    """Badan usaha tempat kelompok bergabung (koperasi, unit BUMDes, KUBE...)."""

    model = Enterprise
    serializer_class = serializers.EnterpriseSerializer
    filterset_class = filters.EnterpriseFilterSet
    search_fields = ["name"]
    ordering_fields = ["id", "name", "founded_on"]
    create_input = inputs.EnterpriseCreateSerializer
    create_service = services.create_enterprise
    update_input = inputs.EnterpriseUpdateSerializer
    update_service = services.update_enterprise
    update_kwarg = "enterprise"

    def get_queryset(self):
        # An enterprise may join groups from several villages of its regency: list only those in region.
        groups = Group.objects.visible_to(self.request.user).order_by("id")
        return self.visible().prefetch_related(Prefetch("groups", queryset=groups))


@extend_schema_view(
    create=create_schema(
        "Catat akses permodalan badan usaha",
        inputs.CapitalAccessCreateSerializer,
        serializers.CapitalAccessSerializer,
    ),
    partial_update=update_schema(
        "Ubah akses permodalan, atau majukan statusnya satu langkah",
        inputs.CapitalAccessUpdateSerializer,
        serializers.CapitalAccessSerializer,
        description=(
            "Status hanya berpindah: `applied` → `approved` → `disbursed`, atau ke `rejected` "
            "sebelum dicairkan. Langkah lain ditolak dengan 409 pada `status`. Tanggal langkah "
            "diambil dari `approved_on`/`disbursed_on`, atau hari ini."
        ),
    ),
)
class CapitalAccessViewSet(ReadCreate, ApiViewSet):
    """Akses permodalan badan usaha: diajukan, disetujui, dicairkan."""

    model = CapitalAccess
    serializer_class = serializers.CapitalAccessSerializer
    filterset_class = filters.CapitalAccessFilterSet
    ordering_fields = ["id", "applied_on", "amount"]
    create_input = inputs.CapitalAccessCreateSerializer
    create_service = services.record_capital_access
    update_input = inputs.CapitalAccessUpdateSerializer
    update_service = services.update_capital_access
    update_kwarg = "capital_access"


@extend_schema_view(
    create=create_schema(
        "Catat kegiatan mitra beserta pesertanya",
        inputs.ActivityCreateSerializer,
        serializers.ActivitySerializer,
    ),
    partial_update=update_schema(
        "Ubah kegiatan (topik, judul, tanggal, catatan, program, daftar hadir)",
        inputs.ActivityUpdateSerializer,
        serializers.ActivitySerializer,
    ),
)
class ActivityViewSet(ReadCreate, ApiViewSet):
    """Kegiatan edukasi mitra (PKK, posyandu...) di desa, dengan daftar hadir."""

    model = Activity
    serializer_class = serializers.ActivitySerializer
    filterset_class = filters.ActivityFilterSet
    search_fields = ["title"]
    ordering_fields = ["id", "held_on"]
    create_input = inputs.ActivityCreateSerializer
    create_service = services.record_activity
    update_input = inputs.ActivityUpdateSerializer
    update_service = services.update_activity
    update_kwarg = "activity"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]  # PUT: the attendance action

    def get_queryset(self):
        return self.visible().prefetch_related("attendance")

    @extend_schema(
        summary="Ganti daftar hadir kegiatan",
        request=inputs.AttendanceSerializer,
        responses={200: serializers.ActivitySerializer},
    )
    @action(detail=True, methods=["put"], filter_backends=[])
    def attendance(self, request, pk=None):
        activity = self.get_object()
        data = self.read(inputs.AttendanceSerializer)
        services.set_attendance(actor=request.user, activity=activity.pk, persons=data["persons"])
        return self.respond(activity)
