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


# Who manages whom: an official acts only on users of a lower level inside their region.

PEER_PASSWORD = "Pesisir#Banten77"


def change_data(user, **changes):
    data = {"first_name": user.first_name, "last_name": user.last_name, "email": user.email,
            "role": user.role, "region_code": user.region_code, "is_active": "on"}  # fmt: skip
    return {**data, **changes}


def peer_of(official):
    from tests.factories import UserFactory

    return UserFactory(
        username="pandeglang_2", role="regency", region_code=official.region_code, password=PEER_PASSWORD
    )


def test_it_refuses_setting_a_peers_password(regency_official, login):
    """Another Pandeglang official's password page is 403 and the password stays."""
    peer = peer_of(regency_official)
    url = reverse("admin:auth_user_password_change", args=[peer.pk])
    response = login(regency_official).post(
        url, {"password1": "Baru#Sekali2026", "password2": "Baru#Sekali2026"}
    )
    assert response.status_code == 403
    peer.refresh_from_db()
    assert peer.check_password(PEER_PASSWORD)


def test_it_shows_a_peer_read_only_and_refuses_deactivating_them(regency_official, login):
    peer = peer_of(regency_official)
    url = reverse("admin:regions_user_change", args=[peer.pk])
    client = login(regency_official)
    html = client.get(url).content.decode()
    assert 'name="is_active"' not in html and 'name="email"' not in html
    response = client.post(url, change_data(peer, is_active=""))
    assert response.status_code == 403
    assert User.objects.get(pk=peer.pk).is_active


def test_it_does_not_offer_a_peer_role_on_the_add_form(regency_official, login):
    """A regency official cannot create another regency official of the same regency."""
    response = login(regency_official).post(
        reverse("admin:regions_user_add"),
        {"username": "pandeglang_3", "role": "regency", "region_code": "36.01"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["role"]
    assert not User.objects.filter(username="pandeglang_3").exists()


def test_it_refuses_promoting_someone_to_the_officials_own_level(regency_official, district_official, login):
    url = reverse("admin:regions_user_change", args=[district_official.pk])
    response = login(regency_official).post(
        url, change_data(district_official, role="regency", region_code="36.01")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["role"]
    district_official.refresh_from_db()
    assert (district_official.role, district_official.region_code) == ("district", "36.01.01")


def test_it_deactivates_and_sets_the_password_of_a_user_below(regency_official, head_a, login):
    """Both through the services: the village head can no longer sign in, with a new password."""
    client = login(regency_official)
    url = reverse("admin:auth_user_password_change", args=[head_a.pk])
    response = client.post(
        url, {"password1": "Baru#Sekali2026", "password2": "Baru#Sekali2026", "usable_password": "true"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(
        reverse("admin:regions_user_change", args=[head_a.pk]), change_data(head_a, is_active="")
    )
    assert response.status_code == 302
    head_a.refresh_from_db()
    assert head_a.check_password("Baru#Sekali2026") and not head_a.is_active


def test_an_official_edits_their_own_name_but_not_their_role(regency_official, login):
    """Their own account: name and email editable, role, region and active flag read-only."""
    url = reverse("admin:regions_user_change", args=[regency_official.pk])
    client = login(regency_official)
    html = client.get(url).content.decode()
    assert 'name="email"' in html and 'name="role"' not in html and 'name="is_active"' not in html
    response = client.post(
        url, change_data(regency_official, first_name="Dewi", role="province", region_code="36")
    )
    assert response.status_code == 302
    regency_official.refresh_from_db()
    assert (regency_official.first_name, regency_official.role) == ("Dewi", "regency")
