"""Redis (the Celery broker) stopped while people keep working. A redis-server of the test's
own is the broker: while it is down a village head saves a household on the page and
through the API and a province official uploads an import and the monthly report is
dispatched; nothing answers 500, every row is saved and the tasks wait in the outbox. Redis
comes back, the outbox is drained twice over (as if a relay died after publishing): a real
worker runs each task exactly once."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from beneficiaries.models import Household, ImportRun
from core import outbox
from core.models import OutboxMessage
from reports import services as reports
from reports.models import ReportDelivery
from tests.api.test_households import HOUSEHOLDS, new_household
from tests.beneficiaries.import_helpers import csv_bytes, family, upload
from tests.factories import make_kk
from tests.pages.test_households import household_post, three_members
from tests.reports.conftest import PERIOD
from tests.reports.test_worker import wait_for

from .conftest import print_logs, worker_for

pytestmark = pytest.mark.django_db(transaction=True)


def work_while_redis_is_down(client, head_a, province):
    """Return the responses of the page and API saves, the upload, and the dispatched ids."""
    client.force_login(head_a)
    page = client.post(reverse("household_create"), household_post(make_kk(501), *three_members()))
    api = APIClient()
    api.force_authenticate(head_a)
    posted = api.post(HOUSEHOLDS, new_household(serial=902), format="json")
    client.force_login(province)
    uploaded = client.post(
        reverse("admin:beneficiaries_importrun_add"), {"file": upload(csv_bytes(family(7))), "mode": "commit"}
    )
    return page, posted, uploaded, reports.dispatch_reports(period=PERIOD, region_code="36.02")


def test_nothing_is_lost_while_redis_is_down_and_each_task_runs_once(
    postgres,
    private_redis,
    celery_on,
    client,
    head_a,
    province,
    recipients,
    smtp,
    import_dir,
    tmp_path,
):
    celery_on(private_redis.url)  # not started: the broker refuses every connection
    page, posted, uploaded, dispatched = work_while_redis_is_down(client, head_a, province)
    assert (page.status_code, posted.status_code, uploaded.status_code) == (302, 201, 302)
    assert Household.objects.filter(kk_number__in=[make_kk(501), posted.json()["kk_number"]]).count() == 2
    run = ImportRun.objects.get()
    assert run.status == "queued" and len(dispatched) == 1
    kept = list(OutboxMessage.objects.order_by("pk"))
    assert {(m.task, m.args[0]) for m in kept} == {
        ("beneficiaries.tasks.run_import", run.pk),
        ("reports.tasks.send_report", dispatched[0]),
    }
    assert all(m.sent_at is None and m.attempts == 1 and m.last_error for m in kept)

    private_redis.start()
    worker = worker_for(private_redis.url, smtp.port, tmp_path, own_broker=True,
                        env={"IMPORT_STORAGE_DIR": str(import_dir), "BANTEN_TEST_VISIBILITY": "3600"})  # fmt: skip
    worker.start()
    try:
        call_command("drain_outbox")
        assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
        OutboxMessage.objects.update(sent_at=None)  # published again: the relay "died" before marking
        call_command("drain_outbox")
        for message in kept:
            wait_for(lambda m=message: worker.log.read_text().count(f"[{outbox.task_id_of(m.pk)}] succeeded") == 2,
                     what=f"both publications of {message} to be handled")  # fmt: skip
    finally:
        worker.stop()
        print_logs(worker)
    run.refresh_from_db()
    assert (run.status, run.households_written) == ("done", 1)
    assert Household.objects.count() == 3
    delivery = ReportDelivery.objects.get(pk=dispatched[0])
    assert (delivery.status, delivery.attempts) == ("sent", 1)
    assert [e.rcpt_tos for e in smtp.messages] == [[recipients["36.02"].email]]
    assert all(m.started_at is not None for m in OutboxMessage.objects.all())
