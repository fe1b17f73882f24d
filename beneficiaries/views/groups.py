"""Groups (kelompok usaha bersama): create, add and remove member households, enterprise."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regions.selectors import villages_visible_to

from .. import selectors, services
from ..forms import GroupForm, GroupMemberForm
from ..identity import shown_kk
from ..models import CapitalAccess, Group, GroupMembership, Household
from .common import run_service


@login_required
def group_list(request):
    groups = (
        Group.objects.visible_to(request.user)
        .select_related("enterprise", "village")
        .annotate(member_count=Count("memberships"))
        .order_by("name")
    )
    return render(request, "pages/group_list.html", {"groups": list(groups)})


@login_required
@permission_required("beneficiaries.add_group", raise_exception=True)
def group_create(request):
    villages = villages_visible_to(request.user).filter(is_active=True)
    form = GroupForm(request.POST or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        group = run_service(services.create_group, form, actor=request.user, **form.cleaned_data)
        if group:
            messages.success(
                request, _("Kelompok %(name)s dibuat. Tambahkan anggotanya.") % {"name": group.name}
            )
            return redirect("group_detail", pk=group.pk)
    return render(request, "pages/group_form.html", {"form": form})


def _candidates(request, group: Group):
    households = (
        Household.objects.visible_to(request.user)
        .filter(village_id=group.village_id)
        .exclude(group_memberships__group=group)
    )
    # By name, not KK: an order by KK would tell where a masked number falls among the others.
    return selectors.with_head_and_stage(households).order_by("head_name", "pk")


@login_required
def group_detail(request, pk: int, form: GroupMemberForm | None = None):
    group = get_object_or_404(
        Group.objects.visible_to(request.user).select_related("enterprise", "village"), pk=pk
    )
    # Members live in the group's village; a household that moved away is not shown.
    members = GroupMembership.objects.filter(group=group, household__village_id=group.village_id)
    memberships = selectors.with_head_and_stage(members.select_related("household"), "household_id").order_by(
        "joined_on", "id"
    )
    enterprise = group.enterprise
    context = {
        "group": group,
        "memberships": list(memberships),
        "enterprise": enterprise,
        "capital": list(CapitalAccess.objects.visible_to(request.user).filter(enterprise=enterprise))
        if enterprise
        else [],
        "form": form or GroupMemberForm(households=_candidates(request, group)),
    }
    return render(request, "pages/group_detail.html", context)


@login_required
@require_POST
@permission_required("beneficiaries.add_groupmembership", raise_exception=True)
def group_member_add(request, pk: int):
    group = get_object_or_404(Group.objects.visible_to(request.user), pk=pk)
    form = GroupMemberForm(request.POST, households=_candidates(request, group))
    if form.is_valid():
        membership = run_service(
            services.add_group_member, form, actor=request.user, group=group, **form.cleaned_data
        )
        if membership:
            messages.success(
                request,
                _("KK %(kk)s menjadi anggota kelompok.")
                % {"kk": shown_kk(request.user, membership.household)},
            )
            return redirect("group_detail", pk=group.pk)
    return group_detail(request, pk, form=form)


@login_required
@require_POST
@permission_required("beneficiaries.change_groupmembership", raise_exception=True)
def group_member_remove(request, pk: int, household_pk: int):
    group = get_object_or_404(Group.objects.visible_to(request.user), pk=pk)
    household = get_object_or_404(Household.objects.visible_to(request.user), pk=household_pk)
    form = GroupMemberForm(households=Household.objects.none())
    run_service(services.remove_group_member, form, actor=request.user, group=group, household=household)
    if form.errors:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    else:
        messages.success(
            request, _("KK %(kk)s dikeluarkan dari kelompok.") % {"kk": shown_kk(request.user, household)}
        )
    return redirect("group_detail", pk=group.pk)
