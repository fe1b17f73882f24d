"""Registering households and their members, keeping the record right over time (members
added, corrected, leaving; the head changing), and opening a case for a household."""

import datetime
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.errors import DomainError
from regions.models import User

from ..models import (
    Case,
    CaseStatus,
    Household,
    MoveState,
    Person,
    Relation,
    Sex,
    StageTransition,
    Target,
)
from ..models.people import REGISTERED_WITH_HOUSEHOLD
from .common import (
    already_registered,
    clean_and_save,
    ensure_caseworker,
    ensure_fresh,
    ensure_identity_lookup_allowed,
    raise_collected,
    save_as,
    unique_conflict,
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
    """A household is registered with its head (a KK without one could never open a case)
    and exactly one head."""
    errors = []
    heads = [p for p in persons if p.relation == Relation.HEAD]
    if not persons:
        errors.append(
            DomainError(_("Daftarkan minimal kepala keluarga bersama kartu keluarganya."), field="members")
        )
    elif len(heads) != 1:
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


# Rows checked by the code that builds them (the village by `village_for`, its district
# and regency derived from its code, the acting user, the household being created), so
# registration does not ask the database whether they exist, one query per key per row.
KNOWN_HOUSEHOLD_KEYS = ["village", "district", "regency", "created_by"]
KNOWN_PERSON_KEYS = ["household", "created_by"]


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
    """Register a household (one KK) with its members; all of it, or nothing. A fixed
    number of queries whatever the number of members: the KK and every NIK are checked
    for duplicates in one query each, the members and their history written in bulk."""
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
    raise_collected(_registration_errors(actor, household, persons))
    save_as(household, actor)
    for person in persons:
        person.household = household
        person.normalize()
    try:
        bulk_create_with_history(
            persons, Person, default_user=actor, default_change_reason=REGISTERED_WITH_HOUSEHOLD
        )  # the timeline folds these rows into the household's registration
    except IntegrityError as error:  # a NIK raced in by another registration since the check
        index = next((n for n, person in enumerate(persons) if person.nik and person.nik in str(error)), 0)
        raise unique_conflict(persons[index], error, actor=actor, prefix=f"members.{index}.") from None
    return household


def _registration_errors(actor: User, household: Household, persons: Sequence[Person]) -> list[DomainError]:
    """Every rule of the model and the form, the database's uniqueness of KK and NIK asked
    once for all (under the duplicate limiter), the one-head rule of `_check_members`."""
    for row in (household, *persons):  # a new KK or NIK: refused unasked past the limit
        ensure_identity_lookup_allowed(row, actor)
    errors = _clean(household, exclude=KNOWN_HOUSEHOLD_KEYS)
    for i, person in enumerate(persons):
        errors += _clean(person, prefix=f"members.{i}.", exclude=KNOWN_PERSON_KEYS)
    errors += _check_members(persons)
    failed = {field for error in errors for field in error.errors}
    if "kk_number" not in failed:
        errors += already_registered(actor, Household, "kk_number", {"kk_number": household.kk_number})
    niks = {f"members.{i}.nik": p.nik for i, p in enumerate(persons) if f"members.{i}.nik" not in failed}
    errors += already_registered(actor, Person, "nik", niks)  # type: ignore[arg-type]  # None skipped
    return errors


def _clean(obj: Household | Person, *, exclude: list[str], prefix: str = "") -> list[DomainError]:
    """The model's field rules and `clean()`. Uniqueness is asked in bulk by the caller;
    the check constraints repeat the field rules and `clean()` (the database still
    enforces them), so they are not asked one savepoint each."""
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return [DomainError.from_validation_error(error, prefix=prefix)]
    return []


@transaction.atomic
def add_member(*, actor: User, household: Household | int, **data) -> Person:
    """A birth or a marriage in: one more member of the household now. A second head is
    refused (the head changes through `change_head`); a household registered before the
    head was required gets its head here."""
    ensure_caseworker(actor)
    household = visible_or_404(Household, household, actor, lock=True)
    ensure_caseworker(actor, household.village_id)
    person = _member(household, actor, data)
    has_head = Person.objects.current().filter(household=household, relation=Relation.HEAD).exists()
    if person.relation == Relation.HEAD and has_head:
        raise DomainError(
            _(
                "Rumah tangga ini sudah punya kepala keluarga. Untuk menggantinya, pakai “Ganti kepala keluarga”."
            ),
            field="relation",
        )
    clean_and_save(person, actor=actor)
    return person


HOUSEHOLD_FIELDS = frozenset({"kk_number", "village", "address", "rt", "rw", "desil"})


@transaction.atomic
def update_household(
    *, actor: User, household: Household | int, expected_version: int | None = None, **changes
) -> Household:
    """Correct a household's KK, address or desil, or move it to another village; refused
    when the household changed since `expected_version` was read."""
    ensure_caseworker(actor)
    household = visible_or_404(Household, household, actor, lock=True)
    ensure_fresh(household, expected_version)
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
def update_person(
    *, actor: User, person: Person | int, expected_version: int | None = None, **changes
) -> Person:
    """Correct a member's name, NIK, sex, birth date (the same checks as registration) or
    relation; refused when the person changed since `expected_version` was read. Who heads
    the household changes only through `change_head`."""
    ensure_caseworker(actor)
    person = visible_or_404(Person, person, actor, lock=True)
    ensure_fresh(person, expected_version)
    unknown = set(changes) - MEMBER_FIELDS
    if unknown:
        raise DomainError(_("Kolom tidak dikenal: %s.") % ", ".join(sorted(unknown)))
    relation = changes.get("relation", person.relation)
    if relation != person.relation and Relation.HEAD in (relation, person.relation):
        raise DomainError(
            _("Kepala keluarga diganti lewat “Ganti kepala keluarga”, agar selalu ada tepat satu."),
            field="relation",
        )
    for field, value in changes.items():
        setattr(person, field, value)
    clean_and_save(person, actor=actor)
    return person


def _current_member(actor: User, household: Household, person: Person | int, *, field: str) -> Person:
    person = visible_or_404(Person, person, actor, lock=True)
    if person.household_id != household.pk or person.left_on is not None:
        raise DomainError(_("Orang ini bukan anggota rumah tangga ini sekarang."), field=field)
    return person


@transaction.atomic
def record_member_left(
    *,
    actor: User,
    person: Person | int,
    on: datetime.date,
    reason: str,
    note: str = "",
) -> Person:
    """A member died, moved out or married out: they stay on record (history, aid,
    attendance) with the date and reason, and are out of the current household. The head
    cannot leave before another member heads the household (`change_head`)."""
    found = visible_or_404(Person, person, actor)
    household = visible_or_404(Household, found.household_id, actor, lock=True)
    ensure_caseworker(actor, household.village_id)
    person = _current_member(actor, household, found, field="person")
    if person.relation == Relation.HEAD:
        raise DomainError(
            _(
                "Kepala keluarga tidak dapat dicatat keluar. Ganti kepala keluarga dulu, lalu catat ia keluar."
            ),
            field="person",
        )
    person.left_on, person.left_reason, person.left_note = on, reason or "", (note or "").strip()
    clean_and_save(person, actor=actor)
    return person


@transaction.atomic
def change_head(
    *,
    actor: User,
    household: Household | int,
    new_head: Person | int,
    old_head_relation: str = Relation.OTHER,
) -> Person:
    """Make another current member the head; the former head becomes `old_head_relation`
    (a spouse, a child or other family). The household is locked, so two changes at once
    cannot leave it with two heads or none (the database refuses two as well)."""
    household = visible_or_404(Household, household, actor, lock=True)
    ensure_caseworker(actor, household.village_id)
    person = _current_member(actor, household, new_head, field="new_head")
    if person.relation == Relation.HEAD:
        raise DomainError(_("Orang ini sudah kepala keluarga."), field="new_head")
    if old_head_relation not in Relation.values or old_head_relation == Relation.HEAD:
        raise DomainError(
            _("Pilih hubungan kepala keluarga lama dengan yang baru."), field="old_head_relation"
        )
    old = (
        Person.objects.current()
        .select_for_update()
        .filter(household=household, relation=Relation.HEAD)
        .first()
    )
    if old is not None:
        old.relation, old.is_female_head = old_head_relation, False
        clean_and_save(old, actor=actor)
    # A woman who heads her household is a female head (perempuan kepala keluarga).
    person.relation, person.is_female_head = Relation.HEAD, person.sex == Sex.FEMALE
    clean_and_save(person, actor=actor)
    return person


@transaction.atomic
def open_case(
    *, actor: User, household: Household, opened_on: datetime.date | None = None, program=None
) -> Case:
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
    if not Person.objects.current().filter(household=household, relation=Relation.HEAD).exists():
        raise DomainError(_("Daftarkan kepala keluarga sebelum membuka kasus."), field="household")
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
