"""PostgreSQL gone in the middle of an import: the import's own backend is terminated from
another connection (what a server restart or failover does to it, without restarting the
shared server). Nothing is half written, the run is marked failed with a clear message,
and the same file imported again writes only what is missing."""

import pytest
from django.db import connection

from beneficiaries.imports import engine
from beneficiaries.models import Household, ImportRun, Person
from tests.beneficiaries.import_helpers import csv_bytes, family, import_dir, run  # noqa: F401

from .conftest import admin_connection

pytestmark = pytest.mark.django_db(transaction=True)
FAMILIES = 6


@pytest.fixture
def killer(postgres, monkeypatch, settings):
    """Batches of two households (six rows); the import's connection is terminated just
    before batch number `at` is written."""
    settings.IMPORT_BATCH_SIZE = 6
    original, calls = engine.writers.write, []

    def arm(at: int) -> list:
        def write(valid, **kwargs):
            calls.append(len(valid))
            if len(calls) == at:
                # The writer may run in the import's writer thread on the import's own
                # connection (`raw`); that connection is the one to cut.
                raw = kwargs.get("raw") or connection.cursor().connection
                pid = raw.info.backend_pid
                with admin_connection(postgres) as other:
                    other.execute("select pg_terminate_backend(%s)", [pid])
            return original(valid, **kwargs)

        monkeypatch.setattr(engine.writers, "write", write)
        return calls

    return arm


def content() -> bytes:
    return csv_bytes([row for n in range(1, FAMILIES + 1) for row in family(n)])


def test_it_writes_nothing_of_a_commit_run_cut_off_and_the_rerun_writes_it_all(killer, province):
    """All-or-nothing: the connection dies at the second batch; not one household of the
    first batch is kept, the run is failed saying so, and the rerun writes all six."""
    killer(at=2)
    cut = run(province, content(), mode="commit")
    assert cut.status == "failed"
    assert "koneksi ke basis data terputus" in cut.message and "Tidak ada yang ditulis" in cut.message
    assert (Household.objects.count(), Person.objects.count(), cut.households_written) == (0, 0, 0)
    again = run(province, content(), mode="commit")
    assert (again.status, again.households_written, again.persons_written) == ("done", FAMILIES, 3 * FAMILIES)
    assert Household.objects.count() == FAMILIES and Person.objects.count() == 3 * FAMILIES


def test_it_keeps_the_committed_batches_of_a_partial_run_and_the_rerun_writes_the_rest(killer, province):
    """Batch by batch: the connection dies at the third batch; the first two batches are
    kept whole (no household without its members), the run says how many, and the rerun
    writes only the two households that are missing."""
    killer(at=3)
    cut = run(province, content(), mode="partial")
    assert cut.status == "failed" and "4 keluarga sudah tertulis" in cut.message
    assert cut.households_written == 4
    assert Household.objects.count() == 4 and Person.objects.count() == 12
    assert all(h.members.count() == 3 for h in Household.objects.all())
    again = run(province, content(), mode="partial")
    assert (again.status, again.households_existing, again.households_written) == ("done", 4, 2)
    assert Household.objects.count() == FAMILIES and Person.objects.count() == 3 * FAMILIES
    assert ImportRun.objects.filter(status="failed").count() == 1
