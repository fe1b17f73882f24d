"""Celery tasks of core: the outbox drain, which beat runs each minute
(settings.CELERY_BEAT_SCHEDULE) so that tasks kept while the broker was down are queued."""

from celery import shared_task

from . import outbox


@shared_task(ignore_result=True)
def drain_outbox() -> int:
    return outbox.drain()
