"""One sign-in limit on every door (core/signin.py, django-axes): /masuk/, /admin/login/
and the API token. After the limit the right password is refused with the wait in
Indonesian; the lock is per username across addresses and per address across usernames;
it lifts after the cool-off; every attempt is logged without the password."""

import datetime
import logging

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.test import Client

from core.signin import client_address

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
PASSWORD = "rahasia-123"
MESSAGE = "Terlalu banyak percobaan masuk. Coba lagi dalam 15 menit."


def _form(client, path, username, password):
    return client.post(path, {"username": username, "password": password})


def _api(client, path, username, password):
    return client.post(path, {"username": username, "password": password}, content_type="application/json")


DOORS = {
    "pages": ("/masuk/", _form),
    "admin": ("/admin/login/", _form),
    "api": ("/api/v1/auth/token/", _api),
}


def attempt(door: str, username: str, password: str, address: str = "10.0.0.1"):
    path, send = DOORS[door]
    return send(Client(REMOTE_ADDR=address), path, username, password)


def signed_in(door: str, response) -> bool:
    if door == "api":
        return response.status_code == 200 and "token" in response.json()
    return response.status_code == 302


@pytest.fixture
def official(regency_official):
    return regency_official  # may use every door, the admin's too


@pytest.mark.parametrize("door", DOORS)
def test_it_refuses_the_right_password_after_40_wrong_ones(door, official):
    """40 wrong passwords, then the right one: not signed in, 429, the wait in Indonesian."""
    for i in range(40):
        attempt(door, "pandeglang", f"tebakan-{i}", address=f"10.0.{i}.1")
    response = attempt(door, "pandeglang", PASSWORD, address="10.9.9.9")
    assert not signed_in(door, response)
    assert response.status_code == 429
    assert MESSAGE in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= 15 * 60


@pytest.mark.parametrize("door", DOORS)
def test_the_right_password_still_works_under_the_limit(door, official):
    for i in range(4):
        attempt(door, "pandeglang", f"tebakan-{i}")
    assert signed_in(door, attempt(door, "pandeglang", PASSWORD))


def test_it_locks_a_username_across_addresses_and_doors(official):
    """Five failures spread over five addresses and three doors lock the username everywhere."""
    for i, door in enumerate(["pages", "admin", "api", "pages", "admin"]):
        attempt(door, "pandeglang", "salah", address=f"10.1.{i}.1")
    for door in DOORS:
        assert attempt(door, "pandeglang", PASSWORD, address="10.2.2.2").status_code == 429


def test_it_locks_an_address_across_usernames(official, head_a):
    """20 failures for 20 usernames from one address lock it, for a right password too,
    while the same user from another address signs in."""
    for i in range(20):
        attempt("pages", f"orang{i}", "salah", address="10.5.5.5")
    assert attempt("pages", "kades_a", PASSWORD, address="10.5.5.5").status_code == 429
    assert attempt("api", "kades_a", PASSWORD, address="10.5.5.5").status_code == 429
    assert signed_in("pages", attempt("pages", "kades_a", PASSWORD, address="10.5.5.6"))


def test_the_lock_lifts_after_the_cool_off(official):
    with time_machine.travel(START, tick=False) as clock:
        for i in range(5):
            attempt("pages", "pandeglang", f"tebakan-{i}")
        clock.shift(datetime.timedelta(minutes=14))
        locked = attempt("pages", "pandeglang", PASSWORD)
        assert locked.status_code == 429
        assert "Coba lagi dalam 1 menit." in locked.content.decode()
        clock.shift(datetime.timedelta(minutes=1, seconds=1))
        assert signed_in("pages", attempt("pages", "pandeglang", PASSWORD))


def test_a_success_clears_the_username_but_not_the_address(official, head_a):
    """A good account signing in from a guessing address does not wipe that address's count."""
    for i in range(19):
        attempt("pages", f"orang{i}", "salah", address="10.6.6.6")
    assert signed_in("pages", attempt("pages", "kades_a", PASSWORD, address="10.6.6.6"))
    attempt("pages", "orang-lagi", "salah", address="10.6.6.6")
    assert attempt("pages", "pandeglang", PASSWORD, address="10.6.6.6").status_code == 429


def test_the_limits_are_settings(official, settings):
    settings.AXES_FAILURE_LIMIT = 2
    attempt("pages", "pandeglang", "a")
    attempt("pages", "pandeglang", "b")
    assert attempt("pages", "pandeglang", PASSWORD).status_code == 429


def test_every_attempt_is_recorded_and_logged_without_the_password(official, caplog):
    caplog.set_level(logging.INFO, logger="banten_pm.signin")
    attempt("pages", "pandeglang", "tebakan-rahasia-1", address="10.7.7.7")
    attempt("admin", "pandeglang", PASSWORD, address="10.7.7.7")
    assert AccessFailureLog.objects.get().path_info == "/masuk/"
    assert AccessLog.objects.get().username == "pandeglang"
    lines = [r.getMessage() for r in caplog.records if r.name == "banten_pm.signin"]
    assert lines == [
        "sign-in refused: username='pandeglang' ip=10.7.7.7 door=/masuk/ locked=False",
        "sign-in: username='pandeglang' ip=10.7.7.7 door=/admin/login/",
    ]
    stored = " ".join(str(v) for a in AccessAttempt.objects.values() for v in a.values())
    assert "tebakan-rahasia-1" not in stored and "tebakan-rahasia-1" not in caplog.text


def test_the_locked_page_is_indonesian_and_links_back(official):
    for i in range(5):
        attempt("pages", "pandeglang", f"tebakan-{i}")
    html = attempt("pages", "pandeglang", PASSWORD).content.decode()
    assert MESSAGE in html and 'href="/masuk/"' in html and 'lang="id"' in html


def test_the_address_is_the_nearest_trusted_proxys(rf, settings):
    """Without a trusted proxy X-Forwarded-For is the client's own say and is ignored."""
    request = rf.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5")
    assert client_address(request) == "10.0.0.9"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "203.0.113.5"
