"""The household import: columns, every validator's reason with its row and column, dry
run, all-or-nothing, partial, re-import, concurrent runs, hostile files, history, queries."""

import datetime
import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from beneficiaries.imports.columns import map_columns, normalise
from beneficiaries.imports.report import neutral, rejections_xlsx
from beneficiaries.imports.service import start_import
from beneficiaries.models import Household, ImportRun, ImportStatus, Person
from core.errors import DomainError
from regions.models import Village
from tests.beneficiaries.import_helpers import csv_bytes, family, import_dir, person_row, run, upload  # noqa: F401
from tests.factories import VILLAGE_B, VILLAGE_NORTH, HouseholdFactory, PersonFactory, UserFactory, make_kk

pytestmark = pytest.mark.django_db


def reasons(run_row) -> dict[tuple[int, str], str]:
    return {(row, column): reason for row, column, reason in run_row.rejections}


# ---------------------------------------------------------------- columns


def test_headers_match_without_regard_to_case_spaces_and_underscores():
    """`No KK`, ` kode wilayah `, `Tanggal-Lahir` are the expected columns; others are ignored."""
    columns = map_columns(["No KK", " kode wilayah ", "alamat", "RT", "rw", "Desil", "nik", "Nama",
                           "Jenis Kelamin", "Tanggal-Lahir", "HUBUNGAN", "Pekerjaan"])  # fmt: skip
    assert normalise("  no. kk ") == "NO_KK"
    assert columns.missing == []
    assert columns.ignored == ["Pekerjaan"]
    assert columns.index["TANGGAL_LAHIR"] == 9


def test_it_reports_expected_found_and_ignored_columns(province):
    """The run keeps which columns it expected, found and ignored."""
    header = ["NO_KK", "KODE_WILAYAH", "ALAMAT", "RT", "RW", "DESIL", "NIK", "NAMA", "JENIS_KELAMIN",
              "TANGGAL_LAHIR", "HUBUNGAN"]  # fmt: skip
    content = csv_bytes(family(1)).replace(b"HUBUNGAN\r\n", b"HUBUNGAN,CATATAN\r\n", 1)
    done = run(province, content)
    assert done.columns["expected"] == header
    assert done.columns["ignored"] == ["CATATAN"]
    assert "CATATAN" in done.columns["found"]


def test_it_refuses_a_file_without_a_required_column(province):
    """No NIK column: nothing is read, the run says which column is missing."""
    content = b"NO_KK,KODE_WILAYAH,ALAMAT,RT,RW,NAMA,JENIS_KELAMIN,TANGGAL_LAHIR,HUBUNGAN\r\n"
    done = run(province, content, mode="commit")
    assert done.status == ImportStatus.REFUSED
    assert "NIK" in done.message


# ---------------------------------------------------------------- validators


@pytest.mark.parametrize(
    ("change", "column", "fragment"),
    [
        ({"NIK": "36010102018"}, "NIK", "16 angka"),
        ({"JENIS_KELAMIN": "P"}, "NIK", "laki-laki"),
        ({"TANGGAL_LAHIR": "03-01-1980"}, "NIK", "memuat tanggal lahir"),
        ({"KODE_WILAYAH": "36.01.01.2999"}, "KODE_WILAYAH", "tidak dikenal"),
        ({"DESIL": "11"}, "DESIL", "10"),
        ({"NO_KK": "12345"}, "NO_KK", "16 angka"),
        ({"TANGGAL_LAHIR": "1980/13/45"}, "TANGGAL_LAHIR", "DD-MM-YYYY"),
        ({"HUBUNGAN": "TETANGGA"}, "HUBUNGAN", "tidak dikenal"),
    ],
)
def test_it_rejects_a_bad_row_with_its_row_number_column_and_reason(province, change, column, fragment):
    """The head (row 2) carries the fault; the reason names the column, in Indonesian."""
    rows = family(1)
    rows[0].update(change)
    if "NO_KK" in change:
        for row in rows:
            row["NO_KK"] = change["NO_KK"]
    if "KODE_WILAYAH" in change:
        for row in rows:
            row["KODE_WILAYAH"] = change["KODE_WILAYAH"]
    done = run(province, csv_bytes(rows))
    assert fragment in reasons(done)[(2, column)]
    assert done.households_valid == 0


def test_it_rejects_an_inactive_village(province):
    Village.objects.filter(code=VILLAGE_B).update(is_active=False)
    done = run(province, csv_bytes(family(1, village=VILLAGE_B)))
    assert reasons(done)[(2, "KODE_WILAYAH")] == "Desa/kelurahan ini tidak aktif."


def test_it_rejects_two_heads_and_a_kk_without_head(province):
    two = family(1)
    two[1]["HUBUNGAN"] = "KEPALA KELUARGA"
    two[1]["JENIS_KELAMIN"] = "P"
    none = family(2)
    none[0]["HUBUNGAN"] = "SUAMI"
    done = run(province, csv_bytes(two + none))
    found = reasons(done)
    assert found[(3, "HUBUNGAN")] == "KK ini sudah punya KEPALA KELUARGA di baris 2."
    assert found[(5, "HUBUNGAN")] == "KK ini tidak punya KEPALA KELUARGA."
    assert done.households_valid == 0


def test_it_rejects_household_fields_that_disagree_across_rows(province):
    rows = family(1)
    rows[2]["ALAMAT"] = "Kp. Lain"
    done = run(province, csv_bytes(rows))
    assert reasons(done)[(4, "ALAMAT")] == "Berbeda dengan baris 2 untuk KK yang sama."


def test_it_rejects_a_nik_twice_in_the_file(province):
    rows = family(1) + family(2)
    rows[4]["NIK"] = rows[1]["NIK"]
    done = run(province, csv_bytes(rows))
    assert reasons(done)[(6, "NIK")] == "NIK ini sudah ada di baris 3 berkas ini."
    assert done.households_valid == 1


def test_it_rejects_a_nik_already_in_the_database(province):
    rows = family(1)
    PersonFactory(
        household=HouseholdFactory(kk_number=make_kk(999)),
        nik=rows[2]["NIK"],
        birth_date=datetime.date(2010, 7, 8),
    )
    done = run(province, csv_bytes(rows))
    assert reasons(done)[(4, "NIK")] == "NIK ini sudah terdaftar di rumah tangga lain."


def test_it_rejects_rows_outside_the_actors_region(regency_official):
    """A Pandeglang official imports Pandeglang; a Kota Tangerang row is refused."""
    done = run(regency_official, csv_bytes(family(1) + family(2, village=VILLAGE_NORTH)))
    assert reasons(done)[(5, "KODE_WILAYAH")] == "Desa/kelurahan ini di luar wilayah kerja Anda."
    assert done.households_valid == 1


def test_it_refuses_users_who_may_not_import(head_a, district_official):
    for user in (head_a, district_official):
        with pytest.raises(DomainError) as refused:
            start_import(actor=user, uploaded_file=upload(csv_bytes(family(1))), mode="commit")
        assert refused.value.code == DomainError.FORBIDDEN
    assert ImportRun.objects.count() == 0


# ---------------------------------------------------------------- modes


def test_a_dry_run_writes_nothing_and_counts_what_a_commit_would(province):
    done = run(province, csv_bytes(family(1) + family(2)))
    assert done.status == ImportStatus.DONE
    assert (done.households_valid, done.persons_valid, done.households_written) == (2, 6, 0)
    assert Household.objects.count() == 0 and Person.objects.count() == 0


def test_all_or_nothing_writes_nothing_when_one_row_is_bad(province):
    rows = family(1) + family(2)
    rows[5]["DESIL"] = "11"
    rows[3]["DESIL"] = rows[4]["DESIL"] = "11"
    done = run(province, csv_bytes(rows), mode="commit")
    assert done.status == ImportStatus.REFUSED
    assert "Tidak ada yang ditulis" in done.message
    assert Household.objects.count() == 0 and Person.objects.count() == 0


def test_a_commit_writes_every_household_with_history_by_the_user(province):
    done = run(province, csv_bytes(family(1) + family(2)), mode="commit", name="p3ke-36.csv")
    assert done.status == ImportStatus.DONE
    assert (done.households_written, done.persons_written) == (2, 6)
    household = Household.objects.get(kk_number=make_kk(1))
    assert (household.rt, household.rw, household.regency_id, household.desil) == ("001", "002", "36.01", 1)
    assert household.members.get(relation="head").full_name == "Warga 11"
    assert household.members.get(relation="spouse").sex == "P"
    assert Household.history.count() == 2 and Person.history.count() == 6
    record = Person.history.first()
    assert record.history_user == province
    assert record.history_change_reason == "Impor p3ke-36.csv"
    assert record.history_type == "+"


def test_partial_writes_the_valid_households_and_reports_the_rest(province):
    rows = family(1) + family(2)
    rows[4]["JENIS_KELAMIN"] = "L"  # the wife of KK 2 with a woman's NIK
    done = run(province, csv_bytes(rows), mode="partial")
    assert done.status == ImportStatus.DONE
    assert list(Household.objects.values_list("kk_number", flat=True)) == [make_kk(1)]
    assert Person.objects.count() == 3
    found = reasons(done)
    assert "perempuan" in found[(6, "NIK")]
    assert found[(5, "")] == "Tidak ditulis karena baris lain dari KK yang sama ditolak."
    assert done.rejected == 3


def test_importing_the_same_file_again_writes_nothing_new(province):
    content = csv_bytes(family(1) + family(2))
    run(province, content, mode="commit")
    again = run(province, content, mode="commit")
    assert again.status == ImportStatus.DONE
    assert (again.households_existing, again.households_written, again.rejected) == (2, 0, 0)
    assert Household.objects.count() == 2 and Person.objects.count() == 6
    assert Household.history.count() == 2


def test_a_second_import_of_a_file_that_is_running_is_refused(province):
    content = csv_bytes(family(1))
    first = start_import(actor=province, uploaded_file=upload(content), mode="commit", queue=False)
    ImportRun.objects.filter(pk=first.pk).update(status=ImportStatus.RUNNING)
    with pytest.raises(DomainError) as refused:
        start_import(actor=province, uploaded_file=upload(content, "lagi.csv"), mode="commit", queue=False)
    assert refused.value.code == DomainError.CONFLICT
    assert "sedang diimpor" in refused.value.message
    assert ImportRun.objects.count() == 1


def test_the_task_runs_the_import_on_its_own_queue(province, settings, django_capture_on_commit_callbacks):
    """Queued on commit; eager Celery runs it inline; the route names the imports queue."""
    assert settings.CELERY_TASK_ROUTES["beneficiaries.tasks.run_import"] == {"queue": "imports"}
    with django_capture_on_commit_callbacks(execute=True):
        started = start_import(actor=province, uploaded_file=upload(csv_bytes(family(1))), mode="commit")
    started.refresh_from_db()
    assert started.status == ImportStatus.DONE and started.persons_written == 3
    assert started.started_at and started.finished_at and started.created_by == province
    assert len(started.checksum) == 64


# ---------------------------------------------------------------- file types


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_it_reads_an_xlsx_with_numbers_and_dates_as_text(province):
    rows = family(1)
    cells = [list(rows[0].values())]
    cells[0][6] = int(cells[0][6])  # NIK typed as a number
    cells[0][9] = datetime.datetime(1980, 1, 2)
    from beneficiaries.imports.columns import EXPECTED

    done = run(province, xlsx_bytes([list(EXPECTED), *cells]), mode="commit", name="p3ke.xlsx")
    assert done.status == ImportStatus.DONE, done.rejections
    assert Person.objects.get().nik == rows[0]["NIK"]


def test_it_reads_a_cp1252_csv_with_semicolons(province):
    rows = family(1)
    rows[0]["NAMA"] = "André"
    content = csv_bytes(rows, delimiter=";").decode().encode("cp1252")
    done = run(province, content, mode="commit")
    assert done.status == ImportStatus.DONE, done.rejections
    assert Person.objects.get(relation="head").full_name == "André"


def test_a_formula_cell_is_read_as_text(province):
    """`=1+1` in the NIK column is text that fails the NIK check; nothing is evaluated."""
    from beneficiaries.imports.columns import EXPECTED

    row = list(family(1)[0].values())
    row[6] = "=3601010201800011+0"
    done = run(province, xlsx_bytes([list(EXPECTED), row]), mode="commit", name="p3ke.xlsx")
    assert done.status == ImportStatus.REFUSED
    assert "angka" in reasons(done)[(2, "NIK")]
    assert Person.objects.count() == 0


def bomb_xlsx(extra: dict[str, bytes]) -> bytes:
    base = io.BytesIO(xlsx_bytes([["NO_KK"]]))
    out = io.BytesIO()
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        for name, data in extra.items():
            target.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "fragment"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "p3ke.csv", "bukan CSV atau XLSX"),
        (b"NO_KK,NIK\x00\x01\x02", "p3ke.csv", "bukan CSV atau XLSX"),
        (b"PK\x03\x04garbage", "p3ke.xlsx", "rusak"),
        (
            bomb_xlsx(
                {
                    "xl/evil.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
                }
            ),
            "p3ke.xlsx",
            "ENTITY",
        ),
        (bomb_xlsx({"xl/big.xml": b"<x>" + b" " * 3_000_000 + b"</x>"}), "p3ke.xlsx", "setelah dibuka"),
    ],
    ids=["renamed-png", "binary-text", "broken-zip", "entity", "zip-bomb"],
)
def test_it_refuses_hostile_files_and_writes_nothing(province, settings, content, name, fragment):
    settings.IMPORT_MAX_UNZIPPED_BYTES = 2_000_000
    done = run(province, content, mode="partial", name=name)
    assert done.status == ImportStatus.REFUSED
    assert fragment in done.message
    assert Household.objects.count() == 0


def test_it_refuses_a_file_over_the_size_limit(province, settings):
    settings.IMPORT_MAX_BYTES = 100
    done = run(province, csv_bytes(family(1)), mode="partial")
    assert done.status == ImportStatus.REFUSED
    assert "terlalu besar" in done.message
    assert Household.objects.count() == 0


def test_the_rejection_report_neutralises_formula_like_text():
    assert (
        neutral("=HYPERLINK(1)") == "'=HYPERLINK(1)" and neutral("-1") == "'-1" and neutral("Baik") == "Baik"
    )
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(rejections_xlsx([[2, "NAMA", "@SUM(A1)"]]))).active
    assert [c.value for c in sheet[2]] == [2, "NAMA", "'@SUM(A1)"]
    assert sheet[1][0].value == "Baris"


# ---------------------------------------------------------------- queries


def test_the_number_of_queries_grows_per_batch_not_per_row(province, settings):
    """5 and 10 households in one batch cost the same queries; 200 households (600 persons)
    add only the database's own insert chunks (SQLite's parameter limit), not a query a row."""
    settings.IMPORT_BATCH_SIZE = 10_000

    def count(n: int, offset: int) -> int:
        rows = [r for k in range(offset, offset + n) for r in family(k)]
        with CaptureQueriesContext(connection) as queries:
            done = run(province, csv_bytes(rows), mode="commit")
        assert done.persons_written == 3 * n
        return len(queries)

    count(1, 900)  # the caller's permissions are cached after the first run
    small = count(5, 1)
    assert count(10, 100) == small
    assert count(200, 200) < small + 40


def test_existing_households_are_found_in_one_query_a_batch(province):
    HouseholdFactory(kk_number=make_kk(1))
    done = run(province, csv_bytes(family(1) + family(2)), mode="partial")
    assert (done.households_existing, done.households_written) == (1, 1)


def test_a_failure_midway_marks_the_run_failed_and_an_all_or_nothing_import_writes_nothing(
    province, monkeypatch
):
    """An unexpected error while writing: the run is `failed`, the transaction rolled back."""
    from beneficiaries.imports import writers

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(writers, "write", broken)
    done = run(province, csv_bytes(family(1)), mode="commit")
    assert done.status == ImportStatus.FAILED
    assert done.message == "Impor gagal karena kesalahan sistem."
    assert Household.objects.count() == 0 and done.households_written == 0


def test_the_database_refuses_two_active_runs_of_one_file(province):
    """The partial unique constraint backs the service's check (two workers at once)."""
    from django.db import IntegrityError, transaction

    fields = {"file_name": "a.csv", "checksum": "0" * 64, "size": 1, "mode": "commit", "created_by": province}
    ImportRun.objects.create(status=ImportStatus.RUNNING, **fields)
    ImportRun.objects.create(status=ImportStatus.DONE, **fields)  # finished runs do not count
    with pytest.raises(IntegrityError), transaction.atomic():
        ImportRun.objects.create(status=ImportStatus.QUEUED, **fields)


# ---------------------------------------------------------------- privacy and memory


def _planted_heads(count: int) -> list[dict]:
    """`count` households in the file whose heads' NIKs are already registered."""
    rows = []
    for serial in range(1, count + 1):
        head = family(100 + serial)[:1]
        PersonFactory(household=HouseholdFactory(kk_number=make_kk(900 + serial)), nik=head[0]["NIK"],
                      birth_date=datetime.date(1980, 1, 2), sex="L")  # fmt: skip
        rows += head
    return rows


def test_it_limits_already_registered_answers_to_who_may_not_see_numbers_whole(regency_official):
    """A regency official (no full NIKs) learns at most DUPLICATE_REFUSALS.limit times that a
    NIK exists; past it every later household is refused with the limiter's message, a
    fresh one as much as a registered one, and nothing more is asked of the database."""
    from beneficiaries.services.common import DUPLICATE_REFUSALS

    limit = DUPLICATE_REFUSALS.limit
    rows = _planted_heads(limit + 2) + family(1)
    done = run(regency_official, csv_bytes(rows), mode="partial")
    found = reasons(done)
    told = [
        n
        for n in range(2, 2 + limit + 2)
        if found.get((n, "NIK")) == "NIK ini sudah terdaftar di rumah tangga lain."
    ]
    assert told == list(range(2, 2 + limit))
    fresh_head = 2 + limit + 2
    assert found[(fresh_head, "NIK")].startswith("Terlalu banyak NIK")
    assert done.households_written == 0 and not Household.objects.filter(kk_number=make_kk(1)).exists()


def test_an_official_re_importing_their_own_file_spends_no_budget(regency_official):
    """Households the official registered themselves are reported as there already, however
    many: they had every number whole when they imported them, so the answer tells nothing."""
    from beneficiaries.services.common import DUPLICATE_REFUSALS

    content = csv_bytes([row for serial in range(1, DUPLICATE_REFUSALS.limit + 3) for row in family(serial)])
    first = run(regency_official, content, mode="commit")
    assert first.households_written == DUPLICATE_REFUSALS.limit + 2
    again = run(regency_official, content, mode="commit")
    assert (again.households_existing, again.households_written, again.rejected) == (
        DUPLICATE_REFUSALS.limit + 2, 0, 0
    )
    assert not DUPLICATE_REFUSALS.spent(regency_official)


def test_a_colleagues_households_still_draw_on_the_budget(regency_official):
    """Another official of the same regency re-importing the file did not register those
    households: each answer about them counts, and the limiter closes as before."""
    from beneficiaries.services.common import DUPLICATE_REFUSALS

    colleague = UserFactory(username="pandeglang_2", role="regency", region_code="36.01")
    content = csv_bytes([row for serial in range(1, DUPLICATE_REFUSALS.limit + 3) for row in family(serial)])
    run(regency_official, content, mode="commit")
    again = run(colleague, content, mode="partial")
    assert again.households_written == 0
    assert DUPLICATE_REFUSALS.spent(colleague)
    assert any(r.startswith("Terlalu banyak NIK") for r in reasons(again).values())


def test_a_province_official_is_told_every_registered_number(province):
    """Province officials see every number whole: their answers draw on no budget."""
    from beneficiaries.services.common import DUPLICATE_REFUSALS

    done = run(province, csv_bytes(_planted_heads(DUPLICATE_REFUSALS.limit + 2) + family(1)), mode="partial")
    found = reasons(done)
    assert (
        sum(r == "NIK ini sudah terdaftar di rumah tangga lain." for r in found.values())
        == DUPLICATE_REFUSALS.limit + 2
    )
    assert done.households_written == 1


def test_it_keeps_the_first_rejections_on_the_run_and_every_one_in_the_report(province, monkeypatch):
    """Past KEPT_REJECTIONS the rejections go to the report file beside the upload, not into
    memory or the run; the download and the counts still cover every rejected row."""
    from beneficiaries.admin.imports import ImportRunAdmin  # noqa: F401  (the download reads the same)
    from beneficiaries.imports import engine
    from beneficiaries.imports.service import rejections_of

    monkeypatch.setattr(engine, "KEPT_REJECTIONS", 4)
    rows = []
    for serial in range(1, 6):
        bad = family(serial)
        bad[0]["DESIL"] = bad[1]["DESIL"] = bad[2]["DESIL"] = "11"
        rows += bad
    done = run(province, csv_bytes(rows + family(9)), mode="partial")
    assert done.rejected == 15 and len(done.rejections) == 4
    every = list(rejections_of(done))
    assert len(every) == 15 and every[:4] == done.rejections
    assert {row for row, _column, _reason in every} == set(range(2, 17))
    assert done.households_written == 1
