"""Capital access after it is recorded: its status moves only along one table.

Applied, then approved, then disbursed; an application can be refused before the money
goes out. Each step sets the date it needs (CapitalAccess.clean() checks the order); a
disbursed or refused application is final. Recording a new one is records.record_capital_access.
"""

import datetime
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from regions.models import User

from ..models import CapitalAccess
from .common import clean_and_save, ensure_caseworker, visible_or_404
from .groups import only_fields

Status = CapitalAccess.Status

# (from, to) -> the date the step sets (None: nothing to date). Anything else is refused.
CAPITAL_TRANSITIONS: dict[tuple[str, str], str | None] = {
    (Status.APPLIED, Status.APPROVED): "approved_on",
    (Status.APPLIED, Status.REJECTED): None,
    (Status.APPROVED, Status.DISBURSED): "disbursed_on",
    (Status.APPROVED, Status.REJECTED): None,
}
# The dates a status has reached, and so may be corrected while it holds.
DATES_OF: dict[str, tuple[str, ...]] = {
    Status.APPLIED: (),
    Status.APPROVED: ("approved_on",),
    Status.DISBURSED: ("approved_on", "disbursed_on"),
    Status.REJECTED: (),
}
CAPITAL_FIELDS = frozenset({"source", "amount", "applied_on", "approved_on", "disbursed_on", "note"})


def capital_targets(access: CapitalAccess) -> list[str]:
    """The statuses an application may move to from where it stands."""
    return [to for (origin, to) in CAPITAL_TRANSITIONS if origin == access.status]


def _locked(actor: User, capital_access: CapitalAccess | int) -> CapitalAccess:
    access = visible_or_404(CapitalAccess, capital_access, actor, lock=True)
    ensure_caseworker(actor, access.village_id)
    return access


def _step(access: CapitalAccess, to: str, on: datetime.date | None) -> None:
    if to not in Status.values:
        raise DomainError(_("Status tidak dikenal: %(to)s.") % {"to": to}, field="status")
    if (access.status, to) not in CAPITAL_TRANSITIONS:
        raise DomainError(
            _("Status tidak dapat diubah dari %(origin)s ke %(to)s.")
            % {"origin": access.get_status_display(), "to": Status(to).label},
            field="status",
            code=DomainError.CONFLICT,
        )
    date_field = CAPITAL_TRANSITIONS[(access.status, to)]
    if date_field:
        setattr(access, date_field, on or timezone.localdate())
    access.status = to


def _check_dates(access: CapitalAccess, changes: Mapping) -> None:
    """A date of a step not reached yet is set by that step, never typed ahead of it."""
    ahead = [f for f in ("approved_on", "disbursed_on") if f in changes and f not in DATES_OF[access.status]]
    if ahead:
        message = _("Tanggal ini diisi saat status berubah, bukan sebelumnya.")
        raise DomainError(errors={field: [message] for field in ahead})


@transaction.atomic
def change_capital_access_status(
    *,
    actor: User,
    capital_access: CapitalAccess | int,
    to: str,
    on: datetime.date | None = None,
    note: str = "",
) -> CapitalAccess:
    """Move an application one step along CAPITAL_TRANSITIONS, dated `on` (default today)."""
    access = _locked(actor, capital_access)
    _step(access, str(to), on)
    if (note or "").strip():
        access.note = "\n".join(line for line in (access.note, note.strip()) if line)
    clean_and_save(access, actor=actor)
    return access


@transaction.atomic
def update_capital_access(*, actor: User, capital_access: CapitalAccess | int, **changes) -> CapitalAccess:
    """Correct an application's fields; a new `status` takes one step of the table, dated
    by the step's own field when given (`approved_on` for approved, `disbursed_on`...)."""
    access = _locked(actor, capital_access)
    only_fields(changes, CAPITAL_FIELDS | {"status"})
    to = changes.pop("status", None) or access.status
    if to != access.status:
        date_field = CAPITAL_TRANSITIONS.get((access.status, to))
        _step(access, str(to), changes.pop(date_field, None) if date_field else None)
    _check_dates(access, changes)
    for field, value in changes.items():
        setattr(access, field, value)
    clean_and_save(access, actor=actor)
    return access
