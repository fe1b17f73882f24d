"""The monthly schedule: the 1st of each month at 07:00 Asia/Jakarta, for the previous month.

Officials change it afterwards in the admin (Periodic tasks); reversing removes it."""

from django.db import migrations

TASK_NAME = "Laporan bulanan ke bupati/walikota dan gubernur"
TASK_PATH = "reports.tasks.dispatch_monthly_reports"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="7",
        day_of_month="1",
        month_of_year="*",
        day_of_week="*",
        timezone="Asia/Jakarta",
    )
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": TASK_PATH,
            "crontab": crontab,
            "enabled": True,
            "description": "Mengirim laporan bulan sebelumnya ke setiap penerima aktif.",
        },
    )
    _tell_running_beat(apps)


def _tell_running_beat(apps):
    """A running DatabaseScheduler reloads its schedule when this row changes."""
    from django.utils import timezone

    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask.objects.filter(name=TASK_NAME, task=TASK_PATH).delete()
    CrontabSchedule.objects.filter(
        minute="0", hour="7", day_of_month="1", timezone="Asia/Jakarta", periodictask__isnull=True
    ).delete()
    _tell_running_beat(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_recipients_and_deliveries"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
