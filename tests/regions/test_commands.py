"""`manage.py add_user`: onboarding officials, village heads and cadres from a shell."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.test import Client

from regions.models import Role, User
from regions.roles import role_group_name

PASSWORD = "Pesisir#Banten77"
REGION_OF_ROLE = {
    "province": "36",
    "regency": "36.02",
    "district": "36.02.14",
    "village": "36.02.14.2001",
    "cadre": "36.02.14.2001",
}


@pytest.fixture
def add_user(monkeypatch, capsys):
    """Run add_user with a line on standard input; returns what it printed."""

    def run(username, *, stdin="", **options):
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        call_command("add_user", username, **options)
        return capsys.readouterr().out

    return run


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.django_db
def test_it_creates_a_user_for_each_role_at_its_level(add_user, role):
    """The user gets the role, the region and the role's group, and signs in with the stdin password;
    only province and regency officials reach the admin."""
    region = REGION_OF_ROLE[role]
    out = add_user(
        f"user_{role}", role=role, region=region, email=f"{role}@banten.go.id", password_stdin=True,
        stdin=f"{PASSWORD}\n",
    )  # fmt: skip
    user = User.objects.get(username=f"user_{role}")
    assert (user.role, user.region_code, user.email, user.is_staff) == (
        role,
        region,
        f"{role}@banten.go.id",
        role in ("province", "regency"),
    )
    assert list(user.groups.values_list("name", flat=True)) == [role_group_name(role)]
    assert Client().login(request=HttpRequest(), username=f"user_{role}", password=PASSWORD)
    assert f"Created user_{role}: {role} in {region}, with the given password." in out


@pytest.mark.django_db
def test_without_password_stdin_the_user_has_no_usable_password(add_user):
    out = add_user("kades_pasirtanjung", role="village", region="36.02.14.2001", stdin=f"{PASSWORD}\n")
    user = User.objects.get(username="kades_pasirtanjung")
    assert not user.has_usable_password()
    assert "without a password" in out


@pytest.mark.parametrize(
    ("role", "region"),
    [("village", "36.02"), ("cadre", "36.02.14"), ("district", "36.02.14.2001"), ("province", "36.02"),
     ("regency", "36")],
)  # fmt: skip
@pytest.mark.django_db
def test_it_refuses_a_role_that_does_not_fit_the_region_level(add_user, role, region):
    with pytest.raises(CommandError, match="harus diberi wilayah tingkat"):
        add_user("salah", role=role, region=region, password_stdin=True, stdin=f"{PASSWORD}\n")
    assert not User.objects.filter(username="salah").exists()


@pytest.mark.parametrize("region", ["36.02.14.2999", "36.09", "31.71", "36-02"])
@pytest.mark.django_db
def test_it_refuses_an_unknown_region_code(add_user, region):
    with pytest.raises(CommandError, match=f"Kode wilayah '{region}' tidak dikenal di Banten"):
        add_user("hilang", role="village", region=region)
    assert not User.objects.filter(username="hilang").exists()


@pytest.mark.django_db
def test_it_refuses_an_unknown_role(add_user):
    with pytest.raises(CommandError, match="invalid choice: 'bupati'"):
        add_user("bupati_lebak", role="bupati", region="36.02")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_duplicate_username(add_user, head_a):
    with pytest.raises(CommandError, match="Nama pengguna 'kades_a' sudah dipakai"):
        add_user(
            "kades_a", role="village", region="36.01.01.2002", password_stdin=True, stdin=f"{PASSWORD}\n"
        )
    head_a.refresh_from_db()
    assert head_a.region_code == "36.01.01.2001"
    assert User.objects.filter(username__iexact="kades_a").count() == 1


@pytest.mark.django_db
def test_it_refuses_a_weak_password_from_stdin(add_user):
    with pytest.raises(CommandError):
        add_user("kades_lemah", role="village", region="36.02.14.2001", password_stdin=True, stdin="1234\n")
    assert not User.objects.filter(username="kades_lemah").exists()
