"""English is available: the village pages, the services' refusals and the admin answer in
English when the language cookie or the browser asks for it; Bahasa Indonesia stays the
default. The msgids are the Indonesian texts, so Indonesian needs no catalogue."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from beneficiaries import services
from beneficiaries.models import Household
from core.templatetags.indonesian import tanggal, tanggal_jam
from regions.services import create_user
from tests.factories import VILLAGE_A, VILLAGE_B, HouseholdFactory, PersonFactory, make_kk, make_nik

HEAD_BIRTH = datetime.date(1980, 3, 12)


@pytest.fixture(autouse=True)
def _default_language():
    """LocaleMiddleware leaves the last request's language active in the thread; start and
    end every test in the default language so English never leaks into other tests."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def household(db, head_a):
    """A household of village A with an open case in stage 1."""
    household = HouseholdFactory(village_id=VILLAGE_A)
    PersonFactory(
        household=household, full_name="Siti Aminah", sex="P", relation="head", birth_date=HEAD_BIRTH
    )
    services.open_case(actor=head_a, household=household)
    return household


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_it_shows_the_village_home_in_indonesian_by_default(client, head_a):
    """Without a cookie or an Accept-Language header, the page is Indonesian."""
    client.force_login(head_a)
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="id">' in html
    assert "Beranda desa" in html and "Kasus per tahap" in html
    assert "Village home" not in html


def test_it_shows_the_village_home_in_english_with_the_language_cookie(client, head_a, household):
    """The language cookie set to en turns the village head's home into English, stage
    labels from the models included."""
    client.force_login(head_a)
    html = in_english(client).get(reverse("home")).content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Village home</h1>" in html
    assert "Cases by stage" in html and "Stage 1: basic needs" in html
    assert "Register a household" in html and "Sign out" in html
    assert "Beranda desa" not in html and "Daftarkan rumah tangga" not in html


def test_pages_stay_indonesian_for_a_browser_set_to_english(client, head_a):
    """Pages are Indonesian until the user picks English: a browser's Accept-Language alone
    does not switch them (the API does follow it)."""
    client.force_login(head_a)
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "<h1>Village home</h1>" not in html and '<html lang="id">' in html
    admin = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="id"' in admin


def test_it_shows_the_household_page_in_english(client, head_a, household):
    """The household page: headings, case stage, members and dates in English."""
    client.force_login(head_a)
    html = in_english(client).get(reverse("household_detail", args=[household.pk])).content.decode()
    assert "Family members (1)" in html
    assert "Stage 1: basic needs" in html
    assert "Head of household" in html and "born 12 March 1980" in html
    assert "Stage history" in html and "Record assistance" in html
    assert "Anggota keluarga" not in html and "Maret" not in html


def test_it_keeps_the_household_page_indonesian_by_default(client, head_a, household):
    """The same page without a language choice stays in Indonesian."""
    client.force_login(head_a)
    html = client.get(reverse("household_detail", args=[household.pk])).content.decode()
    assert "Anggota keluarga (1)" in html and "lahir 12 Maret 1980" in html
    assert "Family members" not in html


def test_it_refuses_a_duplicate_kk_in_english(client, head_a, head_b):
    """The service refuses a KK already registered elsewhere; under en the message on the
    form is English and nothing is saved."""
    kk = make_kk(701)
    HouseholdFactory(village_id=VILLAGE_B, kk_number=kk)
    data = {"village": VILLAGE_A, "kk_number": kk, "address": "Kp. Cikadu", "rt": "3", "rw": "1"}
    data |= {"members-TOTAL_FORMS": "1", "members-INITIAL_FORMS": "0"}
    data |= {"members-MIN_NUM_FORMS": "0", "members-MAX_NUM_FORMS": "30"}
    nik = make_nik(birth=HEAD_BIRTH, sex="L", serial=71)
    row = {
        "full_name": "Ahmad",
        "nik": nik,
        "sex": "L",
        "birth_date": HEAD_BIRTH.isoformat(),
        "relation": "head",
    }
    data |= {f"members-0-{k}": v for k, v in row.items()}
    client.force_login(head_a)
    html = in_english(client).post(reverse("household_create"), data).content.decode()
    assert "This KK number is already registered." in html
    assert "Not saved yet." in html
    assert "sudah terdaftar" not in html
    assert Household.objects.filter(kk_number=kk).count() == 1


def test_it_refuses_a_move_in_english(client, head_a, household):
    """Asking for stage 2 before any basic-needs aid: the service's refusal reads in English
    and no move is written."""
    case = household.cases.get()
    client.force_login(head_a)
    html = in_english(client).post(reverse("move_create", args=[case.pk]), {"to": "2"}).content.decode()
    assert "Requirement not yet met: Has received at least one basic-needs assistance" in html
    assert not case.moves.filter(to="2").exists()


def test_the_language_switch_sets_the_cookie_and_returns(client, head_a):
    """Every page carries a no-script switch; posting it sets the language cookie and
    returns to the page, which is then English."""
    client.force_login(head_a)
    html = client.get(reverse("household_list")).content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert f'name="next" value="{reverse("household_list")}"' in html
    assert 'value="en" lang="en"' in html
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("household_list")})
    assert response.status_code == 302 and response["Location"] == reverse("household_list")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get(reverse("household_list")).content.decode()
    assert "<h1>Households</h1>" in html and 'aria-current="true">EN<' in html


def test_the_language_switch_is_on_the_sign_in_page(client, db):
    """Someone not signed in can switch too, and the sign-in page turns English."""
    assert 'value="en"' in client.get(reverse("login")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    html = client.get(reverse("login")).content.decode()
    assert "Sign in" in html and "Username" in html and "Nama pengguna" not in html


def test_it_formats_dates_with_english_months_under_en():
    """Dates keep the day-month-year order; month names and the time follow the language."""
    moment = datetime.datetime(2025, 8, 17, 10, 5)
    assert tanggal(datetime.date(2025, 3, 12)) == "12 Maret 2025"
    with translation.override("en"):
        assert tanggal(datetime.date(2025, 3, 12)) == "12 March 2025"
        assert tanggal_jam(moment) == "17 August 2025, 10:05"


def test_the_admin_shows_english_verbose_names_under_en(client, superuser, household):
    """With the en cookie the officials' admin lists households under English names."""
    client.force_login(superuser)
    html = in_english(client).get(reverse("admin:beneficiaries_household_changelist")).content.decode()
    assert "KK number" in html and "Household" in html
    assert "nomor KK" not in html
    html = client.get(reverse("admin:beneficiaries_case_changelist")).content.decode()
    assert "Stage 1: basic needs" in html


def test_it_creates_a_user_while_english_is_active(db):
    """An official working in English can still create a user: the role's permission group
    is found whatever the active language."""
    with translation.override("en"):
        user = create_user(username="kades_en", role="village", region_code=VILLAGE_A, password="x-123456")
    assert user.groups.count() == 1
