"""The UU 27/2022 actions on the person admin, for province officials: the subject report
(JSON and PDF in one ZIP) and the erasure of someone registered by mistake (a confirmation
page with a required reason). Both ask `regions.policy`; the services decide and log."""

import io
import zipfile

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from regions import policy

from ..services import erase_person
from ..subject_report import make_subject_report

MAX_ERASED_AT_ONCE = 20


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Alasan penghapusan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=gettext_lazy(
            "Wajib. Misalnya: salah daftar, orang yang sama terdaftar dua kali. Jangan tulis NIK atau nama."
        ),
        error_messages={"required": gettext_lazy("Alasan penghapusan wajib diisi.")},
    )


@admin.action(description=gettext_lazy("Buat laporan subjek data (UU 27/2022)"))
def subject_report_action(modeladmin, request, queryset):
    if queryset.count() != 1:
        modeladmin.message_user(
            request, _("Pilih tepat satu orang untuk laporan subjek data."), messages.ERROR
        )
        return None
    try:
        report = make_subject_report(person=queryset.select_related("household").get(), actor=request.user)
    except DomainError as error:
        modeladmin.message_user(request, error.message, messages.ERROR)
        return None
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{report.basename}.json", report.json)
        archive.writestr(f"{report.basename}.pdf", report.pdf)
    response = HttpResponse(out.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{report.basename}.zip"'
    return response


@admin.action(description=gettext_lazy("Hapus data pribadi (salah daftar)"))
def erase_action(modeladmin, request, queryset):
    people = list(queryset.select_related("household")[: MAX_ERASED_AT_ONCE + 1])
    if len(people) > MAX_ERASED_AT_ONCE:
        message = _("Paling banyak %(n)d orang sekali hapus.") % {"n": MAX_ERASED_AT_ONCE}
        modeladmin.message_user(request, message, messages.ERROR)
        return None
    form = ErasureForm(request.POST if "confirm" in request.POST else None)
    if form.is_valid():
        erased = _erase(modeladmin, request, people, form.cleaned_data["reason"])
        if erased:
            message = _("Data pribadi %(n)d orang dihapus; angka laporan tetap.") % {"n": erased}
            modeladmin.message_user(request, message, messages.SUCCESS)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.opts,
        "title": _("Hapus data pribadi"),
        "people": people,
        "form": form,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/beneficiaries/person/erase_confirmation.html", context)


def _erase(modeladmin, request, people, reason: str) -> int:
    erased = 0
    for person in people:
        try:
            erase_person(person=person, actor=request.user, reason=reason)
        except DomainError as error:
            modeladmin.message_user(request, f"{person}: {error.message}", messages.ERROR)
        else:
            erased += 1
    return erased


class PrivacyActionsMixin:
    """Adds the two actions for the officials `regions.policy` allows."""

    def get_actions(self, request):
        actions = super().get_actions(request)  # type: ignore[misc]
        if policy.may_make_subject_report(request.user):
            actions["subject_report_action"] = (
                subject_report_action,
                "subject_report_action",
                subject_report_action.short_description,
            )
        if policy.may_erase_person(request.user):
            actions["erase_action"] = (erase_action, "erase_action", erase_action.short_description)
        return actions
