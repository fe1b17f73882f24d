"""Programmes (province-wide reference) and the partners that deliver them."""

from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from unfold.admin import ModelAdmin

from core.admin import ChoicesDropdownFilter, ScopedAdminMixin
from core.errors import DomainError
from regions.selectors import region_in_scope as in_scope

from .models import Partner, Program


@admin.register(Program)
class ProgramAdmin(ScopedAdminMixin, ModelAdmin):
    list_display = ["name", "agency", "starts_on", "ends_on", "targets_women"]
    list_filter = [("agency", ChoicesDropdownFilter), "targets_women"]
    search_fields = ["name"]
    search_help_text = gettext_lazy("Cari nama program.")
    fields = ["name", "agency", "description", ("starts_on", "ends_on"), "targets_women"]


@admin.register(Partner)
class PartnerAdmin(ScopedAdminMixin, ModelAdmin):
    list_display = ["name", "kind", "region_code", "contact", "is_active"]
    list_filter = [("kind", ChoicesDropdownFilter), "is_active"]
    search_fields = ["name", "^region_code"]
    search_help_text = gettext_lazy("Cari nama mitra atau kode wilayah.")
    fields = ["name", "kind", "region_code", "contact", "is_active"]

    def save_model(self, request, obj, form, change):
        if not in_scope(request.user, obj.region_code):
            raise DomainError(
                _("Wilayah %(code)s di luar wilayah kerja Anda.") % {"code": obj.region_code},
                field="region_code",
            )
        super().save_model(request, obj, form, change)
