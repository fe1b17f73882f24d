"""The outbox (core.outbox): tasks written with the business write, published after commit,
kept while the broker is down, drained later, and run once however often they are published."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from kombu.exceptions import OperationalError

from beneficiaries.imports.service import start_import
from core import outbox
from core.models import OutboxMessage
from reports import services
from reports.models import ReportDelivery, ReportRecipient
from reports.tasks import send_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def sends(monkeypatch):
    """The send service replaced by a counter: which deliveries the task ran for."""
    ran: list[int] = []
    monkeypatch.setattr(
        "reports.services.send_delivery", lambda *, delivery_id: ran.append(delivery_id) or "sent"
    )
    return ran


@pytest.fixture
def broker_down(monkeypatch):
    """Publishing raises what kombu raises when Redis refuses the connection."""

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    monkeypatch.setattr(send_report, "apply_async", refuse)


def test_it_writes_the_task_with_the_transaction_and_runs_it_after_commit(
    sends, django_capture_on_commit_callbacks
):
    """Inside the transaction the row exists and nothing ran; after commit the task ran once
    and the row is marked sent and started."""
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.enqueue("reports.tasks.send_report", 41)
        assert sends == []
    message.refresh_from_db()
    assert sends == [41]
    assert message.sent_at is not None and message.started_at is not None
    assert (message.task, message.args, message.attempts, message.last_error) == (
        "reports.tasks.send_report",
        [41],
        1,
        "",
    )


def test_it_writes_nothing_when_the_transaction_rolls_back(sends, django_capture_on_commit_callbacks):
    """A write that fails takes its task with it: no row, nothing run."""
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            outbox.enqueue("reports.tasks.send_report", 7)
            raise RuntimeError("the business write failed")
    assert not OutboxMessage.objects.exists()
    assert sends == []


def test_it_keeps_the_row_when_the_broker_is_down(
    broker_down, eager_celery, django_capture_on_commit_callbacks
):
    """A broker error after commit is not the user's error: the row stays unsent with the
    error and an attempt counted, and nothing is raised."""
    eager_celery.task_always_eager = False
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.enqueue("reports.tasks.send_report", 3)
    message.refresh_from_db()
    assert message.sent_at is None and message.attempts == 1
    assert "Connection refused" in message.last_error


def test_it_runs_a_message_published_twice_once(sends):
    """A row published again (the relay died between the publish and the mark) runs once:
    the task claims the row by its id before running."""
    message = OutboxMessage.objects.create(task="reports.tasks.send_report", args=[5])
    task_id = outbox.task_id_of(message.pk)
    send_report.apply(args=[5], task_id=task_id)
    send_report.apply(args=[5], task_id=task_id)
    assert sends == [5]
    message.refresh_from_db()
    assert message.started_at is not None


def test_it_runs_a_retry_of_the_same_message(sends):
    """A retry keeps the task id; it runs (the claim only stops a second first run)."""
    message = OutboxMessage.objects.create(task="reports.tasks.send_report", args=[6])
    task_id = outbox.task_id_of(message.pk)
    send_report.apply(args=[6], task_id=task_id)
    send_report.apply(args=[6], task_id=task_id, retries=1)
    assert sends == [6, 6]


def test_it_runs_a_task_queued_some_other_way(sends):
    """Tasks not from the outbox (beat, a shell) carry no outbox id and are not checked."""
    send_report.apply(args=[8])
    send_report.apply(args=[8])
    assert sends == [8, 8]


def test_drain_publishes_every_kept_row_once(sends):
    """The drain (beat each minute, or the command) publishes the unsent rows, oldest first,
    and leaves rows already sent alone."""
    kept = [OutboxMessage.objects.create(task="reports.tasks.send_report", args=[n]) for n in (1, 2, 3)]
    OutboxMessage.objects.filter(pk=kept[1].pk).update(sent_at="2026-01-01T00:00:00Z")
    assert outbox.drain() == 2
    assert sends == [1, 3]
    assert outbox.drain() == 0
    assert sends == [1, 3]


def test_drain_stops_at_a_broker_error_and_keeps_the_rows(broker_down, eager_celery):
    """Redis still down: the drain stops at the first refusal; every row stays unsent."""
    eager_celery.task_always_eager = False
    for n in (1, 2):
        OutboxMessage.objects.create(task="reports.tasks.send_report", args=[n])
    assert outbox.drain() == 0
    assert list(OutboxMessage.objects.order_by("pk").values_list("sent_at", "attempts")) == [
        (None, 1),
        (None, 0),
    ]


def test_drain_passes_over_a_row_of_an_unknown_task(sends):
    """A row naming no task keeps its error and does not block the rows after it."""
    bad = OutboxMessage.objects.create(task="reports.tasks.no_such_task", args=[1])
    OutboxMessage.objects.create(task="reports.tasks.send_report", args=[2])
    assert outbox.drain() == 1
    assert sends == [2]
    bad.refresh_from_db()
    assert bad.sent_at is None and "no_such_task" in bad.last_error


def test_the_command_drains_and_fails_while_rows_are_left(broker_down, eager_celery, sends):
    """`manage.py drain_outbox` says what it published and exits non-zero, with the error,
    while the broker still refuses."""
    eager_celery.task_always_eager = False
    OutboxMessage.objects.create(task="reports.tasks.send_report", args=[1])
    with pytest.raises(CommandError, match="1 tugas belum terkirim.*Connection refused"):
        call_command("drain_outbox")


def test_the_dispatcher_and_the_import_queue_through_the_outbox(province, django_capture_on_commit_callbacks):
    """Every place that queued with `.delay` now writes an outbox row with its write: the
    report sends of a dispatch and the run of an uploaded import."""
    ReportRecipient.objects.create(
        region_code="36.02", name="Bupati", title="Bupati Lebak", email="b@lebak.go.id"
    )
    with django_capture_on_commit_callbacks(execute=False):
        ids = services.dispatch_reports(region_code="36.02")
        run = start_import(
            actor=province, uploaded_file=SimpleUploadedFile("p3ke.csv", b"a,b\n"), mode="commit"
        )
    kept = {(m.task, m.args[0]) for m in OutboxMessage.objects.filter(sent_at__isnull=True)}
    assert kept == {("reports.tasks.send_report", ids[0]), ("beneficiaries.tasks.run_import", run.pk)}
    assert ReportDelivery.objects.filter(pk__in=ids).count() == len(ids) == 1


def test_beat_drains_the_outbox_each_minute(settings):
    """The periodic drain is in the beat schedule (DatabaseScheduler copies it at start)."""
    entry = settings.CELERY_BEAT_SCHEDULE["antrean-keluar"]
    assert entry["task"] == "core.tasks.drain_outbox" and entry["schedule"] == 60.0
