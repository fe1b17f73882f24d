"""The transactional outbox: every task the services queue goes through `enqueue`.

- `enqueue` writes an `OutboxMessage` in the caller's transaction, so the task exists exactly
  when the write that wants it was committed, whether or not the broker is reachable;
- after commit the relay publishes it at once (`publish`); on a broker error the row stays
  unsent, with the error, and nothing fails for the user;
- `drain` publishes every unsent row: Celery beat runs it each minute (`core.tasks`), and
  `manage.py drain_outbox` by hand. Rows are locked with `select_for_update(skip_locked=True)`
  so two relays never publish the same row at once;
- the published task's id is `outbox-<row id>`, and tasks built on `OutboxTask` claim the row
  before they run (`started_at`): a message published twice (the relay died between the
  publish and the mark) runs once. Retries of the same task keep its id and run.

In eager mode (development on SQLite) publishing runs the task at once, as `.delay` did.
"""

import importlib
import logging
from collections.abc import Iterable
from typing import Any

from celery import Task, current_app
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from .models import OutboxMessage

log = logging.getLogger(__name__)

TASK_ID_PREFIX = "outbox-"
# What a broker that is down or unreachable raises on publish: stop, the next drain tries again.
BROKER_ERRORS: tuple[type[BaseException], ...] = (OperationalError, ConnectionError, OSError, TimeoutError)


def enqueue(task: str | Task, *args: Any, queue: str = "") -> OutboxMessage:
    """Queue `task(*args)` with the current transaction: written now, published after commit.
    `queue` empty: the task's route (settings.CELERY_TASK_ROUTES) decides."""
    name = task if isinstance(task, str) else task.name
    message = OutboxMessage.objects.create(task=name, args=list(args), queue=queue)
    transaction.on_commit(lambda: publish(message.pk))
    return message


def task_id_of(message_id: int) -> str:
    return f"{TASK_ID_PREFIX}{message_id}"


def message_id_of(task_id: str | None) -> int | None:
    """The outbox row a task id names, or None for a task queued some other way."""
    if not task_id or not task_id.startswith(TASK_ID_PREFIX):
        return None
    suffix = task_id.removeprefix(TASK_ID_PREFIX)
    return int(suffix) if suffix.isdigit() else None


def publish(message_id: int) -> bool:
    """Publish one unsent row. False when the broker refused (the row keeps the error);
    True when it was published, or someone else has it or sent it already, or the row
    itself is at fault (an unknown task: it keeps the error and blocks nothing)."""
    eager = current_app.conf.task_always_eager
    with transaction.atomic():
        message = _locked_unsent(message_id)
        task = message and _task_of(message)
        if message is None or task is None:
            return True
        if not eager:
            try:
                _send(task, message)
            except BROKER_ERRORS as exc:
                _mark_failed(message, exc)
                return False
            except Exception as exc:  # bad arguments: this row's fault; never the user's 500
                log.exception("outbox message %s could not be published", message_id)
                _mark_failed(message, exc)
                return True
        _mark_sent(message)
    if eager:  # the task runs here, after the row's lock is released (it may be a long import)
        _send(task, message)
    return True


def _task_of(message: OutboxMessage) -> Task | None:
    try:
        return task_named(message.task)
    except Exception as exc:
        _mark_failed(message, exc)
        return None


def _locked_unsent(message_id: int) -> OutboxMessage | None:
    return (
        OutboxMessage.objects.select_for_update(skip_locked=True)
        .filter(pk=message_id, sent_at__isnull=True)
        .first()
    )


def task_named(name: str) -> Task:
    """The registered task; its module is imported first if nothing has yet (a web process
    imports task modules only when something needs them)."""
    if name not in current_app.tasks:
        importlib.import_module(name.rpartition(".")[0])
    return current_app.tasks[name]


def _send(task: Task, message: OutboxMessage) -> None:
    task.apply_async(
        args=message.args,
        queue=message.queue or None,
        task_id=task_id_of(message.pk),
        retry=False,  # fail fast while the broker is down: the drain publishes it later
    )


def _mark_sent(message: OutboxMessage) -> None:
    message.sent_at = timezone.now()
    message.attempts += 1
    message.last_error = ""
    message.save(update_fields=["sent_at", "attempts", "last_error"])


def _mark_failed(message: OutboxMessage, exc: BaseException) -> None:
    message.attempts += 1
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    message.save(update_fields=["attempts", "last_error"])
    log.warning("outbox message %s kept unsent: %s", message.pk, message.last_error)


def unsent_ids(*, limit: int) -> list[int]:
    return list(
        OutboxMessage.objects.filter(sent_at__isnull=True).order_by("pk").values_list("pk", flat=True)[:limit]
    )


def drain(*, batch: int = 500) -> int:
    """Publish every unsent row, oldest first; stop at the first broker error. Returns how
    many rows were published (or found taken). Rows that failed for a reason of their own
    (an unknown task) are passed over this time and tried again on the next drain."""
    done, passed_over = 0, set[int]()
    while True:
        ids = [pk for pk in unsent_ids(limit=batch + len(passed_over)) if pk not in passed_over]
        if not ids:
            return done
        for pk in ids:
            if not publish(pk):
                return done
            if OutboxMessage.objects.filter(pk=pk, sent_at__isnull=True).exists():
                passed_over.add(pk)
            else:
                done += 1


def claim(message_id: int) -> bool:
    """The worker's check before running an outbox task: the first run takes the row."""
    return bool(
        OutboxMessage.objects.filter(pk=message_id, started_at__isnull=True).update(started_at=timezone.now())
    )


class OutboxTask(Task):
    """A task that runs once per outbox row, however often the row was published."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        message_id = message_id_of(self.request.id)
        if message_id is not None and not self.request.retries and not claim(message_id):
            log.info("task %s of outbox message %s already ran: skipped", self.name, message_id)
            return None
        return super().__call__(*args, **kwargs)


def enqueue_each(task: str, ids: Iterable[int], *, queue: str = "") -> list[OutboxMessage]:
    return [enqueue(task, pk, queue=queue) for pk in ids]
