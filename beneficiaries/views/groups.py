"""Groups (kelompok usaha bersama): create, add and remove member households, enterprise."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.formatting import long_date
from regions.selectors import villages_visible_to

from .. import selectors, services
from ..forms import GroupForm, GroupMemberForm, focus_first_error
from ..identity import shown_kk
from ..models import CapitalAccess, Group, GroupMembership, Household
from .common import run_service


@login_required
def group_list(request):
    return render(request, "pages/group_list.html", {"groups": list(selectors.groups_for(request.user))})


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
    focus_first_error(form)
    return render(request, "pages/group_form.html", {"form": form})


def _candidates(request, group: Group):
    households = (
        Household.objects.visible_to(request.user)
        .filter(village_id=group.village_id)
        .exclude(group_memberships__group=group)
    )
    # By name, not KK: an order by KK would tell where a masked number falls among the others.
    return selectors.with_head_and_stage(households).order_by("head_name", "pk")


def _named(request, household_pk: int) -> Household:
    """A visible household with its head's name (`head_name`), or 404."""
    households = selectors.with_head_and_stage(Household.objects.visible_to(request.user))
    return get_object_or_404(households, pk=household_pk)


def _label(request, household: Household) -> str:
    """ "Ahmad Sanusi · KK 3601…****": the head's name, the KK as the user may see it."""
    kk = shown_kk(request.user, household)
    name = getattr(household, "head_name", None)
    return _("%(name)s · KK %(kk)s") % {"name": name, "kk": kk} if name else _("KK %(kk)s") % {"kk": kk}


@login_required
def group_detail(request, pk: int, form: GroupMemberForm | None = None):
    group = get_object_or_404(
        Group.objects.visible_to(request.user).select_related("enterprise", "village"), pk=pk
    )
    # Members live in the group's village; a household that moved away is not shown.
    members = GroupMembership.objects.filter(group=group, household__village_id=group.village_id)
    memberships = list(
        selectors.with_head_and_stage(members.select_related("household"), "household_id").order_by(
            "joined_on", "id"
        )
    )
    enterprise = group.enterprise
    context = {
        "group": group,
        "memberships": memberships,
        "removed": _just_removed(request, group, memberships),
        "enterprise": enterprise,
        "capital": list(CapitalAccess.objects.visible_to(request.user).filter(enterprise=enterprise))
        if enterprise
        else [],
        "form": form or GroupMemberForm(households=_candidates(request, group)),
    }
    return render(request, "pages/group_detail.html", context)


def _just_removed(request, group: Group, memberships: list[GroupMembership]) -> dict | None:
    """The household named by `?dikeluarkan=` after a removal, to offer its undo: only
    while it is still out of the group and the user may add it back."""
    pk = request.GET.get("dikeluarkan", "")
    if not pk.isdigit() or int(pk) in {m.household_id for m in memberships}:
        return None
    household = (
        selectors.with_head_and_stage(Household.objects.visible_to(request.user)).filter(pk=pk).first()
    )
    if household is None:
        return None
    return {"household": household, "label": _label(request, household)}


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
                _("Rumah tangga %(household)s menjadi anggota kelompok.")
                % {"household": _label(request, form.cleaned_data["household"])},
            )
            return redirect("group_detail", pk=group.pk)
    return group_detail(request, pk, form=form)


@login_required
@permission_required("beneficiaries.change_groupmembership", raise_exception=True)
def group_member_remove(request, pk: int, household_pk: int):
    """GET asks "Keluarkan X dari kelompok?"; POST removes through the service and returns
    to the group page, which offers to undo it."""
    group = get_object_or_404(Group.objects.visible_to(request.user).select_related("village"), pk=pk)
    household = _named(request, household_pk)
    membership = GroupMembership.objects.filter(group=group, household=household).first()
    if request.method != "POST":
        if membership is None:
            messages.error(request, _("Rumah tangga ini bukan anggota kelompok."))
            return redirect("group_detail", pk=group.pk)
        context = {"group": group, "household": household, "membership": membership}
        return render(request, "pages/group_member_remove.html", context)
    form = GroupMemberForm(households=Household.objects.none())
    run_service(services.remove_group_member, form, actor=request.user, group=group, household=household)
    if form.errors:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect("group_detail", pk=group.pk)
    return redirect(f"{reverse('group_detail', args=[group.pk])}?dikeluarkan={household.pk}")


@login_required
@require_POST
@permission_required("beneficiaries.add_groupmembership", raise_exception=True)
def group_member_restore(request, pk: int, household_pk: int):
    """Undo a removal: add the household back with the date it had joined on, read from
    the removed membership's history row."""
    group = get_object_or_404(Group.objects.visible_to(request.user), pk=pk)
    household = _named(request, household_pk)
    removed = selectors.removed_membership(request.user, group=group, household=household)
    if removed is None:
        messages.error(request, _("Tidak ada anggota yang baru dikeluarkan untuk dibatalkan."))
        return redirect("group_detail", pk=group.pk)
    form = GroupMemberForm(households=Household.objects.none())
    membership = run_service(
        services.add_group_member,
        form,
        actor=request.user,
        group=group,
        household=household,
        joined_on=removed.joined_on,
    )
    if membership:
        messages.success(
            request,
            _("Dibatalkan: %(household)s kembali menjadi anggota sejak %(date)s.")
            % {"household": _label(request, household), "date": long_date(removed.joined_on)},
        )
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect("group_detail", pk=group.pk)
