"""Token login, the shared sign-in limit on the API's door, tokens that lapse and end,
the user's own list of tokens, and how unauthenticated requests are answered."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from api.models import ApiToken
from api.tokens import digest_of, issue_token

URL = "/api/v1/auth/token/"
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def login(api, username, password, address="10.0.0.1"):
    return api().post(URL, {"username": username, "password": password}, REMOTE_ADDR=address, format="json")


def with_token(api, key):
    return api(HTTP_AUTHORIZATION=f"Token {key}")


def test_it_returns_a_token_that_authenticates_requests(api, head_a):
    """The token returned is the user's (only its digest is stored); sent as
    `Authorization: Token`, it signs the user in."""
    response = login(api, "kades_a", "rahasia-123")
    assert response.status_code == 200
    key = response.json()["token"]
    token = ApiToken.objects.get()
    assert token.user == head_a and token.digest == digest_of(key) and key not in str(token.__dict__)
    assert with_token(api, key).get("/api/v1/households/").status_code == 200


def test_it_rejects_a_wrong_password_in_indonesian(api, head_a):
    response = login(api, "kades_a", "salah")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Nama pengguna atau kata sandi salah."]}
    assert not ApiToken.objects.exists()
    assert AccessAttempt.objects.get().username == "kades_a"


def test_it_names_missing_fields(api, db):
    response = api().post(URL, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}
    assert response.json()["username"] == ["Bidang ini harus diisi."]


def test_it_refuses_the_right_password_after_40_wrong_ones(api, head_a):
    """40 guesses, then the right password: 429 with the wait, and no token."""
    for i in range(40):
        assert login(api, "kades_a", f"tebakan-{i}", address=f"10.0.{i}.1").status_code in (400, 429)
    response = login(api, "KADES_A", "rahasia-123", address="10.9.9.9")
    assert response.status_code == 429
    assert response.json()["detail"] == "Terlalu banyak percobaan masuk. Coba lagi dalam 15 menit."
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    assert not ApiToken.objects.exists()


def test_a_lock_from_the_pages_holds_on_the_api(api, head_a):
    """The API shares the pages' count: guessing on /masuk/ locks the token door too."""
    client = Client(REMOTE_ADDR="10.3.3.3")
    for i in range(5):
        client.post("/masuk/", {"username": "kades_a", "password": f"tebakan-{i}"})
    assert login(api, "kades_a", "rahasia-123", address="10.4.4.4").status_code == 429


def test_it_refuses_an_inactive_user(api, head_a):
    head_a.is_active = False
    head_a.save()
    assert login(api, "kades_a", "rahasia-123").status_code == 400


@pytest.mark.parametrize("headers", [{}, {"HTTP_AUTHORIZATION": "Token tidak-ada"}])
def test_it_answers_401_without_valid_credentials(api, db, headers):
    response = api(**headers).get("/api/v1/cases/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "detail" in response.json()


def test_errors_follow_the_request_language(api, head_a):
    """Indonesian by default; English when the client asks for it."""
    client = api(head_a)
    assert client.post("/api/v1/cases/", {}, format="json").json() == {
        "household": ["Bidang ini harus diisi."]
    }
    english = api(head_a, HTTP_ACCEPT_LANGUAGE="en")
    assert english.post("/api/v1/cases/", {}, format="json").json() == {
        "household": ["This field is required."]
    }


# ---------------------------------------------------------------- lapse and end


def test_a_token_lapses_after_30_days_without_use(api, head_a):
    """Used on day 29 it lives on; 30 days after its last use it answers 401 and is gone."""
    with time_machine.travel(START, tick=False) as clock:
        _token, key = issue_token(user=head_a)
        clock.shift(datetime.timedelta(days=29))
        assert with_token(api, key).get("/api/v1/households/").status_code == 200
        clock.shift(datetime.timedelta(days=29, hours=23))
        assert with_token(api, key).get("/api/v1/households/").status_code == 200
        clock.shift(datetime.timedelta(days=30, seconds=1))
        response = with_token(api, key).get("/api/v1/households/")
        assert response.status_code == 401
        assert response.json()["detail"] == "Token sudah tidak berlaku. Minta token baru."
    assert not ApiToken.objects.exists()


def test_the_idle_limit_is_a_setting(api, head_a, settings):
    settings.API_TOKEN_IDLE_DAYS = 2
    with time_machine.travel(START, tick=False) as clock:
        _token, key = issue_token(user=head_a)
        clock.shift(datetime.timedelta(days=2, seconds=1))
        assert with_token(api, key).get("/api/v1/households/").status_code == 401


def test_a_password_change_ends_every_token(api, head_a):
    _t1, first = issue_token(user=head_a)
    _t2, second = issue_token(user=head_a)
    head_a.set_password("sandi-baru-yang-panjang-1")
    head_a.save()
    assert not ApiToken.objects.filter(user=head_a).exists()
    for key in (first, second):
        assert with_token(api, key).get("/api/v1/households/").status_code == 401


def test_a_password_changed_behind_the_models_back_still_ends_the_token(api, head_a):
    """Even a queryset update (no signal) ends it: the token keeps the session hash."""
    _token, key = issue_token(user=head_a)
    type(head_a).objects.filter(pk=head_a.pk).update(password="md5$x$y")
    assert with_token(api, key).get("/api/v1/households/").status_code == 401
    assert not ApiToken.objects.exists()


def test_a_token_survives_a_secret_key_rotation_with_the_old_key_as_fallback(api, head_a, settings):
    token, key = issue_token(user=head_a)
    old_hash, old = token.auth_hash, settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "n" * 50, [old]
    assert with_token(api, key).get("/api/v1/households/").status_code == 200
    token.refresh_from_db()  # re-signed under the new key on that use
    assert token.auth_hash == head_a.get_session_auth_hash() != old_hash
    settings.SECRET_KEY_FALLBACKS = []
    assert with_token(api, key).get("/api/v1/households/").status_code == 200


def test_a_token_ends_when_its_key_leaves_the_fallbacks(api, head_a, settings):
    _token, key = issue_token(user=head_a)
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "n" * 50, []
    assert with_token(api, key).get("/api/v1/households/").status_code == 401
    assert not ApiToken.objects.exists()


def test_a_deactivated_account_loses_its_tokens(api, head_a):
    _token, key = issue_token(user=head_a)
    head_a.is_active = False
    head_a.save()
    assert not ApiToken.objects.exists()
    assert with_token(api, key).get("/api/v1/households/").status_code == 401


def test_a_login_leaves_the_tokens_alone(api, head_a):
    """Saving last_login (every sign-in) is no credentials change."""
    issue_token(user=head_a)
    assert login(api, "kades_a", "rahasia-123").status_code == 200
    assert ApiToken.objects.filter(user=head_a).count() == 2


# ---------------------------------------------------------------- list and revoke


def test_a_user_lists_their_own_live_tokens(api, head_a, head_b):
    with time_machine.travel(START, tick=False) as clock:
        old, _k = issue_token(user=head_a)
        clock.shift(datetime.timedelta(days=31))
        mine, key = issue_token(user=head_a)
        issue_token(user=head_b)
        body = with_token(api, key).get("/api/v1/auth/tokens/").json()
    assert [t["id"] for t in body] == [mine.pk]
    assert body[0]["prefix"] == key[:8] and "token" not in body[0] and "digest" not in body[0]
    expected = timezone.localtime(mine.last_used_at + datetime.timedelta(days=30))
    assert body[0]["expires_at"] == expected.isoformat()


def test_a_user_revokes_their_own_token_and_not_anothers(api, head_a, head_b):
    mine, key = issue_token(user=head_a)
    other, other_key = issue_token(user=head_b)
    client = with_token(api, key)
    assert client.delete(f"/api/v1/auth/tokens/{other.pk}/").status_code == 404
    assert ApiToken.objects.filter(pk=other.pk).exists()
    assert client.delete(f"/api/v1/auth/tokens/{mine.pk}/").status_code == 204
    assert not ApiToken.objects.filter(pk=mine.pk).exists()
    assert with_token(api, key).get("/api/v1/households/").status_code == 401
    assert with_token(api, other_key).get("/api/v1/households/").status_code == 200
