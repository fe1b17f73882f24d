"""The import refuses names and addresses with invisible control or bidi characters, with
the row and column named, through the same validator as the forms; formula text is kept
as typed and neutralised only in the rejections spreadsheet."""

import pytest

from beneficiaries.imports.report import neutral
from beneficiaries.models import Person
from tests.beneficiaries.import_helpers import csv_bytes, family, import_dir, run  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("column", "value"), [("NAMA", "Siti\u202eahmA"), ("ALAMAT", "Kp.\u2066 Duku")])
def test_it_rejects_a_bidi_character_on_its_row_and_column(province, column, value):
    rows = family(1)
    for row in rows if column == "ALAMAT" else rows[:1]:
        row[column] = value
    done = run(province, csv_bytes(rows))
    found = {(row, col): reason for row, col, reason in done.rejections}
    assert "U+202E" in found[(2, column)] or "U+2066" in found[(2, column)]
    assert done.households_valid == 0


def test_formula_and_markup_names_are_imported_as_typed(province):
    rows = family(1)
    rows[0]["NAMA"] = '=HYPERLINK("x") <b>Budi</b>'
    run(province, csv_bytes(rows), mode="commit")
    assert Person.objects.filter(full_name='=HYPERLINK("x") <b>Budi</b>').exists()
    assert neutral("=HYPERLINK()") == "'=HYPERLINK()" and neutral("@SUM") == "'@SUM"
