"""The NIK: masked in every list, whole only on the detail page and only with the
`beneficiaries.view_full_nik` permission; a full NIK still finds its person."""

import re

import pytest
from django.urls import reverse

from beneficiaries.identity import mask_kk, mask_nik
from beneficiaries.models import Household, Person
from beneficiaries.services import update_household, update_person
from beneficiaries.services.common import DUPLICATE_REFUSALS
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


# Privacy: an official who may not see a NIK or KK whole never reads its serial

NIK = "3601010201807391"  # the head of village A: born 2 January 1980, a man
KK = "3601012001208264"


@pytest.fixture
def planted(world):
    a, _b = world
    Person.objects.filter(pk=a.head.pk).update(nik=NIK)
    Household.objects.filter(pk=a.household.pk).update(kk_number=KK)
    a.head.refresh_from_db()
    a.household.refresh_from_db()
    return a


def without_echo(html: str, *echoed: str) -> str:
    """The page without CSRF tokens (random letters and digits) and what was typed."""
    html = re.sub(r'value="[A-Za-z0-9]{32,}"', "", html)
    html = re.sub(r'"csrfToken": "[A-Za-z0-9]+"', "", html)
    for text in echoed:
        html = re.sub(rf"{text}", "", html)
    return html


def admin_pages(a) -> list[tuple[str, dict]]:
    version = a.head.history.order_by("history_id").first().history_id
    household_version = a.household.history.order_by("history_id").first().history_id
    autocomplete = reverse("admin:autocomplete")
    return [
        (reverse("admin:beneficiaries_person_changelist"), {}),
        (reverse("admin:beneficiaries_person_changelist"), {"q": NIK}),
        (reverse("admin:beneficiaries_person_change", args=[a.head.pk]), {}),
        (reverse("admin:beneficiaries_person_history", args=[a.head.pk]), {}),
        (reverse("admin:beneficiaries_person_simple_history", args=[a.head.pk, version]), {}),
        (reverse("admin:beneficiaries_household_changelist"), {}),
        (reverse("admin:beneficiaries_household_changelist"), {"q": KK}),
        (reverse("admin:beneficiaries_household_change", args=[a.household.pk]), {}),
        (reverse("admin:beneficiaries_household_history", args=[a.household.pk]), {}),
        (reverse("admin:beneficiaries_household_simple_history", args=[a.household.pk, household_version]), {}),
        (reverse("admin:beneficiaries_case_changelist"), {}),
        (reverse("admin:beneficiaries_case_changelist"), {"q": NIK}),
        (reverse("admin:beneficiaries_case_change", args=[a.case.pk]), {}),
        (reverse("admin:beneficiaries_stagetransition_changelist"), {"q": KK}),
        (reverse("admin:beneficiaries_stagetransition_change", args=[a.move.pk]), {}),
        (reverse("admin:beneficiaries_assistance_changelist"), {}),
        (reverse("admin:beneficiaries_assistance_change", args=[a.assistance.pk]), {}),
        (reverse("admin:beneficiaries_group_changelist"), {"q": KK}),
        (reverse("admin:beneficiaries_group_change", args=[a.group.pk]), {}),
        (autocomplete, {"app_label": "beneficiaries", "model_name": "case", "field_name": "household", "term": ""}),
        (autocomplete, {"app_label": "beneficiaries", "model_name": "case", "field_name": "household", "term": KK}),
        (autocomplete, {"app_label": "beneficiaries", "model_name": "assistance", "field_name": "recipient", "term": "Kepala"}),
    ]  # fmt: skip


def test_no_admin_page_shows_the_serial_to_a_district_official(planted, district_official, head_a, login):
    """Lists, change forms, readonly fields, history lists and versions, searches and
    autocomplete: the last four digits of the planted NIK (7391) and KK (8264) appear
    nowhere for the camat, while the village head's change forms show them whole."""
    a = planted
    update_person(actor=head_a, person=a.head, full_name="Kepala Sumberjaya-A")  # a history row with the NIK
    client = login(district_official)
    for url, params in admin_pages(a):
        response = client.get(url, params)
        assert response.status_code == 200, url
        html = without_echo(response.content.decode(), *params.values())
        assert "7391" not in html and "8264" not in html, (url, params)
    assert mask_nik(NIK) in page(client.get(reverse("admin:beneficiaries_person_change", args=[a.head.pk])))
    assert mask_kk(KK) in page(
        client.get(reverse("admin:beneficiaries_household_change", args=[a.household.pk]))
    )
    head = login(head_a)
    assert NIK in page(head.get(reverse("admin:beneficiaries_person_change", args=[a.head.pk])))
    assert KK in page(head.get(reverse("admin:beneficiaries_household_change", args=[a.household.pk])))


@pytest.mark.parametrize("name", ["person", "household", "case", "stagetransition", "assistance", "group"])
def test_admin_search_by_part_of_a_number_finds_nothing(planted, district_official, login, name):
    """Every admin list that searches NIK or KK: a part finds nothing, the whole finds the row."""
    client = login(district_official)
    url = reverse(f"admin:beneficiaries_{name}_changelist")
    for part in (NIK[:12], NIK[:15], NIK[-4:], KK[:12], KK[:15], KK[-4:]):
        assert client.get(url, {"q": part}).context["cl"].result_count == 0, part
    whole = NIK if name in ("person", "case") else KK  # the aid of the world has no recipient
    expected = 2 if name == "stagetransition" else 1  # the entry and the proposal
    assert client.get(url, {"q": whole}).context["cl"].result_count == expected


def test_a_changed_kk_is_masked_in_the_household_history(world, head_a, district_official, login):
    """The history shows old and new KK masked to the camat, and whole to the village head."""
    a, _b = world
    old, new = a.household.kk_number, "3601012001205555"
    update_household(actor=head_a, household=a.household, kk_number=new)
    url = reverse("admin:beneficiaries_household_history", args=[a.household.pk])
    html = page(login(district_official).get(url))
    assert old not in html and new not in html
    assert mask_kk(old) in html and mask_kk(new) in html
    html = page(login(head_a).get(url))
    assert old in html and new in html


def test_the_admin_form_leaves_the_duplicate_check_to_the_counted_service(world, head_b, login):
    """A duplicate NIK typed in the admin is refused by the service (so it is counted), not
    by the form's own lookup; past the limit the admin says why it refuses."""
    a, b = world
    client = login(head_b)
    url = reverse("admin:beneficiaries_person_add")
    data = {
        "household": b.household.pk, "nik": a.head.nik, "full_name": "Coba", "sex": a.head.sex,
        "birth_date": a.head.birth_date.strftime("%d-%m-%Y"), "relation": "child",
    }  # fmt: skip
    for _ in range(DUPLICATE_REFUSALS.limit):
        html = page(client.post(url, data))
        assert "NIK ini sudah terdaftar." in html
    html = page(client.post(url, data))
    assert "Terlalu banyak" in html and "NIK ini sudah terdaftar." not in html
    assert b.household.members.count() == 1


def test_a_duplicate_nib_in_the_enterprise_admin_is_counted_by_the_service(regency_official, login):
    """The NIB's uniqueness is a constraint, which the admin form would check uncounted:
    the service answers it, so the limiter covers the enterprise admin too."""
    from beneficiaries.models import Enterprise
    from tests.factories import VILLAGE_A, EnterpriseFactory

    EnterpriseFactory(village_id=VILLAGE_A, nib="1234567890123")
    client = login(regency_official)
    url = reverse("admin:beneficiaries_enterprise_add")
    data = {
        "name": "Koperasi Baru", "legal_form": "cooperative", "village": VILLAGE_A,
        "nib": "1234567890123", "founded_on": "01-06-2024",
        "groups-TOTAL_FORMS": "0", "groups-INITIAL_FORMS": "0",
        "capital_access-TOTAL_FORMS": "0", "capital_access-INITIAL_FORMS": "0",
    }  # fmt: skip
    for _ in range(DUPLICATE_REFUSALS.limit):
        assert "NIB ini sudah terdaftar." in page(client.post(url, data))
    html = page(client.post(url, data))
    assert "Terlalu banyak" in html and "NIB ini sudah terdaftar." not in html
    assert Enterprise.objects.filter(nib="1234567890123").count() == 1
