"""Celery tasks of the monthly report: thin, they fetch by id and call the services.

`acks_late` with `reject_on_worker_lost`: a task whose worker dies is delivered again; the
send service then finds the row `sent` or `sending` and does not send it twice. Sends are
queued through the outbox (core.outbox): a row published twice runs once."""

import datetime

from celery import shared_task
from django.conf import settings

from core.outbox import OutboxTask

from . import services


def retry_policy() -> tuple[int, int]:
    """How many retries on SMTP errors, and the first backoff in seconds (doubling)."""
    return (
        getattr(settings, "REPORTS_SEND_MAX_RETRIES", 5),
        getattr(settings, "REPORTS_SEND_RETRY_BACKOFF", 60),
    )


@shared_task(acks_late=True, ignore_result=True)
def dispatch_monthly_reports(period: str | None = None, region_code: str | None = None) -> int:
    """Beat runs this on the 1st for the previous month; `period` is `YYYY-MM` when given."""
    day: datetime.date | None = services.parse_period(period) if period else None
    return len(services.dispatch_reports(period=day, region_code=region_code))


@shared_task(
    base=OutboxTask,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    max_retries=None,
)
def send_report(self, delivery_id: int) -> str:
    try:
        return services.send_delivery(delivery_id=delivery_id)
    except services.DeliveryFailed as exc:
        max_retries, backoff = retry_policy()
        if self.request.retries >= max_retries:
            return "failed"
        raise self.retry(exc=exc, countdown=backoff * 2**self.request.retries) from exc
