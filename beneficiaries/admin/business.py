"""Businesses, their follow-ups, capital help and the women's programme, for officials.

Every save goes through beneficiaries.services.business; the status of capital help offers
only the steps of CAPITAL_HELP_TRANSITIONS.
"""

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
    nowrap,
    rupiah,
)
from regions.admin_filters import region_filters

from ..models import Business, BusinessFollowUp, CapitalHelp, WomenEnrolment
from ..services.business import (
    capital_help_targets,
    change_capital_help_status,
    create_business,
    enrol_woman,
    record_capital_help,
    record_followup,
    update_business,
    update_capital_help,
)
from .groups import changes_of
from .identity import ServiceValidatedForm

BUSINESS_FIELDS = ["name", "sector", "started_on", "sells_at_market", "sells_in_shop", "sells_online", "nib"]
FOLLOWUP_FIELDS = [
    "kind",
    "visited_on",
    "status",
    "stop_reason",
    "monthly_revenue",
    "monthly_profit",
    "workers",
    "note",
]
CAPITAL_FIELDS = ["scheme", "amount", "partner", "applied_on", "note"]


class FollowUpInline(ScopedInlineMixin, TabularInline):
    model = BusinessFollowUp
    extra = 0
    can_delete = False
    fields = FOLLOWUP_FIELDS
    readonly_fields = FOLLOWUP_FIELDS
    verbose_name_plural = gettext_lazy("kunjungan")

    def has_add_permission(self, request, obj=None):
        return False  # recorded on the follow-up page, through record_followup


@admin.register(Business)
class BusinessAdmin(ScopedAdminMixin, SimpleHistoryAdmin, ModelAdmin):
    list_display = ["name", "sector", "village", "started_on", "last_status", "next_due_on", "revenue_rp"]
    scoped_select_related = ("village",)
    list_filter = [
        *region_filters(),
        ("sector", ChoicesDropdownFilter),
        ("last_status", ChoicesDropdownFilter),
    ]
    search_fields = ["name", "=nib"]
    search_help_text = gettext_lazy("Cari nama usaha atau NIB.")
    form = ServiceValidatedForm
    ordering = ["-started_on", "id"]
    autocomplete_fields = ["owner_person", "owner_group"]
    readonly_fields = [
        "last_status",
        "last_followup_on",
        "last_monthly_revenue",
        "next_due_kind",
        "next_due_on",
    ]
    inlines = [FollowUpInline]

    def get_fields(self, request, obj=None):
        owners = ["owner_person", "owner_group"]
        return [*owners, *BUSINESS_FIELDS, *(self.readonly_fields if obj else [])]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "owner_person", "owner_group"] if obj else []

    @display(description=gettext_lazy("omzet terakhir"), ordering="last_monthly_revenue")
    def revenue_rp(self, obj):
        return nowrap(rupiah(obj.last_monthly_revenue)) if obj.last_monthly_revenue is not None else "—"

    def save_model(self, request, obj, form, change):
        if change:
            saved = update_business(
                actor=request.user,
                business=obj.pk,
                expected_version=self.expected_version(request),
                **changes_of(form, BUSINESS_FIELDS),
            )
            return copy_saved(obj, saved)
        data = {f: form.cleaned_data.get(f) for f in ["owner_person", "owner_group", *BUSINESS_FIELDS]}
        copy_saved(obj, create_business(actor=request.user, **data))

    def save_formset(self, request, form, formset, change):
        mark_formset_saved(formset)  # the inline is read-only


@admin.register(BusinessFollowUp)
class BusinessFollowUpAdmin(ScopedAdminMixin, SimpleHistoryAdmin, ModelAdmin):
    list_display = ["business", "kind", "visited_on", "status", "revenue_rp", "workers"]
    scoped_select_related = ("business",)
    list_filter = [*region_filters(), ("kind", ChoicesDropdownFilter), ("status", ChoicesDropdownFilter)]
    search_fields = ["business__name"]
    autocomplete_fields = ["business"]

    def get_fields(self, request, obj=None):
        return ["business", *FOLLOWUP_FIELDS]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)  # a visit is recorded once

    @display(description=gettext_lazy("omzet per bulan"), ordering="monthly_revenue")
    def revenue_rp(self, obj):
        return nowrap(rupiah(obj.monthly_revenue))

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data.get(f) for f in ["business", *FOLLOWUP_FIELDS]}
        copy_saved(obj, record_followup(actor=request.user, **data))


@admin.register(CapitalHelp)
class CapitalHelpAdmin(ScopedAdminMixin, SimpleHistoryAdmin, ModelAdmin):
    list_display = ["recipient", "scheme", "amount_rp", "status_badge", "applied_on", "disbursed_on"]
    scoped_select_related = ("business", "person")
    list_filter = [*region_filters(), ("scheme", ChoicesDropdownFilter), ("status", ChoicesDropdownFilter)]
    search_fields = ["business__name"]
    autocomplete_fields = ["business", "person", "partner"]

    def get_fields(self, request, obj=None):
        steps = ["status", "approved_on", "disbursed_on", "refused_on"]
        return ["business", "person", *CAPITAL_FIELDS, *(steps if obj else [])]

    def get_readonly_fields(self, request, obj=None):
        return ["business", "person", "approved_on", "disbursed_on", "refused_on"] if obj else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "status" in form.base_fields:
            offered = {obj.status, *capital_help_targets(obj)}
            form.base_fields["status"].choices = [
                (value, label) for value, label in CapitalHelp.Status.choices if value in offered
            ]
            form.base_fields["status"].help_text = gettext_lazy(
                "Hanya langkah berikutnya: diajukan → disetujui → dicairkan, atau ditolak sebelum dicairkan."
            )
        return form

    @display(description=gettext_lazy("penerima"))
    def recipient(self, obj):
        return obj.business or obj.person

    @display(description=gettext_lazy("nilai"), ordering="amount")
    def amount_rp(self, obj):
        return nowrap(rupiah(obj.amount))

    @display(
        description=gettext_lazy("status"),
        ordering="status",
        label={"applied": "info", "approved": "warning", "disbursed": "success", "refused": "danger"},
    )
    def status_badge(self, obj):
        return obj.status, obj.get_status_display()

    def save_model(self, request, obj, form, change):
        if not change:
            data = {f: form.cleaned_data.get(f) for f in ["business", "person", *CAPITAL_FIELDS]}
            return copy_saved(obj, record_capital_help(actor=request.user, **data))
        version = self.expected_version(request)
        saved = obj
        changes = changes_of(form, CAPITAL_FIELDS)
        if changes:
            saved = update_capital_help(
                actor=request.user, capital_help=obj.pk, expected_version=version, **changes
            )
            version = saved.version
        if "status" in form.changed_data:
            saved = change_capital_help_status(
                actor=request.user,
                capital_help=obj.pk,
                to=form.cleaned_data["status"],
                expected_version=version,
            )
        copy_saved(obj, saved)


@admin.register(WomenEnrolment)
class WomenEnrolmentAdmin(ScopedAdminMixin, SimpleHistoryAdmin, ModelAdmin):
    list_display = ["person", "village", "enrolled_on", "female_headed", "program"]
    scoped_select_related = ("person", "village", "program")
    list_filter = [*region_filters(), "female_headed"]
    search_fields = ["person__full_name"]
    autocomplete_fields = ["person"]

    def get_fields(self, request, obj=None):
        return ["person", "program", "enrolled_on", "note", *(["female_headed"] if obj else [])]

    def get_readonly_fields(self, request, obj=None):
        return ["person", "program", "enrolled_on", "note", "female_headed"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            return None
        data = {f: form.cleaned_data.get(f) for f in ["person", "program", "enrolled_on", "note"]}
        copy_saved(obj, enrol_woman(actor=request.user, **data))
