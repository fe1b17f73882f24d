"""Sessions slide with use and end after SESSION_COOKIE_AGE idle, written at most once a
SESSION_REFRESH_SECONDS (core.middleware.SlidingSessionMiddleware)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

JAKARTA = ZoneInfo("Asia/Jakarta")
START = datetime.datetime(2025, 2, 28, 23, 59, 30, tzinfo=JAKARTA)  # half a minute before 1 March


def session_writes(client, path="/") -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code in (200, 302)
    return sum(1 for q in ctx.captured_queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT"))


def expiry(client) -> datetime.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


@pytest.fixture
def signed_in(client, head_a, settings):
    settings.SESSION_REFRESH_SECONDS = 60  # production's (the suite's default writes every request)
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(head_a)
        client.get("/")
        yield client, traveller


def test_a_page_read_soon_after_the_last_write_writes_no_session(signed_in):
    client, traveller = signed_in
    before = expiry(client)
    traveller.shift(datetime.timedelta(seconds=30))
    assert session_writes(client) == 0
    assert expiry(client) == before


def test_a_page_read_a_minute_later_moves_the_expiry(signed_in, settings):
    client, traveller = signed_in
    traveller.shift(datetime.timedelta(seconds=settings.SESSION_REFRESH_SECONDS + 1))  # past midnight, 1 March
    assert session_writes(client) == 1
    assert expiry(client) == START + datetime.timedelta(seconds=settings.SESSION_REFRESH_SECONDS + 1 + settings.SESSION_COOKIE_AGE)


def test_use_keeps_the_session_alive_past_its_first_age(signed_in, settings):
    client, traveller = signed_in
    for _ in range(5):  # five requests, each half the age apart: 2.5 ages in all
        traveller.shift(datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE // 2))
        assert client.get("/").status_code == 200


def test_an_idle_session_ends_after_its_age(signed_in, settings):
    client, traveller = signed_in
    traveller.shift(datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))
    response = client.get("/")
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_a_short_age_still_slides_with_use(client, head_a, settings):
    settings.SESSION_REFRESH_SECONDS, settings.SESSION_COOKIE_AGE = 60, 40
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(head_a)
        for _ in range(4):  # every 25 s, past the 40 s age and the 60 s interval
            traveller.shift(datetime.timedelta(seconds=25))
            assert client.get("/").status_code == 200


def test_a_dead_cookie_starts_no_session(client, db):
    client.cookies["sessionid"] = "x" * 32
    client.get("/masuk/")
    assert Session.objects.count() == 0


def test_signing_out_leaves_no_session(signed_in):
    client, _traveller = signed_in
    client.post("/keluar/")
    assert Session.objects.count() == 0
