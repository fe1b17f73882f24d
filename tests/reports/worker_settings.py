"""Settings of the Celery worker that test_worker.py starts: the project's own, with queues
of the test's own (`<prefix>.reports`, `<prefix>.email`, ...) so that no other worker on
the same Redis takes its tasks, while each task still follows the project's routes."""

import os

from banten_pm.settings import *  # noqa: F403
from banten_pm.settings import CELERY_TASK_ROUTES

PREFIX = os.environ["BANTEN_REPORTS_TEST_QUEUE"]
CELERY_TASK_DEFAULT_QUEUE = PREFIX
CELERY_TASK_ROUTES = {
    task: {"queue": f"{PREFIX}.{route['queue']}"} for task, route in CELERY_TASK_ROUTES.items()
}
