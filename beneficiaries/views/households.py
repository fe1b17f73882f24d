"""Households: search, register with members, the household page, and opening a case."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.forms.utils import ErrorDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError
from regions.selectors import villages_visible_to

from .. import selectors, services
from ..forms import HouseholdForm, MemberFormSet, OpenCaseForm, SearchForm
from ..identity import shown_kk
from ..models import (
    Attendance,
    Case,
    CaseStatus,
    GroupMembership,
    Household,
    MoveState,
    Relation,
    StageTransition,
)
from .common import run_service

PER_PAGE = 25


@login_required
def household_list(request):
    search_form = SearchForm(request.GET or None)
    query = search_form.cleaned_data["q"] if search_form.is_valid() else ""
    stage = request.GET.get("tahap", "")
    try:
        households = selectors.households_matching(request.user, query, stage)
    except DomainError as error:  # too many searches by number: say so, find nothing
        search_form.add_error("q", error.message)
        households = Household.objects.none()
    page = Paginator(households, PER_PAGE).get_page(request.GET.get("page"))
    context = {"search_form": search_form, "query": query, "stage": stage, "page": page}
    return render(request, "pages/household_list.html", context)


def _quiet(form) -> None:
    """Show what was typed without errors: adding a row is not submitting."""
    form._errors = ErrorDict()
    form.cleaned_data = {}


def _with_extra_row(data):
    data = data.copy()
    total = int(data.get("members-TOTAL_FORMS") or 0)
    data["members-TOTAL_FORMS"] = str(min(total + 1, MemberFormSet.max_num))
    formset = MemberFormSet(data, prefix="members")
    for member_form in formset.forms:
        _quiet(member_form)
    formset._errors, formset._non_form_errors = [], formset.error_class()
    return formset


@login_required
@permission_required("beneficiaries.add_household", raise_exception=True)
def household_create(request):
    villages = villages_visible_to(request.user).filter(is_active=True)
    form = HouseholdForm(request.POST or None, villages=villages)
    formset = MemberFormSet(request.POST or None, prefix="members")
    if request.method == "POST" and "add_row" in request.POST:
        _quiet(form)
        formset = _with_extra_row(request.POST)
    elif request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = formset.filled_forms()
        household = run_service(
            services.register_household,
            form,
            formset=formset,
            rows=rows,
            actor=request.user,
            members=[row.member_data() for row in rows],
            **form.cleaned_data,
        )
        if household:
            messages.success(
                request,
                _("Rumah tangga KK %(kk)s terdaftar dengan %(n)d anggota.")
                % {"kk": shown_kk(request.user, household), "n": len(rows)},
            )
            return redirect("household_detail", pk=household.pk)
    return render(request, "pages/household_form.html", {"form": form, "formset": formset})


@login_required
def household_detail(request, pk: int):
    user = request.user
    household = get_object_or_404(
        Household.objects.visible_to(user).select_related("village__district", "village__regency"), pk=pk
    )
    cases = list(Case.objects.visible_to(user).filter(household=household).select_related("program"))
    case = next((c for c in cases if c.status == CaseStatus.ACTIVE), cases[0] if cases else None)
    moves = list(
        StageTransition.objects.visible_to(user)
        .filter(case__household=household)
        .select_related("proposed_by", "decided_by")
        .order_by("proposed_at", "id")
    )
    assistance = selectors.household_aid(user, household)
    members = sorted(household.members.all(), key=_family_order)
    context = {
        "household": household,
        "head": next((p for p in members if p.relation == Relation.HEAD), None),
        "members": members,
        "case": case,
        "moves": moves,
        "pending": next((m for m in moves if m.state == MoveState.PENDING), None),
        "assistance": list(assistance),
        "assistance_total": selectors.aid_total(assistance),
        "memberships": list(
            GroupMembership.objects.visible_to(user)
            .filter(household=household)
            .select_related("group__enterprise")
        ),
        "attendance": list(
            Attendance.objects.visible_to(user)
            .filter(person__household=household)
            .select_related("activity__partner", "person")
            .order_by("-activity__held_on")
        ),
    }
    return render(request, "pages/household_detail.html", context)


def _family_order(person) -> tuple:
    """Head first, then spouse, children and others, eldest first."""
    return (Relation.values.index(person.relation), person.birth_date)


@login_required
@permission_required("beneficiaries.add_case", raise_exception=True)
def case_open(request, pk: int):
    household = get_object_or_404(Household.objects.visible_to(request.user), pk=pk)
    form = OpenCaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        case = run_service(
            services.open_case, form, actor=request.user, household=household, **form.cleaned_data
        )
        if case:
            messages.success(request, _("Kasus dibuka. Rumah tangga ini masuk tahap 1: kebutuhan dasar."))
            return redirect("household_detail", pk=household.pk)
    return render(request, "pages/case_open.html", {"form": form, "household": household})
