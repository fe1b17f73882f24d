"""Users in the admin: created through create_user (one by one or from a CSV), each in the
group of their role, and only inside the official's own region."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from regions.models import User
from regions.roles import role_group_name

IMPORT_URL = "admin:regions_user_import_csv"


def upload(client, text: str):
    file = SimpleUploadedFile("pengguna.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post(reverse(IMPORT_URL), {"file": file})


def test_it_imports_valid_rows_and_reports_each_rejected_line(province, login):
    """Created rows get their role's group; rejected lines are named with the reason."""
    text = (
        "username,role,region,email,password\n"
        "kades_kertajaya2,village,36.01.01.2002,kk@example.id,\n"
        "camat_cibaliung,district,36.01.02,,Sandi-Kuat-2026\n"
        "salah_tingkat,district,36.01.01.2001,,\n"
        "kode_asing,village,99.99.99.9999,,\n"
    )
    response = upload(login(province), text)
    assert response.status_code == 200
    report = response.context["report"]
    assert report.created == ["kades_kertajaya2", "camat_cibaliung"]
    assert [line for line, _why in report.rejected] == [4, 5]
    html = response.content.decode()
    assert "Baris 4" in html and "Baris 5" in html and "tidak dikenal" in html
    user = User.objects.get(username="camat_cibaliung")
    assert (user.role, user.region_code) == ("district", "36.01.02")
    assert list(user.groups.values_list("name", flat=True)) == [role_group_name("district")]
    assert user.check_password("Sandi-Kuat-2026")
    assert not User.objects.get(username="kades_kertajaya2").has_usable_password()


def test_it_rejects_rows_outside_the_officials_region(regency_official, login):
    """Pandeglang's official cannot create a user for Kota Tangerang or for the province."""
    text = (
        "username,role,region\n"
        "kades_baru,village,36.01.01.2003\n"
        "lurah_tangerang,village,36.71.01.1001\n"
        "gubernuran,province,36\n"
    )
    report = upload(login(regency_official), text).context["report"]
    assert report.created == ["kades_baru"]
    assert [line for line, _why in report.rejected] == [3, 4]
    assert not User.objects.filter(username__in=["lurah_tangerang", "gubernuran"]).exists()


def test_it_reports_missing_columns(province, login):
    """A file without the required columns creates nothing and says which are missing."""
    report = upload(login(province), "nama,peran\nx,village\n").context["report"]
    assert report.created == []
    assert "region" in report.rejected[0][1]


def test_it_forbids_the_import_to_roles_without_add_permission(district_official, login):
    """The camat may view users but not create them."""
    response = upload(login(district_official), "username,role,region\nx,village,36.01.01.2001\n")
    assert response.status_code == 403
    assert not User.objects.filter(username="x").exists()


def test_it_creates_a_user_through_create_user(regency_official, login):
    """The add form gives the role's group and a usable login, on the pages: a village head
    never gets the admin (is_staff)."""
    response = login(regency_official).post(
        reverse("admin:regions_user_add"),
        {"username": "kades_sukamanah", "role": "village", "region_code": "36.01.01.2003", "email": ""},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="kades_sukamanah")
    assert not user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [role_group_name("village")]


def test_it_refuses_a_role_that_does_not_fit_the_region_on_the_field(regency_official, login):
    """A district role on a village code is refused on the region field; nobody is created."""
    response = login(regency_official).post(
        reverse("admin:regions_user_add"),
        {"username": "salah", "role": "district", "region_code": "36.01.01.2003"},
    )
    assert response.status_code == 200
    assert "tingkat" in " ".join(response.context["adminform"].form.errors["region_code"])
    assert not User.objects.filter(username="salah").exists()


def test_it_refuses_a_region_outside_the_officials_own(regency_official, login):
    """Pandeglang's official cannot give out a Kota Tangerang village."""
    response = login(regency_official).post(
        reverse("admin:regions_user_add"),
        {"username": "lurah_sukarasa", "role": "village", "region_code": "36.71.01.1001"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["region_code"]
    assert not User.objects.filter(username="lurah_sukarasa").exists()


def test_it_moves_the_user_to_the_group_of_a_new_role(province, head_a, login):
    """Changing the role and region on the change form swaps the permission group."""
    url = reverse("admin:regions_user_change", args=[head_a.pk])
    response = login(province).post(
        url,
        {
            "username": head_a.username,
            "first_name": "",
            "last_name": "",
            "email": "",
            "role": "district",
            "region_code": "36.01.01",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    head_a.refresh_from_db()
    assert (head_a.role, head_a.region_code) == ("district", "36.01.01")
    assert list(head_a.groups.values_list("name", flat=True)) == [role_group_name("district")]
