"""Settings of the workers the fault tests start: the project's own, with unacknowledged
tasks of a killed worker redelivered after seconds, not the production hour, so the test
sees the redelivery. On the shared Redis (BANTEN_REPORTS_TEST_QUEUE set) the queues get the
test's prefix, as in tests/reports/worker_settings.py; on a private redis-server they are
the project's own."""

import os

from banten_pm.settings import *  # noqa: F403
from banten_pm.settings import CELERY_TASK_ROUTES

PREFIX = os.environ.get("BANTEN_REPORTS_TEST_QUEUE", "")
if PREFIX:
    CELERY_TASK_DEFAULT_QUEUE = PREFIX
    CELERY_TASK_ROUTES = {
        task: {"queue": f"{PREFIX}.{route['queue']}"} for task, route in CELERY_TASK_ROUTES.items()
    }
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(os.environ.get("BANTEN_TEST_VISIBILITY", "5"))}
