"""The renderers: formats, formula neutralising, the chart, the email's MIME structure."""

import datetime
import io

from matplotlib import pyplot as plt
from openpyxl import load_workbook

from regions.models import Village
from reports.formatting import month, number, rupiah, signed
from reports.metrics import GROWTH_RATES, METRICS, STAGE_KEYS, Value
from reports.renderers import render_chart, render_xlsx
from reports.renderers.chart import NO_DATA, chart_figure
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
    assert wb.sheetnames == ["Ringkasan", "Kabupaten-Kota", "Kecamatan", "Desa-Kelurahan", "Perempuan"]
    ws = wb["Ringkasan"]
    for row in ws.iter_rows(min_row=6):
        if row[1].value.endswith("_pct"):  # growth percentages: tests/reports/test_growth.py
            continue
        assert all(isinstance(c.value, int) for c in row[3:6])
        assert row[3].number_format in ("#,##0", '"Rp" #,##0')
    assert wb["Kabupaten-Kota"].max_row == 5 + 8
    assert wb["Desa-Kelurahan"].max_row == 5 + Village.objects.count()


def test_it_draws_the_chart_as_a_png(world):
    """Cases by stage, this month against last: a PNG image."""
    png = render_chart(report_figures(region_code="36.01", period=PERIOD))
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000


def y_axis(figures) -> tuple[list[str], tuple[float, float], list[str]]:
    """The chart's y tick labels, its y range and every text drawn on it, as matplotlib has them."""
    fig = chart_figure(figures)
    try:
        fig.canvas.draw()
        ax = fig.axes[0]
        return [t.get_text() for t in ax.get_yticklabels()], ax.get_ylim(), [t.get_text() for t in ax.texts]
    finally:
        plt.close(fig)


def test_it_draws_an_axis_of_zero_to_one_saying_no_data_when_every_stage_is_zero(db):
    """No case in either month: the axis reads 0 and 1 (not 1, 0, 0, 0, 0, 0) and the chart
    says "Belum ada data"; it is still a PNG."""
    figures = report_figures(region_code="36.04", period=PERIOD)
    assert not any(figures.figures[k].current or figures.figures[k].previous for k in STAGE_KEYS)
    labels, limits, texts = y_axis(figures)
    assert labels == ["0", "1"]
    assert limits == (0, 1)
    assert NO_DATA in texts
    assert render_chart(figures).startswith(b"\x89PNG\r\n\x1a\n")


def test_its_axis_ticks_are_distinct_whole_numbers_for_small_counts(db):
    """Two or three cases: ticks 0, 1, 2, 3, each once, and no "no data" note."""
    figures = report_figures(region_code="36.04", period=PERIOD)
    figures.total.figures["stage_1"] = Value(current=2, previous=1)
    figures.total.figures["stage_2"] = Value(current=3, previous=3)
    labels, limits, texts = y_axis(figures)
    assert labels == sorted(set(labels), key=int) and {"0", "1", "2", "3"} <= set(labels)
    assert all(label.isdigit() for label in labels)
    assert limits[1] > 3
    assert NO_DATA not in texts


def test_its_axis_uses_indonesian_thousands_for_large_counts(db):
    figures = report_figures(region_code="36.04", period=PERIOD)
    figures.total.figures["stage_1"] = Value(current=12_500, previous=9_000)
    labels, _limits, _texts = y_axis(figures)
    assert "12.000" in labels and len(labels) == len(set(labels))


def visible_cells(ws) -> list:
    """The values a reader sees: every cell outside the hidden rows and columns."""
    hidden_columns = {letter for letter, dim in ws.column_dimensions.items() if dim.hidden}
    hidden_rows = {index for index, dim in ws.row_dimensions.items() if dim.hidden}
    return [
        cell.value
        for row in ws.iter_rows()
        for cell in row
        if cell.column_letter not in hidden_columns and cell.row not in hidden_rows and cell.value is not None
    ]


def test_its_xlsx_shows_indonesian_headers_and_hides_the_machine_keys(world):
    """No visible `stage_1` or "Kode" column: the keys sit in the hidden column B of the summary
    and the hidden row 5 of each area sheet, where other systems still read them."""
    wb = load_workbook(io.BytesIO(render_xlsx(report_figures(region_code="36", period=PERIOD))))
    for ws in wb:
        shown = visible_cells(ws)
        assert not set(METRICS) & set(shown), ws.title
        assert "Kode" not in shown and "kode" not in shown, ws.title
    summary = wb["Ringkasan"]
    assert summary.column_dimensions["B"].hidden
    assert [c.value for c in summary[5]][:4] == ["Bagian", "kode", "Indikator", "Juni 2024"]
    keys = [row[1] for row in summary.iter_rows(min_row=6, values_only=True)]
    rates = [key for key, _label, _attr in GROWTH_RATES]  # after the growth section's counts
    after = list(METRICS).index("growth_followups_closed") + 1
    assert keys == list(METRICS)[:after] + rates + list(METRICS)[after:]
    for name in ("Kabupaten-Kota", "Kecamatan", "Desa-Kelurahan"):
        ws = wb[name]
        assert ws.row_dimensions[5].hidden and not ws.row_dimensions[4].hidden
        assert [c.value for c in ws[5] if c.value] == list(METRICS) + rates
        assert ws["A4"].value == "Kode wilayah" and ws["A6"].value.startswith("36")
        assert METRICS["stage_1"].label in [c.value for c in ws[4]]
