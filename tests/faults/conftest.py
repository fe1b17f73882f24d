"""Faults against the real services: PostgreSQL, Redis, a Celery worker. Each test needs
PostgreSQL (and some Redis); without them it is skipped, except in CI
(BANTEN_REQUIRE_SERVICES=1), where it fails."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.beneficiaries.import_helpers import import_dir  # noqa: F401  (fixtures the fault tests share)
from tests.reports.conftest import recipients, smtp  # noqa: F401
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

    def __init__(self, *, prefix: str, broker_url: str, smtp_port: int, log_dir: Path, own_broker: bool = False,
                 env: dict[str, str] | None = None) -> None:  # fmt: skip
        self.prefix, self.broker_url, self.smtp_port, self.log_dir = prefix, broker_url, smtp_port, log_dir
        # On a broker of its own (a private redis-server) the worker takes the project's own
        # queues and settings; on the shared one, queues of the test's prefix only.
        self.own_broker, self.env = own_broker, env or {}
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
            "BANTEN_REPORTS_TEST_QUEUE": "" if self.own_broker else self.prefix,
            "DATABASE_URL": test_database_url(),
            "DATABASE_REPLICA_URL": test_database_url(),
            "REDIS_URL": self.broker_url,
            "CACHE_URL": "locmemcache://",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port),
            **self.env,
        }
        names = ("reports", "email", "imports", "celery")
        queues = ",".join(names if self.own_broker else (f"{self.prefix}.{q}" for q in names))
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


def worker_for(broker_url: str, smtp_port: int, tmp_path: Path, **options) -> Worker:
    if connection.vendor != "postgresql":
        skip_or_fail("the worker needs a database it can reach (PostgreSQL)")
    prefix = f"faults-{uuid.uuid4().hex[:8]}"
    return Worker(prefix=prefix, broker_url=broker_url, smtp_port=smtp_port, log_dir=tmp_path, **options)


class PrivateRedis:
    """A redis-server of the test's own on a free port, started and stopped at will (the
    shared Redis on 6379 is never touched)."""

    def __init__(self, port: int) -> None:
        self.port, self.process = port, None
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            skip_or_fail("redis-server is not installed")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while not self.ping():
            assert time.monotonic() < deadline, "the private redis-server did not start"
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@pytest.fixture
def private_redis():
    from tests.reports.conftest import free_port

    redis = PrivateRedis(free_port())
    yield redis
    redis.stop()


@pytest.fixture
def celery_on(eager_celery):
    """`celery_on(url)`: this process publishes for real (not eager) to the broker at `url`;
    the pools of the old broker are dropped, and all is put back afterwards."""
    from celery import current_app

    saved = current_app.conf.broker_url

    def reset() -> None:
        # Only the app's references: the pools themselves are kombu's, shared and kept per
        # broker (closing one would break every later publish to that broker).
        current_app._pool = None
        current_app.amqp._producer_pool = None

    def point(url: str) -> None:
        eager_celery.task_always_eager = False
        current_app.conf.broker_url = url
        reset()

    yield point
    current_app.conf.broker_url = saved
    reset()


def print_logs(worker: Worker) -> None:
    for n in range(1, worker.starts + 1):
        print(f"--- worker start {n}:\n" + (worker.log_dir / f"worker-{n}.log").read_text()[-4000:])
