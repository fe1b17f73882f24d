"""Huge lists are paged without counting every row."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from beneficiaries.models import Household
from core import pagination
from core.pagination import EstimatingPaginator
from tests.factories import HouseholdFactory


def test_it_counts_exactly_up_to_the_cap_in_one_query(db):
    """A list of a few rows is counted exactly, in one query, and is no estimate."""
    HouseholdFactory.create_batch(3)
    with CaptureQueriesContext(connection) as queries:
        paginator = EstimatingPaginator(Household.objects.all(), 2)
        assert paginator.count == 3 and paginator.num_pages == 2
    assert len(queries) == 1 and "LIMIT" in queries[0]["sql"]
    assert paginator.is_estimate is False


def test_it_counts_lists_that_are_not_querysets_as_usual():
    paginator = EstimatingPaginator(list(range(30)), 10)
    assert (paginator.count, paginator.is_estimate) == (30, False)


def test_past_the_cap_it_takes_the_planners_estimate_without_reading_the_rows(db, monkeypatch):
    """Past EXACT_UP_TO rows PostgreSQL's estimate stands for the count (two queries, the
    second an EXPLAIN) and says it is one; other databases count exactly."""
    monkeypatch.setattr(pagination, "EXACT_UP_TO", 2)
    HouseholdFactory.create_batch(4)
    with CaptureQueriesContext(connection) as queries:
        paginator = EstimatingPaginator(Household.objects.all(), 2)
        count = paginator.count
    if connection.vendor != "postgresql":
        assert (count, paginator.is_estimate) == (4, False)
        return
    assert paginator.is_estimate is True and count >= 3  # never under what was seen
    assert len(queries) == 2 and queries[1]["sql"].startswith("EXPLAIN")
