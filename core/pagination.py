"""Pages of huge lists without counting every row: a province's cases are 600,000 rows, and
an exact COUNT of them costs more than the page itself."""

import json
from functools import cached_property

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet

EXACT_UP_TO = 10_000
# A search needs no exact count: a common name matches 10,000 persons over the province, and
# counting them reads every match from the table (the trigram index only finds candidates),
# ten times the cost of the page. Past this many, the planner's estimate.
SEARCH_EXACT_UP_TO = 500


class EstimatingPaginator(Paginator):
    """Counts exactly up to `exact_up_to` rows (EXACT_UP_TO unless given; one query, reading
    at most that many rows, without the list's annotations); past that, on PostgreSQL, takes
    the planner's estimate (one more query, no rows read) and says so in `is_estimate`.
    Lists that are not querysets count as usual."""

    is_estimate = False

    def __init__(self, *args, exact_up_to: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.exact_up_to = exact_up_to

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return super().count
        cap = EXACT_UP_TO if self.exact_up_to is None else self.exact_up_to
        bare = rows.order_by()
        if not bare.query.combinator:
            bare = bare.values("pk")  # the head's name and the like are not counted
        capped = bare[: cap + 1].count()
        if capped <= cap or connections[rows.db].vendor != "postgresql":
            return capped if capped <= cap else bare.count()
        self.is_estimate = True
        return max(planner_rows(bare), capped)


def planner_rows(rows: QuerySet) -> int:
    """PostgreSQL's estimate of the number of rows of `rows` (EXPLAIN, nothing executed)."""
    plan = json.loads(rows.order_by().explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])
