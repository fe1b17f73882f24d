"""Faults against the real services: PostgreSQL, Redis, a Celery worker. Each test needs
PostgreSQL (and some Redis); without them it is skipped, except in CI
(BANTEN_REQUIRE_SERVICES=1), where it fails."""

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.reports.conftest import recipients  # noqa: F401  (a fixture the fault tests share)
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


ROOT = Path(__file__).resolve().parents[2]


class Worker:
    """A real Celery worker process (solo pool, one task at a time) on the test's own
    queues, over the broker `broker_url`, against the test database."""

    def __init__(self, *, prefix: str, broker_url: str, smtp_port: int, log_dir: Path) -> None:
        self.prefix, self.broker_url, self.smtp_port, self.log_dir = prefix, broker_url, smtp_port, log_dir
        self.process: subprocess.Popen | None = None
        self.starts = 0

    @property
    def log(self) -> Path:
        return self.log_dir / f"worker-{self.starts}.log"

    def start(self) -> None:
        self.starts += 1
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.faults.worker_settings",
            "BANTEN_REPORTS_TEST_QUEUE": self.prefix,
            "DATABASE_URL": test_database_url(),
            "DATABASE_REPLICA_URL": test_database_url(),
            "REDIS_URL": self.broker_url,
            "CACHE_URL": "locmemcache://",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port),
        }
        queues = ",".join(f"{self.prefix}.{q}" for q in ("reports", "email", "imports", "celery"))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "banten_pm", "worker", "--pool=solo", "-Q", queues,
             "-n", f"{self.prefix}-{self.starts}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "-l", "INFO"],
            cwd=ROOT, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip

    def kill(self) -> None:
        """SIGKILL: no shutdown, no acknowledgement, no cleanup."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def logged(self, text: str) -> bool:
        return text in self.log.read_text()


def worker_for(broker_url: str, smtp_port: int, tmp_path: Path) -> Worker:
    if connection.vendor != "postgresql":
        skip_or_fail("the worker needs a database it can reach (PostgreSQL)")
    return Worker(
        prefix=f"faults-{uuid.uuid4().hex[:8]}", broker_url=broker_url, smtp_port=smtp_port, log_dir=tmp_path
    )


def print_logs(worker: Worker) -> None:
    for n in range(1, worker.starts + 1):
        print(f"--- worker start {n}:\n" + (worker.log_dir / f"worker-{n}.log").read_text()[-4000:])
