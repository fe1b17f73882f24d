"""Posyandu growth monitoring in the admin: a read-mostly list of measurements (the
numbers are computed by the service; an official may correct what was written, which
recomputes them), and follow-ups with their interventions.

Measurements are recorded on the cadre's session page and through the API; here every
save still goes through the services (correct_measurement, record_intervention,
close_followup)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import display

from core.admin import (
    ChoicesDropdownFilter,
    ScopedAdminMixin,
    ScopedInlineMixin,
    copy_saved,
    mark_formset_saved,
)
from regions.admin_filters import region_filters

from ..models import GrowthFollowUp, Intervention, Measurement
from ..services.growth import close_followup, correct_measurement, record_intervention
from .groups import changes_of, new_rows
from .identity import ServiceValidatedForm


class ServiceRulesForm(ServiceValidatedForm):
    """The form checks the shape of each input; ranges, one measurement a day and closing
    are the service's rules (and the database's constraints behind them), so its errors
    appear on the fields it names instead of a constraint's name."""

    def _get_validation_exclusions(self):
        return {field.name for field in self.instance._meta.fields}


WRITTEN = ["measured_on", "weight_kg", "height_cm", "position", "muac_cm", "head_cm", "posyandu"]
COMPUTED = [
    "age_months", "haz", "haz_status", "waz", "waz_status", "whz", "whz_status", "whz_note",
    "growth_sign", "two_t", "flagged", "flags", "last_of_month",
]  # fmt: skip


@admin.register(Measurement)
class MeasurementAdmin(ScopedAdminMixin, SimpleHistoryAdmin, ModelAdmin):
    form = ServiceRulesForm
    list_display = [
        "child_header", "measured_on", "age_months", "weight_kg", "height_cm",
        "haz_header", "waz_header", "whz_header", "growth_sign", "flagged", "village",
    ]  # fmt: skip
    list_display_links = ["child_header"]
    scoped_select_related = ("person", "village")
    list_filter = [
        *region_filters(),
        ("haz_status", ChoicesDropdownFilter),
        ("waz_status", ChoicesDropdownFilter),
        ("whz_status", ChoicesDropdownFilter),
        ("growth_sign", ChoicesDropdownFilter),
        "flagged",
    ]
    search_fields = ["person__full_name"]
    search_help_text = gettext_lazy("Cari nama anak.")
    date_hierarchy = "measured_on"

    def get_fields(self, request, obj=None):
        return ["person", *WRITTEN, *COMPUTED, "village", "recorded_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        return ["person", *COMPUTED, "village", "recorded_by", "created_at"]

    def has_add_permission(self, request):
        return False  # recorded on the posyandu session page and through the API

    def has_delete_permission(self, request, obj=None):
        return False

    @display(description=gettext_lazy("anak"), ordering="person__full_name", header=True)
    def child_header(self, obj):
        return obj.person.full_name, obj.person.birth_date.strftime("%d-%m-%Y")

    @display(description=gettext_lazy("TB/U"), ordering="haz", header=True)
    def haz_header(self, obj):
        return obj.haz, obj.get_haz_status_display()

    @display(description=gettext_lazy("BB/U"), ordering="waz", header=True)
    def waz_header(self, obj):
        return obj.waz, obj.get_waz_status_display()

    @display(description=gettext_lazy("BB/TB"), ordering="whz", header=True)
    def whz_header(self, obj):
        return (obj.whz, obj.get_whz_status_display()) if obj.whz is not None else ("—", obj.whz_note)

    def save_model(self, request, obj, form, change):
        changes = changes_of(form, WRITTEN)
        if changes:
            copy_saved(obj, correct_measurement(actor=request.user, measurement=obj.pk, **changes))


class InterventionInline(ScopedInlineMixin, TabularInline):
    model = Intervention
    extra = 0
    fields = ["given_on", "kind", "partner", "note", "recorded_by"]
    readonly_fields = ["recorded_by"]
    scoped_select_related = ("partner", "recorded_by")

    def has_change_permission(self, request, obj=None):
        return False  # an intervention given stays as recorded

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GrowthFollowUp)
class GrowthFollowUpAdmin(ScopedAdminMixin, SimpleHistoryAdmin, ModelAdmin):
    form = ServiceRulesForm
    list_display = [
        "child_header",
        "opened_on",
        "reasons_text",
        "status",
        "closed_on",
        "close_reason",
        "village",
    ]
    list_display_links = ["child_header"]
    scoped_select_related = ("person", "village")
    list_filter = [
        *region_filters(),
        ("status", ChoicesDropdownFilter),
        ("close_reason", ChoicesDropdownFilter),
    ]
    search_fields = ["person__full_name"]
    search_help_text = gettext_lazy("Cari nama anak.")
    inlines = [InterventionInline]

    def get_fields(self, request, obj=None):
        return [
            "person", "opened_on", "reasons_text", "opening_measurement", "status", "closed_on",
            "close_reason", "close_note", "village", "opened_by", "closed_by",
        ]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        fields = self.get_fields(request, obj)
        if obj is not None and obj.is_open:  # closing is the one edit
            return [f for f in fields if f not in ("close_reason", "close_note")]
        return fields

    def has_add_permission(self, request):
        return False  # opened by a measurement

    def has_delete_permission(self, request, obj=None):
        return False

    @display(description=gettext_lazy("anak"), ordering="person__full_name", header=True)
    def child_header(self, obj):
        return obj.person.full_name, obj.person.birth_date.strftime("%d-%m-%Y")

    @display(description=gettext_lazy("alasan"))
    def reasons_text(self, obj):
        return obj.get_reasons_display()

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("close_reason")
        if obj.is_open and reason:
            note = form.cleaned_data.get("close_note", "")
            copy_saved(obj, close_followup(actor=request.user, followup=obj.pk, reason=reason, note=note))

    def save_formset(self, request, form, formset, change):
        new = [
            record_intervention(
                actor=request.user,
                followup=form.instance.pk,
                given_on=row.cleaned_data["given_on"],
                kind=row.cleaned_data["kind"],
                partner=row.cleaned_data.get("partner"),
                note=row.cleaned_data.get("note", ""),
            )
            for row in new_rows(formset)
        ]
        mark_formset_saved(formset, new=new)
