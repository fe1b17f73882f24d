"""Village pages (issue 3): Indonesian paths, named as settings expect (login, home...)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from .views import activities, auth, business, cases, groups, growth, home, households

urlpatterns = [
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("ganti-sandi/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("verifikasi/", auth.second_factor_verify, name="second_factor_verify"),
    path("verifikasi/daftar/", auth.second_factor_setup, name="second_factor_setup"),
    path("", home.home, name="home"),
    path("perlu-perhatian/", home.attention_list, name="attention_list"),
    path("catatan/", home.event_list, name="event_list"),
    path("rumah-tangga/", households.household_list, name="household_list"),
    path("rumah-tangga/baru/", households.household_create, name="household_create"),
    path("rumah-tangga/<int:pk>/", households.household_detail, name="household_detail"),
    path("rumah-tangga/<int:pk>/buka-kasus/", households.case_open, name="case_open"),
    path("rumah-tangga/<int:pk>/ubah/", households.household_edit, name="household_edit"),
    path("rumah-tangga/<int:pk>/anggota/baru/", households.member_add, name="member_add"),
    path("rumah-tangga/<int:pk>/anggota/<int:person_pk>/ubah/", households.member_edit, name="member_edit"),
    path("rumah-tangga/<int:pk>/anggota/<int:person_pk>/keluar/", households.member_left, name="member_left"),
    path("rumah-tangga/<int:pk>/kepala-keluarga/", households.head_change, name="head_change"),
    path("kasus/<int:pk>/bantuan/", cases.assistance_create, name="assistance_create"),
    path("kasus/<int:pk>/usulan/", cases.move_create, name="move_create"),
    path("usulan/", cases.move_list, name="move_list"),
    path("usulan/<int:pk>/", cases.move_detail, name="move_detail"),
    path("usulan/<int:pk>/putuskan/", cases.move_decide, name="move_decide"),
    path("kelompok/", groups.group_list, name="group_list"),
    path("kelompok/baru/", groups.group_create, name="group_create"),
    path("kelompok/<int:pk>/", groups.group_detail, name="group_detail"),
    path("kelompok/<int:pk>/anggota/", groups.group_member_add, name="group_member_add"),
    path(
        "kelompok/<int:pk>/anggota/<int:household_pk>/keluarkan/",
        groups.group_member_remove,
        name="group_member_remove",
    ),
    path(
        "kelompok/<int:pk>/anggota/<int:household_pk>/batalkan/",
        groups.group_member_restore,
        name="group_member_restore",
    ),
    path("kegiatan/", activities.activity_list, name="activity_list"),
    path("kegiatan/baru/", activities.activity_create, name="activity_create"),
    path("kegiatan/<int:pk>/", activities.activity_detail, name="activity_detail"),
    path("program-perempuan/", business.women_programme, name="women_programme"),
    path("rumah-tangga/<int:pk>/usaha/baru/", business.business_create, name="business_create"),
    path("rumah-tangga/<int:pk>/program-perempuan/", business.enrolment_create, name="enrolment_create"),
    path("usaha/<int:pk>/kunjungan/", business.followup_create, name="followup_create"),
    path("usaha/<int:pk>/modal/", business.capital_help_create, name="capital_help_create"),
    path("modal/<int:pk>/status/", business.capital_help_step, name="capital_help_step"),
    path("posyandu/", growth.session, name="growth_session"),
    path("posyandu/anak/<int:person_pk>/ukur/", growth.measure, name="growth_measure"),
    path("balita/<int:pk>/", growth.child_detail, name="child_detail"),
    path("balita/<int:pk>/grafik-<str:indicator>.svg", growth.child_chart, name="child_chart"),
]
