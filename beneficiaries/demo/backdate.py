"""Demo only: dating what the services wrote on the day it happened in the story.

The services stamp what they write with the present (`timezone.now()` on moves, the history
and the timestamps; `localdate()` on a closed case): right for real work, wrong for a demo
that tells a year. The seeder notes, after each service call, when that step happened;
`apply()` then rewrites those stamps, on the rows and on their history rows, inside the
seed's own transaction. Nothing outside `seed_demo` uses this.
"""

import datetime
from collections import Counter, defaultdict

from django.db import connection, models
from django.utils import timezone

from ..models import Case, MoveState, StageTransition, Target


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """That day at that time in Jakarta."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class Backdate:
    def __init__(self) -> None:
        # model -> pk -> the moments of the saves the seeder made, in order
        self.saves: dict[type[models.Model], dict[int, list[datetime.datetime]]] = defaultdict(dict)
        # model -> pk -> fields the services dated today (proposed_at, decided_at, closed_on)
        self.fields: dict[type[models.Model], dict[int, dict]] = defaultdict(dict)
        self.entries: dict[int, datetime.datetime] = {}  # case -> when its entry move applied

    def saved(self, obj: models.Model, *moments: datetime.datetime) -> None:
        self.saves[type(obj)].setdefault(obj.pk, []).extend(moments)

    def dated(self, obj: models.Model, **fields) -> None:
        self.fields[type(obj)].setdefault(obj.pk, {}).update(fields)

    def opened(self, case: Case, moment: datetime.datetime) -> None:
        self.saved(case, moment)
        self.entries[case.pk] = moment

    def moved(
        self,
        move: StageTransition,
        case: Case,
        proposed: datetime.datetime,
        decided: datetime.datetime | None = None,
    ) -> None:
        """A move proposed then and decided then (None: still pending). An official's move
        is one save (`decided` is `proposed`); a proposal then its decision are two. An
        applied move saved its case too, and closed it on graduation or exit."""
        self.saved(move, proposed, *([decided] if decided and decided != proposed else []))
        self.dated(move, proposed_at=proposed, decided_at=decided)
        if decided and move.state == MoveState.APPLIED:
            self.saved(case, decided)
            if move.to in (Target.GRADUATED, Target.EXITED):
                self.dated(case, closed_on=decided.date())

    def apply(self) -> None:
        entries = StageTransition.objects.filter(case_id__in=self.entries, kind=StageTransition.Kind.ENTRY)
        for pk, case_id in entries.values_list("pk", "case_id"):
            moment = self.entries[case_id]
            self.saves[StageTransition][pk] = [moment]
            self.fields[StageTransition][pk] = {"proposed_at": moment, "decided_at": moment}
        for model, saves in self.saves.items():
            self._rows(model, saves, self.fields.get(model, {}))
            self._history(model, saves, self.fields.get(model, {}))

    def _rows(self, model, saves: dict, fields: dict) -> None:
        stamped = _has_timestamps(model)
        updates = []
        for pk, moments in saves.items():
            values = {"created_at": moments[0], "updated_at": moments[-1]} if stamped else {}
            updates.append((pk, {**values, **fields.get(pk, {})}))
        _update(model, model._meta.pk.name, updates)

    def _history(self, model, saves: dict, fields: dict) -> None:
        """The n-th history row of a pk takes the n-th save's moment (the last one past it);
        a field dated by a service is rewritten where that version had it set."""
        history = model.history.model
        dated = sorted({name for changes in fields.values() for name in changes})
        rows = (
            history.objects.filter(id__in=saves)
            .order_by("history_id")
            .values_list("history_id", "id", *dated)
        )
        seen: Counter[int] = Counter()
        updates = []
        for history_id, pk, *current in rows:
            moments = saves[pk]
            values = {"history_date": moments[min(seen[pk], len(moments) - 1)]}
            seen[pk] += 1
            if _has_timestamps(model):
                values.update(created_at=moments[0], updated_at=values["history_date"])
            for name, now in zip(dated, current, strict=True):
                if now is not None and name in fields.get(pk, {}):
                    values[name] = fields[pk][name]
            updates.append((history_id, values))
        _update(history, "history_id", updates)


def _has_timestamps(model) -> bool:
    return any(f.name == "created_at" for f in model._meta.concrete_fields)


def _update(model, key: str, updates: list[tuple[int, dict]]) -> None:
    """One UPDATE statement per set of columns, run for every row (bulk_update's CASE
    expressions took seconds for a few thousand rows)."""
    by_columns: dict[tuple[str, ...], list] = defaultdict(list)
    for pk, values in updates:
        by_columns[tuple(sorted(values))].append((pk, values))
    table, quote = model._meta.db_table, connection.ops.quote_name
    where = quote(model._meta.get_field(key).column)
    for names, rows in by_columns.items():
        columns = [model._meta.get_field(name) for name in names]
        assignments = ", ".join(f"{quote(f.column)} = %s" for f in columns)
        params = [
            [f.get_db_prep_value(values[f.name], connection) for f in columns] + [pk] for pk, values in rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {quote(table)} SET {assignments} WHERE {where} = %s", params)
