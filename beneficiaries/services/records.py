"""Assistance delivered, groups and enterprises, capital access, and partner activities.

Record-level rules (dates, amounts, who may receive) live in each model's clean(), so the
admin's forms and these services enforce the same ones; here: region, role and locking.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.errors import DomainError
from programs.models import Partner, Program
from regions.models import Role, User

from ..models import (
    Activity,
    Assistance,
    Attendance,
    CapitalAccess,
    Case,
    Enterprise,
    Group,
    GroupMembership,
    Household,
    Person,
)
from ..models.activities import attendance_written
from .common import clean_and_save, ensure_case_open, ensure_caseworker, village_for, visible_or_404
from .groups import leave_group, only_fields


def _partner(actor: User, partner) -> Partner | None:
    if partner is None:
        return None
    found = Partner.objects.visible_to(actor).filter(pk=getattr(partner, "pk", partner)).first()
    if found is None:
        raise DomainError(_("Mitra tidak ditemukan di wilayah kerja Anda."), field="partner")
    return found


@transaction.atomic
def record_assistance(
    *,
    actor: User,
    case: Case,
    kind: str,
    program: Program,
    delivered_on: datetime.date,
    amount: int = 0,
    partner: Partner | None = None,
    recipient: Person | None = None,
    quantity=None,
    unit: str = "",
    note: str = "",
    idempotency_key: str | None = None,
) -> Assistance:
    """Record aid delivered to an open case (the case row is locked against a closing move).

    With an `idempotency_key` (one per page form, or the API's `Idempotency-Key`), the same
    submission sent again (a double tap, a retry after a timeout) returns the aid written
    the first time, marked `replayed`, instead of writing it twice. The case lock orders
    two at once; the unique key in the database stops any that get past it."""
    ensure_caseworker(actor)
    key = _idempotency_key(idempotency_key)
    case = visible_or_404(Case, case, actor, lock=True)
    if key is not None:
        first = Assistance.objects.filter(recorded_by=actor, idempotency_key=key).first()
        if first is not None:
            return _replay(
                first, case=case, kind=kind, program=program, delivered_on=delivered_on, amount=amount
            )
    ensure_case_open(case, field="case")
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise DomainError(_("Nilai harus rupiah bulat tanpa desimal."), field="amount")
    if recipient is not None:  # as stored now (who left, and when), and only a visible one
        pk = recipient.pk if isinstance(recipient, Person) else recipient
        recipient = Person.objects.visible_to(actor).filter(pk=pk).first()
        if recipient is None:
            raise DomainError(_("Penerima tidak ditemukan."), field="recipient")
    assistance = Assistance(
        case=case,
        village_id=case.village_id,
        kind=kind,
        program=program,
        partner=_partner(actor, partner),
        recipient=recipient,
        delivered_on=delivered_on,
        amount=amount,
        quantity=quantity,
        unit=unit or "",
        note=note or "",
        recorded_by=actor,
        idempotency_key=key,
    )
    try:
        clean_and_save(assistance, actor=actor)
    except DomainError as error:
        if key is not None and error.code == DomainError.CONFLICT and error.field == NON_FIELD_ERRORS:
            raise DomainError(
                str(DUPLICATE_SUBMISSION), field="idempotency_key", code=DomainError.CONFLICT
            ) from None
        raise
    assistance.replayed = False  # type: ignore[attr-defined]
    return assistance


DUPLICATE_SUBMISSION = _lazy(
    "Bantuan ini sudah terkirim dan tercatat sekali; kiriman yang sama tidak dicatat dua kali."
)


def _idempotency_key(value) -> str | None:
    key = str(value or "").strip()
    if not key:
        return None
    if len(key) > 64 or not key.isprintable() or not key.isascii():
        raise DomainError(
            _("Kunci pengiriman paling banyak 64 karakter ASCII yang terlihat."), field="idempotency_key"
        )
    return key


def _replay(first: Assistance, *, case, kind, program, delivered_on, amount) -> Assistance:
    """The same key again: the same aid is the first answer; other aid under a used key is
    a client's mistake, refused rather than guessed at."""
    sent = (case.pk, str(kind), getattr(program, "pk", program), delivered_on, amount)
    stored = (first.case_id, first.kind, first.program_id, first.delivered_on, first.amount)
    if sent != stored:
        raise DomainError(
            _("Kunci pengiriman ini sudah dipakai untuk bantuan lain. Kirim bantuan baru dengan kunci baru."),
            field="idempotency_key",
            code=DomainError.CONFLICT,
        )
    first.replayed = True  # type: ignore[attr-defined]
    return first


@transaction.atomic
def create_group(*, actor: User, village, name: str, sector: str, formed_on: datetime.date) -> Group:
    ensure_caseworker(actor)
    group = Group(
        village=village_for(actor, village), name=(name or "").strip(), sector=sector, formed_on=formed_on
    )
    group.set_region_codes()
    clean_and_save(group, actor=actor)
    return group


@transaction.atomic
def add_group_member(
    *, actor, group: Group, household: Household, joined_on: datetime.date | None = None
) -> GroupMembership:
    ensure_caseworker(actor)
    group = visible_or_404(Group, group, actor, lock=True)
    household = visible_or_404(Household, household, actor)
    membership = GroupMembership(
        group=group, household=household, joined_on=joined_on or timezone.localdate()
    )
    clean_and_save(membership, actor=actor)
    return membership


@transaction.atomic
def remove_group_member(*, actor: User, group: Group, household: Household) -> None:
    ensure_caseworker(actor)
    group = visible_or_404(Group, group, actor, lock=True)
    membership = (
        GroupMembership.objects.select_for_update()
        .filter(group=group, household=getattr(household, "pk", household))
        .first()
    )
    if membership is None:
        raise DomainError(_("Rumah tangga ini bukan anggota kelompok."), field="household")
    leave_group(membership, actor)


@transaction.atomic
def create_enterprise(
    *,
    actor: User,
    village,
    name: str,
    legal_form: str,
    founded_on: datetime.date,
    nib: str = "",
    groups: Iterable[Group] = (),
) -> Enterprise:
    ensure_caseworker(actor)
    enterprise = Enterprise(
        village=village_for(actor, village),
        name=(name or "").strip(),
        legal_form=legal_form,
        founded_on=founded_on,
        nib=(nib or "").strip(),
    )
    enterprise.set_region_codes()
    clean_and_save(enterprise, actor=actor)
    for group in groups:
        attach_group(actor=actor, group=group, enterprise=enterprise)
    return enterprise


@transaction.atomic
def attach_group(*, actor: User, group: Group, enterprise: Enterprise | None) -> Group:
    """Integrate a group into an enterprise (or detach it with None)."""
    ensure_caseworker(actor)
    group = visible_or_404(Group, group, actor, lock=True)
    group.enterprise = visible_or_404(Enterprise, enterprise, actor) if enterprise is not None else None
    clean_and_save(group, actor=actor)
    return group


@transaction.atomic
def record_capital_access(
    *,
    actor: User,
    enterprise: Enterprise,
    source: str,
    amount: int,
    applied_on: datetime.date,
    status: str = CapitalAccess.Status.APPLIED,
    approved_on=None,
    disbursed_on=None,
    note: str = "",
) -> CapitalAccess:
    ensure_caseworker(actor)
    enterprise = visible_or_404(Enterprise, enterprise, actor)
    access = CapitalAccess(
        enterprise=enterprise,
        village_id=enterprise.village_id,
        source=source,
        amount=amount,
        status=status,
        applied_on=applied_on,
        approved_on=approved_on,
        disbursed_on=disbursed_on,
        note=note or "",
    )
    clean_and_save(access, actor=actor)
    return access


@transaction.atomic
def record_activity(
    *,
    actor: User,
    partner: Partner,
    village,
    topic: str,
    title: str,
    held_on: datetime.date,
    attendees: Iterable[Person] = (),
    program: Program | None = None,
    note: str = "",
) -> Activity:
    """A partner's education session in a village, with the persons who attended."""
    _ensure_records_activities(actor)
    activity = Activity(
        partner=_partner(actor, partner),
        program=program,
        village=village_for(actor, village),
        topic=topic,
        title=(title or "").strip(),
        held_on=held_on,
        note=note or "",
        recorded_by=actor,
    )
    activity.set_region_codes()
    clean_and_save(activity, actor=actor)
    set_attendance(actor=actor, activity=activity, persons=attendees)
    return activity


def _ensure_records_activities(actor: User) -> None:
    if not actor.is_superuser and actor.role not in set(Role.values):
        raise DomainError(_("Peran Anda tidak dapat mencatat kegiatan."), code=DomainError.FORBIDDEN)


ACTIVITY_FIELDS = frozenset({"topic", "title", "held_on", "note", "program"})


@transaction.atomic
def update_activity(
    *, actor: User, activity: Activity | int, attendees: Iterable[Person] | None = None, **changes
) -> Activity:
    """Correct an activity (not its partner or village); `attendees` replaces its attendance."""
    activity = visible_or_404(Activity, activity, actor, lock=True)
    _ensure_records_activities(actor)
    only_fields(changes, ACTIVITY_FIELDS)
    if changes.get("program") is not None:
        changes["program"] = _program(changes["program"])
    for field, value in changes.items():
        setattr(activity, field, value.strip() if field == "title" and isinstance(value, str) else value)
    clean_and_save(activity, actor=actor)
    if attendees is not None:
        set_attendance(actor=actor, activity=activity, persons=attendees)
    return activity


def _program(program) -> Program:
    found = Program.objects.filter(pk=getattr(program, "pk", program)).first()
    if found is None:
        raise DomainError(_("Program tidak ditemukan."), field="program")
    return found


@transaction.atomic
def set_attendance(*, actor: User, activity: Activity | int, persons: Iterable[Person | int]) -> int:
    """Replace the attendance of an activity; every person must live in its village."""
    activity = visible_or_404(Activity, activity, actor, lock=True)
    ids: set[int] = {p.pk if isinstance(p, Person) else int(p) for p in persons}
    # Residents of the village on the day: who left the household before it did not attend.
    on_the_day = Q(left_on__isnull=True) | Q(left_on__gte=activity.held_on)
    found = set(
        Person.objects.filter(on_the_day, pk__in=ids, household__village_id=activity.village_id).values_list(
            "pk", flat=True
        )
    )
    if ids - found:
        raise DomainError(
            _("Peserta harus warga desa tempat kegiatan pada hari kegiatan."), field="attendees"
        )
    # Who attended and has since moved away still attended: only residents are replaced.
    activity.attendance.filter(person__household__village_id=activity.village_id).exclude(
        person_id__in=ids
    ).delete()
    existing = set(activity.attendance.values_list("person_id", flat=True))
    Attendance.objects.bulk_create([Attendance(activity=activity, person_id=pk) for pk in ids - existing])
    attendance_written.send(sender=Attendance, activity=activity, person_ids=ids - existing)
    return len(ids)
