"""Village pages: the household's businesses and the forms to add one, record a visit,
record capital help and enrol a woman; the programme page with the funnel."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from beneficiaries.models import Business, BusinessFollowUp, CapitalHelp, WomenEnrolment
from beneficiaries.services.business import create_business, enrol_woman
from tests.factories import VILLAGE_NORTH, HouseholdFactory, WomanFactory

NOW = "2025-12-31 17:30Z"  # 00:30 on 1 January 2026 in Jakarta: the new day there


@pytest.fixture
def siti(household_a):
    return household_a.members.get(full_name="Siti Aminah")


@pytest.fixture
def business(siti, head_a):
    return create_business(
        actor=head_a, owner_person=siti, name="Keripik Siti", sector="culinary",
        started_on=datetime.date(2025, 9, 30), sells_at_market=True,
    )  # fmt: skip


@time_machine.travel(NOW, tick=False)
def test_a_village_head_adds_a_business_from_the_household_page(client, head_a, household_a, siti):
    """The form writes through the service and the household page lists the business."""
    client.force_login(head_a)
    data = {"owner_person": siti.pk, "name": "Kue Basah Siti", "sector": "culinary", "started_on": "2025-11-30",
            "sells_online": "on"}  # fmt: skip
    response = client.post(reverse("business_create", args=[household_a.pk]), data, follow=True)
    assert response.status_code == 200
    business = Business.objects.get()
    assert (business.owner_person_id, business.next_due_on) == (siti.pk, datetime.date(2026, 2, 28))
    assert "Kue Basah Siti" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_it_rejects_a_business_form_without_a_channel(client, head_a, household_a, siti):
    """The service's error is shown on the form; nothing is written."""
    client.force_login(head_a)
    data = {"owner_person": siti.pk, "name": "Kue", "sector": "culinary", "started_on": "2025-11-30"}
    response = client.post(reverse("business_create", args=[household_a.pk]), data)
    assert "Pilih minimal satu tempat berjualan." in response.content.decode()
    assert not Business.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_due_visit_shows_on_the_attention_list_until_recorded(client, head_a, business):
    """Started 30 September: the 3-month visit is due 30 December; on 1 January (Jakarta) it
    is on the village's attention list, and recording it takes it off."""
    client.force_login(head_a)
    assert "Keripik Siti" in client.get(reverse("home")).content.decode()
    data = {
        "kind": "m3",
        "visited_on": "2026-01-01",
        "status": "running",
        "monthly_revenue": "1250000",
        "workers": "1",
    }
    response = client.post(reverse("followup_create", args=[business.pk]), data, follow=True)
    assert response.status_code == 200
    assert BusinessFollowUp.objects.get().monthly_revenue == 1_250_000
    assert "Rp 1.250.000" in response.content.decode()
    assert "Keripik Siti" not in client.get(reverse("attention_list")).content.decode()


@time_machine.travel(NOW, tick=False)
def test_capital_help_is_recorded_and_stepped_on_the_pages(client, head_a, business):
    """Applied from the business, then approved: only the next steps are offered."""
    client.force_login(head_a)
    data = {"scheme": "revolving", "amount": "2000000", "applied_on": "2025-12-01"}
    client.post(reverse("capital_help_create", args=[business.pk]), data)
    help_row = CapitalHelp.objects.get()
    form = client.get(reverse("capital_help_step", args=[help_row.pk])).content.decode()
    assert 'value="approved"' in form and 'value="disbursed"' not in form
    client.post(reverse("capital_help_step", args=[help_row.pk]), {"to": "approved", "on": "2025-12-10"})
    help_row.refresh_from_db()
    assert (help_row.status, help_row.approved_on) == ("approved", datetime.date(2025, 12, 10))


@time_machine.travel(NOW, tick=False)
def test_a_woman_is_enrolled_from_her_household(client, head_a, household_a, siti):
    """Siti heads her household: enrolled and flagged; the child is not offered."""
    client.force_login(head_a)
    form = client.get(reverse("enrolment_create", args=[household_a.pk])).content.decode()
    assert "Siti Aminah" in form and "Budi" not in form
    client.post(
        reverse("enrolment_create", args=[household_a.pk]), {"person": siti.pk, "enrolled_on": "2025-12-01"}
    )
    assert WomenEnrolment.objects.get().female_headed is True


@time_machine.travel(NOW, tick=False)
def test_the_programme_page_shows_the_funnel_for_the_district(
    client, district_official, head_a, siti, business
):
    """The camat sees the funnel per village of the district; a north woman is not counted."""
    enrol_woman(actor=head_a, person=siti, enrolled_on=datetime.date(2025, 9, 1))
    north = WomanFactory(household=HouseholdFactory(village_id=VILLAGE_NORTH), relation="head")
    WomenEnrolment.objects.create(person=north, enrolled_on=datetime.date(2025, 9, 1))
    client.force_login(district_official)
    html = client.get(reverse("women_programme")).content.decode()
    assert "Corong program pemberdayaan ekonomi perempuan" in html
    assert "Sumberjaya" in html and "Sukarasa" not in html


def test_out_of_region_business_forms_are_404(client, head_b, business):
    """Village B's head does not find village A's business."""
    client.force_login(head_b)
    assert client.get(reverse("followup_create", args=[business.pk])).status_code == 404
    assert client.get(reverse("capital_help_create", args=[business.pk])).status_code == 404
