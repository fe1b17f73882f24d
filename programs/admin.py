"""Programmes (province-wide reference) and the partners that deliver them, written through
programs.services: the policy decides who may change which."""

from django.contrib import admin
from django.utils.translation import gettext_lazy
from unfold.admin import ModelAdmin

from core.admin import ChoicesDropdownFilter, ScopedAdminMixin, copy_saved, flat
from regions import policy

from . import services
from .models import Partner, Program


@admin.register(Program)
class ProgramAdmin(ScopedAdminMixin, ModelAdmin):
    list_display = ["name", "agency", "starts_on", "ends_on", "targets_women"]
    list_filter = [("agency", ChoicesDropdownFilter), "targets_women"]
    search_fields = ["name"]
    search_help_text = gettext_lazy("Cari nama program.")
    fields = [
        "name",
        "agency",
        "description",
        ("starts_on", "ends_on"),
        "targets_women",
        "requires_running_business",
    ]

    def has_add_permission(self, request):
        return policy.may_edit_program(request.user)

    def has_change_permission(self, request, obj=None):
        # Without a row (the list): whether the official edits programmes at all.
        return super().has_change_permission(request, obj) and policy.may_edit_program(request.user, obj)

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in flat(self.fields) if name in form.cleaned_data}
        saved = services.save_program(actor=request.user, program=obj if change else None, **data)
        copy_saved(obj, saved)


@admin.register(Partner)
class PartnerAdmin(ScopedAdminMixin, ModelAdmin):
    list_display = ["name", "kind", "region_code", "contact", "is_active"]
    list_filter = [("kind", ChoicesDropdownFilter), "is_active"]
    search_fields = ["name", "^region_code"]
    search_help_text = gettext_lazy("Cari nama mitra atau kode wilayah.")
    fields = ["name", "kind", "region_code", "contact", "is_active"]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or policy.may_save_partner(request.user, obj.region_code, obj))

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in self.fields if name in form.cleaned_data}
        saved = services.save_partner(actor=request.user, partner=obj if change else None, **data)
        copy_saved(obj, saved)
