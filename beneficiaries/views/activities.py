"""Cadres (PKK, posyandu) record education sessions and who attended."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.forms.utils import ErrorDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.search import REF_PREFIX, recall
from regions.selectors import villages_visible_to

from .. import selectors, services
from ..forms import ActivityForm, AttendanceForm, focus_first_error
from ..models import Activity
from ..services.records import set_attendance
from .common import run_service

SEARCH = "cari"  # the name filter of the attendance list, by GET or by its button


def _search_only(request) -> bool:
    """The picker's "Cari" button posts the form to filter the list, not to save it."""
    return request.method == "POST" and "cari_tombol" in request.POST


def _by_reference(request) -> str:
    """A name filter in the URL only as a keyed hash (core.search): a name typed after
    `?cari=` would reach the access logs, so it filters nothing."""
    value = request.GET.get(SEARCH, "")
    return recall(request, value) if value.startswith(REF_PREFIX) else ""


def _picker(request, form: AttendanceForm) -> dict:
    """The attendance list as the page shows it: each candidate ticked or not and whether
    the name filter shows it (ticked ones it hides stay in the form, hidden). The count is
    of those ticked, not of every resident."""
    query = (request.POST.get(SEARCH) if request.method == "POST" else _by_reference(request)) or ""
    words = query.lower().split()
    ticked = form.ticked()
    rows = [
        {
            "person": person,
            "ticked": person.pk in ticked,
            "shown": all(w in person.full_name.lower() for w in words),
        }
        for person in form.fields["attendees"].queryset
    ]
    return {
        "rows": rows,
        "query": query.strip(),
        "ticked_count": sum(r["ticked"] for r in rows),
        "shown_count": sum(r["shown"] for r in rows),
    }


@login_required
def activity_list(request):
    return render(
        request,
        "pages/activity_list.html",
        {"activities": list(selectors.activities_for(request.user)[:100])},
    )


@login_required
@permission_required("beneficiaries.add_activity", raise_exception=True)
def activity_create(request):
    villages = villages_visible_to(request.user).filter(is_active=True)
    data = request.POST or None
    form = ActivityForm(data, user=request.user, villages=villages)
    one_village = form.fields["village"].initial
    attendance = (
        AttendanceForm(data, people=selectors.attendance_candidates(request.user, one_village))
        if one_village
        else None
    )
    saving = request.method == "POST" and not _search_only(request)
    if saving and form.is_valid() and (attendance is None or attendance.is_valid()):
        attendees = attendance.cleaned_data["attendees"] if attendance else []
        activity = run_service(
            services.record_activity, form, actor=request.user, attendees=attendees, **form.cleaned_data
        )
        if activity:
            messages.success(
                request,
                _("Kegiatan %(title)s dicatat dengan %(n)d peserta hadir.")
                % {"title": activity.title, "n": len(attendees)},
            )
            return redirect("activity_detail", pk=activity.pk)
    if not saving:
        _quiet(form)
    picker = _picker(request, attendance) if attendance else None
    context = {"form": form, "attendance": attendance, "picker": picker}
    focus_first_error(form)
    return render(request, "pages/activity_form.html", context)


def _quiet(form) -> None:
    """A search is not a submit: show what was typed, without errors."""
    if form.is_bound:
        form.full_clean()
        form._errors = ErrorDict()


@login_required
def activity_detail(request, pk: int):
    activity = get_object_or_404(
        Activity.objects.visible_to(request.user).select_related("partner", "village", "recorded_by"), pk=pk
    )
    present = list(activity.attendance.values_list("person_id", flat=True))
    form = AttendanceForm(
        request.POST or None,
        people=selectors.attendance_candidates(request.user, activity.village_id),
        initial={"attendees": present},
    )
    if (
        request.method == "POST"
        and not _search_only(request)
        and request.user.has_perm("beneficiaries.change_attendance")
        and form.is_valid()
    ):
        count = run_service(
            set_attendance,
            form,
            actor=request.user,
            activity=activity,
            persons=form.cleaned_data["attendees"],
        )
        if count is not None:
            messages.success(request, _("Kehadiran disimpan: %(n)d peserta.") % {"n": count})
            return redirect("activity_detail", pk=activity.pk)
    context = {"activity": activity, "form": form, "picker": _picker(request, form)}
    return render(request, "pages/activity_detail.html", context)
