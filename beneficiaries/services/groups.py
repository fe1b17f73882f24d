"""Edits of saved groups and enterprises, and ending memberships (stage 3).

Creations and joining live in records.py. Every edit here locks the row, names the fields
it accepts, validates with the model's clean() and records the actor in the history: the
move guards read `Group.is_active` and `Group.enterprise`, so those never change quietly.
"""

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from regions.models import User

from ..models import Enterprise, Group, GroupMembership, Household
from .common import clean_and_save, ensure_caseworker, ensure_fresh, visible_or_404

GROUP_FIELDS = frozenset({"name", "sector", "formed_on", "is_active", "enterprise"})
ENTERPRISE_FIELDS = frozenset({"name", "legal_form", "nib", "founded_on"})
STRIPPED = frozenset({"name", "nib"})


def only_fields(changes: Mapping, allowed: frozenset[str]) -> None:
    """Refuse, naming each one, the fields a service does not change."""
    unknown = sorted(set(changes) - allowed)
    if unknown:
        message = _("Kolom ini tidak dapat diubah di sini.")
        raise DomainError(errors={field: [message] for field in unknown})


def _apply(obj, changes: Mapping) -> None:
    for field, value in changes.items():
        if field in STRIPPED and isinstance(value, str):
            value = value.strip()
        setattr(obj, field, value)


@transaction.atomic
def update_group(*, actor: User, group: Group | int, expected_version: int | None = None, **changes) -> Group:
    """Rename, re-date, (de)activate a group or move it to another enterprise (None: none);
    refused when the group changed since `expected_version` was read."""
    group = visible_or_404(Group, group, actor, lock=True)
    ensure_fresh(group, expected_version)
    ensure_caseworker(actor, group.village_id)
    only_fields(changes, GROUP_FIELDS)
    if changes.get("enterprise") is not None:
        changes["enterprise"] = _enterprise(actor, changes["enterprise"])
    _apply(group, changes)
    clean_and_save(group, actor=actor)
    return group


def _enterprise(actor: User, enterprise: Enterprise | int) -> Enterprise:
    found = Enterprise.objects.visible_to(actor).filter(pk=getattr(enterprise, "pk", enterprise)).first()
    if found is None:
        raise DomainError(_("Badan usaha tidak ditemukan di wilayah kerja Anda."), field="enterprise")
    return found


@transaction.atomic
def update_enterprise(
    *, actor: User, enterprise: Enterprise | int, expected_version: int | None = None, **changes
) -> Enterprise:
    """Correct an enterprise's name, legal form, NIB or founding date (not its village);
    refused when the enterprise changed since `expected_version` was read."""
    enterprise = visible_or_404(Enterprise, enterprise, actor, lock=True)
    ensure_fresh(enterprise, expected_version)
    ensure_caseworker(actor, enterprise.village_id)
    only_fields(changes, ENTERPRISE_FIELDS)
    _apply(enterprise, changes)
    clean_and_save(enterprise, actor=actor)
    return enterprise


def leave_group(membership: GroupMembership, actor: User) -> None:
    """End one membership; its history row keeps who ended it and when (simple-history
    reads `_history_user` on a delete as save_as sets it on a save)."""
    membership._history_user = actor  # type: ignore[attr-defined]
    membership.delete()


def end_memberships_in(*, actor: User, household: Household, village_code: str) -> int:
    """A household that leaves a village leaves its groups there (the caller holds the
    household's lock). Returns how many memberships ended."""
    memberships = list(
        GroupMembership.objects.select_for_update().filter(
            household=household, group__village_id=village_code
        )
    )
    for membership in memberships:
        leave_group(membership, actor)
    return len(memberships)
