"""Keep `VillageMonth` in step with the aid rows and the moves, and rebuild it from them.

Every save or delete of an `Assistance` or a `StageTransition` (services, admin, fixtures: all
go through `save()`) adds its difference to the village-months it touches, in one upsert, in
the same transaction. What a row adds ("its contribution"):

- aid: 1 and its rupiah to `aid_<kind>_*` in the month delivered;
- a move: 1 to `move_<kind>` in the month decided, when applied; +1 to `pending` in the month
  proposed and -1 in the month decided (an entry, proposed and decided at once, adds 0);
- an applied move also stands for its case's position from its decision until the case's
  next applied move: +1 to the position's column in the month decided, -1 in the month of
  the next applied move (that part depends on the neighbours, so it is handled when a move
  becomes applied or stops being so).

Months are Asia/Jakarta months, as the report's cutoffs are local midnights. The running sum
of `pending` and of the position columns up to a month is then the level at its end: exactly
what the live query (the latest applied move before the cutoff) says, since a move is never
decided before it is proposed.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Count, Model, Sum
from django.db.models.functions import TruncMonth
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from beneficiaries.models import (
    Activity,
    Assistance,
    Attendance,
    Case,
    MoveState,
    Person,
    Sex,
    StageTransition,
)
from beneficiaries.models.activities import attendance_written
from beneficiaries.models.cases import AssistanceKind
from programs.models import Program

from .models import POSITION_COLUMNS, TALLY_COLUMNS, AidedHouseholdMonth, AttendedWomanMonth, VillageMonth

Deltas = dict[tuple[str, datetime.date], dict[str, int]]
HouseholdDeltas = dict[tuple[str, int, datetime.date], int]  # (village, household, month) -> aid rows
MOVE_FIELDS = ("pk", "village_id", "case_id", "kind", "to", "state", "proposed_at", "decided_at")
AID_FIELDS = ("village_id", "kind", "delivered_on", "amount")


def local_month(moment: datetime.datetime | datetime.date) -> datetime.date:
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE)).date()
    return moment.replace(day=1)


def _add(deltas: Deltas, village: str, moment, column: str, value: int) -> None:
    if value:
        cell = deltas.setdefault((village, local_month(moment)), defaultdict(int))
        cell[column] += value


# ---- what one row adds --------------------------------------------------------------------


def aid_contribution(deltas: Deltas, households: HouseholdDeltas, row: dict, sign: int) -> None:
    _add(deltas, row["village_id"], row["delivered_on"], f"aid_{row['kind']}_count", sign)
    _add(deltas, row["village_id"], row["delivered_on"], f"aid_{row['kind']}_amount", sign * row["amount"])
    key = (row["village_id"], row["household_id"], local_month(row["delivered_on"]))
    households[key] = households.get(key, 0) + sign


def move_contribution(deltas: Deltas, row: dict, sign: int) -> None:
    """The part of a move's contribution that depends on the row alone."""
    if row["state"] == MoveState.APPLIED:
        _add(deltas, row["village_id"], row["decided_at"], f"move_{row['kind']}", sign)
        _add(deltas, row["village_id"], row["decided_at"], POSITION_COLUMNS[row["to"]], sign)
    _add(deltas, row["village_id"], row["proposed_at"], "pending", sign)
    if row["decided_at"] is not None:
        _add(deltas, row["village_id"], row["decided_at"], "pending", -sign)


def neighbour_contribution(deltas: Deltas, row: dict, sign: int, using: str) -> None:
    """An applied move ends its predecessor's standing and is ended by its successor's (one
    query: a case has a handful of moves)."""
    others = (
        StageTransition.objects.using(using)
        .filter(case_id=row["case_id"], state=MoveState.APPLIED)
        .exclude(pk=row["pk"])
        .order_by("decided_at", "pk")
        .values("decided_at", "pk", "village_id", "to")
    )
    key = (row["decided_at"], row["pk"])
    at = row["decided_at"]
    pred = succ = None
    for other in others:
        if (other["decided_at"], other["pk"]) < key:
            pred = other
        elif succ is None:
            succ = other
    if pred:
        _add(deltas, pred["village_id"], at, POSITION_COLUMNS[pred["to"]], -sign)
    if succ:
        _add(deltas, row["village_id"], succ["decided_at"], POSITION_COLUMNS[row["to"]], -sign)
    if pred and succ:
        _add(deltas, pred["village_id"], succ["decided_at"], POSITION_COLUMNS[pred["to"]], sign)


# ---- writing the differences ----------------------------------------------------------------


def apply(deltas: Deltas, using: str) -> None:
    """Add `deltas` to the village-months in one statement (an upsert: PostgreSQL and SQLite)."""
    # In key order, so two writes touching the same village-months lock them in one order.
    rows = sorted((key, cells) for key, cells in deltas.items() if any(cells.values()))
    if not rows:
        return
    table = VillageMonth._meta.db_table
    columns = ["village_id", "regency_id", "month", "updated_at", *TALLY_COLUMNS]
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    params: list = []
    now = timezone.now()
    for (village, month), cells in rows:
        params += [village, village[:5], month, now, *(cells.get(c, 0) for c in TALLY_COLUMNS)]
    names = ", ".join(f'"{c}"' for c in columns)
    values = ", ".join([one] * len(rows))
    sets = ", ".join(f'"{c}" = "{table}"."{c}" + excluded."{c}"' for c in TALLY_COLUMNS)
    sql = (
        f'INSERT INTO "{table}" ({names}) VALUES {values} '
        f'ON CONFLICT ("village_id", "month") DO UPDATE SET {sets}, "updated_at" = excluded."updated_at"'
    )
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)


def apply_households(households: HouseholdDeltas, using: str) -> None:
    """Add aid rows to the household-months, drop the emptied ones, and mark again which
    month is each touched household's first in its village."""
    changed = {key: n for key, n in sorted(households.items()) if n}  # in key order, as in apply()
    if not changed:
        return
    table = AidedHouseholdMonth._meta.db_table
    one = "(%s, %s, %s, %s, %s, %s, %s)"
    params: list = []
    for (village, household, month), n in changed.items():
        params += [village, village[:5], household, month, n, False, 0]  # first and women: below
    with connections[using].cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{table}" ("village_id", "regency_id", "household_id", "month", "rows", "first", "women") '
            f'VALUES {", ".join([one] * len(changed))} ON CONFLICT ("village_id", "household_id", "month") '
            f'DO UPDATE SET "rows" = "{table}"."rows" + excluded."rows"',
            params,
        )
        for village, household in {(v, h) for v, h, _m in changed}:
            where = '"village_id" = %s AND "household_id" = %s'
            if any(n < 0 for (v, h, _m), n in changed.items() if (v, h) == (village, household)):
                cursor.execute(f'DELETE FROM "{table}" WHERE {where} AND "rows" <= 0', [village, household])
            cursor.execute(
                f'UPDATE "{table}" SET "first" = ("month" = (SELECT MIN(t."month") FROM "{table}" t '
                f'WHERE t."village_id" = %s AND t."household_id" = %s)), "women" = ({_WOMEN_OF}) '
                f"WHERE {where}",
                [village, household, household, Sex.FEMALE, village, household],
            )


# The women and girls of one household, as the report counts them (members who left included).
_WOMEN_OF = (
    f'SELECT COUNT(*) FROM "{Person._meta.db_table}" p WHERE p."household_id" = %s AND p."sex" = %s'
)


def update_women(households: Iterable[int | None], using: str) -> None:
    """Count again the women of these households on their aided household-months."""
    table = AidedHouseholdMonth._meta.db_table
    with connections[using].cursor() as cursor:
        for household in sorted({h for h in households if h is not None}):
            cursor.execute(
                f'UPDATE "{table}" SET "women" = ({_WOMEN_OF}) WHERE "household_id" = %s',
                [household, Sex.FEMALE, household],
            )


def before_person_save(sender, instance, using, **kwargs) -> None:
    stored = None if instance._state.adding else _stored(sender, instance, using, ("household_id", "sex"))
    instance._tally_before = stored


def after_person_save(sender, instance, using, created, **kwargs) -> None:
    """A person added, moved to another household, or whose sex was corrected changes the
    women of the households' aided months (nothing else does: one query when it does)."""
    old = getattr(instance, "_tally_before", None)
    if created or old is None:
        changed = {instance.household_id} if instance.sex == Sex.FEMALE else set()
    elif (old["household_id"], old["sex"]) == (instance.household_id, instance.sex):
        changed = set()
    else:
        changed = {old["household_id"], instance.household_id}
    update_women(changed, using)
    if old is not None and old["sex"] != instance.sex:
        rebuild_attended([instance.pk], using)


def after_person_delete(sender, instance, using, **kwargs) -> None:
    if instance.sex == Sex.FEMALE:
        update_women([instance.household_id], using)


def _row(instance, fields: Iterable[str]) -> dict:
    return {f: getattr(instance, "pk" if f == "pk" else f) for f in fields}


def _stored(sender, instance, using: str, fields: tuple[str, ...]) -> dict | None:
    if instance.pk is None:
        return None
    return sender._base_manager.using(using).filter(pk=instance.pk).values(*fields).first()


def _stored_aid(sender, instance, using: str) -> dict | None:
    row = _stored(sender, instance, using, (*AID_FIELDS, "case__household_id"))
    if row:
        row["household_id"] = row.pop("case__household_id")
    return row


def _aid_row(instance) -> dict:
    return {**_row(instance, AID_FIELDS), "household_id": instance.case.household_id}


def _apply_aid(old: dict | None, new: dict | None, using: str) -> None:
    deltas: Deltas = {}
    households: HouseholdDeltas = {}
    for row, sign in ((old, -1), (new, +1)):
        if row:
            aid_contribution(deltas, households, row, sign)
    apply(deltas, using)
    apply_households(households, using)


def before_aid_save(sender, instance, using, **kwargs) -> None:
    instance._tally_before = None if instance._state.adding else _stored_aid(sender, instance, using)


def after_aid_save(sender, instance, using, **kwargs) -> None:
    _apply_aid(getattr(instance, "_tally_before", None), _aid_row(instance), using)


def before_aid_delete(sender, instance, using, **kwargs) -> None:
    instance._tally_before = _stored_aid(sender, instance, using)


def after_aid_delete(sender, instance, using, **kwargs) -> None:
    _apply_aid(instance._tally_before, None, using)


def before_move_save(sender, instance, using, **kwargs) -> None:
    instance._tally_before = None if instance._state.adding else _stored(sender, instance, using, MOVE_FIELDS)


def after_move_save(sender, instance, using, created, **kwargs) -> None:
    deltas: Deltas = {}
    old, new = getattr(instance, "_tally_before", None), _row(instance, MOVE_FIELDS)
    if old:
        move_contribution(deltas, old, -1)
        if old["state"] == MoveState.APPLIED:
            neighbour_contribution(deltas, old, -1, using)
    move_contribution(deltas, new, +1)
    if new["state"] == MoveState.APPLIED:
        neighbour_contribution(deltas, new, +1, using)
    apply(deltas, using)


def before_move_delete(sender, instance, using, **kwargs) -> None:
    instance._tally_before = _stored(sender, instance, using, MOVE_FIELDS)


def after_move_delete(sender, instance, using, **kwargs) -> None:
    deltas: Deltas = {}
    old = instance._tally_before
    if old:
        move_contribution(deltas, old, -1)
        if old["state"] == MoveState.APPLIED:
            neighbour_contribution(deltas, old, -1, using)
    apply(deltas, using)


# ---- the women attending activities ----------------------------------------------------------


def _attended_sql(connection, t: "_Tables", persons: list[int] | None) -> tuple[str, list]:
    """INSERT of the attended woman-months of `persons` (None: everyone): one row a woman,
    village and month, with its women's-programme flag and whether it is her first month
    there (windows over the grouped attendance)."""
    month, params = _month_sql(connection, f"a.{t.col('activity', 'held_on')}", local=False)
    only = ""
    if persons is not None:
        only = f" AND x.{t.col('attendance', 'person')} IN ({', '.join(['%s'] * len(persons))})"
    women_programme = f"CASE WHEN g.{t.col('program', 'targets_women')} THEN 1 ELSE 0 END"
    grouped = (
        f"SELECT a.{t.col('activity', 'village')} AS v, x.{t.col('attendance', 'person')} AS p, {month} AS m, "
        f"MAX({women_programme}) AS w FROM {t.name('attendance')} x "
        f"INNER JOIN {t.name('activity')} a ON a.{t.col('activity', 'id')} = x.{t.col('attendance', 'activity')} "
        f"INNER JOIN {t.name('person')} p ON p.{t.col('person', 'id')} = x.{t.col('attendance', 'person')} "
        f"LEFT JOIN {t.name('program')} g ON g.{t.col('program', 'id')} = a.{t.col('activity', 'program')} "
        f"WHERE p.{t.col('person', 'sex')} = %s{only} GROUP BY 1, 2, 3"
    )
    yes, no = _true(connection), _false(connection)
    cols = ", ".join(
        t.col("attended", f)
        for f in ("village", "regency", "person", "month", "women_programme", "first", "first_women")
    )
    sql = (
        f"INSERT INTO {t.name('attended')} ({cols}) SELECT v, SUBSTR(v, 1, 5), p, m, "
        f"CASE WHEN w = 1 THEN {yes} ELSE {no} END, "
        f"CASE WHEN m = MIN(m) OVER (PARTITION BY v, p) THEN {yes} ELSE {no} END, "
        f"CASE WHEN w = 1 AND m = MIN(CASE WHEN w = 1 THEN m END) OVER (PARTITION BY v, p) THEN {yes} ELSE {no} END "
        f"FROM ({grouped}) grouped"
    )
    return sql, [*params, Sex.FEMALE, *(persons or [])]


def rebuild_attended(persons: Iterable[int] | None, using: str = "default", *, apps=None) -> None:
    """Write again the attended woman-months of `persons` (None: all of them)."""
    t = _tables(apps)
    ids = None if persons is None else sorted(set(persons))
    if ids == []:
        return
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for chunk in [None] if ids is None else [ids[i : i + 500] for i in range(0, len(ids), 500)]:
            where = "" if chunk is None else f" WHERE {t.col('attended', 'person')} IN ({', '.join(['%s'] * len(chunk))})"
            cursor.execute(f"DELETE FROM {t.name('attended')}{where}", chunk or [])
            cursor.execute(*_attended_sql(connection, t, chunk))


def after_attendance_change(sender, instance, using, **kwargs) -> None:
    rebuild_attended([instance.person_id], using)


def after_attendance_written(sender, activity, person_ids, **kwargs) -> None:
    rebuild_attended(person_ids, "default")


def before_activity_save(sender, instance, using, **kwargs) -> None:
    fields = ("held_on", "program_id", "village_id")
    instance._tally_before = None if instance._state.adding else _stored(sender, instance, using, fields)


def after_activity_save(sender, instance, using, created, **kwargs) -> None:
    """A corrected date, programme or village moves the months of everyone who attended."""
    old = getattr(instance, "_tally_before", None)
    if old and (old["held_on"], old["program_id"], old["village_id"]) != (
        instance.held_on, instance.program_id, instance.village_id
    ):  # fmt: skip
        rebuild_attended(Attendance.objects.using(using).filter(activity=instance).values_list("person_id", flat=True), using)


def before_program_save(sender, instance, using, **kwargs) -> None:
    stored = None if instance._state.adding else _stored(sender, instance, using, ("targets_women",))
    instance._tally_before = stored


def after_program_save(sender, instance, using, **kwargs) -> None:
    old = getattr(instance, "_tally_before", None)
    if old and old["targets_women"] != instance.targets_women:  # rare: every woman's months again
        rebuild_attended(None, using)


def connect() -> None:
    for signal, receiver, model in (
        (pre_save, before_aid_save, Assistance),
        (post_save, after_aid_save, Assistance),
        (pre_delete, before_aid_delete, Assistance),
        (post_delete, after_aid_delete, Assistance),
        (pre_save, before_move_save, StageTransition),
        (post_save, after_move_save, StageTransition),
        (pre_delete, before_move_delete, StageTransition),
        (post_delete, after_move_delete, StageTransition),
        (pre_save, before_person_save, Person),
        (post_save, after_person_save, Person),
        (post_delete, after_person_delete, Person),
        (post_save, after_attendance_change, Attendance),
        (post_delete, after_attendance_change, Attendance),
        (attendance_written, after_attendance_written, Attendance),
        (pre_save, before_activity_save, Activity),
        (post_save, after_activity_save, Activity),
        (pre_save, before_program_save, Program),
        (post_save, after_program_save, Program),
    ):
        signal.connect(receiver, sender=model, dispatch_uid=f"tally-{receiver.__name__}")


# ---- rebuilding from the rows -------------------------------------------------------------


def computed(using: str = "default", *, aid_model=Assistance, move_model=StageTransition) -> Deltas:
    """Every village-month's figures computed from the aid rows and the moves themselves
    (the models are the migration's when a migration asks)."""
    deltas: Deltas = {}
    tz = ZoneInfo(settings.TIME_ZONE)
    aid = (
        aid_model._default_manager.using(using)
        .order_by()
        .values("village_id", "kind", month=TruncMonth("delivered_on"))
        .annotate(n=Count("id"), amount=Sum("amount"))
    )
    for r in aid:
        _add(deltas, r["village_id"], r["month"], f"aid_{r['kind']}_count", r["n"])
        _add(deltas, r["village_id"], r["month"], f"aid_{r['kind']}_amount", r["amount"] or 0)
    moves = move_model._default_manager.using(using).order_by()
    for field, sign in (("proposed_at", 1), ("decided_at", -1)):
        rows = moves.filter(**{f"{field}__isnull": False}).values(
            "village_id", month=TruncMonth(field, tzinfo=tz)
        )
        for r in rows.annotate(n=Count("id")):
            _add(deltas, r["village_id"], r["month"], "pending", sign * r["n"])
    applied = moves.filter(state=MoveState.APPLIED)
    by_kind = applied.values("village_id", "kind", "to", month=TruncMonth("decided_at", tzinfo=tz))
    for r in by_kind.annotate(n=Count("id")):
        _add(deltas, r["village_id"], r["month"], f"move_{r['kind']}", r["n"])
        _add(deltas, r["village_id"], r["month"], POSITION_COLUMNS[r["to"]], r["n"])
    _standing_ends(deltas, applied)
    return deltas


def _standing_ends(deltas: Deltas, applied) -> None:
    """-1 for each applied move in the month of its case's next applied move."""
    previous = None
    rows = applied.order_by("case_id", "decided_at", "pk").values_list(
        "case_id", "village_id", "to", "decided_at"
    )
    for case_id, village, to, decided_at in rows.iterator(chunk_size=20_000):
        if previous and previous[0] == case_id:
            _add(deltas, previous[1], decided_at, POSITION_COLUMNS[previous[2]], -1)
        previous = (case_id, village, to)


def computed_households(using: str = "default", *, aid_model=Assistance) -> dict:
    """(village, household, month) -> [aid rows, first month of the household there, women]."""
    rows = (
        aid_model._default_manager.using(using)
        .order_by()
        .values("village_id", "case__household_id", month=TruncMonth("delivered_on"))
        .annotate(n=Count("id"))
    )
    out = {(r["village_id"], r["case__household_id"], local_month(r["month"])): [r["n"], False, 0] for r in rows}
    first: dict[tuple[str, int], datetime.date] = {}
    for village, household, month in out:
        if (village, household) not in first or month < first[(village, household)]:
            first[(village, household)] = month
    for (village, household), month in first.items():
        out[(village, household, month)][1] = True
    women: dict[int, int] = defaultdict(int)
    for household in Person.objects.using(using).filter(sex=Sex.FEMALE).values_list("household_id", flat=True):
        women[household] += 1
    for (_village, household, _month), cells in out.items():
        cells[2] = women[household]
    return out


def stored_households(using: str = "default") -> dict:
    rows = AidedHouseholdMonth.objects.using(using).values_list(
        "village_id", "household_id", "month", "rows", "first", "women"
    )
    return {(v, h, m): [n, f, w] for v, h, m, n, f, w in rows}


def computed_attended(using: str = "default") -> dict:
    """(village, person, month) -> [women's programme, first, first in a women's programme],
    from the attendance rows in Python (the reference the tests hold the kept rows to)."""
    rows = (
        Attendance.objects.using(using)
        .filter(person__sex=Sex.FEMALE)
        .values_list("activity__village_id", "person_id", "activity__held_on", "activity__program__targets_women")
    )
    out: dict = {}
    for village, person, day, women in rows:
        cell = out.setdefault((village, person, day.replace(day=1)), [False, False, False])
        cell[0] = cell[0] or bool(women)
    firsts: dict = {}
    for (village, person, month), (women, _f, _w) in sorted(out.items()):
        if (village, person) not in firsts:
            firsts[(village, person)] = True
            out[(village, person, month)][1] = True
        if women and (village, person, "w") not in firsts:
            firsts[(village, person, "w")] = True
            out[(village, person, month)][2] = True
    return out


def stored_attended(using: str = "default") -> dict:
    rows = AttendedWomanMonth.objects.using(using).values_list(
        "village_id", "person_id", "month", "women_programme", "first", "first_women"
    )
    return {(v, p, m): [w, f, fw] for v, p, m, w, f, fw in rows}


def stored(using: str = "default") -> Deltas:
    """The village-months as kept, without the all-zero ones."""
    out: Deltas = {}
    for row in VillageMonth.objects.using(using).values("village_id", "month", *TALLY_COLUMNS):
        cells = {c: row[c] for c in TALLY_COLUMNS if row[c]}
        if cells:
            out[(row["village_id"], row["month"])] = cells
    return out


def normalised(deltas: Deltas) -> Deltas:
    return {
        key: {c: v for c, v in cells.items() if v} for key, cells in deltas.items() if any(cells.values())
    }


def refresh(using: str = "default", *, apps=None) -> int:
    """Rebuild every village-month, aided household-month and attended woman-month from the
    rows, in the database (INSERT ... SELECT ... GROUP BY, no row travels to Python); returns how many
    village-months there are. `apps`: a migration's app registry (its historical models),
    else the current models."""
    tables = _tables(apps)
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {tables.name('tally')}")
        cursor.execute(*_village_months_sql(connection, tables, timezone.now()))
        written = cursor.rowcount
        cursor.execute(f"DELETE FROM {tables.name('aided')}")
        cursor.execute(*_household_months_sql(connection, tables))
        if tables.attended is not None:
            cursor.execute(f"DELETE FROM {tables.name('attended')}")
            cursor.execute(*_attended_sql(connection, tables, None))
    return written


def _tables(apps=None) -> "_Tables":
    """The current models, or a migration's historical ones (`apps`)."""
    if apps is None:
        return _Tables(aid=Assistance, move=StageTransition, case=Case, person=Person, tally=VillageMonth,
                       aided=AidedHouseholdMonth, attendance=Attendance, activity=Activity, program=Program,
                       attended=AttendedWomanMonth)  # fmt: skip
    get = apps.get_model
    try:
        attended = get("reports", "AttendedWomanMonth")
    except LookupError:  # migration 0003: not there yet
        attended = None
    return _Tables(
        aid=get("beneficiaries", "Assistance"), move=get("beneficiaries", "StageTransition"),
        case=get("beneficiaries", "Case"), person=get("beneficiaries", "Person"),
        tally=get("reports", "VillageMonth"), aided=get("reports", "AidedHouseholdMonth"),
        attendance=get("beneficiaries", "Attendance"), activity=get("beneficiaries", "Activity"),
        program=get("programs", "Program"), attended=attended,
    )  # fmt: skip


@dataclass(frozen=True)
class _Tables:
    """The models whose tables the rebuild reads and writes (current or a migration's)."""

    aid: type[Model]
    move: type[Model]
    case: type[Model]
    person: type[Model]
    tally: type[Model]
    aided: type[Model]
    attendance: type[Model]
    activity: type[Model]
    program: type[Model]
    attended: type[Model] | None

    def name(self, model: str) -> str:
        return _quote(getattr(self, model)._meta.db_table)

    def col(self, model: str, field: str) -> str:
        return _quote(getattr(self, model)._meta.get_field(field).column)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _month_sql(connection, column: str, *, local: bool) -> tuple[str, list]:
    """The first day of the month of `column` as a date: the Asia/Jakarta month of a moment
    (`local`), the calendar month of a date. Built from the backend's own date functions,
    so PostgreSQL and SQLite agree with `local_month`."""
    ops = connection.ops
    sql, params = column, ()
    if local:
        sql, params = ops.datetime_cast_date_sql(sql, params, settings.TIME_ZONE)
    sql, params = ops.date_trunc_sql("month", sql, params)
    if connection.vendor == "postgresql":
        sql = f"CAST({sql} AS date)"
    return sql, list(params)


def _one_if(condition: str, then: str = "1") -> str:
    return f"CASE WHEN {condition} THEN {then} ELSE 0 END"


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _village_months_sql(connection, t: _Tables, now: datetime.datetime) -> tuple[str, list]:
    """INSERT of every non-empty village-month: four grouped readings of the rows (aid by
    month delivered; moves by month proposed; by month decided; applied moves by the month
    their case's next applied move ends them, through LEAD), added up per village-month."""
    parts: list[tuple[str, list]] = []

    def branch(table: str, month: tuple[str, list], cells: dict[str, str], where: str = "1 = 1") -> None:
        village = t.col("aid" if table == t.name("aid") else "move", "village")
        select = ", ".join(f"SUM({cells[c]}) AS {_quote(c)}" if c in cells else f"0 AS {_quote(c)}"
                           for c in TALLY_COLUMNS)  # fmt: skip
        sql = f"SELECT {village} AS v, {month[0]} AS m, {select} FROM {table} WHERE {where} GROUP BY 1, 2"
        parts.append((sql, month[1]))

    kind, amount = t.col("aid", "kind"), t.col("aid", "amount")
    aid_cells = {}
    for value in AssistanceKind.values:
        aid_cells[f"aid_{value}_count"] = _one_if(f"{kind} = {_literal(value)}")
        aid_cells[f"aid_{value}_amount"] = _one_if(f"{kind} = {_literal(value)}", f"COALESCE({amount}, 0)")
    branch(t.name("aid"), _month_sql(connection, t.col("aid", "delivered_on"), local=False), aid_cells)

    proposed, decided = t.col("move", "proposed_at"), t.col("move", "decided_at")
    state, to, move_kind = t.col("move", "state"), t.col("move", "to"), t.col("move", "kind")
    branch(t.name("move"), _month_sql(connection, proposed, local=True), {"pending": "1"})
    applied = f"{state} = {_literal(MoveState.APPLIED)}"
    decided_cells = {"pending": "-1"}
    for value in StageTransition.Kind.values:
        decided_cells[f"move_{value}"] = _one_if(f"{applied} AND {move_kind} = {_literal(value)}")
    for target, column in POSITION_COLUMNS.items():
        decided_cells[column] = _one_if(f"{applied} AND {to} = {_literal(target)}")
    branch(t.name("move"), _month_sql(connection, decided, local=True), decided_cells, f"{decided} IS NOT NULL")

    # An applied move stops standing for its case in the month of the case's next applied move.
    case, pk, village = t.col("move", "case"), t.col("move", "id"), t.col("move", "village")
    ends = (
        f"(SELECT {village}, {to}, LEAD({decided}) OVER (PARTITION BY {case} ORDER BY {decided}, {pk}) "
        f"AS {_quote('next_at')} FROM {t.name('move')} WHERE {applied}) ends"
    )
    ends_cells = {column: _one_if(f"{to} = {_literal(target)}", "-1") for target, column in POSITION_COLUMNS.items()}
    branch(ends, _month_sql(connection, _quote("next_at"), local=True), ends_cells, f"{_quote('next_at')} IS NOT NULL")

    columns = ", ".join(_quote(c) for c in TALLY_COLUMNS)
    sums = ", ".join(f"SUM({_quote(c)})" for c in TALLY_COLUMNS)
    nonzero = " OR ".join(f"SUM({_quote(c)}) <> 0" for c in TALLY_COLUMNS)
    union = " UNION ALL ".join(sql for sql, _params in parts)
    v, r, m, u = (t.col("tally", f) for f in ("village", "regency", "month", "updated_at"))
    sql = (
        f"INSERT INTO {t.name('tally')} ({v}, {r}, {m}, {u}, {columns}) "
        f"SELECT v, SUBSTR(v, 1, 5), m, %s, {sums} FROM ({union}) parts GROUP BY v, m HAVING {nonzero}"
    )
    return sql, [now] + [p for _sql, params in parts for p in params]


def _household_months_sql(connection, t: _Tables) -> tuple[str, list]:
    """INSERT of every (village, household, month) with aid, whether that month is the
    household's first there (a window over the grouped rows), and the household's women."""
    month, params = _month_sql(connection, f"a.{t.col('aid', 'delivered_on')}", local=False)
    grouped = (
        f"SELECT a.{t.col('aid', 'village')} AS v, c.{t.col('case', 'household')} AS h, {month} AS m, "
        f"COUNT(*) AS n FROM {t.name('aid')} a INNER JOIN {t.name('case')} c "
        f"ON c.{t.col('case', 'id')} = a.{t.col('aid', 'case')} GROUP BY 1, 2, 3"
    )
    person_household = t.col("person", "household")
    women = (
        f"SELECT {person_household} AS h, COUNT(*) AS n FROM {t.name('person')} "
        f"WHERE {t.col('person', 'sex')} = %s GROUP BY 1"
    )
    v, r, h, m, n, first = (t.col("aided", f) for f in ("village", "regency", "household", "month", "rows", "first"))
    is_first = f"CASE WHEN g.m = MIN(g.m) OVER (PARTITION BY g.v, g.h) THEN {_true(connection)} ELSE {_false(connection)} END"
    if not any(f.name == "women" for f in t.aided._meta.get_fields()):  # migration 0003's model
        sql = (
            f"INSERT INTO {t.name('aided')} ({v}, {r}, {h}, {m}, {n}, {first}) "
            f"SELECT g.v, SUBSTR(g.v, 1, 5), g.h, g.m, g.n, {is_first} FROM ({grouped}) g"
        )
        return sql, params
    sql = (
        f"INSERT INTO {t.name('aided')} ({v}, {r}, {h}, {m}, {n}, {first}, {t.col('aided', 'women')}) "
        f"SELECT g.v, SUBSTR(g.v, 1, 5), g.h, g.m, g.n, {is_first}, COALESCE(w.n, 0) "
        f"FROM ({grouped}) g LEFT JOIN ({women}) w ON w.h = g.h"
    )
    return sql, [*params, Sex.FEMALE]


def _true(connection) -> str:
    return "TRUE" if connection.vendor == "postgresql" else "1"


def _false(connection) -> str:
    return "FALSE" if connection.vendor == "postgresql" else "0"
