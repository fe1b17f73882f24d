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

    def copy(self, cursor, filled: Sequence[str], rows: Iterable[tuple]) -> None:
        """`rows` as tuples of the `filled` fields, in that order: each is completed with the
        defaults and put in the table's order by one tuple concatenation and one itemgetter
        (no dict a row)."""
        quote = connection.ops.quote_name
        sql = f"COPY {quote(self.name)} ({', '.join(quote(c) for c in self.columns)}) FROM STDIN"
        missing = [a for a in self.attnames if a not in filled]
        unknown = set(filled) - set(self.attnames)
        assert not unknown, f"{self.name} has no {unknown}"
        tail = tuple(self.defaults[a] for a in missing)
        position = {a: i for i, a in enumerate(filled)} | {a: len(filled) + i for i, a in enumerate(missing)}
        ordered = operator.itemgetter(*(position[a] for a in self.attnames))
        with cursor.copy(sql) as copy:
            write = copy.write_row
            for values in rows:
                write(ordered(values + tail))


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


# The fields COPY fills, in the order of the tuples below: household_values and
# person_values (the bulk path) name the same ones.
HOUSEHOLD_FIELDS = ("id", "created_at", "updated_at", "kk_number", "address", "rt", "rw", "desil", "village_id",
                    "district_id", "regency_id", "created_by_id")  # fmt: skip
PERSON_FIELDS = ("id", "created_at", "updated_at", "household_id", "nik", "has_no_nik", "full_name", "sex",
                 "birth_date", "relation", "is_female_head", "nik_outside_banten", "created_by_id")  # fmt: skip
HISTORY_FIELDS = ("history_date", "history_user_id", "history_change_reason", "history_type")


def write_with_copy(groups: Sequence[Group], *, actor: User, reason: str, raw=None) -> tuple[int, int]:
    now = timezone.now()
    by = actor.pk
    if raw is None:
        connection.ensure_connection()
        raw = connection.connection
    with raw.cursor() as cursor:  # psycopg's own cursor: Django's wrapper has no copy()
        # The batch's commit does not wait for its WAL to reach the disk: a crash may lose
        # the last batches' commits (never half a batch, nor anything of another session),
        # and importing the file again writes what they held.
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        household_ids = _ids(cursor, Household, len(groups))
        homes = []
        for group, pk in zip(groups, household_ids, strict=True):
            h = _household(group)
            homes.append((pk, now, now, h.kk_number, h.address, h.rt, h.rw, h.desil, h.village_id, h.district_id,
                          h.regency_id, by))  # fmt: skip
        _table(Household).copy(cursor, HOUSEHOLD_FIELDS, homes)
        person_ids = iter(_ids(cursor, Person, sum(len(g.rows) for g in groups)))
        persons = []
        for group, home in zip(groups, household_ids, strict=True):
            for row in group.rows:
                p = _person(row)
                persons.append((next(person_ids), now, now, home, p.nik, p.nik is None, p.full_name, p.sex,
                                p.birth_date, p.relation, p.is_female_head, p.nik_outside_banten, by))  # fmt: skip
        _table(Person).copy(cursor, PERSON_FIELDS, persons)
        history = (now, by, reason, "+")
        _table(Household.history.model).copy(
            cursor, HOUSEHOLD_FIELDS + HISTORY_FIELDS, (h + history for h in homes)
        )
        _table(Person.history.model).copy(
            cursor, PERSON_FIELDS + HISTORY_FIELDS, (p + history for p in persons)
        )
        # The foreign keys (deferred until commit, as Django declares them) checked here, by
        # whoever writes: from engine.Writer's thread while the next batch is validated,
        # rather than in the commit that the validating thread waits for.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return len(homes), len(persons)


def _household(group: Group) -> HouseholdData:
    assert group.household is not None  # a valid group has its household built
    return group.household


def _person(row) -> PersonData:
    assert row.person is not None  # a valid row has its person built
    return row.person
