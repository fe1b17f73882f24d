"""Growth coverage indexes that carry what the counts read (index-only scans of a month's
last measurements), and the daily beat task that closes the follow-ups of children who
reached 60 months (00:30 Asia/Jakarta; reversing removes it)."""

from django.conf import settings
from django.db import migrations, models

TASK_NAME = "Tutup pendampingan balita yang sudah berumur 60 bulan"
TASK_PATH = "beneficiaries.tasks.close_aged_out_followups"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="0", day_of_month="*", month_of_year="*", day_of_week="*", timezone="Asia/Jakarta"
    )
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": TASK_PATH,
            "crontab": crontab,
            "enabled": True,
            "description": "Pendampingan anak yang sudah berumur 60 bulan ditutup dengan alasan 'sudah berumur 60 bulan'.",
        },
    )
    _tell_running_beat(apps)


def _tell_running_beat(apps):
    from django.utils import timezone

    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask.objects.filter(name=TASK_NAME, task=TASK_PATH).delete()
    CrontabSchedule.objects.filter(
        minute="30", hour="0", day_of_month="*", timezone="Asia/Jakarta", periodictask__isnull=True
    ).delete()
    _tell_running_beat(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('beneficiaries', '0011_businesses_capital_help_women_enrolment'),
        ('programs', '0001_programs_and_partners'),
        ('regions', '0002_only_province_and_regency_officials_are_staff'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='measurement',
            name='measurement_month_idx',
        ),
        migrations.RemoveIndex(
            model_name='measurement',
            name='measurement_regency_month_idx',
        ),
        migrations.AddIndex(
            model_name='measurement',
            index=models.Index(condition=models.Q(('last_of_month', True)), fields=['measured_on'], include=('flagged', 'haz_status', 'waz_status', 'whz_status', 'whz', 'regency', 'district', 'village'), name='measurement_month_idx'),
        ),
        migrations.AddIndex(
            model_name='measurement',
            index=models.Index(condition=models.Q(('last_of_month', True)), fields=['regency', 'measured_on'], include=('flagged', 'haz_status', 'waz_status', 'whz_status', 'whz', 'district', 'village'), name='measurement_regency_month_idx'),
        ),
        migrations.RunPython(create_schedule, remove_schedule),
    ]
