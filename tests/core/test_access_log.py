"""The personal-data access log (UU 27/2022): every full NIK or KK shown, every API detail
read of a person, every export is one row, written in one INSERT a request; the log is
append-only and only province officials read it, in the admin, never change it."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from beneficiaries.identity import mask_nik
from beneficiaries.models import Person
from core.access import access_context, record_access
from core.models import AccessKind, AccessLog
from tests.factories import VILLAGE_A, HouseholdFactory, PersonFactory, make_kk


@pytest.fixture
def household(db):
    household = HouseholdFactory(village_id=VILLAGE_A, kk_number=make_kk(701))
    PersonFactory(household=household, full_name="Siti Aminah")
    return household


def add_members(household, n: int) -> None:
    for _ in range(n):
        PersonFactory(household=household, relation="child", birth_date=datetime.date(2010, 4, 5))


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def log_inserts(queries) -> int:
    return sum(1 for q in queries if q["sql"].startswith("INSERT") and "core_accesslog" in q["sql"])


# ---------------------------------------------------------------- what is recorded


def test_it_records_the_full_nik_shown_on_a_person_record(household, head_a):
    """The admin person page shows the village head the NIK whole: who, what, which
    person, where, the path without its query string and the address are logged."""
    person = household.members.get()
    url = reverse("admin:beneficiaries_person_change", args=[person.pk])
    response = signed_in(head_a).get(url + "?q=3601", REMOTE_ADDR="10.1.2.3")
    assert person.nik in response.content.decode()
    row = AccessLog.objects.get(kind=AccessKind.FULL_NIK)
    assert (row.actor, row.object_type, row.object_id) == (head_a, "beneficiaries.person", str(person.pk))
    assert (row.region_code, row.path, row.address) == (VILLAGE_A, url, "10.1.2.3")


def test_it_records_nothing_when_the_nik_is_shown_masked(household, district_official):
    """The camat sees the NIK masked: nothing was disclosed, nothing is logged as full."""
    person = household.members.get()
    html = signed_in(district_official).get(reverse("admin:beneficiaries_person_change", args=[person.pk]))
    assert mask_nik(person.nik) in html.content.decode()
    assert not AccessLog.objects.filter(kind__in=[AccessKind.FULL_NIK, AccessKind.FULL_KK]).exists()


def test_a_household_page_logs_its_kk_and_every_members_nik_in_one_insert(household, head_a):
    """The village page of a household with five members: the KK and each full NIK are a
    row, and the page makes one INSERT into the log whatever the number of members."""
    add_members(household, 4)
    client = signed_in(head_a)
    url = reverse("household_detail", args=[household.pk])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert log_inserts(queries) == 1
    niks = AccessLog.objects.filter(kind=AccessKind.FULL_NIK).values_list("object_id", flat=True)
    assert sorted(niks) == sorted(str(pk) for pk in household.members.values_list("pk", flat=True))
    assert AccessLog.objects.filter(kind=AccessKind.FULL_KK, object_id=str(household.pk)).exists()


def test_the_admin_household_record_costs_the_same_queries_for_one_or_many_members(household, head_a):
    """Logging does not turn the page into N queries: 1 member and 8 members, same count."""
    client = signed_in(head_a)
    url = reverse("admin:beneficiaries_household_change", args=[household.pk])
    client.get(url)  # warm caches (content types, permissions)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    add_members(household, 7)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one)
    assert log_inserts(many) == 1
    assert AccessLog.objects.filter(kind=AccessKind.FULL_NIK, path=url).values("object_id").distinct().count() == 8


def test_the_history_page_with_full_numbers_is_logged(household, head_a):
    person = household.members.get()
    signed_in(head_a).get(reverse("admin:beneficiaries_person_history", args=[person.pk]))
    assert AccessLog.objects.filter(kind=AccessKind.FULL_NIK, object_id=str(person.pk)).exists()


def test_an_api_person_read_is_logged_and_the_list_is_not_per_person(household, head_a):
    """GET /persons/<id>/ is an API person read (and a full NIK); the list masks NIKs and
    logs no person read."""
    person = household.members.get()
    api = APIClient()
    api.force_authenticate(head_a)
    assert api.get("/api/v1/persons/").status_code == 200
    assert not AccessLog.objects.filter(kind__in=[AccessKind.API_PERSON, AccessKind.FULL_NIK]).exists()
    assert api.get(f"/api/v1/persons/{person.pk}/").json()["nik"] == person.nik
    kinds = set(AccessLog.objects.filter(object_id=str(person.pk)).values_list("kind", flat=True))
    assert kinds == {AccessKind.API_PERSON, AccessKind.FULL_NIK}
    assert AccessLog.objects.get(kind=AccessKind.API_PERSON).path == f"/api/v1/persons/{person.pk}/"


def test_an_out_of_region_api_read_is_404_and_logs_nothing(household, head_b):
    person = household.members.get()
    api = APIClient()
    api.force_authenticate(head_b)
    assert api.get(f"/api/v1/persons/{person.pk}/").status_code == 404
    assert not AccessLog.objects.exists()


def test_an_api_household_list_logs_its_full_kks_in_one_insert(head_a):
    """A page of households with whole KKs: one row each, one INSERT."""
    for serial in range(711, 716):
        HouseholdFactory(village_id=VILLAGE_A, kk_number=make_kk(serial))
    api = APIClient()
    api.force_authenticate(head_a)
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/v1/households/").status_code == 200
    assert log_inserts(queries) == 1
    assert AccessLog.objects.filter(kind=AccessKind.FULL_KK).count() == 5


def test_the_import_rejection_export_is_logged_with_its_row_count(head_a, province):
    from beneficiaries.models import ImportRun

    run = ImportRun.objects.create(
        created_by=province, region_code="36", file_name="a.csv", checksum="c" * 64, size=10, mode="commit",
        status="done", rejected=3, rejections=[[2, "nik", "salah"]] * 3,
    )  # fmt: skip
    response = signed_in(province).get(reverse("admin:beneficiaries_importrun_report", args=[run.pk]))
    assert response.status_code == 200
    row = AccessLog.objects.get(kind=AccessKind.EXPORT)
    assert (row.actor, row.object_type, row.row_count) == (province, "beneficiaries.importrun", 3)


def test_outside_a_request_each_record_is_written_at_once_and_a_context_writes_once(head_a):
    record_access(actor=head_a, kind=AccessKind.EXPORT, object_type="beneficiaries.person", count=40)
    assert AccessLog.objects.get().row_count == 40
    with CaptureQueriesContext(connection) as queries, access_context(path="manage.py x"):
        for pk in range(5):
            record_access(actor=None, kind=AccessKind.FULL_NIK, object_type="beneficiaries.person", object_id=pk)
    assert log_inserts(queries) == 1
    assert AccessLog.objects.filter(path="manage.py x", actor=None).count() == 5


# ---------------------------------------------------------------- append-only


def test_it_refuses_to_change_or_delete_a_log_row(head_a):
    record_access(actor=head_a, kind=AccessKind.FULL_NIK, object_type="beneficiaries.person", object_id=1)
    row = AccessLog.objects.get()
    row.kind = AccessKind.EXPORT
    for attempt in (row.save, row.delete, AccessLog.objects.all().delete, lambda: AccessLog.objects.update(row_count=9)):
        with pytest.raises(PermissionError):
            attempt()
    assert AccessLog.objects.get().kind == AccessKind.FULL_NIK


@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_update_and_delete_of_log_rows_in_sql(head_a):
    """A trigger added by the migration: even raw SQL cannot rewrite the log."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): the append-only trigger is PostgreSQL's")
    record_access(actor=head_a, kind=AccessKind.FULL_NIK, object_type="beneficiaries.person", object_id=1)
    for sql in ("UPDATE core_accesslog SET row_count = 9", "DELETE FROM core_accesslog"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as c:
            c.execute(sql)
    assert AccessLog.objects.get().row_count == 1


# ---------------------------------------------------------------- the admin


@pytest.fixture
def logged(head_a, head_b):
    record_access(actor=head_a, kind=AccessKind.FULL_NIK, object_type="beneficiaries.person", object_id=11)
    record_access(actor=head_b, kind=AccessKind.EXPORT, object_type="beneficiaries.importrun", count=7)
    return AccessLog.objects.order_by("id")


def test_a_province_official_reads_the_log_and_filters_it(logged, province, head_a):
    client = signed_in(province)
    url = reverse("admin:core_accesslog_changelist")
    assert list(client.get(url).context["cl"].result_list) == list(logged.order_by("-id"))
    assert [r.kind for r in client.get(url, {"kind": "export"}).context["cl"].result_list] == ["export"]
    by_actor = client.get(url, {"actor__id__exact": head_a.pk}).context["cl"].result_list
    assert [r.actor for r in by_actor] == [head_a]
    searched = client.get(url, {"q": "kades_b"}).context["cl"].result_list
    assert [r.actor.username for r in searched] == ["kades_b"]


def test_the_log_list_costs_the_same_queries_for_2_or_40_rows(logged, province, head_a):
    client = signed_in(province)
    url = reverse("admin:core_accesslog_changelist")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for pk in range(38):
        record_access(actor=head_a, kind=AccessKind.FULL_KK, object_type="beneficiaries.household", object_id=pk)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_nobody_adds_changes_or_deletes_a_log_row_in_the_admin(logged, province, superuser):
    """No add, change or delete permission: the record page is read-only, a POST is
    refused, the delete page is refused, for a province official and a superuser alike."""
    row = logged.first()
    for user in (province, superuser):
        client = signed_in(user)
        change = reverse("admin:core_accesslog_change", args=[row.pk])
        html = client.get(change).content.decode()
        assert 'name="_save"' not in html
        assert client.post(change, {"kind": "export"}).status_code == 403
        assert client.get(reverse("admin:core_accesslog_add")).status_code == 403
        assert client.post(reverse("admin:core_accesslog_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
        assert client.post(
            reverse("admin:core_accesslog_changelist"),
            {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
        ).status_code in (200, 302)
    assert AccessLog.objects.count() == 2
    assert AccessLog.objects.get(pk=row.pk).kind == row.kind


def test_it_refuses_the_log_to_everyone_but_province_officials(logged, regency_official, head_a):
    for user in (regency_official, head_a):
        response = signed_in(user).get(reverse("admin:core_accesslog_changelist"))
        assert response.status_code in (302, 403)


# ---------------------------------------------------------------- the breach command


def test_access_report_prints_what_one_account_saw(household, head_a, head_b):
    """`manage.py access_report --user U --since DATE`: the account's rows and a summary."""
    person = household.members.get()
    signed_in(head_a).get(reverse("admin:beneficiaries_person_change", args=[person.pk]))
    record_access(actor=head_b, kind=AccessKind.EXPORT, object_type="beneficiaries.importrun", count=7)
    out = io.StringIO()
    call_command("access_report", "--user", "kades_a", "--since", "2000-01-01", stdout=out)
    text = out.getvalue()
    assert f"full_nik\tbeneficiaries.person:{person.pk}\t1\t{VILLAGE_A}" in text
    assert "importrun" not in text  # head_b's export is not head_a's
    assert "full_nik\tbeneficiaries.person\t1\t1\t1" in text
    assert Person.objects.filter(pk=person.pk).exists()
