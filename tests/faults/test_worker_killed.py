"""A real worker killed (SIGKILL) in the middle of a report send, while the mail server holds
the email it received: after a restart the unacknowledged send is delivered again, and it
sends nothing (one email, not two). The row stays `sending` for an official to release
after checking the mail log (reports.services)."""

import asyncio

import pytest
from aiosmtpd.controller import Controller

from core import outbox
from core.models import OutboxMessage
from reports.models import ReportDelivery
from reports.tasks import dispatch_monthly_reports
from tests.reports.conftest import PERIOD, Inbox, free_port
from tests.reports.test_worker import wait_for

from .conftest import print_logs, worker_for

pytestmark = pytest.mark.django_db(transaction=True)


class HoldingInbox(Inbox):
    """Keeps each email as soon as its data arrives, then holds the reply while `holding`:
    the sender is stuck between the server's acceptance and knowing of it."""

    holding = True

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        while self.holding:
            await asyncio.sleep(0.1)
        return "250 OK"


@pytest.fixture
def holding_smtp():
    inbox = HoldingInbox()
    inbox.port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    inbox.holding = False
    controller.stop()


def test_a_worker_killed_mid_send_sends_one_email_after_its_restart(
    postgres, private_redis, celery_on, recipients, holding_smtp, tmp_path
):
    """SIGKILL while the server holds the report it received; after the restart the send is
    delivered again and sends nothing: one email, the row left `sending` for an official.
    On a redis-server of its own, so the quick redelivery touches no other test's tasks."""
    private_redis.start()
    celery_on(private_redis.url)
    worker = worker_for(private_redis.url, holding_smtp.port, tmp_path, own_broker=True)
    worker.start()
    try:
        dispatch_monthly_reports.apply_async(kwargs={"period": "2024-06", "region_code": "36.02"})
        wait_for(lambda: len(holding_smtp.messages) == 1, what="the report to reach the mail server")
        worker.kill()
        holding_smtp.holding = False
        delivery = ReportDelivery.objects.get(recipient=recipients["36.02"], period=PERIOD)
        assert (delivery.status, delivery.attempts) == ("sending", 1)
        message = next(
            m
            for m in OutboxMessage.objects.filter(task="reports.tasks.send_report")
            if m.args == [delivery.pk]
        )
        task_id = outbox.task_id_of(message.pk)
        worker.start()
        wait_for(lambda: worker.logged(f"[{task_id}] received"), what="the killed send to be delivered again")
        wait_for(lambda: worker.logged(f"[{task_id}] succeeded"), what="the redelivered send to finish")
    finally:
        worker.stop()
        print_logs(worker)
    assert len(holding_smtp.messages) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sending", 1)
    assert not ReportDelivery.objects.exclude(pk=delivery.pk).exists()
