"""The NIK: masked in every list, whole only on the detail page and only with the
`beneficiaries.view_full_nik` permission; a full NIK still finds its person."""

import re

from django.urls import reverse

from beneficiaries.identity import mask_nik
from beneficiaries.services import update_person
from tests.admin.conftest import page
from tests.factories import make_nik


def test_it_masks_the_nik_in_the_person_list(world, head_a, login):
    """Even a user allowed to see full NIKs sees them masked in lists."""
    a, _b = world
    html = page(login(head_a).get(reverse("admin:beneficiaries_person_changelist")))
    assert mask_nik(a.head.nik) in html
    assert a.head.nik not in html


def test_it_shows_the_full_nik_on_the_detail_page_with_the_permission(world, head_a, login):
    """The village head (who registers people) holds view_full_nik."""
    a, _b = world
    assert head_a.has_perm("beneficiaries.view_full_nik")
    html = page(login(head_a).get(reverse("admin:beneficiaries_person_change", args=[a.head.pk])))
    assert a.head.nik in html


def test_it_masks_the_nik_on_the_detail_page_without_the_permission(world, district_official, login):
    """The camat lacks view_full_nik: the detail page shows it masked and read-only."""
    a, _b = world
    assert not district_official.has_perm("beneficiaries.view_full_nik")
    client = login(district_official)
    for url in (
        reverse("admin:beneficiaries_person_change", args=[a.head.pk]),
        reverse("admin:beneficiaries_household_change", args=[a.household.pk]),
        reverse("admin:beneficiaries_person_history", args=[a.head.pk]),
    ):
        html = page(client.get(url))
        assert a.head.nik not in html, url
    assert mask_nik(a.head.nik) in page(
        client.get(reverse("admin:beneficiaries_person_change", args=[a.head.pk]))
    )


def test_it_keeps_the_nik_when_an_official_without_the_permission_saves_the_person(
    world, district_official, login
):
    """The masked NIK is not a form field, so saving other changes cannot overwrite it."""
    a, _b = world
    url = reverse("admin:beneficiaries_person_change", args=[a.head.pk])
    response = login(district_official).post(
        url,
        {
            "has_no_nik": "",
            "full_name": "Kepala Sumberjaya-A Baru",
            "sex": a.head.sex,
            "birth_date": a.head.birth_date.strftime("%d-%m-%Y"),
            "relation": a.head.relation,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    a.head.refresh_from_db()
    assert a.head.full_name == "Kepala Sumberjaya-A Baru"
    assert a.head.nik and a.head.nik.startswith("3601")


def test_it_finds_a_person_by_full_nik_and_shows_it_masked(world, district_official, login):
    """Search by the whole NIK works; the result still shows the masked one."""
    a, b = world
    for name in ("person", "household", "case"):
        response = login(district_official).get(
            reverse(f"admin:beneficiaries_{name}_changelist"), {"q": a.head.nik}
        )
        html = page(response)
        assert response.context["cl"].result_count == 1, name
        # The NIK appears only where the page echoes what the official typed.
        echoed = re.sub(rf'(value="|q=|q%3D){a.head.nik}', "", html)
        assert a.head.nik not in echoed, name


def test_it_finds_households_by_kk_and_cases_by_name(world, district_official, login):
    """KK number and member name are search keys too."""
    a, b = world
    client = login(district_official)
    response = client.get(reverse("admin:beneficiaries_household_changelist"), {"q": b.household.kk_number})
    assert [h.pk for h in response.context["cl"].result_list] == [b.household.pk]
    response = client.get(reverse("admin:beneficiaries_case_changelist"), {"q": "Kepala Sumberjaya"})
    assert [c.pk for c in response.context["cl"].result_list] == [a.case.pk]


def test_it_masks_a_changed_nik_in_the_history_without_the_permission(
    world, head_a, district_official, login
):
    """The history shows old and new NIK masked to the camat, and whole to the village head."""
    a, _b = world
    old = a.head.nik
    new = make_nik(birth=a.head.birth_date, sex=a.head.sex, serial=4321)
    update_person(actor=head_a, person=a.head, nik=new)
    url = reverse("admin:beneficiaries_person_history", args=[a.head.pk])
    html = page(login(district_official).get(url))
    assert old not in html and new not in html
    assert mask_nik(old) in html and mask_nik(new) in html
    html = page(login(head_a).get(url))
    assert old in html and new in html
