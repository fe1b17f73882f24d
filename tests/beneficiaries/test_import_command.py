"""`manage.py import_households`: the same import from the shell, its report and exit codes."""

import pytest
from django.core.management import CommandError, call_command

from beneficiaries.models import Household, ImportRun, Person
from tests.beneficiaries.import_helpers import csv_bytes, family, import_dir  # noqa: F401

pytestmark = pytest.mark.django_db


def command(tmp_path, rows, *args, content=None):
    path = tmp_path / "p3ke.csv"
    path.write_bytes(content if content is not None else csv_bytes(rows))
    from io import StringIO

    out = StringIO()
    call_command("import_households", str(path), *args, stdout=out)
    return out.getvalue()


def test_it_writes_the_file_and_prints_columns_and_counts(tmp_path, province):
    out = command(tmp_path, family(1), "--user", "prov")
    assert "expected columns: NO_KK, KODE_WILAYAH" in out
    assert "written: 1 households, 3 persons" in out
    assert Person.objects.count() == 3
    assert ImportRun.objects.get().created_by == province


def test_a_dry_run_writes_nothing(tmp_path, province):
    out = command(tmp_path, family(1), "--user", "prov", "--dry-run")
    assert "valid: 1 households, 3 persons" in out
    assert Household.objects.count() == 0


def test_it_exits_non_zero_when_one_row_is_rejected(tmp_path, province):
    rows = family(1) + family(2)
    rows[3]["DESIL"] = rows[4]["DESIL"] = rows[5]["DESIL"] = "11"
    with pytest.raises(CommandError) as refused:
        command(tmp_path, rows, "--user", "prov")
    assert refused.value.returncode == 1
    assert "Tidak ada yang ditulis" in str(refused.value)
    assert Household.objects.count() == 0


def test_partial_writes_the_valid_households_and_exits_zero(tmp_path, province):
    rows = family(1) + family(2)
    rows[3]["DESIL"] = rows[4]["DESIL"] = rows[5]["DESIL"] = "11"
    out = command(tmp_path, rows, "--user", "prov", "--partial")
    assert "row 5 DESIL:" in out
    assert Household.objects.count() == 1


def test_it_exits_non_zero_on_a_refused_file(tmp_path, province):
    with pytest.raises(CommandError) as refused:
        command(tmp_path, [], "--user", "prov", content=b"\x89PNG\r\n\x1a\n\x00\x00")
    assert refused.value.returncode == 1
    assert "bukan CSV atau XLSX" in str(refused.value)


def test_it_refuses_a_user_who_may_not_import(tmp_path, head_a):
    with pytest.raises(CommandError, match="pejabat provinsi"):
        command(tmp_path, family(1), "--user", "kades_a")
    assert ImportRun.objects.count() == 0
