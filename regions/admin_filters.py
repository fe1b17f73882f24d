"""Regency, district and village filters for admin lists, their choices from the
regions selectors (so an official is offered only the regions they may see)."""

from django.utils.translation import gettext_lazy
from unfold.contrib.filters.admin import DropdownFilter

from .selectors import districts_visible_to, regencies_visible_to, villages_visible_to


class _RegionFilter(DropdownFilter):
    """Regency, district and village filters whose choices come from the regions selectors,
    cascading: districts of the chosen regency, villages of the chosen district."""

    prefix = ""  # path from the listed model to the row that keeps the codes
    parent_parameter: str | None = None

    def regions(self, request):
        raise NotImplementedError

    def lookups(self, request, model_admin):
        rows = self.regions(request)
        parent = request.GET.get(self.parent_parameter) if self.parent_parameter else None
        if parent:
            rows = rows.filter(code__startswith=parent + ".")
        elif self.parent_parameter and not self.single_parent(request):
            return []  # too many to list: choose the level above first
        return [(r.code, str(r)) for r in rows]

    def single_parent(self, request) -> bool:
        return True

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        parent = request.GET.get(self.parent_parameter) if self.parent_parameter else None
        if parent and not value.startswith(parent + "."):
            return queryset  # left over from another parent: ignore
        return queryset.filter(**{f"{self.prefix}{self.parameter_name}_id": value})


class RegencyFilter(_RegionFilter):
    title = gettext_lazy("kabupaten/kota")
    parameter_name = "regency"

    def regions(self, request):
        return regencies_visible_to(request.user)


class DistrictFilter(_RegionFilter):
    title = gettext_lazy("kecamatan")
    parameter_name = "district"
    parent_parameter = "regency"

    def regions(self, request):
        return districts_visible_to(request.user)

    def single_parent(self, request):
        return regencies_visible_to(request.user).count() <= 1


class VillageFilter(_RegionFilter):
    title = gettext_lazy("desa/kelurahan")
    parameter_name = "village"
    parent_parameter = "district"

    def regions(self, request):
        return villages_visible_to(request.user)

    def single_parent(self, request):
        return districts_visible_to(request.user).count() <= 1


def region_filters(prefix: str = "") -> list[type[_RegionFilter]]:
    """The three region filters for a model whose codes sit at `prefix` (e.g. "household__")."""
    if not prefix:
        return [RegencyFilter, DistrictFilter, VillageFilter]
    return [
        type(f"{cls.__name__}_{prefix}", (cls,), {"prefix": prefix})
        for cls in (RegencyFilter, DistrictFilter, VillageFilter)
    ]
