"""Recipients, deliveries with their status and log, "Kirim ulang", and a preview of any report.

Rows come from `visible_to` (regions.selectors.region_codes_q); which reports an official
reads, and so whose recipients they change and resend to, is `regions.policy`'s answer, and
every write goes through reports.services. The schedule itself is edited under Periodic
tasks (django_celery_beat's admin)."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import display
from unfold.widgets import UnfoldAdminSelectWidget

from core.admin import ScopedAdminMixin, copy_saved
from core.errors import DomainError
from regions import policy
from regions.models import PROVINCE_CODE, Regency

from . import services
from .models import DeliveryEvent, DeliveryStatus, ReportDelivery, ReportRecipient
from .renderers import render_chart, report_context
from .renderers.pdf import data_uri
from .selectors import previous_period, regency_label, report_figures

STATUS_LABELS = {
    DeliveryStatus.QUEUED: "info",
    DeliveryStatus.SENDING: "warning",
    DeliveryStatus.SENT: "success",
    DeliveryStatus.FAILED: "danger",
}


def report_choices(user) -> list[tuple[str, str]]:
    """The reports this official may read (regions.policy), named for a dropdown."""
    names = dict(Regency.objects.values_list("code", "name"))
    return [
        (code, "Provinsi Banten" if code == PROVINCE_CODE else regency_label(names[code]))
        for code in policy.reportable_regions(user)
    ]


class RecipientForm(forms.ModelForm):
    class Meta:
        model = ReportRecipient
        fields = ["region_code", "title", "name", "email", "active"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region_code"] = forms.ChoiceField(
            label=_("Wilayah"), choices=report_choices(user), widget=UnfoldAdminSelectWidget
        )


@admin.register(ReportRecipient)
class ReportRecipientAdmin(ScopedAdminMixin, ModelAdmin):
    list_display = ["title", "name", "email", "region_code", "active"]
    list_filter = ["active"]
    search_fields = ["title", "name", "email", "^region_code"]
    form = RecipientForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change, **kwargs)

        class Form(base):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=request.user, **kw)

        return Form

    def _manageable(self, request, obj) -> bool:
        return obj is None or policy.may_manage_recipient(request.user, obj.region_code, obj)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and bool(policy.reportable_regions(request.user))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._manageable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._manageable(request, obj)

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in RecipientForm.Meta.fields}
        saved = services.save_recipient(actor=request.user, recipient=obj if change else None, **data)
        copy_saved(obj, saved)


class DeliveryEventInline(TabularInline):
    model = DeliveryEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "detail", "actor"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReportDelivery)
class ReportDeliveryAdmin(ScopedAdminMixin, ModelAdmin):
    list_display = [
        "period_label",
        "recipient",
        "status_label",
        "attempts",
        "sent_at",
        "is_resend",
        "error",
        "preview",
    ]
    list_filter = ["status", "is_resend", "period"]
    search_fields = ["recipient__title", "recipient__email", "message_id"]
    scoped_select_related = ("recipient",)
    actions = ["resend"]
    inlines = [DeliveryEventInline]
    readonly_fields = [
        "recipient",
        "period",
        "status",
        "attempts",
        "last_error",
        "message_id",
        "sending_started_at",
        "sent_at",
        "is_resend",
        "resend_of",
        "requested_by",
        "created_at",
        "updated_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False  # deliveries are made by the dispatcher and by "Kirim ulang"

    def has_change_permission(self, request, obj=None):
        return False

    def has_resend_permission(self, request):
        return policy.may_resend(request.user)

    @display(description=gettext_lazy("Periode"), ordering="period")
    def period_label(self, obj):
        return f"{obj.period:%m-%Y}"

    @display(description=gettext_lazy("Status"), label=STATUS_LABELS)
    def status_label(self, obj):
        stuck = services.is_stuck(obj)
        return obj.status, _("Macet: periksa log email") if stuck else obj.get_status_display()

    @display(description=gettext_lazy("Galat"))
    def error(self, obj):
        return (obj.last_error[:80] + "…") if len(obj.last_error) > 80 else obj.last_error

    @display(description=gettext_lazy("Pratinjau"))
    def preview(self, obj):
        query = urlencode({"region": obj.recipient.region_code, "period": f"{obj.period:%Y-%m}"})
        return format_html('<a href="{}?{}">{}</a>', reverse("admin:reports_preview"), query, _("Lihat"))

    @admin.action(description=gettext_lazy("Kirim ulang"), permissions=["resend"])
    def resend(self, request, queryset):
        done = 0
        for delivery in queryset:
            try:
                services.request_resend(delivery=delivery, actor=request.user)
                done += 1
            except DomainError as error:
                messages.error(request, f"{delivery}: {error.message}")
        if done:
            messages.success(request, _("%(n)s laporan masuk antrean kirim ulang.") % {"n": done})

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [path("pratinjau/", preview, name="reports_preview"), *super().get_urls()]

    def preview_view(self, request):
        """The email of any report the official may read, rendered in the browser."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        regions = report_choices(request.user)
        region = request.GET.get("region") or (regions[0][0] if regions else "")
        if not policy.may_read_report(request.user, region):
            raise PermissionDenied
        period = _period(request.GET.get("period"))
        figures = report_figures(region_code=region, period=period)
        context = report_context(figures, chart_src=data_uri(render_chart(figures)))
        html = TemplateResponse(request, "emails/report-body-html.html", context).rendered_content
        return TemplateResponse(
            request,
            "reports/preview.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Pratinjau laporan bulanan"),
                "opts": self.opts,
                "regions": regions,
                "region": region,
                "period_value": f"{period:%Y-%m}",
                "email_html": html,
                "report_title": f"{figures.region_name}, {context['period_label']}",
            },
        )


def _period(text: str | None) -> datetime.date:
    try:
        return services.parse_period(text) if text else previous_period()
    except DomainError:
        return previous_period()
