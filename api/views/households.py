"""Households (one KK each) and their members."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, status
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action

from beneficiaries import selectors, services
from beneficiaries.models import Household, Person
from core.access import record_access
from core.models import AccessKind

from .. import filters, inputs, serializers
from ..base import ApiViewSet
from ..permissions import ReadByPostPermissions

FULL_NIK_ACTIONS = {"retrieve", "create", "update", "partial_update"}


SEARCH_SCHEMA = extend_schema(
    summary="Cari dengan NIK, nomor KK atau nama tanpa menaruhnya di URL",
    description=(
        'Badan permintaan `{"search": "3601..."}`; filter lain tetap di query string. NIK atau '
        "KK harus lengkap (16 angka). `?search=` dengan 16 angka ditolak (400): URL tercatat di log."
    ),
    request={"application/json": {"type": "object", "properties": {"search": {"type": "string"}}}},
)


def page_of(serializer_class, name: str):
    """The paginated list a search answers, for the schema."""
    return inline_serializer(
        name,
        {
            "count": drf_serializers.IntegerField(),
            "next": drf_serializers.URLField(allow_null=True),
            "previous": drf_serializers.URLField(allow_null=True),
            "results": serializer_class(many=True),
        },
    )


class SearchByPostMixin:
    """`POST .../search/`: the list, searched by a term sent in the body."""

    @SEARCH_SCHEMA
    @action(detail=False, methods=["post"], permission_classes=[ReadByPostPermissions])
    def search(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class FullNikMixin:
    """Lists always mask the NIK; a single record shows it as `shown_nik` decides (whole to
    a user who may see the identity numbers of its village)."""

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["identity_in_list"] = self.action not in FULL_NIK_ACTIONS
        return context

    def get_object(self):
        obj = super().get_object()
        if self.action == "retrieve":  # a detail read of a person (or a household's members)
            village = obj.village_id if isinstance(obj, Household) else obj.household.village_id
            record_access(actor=self.request.user, kind=AccessKind.API_PERSON, obj=obj, region_code=village)
        return obj


def updated(view, changes_class, obj_kwarg: str, service):
    """PUT or PATCH: a 404 first for a row out of region, then the service."""
    obj = view.get_object()
    changes = view.read(changes_class, partial=view.request.method == "PATCH")
    expected = view.expected_version()
    return view.respond(
        service(actor=view.request.user, **{obj_kwarg: obj.pk}, expected_version=expected, **changes)
    )


@extend_schema_view(
    list=extend_schema(summary="Daftar rumah tangga (NIK anggota disamarkan)"),
    search=extend_schema(responses=page_of(serializers.HouseholdSerializer, "HouseholdSearchPage")),
    create=extend_schema(
        summary="Daftarkan rumah tangga beserta anggotanya",
        request=inputs.HouseholdCreateSerializer,
        responses={201: serializers.HouseholdSerializer},
    ),
    update=extend_schema(request=inputs.HouseholdUpdateSerializer),
    partial_update=extend_schema(request=inputs.HouseholdUpdateSerializer),
)
class HouseholdViewSet(
    SearchByPostMixin,
    FullNikMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    ApiViewSet,
):
    """Rumah tangga (satu KK) beserta anggotanya, hanya di wilayah kerja Anda."""

    model = Household
    serializer_class = serializers.HouseholdSerializer
    filterset_class = filters.HouseholdFilterSet
    identity_search = staticmethod(selectors.search_households)  # NIK and KK whole, names in part
    ordering_fields = ["id", "created_at", "desil"]  # not by KK: the order would place a masked serial

    def get_queryset(self):
        return self.visible().prefetch_related(Prefetch("members", queryset=Person.objects.all()))

    def create(self, request):
        data = self.read(inputs.HouseholdCreateSerializer)
        household = services.register_household(actor=request.user, **data)
        return self.respond(household, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        return updated(self, inputs.HouseholdUpdateSerializer, "household", services.update_household)


@extend_schema_view(
    list=extend_schema(summary="Daftar anggota keluarga (NIK selalu disamarkan)"),
    search=extend_schema(responses=page_of(serializers.PersonSerializer, "PersonSearchPage")),
    retrieve=extend_schema(summary="Satu anggota; NIK lengkap hanya dengan izin lihat NIK lengkap"),
    create=extend_schema(
        summary="Tambah anggota ke rumah tangga",
        request=inputs.PersonCreateSerializer,
        responses={201: serializers.PersonSerializer},
    ),
    update=extend_schema(request=inputs.PersonInputSerializer),
    partial_update=extend_schema(request=inputs.PersonInputSerializer),
)
class PersonViewSet(
    SearchByPostMixin,
    FullNikMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    ApiViewSet,
):
    """Anggota keluarga. Daftar selalu menyamarkan NIK (`360101120385****`); satu data menampilkan NIK lengkap hanya bagi pengguna dengan izin lihat NIK lengkap."""

    model = Person
    serializer_class = serializers.PersonSerializer
    filterset_class = filters.PersonFilterSet
    identity_search = staticmethod(selectors.search_persons)
    ordering_fields = ["id", "full_name", "birth_date"]

    def create(self, request):
        data = self.read(inputs.PersonCreateSerializer)
        person = services.add_member(actor=request.user, **data)
        return self.respond(person, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        return updated(self, inputs.PersonInputSerializer, "person", services.update_person)
