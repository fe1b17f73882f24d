"""The renderers: formats, formula neutralising, the chart, the email's MIME structure."""

import datetime
import io

from openpyxl import load_workbook

from regions.models import Village
from reports.formatting import month, number, rupiah, signed
from reports.renderers import render_chart, render_xlsx
from reports.renderers.xlsx import safe_text
from reports.selectors import report_figures

from .conftest import PERIOD


def test_it_writes_numbers_and_dates_the_indonesian_way():
    """`1.250.000`, `Rp 1.250.000`, `Juni 2024`, changes with their sign."""
    assert number(1250000) == "1.250.000"
    assert rupiah(1250000) == "Rp 1.250.000"
    assert signed(-3) == "−3" and signed(12) == "+12" and signed(0) == "0"
    assert signed(-1500000, "rupiah") == "−Rp 1.500.000"
    assert month(datetime.date(2024, 6, 1)) == "Juni 2024"


def test_it_neutralises_text_that_a_spreadsheet_would_run(db):
    """A name beginning with = + - @ is stored with a leading apostrophe, as text."""
    assert [safe_text(t) for t in ["=1+1", "+62", "-x", "@SUM(A1)", "Sumur"]] == [
        "'=1+1",
        "'+62",
        "'-x",
        "'@SUM(A1)",
        "Sumur",
    ]
    Village.objects.filter(code="36.02.01.2002").update(name='=HYPERLINK("http://x","klik")')
    wb = load_workbook(io.BytesIO(render_xlsx(report_figures(region_code="36.02", period=PERIOD))))
    names = [row[1] for row in wb["Desa-Kelurahan"].iter_rows(min_row=6, values_only=True)]
    assert '\'=HYPERLINK("http://x","klik")' in names
    assert not any(cell.data_type == "f" for ws in wb for row in ws.iter_rows() for cell in row)


def test_it_stores_numbers_as_numbers(world):
    """Every figure cell of the summary is an int, formatted with thousands separators."""
    wb = load_workbook(io.BytesIO(render_xlsx(report_figures(region_code="36", period=PERIOD))))
    assert wb.sheetnames == ["Ringkasan", "Kabupaten-Kota", "Kecamatan", "Desa-Kelurahan"]
    ws = wb["Ringkasan"]
    for row in ws.iter_rows(min_row=6):
        assert all(isinstance(c.value, int) for c in row[3:6])
        assert row[3].number_format in ("#,##0", '"Rp" #,##0')
    assert wb["Kabupaten-Kota"].max_row == 5 + 8
    assert wb["Desa-Kelurahan"].max_row == 5 + Village.objects.count()


def test_it_draws_the_chart_as_a_png(world):
    """Cases by stage, this month against last: a PNG image."""
    png = render_chart(report_figures(region_code="36.01", period=PERIOD))
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
