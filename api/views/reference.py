"""Read-only reference data: regions, programmes and partners."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.permissions import IsAuthenticated

from programs.models import Partner, Program
from regions.models import District, Regency, Village

from .. import filters, serializers
from ..base import ApiViewSet, ReferenceViewSet


class ReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin):
    pass


class RegionViewSet(ReadOnly, ReferenceViewSet):
    lookup_field = "code"
    lookup_value_regex = r"[0-9.]+"
    search_fields = ["name"]
    ordering_fields = ["code", "name"]


@extend_schema_view(list=extend_schema(summary="Daftar kabupaten/kota"))
class RegencyViewSet(RegionViewSet):
    """Kabupaten/kota di Banten (data rujukan Kemendagri)."""

    model = Regency
    serializer_class = serializers.RegencySerializer


@extend_schema_view(
    list=extend_schema(summary="Daftar kecamatan; `?regency=36.01` untuk satu kabupaten/kota")
)
class DistrictViewSet(RegionViewSet):
    """Kecamatan di Banten (data rujukan Kemendagri)."""

    model = District
    serializer_class = serializers.DistrictSerializer
    filterset_class = filters.DistrictFilterSet


@extend_schema_view(
    list=extend_schema(summary="Daftar desa/kelurahan; `?district=36.01.01` untuk satu kecamatan")
)
class VillageViewSet(RegionViewSet):
    """Desa dan kelurahan di Banten (data rujukan Kemendagri)."""

    model = Village
    serializer_class = serializers.VillageSerializer
    filterset_class = filters.VillageFilterSet


class ProgramViewSet(ReadOnly, ApiViewSet):
    """Program pemberdayaan yang dijalankan provinsi."""

    model = Program
    serializer_class = serializers.ProgramSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = filters.ProgramFilterSet
    search_fields = ["name"]
    ordering_fields = ["id", "name", "starts_on"]


class PartnerViewSet(ProgramViewSet):
    """Mitra pelaksana yang melayani wilayah Anda (PKK, posyandu, koperasi...)."""

    model = Partner
    serializer_class = serializers.PartnerSerializer
    filterset_class = filters.PartnerFilterSet
    ordering_fields = ["id", "name", "region_code"]
