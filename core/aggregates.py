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


def plain_rows(qs: models.QuerySet) -> list[tuple]:
    """The rows of a `values_list()` queryset of codes and whole-number counts and sums, as the
    database driver returns them: the same query, without Django's converter call on every
    value (`int(value)` per aggregate column), which on the province report's 80,000 values
    cost more than reading them. Only for columns the driver already returns as the Python
    type wanted (text, integers); a SUM that PostgreSQL returns as numeric must be `Cast`."""
    sql, params = qs.query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
