"""The admin of growth monitoring: lists and pages scoped to the user's region, the
computed numbers read-only, and every save through the services."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from beneficiaries.models import GrowthFollowUp, Intervention, Measurement
from tests.admin.conftest import page
from tests.beneficiaries.growth_helpers import BIRTH, household_in, weigh
from tests.factories import VILLAGE_A, VILLAGE_B, ToddlerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def march_2025():
    moment = datetime.datetime(2025, 3, 20, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    with time_machine.travel(moment.astimezone(datetime.UTC), tick=False):
        yield


@pytest.fixture
def two_villages(cadre, head_b):
    """A stunted child in each village, with its follow-up."""
    a = ToddlerFactory(household=household_in(VILLAGE_A), birth_date=BIRTH, full_name="Anak Sumberjaya-A")
    b = ToddlerFactory(household=household_in(VILLAGE_B), birth_date=BIRTH, full_name="Anak Kertajaya-B")
    return weigh(cadre, a, datetime.date(2025, 2, 10), "12.2", "80.0"), weigh(
        head_b, b, datetime.date(2025, 2, 10), "12.2", "80.0"
    )


def url(obj, view="change") -> str:
    return reverse(f"admin:beneficiaries_{obj._meta.model_name}_{view}", args=[obj.pk])


def changelist(model) -> str:
    return reverse(f"admin:beneficiaries_{model._meta.model_name}_changelist")


@pytest.mark.parametrize("model", [Measurement, GrowthFollowUp])
def test_the_lists_show_only_the_users_village(model, two_villages, head_b, district_official, login):
    html = page(login(head_b).get(changelist(model)))
    assert "Anak Kertajaya-B" in html and "Anak Sumberjaya-A" not in html
    both = page(login(district_official).get(changelist(model)))
    assert "Anak Kertajaya-B" in both and "Anak Sumberjaya-A" in both


def test_pages_of_another_village_are_not_found(two_villages, head_b, login):
    a, _b = two_villages
    followup = GrowthFollowUp.objects.get(person=a.person)
    client = login(head_b)
    for target in (url(a), url(a, "history"), url(followup), url(followup, "history")):
        assert client.get(target).status_code == 404


def test_the_list_filters_by_status(two_villages, district_official, login):
    html = page(login(district_official).get(changelist(Measurement), {"haz_status": "normal"}))
    assert "Anak Sumberjaya-A" not in html
    assert "Anak Sumberjaya-A" in page(
        login(district_official).get(changelist(Measurement), {"haz_status": "stunted"})
    )


def test_a_correction_in_the_admin_recomputes_through_the_service(two_villages, regency_official, login):
    a, _b = two_villages
    data = {
        "measured_on": "2025-02-10",
        "weight_kg": "12.2",
        "height_cm": "86.4",
        "position": "standing",
        "muac_cm": "",
        "head_cm": "",
        "posyandu": "",
    }
    response = login(regency_official).post(url(a), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    a.refresh_from_db()
    assert (str(a.height_cm), a.haz_status) == ("86.4", "normal")
    assert a.history.first().history_user == regency_official


def test_a_bad_correction_is_shown_on_its_field(two_villages, regency_official, login):
    a, _b = two_villages
    data = {"measured_on": "2025-02-10", "weight_kg": "55", "height_cm": "80.0", "position": "standing"}
    html = page(login(regency_official).post(url(a), data))
    assert "Berat badan harus antara 0,5 dan 40 kg." in html
    a.refresh_from_db()
    assert str(a.weight_kg) == "12.20"


def test_a_follow_up_is_closed_and_given_interventions_through_the_services(
    two_villages, regency_official, login
):
    a, _b = two_villages
    followup = GrowthFollowUp.objects.get(person=a.person)
    data = {
        "close_reason": "",
        "close_note": "",
        "interventions-TOTAL_FORMS": "1",
        "interventions-INITIAL_FORMS": "0",
        "interventions-MIN_NUM_FORMS": "0",
        "interventions-MAX_NUM_FORMS": "1000",
        "interventions-0-given_on": "2025-02-15",
        "interventions-0-kind": "vitamin_a",
        "interventions-0-note": "Kapsul biru",
    }
    response = login(regency_official).post(url(followup), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Intervention.objects.get().recorded_by == regency_official
    closing = {**data, "interventions-TOTAL_FORMS": "0", "close_reason": "moved", "close_note": "Ke Serang"}
    assert login(regency_official).post(url(followup), closing).status_code == 302
    followup.refresh_from_db()
    assert (followup.status, followup.close_reason, followup.closed_by) == (
        "closed",
        "moved",
        regency_official,
    )


def test_nothing_is_added_or_deleted_in_the_admin(two_villages, province, login):
    a, _b = two_villages
    client = login(province)
    assert client.get(reverse("admin:beneficiaries_measurement_add")).status_code == 403
    assert client.get(reverse("admin:beneficiaries_growthfollowup_add")).status_code == 403
    assert client.get(url(a, "delete")).status_code == 403
