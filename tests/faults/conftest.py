"""Faults against the real services: PostgreSQL, Redis, a Celery worker. Each test needs
PostgreSQL (and some Redis); without them it is skipped, except in CI
(BANTEN_REQUIRE_SERVICES=1), where it fails."""

import os

import psycopg
import pytest
from django.db import connection

from tests.reports.test_worker import skip_or_fail, test_database_url

REQUIRE = os.environ.get("BANTEN_REQUIRE_SERVICES") == "1"


@pytest.fixture
def postgres(db):
    """The test database's URL; only on PostgreSQL."""
    if connection.vendor != "postgresql":
        skip_or_fail("this fault needs PostgreSQL (DATABASE_URL)")
    return test_database_url()


def admin_connection(url: str) -> psycopg.Connection:
    """Another connection to the same server, in autocommit (CREATE/DROP DATABASE, terminate)."""
    return psycopg.connect(url, autocommit=True)
