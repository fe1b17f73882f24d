"""The monthly schedule comes from a reversible data migration, not from hand work."""

import importlib

from django.apps import apps
from django_celery_beat.models import CrontabSchedule, PeriodicTask

schedule = importlib.import_module("reports.migrations.0002_monthly_report_schedule")


def test_it_schedules_the_dispatcher_on_the_first_at_seven_jakarta_time(db):
    """1st of each month, 07:00 Asia/Jakarta, running the dispatcher (no period: last month)."""
    schedule.create_schedule(apps, None)  # idempotent; a flushed test database loses migration rows
    task = PeriodicTask.objects.get(name=schedule.TASK_NAME)
    assert task.task == "reports.tasks.dispatch_monthly_reports" and task.enabled
    cron = task.crontab
    assert (cron.minute, cron.hour, cron.day_of_month, cron.month_of_year, cron.day_of_week) == (
        "0",
        "7",
        "1",
        "*",
        "*",
    )
    assert str(cron.timezone) == "Asia/Jakarta"
    assert task.args == "[]" and task.kwargs == "{}"


def test_its_migration_can_be_reversed(db):
    """Reversing removes the task and its now unused crontab; applying again restores them."""
    schedule.create_schedule(apps, None)
    schedule.remove_schedule(apps, None)
    assert not PeriodicTask.objects.filter(name=schedule.TASK_NAME).exists()
    assert not CrontabSchedule.objects.filter(hour="7", day_of_month="1", timezone="Asia/Jakarta").exists()
    schedule.create_schedule(apps, None)
    assert PeriodicTask.objects.filter(name=schedule.TASK_NAME).count() == 1
    ops = schedule.Migration.operations
    assert ops[0].reversible
