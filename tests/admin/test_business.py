"""The officials' admin for businesses, follow-ups, capital help and enrolments, and the
dashboard's women's programme and sector-vs-focus view."""

import datetime

import pytest
import time_machine

from beneficiaries.models import Business, BusinessFollowUp, CapitalHelp, WomenEnrolment
from beneficiaries.services.business import create_business, enrol_woman, record_capital_help
from tests.admin.conftest import page
from tests.factories import VILLAGE_NORTH, HouseholdFactory, PersonFactory, WomanFactory

NOW = "2025-09-01 05:00Z"


@pytest.fixture
def wife(db):
    household = HouseholdFactory()
    PersonFactory(household=household)
    return WomanFactory(household=household, full_name="Ibu Ratna")


@pytest.fixture
def business(wife, province):
    return create_business(
        actor=province, owner_person=wife, name="Dapur Ratna", sector="culinary",
        started_on=datetime.date(2025, 1, 31), sells_at_market=True,
    )  # fmt: skip


@time_machine.travel(NOW, tick=False)
def test_an_official_adds_a_business_through_the_service(regency_official, wife, login):
    """The add form writes through create_business: the schedule and region codes are set."""
    response = login(regency_official).post(
        "/admin/beneficiaries/business/add/",
        {"owner_person": wife.pk, "name": "Kue Ratna", "sector": "culinary", "started_on": "2025-01-31",
         "sells_online": "on", "followups-TOTAL_FORMS": "0", "followups-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = Business.objects.get()
    assert (stored.name, stored.next_due_on, stored.regency_id) == (
        "Kue Ratna",
        datetime.date(2025, 4, 30),
        "36.01",
    )


@time_machine.travel(NOW, tick=False)
def test_it_rejects_a_business_without_a_channel_in_the_admin(regency_official, wife, login):
    """The service's error shows on the form; nothing is written."""
    response = login(regency_official).post(
        "/admin/beneficiaries/business/add/",
        {"owner_person": wife.pk, "name": "Kue", "sector": "culinary", "started_on": "2025-01-31",
         "followups-TOTAL_FORMS": "0", "followups-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert "Pilih minimal satu tempat berjualan." in page(response)
    assert not Business.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_an_official_records_a_follow_up_and_moves_capital_one_step(regency_official, business, login):
    """The follow-up goes through record_followup; the capital status offers only the next steps."""
    client = login(regency_official)
    response = client.post(
        "/admin/beneficiaries/businessfollowup/add/",
        {"business": business.pk, "kind": "m3", "visited_on": "2025-04-30", "status": "running",
         "monthly_revenue": "1500000", "workers": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    assert BusinessFollowUp.objects.get().monthly_revenue == 1_500_000
    help_row = record_capital_help(
        actor=regency_official,
        business=business,
        scheme="grant",
        amount=2_000_000,
        applied_on=datetime.date(2025, 5, 1),
    )
    form = page(client.get(f"/admin/beneficiaries/capitalhelp/{help_row.pk}/change/"))
    assert 'value="approved"' in form and 'value="disbursed"' not in form


@time_machine.travel(NOW, tick=False)
def test_out_of_region_rows_are_404_in_the_admin(regency_official, north_official, business, login):
    """Another regency's official does not find Pandeglang's business."""
    assert (
        login(north_official).get(f"/admin/beneficiaries/business/{business.pk}/change/").status_code == 404
    )
    assert "Dapur Ratna" in page(login(regency_official).get("/admin/beneficiaries/business/"))
    assert "Dapur Ratna" not in page(login(north_official).get("/admin/beneficiaries/business/"))


@time_machine.travel(NOW, tick=False)
def test_the_dashboard_shows_the_funnel_and_sectors_against_the_focus(province, business, wife, login):
    """The province's dashboard has the women's funnel per regency and the zone view."""
    enrol_woman(actor=province, person=wife, enrolled_on=datetime.date(2025, 1, 5))
    north = HouseholdFactory(village_id=VILLAGE_NORTH)
    create_business(
        actor=province, owner_person=WomanFactory(household=north, relation="head"), name="Toko Daring",
        sector="digital", started_on=datetime.date(2025, 2, 1), sells_online=True,
    )  # fmt: skip
    html = page(login(province).get("/admin/"))
    assert "Corong program pemberdayaan ekonomi perempuan" in html
    assert "Usaha dan badan usaha per bidang dibanding fokus zona" in html
    assert "<strong>Kuliner/tata boga 1</strong>" in html and "<strong>Digital 1</strong>" in html
    assert WomenEnrolment.objects.count() == 1 and CapitalHelp.objects.count() == 0
