"""Report figures are read through the "replica" alias (DATABASE_REPLICA_URL), everything
else from the primary. In tests the replica is Django's TEST MIRROR of default: another
connection to the same test database, so the rows must be committed (transaction=True)."""

import pytest
from django.conf import settings
from django.db import DatabaseError, connections, router
from django.test.utils import CaptureQueriesContext

from beneficiaries.models import Assistance
from reports.models import ReportRecipient
from reports.selectors import report_figures
from reports.services import dispatch_reports

from .conftest import PERIOD, build_world
from .truth import truth


@pytest.fixture
def on_replica(settings):
    settings.REPORTS_DATABASE = "replica"


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_it_reads_every_report_figure_from_the_replica(on_replica):
    """Every query of the figures goes to the replica connection, none to the primary, and
    the figures are those of the rows written through the primary."""
    world = build_world(cases_per_village=3)
    with (
        CaptureQueriesContext(connections["replica"]) as replica,
        CaptureQueriesContext(connections["default"]) as primary,
    ):
        figures = report_figures(region_code="36.01", period=PERIOD)
    assert primary.captured_queries == []
    assert len(replica.captured_queries) >= 8
    assert any('"reports_villagemonth"' in q["sql"] for q in replica.captured_queries)
    assert any('"reports_aidedhouseholdmonth"' in q["sql"] for q in replica.captured_queries)
    assert (
        figures.figures["aid_total_amount"].cumulative
        == truth(world, "36.01", PERIOD)["all"]["aid_total_amount"][2]
    )


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_it_writes_the_deliveries_of_a_dispatch_to_the_primary_only(on_replica):
    """The dispatcher's rows (writes) go to the primary even while reports read the replica."""
    ReportRecipient.objects.create(
        region_code="36.02", name="Bupati", title="Bupati Lebak", email="b@lebak.id"
    )
    with CaptureQueriesContext(connections["replica"]) as replica:
        ids = dispatch_reports(period=PERIOD, region_code="36.02")
    assert len(ids) == 1
    assert not [
        q for q in replica.captured_queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_it_refuses_a_write_sent_to_the_replica_by_mistake():
    """A PostgreSQL replica session is read-only (as a streaming standby is): even an explicit
    `using("replica")` write fails, and nothing is written."""
    if not (settings.DATABASE_REPLICA_URL and connections["replica"].vendor == "postgresql"):
        pytest.skip("only a PostgreSQL DATABASE_REPLICA_URL opens read-only sessions (CI sets one)")
    with pytest.raises(DatabaseError, match="read-only"):
        ReportRecipient.objects.using("replica").create(
            region_code="36.02", name="Bupati", title="Bupati Lebak", email="b@lebak.id"
        )
    assert not ReportRecipient.objects.exists()


def test_it_sends_writes_of_a_row_read_from_the_replica_to_the_primary():
    """A row fetched from the replica is saved to the primary: the router never answers replica."""
    row = Assistance()
    row._state.db = "replica"
    assert router.db_for_write(Assistance, instance=row) == "default"
    assert router.db_for_read(Assistance) == "default"


def test_it_migrates_only_the_primary():
    """`migrate --database replica` does nothing: a replica follows the primary's schema."""
    assert router.allow_migrate("default", "beneficiaries", model_name="assistance")
    assert not router.allow_migrate("replica", "beneficiaries", model_name="assistance")


def test_it_allows_relations_between_rows_of_the_primary_and_the_replica():
    a, b = Assistance(), Assistance()
    a._state.db, b._state.db = "default", "replica"
    assert router.allow_relation(a, b)
