"""Households: search, register with members, the household page, keeping its record
right (household, members added, corrected, leaving, the head), and opening a case."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.forms.utils import ErrorDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core import search
from core.access import record_access
from core.errors import DomainError
from core.models import AccessKind
from core.pagination import SEARCH_EXACT_UP_TO, EstimatingPaginator
from regions import policy
from regions.selectors import villages_visible_to

from .. import business_selectors, growth_selectors, selectors, services
from ..forms import (
    ChangeHeadForm,
    HouseholdEditForm,
    HouseholdForm,
    MemberCorrectForm,
    MemberForm,
    MemberFormSet,
    MemberLeftForm,
    OpenCaseForm,
    SearchForm,
    focus_first_error,
)
from ..growth.who import MAX_AGE_MONTHS, age_in_months
from ..identity import shown_kk
from ..models import (
    Attendance,
    Case,
    CaseStatus,
    GroupMembership,
    Household,
    MoveState,
    Person,
    Relation,
    StageTransition,
    WomenEnrolment,
)
from ..timeline import household_record
from .common import run_service

PER_PAGE = 25


@login_required
def household_list(request):
    raw = request.GET.get("q", "")
    stage = request.GET.get("tahap", "")
    # The search box POSTs (core/search.py) and comes back with `q=~<hash>`; a term typed
    # into the URL by hand still searches, and the page's own links carry only its hash.
    search_form = SearchForm({"q": search.recall(request, raw)} if raw else None)
    query = search_form.cleaned_data["q"] if search_form.is_valid() else ""
    if search.is_plain(raw):
        raw = search.remember(request, query)
    try:
        households = selectors.households_matching(request.user, query, stage)
    except DomainError as error:  # too many searches by number: say so, find nothing
        search_form.add_error("q", error.message)
        households = Household.objects.none()
    exact_up_to = SEARCH_EXACT_UP_TO if query else None  # a search needs no exact count
    page = EstimatingPaginator(households, PER_PAGE, exact_up_to=exact_up_to).get_page(request.GET.get("page"))
    context = {"search_form": search_form, "query": query, "query_ref": raw, "stage": stage, "page": page}
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
    if request.method == "POST" and "add_row" not in request.POST:
        focus_first_error(form, *formset.kept_forms())
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
        .filter(case_id__in=[c.pk for c in cases])
        .select_related("proposed_by", "decided_by")
        .order_by("proposed_at", "id")
    )
    assistance = list(selectors.household_aid(user, household))
    everyone = sorted(household.members.all(), key=_family_order)
    members = [p for p in everyone if not p.has_left]
    today = timezone.localdate()
    toddlers = {
        p.pk for p in members if p.birth_date <= today and age_in_months(p.birth_date, today) < MAX_AGE_MONTHS
    }
    context = {
        "household": household,
        "head": next((p for p in members if p.relation == Relation.HEAD), None),
        "members": members,
        "former_members": sorted((p for p in everyone if p.has_left), key=lambda p: p.left_on, reverse=True),
        "may_edit": _may_edit(user, household),
        "record": household_record(household),
        "case": case,
        "moves": moves,
        "pending": next((m for m in moves if m.state == MoveState.PENDING), None),
        "assistance": assistance,
        "assistance_total": selectors.aid_total(assistance),
        "memberships": list(
            GroupMembership.objects.visible_to(user)
            .filter(household=household)
            .select_related("group__enterprise")
        ),
        "toddlers": toddlers,
        "businesses": business_selectors.household_businesses(user, household.pk),
        "capital_help": list(
            business_selectors.capital_help_for(user).filter(
                Q(business__household=household) | Q(person__household=household)
            )
        ),
        "enrolled": set(
            WomenEnrolment.objects.visible_to(user)
            .filter(household=household)
            .values_list("person_id", flat=True)
        ),
        "growth_followups": list(growth_selectors.followups_for(user).filter(person__household=household)),
        "attendance": list(
            # By the members' ids, not a join on the household: the planner, not knowing how
            # few a household's members are, read every attendance row of the province.
            Attendance.objects.visible_to(user)
            .filter(person_id__in=[p.pk for p in everyone])
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


# ---------------------------------------------------------------- keeping the record right


def _may_edit(user, household: Household) -> bool:
    """The policy decides; the page only shows or hides the edit links and forms."""
    return user.has_perm("beneficiaries.change_household") and policy.may_work_on_cases(
        user, household.village_id
    )


def _editable_household(request, pk: int) -> Household:
    household = get_object_or_404(Household.objects.visible_to(request.user).select_related("village"), pk=pk)
    if not _may_edit(request.user, household):
        raise PermissionDenied
    return household


def _current_member(household: Household, person_pk: int) -> Person:
    return get_object_or_404(household.members.current(), pk=person_pk)


def _record_form(request, household: Household, form, *, title: str, submit: str, person=None, intro=""):
    focus_first_error(form)
    context = {"household": household, "form": form, "title": title, "submit": submit, "person": person}
    return render(request, "pages/household_record_form.html", {**context, "intro": intro})


def _saved(request, household: Household, message: str):
    messages.success(request, message)
    return redirect("household_detail", pk=household.pk)


@login_required
def household_edit(request, pk: int):
    household = _editable_household(request, pk)
    initial = {f: getattr(household, f) for f in ("address", "rt", "rw", "desil")}
    form = HouseholdEditForm(request.POST or None, initial={**initial, "expected_version": household.version})
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in form.changed_data if f != "expected_version"}
        expected = form.cleaned_data["expected_version"]
        if run_service(
            services.update_household,
            form,
            actor=request.user,
            household=household,
            expected_version=expected,
            **changes,
        ):
            return _saved(request, household, _("Data rumah tangga disimpan."))
    return _record_form(
        request, household, form, title=_("Ubah alamat dan desil"), submit=_("Simpan perubahan")
    )


@login_required
def member_add(request, pk: int):
    household = _editable_household(request, pk)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = run_service(
            services.add_member, form, actor=request.user, household=household, **form.member_data()
        )
        if person:
            return _saved(
                request, household, _("%(name)s ditambahkan ke rumah tangga.") % {"name": person.full_name}
            )
    return _record_form(
        request,
        household,
        form,
        title=_("Tambah anggota keluarga"),
        submit=_("Simpan anggota"),
        intro=_("Untuk kelahiran atau anggota yang masuk karena pernikahan."),
    )


@login_required
def member_edit(request, pk: int, person_pk: int):
    household = _editable_household(request, pk)
    person = _current_member(household, person_pk)
    nik_whole = policy.may_see_full_identity(request.user, household.village_id)
    if nik_whole and person.nik:  # the correction form holds the NIK whole
        record_access(actor=request.user, kind=AccessKind.FULL_NIK, obj=person, region_code=household.village_id)
    form = MemberCorrectForm(request.POST or None, person=person, nik_whole=nik_whole)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            services.update_person,
            form,
            actor=request.user,
            person=person,
            expected_version=form.cleaned_data["expected_version"],
            **form.changes(),
        )
        if saved:
            return _saved(request, household, _("Data %(name)s disimpan.") % {"name": saved.full_name})
    return _record_form(
        request,
        household,
        form,
        title=_("Koreksi data anggota"),
        submit=_("Simpan koreksi"),
        person=person,
        intro=_("Nama, NIK, jenis kelamin dan tanggal lahir diperiksa seperti saat pendaftaran."),
    )


@login_required
def member_left(request, pk: int, person_pk: int):
    household = _editable_household(request, pk)
    person = _current_member(household, person_pk)
    form = MemberLeftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            services.record_member_left,
            form,
            actor=request.user,
            person=person,
            on=data["left_on"],
            reason=data["left_reason"],
            note=data["left_note"],
        )
        if saved:
            return _saved(
                request,
                household,
                _("%(name)s dicatat keluar dari rumah tangga.") % {"name": saved.full_name},
            )
    return _record_form(
        request,
        household,
        form,
        title=_("Catat anggota keluar"),
        submit=_("Catat keluar"),
        person=person,
        intro=_(
            "Orang ini tetap tercatat dalam riwayat, bantuan dan kehadiran, tetapi tidak lagi dihitung sebagai anggota."
        ),
    )


@login_required
def head_change(request, pk: int):
    household = _editable_household(request, pk)
    candidates = household.members.current().exclude(relation=Relation.HEAD).order_by("birth_date")
    form = ChangeHeadForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        head = run_service(
            services.change_head,
            form,
            actor=request.user,
            household=household,
            new_head=form.cleaned_data["new_head"],
            old_head_relation=form.cleaned_data["old_head_relation"],
        )
        if head:
            return _saved(
                request, household, _("%(name)s sekarang kepala keluarga.") % {"name": head.full_name}
            )
    return _record_form(
        request,
        household,
        form,
        title=_("Ganti kepala keluarga"),
        submit=_("Ganti kepala keluarga"),
        person=household.members.current().filter(relation=Relation.HEAD).first(),
        intro=_("Misalnya bila kepala keluarga meninggal atau pindah: ganti dulu, lalu catat ia keluar."),
    )
