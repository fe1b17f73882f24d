"""/api/v1/businesses/, their follow-ups, /capital-help/ and /women-programme/enrolments/."""

import pytest
import time_machine

from beneficiaries.models import Business, BusinessFollowUp, CapitalHelp, WomenEnrolment
from tests.api.conftest import errors_of
from tests.factories import VILLAGE_NORTH, BusinessFactory, HouseholdFactory, PersonFactory, WomanFactory

pytestmark = pytest.mark.django_db
NOW = "2025-09-01 05:00Z"


@pytest.fixture
def wife(household_a):
    return WomanFactory(household=household_a)


@pytest.fixture
def north_business(db):
    household = HouseholdFactory(village_id=VILLAGE_NORTH)
    return BusinessFactory(owner_person=WomanFactory(household=household, relation="head"))


def new_business(api, user, owner, **extra):
    body = {"owner_person": owner.pk, "name": "Dapur Bu Siti", "sector": "culinary", "started_on": "2025-01-31",
            "sells_online": True, **extra}  # fmt: skip
    return api(user).post("/api/v1/businesses/", body, format="json")


@time_machine.travel(NOW, tick=False)
def test_it_creates_a_business_due_for_its_3_month_visit(api, head_a, wife):
    """201 with the schedule; the row keeps the owner's household and region codes."""
    response = new_business(api, head_a, wife)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["household"], body["village"], body["next_due_kind"], body["next_due_on"]) == (
        wife.household_id,
        wife.household.village_id,
        "m3",
        "2025-04-30",
    )
    assert Business.objects.get().recorded_by == head_a


@time_machine.travel(NOW, tick=False)
def test_it_rejects_a_business_with_400_naming_each_field(api, head_a, wife):
    """No sales channel and a short NIB: both named, in Indonesian; nothing written."""
    response = new_business(api, head_a, wife, sells_online=False, nib="123")
    assert response.status_code == 400
    assert {"sells_at_market", "nib"} <= set(errors_of(response))
    assert not Business.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_an_owner_out_of_region_reads_as_missing(api, head_b, head_a, wife, north_business):
    """A village head of B cannot start a business for A's resident (404), nor read the north's."""
    assert new_business(api, head_b, wife).status_code == 404
    assert api(head_a).get(f"/api/v1/businesses/{north_business.pk}/").status_code == 404
    assert api(head_a).get(f"/api/v1/businesses/{north_business.pk}/followups/").status_code == 404
    assert api(head_a).get(f"/api/v1/businesses/{10**9}/").status_code == 404
    assert [b["id"] for b in api(head_a).get("/api/v1/businesses/").json()["results"]] == []


@time_machine.travel(NOW, tick=False)
def test_follow_ups_are_recorded_once_per_schedule(api, head_a, wife):
    """The 3-month visit is 201 once, then 409 on `kind`; the list shows it."""
    business = new_business(api, head_a, wife).json()
    url = f"/api/v1/businesses/{business['id']}/followups/"
    visit = {"kind": "m3", "visited_on": "2025-04-30", "status": "running", "monthly_revenue": 1_250_000}
    assert api(head_a).post(url, visit, format="json").status_code == 201
    again = api(head_a).post(url, visit, format="json")
    assert again.status_code == 409 and "kind" in errors_of(again)
    stopped = api(head_a).post(url, {**visit, "kind": "m6", "status": "stopped"}, format="json")
    assert stopped.status_code == 400 and "stop_reason" in errors_of(stopped)
    listed = api(head_a).get(url).json()["results"]
    assert [(f["kind"], f["monthly_revenue"]) for f in listed] == [("m3", 1_250_000)]
    assert BusinessFollowUp.objects.count() == 1
    detail = api(head_a).get(f"/api/v1/businesses/{business['id']}/").json()
    assert (detail["last_status"], detail["next_due_kind"]) == ("running", "m6")


@time_machine.travel(NOW, tick=False)
def test_business_patch_refuses_a_stale_version(api, head_a, wife):
    """If-Match of an older version: 409 on `version`, the newer name stays."""
    business = new_business(api, head_a, wife).json()
    url = f"/api/v1/businesses/{business['id']}/"
    assert (
        api(head_a).patch(url, {"name": "Dapur Baru"}, format="json", HTTP_IF_MATCH='"1"').status_code == 200
    )
    stale = api(head_a).patch(url, {"name": "Lain"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 409 and "version" in errors_of(stale)
    assert Business.objects.get().name == "Dapur Baru"


@time_machine.travel(NOW, tick=False)
def test_capital_help_steps_through_its_table(api, head_a, wife):
    """Applied, then approved, then disbursed; a jump is 409 on `status`."""
    created = api(head_a).post(
        "/api/v1/capital-help/",
        {"person": wife.pk, "scheme": "kur", "amount": 5_000_000, "applied_on": "2025-08-01"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    url = f"/api/v1/capital-help/{created.json()['id']}/"
    jump = api(head_a).patch(url, {"status": "disbursed"}, format="json")
    assert jump.status_code == 409 and "status" in errors_of(jump)
    assert (
        api(head_a).patch(url, {"status": "approved", "on": "2025-08-10"}, format="json").status_code == 200
    )
    done = api(head_a).patch(url, {"status": "disbursed"}, format="json")
    assert (done.status_code, done.json()["disbursed_on"]) == (200, "2025-09-01")
    assert CapitalHelp.objects.get().status == "disbursed"


@time_machine.travel(NOW, tick=False)
def test_it_rejects_capital_help_with_an_unknown_scheme_or_no_recipient(api, head_a):
    """400 naming `scheme`; then 400 naming `business` when neither recipient is given."""
    bad = api(head_a).post(
        "/api/v1/capital-help/", {"scheme": "x", "amount": 1, "applied_on": "2025-08-01"}, format="json"
    )
    assert bad.status_code == 400 and "scheme" in errors_of(bad)
    none = api(head_a).post(
        "/api/v1/capital-help/", {"scheme": "grant", "amount": 1, "applied_on": "2025-08-01"}, format="json"
    )
    assert none.status_code == 400 and "business" in errors_of(none)
    assert not CapitalHelp.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_enrolment_flags_a_female_headed_household(api, head_a, head_of_a, wife):
    """The female head (Siti Aminah heads household A) is flagged; the flag is not typed."""
    response = api(head_a).post(
        "/api/v1/women-programme/enrolments/", {"person": head_of_a.pk, "female_headed": False}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["female_headed"] is True
    assert WomenEnrolment.objects.get().female_headed is True
    man = PersonFactory(household=HouseholdFactory())
    refused = api(head_a).post("/api/v1/women-programme/enrolments/", {"person": man.pk}, format="json")
    assert refused.status_code == 400 and "person" in errors_of(refused)


@time_machine.travel(NOW, tick=False)
def test_a_cadre_may_not_write_businesses(api, cadre, wife):
    """A cadre records activities, not businesses: 403, nothing written."""
    assert new_business(api, cadre, wife).status_code == 403
    assert not Business.objects.exists()


def test_the_schema_describes_the_new_endpoints(api, province):
    """drf-spectacular documents every new path."""
    schema = api(province).get("/api/v1/schema/", {"format": "json"}).json()
    for path in (
        "/api/v1/businesses/",
        "/api/v1/businesses/{id}/followups/",
        "/api/v1/capital-help/",
        "/api/v1/women-programme/enrolments/",
    ):
        assert path in schema["paths"]
