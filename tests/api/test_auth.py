"""Token login, the failed-login limiter, and how unauthenticated requests are answered."""

import pytest
from rest_framework.authtoken.models import Token

from api import auth

URL = "/api/v1/auth/token/"


def login(api, username, password, address="10.0.0.1"):
    return api().post(URL, {"username": username, "password": password}, REMOTE_ADDR=address, format="json")


def test_it_returns_a_token_that_authenticates_requests(api, head_a):
    """The token returned is the user's; sent as `Authorization: Token`, it signs the user in."""
    response = login(api, "kades_a", "rahasia-123")
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(key=token).user == head_a
    client = api(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/households/").status_code == 200


def test_it_rejects_a_wrong_password_in_indonesian(api, head_a):
    response = login(api, "kades_a", "salah")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Nama pengguna atau kata sandi salah."]}
    assert not Token.objects.exists()


def test_it_names_missing_fields(api, db):
    response = api().post(URL, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}
    assert response.json()["username"] == ["Bidang ini harus diisi."]


def test_it_locks_a_username_after_five_failures_even_for_the_right_password(api, head_a):
    """Five failures in 15 minutes: the sixth attempt gets 429 with Retry-After, and the
    password is not checked while the lock lasts."""
    for i in range(auth.MAX_FAILURES_PER_USERNAME):
        assert login(api, "kades_a", f"tebakan-{i}", address=f"10.0.0.{i}").status_code == 400
    response = login(api, "KADES_A", "rahasia-123", address="10.9.9.9")
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in response.json()["detail"]
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    assert not Token.objects.exists()


def test_it_locks_an_address_that_tries_many_usernames(api, head_a):
    for i in range(auth.MAX_FAILURES_PER_ADDRESS):
        assert login(api, f"orang{i}", "salah", address="10.1.1.1").status_code == 400
    assert login(api, "kades_a", "rahasia-123", address="10.1.1.1").status_code == 429
    assert login(api, "kades_a", "rahasia-123", address="10.1.1.2").status_code == 200


def test_a_success_clears_the_usernames_failures(api, head_a):
    for _ in range(auth.MAX_FAILURES_PER_USERNAME - 1):
        login(api, "kades_a", "salah")
    assert login(api, "kades_a", "rahasia-123").status_code == 200
    for _ in range(auth.MAX_FAILURES_PER_USERNAME - 1):
        assert login(api, "kades_a", "salah", address="10.0.0.2").status_code == 400
    assert login(api, "kades_a", "rahasia-123", address="10.0.0.3").status_code == 200


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
