"""Registering a household with its members, searching, and the household page."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from beneficiaries import services
from beneficiaries.identity import mask_kk, mask_nik
from beneficiaries.models import Household, Person
from beneficiaries.services.common import DUPLICATE_REFUSALS
from tests.factories import (
    VILLAGE_A,
    VILLAGE_B,
    GroupFactory,
    HouseholdFactory,
    MembershipFactory,
    PersonFactory,
    make_kk,
)

from .conftest import member_rows, nik_for

HEAD_BIRTH = datetime.date(1980, 4, 2)
WIFE_BIRTH = datetime.date(1984, 9, 15)
CHILD_BIRTH = datetime.date(2010, 1, 20)


def household_post(kk: str, *rows, **extra) -> dict:
    data = {"village": "36.01.01.2001", "kk_number": kk, "address": "Kp. Cikadu", "rt": "3", "rw": "1"}
    data["desil"] = "1"
    data.update(member_rows(*rows))
    data.update(extra)
    return data


def three_members(wife_nik: str | None = None) -> list[dict]:
    return [
        {"full_name": "Ahmad Sanusi", "nik": nik_for(HEAD_BIRTH, "L", 11), "sex": "L",
         "birth_date": HEAD_BIRTH.isoformat(), "relation": "head"},
        {"full_name": "Euis Komariah", "nik": wife_nik or nik_for(WIFE_BIRTH, "P", 12), "sex": "P",
         "birth_date": WIFE_BIRTH.isoformat(), "relation": "spouse"},
        {"full_name": "Dede Sanusi", "nik": nik_for(CHILD_BIRTH, "L", 13), "sex": "L",
         "birth_date": CHILD_BIRTH.isoformat(), "relation": "child"},
    ]  # fmt: skip


def test_it_registers_a_household_with_its_members(client, head_a):
    """One page saves the KK and every member, then shows the household with a message."""
    client.force_login(head_a)
    response = client.post(
        reverse("household_create"), household_post(make_kk(501), *three_members()), follow=True
    )
    household = Household.objects.get(kk_number=make_kk(501))
    assert household.village_id == "36.01.01.2001" and household.rt == "003"
    assert household.created_by == head_a
    assert sorted(household.members.values_list("full_name", flat=True)) == [
        "Ahmad Sanusi", "Dede Sanusi", "Euis Komariah",
    ]  # fmt: skip
    html = response.content.decode()
    assert "terdaftar dengan 3 anggota" in html
    assert "Ahmad Sanusi" in html


def test_it_shows_a_wrong_nik_next_to_its_row_and_saves_nothing(client, head_a):
    """A man's NIK on a woman is refused by the service; the error sits on row 2's NIK."""
    client.force_login(head_a)
    wrong = nik_for(WIFE_BIRTH, "L", 12)
    response = client.post(reverse("household_create"), household_post(make_kk(502), *three_members(wrong)))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_members-1-nik_error"' in html
    assert "NIK ini milik laki-laki" in html
    assert "Belum tersimpan" in html
    assert not Household.objects.filter(kk_number=make_kk(502)).exists()
    assert not Person.objects.filter(full_name="Ahmad Sanusi").exists()


def test_it_shows_form_errors_before_calling_the_service(client, head_a):
    """A missing name or a bad date is shown at its field; nothing is saved."""
    client.force_login(head_a)
    rows = three_members()
    rows[2]["full_name"] = ""
    rows[2]["birth_date"] = "kemarin"
    response = client.post(reverse("household_create"), household_post(make_kk(503), *rows))
    html = response.content.decode()
    assert 'id="id_members-2-full_name_error"' in html
    assert 'id="id_members-2-birth_date_error"' in html
    assert not Household.objects.exists()


def test_it_says_a_kk_exists_without_revealing_the_other_village(client, head_a, head_b):
    """A KK registered in village B is refused in A with no detail about B's household."""
    HouseholdFactory(village_id=VILLAGE_B, kk_number=make_kk(504), address="Jl. Rahasia B")
    client.force_login(head_a)
    response = client.post(reverse("household_create"), household_post(make_kk(504), *three_members()))
    html = response.content.decode()
    assert "Nomor KK ini sudah terdaftar." in html
    assert "Jl. Rahasia B" not in html and "Kertajaya" not in html
    assert Household.objects.count() == 1


def test_it_says_a_nik_exists_without_revealing_the_other_village(client, head_a, head_b):
    """A NIK already registered in village B is refused at its row with no detail of B."""
    other = HouseholdFactory(village_id=VILLAGE_B, address="Jl. Rahasia B")
    rows = three_members()
    PersonFactory(household=other, full_name="Orang Desa B", nik=rows[2]["nik"], birth_date=CHILD_BIRTH)
    client.force_login(head_a)
    response = client.post(reverse("household_create"), household_post(make_kk(508), *rows))
    html = response.content.decode()
    assert 'id="id_members-2-nik_error"' in html and "NIK ini sudah terdaftar." in html
    assert "Orang Desa B" not in html and "Jl. Rahasia B" not in html
    assert not Household.objects.filter(kk_number=make_kk(508)).exists()


def test_it_requires_exactly_one_head_as_the_service_says(client, head_a):
    """The service's rule on heads shows above the member rows."""
    client.force_login(head_a)
    rows = three_members()
    rows[0]["relation"] = "other"
    response = client.post(reverse("household_create"), household_post(make_kk(505), *rows))
    assert "Tepat satu anggota harus berstatus kepala keluarga." in response.content.decode()
    assert not Household.objects.exists()


def test_it_adds_a_member_row_without_javascript(client, head_a):
    """The 'add row' button re-renders the form with one more blank row and no errors."""
    client.force_login(head_a)
    data = household_post(make_kk(506), *three_members()[:1], add_row="1")
    response = client.post(reverse("household_create"), data)
    html = response.content.decode()
    assert 'name="members-TOTAL_FORMS" value="2"' in html
    assert 'name="members-1-full_name"' in html
    assert "Ahmad Sanusi" in html
    assert "errorlist" not in html
    assert not Household.objects.exists()


def test_it_ignores_removed_and_blank_rows(client, head_a):
    """A row ticked for removal and blank rows are not saved."""
    client.force_login(head_a)
    rows = three_members()
    rows[2]["DELETE"] = "on"
    data = household_post(make_kk(507), *rows)
    data["members-TOTAL_FORMS"] = "5"
    client.post(reverse("household_create"), data)
    household = Household.objects.get(kk_number=make_kk(507))
    assert household.members.count() == 2


def test_a_cadre_may_not_register_households(client, cadre):
    """Cadres read households; registering is the village's work."""
    client.force_login(cadre)
    assert client.get(reverse("household_create")).status_code == 403


def test_it_finds_households_by_kk_nik_or_name(client, head_a, household_a):
    """The search matches a KK, a NIK or part of a member's name, only in the user's region."""
    other = HouseholdFactory(village_id=VILLAGE_B)
    PersonFactory(household=other, full_name="Siti Rahmah")
    client.force_login(head_a)
    nik = household_a.members.get(relation="head").nik
    for query in [household_a.kk_number, nik, "aminah", "SITI"]:
        html = client.get(reverse("household_list"), {"q": query}).content.decode()
        assert household_a.kk_number in html, query
        assert other.kk_number not in html
    html = client.get(reverse("household_list"), {"q": "tidak ada"}).content.decode()
    assert "Tidak ada rumah tangga" in html


def test_the_household_page_masks_nik_without_the_permission(client, head_a, district_official, household_a):
    """Village heads see the full NIK; a district official sees it masked."""
    nik = household_a.members.get(relation="head").nik
    url = reverse("household_detail", args=[household_a.pk])
    client.force_login(head_a)
    assert nik in client.get(url).content.decode()
    client.force_login(district_official)
    html = client.get(url).content.decode()
    assert nik not in html
    assert mask_nik(nik) in html


def test_the_household_page_of_another_village_is_not_found(client, head_b, household_a, case_a):
    """A head of village B gets 404 on every URL of village A's household and case."""
    client.force_login(head_b)
    for url in [
        reverse("household_detail", args=[household_a.pk]),
        reverse("case_open", args=[household_a.pk]),
        reverse("assistance_create", args=[case_a.pk]),
        reverse("move_create", args=[case_a.pk]),
        reverse("move_detail", args=[case_a.moves.get().pk]),
        reverse("move_decide", args=[case_a.moves.get().pk]),
    ]:
        assert client.post(url, {}).status_code == 404, url
        if not url.endswith("putuskan/"):
            assert client.get(url).status_code == 404, url


def test_it_opens_a_case_at_stage_1(client, head_a, household_a):
    """Opening a case creates it at stage 1 with its entry move, and says so."""
    client.force_login(head_a)
    response = client.post(
        reverse("case_open", args=[household_a.pk]),
        {"opened_on": timezone.localdate().isoformat()},
        follow=True,
    )
    case = household_a.cases.get()
    assert case.stage == "1" and case.opened_by == head_a
    assert case.moves.get().kind == "entry"
    html = response.content.decode()
    assert "Kasus dibuka" in html
    assert "Masuk program" in html


def test_it_refuses_a_second_open_case_with_the_services_words(client, head_a, case_a):
    """The service's refusal shows on the form; no second case is written."""
    client.force_login(head_a)
    response = client.post(
        reverse("case_open", args=[case_a.household_id]), {"opened_on": timezone.localdate().isoformat()}
    )
    assert "sudah punya kasus aktif" in response.content.decode()
    assert case_a.household.cases.count() == 1


def test_it_refuses_a_future_opening_date_next_to_the_field(client, head_a, household_a):
    """A date in the future is refused by the service, shown at the date field."""
    client.force_login(head_a)
    tomorrow = timezone.localdate() + datetime.timedelta(days=2)
    response = client.post(reverse("case_open", args=[household_a.pk]), {"opened_on": tomorrow.isoformat()})
    assert 'id="id_opened_on_error"' in response.content.decode()
    assert not household_a.cases.exists()


def test_it_lists_households_by_the_stage_of_their_open_case(client, head_a, case_a):
    """The stage counts on the home link to the households in that stage."""
    waiting = HouseholdFactory()
    client.force_login(head_a)
    assert f"{reverse('household_list')}?tahap=1" in client.get(reverse("home")).content.decode()
    html = client.get(reverse("household_list"), {"tahap": "1"}).content.decode()
    assert case_a.household.kk_number in html and waiting.kk_number not in html
    html = client.get(reverse("household_list"), {"tahap": "2"}).content.decode()
    assert "Tidak ada rumah tangga di tahap 2" in html


# Privacy: a user who may not see a NIK or KK whole never reads its serial

NIK = "3601011203857391"
KK = "3601012001208264"


@pytest.fixture
def planted(db, head_a, program):
    """A household of village A with a known NIK and KK, a case with aid and a pending
    proposal, and a group: every page that names the household."""
    household = HouseholdFactory(village_id=VILLAGE_A, kk_number=KK)
    PersonFactory(household=household, nik=NIK, full_name="Siti Aminah", sex="L", relation="head")
    case = services.open_case(actor=head_a, household=household)
    services.record_assistance(
        actor=head_a,
        case=case,
        program=program,
        kind="food",
        delivered_on=timezone.localdate(),
        amount=300_000,
    )
    services.request_move(case=case, to="2", actor=head_a, reason="Siap mandiri")
    MembershipFactory(group=GroupFactory(village_id=VILLAGE_A), household=household)
    return household


def without_echo(html: str, *echoed: str) -> str:
    """The page without its CSRF tokens (random letters and digits) and what the user typed."""
    html = re.sub(r'value="[A-Za-z0-9]{32,}"', "", html)
    for text in echoed:
        html = html.replace(text, "")
    return html


@pytest.mark.parametrize("user", ["district_official", "regency_official", "cadre"])
def test_no_page_shows_the_serial_of_a_nik_or_kk(client, request, planted, user):
    """Home, lists, searches, the household, its case, proposal and group pages: the last
    four digits of the planted NIK (7391) and KK (8264) appear nowhere."""
    client.force_login(request.getfixturevalue(user))
    case = planted.cases.get()
    move = case.moves.get(state="pending")
    group = planted.group_memberships.get().group
    pages = [
        (reverse("home"), {}),
        (reverse("household_list"), {}),
        (reverse("household_list"), {"q": NIK}),
        (reverse("household_list"), {"q": KK}),
        (reverse("household_list"), {"q": "aminah"}),
        (reverse("household_detail", args=[planted.pk]), {}),
        (reverse("case_open", args=[planted.pk]), {}),
        (reverse("assistance_create", args=[case.pk]), {}),
        (reverse("move_create", args=[case.pk]), {}),
        (reverse("move_detail", args=[move.pk]), {}),
        (reverse("group_detail", args=[group.pk]), {}),
        (reverse("group_list"), {}),
    ]
    shown = 0
    for url, params in pages:
        response = client.get(url, params)
        if response.status_code == 403:  # a cadre's pages are fewer
            continue
        assert response.status_code == 200, url
        html = without_echo(response.content.decode(), *params.values())
        assert "7391" not in html and "8264" not in html, url
        shown += mask_kk(KK) in html
    assert shown >= 4


def test_the_village_head_sees_the_whole_kk_and_nik(client, head_a, planted):
    client.force_login(head_a)
    html = client.get(reverse("household_detail", args=[planted.pk])).content.decode()
    assert KK in html and NIK in html
    assert KK in client.get(reverse("household_list")).content.decode()


@pytest.mark.parametrize("user", ["district_official", "cadre"])
def test_a_search_by_part_of_a_number_finds_nothing(client, request, planted, user):
    """The cadre's digit-by-digit probe of issue 8 through /rumah-tangga/?q=: no prefix,
    no part, only the whole 16 digits."""
    client.force_login(request.getfixturevalue(user))
    url = reverse("household_list")
    for part in ("3", NIK[:7], NIK[:12], NIK[:13], NIK[:15], NIK[-4:], KK[:15], NIK[:15] + "0"):
        response = client.get(url, {"q": part})
        assert list(response.context["page"].object_list) == [], part
        assert "Tidak ada rumah tangga" in response.content.decode()
    for whole in (NIK, KK):
        assert [h.pk for h in client.get(url, {"q": whole}).context["page"].object_list] == [planted.pk]


def test_a_district_official_registering_sees_the_kk_masked_in_the_message(client, district_official):
    client.force_login(district_official)
    response = client.post(
        reverse("household_create"), household_post(make_kk(8264), *three_members()), follow=True
    )
    html = response.content.decode()
    assert "terdaftar dengan 3 anggota" in html
    assert make_kk(8264) not in html and mask_kk(make_kk(8264)) in html


def test_a_duplicate_says_only_already_registered_and_then_locks(client, head_b, head_a, planted):
    """The refusal names no village; after the limit the page says why it refuses, for
    that user only."""
    own = HouseholdFactory(village_id=VILLAGE_B)
    rows = [{"full_name": "Asep", "nik": NIK, "sex": "L", "birth_date": "1985-03-12", "relation": "head"}]
    data = household_post(own.kk_number, *rows, village=VILLAGE_B)
    client.force_login(head_b)
    for _ in range(DUPLICATE_REFUSALS.limit // 2):
        html = client.post(reverse("household_create"), data).content.decode()
        assert "Nomor KK ini sudah terdaftar." in html and "NIK ini sudah terdaftar." in html
        assert "Sumberjaya" not in html
    html = client.post(reverse("household_create"), data).content.decode()
    assert "Terlalu banyak" in html and "NIK ini sudah terdaftar." not in html
    assert Household.objects.count() == 2
    client.force_login(head_a)
    data = household_post(KK, *rows)
    assert "Nomor KK ini sudah terdaftar." in client.post(reverse("household_create"), data).content.decode()


# ---------------------------------------------------------------- keeping the record right (issue 9)


def head_of(household):
    return household.members.get(relation="head")


def child_of(household):
    return household.members.get(relation="child")


def test_registering_without_members_says_the_head_is_needed(client, head_a):
    """A KK alone is refused with the service's words above the member rows."""
    client.force_login(head_a)
    response = client.post(reverse("household_create"), household_post(make_kk(520)))
    assert "Daftarkan minimal kepala keluarga bersama kartu keluarganya." in response.content.decode()
    assert not Household.objects.exists()


def test_a_failed_registration_names_the_fields_and_focuses_the_first(client, head_a):
    """The banner links each field in error by its label; the first one gets autofocus."""
    client.force_login(head_a)
    rows = three_members(nik_for(WIFE_BIRTH, "L", 12))
    response = client.post(reverse("household_create"), household_post("12345", *rows))
    html = response.content.decode()
    banner = html[html.index('id="form-errors"') : html.index("</div>", html.index('id="form-errors"'))]
    assert '<a href="#id_kk_number">Nomor KK</a>' in banner
    assert html.count(" autofocus") == 1
    assert re.search(r'<input[^>]+name="kk_number"[^>]+autofocus', html)
    response = client.post(reverse("household_create"), household_post(make_kk(521), *rows))
    html = response.content.decode()
    assert '<a href="#id_members-1-nik">Anggota 2, NIK</a>' in html
    assert re.search(r'<input[^>]+name="members-1-nik"[^>]+autofocus', html)
    assert not Household.objects.exists()


def test_a_regency_official_picks_the_village_from_a_list_grouped_by_district(
    client, regency_official, head_a
):
    """No code to type: a select of the regency's villages in one optgroup per district;
    the village head has no village field to fill."""
    client.force_login(regency_official)
    html = client.get(reverse("household_create")).content.decode()
    assert re.search(r'<select name="village"[^>]*>', html)
    assert '<optgroup label="Kec. Sumur">' in html
    assert '<option value="36.01.01.2001">Desa Sumberjaya</option>' in html
    assert "36.04." not in html  # another regency's villages are not offered
    client.force_login(head_a)
    html = client.get(reverse("household_create")).content.decode()
    assert '<input type="hidden" name="village" value="36.01.01.2001"' in html


def test_the_village_head_edits_the_address_rt_rw_and_desil(client, head_a, household_a):
    client.force_login(head_a)
    url = reverse("household_edit", args=[household_a.pk])
    assert 'value="001"' in client.get(url).content.decode()
    response = client.post(
        url, {"address": "Kp. Baru No. 3", "rt": "4", "rw": "2", "desil": "3"}, follow=True
    )
    household = Household.objects.get(pk=household_a.pk)
    assert (household.address, household.rt, household.desil) == ("Kp. Baru No. 3", "004", 3)
    assert household.history.latest().history_user == head_a
    html = response.content.decode()
    assert "Data rumah tangga disimpan." in html
    assert "Alamat: " in html and "→ Kp. Baru No. 3" in html and "Desil P3KE: 1 → 3" in html


def test_it_adds_a_member_a_birth(client, head_a, household_a):
    client.force_login(head_a)
    born = timezone.localdate() - datetime.timedelta(days=10)
    data = {"full_name": "Bayi Siti", "has_no_nik": "on", "sex": "P", "birth_date": born.isoformat(),
            "relation": "child"}  # fmt: skip
    response = client.post(reverse("member_add", args=[household_a.pk]), data, follow=True)
    baby = Person.objects.get(full_name="Bayi Siti")
    assert baby.household == household_a and baby.created_by == head_a and baby.has_no_nik
    html = response.content.decode()
    assert "Bayi Siti ditambahkan ke rumah tangga." in html
    assert "Anggota ditambahkan: Bayi Siti (Anak)" in html
    assert "Anggota keluarga (3)" in html


def test_adding_a_second_head_is_refused_at_the_relation(client, head_a, household_a):
    client.force_login(head_a)
    data = {"full_name": "Kepala Dua", "nik": nik_for(HEAD_BIRTH, "L", 31), "sex": "L",
            "birth_date": HEAD_BIRTH.isoformat(), "relation": "head"}  # fmt: skip
    html = client.post(reverse("member_add", args=[household_a.pk]), data).content.decode()
    assert 'id="id_relation_error"' in html and "sudah punya kepala keluarga" in html
    assert not Person.objects.filter(full_name="Kepala Dua").exists()


def test_it_corrects_a_nik_with_the_registration_checks(client, head_a, household_a):
    """A NIK of another birth date is refused at NIK and birth date, naming the NIK's
    date, the banner linking both and the NIK focused; then the right NIK is saved."""
    client.force_login(head_a)
    child = child_of(household_a)
    url = reverse("member_edit", args=[household_a.pk, child.pk])
    assert f'value="{child.nik}"' in client.get(url).content.decode()  # the village head sees it whole
    wrong = nik_for(datetime.date(2012, 5, 2), "L", 77)
    data = {"full_name": "Budi Santoso", "nik": wrong, "sex": "L", "birth_date": "2012-05-01"}
    html = client.post(url, data).content.decode()
    assert 'id="id_nik_error"' in html and 'id="id_birth_date_error"' in html
    assert "NIK ini memuat tanggal lahir 2 Mei 2012" in html
    assert '<a href="#id_nik">NIK</a>' in html and '<a href="#id_birth_date">Tanggal lahir</a>' in html
    assert re.search(r'<input[^>]+name="nik"[^>]+autofocus', html)
    assert Person.objects.get(pk=child.pk).full_name == "Budi"
    right = nik_for(datetime.date(2012, 5, 1), "L", 77)
    response = client.post(url, {**data, "nik": right}, follow=True)
    saved = Person.objects.get(pk=child.pk)
    assert (saved.full_name, saved.nik) == ("Budi Santoso", right)
    html = response.content.decode()
    assert "Data anggota Budi Santoso dikoreksi" in html and "NIK dikoreksi" in html
    assert "Nama lengkap: Budi → Budi Santoso" in html


def test_it_records_a_member_leaving(client, head_a, household_a):
    """The child is out of the current members, listed as a former member with the reason,
    and the timeline tells it."""
    client.force_login(head_a)
    child = child_of(household_a)
    data = {"left_on": "2026-06-01", "left_reason": "moved_out", "left_note": "Ke Kota Serang"}
    response = client.post(reverse("member_left", args=[household_a.pk, child.pk]), data, follow=True)
    child.refresh_from_db()
    assert (child.left_on, child.left_reason, child.left_note) == (
        datetime.date(2026, 6, 1),
        "moved_out",
        "Ke Kota Serang",
    )
    html = response.content.decode()
    assert "Anggota keluarga (1)" in html and "Pernah menjadi anggota" in html
    assert "Budi keluar dari rumah tangga: Pindah keluar, 1 Juni 2026" in html
    assert client.get(reverse("member_left", args=[household_a.pk, child.pk])).status_code == 404


def test_the_head_is_not_recorded_leaving_on_the_page(client, head_a, household_a):
    client.force_login(head_a)
    head = head_of(household_a)
    data = {"left_on": "2026-06-01", "left_reason": "died"}
    html = client.post(reverse("member_left", args=[household_a.pk, head.pk]), data).content.decode()
    assert "Ganti kepala keluarga dulu" in html
    assert Person.objects.get(pk=head.pk).left_on is None


def test_it_changes_the_head(client, head_a, household_a):
    client.force_login(head_a)
    old, child = head_of(household_a), child_of(household_a)
    url = reverse("head_change", args=[household_a.pk])
    html = client.get(url).content.decode()
    assert "Budi (Anak)" in html and "Siti Aminah (" not in html  # the head is no candidate
    response = client.post(url, {"new_head": child.pk, "old_head_relation": "other"}, follow=True)
    assert Person.objects.get(pk=child.pk).relation == "head"
    assert Person.objects.get(pk=old.pk).relation == "other"
    html = response.content.decode()
    assert "<h1>Budi</h1>" in html and "Budi menjadi kepala keluarga" in html
    assert "Siti Aminah tidak lagi kepala keluarga, kini Keluarga lain" in html


def test_the_district_official_may_keep_the_record_and_sees_the_nik_masked(
    client, district_official, household_a
):
    client.force_login(district_official)
    child = child_of(household_a)
    url = reverse("member_edit", args=[household_a.pk, child.pk])
    html = client.get(url).content.decode()
    assert child.nik not in html and mask_nik(child.nik) in html
    data = {"full_name": "Budi S.", "nik": "", "sex": "L", "birth_date": "2012-05-01"}
    client.post(url, data)
    saved = Person.objects.get(pk=child.pk)
    assert (saved.full_name, saved.nik) == ("Budi S.", child.nik)  # the NIK left empty is kept
    assert saved.history.latest().history_user == district_official
    html = client.get(reverse("household_detail", args=[household_a.pk])).content.decode()
    assert reverse("head_change", args=[household_a.pk]) in html


def record_urls(household):
    person = child_of(household)
    return [
        reverse("household_edit", args=[household.pk]),
        reverse("member_add", args=[household.pk]),
        reverse("member_edit", args=[household.pk, person.pk]),
        reverse("member_left", args=[household.pk, person.pk]),
        reverse("head_change", args=[household.pk]),
    ]


def test_another_village_gets_404_on_every_record_page(client, head_b, household_a):
    client.force_login(head_b)
    for url in record_urls(household_a):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"address": "X", "rt": "1", "rw": "1"}).status_code == 404, url
    assert Household.objects.get(pk=household_a.pk).address != "X"


def test_the_cadre_may_not_keep_the_record(client, cadre, household_a):
    """The cadre reads the household page without edit links, and each form is 403."""
    client.force_login(cadre)
    html = client.get(reverse("household_detail", args=[household_a.pk])).content.decode()
    assert "Koreksi data" not in html and "Tambah anggota" not in html
    for url in record_urls(household_a):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"address": "X", "rt": "1", "rw": "1"}).status_code == 403, url
    assert Household.objects.get(pk=household_a.pk).address != "X"


def test_the_household_page_costs_the_same_for_3_or_30_members(client, head_a, household_a):
    """Members, former members and the record timeline at a fixed number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(start, n):
        for i in range(start, start + n):
            born = datetime.date(2000, 1, 1) + datetime.timedelta(days=i)
            person = services.add_member(actor=head_a, household=household_a, full_name=f"Anak {i}",
                                         nik=nik_for(born, "L", 100 + i), sex="L", birth_date=born,
                                         relation="child")  # fmt: skip
            services.update_person(actor=head_a, person=person, full_name=f"Anak ke-{i}")
            if i % 3 == 0:
                services.record_member_left(
                    actor=head_a, person=person, on=datetime.date(2026, 1, 1), reason="other"
                )

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("household_detail", args=[household_a.pk])).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(head_a)
    add(0, 3)
    small = count()
    add(3, 27)
    assert count() == small


def test_the_banner_leaves_out_a_row_marked_for_removal(client, head_a):
    """A row added and removed again (its DELETE ticked) is no error to fix."""
    client.force_login(head_a)
    rows = three_members(nik_for(WIFE_BIRTH, "L", 12)) + [{"full_name": "", "DELETE": "on", "sex": "L"}]
    html = client.post(reverse("household_create"), household_post(make_kk(522), *rows)).content.decode()
    banner = html.split('id="form-errors"')[1].split("</div>")[0]
    assert "Anggota 2, NIK" in banner and "Anggota 4" not in banner
    assert re.search(r'<input[^>]+name="members-1-nik"[^>]+autofocus', html)


def test_registering_costs_the_same_queries_for_one_member_or_four(client, head_a):
    """The registration page validates and writes in a number of queries that does not grow
    with the members."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(head_a)
    counts = []
    for serial, rows in ((601, three_members()[:1]), (602, four_members(20))):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("household_create"), household_post(make_kk(serial), *rows))
        assert response.status_code == 302, response.content.decode()[:2000]
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert Person.objects.count() == 5


def four_members(serial: int) -> list[dict]:
    rows = three_members()
    rows[0] = {**rows[0], "nik": nik_for(HEAD_BIRTH, "L", serial)}
    rows[1] = {**rows[1], "nik": nik_for(WIFE_BIRTH, "P", serial + 1)}
    rows[2] = {**rows[2], "nik": nik_for(CHILD_BIRTH, "L", serial + 2)}
    return [*rows, {**rows[2], "full_name": "Ujang Sanusi", "nik": nik_for(CHILD_BIRTH, "L", serial + 3)}]
