"""Writing a batch of valid households, their members and the history rows of both, in the
caller's transaction, attributed to the importing user with the import named as the reason.

Two ways, one result:

- `write_with_copy` (PostgreSQL): ids for the batch from each table's sequence in one
  `nextval` query, then the four tables with `COPY ... FROM STDIN` on Django's own
  connection (psycopg 3). A row goes in as the values `bulk_create_with_history` would
  write: every concrete field, its default where the file says nothing, `history_type '+'`.
- `write_with_bulk_create` (any other database): `bulk_create_with_history`, the
  simple-history helper itself.

tests/beneficiaries/test_import_copy.py proves on PostgreSQL that both write the same rows.
"""

import datetime
import operator
from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Model
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from regions.models import User

from ..models import Household, Person
from .rows import Group, HouseholdData, PersonData


def write(groups: Sequence[Group], *, actor: User, reason: str, raw=None) -> tuple[int, int]:
    """(households, persons) written. `raw`: the psycopg connection under Django's, for a
    caller writing from a thread of its own (`engine.Writer`) inside Django's transaction."""
    if raw is not None or connection.vendor == "postgresql":
        return write_with_copy(groups, actor=actor, reason=reason, raw=raw)
    return write_with_bulk_create(groups, actor=actor, reason=reason)


def household_values(data: HouseholdData, *, actor: User) -> dict:
    return {"kk_number": data.kk_number, "address": data.address, "rt": data.rt, "rw": data.rw,
            "desil": data.desil, "village_id": data.village_id, "district_id": data.district_id,
            "regency_id": data.regency_id, "created_by_id": actor.pk}  # fmt: skip


def person_values(data: PersonData, *, household_id: int | None, actor: User) -> dict:
    return {"household_id": household_id, "nik": data.nik, "has_no_nik": data.nik is None,
            "full_name": data.full_name, "sex": data.sex, "birth_date": data.birth_date,
            "relation": data.relation, "is_female_head": data.is_female_head,
            "nik_outside_banten": data.nik_outside_banten, "created_by_id": actor.pk}  # fmt: skip


# ---------------------------------------------------------------- any database


def write_with_bulk_create(groups: Sequence[Group], *, actor: User, reason: str, raw=None) -> tuple[int, int]:
    households = [Household(**household_values(_household(g), actor=actor)) for g in groups]
    bulk_create_with_history(households, Household, default_user=actor, default_change_reason=reason)
    persons = [
        Person(**person_values(_person(row), household_id=home.pk, actor=actor))
        for group, home in zip(groups, households, strict=True)
        for row in group.rows
    ]
    bulk_create_with_history(persons, Person, default_user=actor, default_change_reason=reason)
    return len(households), len(persons)


# ---------------------------------------------------------------- PostgreSQL


class Table:
    """A model's table as COPY sees it: every concrete column, in order, with the defaults
    of the columns the import does not fill (a historical table's history_id is left to its
    identity default)."""

    def __init__(self, model: type[Model]) -> None:
        fields = [f for f in model._meta.concrete_fields if f.attname != "history_id"]
        self.name = model._meta.db_table
        self.attnames = [f.attname for f in fields]
        self.columns = [str(f.column) for f in fields]
        self.defaults = {f.attname: None if f.primary_key else f.get_default() for f in fields}

    def copy(self, cursor, rows: Iterable[dict]) -> None:
        quote = connection.ops.quote_name
        sql = f"COPY {quote(self.name)} ({', '.join(quote(c) for c in self.columns)}) FROM STDIN"
        defaults, ordered = self.defaults, operator.itemgetter(*self.attnames)
        with cursor.copy(sql) as copy:
            for values in rows:
                copy.write_row(ordered({**defaults, **values}))


_tables: dict[str, Table] = {}


def _table(model: type[Model]) -> Table:
    key = model._meta.label
    if key not in _tables:
        _tables[key] = Table(model)
    return _tables[key]


def _ids(cursor, model: type[Model], count: int) -> list[int]:
    """`count` ids from the table's own sequence, in one query."""
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [model._meta.db_table, model._meta.pk.column, count],
    )
    return [row[0] for row in cursor.fetchall()]


def _history(values: dict, *, when: datetime.datetime, actor: User, reason: str) -> dict:
    return {**values, "history_date": when, "history_user_id": actor.pk, "history_change_reason": reason,
            "history_type": "+"}  # fmt: skip


def write_with_copy(groups: Sequence[Group], *, actor: User, reason: str, raw=None) -> tuple[int, int]:
    now = timezone.now()
    stamps = {"created_at": now, "updated_at": now}
    if raw is None:
        connection.ensure_connection()
        raw = connection.connection
    with raw.cursor() as cursor:  # psycopg's own cursor: Django's wrapper has no copy()
        household_ids = _ids(cursor, Household, len(groups))
        homes = [
            {"id": pk, **stamps, **household_values(_household(g), actor=actor)}
            for g, pk in zip(groups, household_ids, strict=True)
        ]
        _table(Household).copy(cursor, homes)
        people = [(row, home["id"]) for group, home in zip(groups, homes, strict=True) for row in group.rows]
        person_ids = _ids(cursor, Person, len(people))
        persons = [
            {"id": pk, **stamps, **person_values(_person(row), household_id=home_id, actor=actor)}
            for (row, home_id), pk in zip(people, person_ids, strict=True)
        ]
        _table(Person).copy(cursor, persons)
        _table(Household.history.model).copy(
            cursor, (_history(h, when=now, actor=actor, reason=reason) for h in homes)
        )
        _table(Person.history.model).copy(
            cursor, (_history(p, when=now, actor=actor, reason=reason) for p in persons)
        )
    return len(homes), len(persons)


def _household(group: Group) -> HouseholdData:
    assert group.household is not None  # a valid group has its household built
    return group.household


def _person(row) -> PersonData:
    assert row.person is not None  # a valid row has its person built
    return row.person
