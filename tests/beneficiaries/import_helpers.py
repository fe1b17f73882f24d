"""Building import files for the tests: one person a row, the household repeated."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from beneficiaries.imports.columns import EXPECTED
from beneficiaries.imports.service import run_import, start_import
from tests.factories import VILLAGE_A, make_kk, make_nik


def person_row(kk_serial: int, nik_serial: int, *, relation="KEPALA KELUARGA", sex="L",
               born=datetime.date(1980, 1, 2), village=VILLAGE_A, **overrides) -> dict:  # fmt: skip
    row = {
        "NO_KK": make_kk(kk_serial, village=village),
        "KODE_WILAYAH": village,
        "ALAMAT": f"Kp. Impor {kk_serial}",
        "RT": "1",
        "RW": "2",
        "DESIL": "1",
        "NIK": make_nik(village=village, birth=born, sex=sex, serial=nik_serial),
        "NAMA": f"Warga {nik_serial}",
        "JENIS_KELAMIN": sex,
        "TANGGAL_LAHIR": born.strftime("%d-%m-%Y"),
        "HUBUNGAN": relation,
    }
    row.update(overrides)
    return row


def family(kk_serial: int, *, village=VILLAGE_A, **head) -> list[dict]:
    """A head, a wife and a child."""
    base = kk_serial * 10
    return [
        person_row(kk_serial, base + 1, village=village, **head),
        person_row(
            kk_serial, base + 2, relation="ISTRI", sex="P", born=datetime.date(1982, 5, 6), village=village
        ),
        person_row(
            kk_serial, base + 3, relation="ANAK", sex="L", born=datetime.date(2010, 7, 8), village=village
        ),
    ]


def csv_bytes(rows: list[dict], header=EXPECTED, delimiter=",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in EXPECTED])
    return out.getvalue().encode()


def upload(content: bytes, name="p3ke.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def run(actor, content: bytes, mode="dry_run", name="p3ke.csv"):
    """Start and run an import inline, as the eager task would."""
    started = start_import(actor=actor, uploaded_file=upload(content, name), mode=mode, queue=False)
    run_import(import_id=started.pk)
    started.refresh_from_db()
    return started


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.IMPORT_STORAGE_DIR = tmp_path / "imports"
    return settings.IMPORT_STORAGE_DIR
