"""Settings of the Celery worker that test_worker.py starts: the project's own, with a queue
of the test's own so that no other worker on the same Redis takes its tasks."""

import os

from banten_pm.settings import *  # noqa: F403

CELERY_TASK_DEFAULT_QUEUE = os.environ["BANTEN_REPORTS_TEST_QUEUE"]
