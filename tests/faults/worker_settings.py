"""Settings of the workers the fault tests start: the report tests' own queues (a prefix of
the test's), and unacknowledged tasks of a killed worker redelivered after seconds, not
the production hour, so the test sees the redelivery."""

import os

from tests.reports.worker_settings import *  # noqa: F403

CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(os.environ.get("BANTEN_TEST_VISIBILITY", "5"))}
