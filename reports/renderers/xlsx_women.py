"""The XLSX sheet "Perempuan": the women's programme funnel, household businesses,
graduations with their income, per area the funnel, and per regency sectors against the
zone's focus. Numbers as numbers (rupiah formatted), from the same figures as the email."""

from openpyxl.styles import Font

from beneficiaries.models.business import ZONE_FOCUS
from beneficiaries.models.groups import Sector

from ..formatting import month
from ..selectors import ReportFigures
from ..women_selectors import FUNNEL_KEYS
from .women import TITLE

RUPIAH_FORMAT = '"Rp" #,##0'


def women_sheet(wb, figures: ReportFigures, *, header, safe_text) -> None:
    women = figures.women
    if women is None:
        return
    ws = wb.create_sheet("Perempuan")
    ws.append([safe_text(f"{TITLE}: {figures.region_name}, {month(figures.period)}")])
    ws["A1"].font = Font(bold=True)
    ws.append([])
    header(ws, ["Tahap", month(figures.period), month(figures.previous_period), "Kepala keluarga perempuan"])
    for key, label in FUNNEL_KEYS:
        ws.append(
            [label, women.funnel.get(key), women.funnel_previous.get(key), women.funnel.get(f"fh_{key}")]
        )
    ws.append(
        [
            "Median omzet per bulan pada 6 bulan (Rp)",
            women.funnel.median_revenue_6m,
            women.funnel_previous.median_revenue_6m,
            women.funnel.fh_median_revenue_6m,
        ]
    )
    _money_row(ws)
    b, g = women.businesses, women.graduations
    ws.append([])
    header(ws, ["Usaha rumah tangga", "Jumlah", "Masih berjalan", "Median omzet per bulan (Rp)"])
    ws.append(["Usaha", b.total, b.running, b.median_revenue])
    ws.cell(ws.max_row, 4).number_format = RUPIAH_FORMAT
    ws.append([])
    header(
        ws, ["Lulus mandiri", "Bulan ini", "Bulan lalu", "Median pendapatan (Rp)", "Jumlah pendapatan (Rp)"]
    )
    ws.append(["Rumah tangga", g.count, g.previous, g.median_income, g.total_income])
    for col in (4, 5):
        ws.cell(ws.max_row, col).number_format = RUPIAH_FORMAT
    ws.append([])
    header(ws, ["Wilayah", *[label for _k, label in FUNNEL_KEYS], "Median omzet 6 bulan (Rp)"])
    for a in women.areas:
        ws.append([safe_text(a.name), *[a.get(k) for k, _l in FUNNEL_KEYS], a.median_revenue_6m])
        ws.cell(ws.max_row, 2 + len(FUNNEL_KEYS)).number_format = RUPIAH_FORMAT
    ws.append([])
    header(ws, ["Kabupaten/kota", "Zona", "Bidang", "Usaha", "Badan usaha", "Sesuai fokus zona"])
    for s in women.sectors:
        for sector in sorted(set(s.businesses) | set(s.enterprises)):
            ws.append(
                [
                    safe_text(s.name),
                    safe_text(s.zone_label),
                    safe_text(str(Sector(sector).label)),
                    s.businesses.get(sector, 0),
                    s.enterprises.get(sector, 0),
                    "ya" if _in_focus(s, sector) else "tidak",
                ]
            )
    for letter, width in zip("ABCDEF", [40, 18, 18, 26, 14, 18], strict=True):
        ws.column_dimensions[letter].width = width


def _in_focus(row, sector: str) -> bool:
    return sector in ZONE_FOCUS.get(row.zone, frozenset())


def _money_row(ws) -> None:
    for col in (2, 3, 4):
        ws.cell(ws.max_row, col).number_format = RUPIAH_FORMAT
