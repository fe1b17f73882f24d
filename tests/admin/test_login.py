"""The admin's own sign-in at /admin/login/: officials land on the admin, the people of the
pages are sent to the pages, and every page has the Banten PM icon."""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from regions.second_factor import set_known_device
from tests.conftest import TEST_TOTP_KEY, totp_code
from tests.factories import UserFactory


def sign_in_as_a_browser(username: str) -> tuple[Client, object]:
    """GET the form, then POST what the browser would send: the form's own fields, hidden
    ones included, to the form's action."""
    client = Client()
    html = client.get(reverse("admin:login")).content.decode()
    data = {"username": username, "password": "rahasia-123"}
    if 'name="next"' in html:
        data["next"] = html.split('name="next" value="', 1)[1].split('"', 1)[0]
    return client, client.post(reverse("admin:login"), data)


def test_it_lands_an_official_on_the_admin(regency_official):
    """Signed in at /admin/login/ with nothing else asked, a regency official is on /admin/,
    not on the village pages."""
    set_known_device(user=regency_official, key_hex=TEST_TOTP_KEY)
    client, response = sign_in_as_a_browser("pandeglang")
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    verify = client.get(response["Location"])  # the second factor first
    assert verify["Location"] == f"{reverse('second_factor_verify')}?next=%2Fadmin%2F"
    done = client.post(reverse("second_factor_verify"), {"code": totp_code(), "next": "/admin/"})
    assert done["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_it_keeps_the_page_an_official_asked_for(regency_official):
    """Sent to sign in from a list, the official comes back to that list."""
    client = Client()
    wanted = reverse("admin:beneficiaries_case_changelist")
    response = client.post(
        reverse("admin:login") + f"?next={wanted}",
        {"username": "pandeglang", "password": "rahasia-123", "next": wanted},
    )
    assert response["Location"] == wanted


def test_it_sends_a_village_head_to_the_pages_in_indonesian(db):
    """A village head (no staff status) is refused here with where to sign in instead, and is
    not signed in."""
    UserFactory(username="kades_x", role="village", is_staff=False)
    client, response = sign_in_as_a_browser("kades_x")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Akun ini bekerja di halaman desa, bukan di admin. Masuk melalui halaman desa." in html
    assert f'href="{reverse("login")}"' in html
    assert "_auth_user_id" not in client.session


def test_it_still_refuses_a_wrong_password_as_before(regency_official):
    """A wrong password is Django's usual refusal, in Indonesian, not the pages hint."""
    response = Client().post(reverse("admin:login"), {"username": "pandeglang", "password": "salah"})
    html = response.content.decode()
    assert "Akun ini bekerja di halaman desa" not in html
    assert "dan sandi yang benar untuk akun staf" in html


def test_it_links_a_signed_in_village_head_to_the_pages(db):
    """Signed in on the pages and opening /admin/: the sign-in page links back to the pages."""
    head = UserFactory(username="kades_y", role="village", is_staff=False)
    client = Client()
    client.force_login(head)
    response = client.get(reverse("admin:index"), follow=True)
    html = response.content.decode()
    assert 'id="pages-hint"' in html and f'href="{reverse("home")}"' in html


def test_it_shows_the_favicon_on_the_admin_and_the_pages(regency_official, head_a):
    """The admin (unfold's SITE_FAVICONS) and the pages link the SVG icon."""
    link = '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'
    client = Client()
    assert "/static/favicon.svg" in client.get(reverse("admin:login")).content.decode()
    client.force_login(regency_official)
    assert "/static/favicon.svg" in client.get(reverse("admin:index")).content.decode()
    client.force_login(head_a)
    assert link in client.get(reverse("home")).content.decode()


def test_it_answers_favicon_ico_with_the_svg(db):
    """Browsers that ask for /favicon.ico are sent to the icon, not a 404."""
    response = Client().get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/favicon.svg"
    icon = Path(finders.find("favicon.svg")).read_text()
    assert "<svg" in icon and ">PM<" in icon
