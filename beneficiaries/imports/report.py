"""The downloadable template and the rejection report (XLSX and CSV). Text that a
spreadsheet would take for a formula (= + - @) is written with a leading apostrophe."""

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook

from .columns import EXAMPLE_ROW, EXPECTED

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutral(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _xlsx(title: str, header: list[str], rows) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for row in rows:
        sheet.append([neutral(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_xlsx() -> bytes:
    """The headers and one example row, every cell text (a NIK must not become 3.6E+15)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "data"
    sheet.append(list(EXPECTED))
    sheet.append(list(EXAMPLE_ROW))
    for cell in sheet[2]:
        cell.number_format = "@"
    for column in "ABCDEFGHIJK":
        sheet.column_dimensions[column].width = 20
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPECTED)
    writer.writerow(EXAMPLE_ROW)
    return out.getvalue()


def report_header() -> list[str]:
    return [_("Baris"), _("Kolom"), _("Alasan")]


def rejections_xlsx(rejections: Iterable[list]) -> bytes:
    return _xlsx(_("Ditolak"), report_header(), rejections)
