"""The women's programme page, and the forms that add a business, record a follow-up,
record capital help and enrol a woman. Thin: every write is a service call."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from programs.models import Partner

from .. import business_selectors
from ..forms import focus_first_error
from ..forms_business import BusinessForm, CapitalHelpForm, CapitalStepForm, EnrolmentForm, FollowUpForm
from ..models import Business, CapitalHelpStatus, Group, Household, Relation, Sex
from ..services import business as services
from .common import run_service

PER_PAGE = 25


@login_required
def women_programme(request):
    """The funnel per area below the user's region, the sector view, the follow-ups due and the women enrolled."""
    user = request.user
    enrolments = business_selectors.enrolments_for(user)
    page = Paginator(enrolments, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "funnel_rows": business_selectors.women_funnel(
            enrolments, level=business_selectors.funnel_level_for(user)
        ),
        "funnel_total": business_selectors.women_funnel_total(enrolments),
        "sector_focus": business_selectors.sector_focus_for(user),
        "due": list(business_selectors.followups_due(user)[:PER_PAGE]),
        "page": page,
    }
    return render(request, "pages/women_programme.html", context)


def _household(request, pk: int) -> Household:
    return get_object_or_404(Household.objects.visible_to(request.user), pk=pk)


def _business(request, pk: int) -> Business:
    return get_object_or_404(business_selectors.businesses_for(request.user), pk=pk)


def _page(request, form, *, title: str, back, submit: str, business=None):
    focus_first_error(form)
    context = {"form": form, "title": title, "back": back, "submit": submit, "business": business}
    return render(request, "pages/business_form.html", context)


@login_required
@permission_required("beneficiaries.add_business", raise_exception=True)
def business_create(request, pk: int):
    household = _household(request, pk)
    members = household.members.filter(left_on__isnull=True).order_by("relation", "birth_date")
    groups = Group.objects.visible_to(request.user).filter(memberships__household=household, is_active=True)
    form = BusinessForm(request.POST or None, members=members, groups=groups)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data["owner_group"] is not None:
            data["owner_person"] = None
        business = run_service(services.create_business, form, actor=request.user, **data)
        if business:
            messages.success(request, _("Usaha %(name)s dicatat.") % {"name": business.name})
            return redirect("household_detail", pk=household.pk)
    return _page(request, form, title=_("Catat usaha"), back=household, submit=_("Simpan usaha"))


def _back_to(business: Business):
    return (
        redirect("household_detail", pk=business.household_id)
        if business.household_id
        else redirect("women_programme")
    )


@login_required
@permission_required("beneficiaries.add_businessfollowup", raise_exception=True)
def followup_create(request, pk: int):
    business = _business(request, pk)
    initial = {"kind": business.next_due_kind or "adhoc"}
    form = FollowUpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        followup = run_service(
            services.record_followup, form, actor=request.user, business=business.pk, **form.cleaned_data
        )
        if followup:
            messages.success(request, _("Kunjungan usaha %(name)s dicatat.") % {"name": business.name})
            return _back_to(business)
    return _page(
        request,
        form,
        title=_("Catat kunjungan usaha"),
        back=business.household,
        submit=_("Simpan kunjungan"),
        business=business,
    )


@login_required
@permission_required("beneficiaries.add_capitalhelp", raise_exception=True)
def capital_help_create(request, pk: int):
    business = _business(request, pk)
    partners = Partner.objects.visible_to(request.user).filter(is_active=True)
    form = CapitalHelpForm(request.POST or None, partners=partners)
    if request.method == "POST" and form.is_valid():
        help_row = run_service(
            services.record_capital_help, form, actor=request.user, business=business.pk, **form.cleaned_data
        )
        if help_row:
            messages.success(request, _("Pengajuan bantuan modal dicatat."))
            return _back_to(business)
    return _page(
        request,
        form,
        title=_("Catat bantuan modal usaha"),
        back=business.household,
        submit=_("Simpan"),
        business=business,
    )


@login_required
@permission_required("beneficiaries.change_capitalhelp", raise_exception=True)
def capital_help_step(request, pk: int):
    help_row = get_object_or_404(business_selectors.capital_help_for(request.user), pk=pk)
    targets = [(t, CapitalHelpStatus(t).label) for t in services.capital_help_targets(help_row)]
    form = CapitalStepForm(request.POST or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        moved = run_service(
            services.change_capital_help_status,
            form,
            actor=request.user,
            capital_help=help_row.pk,
            to=data["to"],
            on=data["on"],
        )
        if moved:
            messages.success(
                request, _("Status bantuan modal: %(status)s.") % {"status": moved.get_status_display()}
            )
            return _back_to(moved.business) if moved.business_id else redirect("women_programme")
    household = help_row.business.household if help_row.business_id else help_row.person.household  # type: ignore[union-attr]
    return _page(
        request, form, title=_("Ubah status bantuan modal"), back=household, submit=_("Simpan status")
    )


@login_required
@permission_required("beneficiaries.add_womenenrolment", raise_exception=True)
def enrolment_create(request, pk: int):
    household = _household(request, pk)
    women = household.members.filter(
        left_on__isnull=True,
        sex=Sex.FEMALE,
        relation__in=[Relation.HEAD, Relation.SPOUSE],
        women_enrolment__isnull=True,
    )
    form = EnrolmentForm(request.POST or None, women=women)
    if request.method == "POST" and form.is_valid():
        enrolment = run_service(services.enrol_woman, form, actor=request.user, **form.cleaned_data)
        if enrolment:
            messages.success(
                request,
                _("%(name)s terdaftar dalam program pemberdayaan ekonomi perempuan.")
                % {"name": enrolment.person.full_name},
            )
            return redirect("household_detail", pk=household.pk)
    return _page(
        request, form, title=_("Daftarkan ke program perempuan"), back=household, submit=_("Daftarkan")
    )
