"""Businesses, their follow-ups, capital help and the women's programme: every write here.

A follow-up keeps the business row's `last_status` and `next_due_*` current (the attention
list and the stage guard read those). Capital help moves along CAPITAL_HELP_TRANSITIONS,
like the moves of a case: anything not in the table is refused.
"""

import datetime
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from programs.models import Partner, Program
from regions import policy
from regions.models import User

from ..models import (
    Business,
    BusinessFollowUp,
    BusinessStatus,
    CapitalHelp,
    FollowUpKind,
    Group,
    Person,
    Relation,
    Sex,
    WomenEnrolment,
)
from ..models.business import KIND_MONTHS
from .common import clean_and_save, ensure_fresh, visible_or_404
from .groups import only_fields

Status = CapitalHelp.Status

# (from, to) -> the date the step sets. Anything else is refused; disbursed and refused are final.
CAPITAL_HELP_TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.APPLIED, Status.APPROVED): "approved_on",
    (Status.APPLIED, Status.REFUSED): "refused_on",
    (Status.APPROVED, Status.DISBURSED): "disbursed_on",
    (Status.APPROVED, Status.REFUSED): "refused_on",
}
BUSINESS_FIELDS = frozenset(
    {"name", "sector", "started_on", "sells_at_market", "sells_in_shop", "sells_online", "nib"}
)
CAPITAL_HELP_FIELDS = frozenset({"scheme", "amount", "partner", "applied_on", "note"})


def _partner(actor: User, partner) -> Partner | None:
    if partner in (None, ""):
        return None
    found = Partner.objects.visible_to(actor).filter(pk=getattr(partner, "pk", partner)).first()
    if found is None:
        raise DomainError(_("Mitra tidak ditemukan di wilayah kerja Anda."), field="partner")
    return found


def _owner(actor: User, owner_person, owner_group) -> tuple[Person | None, Group | None]:
    if (owner_person is None) == (owner_group is None):
        raise DomainError(_("Pilih satu pemilik: perorangan atau kelompok."), field="owner_person")
    if owner_person is not None:
        return visible_or_404(Person, owner_person, actor), None
    return None, visible_or_404(Group, owner_group, actor)


def schedule_next(business: Business) -> None:
    """Set the next scheduled follow-up not yet recorded; none after a stop."""
    business.next_due_kind, business.next_due_on = "", None
    if business.last_status == BusinessStatus.STOPPED:
        return
    done = set(business.followups.values_list("kind", flat=True)) if business.pk else set()
    for kind in KIND_MONTHS:
        if kind not in done:
            business.next_due_kind, business.next_due_on = kind, business.due_on(kind)
            return


@transaction.atomic
def create_business(
    *,
    actor: User,
    name: str,
    sector: str,
    started_on: datetime.date,
    owner_person: Person | int | None = None,
    owner_group: Group | int | None = None,
    sells_at_market: bool = False,
    sells_in_shop: bool = False,
    sells_online: bool = False,
    nib: str = "",
) -> Business:
    """A business of one person or one group, in the owner's village."""
    person, group = _owner(actor, owner_person, owner_group)
    village_id = person.household.village_id if person else group.village_id  # type: ignore[union-attr]
    policy.ensure_may_record_business(actor, village_id)
    business = Business(
        owner_person=person,
        owner_group=group,
        household_id=person.household_id if person else None,
        village_id=village_id,
        name=(name or "").strip(),
        sector=sector,
        started_on=started_on,
        sells_at_market=bool(sells_at_market),
        sells_in_shop=bool(sells_in_shop),
        sells_online=bool(sells_online),
        nib=(nib or "").strip(),
        recorded_by=actor,
    )
    business.set_region_codes()
    if business.started_on:
        schedule_next(business)
    clean_and_save(business, actor=actor)
    return business


@transaction.atomic
def update_business(
    *, actor: User, business: Business | int, expected_version: int | None = None, **changes
) -> Business:
    """Correct a business's own fields (not its owner); the schedule follows a new start."""
    business = visible_or_404(Business, business, actor, lock=True)
    ensure_fresh(business, expected_version)
    policy.ensure_may_record_business(actor, business.village_id)
    only_fields(changes, BUSINESS_FIELDS)
    for field, value in changes.items():
        setattr(business, field, value.strip() if isinstance(value, str) and field != "sector" else value)
    schedule_next(business)
    clean_and_save(business, actor=actor)
    return business


@transaction.atomic
def record_followup(
    *,
    actor: User,
    business: Business | int,
    kind: str,
    visited_on: datetime.date,
    status: str,
    monthly_revenue: int = 0,
    monthly_profit: int | None = None,
    workers: int = 1,
    stop_reason: str = "",
    note: str = "",
) -> BusinessFollowUp:
    """A visit to a business: scheduled (3, 6, 12 months, once each) or ad hoc."""
    business = visible_or_404(Business, business, actor, lock=True)
    policy.ensure_may_record_business(actor, business.village_id)
    if kind not in FollowUpKind.values:
        raise DomainError(_("Jenis kunjungan tidak dikenal."), field="kind")
    if kind != FollowUpKind.AD_HOC and business.followups.filter(kind=kind).exists():
        raise DomainError(
            _("Kunjungan %(kind)s sudah dicatat untuk usaha ini; catat sebagai kunjungan lain.")
            % {"kind": FollowUpKind(kind).label},
            field="kind",
            code=DomainError.CONFLICT,
        )
    followup = BusinessFollowUp(
        business=business,
        village_id=business.village_id,
        kind=kind,
        visited_on=visited_on,
        status=status,
        stop_reason=stop_reason or "",
        monthly_revenue=monthly_revenue if monthly_revenue is not None else 0,
        monthly_profit=monthly_profit,
        workers=workers if workers is not None else 1,
        note=note or "",
        recorded_by=actor,
    )
    followup.set_region_codes()
    clean_and_save(followup, actor=actor)
    if business.last_followup_on is None or visited_on >= business.last_followup_on:
        business.last_status, business.last_followup_on = status, visited_on
        business.last_monthly_revenue = followup.monthly_revenue
    schedule_next(business)
    clean_and_save(business, actor=actor)
    return followup


def _recipient(actor: User, business, person) -> tuple[Business | None, Person | None]:
    if (business is None) == (person is None):
        raise DomainError(_("Pilih satu penerima: usaha atau perorangan."), field="business")
    if business is not None:
        return visible_or_404(Business, business, actor), None
    return None, visible_or_404(Person, person, actor)


@transaction.atomic
def record_capital_help(
    *,
    actor: User,
    scheme: str,
    amount: int,
    applied_on: datetime.date,
    business: Business | int | None = None,
    person: Person | int | None = None,
    partner: Partner | int | None = None,
    note: str = "",
) -> CapitalHelp:
    """An application for capital, to a business or a person; it then moves by the table."""
    found_business, found_person = _recipient(actor, business, person)
    village_id = found_business.village_id if found_business else found_person.household.village_id  # type: ignore[union-attr]
    policy.ensure_may_record_business(actor, village_id)
    help_row = CapitalHelp(
        business=found_business,
        person=found_person,
        village_id=village_id,
        scheme=scheme,
        amount=amount,
        partner=_partner(actor, partner),
        applied_on=applied_on,
        note=note or "",
        recorded_by=actor,
    )
    help_row.set_region_codes()
    clean_and_save(help_row, actor=actor)
    return help_row


def capital_help_targets(help_row: CapitalHelp) -> list[str]:
    """The statuses an application may move to from where it stands."""
    return [to for (origin, to) in CAPITAL_HELP_TRANSITIONS if origin == help_row.status]


def _step(help_row: CapitalHelp, to: str, on: datetime.date | None) -> None:
    if to not in Status.values:
        raise DomainError(_("Status tidak dikenal: %(to)s.") % {"to": to}, field="status")
    date_field = CAPITAL_HELP_TRANSITIONS.get((help_row.status, to))
    if date_field is None:
        raise DomainError(
            _("Status tidak dapat diubah dari %(origin)s ke %(to)s.")
            % {"origin": help_row.get_status_display(), "to": Status(to).label},
            field="status",
            code=DomainError.CONFLICT,
        )
    setattr(help_row, date_field, on or timezone.localdate())
    help_row.status = to


@transaction.atomic
def change_capital_help_status(
    *,
    actor: User,
    capital_help: CapitalHelp | int,
    to: str,
    on: datetime.date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> CapitalHelp:
    """Move capital help one step along CAPITAL_HELP_TRANSITIONS, dated `on` (default today)."""
    help_row = visible_or_404(CapitalHelp, capital_help, actor, lock=True)
    ensure_fresh(help_row, expected_version)
    policy.ensure_may_record_business(actor, help_row.village_id)
    _step(help_row, str(to), on)
    if (note or "").strip():
        help_row.note = "\n".join(line for line in (help_row.note, note.strip()) if line)
    clean_and_save(help_row, actor=actor)
    return help_row


@transaction.atomic
def update_capital_help(
    *, actor: User, capital_help: CapitalHelp | int, expected_version: int | None = None, **changes: object
) -> CapitalHelp:
    """Correct an application's own fields; its status changes only by change_capital_help_status."""
    help_row = visible_or_404(CapitalHelp, capital_help, actor, lock=True)
    ensure_fresh(help_row, expected_version)
    policy.ensure_may_record_business(actor, help_row.village_id)
    only_fields(changes, CAPITAL_HELP_FIELDS)
    _apply(help_row, changes, actor)
    clean_and_save(help_row, actor=actor)
    return help_row


def _apply(help_row: CapitalHelp, changes: Mapping, actor: User) -> None:
    for field, value in changes.items():
        setattr(help_row, field, _partner(actor, value) if field == "partner" else value)


def female_headed(person: Person) -> bool:
    """A household is female-headed when its current head is a woman (derived, never typed)."""
    if person.relation == Relation.HEAD:
        return person.sex == Sex.FEMALE
    return Person.objects.filter(
        household_id=person.household_id, relation=Relation.HEAD, left_on__isnull=True, sex=Sex.FEMALE
    ).exists()


@transaction.atomic
def enrol_woman(
    *,
    actor: User,
    person: Person | int,
    enrolled_on: datetime.date | None = None,
    program: Program | int | None = None,
    note: str = "",
) -> WomenEnrolment:
    """Enrol a woman of the village (the head or the wife in her household) in the programme."""
    found = visible_or_404(Person, person, actor)
    policy.ensure_may_record_business(actor, found.household.village_id)
    if WomenEnrolment.objects.filter(person=found).exists():
        raise DomainError(
            _("Perempuan ini sudah terdaftar dalam program."), field="person", code=DomainError.CONFLICT
        )
    enrolment = WomenEnrolment(
        person=found,
        household_id=found.household_id,
        village_id=found.household.village_id,
        program=_program(program),
        enrolled_on=enrolled_on or timezone.localdate(),
        female_headed=female_headed(found),
        note=note or "",
        recorded_by=actor,
    )
    enrolment.set_region_codes()
    clean_and_save(enrolment, actor=actor)
    return enrolment


def _program(program) -> Program | None:
    if program in (None, ""):
        return None
    found = Program.objects.filter(pk=getattr(program, "pk", program)).first()
    if found is None:
        raise DomainError(_("Program tidak ditemukan."), field="program")
    return found
