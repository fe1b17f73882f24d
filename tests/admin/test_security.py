"""The admin: two officials on one household (the later save from the older form is
refused and the newer data stays); searches posted, never the NIK in a URL."""

import re

from django.urls import reverse

from tests.factories import VILLAGE_A, UserFactory


def household_change(household, **changes):
    data = {
        "kk_number": household.kk_number, "village": household.village_id, "address": household.address,
        "rt": household.rt, "rw": household.rw, "desil": household.desil or "",
        "members-TOTAL_FORMS": "0", "members-INITIAL_FORMS": "0", "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000", **changes,
    }  # fmt: skip
    return data


def test_the_older_admin_form_is_refused_and_the_newer_data_stays(world, head_a, login):
    a, _b = world
    other = UserFactory(username="operator_a", role="village", region_code=VILLAGE_A, first_name="Rudi")
    url = reverse("admin:beneficiaries_household_change", args=[a.household.pk])
    mine, theirs = login(head_a), login(other)
    html = mine.get(url).content.decode()
    version = re.search(r'name="seen_version" value="(\d+)"', html).group(1)
    assert theirs.get(url).status_code == 200
    saved = theirs.post(url, household_change(a.household, address="Jl. Baru 7", seen_version=version))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    response = mine.post(url, household_change(a.household, rt="9", seen_version=version))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Data ini sudah diubah oleh Rudi" in body and "alamat" in body
    a.household.refresh_from_db()
    assert (a.household.address, a.household.rt) == ("Jl. Baru 7", "001")


def test_the_admin_search_posts_and_the_list_url_holds_only_a_hash(world, province, login):
    a, _b = world
    client = login(province)
    list_url = reverse("admin:beneficiaries_person_changelist")
    html = client.get(list_url).content.decode()
    assert re.search(r'id="changelist-search"[^>]*method="post" action="/cari/"', html)
    response = client.post("/cari/", {"q": a.head.nik, "next": list_url, "sex": a.head.sex})
    location = response["Location"]
    assert a.head.nik not in location and "q=~" in location and f"sex={a.head.sex}" in location
    page = client.get(location)
    assert page.context["cl"].result_count == 1
    links = re.findall(r'href="([^"]*)"', page.content.decode())
    assert not [link for link in links if a.head.nik in link]


def test_markup_in_a_name_is_shown_escaped_in_lists_and_forms(world, head_a, login):
    a, _b = world
    Person = type(a.head)
    Person.objects.filter(pk=a.head.pk).update(full_name="<script>alert('x')</script>")
    client = login(head_a)
    for url in (
        reverse("admin:beneficiaries_person_changelist"),
        reverse("admin:beneficiaries_person_change", args=[a.head.pk]),
        reverse("admin:beneficiaries_household_changelist"),
    ):
        html = client.get(url).content.decode()
        assert "<script>alert('x')" not in html, url
        assert "&lt;script&gt;alert(&#x27;x&#x27;)" in html, url


def test_a_stale_member_row_of_the_household_page_is_refused_and_the_newer_name_stays(world, head_a, login):
    """The household page's member rows carry each person's version: a row opened before
    someone corrected that person is refused, with who changed what, and the correction
    stays."""
    from beneficiaries.services import update_person

    a, _b = world
    other = UserFactory(username="operator_a2", role="village", region_code=VILLAGE_A, first_name="Rudi")
    url = reverse("admin:beneficiaries_household_change", args=[a.household.pk])
    client = login(head_a)
    html = client.get(url).content.decode()
    household_version = re.search(r'name="seen_version" value="(\d+)"', html).group(1)
    member_version = re.search(r'name="members-0-seen_version" value="(\d+)"', html).group(1)
    update_person(actor=other, person=a.head, full_name="Kepala Dikoreksi")
    row = {
        "members-TOTAL_FORMS": "1", "members-INITIAL_FORMS": "1",
        "members-0-id": a.head.pk, "members-0-household": a.household.pk,
        "members-0-nik": a.head.nik, "members-0-full_name": "Kepala Lama Diubah", "members-0-sex": a.head.sex,
        "members-0-birth_date": a.head.birth_date.strftime("%d-%m-%Y"), "members-0-relation": a.head.relation,
        "members-0-seen_version": member_version,
    }  # fmt: skip
    response = client.post(url, household_change(a.household, seen_version=household_version, **row))
    assert response.status_code == 200
    assert "Data ini sudah diubah oleh Rudi" in response.content.decode()
    a.head.refresh_from_db()
    assert a.head.full_name == "Kepala Dikoreksi"
