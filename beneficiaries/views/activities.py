"""Cadres (PKK, posyandu) record education sessions and who attended."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regions.selectors import villages_visible_to

from .. import selectors, services
from ..forms import ActivityForm, PageForm
from ..models import Activity, Person
from ..services.records import set_attendance
from .common import run_service


class AttendanceForm(PageForm):
    attendees = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label=gettext_lazy("Yang hadir"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = people
        self.fields["attendees"].label_from_instance = lambda p: (
            f"{p.full_name} · RT {p.household.rt}/RW {p.household.rw}"
        )


def _people(request, village_code: str):
    return (
        Person.objects.visible_to(request.user)
        .filter(household__village_id=village_code)
        .select_related("household")
        .order_by("household__rt", "household__rw", "household_id", "full_name")
    )


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
    form = ActivityForm(request.POST or None, user=request.user, villages=villages)
    one_village = form.fields["village"].initial
    attendance = (
        AttendanceForm(request.POST or None, people=_people(request, one_village)) if one_village else None
    )
    if request.method == "POST" and form.is_valid() and (attendance is None or attendance.is_valid()):
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
    return render(request, "pages/activity_form.html", {"form": form, "attendance": attendance})


@login_required
def activity_detail(request, pk: int):
    activity = get_object_or_404(
        Activity.objects.visible_to(request.user).select_related("partner", "village", "recorded_by"), pk=pk
    )
    present = list(activity.attendance.values_list("person_id", flat=True))
    form = AttendanceForm(
        request.POST or None, people=_people(request, activity.village_id), initial={"attendees": present}
    )
    if (
        request.method == "POST"
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
    return render(request, "pages/activity_detail.html", {"activity": activity, "form": form})
