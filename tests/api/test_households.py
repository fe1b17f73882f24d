"""Households and persons: scoped reads, masked NIKs, and writes through the services."""

import datetime
import re

import pytest

from beneficiaries.identity import mask_kk, mask_nik
from beneficiaries.models import Household, Person
from beneficiaries.services.common import DUPLICATE_REFUSALS
from tests.factories import VILLAGE_A, VILLAGE_B, HouseholdFactory, PersonFactory, make_kk, make_nik

from .conftest import errors_of

HOUSEHOLDS = "/api/v1/households/"
PERSONS = "/api/v1/persons/"


def new_household(village=VILLAGE_A, serial=900, **extra):
    born = datetime.date(1990, 7, 17)
    return {
        "village": village,
        "kk_number": make_kk(serial, village=village),
        "address": "Kp. Cibaliung RT 01",
        "rt": "1",
        "rw": "3",
        "desil": 2,
        "members": [
            {
                "nik": make_nik(village=village, birth=born, sex="L", serial=serial),
                "full_name": "Ahmad Fauzi",
                "sex": "L",
                "birth_date": born.isoformat(),
                "relation": "head",
            }
        ],
        **extra,
    }


@pytest.mark.parametrize("user", ["head_a", "district_official", "regency_official", "province"])
def test_officials_at_each_level_and_the_village_head_see_the_household(api, request, household_a, user):
    body = api(request.getfixturevalue(user)).get(HOUSEHOLDS).json()
    assert [h["id"] for h in body["results"]] == [household_a.pk]


@pytest.mark.parametrize("user", ["head_b", "north_official"])
def test_others_see_no_household_of_village_a(api, request, household_a, user):
    assert api(request.getfixturevalue(user)).get(HOUSEHOLDS).json()["count"] == 0


def test_a_user_without_a_role_is_refused_case_work(api, stranger, household_a):
    """No role, no permission group: 403 before any row is read."""
    response = api(stranger).get(HOUSEHOLDS)
    assert response.status_code == 403
    assert "results" not in response.json()


def test_lists_mask_the_nik_and_details_show_it_only_with_the_permission(
    api, household_a, head_a, district_official
):
    """Village heads hold the full-NIK permission; district officials do not."""
    nik = household_a.members.get().nik
    listed = api(head_a).get(HOUSEHOLDS).json()["results"][0]["members"][0]["nik"]
    assert listed == mask_nik(nik)
    assert api(head_a).get(f"{HOUSEHOLDS}{household_a.pk}/").json()["members"][0]["nik"] == nik
    assert api(district_official).get(f"{HOUSEHOLDS}{household_a.pk}/").json()["members"][0]["nik"] == listed


def test_it_registers_a_household_with_its_members(api, head_a):
    response = api(head_a).post(HOUSEHOLDS, new_household(), format="json")
    assert response.status_code == 201, response.json()
    household = Household.objects.get(pk=response.json()["id"])
    assert (household.village_id, household.rt, household.rw, household.desil) == (VILLAGE_A, "001", "003", 2)
    assert household.created_by == head_a
    assert [p.full_name for p in household.members.all()] == ["Ahmad Fauzi"]
    assert response.json()["members"][0]["nik"] == household.members.get().nik


def test_it_names_the_invalid_fields(api, head_a):
    data = new_household(kk_number="12345", desil=11, rt="")
    data["members"][0]["nik"] = "3601011707900001"  # a man's NIK (born 17-07-90), recorded as a woman
    data["members"][0]["sex"] = "P"
    body = errors_of(api(head_a).post(HOUSEHOLDS, data, format="json"))
    assert set(body) == {"rt"}  # shapes first: the serializer refuses a blank RT
    data["rt"] = "1"
    response = api(head_a).post(HOUSEHOLDS, data, format="json")
    assert response.status_code == 400
    assert set(errors_of(response)) == {"kk_number", "desil", "members.0.nik"}
    assert not Household.objects.exists()


def test_it_refuses_a_village_outside_the_users_region(api, head_a):
    response = api(head_a).post(HOUSEHOLDS, new_household(village=VILLAGE_B), format="json")
    assert response.status_code == 400
    assert list(errors_of(response)) == ["village"]
    assert not Household.objects.exists()


def test_a_duplicate_kk_is_a_conflict_that_does_not_say_where(api, head_b, household_a):
    data = new_household(village=VILLAGE_B, kk_number=household_a.kk_number)
    response = api(head_b).post(HOUSEHOLDS, data, format="json")
    assert response.status_code == 409
    assert errors_of(response) == {"kk_number": ["Nomor KK ini sudah terdaftar."]}


def test_it_updates_a_household(api, head_a, household_a):
    response = api(head_a).patch(f"{HOUSEHOLDS}{household_a.pk}/", {"desil": 4, "rt": "7"}, format="json")
    assert response.status_code == 200
    household_a.refresh_from_db()
    assert (household_a.desil, household_a.rt) == (4, "007")


def test_a_full_update_needs_every_field(api, head_a, household_a):
    response = api(head_a).put(f"{HOUSEHOLDS}{household_a.pk}/", {"desil": 4}, format="json")
    assert set(errors_of(response)) == {"kk_number", "village", "address", "rt", "rw"}


@pytest.mark.parametrize("method", ["get", "patch", "put"])
def test_a_household_of_another_village_is_not_found(api, head_b, household_a, method):
    response = getattr(api(head_b), method)(f"{HOUSEHOLDS}{household_a.pk}/", {"desil": 9}, format="json")
    assert response.status_code == 404
    household_a.refresh_from_db()
    assert household_a.desil == 1


def test_search_matches_names_kk_and_only_whole_niks(api, district_official, household_a):
    client = api(district_official)
    nik = household_a.members.get().nik

    def found(term):
        # By POST: a NIK or KK does not travel in the URL (a GET with one is refused).
        return [
            h["id"]
            for h in client.post(f"{HOUSEHOLDS}search/", {"search": term}, format="json").json()["results"]
        ]

    assert found("aminah") == [household_a.pk]
    assert found(household_a.kk_number) == [household_a.pk]
    assert found(nik) == [household_a.pk]
    for part in (nik[:12], nik[:15], household_a.kk_number[:10], household_a.kk_number[-4:]):
        assert found(part) == []  # a masked number's hidden digits cannot be probed
    assert found("tidak ada") == []


def test_filters_and_ordering_stay_inside_the_region(api, head_b, household_a):
    own = HouseholdFactory(village_id=VILLAGE_B, desil=1)
    client = api(head_b)
    assert client.get(HOUSEHOLDS, {"village": VILLAGE_A}).json()["count"] == 0
    assert [h["id"] for h in client.get(HOUSEHOLDS, {"desil": 1}).json()["results"]] == [own.pk]
    body = client.get(HOUSEHOLDS, {"ordering": "members__nik"}).json()  # not allowed: ignored
    assert [h["id"] for h in body["results"]] == [own.pk]


def test_it_refuses_a_filter_value_of_the_wrong_type(api, head_a):
    response = api(head_a).get(HOUSEHOLDS, {"desil": "satu"})
    assert response.status_code == 400
    assert list(errors_of(response)) == ["desil"]


# Persons


def person_data(household, serial=77, sex="P", **extra):
    born = datetime.date(2015, 9, 9)
    return {
        "household": household.pk,
        "nik": make_nik(birth=born, sex=sex, serial=serial),
        "full_name": "Nur Aisyah",
        "sex": sex,
        "birth_date": born.isoformat(),
        "relation": "child",
        **extra,
    }


def test_it_adds_a_member(api, head_a, household_a):
    response = api(head_a).post(PERSONS, person_data(household_a), format="json")
    assert response.status_code == 201, response.json()
    person = Person.objects.get(pk=response.json()["id"])
    assert (person.household, person.full_name, person.created_by) == (household_a, "Nur Aisyah", head_a)


def test_it_names_the_nik_that_contradicts_the_sex(api, head_a, household_a):
    data = person_data(household_a, sex="P")
    data["sex"] = "L"
    response = api(head_a).post(PERSONS, data, format="json")
    assert response.status_code == 400
    assert list(errors_of(response)) == ["nik"]


def test_a_duplicate_nik_is_a_conflict(api, head_b, head_of_a):
    own = HouseholdFactory(village_id=VILLAGE_B)
    data = person_data(own, nik=head_of_a.nik, sex=head_of_a.sex, birth_date=head_of_a.birth_date.isoformat())
    response = api(head_b).post(PERSONS, data, format="json")
    assert response.status_code == 409
    assert errors_of(response) == {"nik": ["NIK ini sudah terdaftar."]}


def test_adding_to_a_household_of_another_village_is_not_found(api, head_b, household_a):
    response = api(head_b).post(PERSONS, person_data(household_a), format="json")
    assert response.status_code == 404
    assert household_a.members.count() == 1


def test_person_lists_mask_and_details_follow_the_permission(api, head_a, district_official, head_of_a):
    masked = mask_nik(head_of_a.nik)
    assert api(head_a).get(PERSONS).json()["results"][0]["nik"] == masked
    assert api(head_a).get(f"{PERSONS}{head_of_a.pk}/").json()["nik"] == head_of_a.nik
    assert api(district_official).get(f"{PERSONS}{head_of_a.pk}/").json()["nik"] == masked


def test_it_updates_a_person(api, head_a, head_of_a):
    response = api(head_a).patch(f"{PERSONS}{head_of_a.pk}/", {"has_disability": True}, format="json")
    assert response.status_code == 200
    head_of_a.refresh_from_db()
    assert head_of_a.has_disability


def test_a_person_of_another_village_is_not_found(api, head_b, head_of_a):
    assert api(head_b).get(f"{PERSONS}{head_of_a.pk}/").status_code == 404
    assert (
        api(head_b).patch(f"{PERSONS}{head_of_a.pk}/", {"full_name": "X"}, format="json").status_code == 404
    )
    head_of_a.refresh_from_db()
    assert head_of_a.full_name == "Siti Aminah"


def test_a_cadre_reads_persons_but_cannot_write_them(api, cadre, household_a):
    client = api(cadre)
    assert client.get(PERSONS).json()["count"] == 1
    response = client.post(PERSONS, person_data(household_a), format="json")
    assert response.status_code == 403
    assert household_a.members.count() == 1


def test_person_search_finds_whole_niks_only(api, district_official, head_of_a):
    client = api(district_official)
    assert client.post(f"{PERSONS}search/", {"search": head_of_a.nik}, format="json").json()["count"] == 1
    assert client.get(PERSONS, {"search": head_of_a.nik[:8]}).json()["count"] == 0
    PersonFactory(household=head_of_a.household, relation="child", full_name="Budi")
    assert client.get(PERSONS, {"search": "bud"}).json()["count"] == 1


# Privacy: a user who may not see a NIK or KK whole never reads its serial


@pytest.fixture
def planted(db):
    household = HouseholdFactory(village_id=VILLAGE_A, kk_number="3601012001208264")
    PersonFactory(household=household, nik="3601011203857391", full_name="Siti Aminah", sex="L")
    return household


def without_echo(body: str, *echoed: str) -> str:
    """The body without ISO timestamps (their microseconds are digits too) and what the
    client itself sent."""
    body = re.sub(r"\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})?", "", body)
    for text in echoed:
        body = body.replace(text, "")
    return body


@pytest.mark.parametrize("user", ["district_official", "regency_official", "cadre"])
def test_no_response_carries_the_serial_of_a_nik_or_kk(api, request, planted, user):
    """Lists, details and searches, households and persons: the last four digits of the
    planted NIK (7391) and KK (8264) appear nowhere."""
    client = api(request.getfixturevalue(user))
    person = planted.members.get()
    for url, params in [
        (HOUSEHOLDS, {}),
        (f"{HOUSEHOLDS}{planted.pk}/", {}),
        (PERSONS, {}),
        (f"{PERSONS}{person.pk}/", {}),
        (f"{HOUSEHOLDS}search/", {"search": person.nik}),
        (f"{PERSONS}search/", {"search": planted.kk_number}),
    ]:
        search = url.endswith("search/")
        response = client.post(url, params, format="json") if search else client.get(url, params)
        assert response.status_code == 200, (url, response.content)
        body = without_echo(response.content.decode(), *params.values())
        assert "7391" not in body and "8264" not in body, (url, body)
        assert mask_nik(person.nik) in body, url


def test_the_kk_is_whole_for_who_may_see_it_and_masked_otherwise(api, planted, head_a, district_official):
    assert api(head_a).get(f"{HOUSEHOLDS}{planted.pk}/").json()["kk_number"] == planted.kk_number
    assert api(head_a).get(HOUSEHOLDS).json()["results"][0]["kk_number"] == planted.kk_number
    for url in (f"{HOUSEHOLDS}{planted.pk}/", HOUSEHOLDS):
        body = api(district_official).get(url).json()
        row = body if "kk_number" in body else body["results"][0]
        assert row["kk_number"] == mask_kk(planted.kk_number) == "360101200120****"


@pytest.mark.parametrize("user", ["district_official", "cadre"])
def test_a_search_by_part_of_a_number_finds_nothing(api, request, planted, user):
    """The cadre's digit-by-digit probe of issue 8: no prefix, no part, only the whole."""
    client = api(request.getfixturevalue(user))
    nik = planted.members.get().nik
    for path in (HOUSEHOLDS, PERSONS):
        for part in ("3", nik[:7], nik[:12], nik[:13], nik[:15], nik[-4:], planted.kk_number[:15]):
            assert client.post(f"{path}search/", {"search": part}, format="json").json()["count"] == 0, (
                path,
                part,
            )
        assert client.post(f"{path}search/", {"search": nik}, format="json").json()["count"] == 1


def test_ordering_by_kk_is_not_offered(api, district_official, planted):
    """An order by KK would tell where a masked serial falls among the others: ignored."""
    HouseholdFactory(village_id=VILLAGE_A, kk_number="3601012001200001")
    by_kk = api(district_official).get(HOUSEHOLDS, {"ordering": "kk_number"}).json()["results"]
    default = api(district_official).get(HOUSEHOLDS).json()["results"]
    assert [h["id"] for h in by_kk] == [h["id"] for h in default]


def test_after_too_many_duplicates_the_api_answers_429_for_that_user_only(
    api, head_b, district_official, planted
):
    """Ten "already registered" answers, then 429 for any new number, registered or not;
    another user still gets the plain 409."""
    own = HouseholdFactory(village_id=VILLAGE_B)
    person = planted.members.get()
    duplicate = person_data(own, nik=person.nik, sex="L", birth_date=person.birth_date.isoformat())
    client = api(head_b)
    for _ in range(DUPLICATE_REFUSALS.limit):
        response = client.post(PERSONS, duplicate, format="json")
        assert response.status_code == 409
        assert errors_of(response) == {"nik": ["NIK ini sudah terdaftar."]}
    for data in (duplicate, person_data(own, serial=4321, sex="P")):
        response = client.post(PERSONS, data, format="json")
        assert response.status_code == 429
        assert "Terlalu banyak" in response.json()["detail"]
    assert own.members.count() == 0
    assert api(district_official).post(PERSONS, duplicate, format="json").status_code == 409


def test_a_household_lists_its_current_members_and_persons_say_who_left(api, head_a, head_of_a):
    """A member who left is out of the household's `members`, and still a person with
    `left_on` and `left_reason`."""
    from beneficiaries.services import record_member_left

    household = head_of_a.household
    child = PersonFactory(
        household=household, relation="child", full_name="Budi", birth_date=datetime.date(2015, 1, 1)
    )
    record_member_left(actor=head_a, person=child, on=datetime.date(2026, 3, 1), reason="moved_out")
    body = api(head_a).get(f"{HOUSEHOLDS}{household.pk}/").json()
    assert [m["id"] for m in body["members"]] == [head_of_a.pk]
    person = api(head_a).get(f"{PERSONS}{child.pk}/").json()
    assert (person["left_on"], person["left_reason"]) == ("2026-03-01", "moved_out")


def _with_children(body: dict, n: int, serial: int) -> dict:
    born = datetime.date(2012, 3, 4)
    children = [
        {"nik": make_nik(birth=born, sex="P", serial=serial + i), "full_name": f"Anak {i}", "sex": "P",
         "birth_date": born.isoformat(), "relation": "child"}
        for i in range(n)
    ]  # fmt: skip
    return {**body, "members": body["members"] + children}


def test_registering_costs_the_same_queries_for_one_member_or_six(api, head_a):
    """POST /households/ validates, writes and answers in a number of queries that does not
    grow with the members."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(head_a)
    counts = []
    for serial, children in ((900, 0), (910, 0), (920, 5)):  # the first also loads permissions
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                HOUSEHOLDS, _with_children(new_household(serial=serial), children, serial + 1), format="json"
            )
        assert response.status_code == 201, response.json()
        assert len(response.json()["members"]) == children + 1
        counts.append(len(queries))
    assert counts[1] == counts[2], counts
    assert Person.objects.count() == 8
