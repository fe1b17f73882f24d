"""The admin's second factor (TOTP): officials who use the admin and superusers pass it,
once per session, after the password, whichever door they signed in at; enrolment shows
the QR code and the key; the people of the pages are not asked."""

import base64
import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from regions import policy
from regions.second_factor import set_known_device
from tests.conftest import TEST_TOTP_KEY, totp_code
from tests.factories import VILLAGE_A, UserFactory

pytestmark = pytest.mark.real_second_factor


def signed_in(user) -> Client:
    client = Client()
    client.post("/masuk/", {"username": user.username, "password": "rahasia-123"})
    return client


@pytest.mark.parametrize("who", ["province", "regency_official", "superuser"])
def test_admin_users_need_it(request, who):
    assert policy.needs_second_factor(request.getfixturevalue(who))


@pytest.mark.parametrize(
    "role, region", [("district", "36.01.01"), ("village", VILLAGE_A), ("cadre", VILLAGE_A), ("", "")]
)
def test_the_people_of_the_pages_do_not(db, role, region):
    """Camat, village heads and cadres (no staff status, as regions.services gives them)."""
    user = UserFactory(
        username=f"u{role}", role=role, region_code=region, is_staff=policy.role_uses_admin(role)
    )
    assert not policy.needs_second_factor(user)
    client = signed_in(user)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("second_factor_verify")).status_code == 302


def test_a_password_alone_does_not_open_the_admin(province):
    """Signed in on /masuk/ (or /admin/login/), the admin sends an official to the code page."""
    set_known_device(user=province, key_hex=TEST_TOTP_KEY)
    client = signed_in(province)
    for path in ("/admin/", "/admin/beneficiaries/household/", "/admin/regions/user/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("second_factor_verify") + "?next=")


def test_the_right_code_opens_the_admin_for_the_session(province):
    set_known_device(user=province, key_hex=TEST_TOTP_KEY)
    client = signed_in(province)
    page = client.get(reverse("second_factor_verify") + "?next=/admin/beneficiaries/household/")
    html = page.content.decode()
    assert "Verifikasi dua langkah" in html and "Kode 6 angka" in html
    response = client.post(
        reverse("second_factor_verify"), {"code": totp_code(), "next": "/admin/beneficiaries/household/"}
    )
    assert response["Location"] == "/admin/beneficiaries/household/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused_in_indonesian(province):
    set_known_device(user=province, key_hex=TEST_TOTP_KEY)
    client = signed_in(province)
    wrong = f"{(int(totp_code()) + 1) % 1_000_000:06d}"
    response = client.post(reverse("second_factor_verify"), {"code": wrong, "next": "/admin/"})
    assert response.status_code == 200
    assert "Kode salah atau sudah kedaluwarsa" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_it_does_not_follow_a_next_to_another_site(province):
    set_known_device(user=province, key_hex=TEST_TOTP_KEY)
    client = signed_in(province)
    response = client.post(
        reverse("second_factor_verify"), {"code": totp_code(), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/admin/"


def test_an_official_without_a_device_enrols_with_a_qr_code(regency_official):
    """No device yet: the admin sends to enrolment, which shows a QR code (SVG) and the key;
    the first right code confirms the device and opens the admin."""
    client = signed_in(regency_official)
    response = client.get("/admin/")
    assert response["Location"].startswith(reverse("second_factor_setup"))
    html = client.get(response["Location"]).content.decode()
    assert "<svg" in html and "otpauth://totp/Banten%20PM%3Apandeglang" in html
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', html).group(1)
    device = TOTPDevice.objects.get(user=regency_official)
    assert not device.confirmed
    key_hex = base64.b32decode(secret).hex()
    assert key_hex == device.key
    done = client.post(reverse("second_factor_setup"), {"code": totp_code(key_hex), "next": "/admin/"})
    assert done["Location"] == "/admin/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


def test_enrolment_keeps_the_key_until_confirmed(regency_official):
    """Opening the page twice shows the same key (the phone scanned the first)."""
    client = signed_in(regency_official)
    first = client.get(reverse("second_factor_setup")).content.decode()
    second = client.get(reverse("second_factor_setup")).content.decode()
    key = re.compile(r'id="totp-secret">([A-Z2-7]+)<')
    assert key.search(first).group(1) == key.search(second).group(1)
    assert TOTPDevice.objects.filter(user=regency_official).count() == 1


def test_someone_with_a_device_cannot_enrol_another(province):
    set_known_device(user=province, key_hex=TEST_TOTP_KEY)
    client = signed_in(province)
    response = client.get(reverse("second_factor_setup"))
    assert response["Location"].startswith(reverse("second_factor_verify"))
    assert TOTPDevice.objects.filter(user=province).count() == 1


def test_the_login_page_itself_stays_reachable(province):
    client = signed_in(province)
    assert client.get("/admin/login/").status_code in (200, 302)
    assert client.get("/admin/logout/").status_code in (200, 302, 405)
