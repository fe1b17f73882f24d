"""`make backup` and `make restore` against the real PostgreSQL: a database with data and
history rows is dumped, restored into a new database, and every table of the two holds the
same rows (count and a checksum of every row), history included."""

import os
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from beneficiaries import services
from tests.factories import VILLAGE_A, AssistanceFactory, CaseFactory, HouseholdFactory, PersonFactory

from .conftest import admin_connection

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def make(target: str, database_url: str, backups: Path, **variables: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "BACKUP_DIR": str(backups)}
    args = ["make", "--no-print-directory", target, *[f"{k}={v}" for k, v in variables.items()]]
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def tables(conn: psycopg.Connection) -> list[str]:
    return [
        r[0] for r in conn.execute("select tablename from pg_tables where schemaname = 'public' order by 1")
    ]


def fingerprint(url: str) -> dict[str, tuple[int, str]]:
    """Each table: its row count and an md5 over the md5 of every row, in a fixed order."""
    with psycopg.connect(url) as conn:
        result = {}
        for table in tables(conn):
            query = sql.SQL("select count(*), coalesce(md5(string_agg(md5(t::text), '' order by md5(t::text))), '')"
                            " from {} t").format(sql.Identifier(table))  # fmt: skip
            result[table] = conn.execute(query).fetchone()
        return result


@pytest.fixture
def restored_url(postgres):
    """A new, empty database beside the test database, dropped afterwards."""
    name = f"{postgres.rsplit('/', 1)[1]}_restored_{uuid.uuid4().hex[:6]}"
    with admin_connection(postgres) as conn:
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    yield f"{postgres.rsplit('/', 1)[0]}/{name}"
    with admin_connection(postgres) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


def some_data(head) -> None:
    """Households, people, cases and aid, and a correction through the services, so the
    history tables hold creations and changes."""
    for n in range(3):
        household = HouseholdFactory(village_id=VILLAGE_A, address=f"Kp. Cadangan {n}")
        PersonFactory(household=household)
        AssistanceFactory(case=CaseFactory(household=household))
    household.refresh_from_db()
    services.update_household(household=household, actor=head, address="Kp. Cadangan Baru")


def test_a_restored_database_holds_every_row_and_every_history_row(postgres, restored_url, head_a, tmp_path):
    """Backup of a database with data, restore into a new one: the same tables, the same
    row counts and the same rows, history tables included."""
    some_data(head_a)
    backup = make("backup", postgres, tmp_path)
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip().splitlines()[-1])
    assert dump.parent == tmp_path and dump.suffix == ".dump" and dump.stat().st_size > 0
    restore = make("restore", restored_url, tmp_path, FILE=str(dump))
    assert restore.returncode == 0, restore.stderr
    original, restored = fingerprint(postgres), fingerprint(restored_url)
    assert restored == original
    history = [t for t in original if t.startswith("beneficiaries_historical")]
    assert history and all(
        original[t][0] > 0 for t in ("beneficiaries_historicalhousehold", "beneficiaries_historicalperson")
    )
    assert original["beneficiaries_historicalhousehold"][0] >= 4  # three created, one changed


def test_restore_refuses_without_a_file_and_into_a_database_with_tables(postgres, tmp_path):
    """No FILE: refused, naming what to give. Into the (non-empty) test database without
    FORCE=1: refused, and nothing in it changes."""
    missing = make("restore", postgres, tmp_path)
    assert missing.returncode != 0 and "make restore FILE=" in missing.stderr
    dump = tmp_path / "any.dump"
    dump.write_bytes(b"PGDMP")
    before = fingerprint(postgres)
    refused = make("restore", postgres, tmp_path, FILE=str(dump))
    assert refused.returncode != 0 and "not empty" in refused.stderr and "FORCE=1" in refused.stderr
    assert fingerprint(postgres) == before
