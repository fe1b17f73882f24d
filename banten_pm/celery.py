"""The Celery application: a worker and beat run with `celery -A banten_pm ...`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banten_pm.settings")

app = Celery("banten_pm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
