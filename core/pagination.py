"""Pages of huge lists without counting every row: a province's cases are 600,000 rows, and
an exact COUNT of them costs more than the page itself."""

import json
from functools import cached_property

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet

EXACT_UP_TO = 10_000


class EstimatingPaginator(Paginator):
    """Counts exactly up to EXACT_UP_TO rows (one query, reading at most that many index
    entries); past that, on PostgreSQL, takes the planner's estimate (one more query, no
    rows read) and says so in `is_estimate`. Lists that are not querysets count as usual."""

    is_estimate = False

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return super().count
        capped = rows.order_by()[: EXACT_UP_TO + 1].count()
        if capped <= EXACT_UP_TO or connections[rows.db].vendor != "postgresql":
            return capped if capped <= EXACT_UP_TO else rows.count()
        self.is_estimate = True
        return max(planner_rows(rows), capped)


def planner_rows(rows: QuerySet) -> int:
    """PostgreSQL's estimate of the number of rows of `rows` (EXPLAIN, nothing executed)."""
    plan = json.loads(rows.order_by().explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])
