"""The XLSX attachment: a summary sheet, then the regencies (province report), districts and
villages side by side. Numbers are stored as numbers; text that a spreadsheet would run as a
formula is neutralised.

A reader sees Indonesian headers only. The machine keys other systems read the figures by
(`stage_1`, `aid_food_amount`...) stay in place but hidden: column B of the summary, and
row 5 of each area sheet, right under the headers."""

import io

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..formatting import month
from ..metrics import GROWTH_RATES, METRICS, RUPIAH, SECTIONS
from ..selectors import Area, ReportFigures
from .xlsx_women import women_sheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = PatternFill("solid", fgColor="E8F0EF")
KEY_COLUMN, KEY_ROW = "B", 5  # hidden: the metric keys of the summary's rows, of the area sheets' columns
BOLD = Font(bold=True)


def safe_text(text: str) -> str:
    """A text cell that begins like a formula gets a leading apostrophe (OWASP CSV injection)."""
    text = str(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def number_format(key: str) -> str:
    return '"Rp" #,##0' if METRICS[key].unit == RUPIAH else "#,##0"


def render_xlsx(figures: ReportFigures) -> bytes:
    with translation.override("id"):
        return _workbook(figures)


def _workbook(figures: ReportFigures) -> bytes:
    wb = Workbook()
    _summary(wb.active, figures)
    if figures.is_province:
        _area_sheet(wb.create_sheet("Kabupaten-Kota"), figures, figures.areas, "Kabupaten/kota", None)
    _area_sheet(wb.create_sheet("Kecamatan"), figures, figures.districts, "Kecamatan", "Kabupaten/kota")
    _area_sheet(wb.create_sheet("Desa-Kelurahan"), figures, figures.villages, "Desa/kelurahan", "Kecamatan")
    women_sheet(wb, figures, header=_header, safe_text=safe_text)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _summary(ws, figures: ReportFigures) -> None:
    ws.title = "Ringkasan"
    ws.append([safe_text("Laporan Bulanan Pemberdayaan Masyarakat")])
    ws.append([safe_text(figures.region_name)])
    ws.append(
        [safe_text(f"Periode {month(figures.period)}, dibandingkan dengan {month(figures.previous_period)}")]
    )
    ws.append([])
    ws["A1"].font = Font(bold=True, size=14)
    headers = ["Bagian", "kode", "Indikator", month(figures.period), month(figures.previous_period),
               "Perubahan", f"Kumulatif s.d. {month(figures.period)}"]  # fmt: skip
    _header(ws, headers)
    for _key, title, metrics in SECTIONS:
        for m in metrics:
            v = figures.figures[m.key]
            ws.append(
                [safe_text(title), m.key, safe_text(m.label), v.current, v.previous, v.change, v.cumulative]
            )
            for col in range(4, 8):
                ws.cell(ws.max_row, col).number_format = number_format(m.key)
        if _key == "growth":
            _rate_rows(ws, title, figures.total)
    _widths(ws, [38, 26, 52, 16, 16, 16, 22])
    ws.column_dimensions[KEY_COLUMN].hidden = True
    ws.freeze_panes = "D6"


PERCENT_FORMAT = "0.0"


def _rates(area: Area) -> list:
    """Coverage and prevalence (%) of an area, this month and last, as the selector derived them."""
    return [
        (
            getattr(area.growth, attr) if area.growth else None,
            getattr(area.growth_previous, attr) if area.growth_previous else None,
        )
        for _key, _label, attr in GROWTH_RATES
    ]


def _rate_rows(ws, title: str, area: Area) -> None:
    for (key, label, _attr), (now, before) in zip(GROWTH_RATES, _rates(area), strict=True):
        change = None if now is None or before is None else now - before
        ws.append([safe_text(title), key, safe_text(label), now, before, change, None])
        for col in range(4, 7):
            ws.cell(ws.max_row, col).number_format = PERCENT_FORMAT


def _area_sheet(ws, figures: ReportFigures, areas: list[Area], kind: str, parent: str | None) -> None:
    ws.append([safe_text(f"{figures.region_name}: per {kind.lower()}, {month(figures.period)}")])
    ws["A1"].font = Font(bold=True)
    ws.append(["Posisi kasus dan usulan pada akhir bulan; angka lain adalah kejadian dalam bulan itu."])
    ws.append([])
    keys = list(METRICS)
    rate_keys = [key for key, _label, _attr in GROWTH_RATES]
    fixed = ["Kode wilayah", kind] + ([parent] if parent else [])
    labels = [safe_text(METRICS[k].label) for k in keys] + [
        safe_text(label) for _k, label, _a in GROWTH_RATES
    ]
    _header(ws, fixed + labels)
    ws.append([None] * len(fixed) + keys + rate_keys)  # machine-readable keys under the labels
    ws.row_dimensions[KEY_ROW].hidden = True
    formats = [number_format(k) for k in keys] + [PERCENT_FORMAT] * len(rate_keys)
    for row_index, area in enumerate(areas, start=6):
        parent_cells = [safe_text(area.parent_name)] if parent else []
        numbers = [area.figures[k].current for k in keys] + [now for now, _before in _rates(area)]
        ws.append([area.code, safe_text(area.name), *parent_cells] + numbers)
        for col, fmt in enumerate(formats, start=len(fixed) + 1):
            ws.cell(row_index, col).number_format = fmt
    _widths(ws, [16, 28] + ([24] if parent else []) + [14] * (len(keys) + len(rate_keys)))
    ws.freeze_panes = ws.cell(6, len(fixed) + 1).coordinate


def _header(ws, values: list) -> None:
    ws.append(values)
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _widths(ws, widths: list[int]) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
