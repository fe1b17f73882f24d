"""A household's record over time, read from its history tables (simple-history): what
changed on the household and on its members, who changed it and when. Three queries
whatever the number of members or changes: the household's history, its members'
history, and the names of villages it moved between."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _

from core.formatting import long_date
from regions.models import User, Village

from .models import Household, Person, Relation, Sex
from .models.people import REGISTERED_WITH_HOUSEHOLD, LeftReason

HOUSEHOLD_FIELDS = ("kk_number", "village_id", "address", "rt", "rw", "desil")
PERSON_FIELDS = ("full_name", "nik", "has_no_nik", "sex", "birth_date", "relation", "is_female_head",
                 "has_disability", "left_on", "left_reason", "left_note")  # fmt: skip
CHOICES = {
    "sex": dict(Sex.choices),
    "relation": dict(Relation.choices),
    "left_reason": dict(LeftReason.choices),
}


@dataclass
class RecordEvent:
    when: datetime.datetime
    who: User | None
    text: str
    details: list[str] = field(default_factory=list)


def household_record(household: Household) -> list[RecordEvent]:
    """The household's registration and every later change to it and its members, oldest
    first. The caller has found `household` through `visible_to`. No NIK or KK digits."""
    rows = list(
        Household.history.filter(id=household.pk).select_related("history_user").order_by("history_date")
    )
    people = list(
        Person.history.filter(household_id=household.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    villages = _village_names({r.village_id for r in rows})
    registered = sum(
        1 for p in people if p.history_type == "+" and p.history_change_reason == REGISTERED_WITH_HOUSEHOLD
    )
    events = _household_events(rows, villages, registered) + _person_events(people)
    return sorted(events, key=lambda e: e.when)


def _village_names(codes: set[str]) -> dict[str, str]:
    return {v.code: str(v) for v in Village.objects.filter(code__in=codes)} if len(codes) > 1 else {}


def _household_events(rows: list, villages: dict[str, str], registered: int) -> list[RecordEvent]:
    events, before = [], None
    for row in rows:
        if row.history_type == "+":
            text = _("Rumah tangga didaftarkan dengan %(n)d anggota") % {"n": registered}
            events.append(RecordEvent(row.history_date, row.history_user, text))
        elif row.history_type == "~" and before is not None:
            details = [
                _household_change(name, old, new, villages)
                for name, old, new in _changes(before, row, HOUSEHOLD_FIELDS)
            ]
            if details:
                events.append(
                    RecordEvent(row.history_date, row.history_user, _("Data rumah tangga diubah"), details)
                )
        before = row
    return events


def _household_change(name: str, old: Any, new: Any, villages: dict[str, str]) -> str:
    if name == "kk_number":
        return _("Nomor KK dikoreksi")
    if name == "village_id":
        return _("Pindah: %(old)s → %(new)s") % {"old": villages.get(old, old), "new": villages.get(new, new)}
    label = _label(Household, name)
    if name == "desil":
        old, new = (v if v is not None else _("belum diketahui") for v in (old, new))
    return f"{label}: {old} → {new}"


def _person_events(rows: list) -> list[RecordEvent]:
    events: list[RecordEvent] = []
    before: dict[int, Any] = {}
    for row in rows:
        previous = before.get(row.id)
        before[row.id] = row
        if row.history_type == "+":
            if row.history_change_reason != REGISTERED_WITH_HOUSEHOLD:
                text = _("Anggota ditambahkan: %(name)s (%(relation)s)") % {
                    "name": row.full_name,
                    "relation": CHOICES["relation"].get(row.relation, row.relation),
                }
                events.append(RecordEvent(row.history_date, row.history_user, text))
            continue
        if row.history_type != "~" or previous is None:
            continue
        event = _person_change(row, list(_changes(previous, row, PERSON_FIELDS)))
        if event is not None:
            events.append(event)
    return events


def _person_change(row, changes: list[tuple[str, Any, Any]]) -> RecordEvent | None:
    names = {name for name, _old, _new in changes}
    if not names:
        return None
    if "left_on" in names and row.left_on is not None:
        text = _("%(name)s keluar dari rumah tangga: %(reason)s, %(date)s") % {
            "name": row.full_name,
            "reason": CHOICES["left_reason"].get(row.left_reason, row.left_reason),
            "date": long_date(row.left_on),
        }
        return RecordEvent(row.history_date, row.history_user, text, [row.left_note] if row.left_note else [])
    if "relation" in names and row.relation == Relation.HEAD:
        text = _("%(name)s menjadi kepala keluarga") % {"name": row.full_name}
        return RecordEvent(row.history_date, row.history_user, text)
    if "relation" in names and _previous_relation(changes) == Relation.HEAD:
        text = _("%(name)s tidak lagi kepala keluarga, kini %(relation)s") % {
            "name": row.full_name,
            "relation": CHOICES["relation"].get(row.relation, row.relation),
        }
        return RecordEvent(row.history_date, row.history_user, text)
    details = [_person_detail(name, old, new) for name, old, new in changes]
    text = _("Data anggota %(name)s dikoreksi") % {"name": row.full_name}
    return RecordEvent(row.history_date, row.history_user, text, [d for d in details if d])


def _previous_relation(changes: list[tuple[str, Any, Any]]) -> str | None:
    return next((old for name, old, _new in changes if name == "relation"), None)


def _person_detail(name: str, old: Any, new: Any) -> str:
    if name == "nik":
        return _("NIK dikoreksi")
    if name in ("has_no_nik", "left_reason", "left_note", "left_on"):
        return ""  # said with the NIK or the leaving itself
    if name in CHOICES:
        old, new = CHOICES[name].get(old, old), CHOICES[name].get(new, new)
    elif isinstance(new, datetime.date) or isinstance(old, datetime.date):
        old, new = long_date(old), long_date(new)
    elif isinstance(new, bool):
        old, new = (_("ya") if v else _("tidak") for v in (old, new))
    return f"{_label(Person, name)}: {old} → {new}"


def _changes(before, after, fields: tuple[str, ...]):
    for name in fields:
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            yield name, old, new


def _label(model: type[Model], name: str) -> str:
    label = str(getattr(model._meta.get_field(name), "verbose_name", name))
    return label[:1].upper() + label[1:]  # "Desil P3KE", not "Desil p3ke"
