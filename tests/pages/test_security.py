"""The village pages: stale edits refused with what changed, the same aid form sent twice
written once, searches that keep the NIK out of every URL, and text shown as typed."""

import re

from django.urls import reverse

from beneficiaries.models import Assistance, Household
from tests.factories import UserFactory


def test_a_stale_household_form_is_refused_and_keeps_the_newer_data(client, head_a, household_a):
    """Two officials open the edit form at version 1; the later save from the older form
    shows who changed what and writes nothing."""
    other = UserFactory(
        username="operator_a", role="village", region_code=household_a.village_id, first_name="Rudi"
    )
    url = reverse("household_edit", args=[household_a.pk])
    client.force_login(head_a)
    html = client.get(url).content.decode()
    assert re.search(r'name="expected_version" value="1"', html)
    mine = {"address": "Kp. Lama", "rt": "1", "rw": "2", "desil": "1", "expected_version": "1"}
    theirs = dict(mine, address="Jl. Baru 7")
    second = client.__class__()
    second.force_login(other)
    assert second.post(url, theirs).status_code == 302
    response = client.post(url, dict(mine, rt="9"))
    assert response.status_code == 200
    assert "Data ini sudah diubah oleh Rudi" in response.content.decode()
    household_a.refresh_from_db()
    assert (household_a.address, household_a.rt) == ("Jl. Baru 7", "001")


def test_the_same_aid_form_sent_twice_is_written_once(client, head_a, case_a, program):
    """A double tap: the hidden key of one render arrives twice, one aid is recorded."""
    client.force_login(head_a)
    url = reverse("assistance_create", args=[case_a.pk])
    key = re.search(r'name="idempotency_key" value="(\w+)"', client.get(url).content.decode()).group(1)
    data = {
        "kind": "food",
        "program": program.pk,
        "delivered_on": case_a.opened_on.isoformat(),
        "amount": "250.000",
    }
    client.post(url, {**data, "idempotency_key": key})
    response = client.post(url, {**data, "idempotency_key": key}, follow=True)
    assert Assistance.objects.filter(case=case_a).count() == 1
    assert "kiriman ganda tidak dicatat lagi" in response.content.decode()
    other_key = re.search(r'name="idempotency_key" value="(\w+)"', client.get(url).content.decode()).group(1)
    assert other_key != key  # a new render is a new delivery


def test_a_search_posts_and_no_url_holds_the_number(client, head_a, household_a):
    """The search box POSTs; the redirect, the list and its links carry only a keyed hash."""
    nik = household_a.members.get(relation="head").nik
    client.force_login(head_a)
    html = client.get(reverse("household_list")).content.decode()
    assert 'method="post" action="/cari/"' in html
    response = client.post("/cari/", {"q": nik, "next": reverse("household_list")})
    assert response.status_code == 302 and nik not in response["Location"]
    assert re.fullmatch(r"/rumah-tangga/\?q=~[0-9a-f]{24}", response["Location"])
    page = client.get(response["Location"])
    assert [h.pk for h in page.context["page"].object_list] == [household_a.pk]
    assert f'value="{nik}"' in page.content.decode()  # the box shows what was typed
    assert not re.search(rf"href=\"[^\"]*{nik}", page.content.decode())


def test_the_search_redirect_refuses_another_site(client, head_a):
    client.force_login(head_a)
    assert client.post("/cari/", {"q": "x", "next": "https://evil.example/"}).status_code == 400
    assert client.post("/cari/", {"q": "x", "next": "//evil.example/"}).status_code == 400


def test_markup_and_formula_text_is_stored_as_typed_and_shown_escaped(client, head_a, household_a):
    url = reverse("household_edit", args=[household_a.pk])
    client.force_login(head_a)
    typed = "<script>alert('x')</script> \"=HYPERLINK()\""
    client.post(url, {"address": typed, "rt": "1", "rw": "2", "desil": "1", "expected_version": "1"})
    assert Household.objects.get(pk=household_a.pk).address == typed
    html = client.get(reverse("household_detail", args=[household_a.pk])).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_a_name_with_a_right_to_left_override_is_refused_on_its_field(client, head_a, household_a):
    person = household_a.members.get(relation="head")
    client.force_login(head_a)
    url = reverse("member_edit", args=[household_a.pk, person.pk])
    data = {"full_name": "Siti\u202eahmA", "nik": person.nik, "sex": person.sex,
            "birth_date": person.birth_date.isoformat(), "expected_version": "1"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    assert "U+202E" in " ".join(response.context["form"].errors["full_name"])
    person.refresh_from_db()
    assert person.full_name == "Siti Aminah"
