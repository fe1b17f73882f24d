"""The demo's year of history, seeded under frozen clocks: whatever the day it runs, the
report a regent would get now (last month) shows real figures and a real change against the
month before. Each case seeds an empty database (not test_seed_demo.py's shared seed)."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from beneficiaries.models import Assistance, Case, StageTransition
from reports.metrics import STAGE_KEYS
from reports.selectors import previous_period, report_figures

WIB = ZoneInfo("Asia/Jakarta")
MOMENTS = {
    "first_of_month": datetime.datetime(2026, 12, 1, 7, 0, tzinfo=WIB),
    "month_end": datetime.datetime(2026, 11, 30, 23, 59, tzinfo=WIB),
    "leap_day": datetime.datetime(2028, 2, 29, 12, 0, tzinfo=WIB),
    "new_year_0030": datetime.datetime(2027, 1, 1, 0, 30, tzinfo=WIB),  # UTC: still 31 December
}
FLOWS = ["move_entry", "move_advance", "move_fallback", "move_graduate", "move_exit", "aid_total_count",
         "aid_total_amount"]  # fmt: skip

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("seed_demo_history")]


@pytest.fixture(params=list(MOMENTS), ids=list(MOMENTS))
def seeded_then(request):
    """The demo seeded with the clock frozen at the moment (given in UTC, see test_frozen_dates)."""
    moment = MOMENTS[request.param]
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with time_machine.travel(moment.astimezone(datetime.UTC), tick=False), fast:
        call_command("seed_demo", force=True, stdout=io.StringIO())
        yield moment


def test_last_months_report_shows_a_year_of_history(seeded_then):
    """The province's and Pandeglang's reports for last month: entries, advances, fall-backs,
    graduations, exits and aid, in that month and in the month before, and stages that
    changed; and nothing of the story dated in this month or later (Jakarta's month)."""
    period = previous_period()
    assert period == (seeded_then.date().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    for region_code in ("36", "36.01"):
        figures = report_figures(region_code=region_code, period=period).figures
        for key in FLOWS:
            value = figures[key]
            assert value.current > 0 and value.previous > 0, (region_code, key, value)
        assert any(figures[key].change for key in STAGE_KEYS), region_code
    this_month = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate().replace(day=1), datetime.time())
    )
    assert not StageTransition.objects.filter(proposed_at__gte=this_month).exists()
    assert not StageTransition.objects.filter(decided_at__gte=this_month).exists()
    assert not StageTransition.history.filter(history_date__gte=this_month).exists()
    assert not Case.objects.filter(closed_on__gte=this_month.date()).exists()
    assert not Assistance.objects.filter(delivered_on__gte=this_month.date()).exists()
    assert not Assistance.objects.filter(created_at__gte=this_month).exists()
