"""The subject report (UU 27/2022): everything held about one person, as JSON and PDF,
from `manage.py subject_report --nik N` and an admin action for province officials; the
subject's own numbers whole, the other members' NIKs masked; the run is logged."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from beneficiaries.identity import mask_nik
from beneficiaries.models import Activity, Attendance
from beneficiaries.services import growth, open_case, record_assistance, update_person
from beneficiaries.subject_report import make_subject_report, subject_data
from core.access import record_access
from core.models import AccessKind, AccessLog
from tests.factories import (
    VILLAGE_A,
    GroupFactory,
    HouseholdFactory,
    MembershipFactory,
    PartnerFactory,
    PersonFactory,
    ProgramFactory,
    ToddlerFactory,
    make_kk,
)


@pytest.fixture
def subject(db, head_a, cadre):
    """A mother in village A with a case, aid, a group, an activity and a history row;
    her toddler is measured; the household has a third member."""
    household = HouseholdFactory(village_id=VILLAGE_A, kk_number=make_kk(901), address="Kp. Duku RT 1")
    mother = PersonFactory(household=household, full_name="Siti Aminah", sex="P", birth_date=datetime.date(1990, 2, 3))
    child = ToddlerFactory(household=household, full_name="Rizky", birth_date=datetime.date(2024, 1, 10))
    PersonFactory(household=household, full_name="Ujang", relation="child", birth_date=datetime.date(2012, 3, 4))
    program = ProgramFactory(name="Bantuan Pangan Banten")
    case = open_case(actor=head_a, household=household, program=program, opened_on=datetime.date(2025, 1, 5))
    record_assistance(
        actor=head_a, case=case, kind="food", program=program, delivered_on=datetime.date(2025, 1, 20),
        amount=1_250_000, recipient=mother,
    )  # fmt: skip
    MembershipFactory(group=GroupFactory(name="KUBE Mawar", village_id=VILLAGE_A), household=household)
    activity = Activity.objects.create(
        village_id=VILLAGE_A, partner=PartnerFactory(region_code=VILLAGE_A), topic="culinary",
        title="Pelatihan Tata Boga", held_on=datetime.date(2025, 2, 3),
    )  # fmt: skip
    Attendance.objects.create(activity=activity, person=mother)
    growth.record_measurement(
        actor=cadre, person=child, measured_on=datetime.date(2025, 1, 10), weight_kg="9.5", height_cm="75.0",
        position="lying",
    )  # fmt: skip
    update_person(actor=head_a, person=mother, full_name="Siti Aminah Binti Ahmad")
    record_access(actor=head_a, kind=AccessKind.FULL_NIK, obj=mother, region_code=VILLAGE_A)
    mother.refresh_from_db()
    return mother


def test_it_holds_everything_about_the_person_with_others_masked(subject, province):
    report = make_subject_report(person=subject, actor=province)
    data = json.loads(report.json)
    others = {m["full_name"]: m["nik"] for m in data["members"]}
    assert data["person"][0]["nik"] == subject.nik
    assert data["household"][0]["kk_number"] == make_kk(901)
    ujang = subject.household.members.get(full_name="Ujang")
    assert others["Ujang"] == mask_nik(ujang.nik) and ujang.nik not in report.json.decode()
    assert data["assistance"][0]["amount"] == 1_250_000
    assert [g["group__name"] for g in data["groups"]] == ["KUBE Mawar"]
    assert [a["activity__title"] for a in data["activities"]] == ["Pelatihan Tata Boga"]
    assert [h["full_name"] for h in data["person_history"]][-2:] == ["Siti Aminah", "Siti Aminah Binti Ahmad"]
    assert data["cases"] and data["moves"] is not None
    assert [(a["actor"], a["kind"]) for a in data["access_log"]][:1] == [("kades_a", "NIK lengkap ditampilkan")]
    assert report.pdf.startswith(b"%PDF")


def test_a_childs_report_holds_the_measurements(subject, province):
    child = subject.household.members.get(full_name="Rizky")
    data = json.loads(make_subject_report(person=child, actor=province).json)
    assert [m["measured_on"] for m in data["measurements"]] == ["2025-01-10"]
    assert data["person"][0]["nik"] is None  # the toddler has no NIK yet


def test_the_report_is_logged(subject, province):
    make_subject_report(person=subject, actor=province)
    row = AccessLog.objects.get(kind=AccessKind.SUBJECT_REPORT)
    assert (row.actor, row.object_id, row.region_code) == (province, str(subject.pk), VILLAGE_A)


def test_it_refuses_the_report_to_anyone_but_a_province_official(subject, regency_official, head_a):
    from core.errors import DomainError

    for actor in (regency_official, head_a):
        with pytest.raises(DomainError) as refused:
            make_subject_report(person=subject, actor=actor)
        assert refused.value.code == DomainError.FORBIDDEN
    assert not AccessLog.objects.filter(kind=AccessKind.SUBJECT_REPORT).exists()


def test_the_data_costs_the_same_queries_for_one_or_many_rows(subject, head_a):
    """A fixed number of queries, whatever the person holds."""
    with CaptureQueriesContext(connection) as few:
        subject_data(subject)
    case = subject.household.cases.get()
    for day in range(1, 11):
        record_assistance(
            actor=head_a, case=case, kind="cash", program=case.program, delivered_on=datetime.date(2025, 3, day),
            amount=100_000 + day, recipient=subject,
        )  # fmt: skip
        record_access(actor=head_a, kind=AccessKind.FULL_NIK, obj=subject, region_code=VILLAGE_A)
    with CaptureQueriesContext(connection) as many:
        sections = subject_data(subject)
    assert len(many) == len(few)
    assert len(next(s for s in sections if s.key == "assistance").rows) == 11


def test_the_command_writes_json_and_pdf_and_logs_the_run(subject, tmp_path):
    out = io.StringIO()
    call_command("subject_report", "--nik", subject.nik, "--out", str(tmp_path), stdout=out)
    files = sorted(p.suffix for p in tmp_path.iterdir())
    assert files == [".json", ".pdf"]
    assert json.loads(next(tmp_path.glob("*.json")).read_text())["person"][0]["nik"] == subject.nik
    row = AccessLog.objects.get(kind=AccessKind.SUBJECT_REPORT)
    assert (row.actor, row.path) == (None, "manage.py subject_report")


def test_the_command_refuses_an_unknown_nik_without_echoing_it(db, tmp_path):
    with pytest.raises(CommandError) as refused:
        call_command("subject_report", "--nik", "3601014101900099", "--out", str(tmp_path))
    assert "3601014101900099" not in str(refused.value)
    assert not list(tmp_path.iterdir())


def test_the_admin_action_gives_a_province_official_the_zip(subject, province):
    client = Client()
    client.force_login(province)
    response = client.post(
        reverse("admin:beneficiaries_person_changelist"),
        {"action": "subject_report_action", "_selected_action": [subject.pk]},
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    names = sorted(zipfile.ZipFile(io.BytesIO(response.content)).namelist())
    assert [n.rsplit(".", 1)[1] for n in names] == ["json", "pdf"]
    assert AccessLog.objects.filter(kind=AccessKind.SUBJECT_REPORT, actor=province).count() == 1


def test_the_admin_action_is_not_offered_to_a_regency_official(subject, regency_official):
    client = Client()
    client.force_login(regency_official)
    assert "subject_report_action" not in client.get(reverse("admin:beneficiaries_person_changelist")).content.decode()
    response = client.post(
        reverse("admin:beneficiaries_person_changelist"),
        {"action": "subject_report_action", "_selected_action": [subject.pk]},
    )
    assert response.get("Content-Type") != "application/zip"
    assert not AccessLog.objects.filter(kind=AccessKind.SUBJECT_REPORT).exists()
