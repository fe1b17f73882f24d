"""A real Celery worker over Redis (not eager) runs the dispatcher and the send.

Needs REDIS_URL and a database another process can reach (PostgreSQL). Without them the test
is skipped, unless BANTEN_REQUIRE_SERVICES=1 (CI), where it fails."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from reports.models import ReportDelivery
from reports.tasks import dispatch_monthly_reports, send_report

from .conftest import PERIOD

ROOT = Path(__file__).resolve().parents[2]
REQUIRE = os.environ.get("BANTEN_REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str) -> None:
    if REQUIRE:
        pytest.fail(f"BANTEN_REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


def test_database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "") + (":" + quote(db["PASSWORD"]) if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


def wait_for(check, *, seconds: float = 120, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def worker(smtp, tmp_path, eager_celery):
    if not os.environ.get("REDIS_URL"):
        skip_or_fail("REDIS_URL is not set")
    if connection.vendor != "postgresql":
        skip_or_fail("the worker needs a database it can reach (PostgreSQL)")
    queue = f"reports-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.reports.worker_settings",
        "BANTEN_REPORTS_TEST_QUEUE": queue,
        "DATABASE_URL": test_database_url(),
        "DATABASE_REPLICA_URL": test_database_url(),  # the worker reads the figures as from a replica
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
    }
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "banten_pm", "worker", "--pool=solo", "-Q", f"{queue}.reports,{queue}.email",
         "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    eager_celery.task_always_eager = False
    try:
        yield queue
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        print((tmp_path / "worker.log").read_text()[-4000:])


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_dispatches_and_sends_each_report_once(recipients, worker, smtp):
    """Over Redis: the dispatcher twice and a redelivered send give one email per recipient.
    The worker listens only on the reports and email queues: the sends the dispatcher queues
    arrive only if they follow the route to the email queue."""
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    lebak = recipients["36.02"]
    for _ in range(2):  # two beats
        dispatch_monthly_reports.apply_async(
            kwargs={"period": "2024-06", "region_code": "36.02"}, queue=f"{worker}.reports"
        )

    def lebak_sent() -> bool:
        return ReportDelivery.objects.filter(recipient=lebak, period=PERIOD, status="sent").exists()

    wait_for(lebak_sent, what="Lebak's report to be sent by the worker")
    delivery = ReportDelivery.objects.get(recipient=lebak, period=PERIOD)
    send_report.apply_async(args=[delivery.pk], queue=f"{worker}.email")  # redelivered after success
    # The worker runs one task at a time and each queue is first in, first out: this later
    # report's send queues up behind the duplicates above on the email queue, so once it is
    # sent they have been handled.
    dispatch_monthly_reports.apply_async(
        kwargs={"period": "2024-06", "region_code": "36.01"}, queue=f"{worker}.reports"
    )
    wait_for(
        lambda: ReportDelivery.objects.filter(recipient=recipients["36.01"], status="sent").exists(),
        what="Pandeglang's report (the sentinel) to be sent",
    )
    assert [e.rcpt_tos for e in smtp.messages] == [[lebak.email], [recipients["36.01"].email]]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)
    assert ReportDelivery.objects.filter(recipient=lebak).count() == 1
