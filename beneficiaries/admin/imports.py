"""The officials' "Impor rumah tangga" pages: the runs of their region, an upload form,
the templates, each run's progress (polled as JSON; a meta refresh without JS) and its
rejection report as XLSX. Every write goes through `beneficiaries.imports.service`."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from unfold.admin import ModelAdmin
from unfold.decorators import action, display
from unfold.widgets import UnfoldAdminFileFieldWidget, UnfoldAdminRadioSelectWidget

from core.access import record_access
from core.admin import ScopedAdminMixin, add_domain_errors
from core.errors import DomainError
from core.models import AccessKind
from regions import policy

from ..imports.report import rejections_xlsx, template_csv, template_xlsx
from ..imports.service import COUNTERS, rejections_of, start_import
from ..models import ImportMode, ImportRun

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas CSV atau XLSX"),
        widget=UnfoldAdminFileFieldWidget,
        help_text=gettext_lazy(
            "Satu baris satu orang, kolom seperti templat: NO_KK, KODE_WILAYAH, ALAMAT, RT, RW, DESIL, "
            "NIK, NAMA, JENIS_KELAMIN, TANGGAL_LAHIR, HUBUNGAN."
        ),
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("Mode"),
        choices=ImportMode.choices,
        initial=ImportMode.DRY_RUN,
        widget=UnfoldAdminRadioSelectWidget,
        help_text=gettext_lazy("Mulailah dengan uji coba: tidak ada yang ditulis, hanya laporan."),
    )


def progress_of(run: ImportRun) -> dict:
    return {
        "status": run.status,
        "status_label": run.get_status_display(),
        "active": run.is_active,
        "message": run.message,
        **{name: getattr(run, name) for name in COUNTERS},
    }


@admin.register(ImportRun)
class ImportRunAdmin(ScopedAdminMixin, ModelAdmin):
    list_display = ["file_name", "mode", "status_badge", "created_by", "created_at", "rows_read", "rejected",
                    "households_written", "persons_written"]  # fmt: skip
    list_filter = ["status", "mode"]
    search_fields = ["file_name", "checksum"]
    scoped_select_related = ("created_by",)
    actions_list = ["template_xlsx", "template_csv"]

    def has_module_permission(self, request):
        return policy.may_import(request.user)

    def has_view_permission(self, request, obj=None):
        return policy.may_import(request.user)

    def has_add_permission(self, request):
        return policy.may_import(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @display(description=gettext_lazy("status"), label=True)
    def status_badge(self, obj):
        return obj.get_status_display()

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/progres/", view(self.progress_view), name="beneficiaries_importrun_progress"),
            path("<int:pk>/ditolak.xlsx", view(self.report_view), name="beneficiaries_importrun_report"),
            *super().get_urls(),
        ]

    def _run(self, request, pk) -> ImportRun:
        if not self.has_view_permission(request):
            raise PermissionDenied
        run = self.get_queryset(request).filter(pk=pk).first()
        if run is None:
            raise Http404(_("Impor tidak ditemukan."))
        return run

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                run = start_import(
                    actor=request.user,
                    uploaded_file=form.cleaned_data["file"],
                    mode=form.cleaned_data["mode"],
                )
            except DomainError as error:
                add_domain_errors(form, error)
            else:
                messages.success(request, _("Impor %(name)s dimulai.") % {"name": run.file_name})
                return HttpResponseRedirect(reverse("admin:beneficiaries_importrun_change", args=[run.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Impor rumah tangga"),
            "form": form,
        }
        return TemplateResponse(request, "admin/beneficiaries/importrun/upload.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        run = self._run(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(run),
            "run": run,
            "progress": progress_of(run),
            "rejections": run.rejections[:200],
        }
        return TemplateResponse(request, "admin/beneficiaries/importrun/detail.html", context)

    def progress_view(self, request, pk):
        return JsonResponse(progress_of(self._run(request, pk)))

    def report_view(self, request, pk):
        run = self._run(request, pk)
        record_access(actor=request.user, kind=AccessKind.EXPORT, obj=run, count=run.rejected)
        response = HttpResponse(rejections_xlsx(rejections_of(run)), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="ditolak-{run.pk}.xlsx"'
        return response

    @action(description=gettext_lazy("Unduh templat XLSX"), url_path="templat-xlsx", icon="download",
            permissions=["add"])  # fmt: skip
    def template_xlsx(self, request):
        response = HttpResponse(template_xlsx(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = 'attachment; filename="templat-impor-rumah-tangga.xlsx"'
        return response

    @action(description=gettext_lazy("Unduh templat CSV"), url_path="templat-csv", icon="download",
            permissions=["add"])  # fmt: skip
    def template_csv(self, request):
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="templat-impor-rumah-tangga.csv"'
        return response
