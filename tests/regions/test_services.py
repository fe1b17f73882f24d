"""Onboarding users: create_user (behind add_user) and the bulk CSV import."""

import pytest
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django.test import Client

from core.errors import DomainError
from regions.models import Role, User
from regions.roles import role_group_name
from regions.services import create_user, import_users_csv

PASSWORD = "Pesisir#Banten77"
LEVEL_CODES = {"province": "36", "regency": "36.02", "district": "36.02.14", "village": "36.02.14.2001"}
ROLE_LEVEL = {"province": "province", "regency": "regency", "district": "district", "village": "village",
              "cadre": "village"}  # fmt: skip


def can_log_in(username: str, password: str) -> bool:
    return Client().login(request=HttpRequest(), username=username, password=password)


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("level", list(LEVEL_CODES))
@pytest.mark.django_db
def test_a_role_is_accepted_only_at_its_level(role, level):
    """Province at 36, regency at 36.xx, district at 36.xx.xx, village head and cadre at a village;
    only the province and regency officials get the admin (is_staff)."""
    code = LEVEL_CODES[level]
    if ROLE_LEVEL[role] == level:
        user = create_user(username=f"u_{role}", role=role, region_code=code, password=PASSWORD)
        assert (user.role, user.region_code, user.is_staff) == (role, code, role in ("province", "regency"))
        assert list(user.groups.values_list("name", flat=True)) == [role_group_name(role)]
        assert can_log_in(f"u_{role}", PASSWORD)
    else:
        with pytest.raises(DomainError) as error:
            create_user(username=f"u_{role}", role=role, region_code=code, password=PASSWORD)
        assert error.value.field == "region"
        assert "harus diberi wilayah tingkat" in error.value.message
        assert not User.objects.filter(username=f"u_{role}").exists()


@pytest.mark.parametrize("code", ["36.01.99.2001", "36.99", "32.01", "3601", "", "36.01.01.2001.1"])
@pytest.mark.django_db
def test_it_refuses_an_unknown_region_code(code):
    with pytest.raises(DomainError) as error:
        create_user(username="kades_x", role="village", region_code=code, password=PASSWORD)
    assert error.value.field == "region"
    assert f"Kode wilayah '{code}' tidak dikenal di Banten." == error.value.message
    assert not User.objects.filter(username="kades_x").exists()


@pytest.mark.django_db
def test_it_refuses_an_unknown_role():
    with pytest.raises(DomainError) as error:
        create_user(username="x", role="bupati", region_code="36.01")
    assert error.value.field == "role"
    assert "Peran 'bupati' tidak dikenal" in error.value.message


@pytest.mark.django_db
def test_it_refuses_a_username_already_taken_in_any_case(head_a):
    """Usernames differ by more than case: `KADES_A` is `kades_a`."""
    with pytest.raises(DomainError) as error:
        create_user(username="KADES_A", role="village", region_code="36.01.01.2002", password=PASSWORD)
    assert (error.value.code, error.value.field) == ("conflict", "username")
    assert "sudah dipakai" in error.value.message
    assert User.objects.filter(username__iexact="kades_a").count() == 1


@pytest.mark.django_db
def test_it_refuses_a_weak_password_and_writes_nothing():
    with pytest.raises(DomainError) as error:
        create_user(username="kades_y", role="village", region_code="36.01.01.2002", password="123")
    assert error.value.field == "password"
    assert not User.objects.filter(username="kades_y").exists()


@pytest.mark.django_db
def test_without_a_password_the_user_cannot_sign_in_yet():
    user = create_user(username="kades_z", role="village", region_code="36.01.01.2002", email="z@desa.id")
    assert not user.has_usable_password()
    assert user.email == "z@desa.id"
    assert Group.objects.get(name=role_group_name("village")).user_set.filter(pk=user.pk).exists()


CSV = """username,role,region,email,password
kades_sumberjaya,village,36.01.01.2001,sumberjaya@desa.id,Pesisir#Banten77
camat_sumur,district,36.01.01,,Pesisir#Banten77
kades_salah,village,36.01,,Pesisir#Banten77
kades_hilang,village,36.01.01.2999,,Pesisir#Banten77
kades_sumberjaya,village,36.01.01.2002,,Pesisir#Banten77
,village,36.01.01.2002,,Pesisir#Banten77
kader_kertajaya,cadre,36.01.01.2002,,
"""


@pytest.mark.django_db
def test_the_csv_import_creates_valid_rows_and_names_each_rejected_line():
    report = import_users_csv(CSV)
    assert report.created == ["kades_sumberjaya", "camat_sumur", "kader_kertajaya"]
    assert [line for line, _why in report.rejected] == [4, 5, 6, 7]
    reasons = dict(report.rejected)
    assert "harus diberi wilayah tingkat" in reasons[4]
    assert "tidak dikenal" in reasons[5]
    assert "sudah dipakai" in reasons[6]
    assert "wajib diisi" in reasons[7]
    assert set(User.objects.values_list("username", flat=True)) == set(report.created)
    assert can_log_in("kades_sumberjaya", "Pesisir#Banten77")
    assert User.objects.get(username="kades_sumberjaya").email == "sumberjaya@desa.id"
    assert not User.objects.get(username="kader_kertajaya").has_usable_password()


@pytest.mark.django_db
def test_the_csv_import_reads_a_spreadsheet_bom():
    report = import_users_csv("\ufeffusername,role,region\nkades_b2,village,36.01.01.2002\n")
    assert (report.created, report.rejected) == (["kades_b2"], [])


@pytest.mark.django_db
def test_the_csv_import_refuses_a_file_without_the_required_columns():
    report = import_users_csv("nama,peran\nkades,village\n")
    assert report.created == []
    assert report.rejected == [(1, "Kolom wajib tidak ada: region, role, username.")]
    assert not User.objects.exists()


def test_an_official_gives_out_only_regions_inside_their_own(regency_official):
    """The scope rule lives in the service: the admin, its CSV import and any later edge share it."""
    with pytest.raises(DomainError) as error:
        create_user(
            actor=regency_official, username="kades_luar", role="village", region_code="36.71.01.1001"
        )
    assert (error.value.code, error.value.field) == ("forbidden", "region")
    report = import_users_csv(
        "username,role,region\nkades_dalam,village,36.01.01.2003\nkades_luar2,village,36.02.01.2001\n",
        actor=regency_official,
    )
    assert report.created == ["kades_dalam"]
    assert [line for line, _why in report.rejected] == [3]
    assert not User.objects.filter(username__startswith="kades_luar").exists()


def test_a_district_official_creates_no_user(district_official):
    """The camat's role may only view users: the service refuses, not only the admin."""
    with pytest.raises(DomainError) as error:
        create_user(actor=district_official, username="kades_c", role="village", region_code="36.01.01.2003")
    assert error.value.code == "forbidden"
    assert not User.objects.filter(username="kades_c").exists()


def test_changing_a_role_swaps_the_permission_group(province, head_a):
    from regions.roles import role_group_name
    from regions.services import change_user_role

    change_user_role(actor=province, user=head_a, role="district", region_code="36.01.01")
    head_a.refresh_from_db()
    assert (head_a.role, head_a.region_code) == ("district", "36.01.01")
    assert list(head_a.groups.values_list("name", flat=True)) == [role_group_name("district")]
