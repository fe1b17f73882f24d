"""Standing users (STYLE.md): officials at each level, heads of two villages, a cadre,
and a user with no region. Village A and B lie in the same district."""

import os
import shutil

import pytest
from django.core.cache import cache
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp

from regions import policy, second_factor
from tests.factories import VILLAGE_A, VILLAGE_B, VILLAGE_NORTH, UserFactory


def services_required() -> bool:
    """CI (`.ci/run`) sets BANTEN_REQUIRE_SERVICES=1: PostgreSQL, Redis and Chromium must be there."""
    return os.environ.get("BANTEN_REQUIRE_SERVICES") == "1"


def pytest_configure(config):
    if services_required():
        missing = [v for v in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(v)]
        if missing or not shutil.which("chromium"):
            raise pytest.UsageError(f"CI needs DATABASE_URL, REDIS_URL and chromium; missing: {missing}")


def _skip_as_failure(report):
    """In CI a skip means a service is missing (the skip's reason names it): fail instead."""
    if not (report.skipped and services_required()) or hasattr(report, "wasxfail"):
        return report
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = (
        f"BANTEN_REQUIRE_SERVICES=1, so no test may skip, but this one did: "
        f"{reason.removeprefix('Skipped: ')}"
    )
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    return _skip_as_failure((yield))


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    return _skip_as_failure((yield))


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 costs ~0.3 s a user; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def eager_celery():
    """Tasks run in the test process, whatever REDIS_URL says; the real-worker tests turn
    this off (tests/reports/test_worker.py)."""
    from celery import current_app

    conf = current_app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager, conf.task_eager_propagates = True, True
    yield conf
    conf.task_always_eager, conf.task_eager_propagates = saved


@pytest.fixture(autouse=True)
def _reports_read_the_test_transaction(settings):
    """With DATABASE_REPLICA_URL set (CI), report figures read the "replica" alias: another
    connection, which cannot see what a test wrote inside its open transaction. Tests read
    them from default; tests/reports/test_replica.py and the real worker prove the replica."""
    settings.REPORTS_DATABASE = "default"


@pytest.fixture(autouse=True)
def _private_cache(settings):
    """Each test process counts in its own memory: a cache.clear() on the shared Redis
    would also wipe the Celery broker's queues and the other workers' counters."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Counters (failed logins, refused duplicates) are per user id, and ids repeat across
    # tests: every test starts with none.
    cache.clear()


@pytest.fixture(autouse=True)
def _sessions_written_on_every_request(settings):
    """Tests compare the queries of one request with another's: every request writes its
    session, as it did before the sliding refresh. tests/core/test_sliding_session.py sets
    the production interval."""
    settings.SESSION_REFRESH_SECONDS = 0


# The TOTP key of every standing official's authenticator in tests (hex, as django-otp keeps it).
TEST_TOTP_KEY = "3132333435363738393031323334353637383930"


def totp_code(key_hex: str = TEST_TOTP_KEY) -> str:
    """The code an authenticator app with this key shows now."""
    return f"{totp(bytes.fromhex(key_hex)):06d}"


def pass_second_factor(client: Client, user) -> None:
    """What a verified sign-in leaves in the session: the user's device (a known key) as
    the one that verified it (django-otp's session key)."""
    device = second_factor.confirmed_device(user) or second_factor.set_known_device(
        user=user, key_hex=TEST_TOTP_KEY
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(request, monkeypatch):
    """A test client's `force_login` of someone who needs the second factor for the admin
    (regions.policy.needs_second_factor) also passes it, as a real sign-in would after the
    code: tests of other things reach the admin as before. Tests of the second factor
    itself are marked `real_second_factor` and go through the code pages."""
    if request.node.get_closest_marker("real_second_factor"):
        return
    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if policy.needs_second_factor(user):
            pass_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def province(db):
    return UserFactory(username="prov", role="province", region_code="36")


@pytest.fixture
def regency_official(db):
    return UserFactory(username="pandeglang", role="regency", region_code="36.01")


@pytest.fixture
def district_official(db):
    return UserFactory(username="camat_sumur", role="district", region_code="36.01.01")


@pytest.fixture
def head_a(db):
    return UserFactory(username="kades_a", role="village", region_code=VILLAGE_A)


@pytest.fixture
def head_b(db):
    return UserFactory(username="kades_b", role="village", region_code=VILLAGE_B)


@pytest.fixture
def north_official(db):
    return UserFactory(username="tangerang", role="regency", region_code="36.71")


@pytest.fixture
def cadre(db):
    return UserFactory(username="kader_a", role="cadre", region_code=VILLAGE_A)


@pytest.fixture
def stranger(db):
    """Signed in and active, but with no region: sees nothing."""
    return UserFactory(username="tanpa_wilayah", role="", region_code="")


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", role="", region_code="", is_superuser=True)


@pytest.fixture
def village_north():
    return VILLAGE_NORTH
