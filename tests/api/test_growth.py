"""/api/v1/measurements/, /api/v1/followups/ and /api/v1/growth/coverage/: the fields of
issue 12, region scoping (404 outside), 400s naming the field, PATCH recomputing, and the
coverage numbers of a hand-counted month in a fixed number of queries."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beneficiaries.models import GrowthFollowUp, Intervention, Measurement
from tests.api.conftest import errors_of
from tests.beneficiaries.growth_helpers import BIRTH, build_february, household_in
from tests.factories import VILLAGE_A, PosyanduFactory, ToddlerFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/measurements/"
COVERAGE = "/api/v1/growth/coverage/"


@pytest.fixture(autouse=True)
def march_2025():
    moment = datetime.datetime(2025, 3, 20, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    with time_machine.travel(moment.astimezone(datetime.UTC), tick=False):
        yield


@pytest.fixture
def child(db):
    return ToddlerFactory(household=household_in(VILLAGE_A), birth_date=BIRTH)


def body(child, **changes) -> dict:
    return {
        "person": child.pk,
        "measured_on": "2025-01-10",
        "weight_kg": "12.2",
        "height_cm": "86.4",
        "position": "standing",
        **changes,
    }


def test_post_answers_with_the_computed_fields(api, cadre, child):
    posyandu = PosyanduFactory(region_code=VILLAGE_A)
    response = api(cadre).post(URL, body(child, muac_cm="15.0", posyandu=posyandu.pk), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert {
        k: data[k] for k in ("person", "measured_on", "weight_kg", "height_cm", "position", "posyandu")
    } == {
        "person": child.pk,
        "measured_on": "2025-01-10",
        "weight_kg": "12.20",
        "height_cm": "86.4",
        "position": "standing",
        "posyandu": posyandu.pk,
    }
    assert (data["muac_cm"], data["head_cm"]) == ("15.0", None)
    assert (data["age_months"], data["haz"], data["waz"], data["whz"]) == (24, "-0.23", "0.03", "0.19")
    assert (data["haz_status"], data["waz_status"], data["whz_status"]) == ("normal", "normal", "normal")
    assert (data["growth_sign"], data["flagged"], data["flags"]) == ("B", False, [])
    assert Measurement.objects.get().recorded_by == cadre


def test_whz_is_null_with_its_reason_and_flags_are_listed(api, cadre, child):
    data = api(cadre).post(URL, body(child, height_cm="60.0"), format="json").json()
    assert (data["whz"], data["whz_status"], data["flagged"], data["flags"]) == (None, None, True, ["haz"])
    assert data["whz_note"].startswith("BB/TB tidak dihitung")


def test_the_computed_fields_are_read_only(api, cadre, child):
    response = api(cadre).post(URL, body(child, haz="3.00", growth_sign="N", age_months=1), format="json")
    assert response.status_code == 201
    assert (response.json()["haz"], response.json()["growth_sign"], response.json()["age_months"]) == (
        "-0.23",
        "B",
        24,
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"weight_kg": "45"}, "weight_kg"),
        ({"height_cm": "20"}, "height_cm"),
        ({"measured_on": "2025-03-21"}, "measured_on"),
        ({"measured_on": "2022-01-01"}, "measured_on"),
        ({"position": "duduk"}, "position"),
        ({"weight_kg": "abc"}, "weight_kg"),
        ({"posyandu": 999999}, "posyandu"),
    ],
)
def test_post_refuses_with_the_field_named(api, cadre, child, changes, field):
    response = api(cadre).post(URL, body(child, **changes), format="json")
    assert response.status_code == 400
    assert list(errors_of(response)) == [field]
    assert not Measurement.objects.exists()


def test_a_second_measurement_the_same_day_is_409(api, cadre, child):
    assert api(cadre).post(URL, body(child), format="json").status_code == 201
    response = api(cadre).post(URL, body(child, weight_kg="12.4"), format="json")
    assert response.status_code == 409
    assert list(errors_of(response)) == ["measured_on"]


def test_outside_the_region_is_404_for_writes_and_reads(api, cadre, head_b, child):
    assert api(head_b).post(URL, body(child), format="json").status_code == 404
    created = api(cadre).post(URL, body(child), format="json").json()
    assert api(head_b).get(f"{URL}{created['id']}/").status_code == 404
    assert api(head_b).patch(f"{URL}{created['id']}/", {"weight_kg": "12"}, format="json").status_code == 404
    assert api(head_b).get(URL).json()["count"] == 0
    assert api(cadre).get(URL).json()["count"] == 1
    assert Measurement.objects.get().weight_kg == Decimal("12.20")


def test_patch_corrects_and_recomputes(api, cadre, child):
    january = api(cadre).post(URL, body(child, weight_kg="11.0"), format="json").json()
    february = (
        api(cadre).post(URL, body(child, weight_kg="11.0", measured_on="2025-02-10"), format="json").json()
    )
    assert february["growth_sign"] == "T"
    response = api(cadre).patch(f"{URL}{january['id']}/", {"weight_kg": "10.0"}, format="json")
    assert response.status_code == 200
    assert (response.json()["whz"], response.json()["whz_status"]) == ("-2.34", "wasted")
    assert api(cadre).get(f"{URL}{february['id']}/").json()["growth_sign"] == "N"
    bad = api(cadre).patch(f"{URL}{january['id']}/", {"height_cm": "140"}, format="json")
    assert (bad.status_code, list(errors_of(bad))) == (400, ["height_cm"])


def test_the_list_filters_by_status(api, cadre, child):
    api(cadre).post(URL, body(child, height_cm="80.0"), format="json")
    api(cadre).post(URL, body(child, measured_on="2025-02-10"), format="json")
    assert api(cadre).get(URL, {"haz_status": "stunted"}).json()["count"] == 1
    assert api(cadre).get(URL, {"measured_from": "2025-02-01"}).json()["count"] == 1


# ---------------------------------------------------------------- follow-ups


@pytest.fixture
def followup(api, cadre, child):
    api(cadre).post(URL, body(child, height_cm="80.0"), format="json")
    return GrowthFollowUp.objects.get()


def test_followups_list_and_interventions(api, cadre, head_b, followup):
    listed = api(cadre).get("/api/v1/followups/", {"status": "open"}).json()
    assert listed["count"] == 1
    assert {k: listed["results"][0][k] for k in ("id", "reasons", "status", "interventions")} == {
        "id": followup.pk,
        "reasons": ["stunted"],
        "status": "open",
        "interventions": [],
    }
    url = f"/api/v1/followups/{followup.pk}/interventions/"
    response = api(cadre).post(
        url, {"given_on": "2025-02-01", "kind": "pmt", "note": "PMT lokal"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert [(i["kind"], i["given_on"], i["note"]) for i in response.json()["interventions"]] == [
        ("pmt", "2025-02-01", "PMT lokal")
    ]
    assert Intervention.objects.get().recorded_by == cadre
    assert api(head_b).post(url, {"given_on": "2025-02-01", "kind": "pmt"}, format="json").status_code == 404
    assert api(head_b).get("/api/v1/followups/").json()["count"] == 0
    bad = api(cadre).post(url, {"given_on": "2025-01-01", "kind": "pmt"}, format="json")
    assert (bad.status_code, list(errors_of(bad))) == (400, ["given_on"])


def test_closing_a_followup(api, head_a, followup):
    url = f"/api/v1/followups/{followup.pk}/close/"
    response = api(head_a).post(url, {"reason": "moved"}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["close_reason"]) == ("closed", "moved")
    assert api(head_a).post(url, {"reason": "moved"}, format="json").status_code == 409


# ---------------------------------------------------------------- coverage


@pytest.fixture
def february(cadre, head_b, north_official):
    return build_february(cadre=cadre, head_b=head_b, north_official=north_official)


def test_coverage_numbers_of_a_hand_counted_month(api, head_a, february):
    response = api(head_a).get(COVERAGE, {"region": VILLAGE_A, "period": "2025-02"})
    assert response.status_code == 200
    assert response.json() == {
        "region": VILLAGE_A,
        "period": "2025-02",
        "toddlers": 6,
        "measured": 5,
        "coverage_pct": "83.3",
        "stunted": 2,
        "severely_stunted": 1,
        "wasted": 1,
        "severely_wasted": 0,
        "underweight": 1,
        "stunting_pct": "50.0",
        "wasting_pct": "25.0",
        "followups_open": 3,
    }


def test_coverage_of_the_province_for_its_official(api, province, february):
    data = api(province).get(COVERAGE, {"region": "36", "period": "2025-02"}).json()
    assert (data["toddlers"], data["measured"], data["wasted"]) == (8, 7, 2)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "2025-02"}, "region"),
        ({"region": "36.99", "period": "2025-02"}, "region"),
        ({"region": "abc", "period": "2025-02"}, "region"),
        ({"region": VILLAGE_A, "period": "2025-2"}, "period"),
        ({"region": VILLAGE_A, "period": "Februari"}, "period"),
    ],
)
def test_coverage_refuses_a_bad_region_or_period_naming_it(api, head_a, params, field):
    response = api(head_a).get(COVERAGE, params)
    assert response.status_code == 400
    assert list(errors_of(response)) == [field]


def test_coverage_outside_the_users_region_is_404(api, head_a, head_b, cadre, stranger, february):
    assert api(head_b).get(COVERAGE, {"region": VILLAGE_A}).status_code == 404
    assert api(head_a).get(COVERAGE, {"region": "36.01.01"}).status_code == 404
    assert api(stranger).get(COVERAGE, {"region": VILLAGE_A}).status_code == 404
    assert api(None).get(COVERAGE, {"region": VILLAGE_A}).status_code == 401
    assert api(cadre).get(COVERAGE, {"region": VILLAGE_A, "period": "2025-02"}).json()["measured"] == 5


def test_coverage_and_lists_run_a_fixed_number_of_queries(api, province, cadre, head_b, north_official):
    def queries(url, params=None) -> int:
        client = api(province)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, params).status_code == 200
        return len(captured)

    build_february(cadre=cadre, head_b=head_b, north_official=north_official)
    queries(COVERAGE, {"region": "36.01"})  # the user's permissions, read once and cached
    small = [
        queries(COVERAGE, {"region": "36.01", "period": "2025-02"}),
        queries(URL),
        queries("/api/v1/followups/"),
    ]
    build_february(cadre=cadre, head_b=head_b, north_official=north_official, extra_normal=12)
    large = [
        queries(COVERAGE, {"region": "36.01", "period": "2025-02"}),
        queries(URL),
        queries("/api/v1/followups/"),
    ]
    assert small == large
    assert small[0] == 5  # the region's name, and the four of the selector (an open month)
