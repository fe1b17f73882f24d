"""The settings that deployments turn: the connection pool, the replica, the Celery queues,
and the production security settings that `check --deploy` reads."""

import os
import subprocess
import sys

import pytest
from celery import current_app
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from banten_pm.settings import database_settings, pool_options, replica_settings

PG = "postgres://banten:secret@db:5432/banten_pm"


@pytest.mark.parametrize("value", ["", "false", "off", " False "])
def test_it_keeps_the_pool_off_unless_asked(value):
    assert pool_options(value) is None


@pytest.mark.parametrize(
    ("value", "sizes"),
    [("true", (2, 4)), ("on", (2, 4)), ("4", (4, 4)), ("2:8", (2, 8)), ("0:3", (0, 3))],
)
def test_it_reads_the_pool_sizes(value, sizes):
    assert pool_options(value) == {"min_size": sizes[0], "max_size": sizes[1]}


@pytest.mark.parametrize("value", ["8:2", "-1:4", "0", "many", "2:", "2:x", "1:2:3"])
def test_it_rejects_a_pool_size_that_makes_no_sense(value):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_POOL"):
        pool_options(value)


def test_it_puts_the_pool_into_the_postgresql_options():
    database = database_settings(PG, conn_max_age=0, pool={"min_size": 2, "max_size": 8})
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 8}
    assert database["CONN_MAX_AGE"] == 0


def test_it_leaves_the_options_alone_without_a_pool():
    database = database_settings(PG, conn_max_age=60, pool=None)
    assert "pool" not in database.get("OPTIONS", {})
    assert database["CONN_MAX_AGE"] == 60


def test_it_rejects_a_pool_with_persistent_connections():
    """Django refuses CONN_MAX_AGE with a pool; the settings say so, naming both."""
    with pytest.raises(ImproperlyConfigured, match="CONN_MAX_AGE=0"):
        database_settings(PG, conn_max_age=60, pool={"min_size": 2, "max_size": 4})


def test_it_rejects_a_pool_on_sqlite():
    with pytest.raises(ImproperlyConfigured, match="PostgreSQL"):
        database_settings("sqlite:///db.sqlite3", conn_max_age=0, pool={"min_size": 2, "max_size": 4})


def test_it_opens_the_replica_read_only_and_as_a_test_mirror():
    default = database_settings(PG, conn_max_age=0, pool=None)
    replica = replica_settings(
        "postgres://banten:secret@replica:5432/banten_pm",
        default,
        conn_max_age=0,
        pool={"min_size": 1, "max_size": 2},
    )
    assert replica["HOST"] == "replica"
    assert replica["TEST"] == {"MIRROR": "default"}
    assert replica["OPTIONS"]["options"] == "-c default_transaction_read_only=on"
    assert replica["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 2}
    assert "options" not in default.get("OPTIONS", {})


def test_it_mirrors_default_without_a_replica():
    """Without DATABASE_REPLICA_URL the alias is a copy of default that nothing reads."""
    default = database_settings("sqlite:///db.sqlite3", conn_max_age=0, pool=None)
    replica = replica_settings("", default, conn_max_age=0, pool=None)
    assert replica["NAME"] == default["NAME"]
    assert replica["TEST"] == {"MIRROR": "default"}
    assert "options" not in replica.get("OPTIONS", {})  # not read-only: it is the primary itself


def test_it_keeps_the_mirror_apart_from_the_settings_it_copied():
    default = database_settings(PG, conn_max_age=0, pool={"min_size": 2, "max_size": 4})
    replica = replica_settings("", default, conn_max_age=0, pool=None)
    replica["OPTIONS"]["pool"]["max_size"] = 99
    assert default["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 4}
    assert "TEST" not in default


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("beneficiaries.tasks.run_import", "imports"),
        ("reports.tasks.dispatch_monthly_reports", "reports"),
        ("reports.tasks.send_report", "email"),
        ("celery.backend_cleanup", "celery"),
    ],
)
def test_it_routes_each_kind_of_task_to_its_own_queue(task, queue):
    """Imports, reports and email each have a queue (and their workers); the rest: celery."""
    assert current_app.amqp.router.route({}, task)["queue"].name == queue


def test_it_routes_tasks_that_exist():
    """A renamed task would silently fall back to the default queue: every route names one."""
    import beneficiaries.tasks  # noqa: F401  registers run_import
    import reports.tasks  # noqa: F401

    assert set(settings.CELERY_TASK_ROUTES) <= set(current_app.tasks)


PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "kZ8#q2!vL9@xR4$wT7&nB1*mC6^pF3(hJ5)sD0-gY8+eA2=uI9",
    "ALLOWED_HOSTS": "pm.bantenprov.go.id",
    "DATABASE_URL": "sqlite:///:memory:",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # The test process's own switches (the browser tests allow async-unsafe ORM calls) are
    # not a deployment's.
    unset = ("SECURE_", "BEHIND_", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(unset)}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_production_settings_pass_check_deploy():
    """`check --deploy --fail-level WARNING` passes with production settings from the
    environment alone: HSTS, the HTTPS redirect, secure cookies, the proxy header."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_when_https_is_turned_off():
    """The check is real: production with the redirect and HSTS turned off fails it."""
    env = {**PRODUCTION_ENV, "SECURE_SSL_REDIRECT": "false", "SECURE_HSTS_SECONDS": "0"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert (
        "security.W004" in result.stderr + result.stdout and "security.W008" in result.stderr + result.stdout
    )


def test_production_trusts_the_proxys_https_header(settings):
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    )
    result = manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.stdout.strip().endswith("('HTTP_X_FORWARDED_PROTO', 'https') True True 31536000"), (
        result.stderr
    )


def test_development_stays_on_plain_http(settings):
    """The development defaults (DEBUG on) neither redirect to HTTPS nor send HSTS."""
    code = "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)"
    result = manage("shell", "-c", code, env={"DEBUG": "true", "DATABASE_URL": "sqlite:///:memory:"})
    assert result.stdout.strip().endswith("False 0"), result.stderr
