"""The admin's "Impor rumah tangga": upload, the run's page and its JSON progress, the
rejection report, the templates, and who sees which runs."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from beneficiaries.imports.columns import EXPECTED
from beneficiaries.models import Household, ImportRun, ImportStatus, Person
from tests.beneficiaries.import_helpers import csv_bytes, family, import_dir, run, upload  # noqa: F401

pytestmark = pytest.mark.django_db

ADD = "admin:beneficiaries_importrun_add"


def post_upload(client, content: bytes, mode: str, django_capture_on_commit_callbacks, name="p3ke.csv"):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse(ADD), {"file": upload(content, name), "mode": mode})


def test_an_official_uploads_a_file_and_lands_on_its_run(login, province, django_capture_on_commit_callbacks):
    """The upload starts the import (eager Celery runs it) and redirects to the run's page."""
    client = login(province)
    response = post_upload(client, csv_bytes(family(1)), "commit", django_capture_on_commit_callbacks)
    done = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:beneficiaries_importrun_change", args=[done.pk])
    assert done.status == ImportStatus.DONE and done.created_by == province
    assert Person.objects.count() == 3
    page = client.get(response["Location"]).content.decode()
    assert 'data-field="persons_written">3<' in page
    assert done.checksum in page


def test_the_upload_form_shows_a_refusal_on_the_file_field(login, province):
    """A second upload of a file whose run is still going is refused on the form."""
    content = csv_bytes(family(1))
    first = run(province, content)
    ImportRun.objects.filter(pk=first.pk).update(status=ImportStatus.RUNNING)
    client = login(province)
    response = client.post(reverse(ADD), {"file": upload(content), "mode": "commit"})
    assert response.status_code == 200
    assert "Berkas yang sama sedang diimpor" in response.content.decode()
    assert ImportRun.objects.count() == 1


def test_a_running_import_reports_progress_as_json_and_refreshes_without_js(login, province):
    started = run(province, csv_bytes(family(1)))
    ImportRun.objects.filter(pk=started.pk).update(status=ImportStatus.RUNNING, rows_read=1234, rejected=5)
    client = login(province)
    data = client.get(reverse("admin:beneficiaries_importrun_progress", args=[started.pk])).json()
    assert (data["rows_read"], data["rejected"], data["active"], data["status"]) == (1234, 5, True, "running")
    page = client.get(reverse("admin:beneficiaries_importrun_change", args=[started.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="5">' in page
    assert "js/import-progress.js" in page
    assert 'data-field="rows_read">1234<' in page


def test_the_rejection_report_downloads_as_xlsx(login, province):
    rows = family(1)
    rows[0]["DESIL"] = rows[1]["DESIL"] = rows[2]["DESIL"] = "11"
    done = run(province, csv_bytes(rows))
    client = login(province)
    page = client.get(reverse("admin:beneficiaries_importrun_change", args=[done.pk])).content.decode()
    assert "DESIL" in page
    response = client.get(reverse("admin:beneficiaries_importrun_report", args=[done.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows_out = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows_out[0] == ["Baris", "Kolom", "Alasan"]
    assert rows_out[1][:2] == [2, "DESIL"]
    assert Household.objects.count() == 0


def test_the_templates_carry_the_expected_headers_and_an_example(login, province):
    client = login(province)
    xlsx = client.get(reverse("admin:beneficiaries_importrun_template_xlsx"))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[1]] == list(EXPECTED)
    assert sheet["G2"].value == "3601014203850001"  # the NIK stays text
    csv_text = client.get(reverse("admin:beneficiaries_importrun_template_csv")).content.decode()
    assert csv_text.splitlines()[0] == ",".join(EXPECTED)


def test_the_example_row_of_the_template_imports(province):
    """The template's own example passes every check."""
    from beneficiaries.imports.report import template_csv

    done = run(province, template_csv().encode())
    assert done.rejections == [] and done.households_valid == 1


def test_officials_see_the_runs_of_their_region_only(login, province, regency_official, north_official):
    mine = run(regency_official, csv_bytes(family(1)), name="pandeglang.csv")
    theirs = run(north_official, csv_bytes(family(2)), name="tangerang.csv")
    client = login(regency_official)
    listing = client.get(reverse("admin:beneficiaries_importrun_changelist")).content.decode()
    assert "pandeglang.csv" in listing and "tangerang.csv" not in listing
    assert client.get(reverse("admin:beneficiaries_importrun_change", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("admin:beneficiaries_importrun_progress", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("admin:beneficiaries_importrun_report", args=[theirs.pk])).status_code == 404
    province_listing = (
        login(province).get(reverse("admin:beneficiaries_importrun_changelist")).content.decode()
    )
    assert "pandeglang.csv" in province_listing and "tangerang.csv" in province_listing
    assert mine.region_code == "36.01"


def test_a_district_official_cannot_import(login, district_official):
    district_official.is_staff = True
    district_official.save()
    client = login(district_official)
    assert client.get(reverse(ADD)).status_code in (302, 403)
    assert client.post(
        reverse(ADD), {"file": upload(csv_bytes(family(1))), "mode": "commit"}
    ).status_code in (302, 403)
    assert ImportRun.objects.count() == 0
