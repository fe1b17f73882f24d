"""Households and persons in the admin go through register_household, add_member,
update_household and update_person; their refusals land on the form and write nothing."""

import datetime

from django.urls import reverse

from beneficiaries.models import Household, Person
from tests.factories import VILLAGE_A, VILLAGE_B, make_kk, make_nik

BORN = datetime.date(1984, 7, 9)


def household_post(village: str, kk: str, members: list[dict]) -> dict:
    data = {
        "kk_number": kk,
        "village": village,
        "address": "Kp. Cibaliung RT 02",
        "rt": "2",
        "rw": "5",
        "desil": "1",
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
    }
    for i, member in enumerate(members):
        data.update({f"members-{i}-{k}": v for k, v in member.items()})
    return data


def member(name: str, relation: str, serial: int, sex: str = "L") -> dict:
    return {
        "nik": make_nik(birth=BORN, sex=sex, serial=serial),
        "full_name": name,
        "sex": sex,
        "birth_date": BORN.strftime("%d-%m-%Y"),
        "relation": relation,
    }


def test_it_registers_a_household_with_its_members(head_a, login):
    """One POST: the household and its head, both recorded as created by the head of village."""
    kk = make_kk(9001)
    response = login(head_a).post(
        reverse("admin:beneficiaries_household_add"),
        household_post(VILLAGE_A, kk, [member("Pak Dedi", "head", 9001), member("Ani", "spouse", 9002, "P")]),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    household = Household.objects.get(kk_number=kk)
    assert (household.created_by, household.rt, household.district_id) == (head_a, "002", "36.01.01")
    assert sorted(household.members.values_list("full_name", "created_by")) == [
        ("Ani", head_a.pk),
        ("Pak Dedi", head_a.pk),
    ]


def test_it_refuses_two_heads_and_writes_nothing(head_a, login):
    """register_household's rule (exactly one head) is shown on the form."""
    kk = make_kk(9003)
    response = login(head_a).post(
        reverse("admin:beneficiaries_household_add"),
        household_post(VILLAGE_A, kk, [member("Satu", "head", 9003), member("Dua", "head", 9004)]),
    )
    assert response.status_code == 200
    assert "Tepat satu anggota harus berstatus kepala keluarga." in response.content.decode()
    assert not Household.objects.filter(kk_number=kk).exists()
    assert not Person.objects.filter(full_name__in=["Satu", "Dua"]).exists()


def test_it_refuses_a_village_outside_the_users_region(head_a, login):
    """The village choice of A's head holds only village A."""
    kk = make_kk(9005)
    response = login(head_a).post(
        reverse("admin:beneficiaries_household_add"),
        household_post(VILLAGE_B, kk, [member("Pak Ujang", "head", 9005)]),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["village"]
    assert not Household.objects.filter(kk_number=kk).exists()


def test_it_changes_a_household_through_update_household(world, head_a, login):
    """The new address is saved and the history row names who changed it."""
    a, _b = world
    url = reverse("admin:beneficiaries_household_change", args=[a.household.pk])
    client = login(head_a)
    data = household_post(VILLAGE_A, a.household.kk_number, [])
    data.update(
        {
            "address": "Jl. Raya Sumur 5",
            "members-TOTAL_FORMS": "1",
            "members-INITIAL_FORMS": "1",
            "members-0-id": a.head.pk,
            "members-0-household": a.household.pk,
            **{f"members-0-{k}": v for k, v in _person_fields(a.head).items()},
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    a.household.refresh_from_db()
    assert a.household.address == "Jl. Raya Sumur 5"
    latest = a.household.history.latest("history_date")
    assert (latest.address, latest.history_user) == ("Jl. Raya Sumur 5", head_a)


def _person_fields(person) -> dict:
    return {
        "nik": person.nik,
        "full_name": person.full_name,
        "sex": person.sex,
        "birth_date": person.birth_date.strftime("%d-%m-%Y"),
        "relation": person.relation,
    }


def test_it_puts_a_nik_sex_mismatch_on_the_nik_field(world, head_a, login):
    """A woman's NIK recorded for a man: refused on the NIK field, nothing written."""
    a, _b = world
    nik = make_nik(birth=BORN, sex="P", serial=9100)
    response = login(head_a).post(
        reverse("admin:beneficiaries_person_add"),
        {
            "household": a.household.pk,
            "nik": nik,
            "full_name": "Salah Kelamin",
            "sex": "L",
            "birth_date": BORN.strftime("%d-%m-%Y"),
            "relation": "child",
        },
    )
    assert response.status_code == 200
    assert "perempuan" in " ".join(response.context["adminform"].form.errors["nik"])
    assert not Person.objects.filter(nik=nik).exists()


def test_it_adds_a_member_through_add_member(world, head_a, login):
    """A new person on its own page is written by add_member, with who registered them."""
    a, _b = world
    nik = make_nik(birth=BORN, sex="P", serial=9101)
    response = login(head_a).post(
        reverse("admin:beneficiaries_person_add"),
        {
            "household": a.household.pk,
            "nik": nik,
            "full_name": "Neng Lilis",
            "sex": "P",
            "birth_date": BORN.strftime("%d-%m-%Y"),
            "relation": "child",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    person = Person.objects.get(nik=nik)
    assert (person.household, person.created_by) == (a.household, head_a)
