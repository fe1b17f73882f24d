"""Sign in, sign out, change password; each role lands on its own home page."""

from django.urls import reverse


def test_it_signs_in_and_lands_on_the_village_home(client, head_a):
    """A village head who signs in is sent to the village home, in Indonesian."""
    response = client.post(reverse("login"), {"username": "kades_a", "password": "rahasia-123"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Beranda desa" in response.content.decode()


def test_it_rejects_a_wrong_password_in_indonesian(client, head_a):
    """A wrong password keeps the user out and says why, in Indonesian."""
    response = client.post(reverse("login"), {"username": "kades_a", "password": "salah"})
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_sends_anonymous_users_to_sign_in(client, db):
    """Every page needs a signed-in user."""
    response = client.get(reverse("household_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_signs_out_with_a_post(client, head_a):
    """Signing out ends the session and returns to the sign-in page."""
    client.force_login(head_a)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_it_changes_the_password_and_says_so(client, head_a):
    """A new password is saved and a success message is shown."""
    client.force_login(head_a)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "rahasia-123",
            "new_password1": "Desa-Maju-2025!",
            "new_password2": "Desa-Maju-2025!",
        },
        follow=True,
    )
    head_a.refresh_from_db()
    assert head_a.check_password("Desa-Maju-2025!")
    assert "Kata sandi Anda sudah diganti." in response.content.decode()


def test_each_role_lands_on_its_own_home(client, district_official, cadre, stranger):
    """Officials see the queue, cadres their activities, a user without region a hint."""
    for user, text in [
        (district_official, "Usulan menunggu keputusan"),
        (cadre, "Kegiatan saya"),
        (stranger, "Akun Anda belum punya wilayah kerja"),
    ]:
        client.force_login(user)
        assert text in client.get(reverse("home")).content.decode()


def test_every_form_carries_a_csrf_token(client, head_a, case_a):
    """CSRF protection on every form of the pages."""
    client.force_login(head_a)
    for url in [
        reverse("household_create"),
        reverse("assistance_create", args=[case_a.pk]),
        reverse("move_create", args=[case_a.pk]),
        reverse("group_create"),
        reverse("activity_create"),
    ]:
        html = client.get(url).content.decode()
        assert html.count("<form") <= html.count("csrfmiddlewaretoken") + html.count('method="get"')
