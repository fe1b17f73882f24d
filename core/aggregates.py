"""Medians computed by the database where it can (PostgreSQL's percentile_cont), in one query."""

import statistics
from collections import defaultdict
from typing import Any

from django.db import connections, models


class PercentileCont(models.Aggregate):
    """`percentile_cont(0.5) WITHIN GROUP (ORDER BY expr)`: PostgreSQL only."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = models.FloatField()


def median_by(qs: models.QuerySet, value: str, group: str | None = None) -> dict[Any, int | None]:
    """The median of `value` per `group` (key None with no group), rounded to whole rupiah.
    One query: grouped percentile_cont on PostgreSQL; elsewhere (SQLite in development)
    the values are read once and the median taken here."""
    qs = qs.order_by().filter(**{f"{value}__isnull": False})
    if connections[qs.db].vendor == "postgresql":
        if group is None:
            found = qs.aggregate(m=PercentileCont(value))["m"]
            return {None: round(found) if found is not None else None}
        rows = qs.values(group).annotate(m=PercentileCont(value)).values_list(group, "m")
        return {key: round(m) for key, m in rows if m is not None}
    values: dict[Any, list[int]] = defaultdict(list)
    fields = [group, value] if group else [value]
    for row in qs.values_list(*fields):
        values[row[0] if group else None].append(row[-1])
    result = {key: round(statistics.median(found)) for key, found in values.items()}
    if group is None:
        result.setdefault(None, None)  # type: ignore[arg-type]
    return result  # type: ignore[return-value]
