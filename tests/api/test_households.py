"""Households and persons: scoped reads, masked NIKs, and writes through the services."""

import datetime

import pytest

from beneficiaries.models import Household, Person
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
    assert listed == f"{nik[:4]}********{nik[-4:]}"
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
    data["members"][0]["nik"] = "3601011207900001"  # a man's NIK, recorded as a woman
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
        return [h["id"] for h in client.get(HOUSEHOLDS, {"search": term}).json()["results"]]

    assert found("aminah") == [household_a.pk]
    assert found(household_a.kk_number[:10]) == [household_a.pk]
    assert found(nik) == [household_a.pk]
    assert found(nik[:12]) == []  # a masked NIK's hidden digits cannot be probed
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
    masked = f"{head_of_a.nik[:4]}********{head_of_a.nik[-4:]}"
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
    assert client.get(PERSONS, {"search": head_of_a.nik}).json()["count"] == 1
    assert client.get(PERSONS, {"search": head_of_a.nik[:8]}).json()["count"] == 0
    PersonFactory(household=head_of_a.household, relation="child", full_name="Budi")
    assert client.get(PERSONS, {"search": "bud"}).json()["count"] == 1
