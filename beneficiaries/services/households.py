"""Registering households and their members, and opening a case for a household."""

import datetime
from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from regions.models import User

from ..models import (
    Case,
    CaseStatus,
    Household,
    MoveState,
    Person,
    Relation,
    StageTransition,
    Target,
)
from .common import (
    clean_and_save,
    ensure_caseworker,
    raise_collected,
    save_as,
    validated,
    village_for,
    visible_or_404,
)
from .groups import end_memberships_in

MEMBER_FIELDS = {
    "nik", "has_no_nik", "full_name", "sex", "birth_date", "relation", "is_female_head", "has_disability",
}  # fmt: skip


def _member(household: Household, actor: User, data: Mapping) -> Person:
    unknown = set(data) - MEMBER_FIELDS
    if unknown:
        raise DomainError(_("Kolom tidak dikenal: %s.") % ", ".join(sorted(unknown)))
    return Person(household=household, created_by=actor, **data)


def _check_members(persons: Sequence[Person]) -> list[DomainError]:
    errors = []
    heads = [p for p in persons if p.relation == Relation.HEAD]
    if persons and len(heads) != 1:
        errors.append(DomainError(_("Tepat satu anggota harus berstatus kepala keluarga."), field="members"))
    seen: set[str] = set()
    for i, person in enumerate(persons):
        nik = (person.nik or "").strip()
        if nik and nik in seen:
            errors.append(
                DomainError(_("NIK ini sama dengan anggota lain di formulir ini."), field=f"members.{i}.nik")
            )
        seen.add(nik)
    return errors


@transaction.atomic
def register_household(
    *,
    actor: User,
    village,
    kk_number: str,
    address: str,
    rt: str,
    rw: str,
    desil: int | None = None,
    members: Sequence[Mapping] = (),
) -> Household:
    """Register a household (one KK) with its members; all of it, or nothing."""
    ensure_caseworker(actor)
    household = Household(
        village=village_for(actor, village),
        kk_number=(kk_number or "").strip(),
        address=address,
        rt=(rt or "").strip(),
        rw=(rw or "").strip(),
        desil=desil,
        created_by=actor,
    )
    household.set_region_codes()
    persons = [_member(household, actor, data) for data in members]
    errors = validated(household, actor=actor)
    for i, person in enumerate(persons):
        errors += validated(person, actor=actor, prefix=f"members.{i}.", exclude=["household"])
    errors += _check_members(persons)
    raise_collected(errors)
    save_as(household, actor)
    for person in persons:
        person.household = household
        save_as(person, actor)
    return household


@transaction.atomic
def add_member(*, actor: User, household: Household, **data) -> Person:
    ensure_caseworker(actor)
    household = visible_or_404(Household, household, actor, lock=True)
    person = _member(household, actor, data)
    clean_and_save(person, actor=actor)
    return person


HOUSEHOLD_FIELDS = frozenset({"kk_number", "village", "address", "rt", "rw", "desil"})


@transaction.atomic
def update_household(*, actor: User, household: Household | int, **changes) -> Household:
    """Correct a household's KK, address or desil, or move it to another village."""
    ensure_caseworker(actor)
    household = visible_or_404(Household, household, actor, lock=True)
    unknown = set(changes) - HOUSEHOLD_FIELDS
    if unknown:
        raise DomainError(_("Kolom tidak dikenal: %s.") % ", ".join(sorted(unknown)))
    old_village = household.village_id
    if "village" in changes:
        changes["village"] = village_for(actor, changes["village"])
    for field, value in changes.items():
        if field in {"kk_number", "rt", "rw"} and isinstance(value, str):
            value = value.strip()
        setattr(household, field, value)
    household.set_region_codes()
    clean_and_save(household, actor=actor)
    if household.village_id != old_village:
        _follow_to_village(actor, household, old_village)
    return household


def _follow_to_village(actor: User, household: Household, old_village: str) -> None:
    """The open case and its pending proposal go with the household, so the new village
    sees them and the new district decides; its groups in the old village end. Aid and
    decided moves stay where they happened."""
    cases = (
        Case.objects.visible_to(actor)
        .select_for_update()
        .filter(household=household, status=CaseStatus.ACTIVE)
    )
    for case in cases:
        _relocate(case, household.village_id, actor)
        for move in case.moves.select_for_update().filter(state=MoveState.PENDING):
            _relocate(move, household.village_id, actor)
    end_memberships_in(actor=actor, household=household, village_code=old_village)


def _relocate(row: Case | StageTransition, village_code: str, actor: User) -> None:
    row.village_id = village_code
    row.set_region_codes()
    save_as(row, actor)


@transaction.atomic
def update_person(*, actor: User, person: Person, **changes) -> Person:
    ensure_caseworker(actor)
    person = visible_or_404(Person, person, actor, lock=True)
    unknown = set(changes) - MEMBER_FIELDS
    if unknown:
        raise DomainError(_("Kolom tidak dikenal: %s.") % ", ".join(sorted(unknown)))
    for field, value in changes.items():
        setattr(person, field, value)
    clean_and_save(person, actor=actor)
    return person


@transaction.atomic
def open_case(*, actor: User, household: Household, opened_on: datetime.date | None = None, program=None) -> Case:
    """Enrol a household: a new case at stage 1, with its entry recorded as the first move."""
    ensure_caseworker(actor)
    household = visible_or_404(Household, household, actor, lock=True)
    opened_on = opened_on or timezone.localdate()  # a future date is refused by Case.clean
    open_case = household.cases.filter(status=CaseStatus.ACTIVE).first()
    if open_case:
        raise DomainError(
            _("Rumah tangga ini sudah punya kasus aktif (#%(id)s).") % {"id": open_case.pk},
            field="household",
            code=DomainError.CONFLICT,
        )
    if not household.members.exists():
        raise DomainError(_("Daftarkan anggota keluarga sebelum membuka kasus."), field="household")
    case = Case(
        household=household,
        village_id=household.village_id,
        program=program,
        opened_on=opened_on,
        opened_by=actor,
    )
    clean_and_save(case, actor=actor)
    now = timezone.now()
    entry = StageTransition(
        case=case,
        village_id=case.village_id,
        kind=StageTransition.Kind.ENTRY,
        to=Target.STAGE_1,
        state=MoveState.APPLIED,
        proposed_by=actor,
        proposed_at=now,
        decided_by=actor,
        decided_at=now,
    )
    save_as(entry, actor)
    return case
