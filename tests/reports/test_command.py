"""`manage.py send_reports`: a dry run writes the files and sends nothing; a real run queues."""

import email
from email import policy

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from reports.models import ReportDelivery

from .conftest import PERIOD
from .truth import truth


def test_it_writes_the_eml_xlsx_and_pdf_on_a_dry_run(world, recipients, tmp_path, mailoutbox):
    """--dry-run --out DIR: three files for Lebak, no email, no delivery row."""
    call_command(
        "send_reports", "--period", "2024-06", "--regency", "36.02", "--dry-run", "--out", str(tmp_path)
    )
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["laporan-36.02-2024-06.eml", "laporan-36.02-2024-06.pdf", "laporan-36.02-2024-06.xlsx"]
    message = email.message_from_bytes((tmp_path / names[0]).read_bytes(), policy=policy.default)
    assert message["To"] == "bupati@lebakkab.go.id"
    assert "Kabupaten Lebak" in message["Subject"]
    assert (tmp_path / names[1]).read_bytes().startswith(b"%PDF")
    ws = load_workbook(tmp_path / names[2])["Ringkasan"]
    active = next(r for r in ws.iter_rows(min_row=6, values_only=True) if r[1] == "active")
    assert active[3] == truth(world, "36.02", PERIOD)["all"]["active"][0]
    assert mailoutbox == []
    assert not ReportDelivery.objects.exists()


def test_it_queues_the_reports_of_a_period(recipients, mailoutbox, django_capture_on_commit_callbacks):
    """Without --dry-run it dispatches: one delivery and one email for the regency asked."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reports", "--period", "2024-06", "--regency", "36.01")
    assert [m.to for m in mailoutbox] == [["bupati@pandeglangkab.go.id"]]
    assert ReportDelivery.objects.get().status == "sent"


@pytest.mark.parametrize("args", [["--period", "juni"], ["--period", "2024-06", "--regency", "36.99"]])
def test_it_rejects_a_bad_period_or_region(db, args):
    """A period that is not YYYY-MM, or an unknown regency, is refused with a message."""
    with pytest.raises(CommandError):
        call_command("send_reports", *args)


def test_it_needs_a_folder_for_a_dry_run(db):
    with pytest.raises(CommandError, match="--out"):
        call_command("send_reports", "--period", "2024-06", "--dry-run")
