"""Celery tasks of the beneficiaries app: thin, they fetch by id and call the service.
`run_import` goes to its own queue, "imports" (settings.CELERY_TASK_ROUTES); it is queued
through the outbox (core.outbox) and runs once per outbox row."""

from celery import shared_task

from core.outbox import OutboxTask

from . import growth_tally
from .imports import service
from .services import growth


@shared_task(base=OutboxTask, acks_late=True, ignore_result=True)
def run_import(import_id: int) -> str:
    run = service.run_import(import_id=import_id)
    return run.status if run is not None else "skipped"


@shared_task(ignore_result=True)
def close_aged_out_followups() -> int:
    """Daily (beat, 00:30 Asia/Jakarta): follow-ups of children who reached 60 months end,
    and the growth months that have ended are closed (their toddlers known kept)."""
    growth_tally.close_months()
    return growth.close_aged_out_followups()
