"""The template context shared by the email, the PDF and the browser preview."""

from django.utils import timezone, translation

from ..formatting import long_date, month, number, percent, points, row, value
from ..metrics import AREA_COLUMNS, GROWTH_RATES, METRICS, SECTIONS
from ..selectors import Area, ReportFigures
from .women import women_context

# What a regent reads in one minute: the body of the email, in four short groups.
HIGHLIGHTS = [
    ("Kasus pada akhir bulan", ["active", "stage_1", "stage_2", "stage_3", "graduated", "exited"]),
    (
        "Perpindahan dalam bulan",
        ["move_entry", "move_advance", "move_fallback", "move_graduate", "move_exit", "pending"],
    ),
    (
        "Bantuan dan usaha",
        [
            "aid_total_count",
            "aid_total_amount",
            "groups_formed",
            "enterprises_founded",
            "capital_disbursed_amount",
        ],
    ),
    ("Perempuan dan kegiatan", ["women_assisted", "women_attending", "activities_total"]),
]
EMAIL_AREA_COLUMNS = [
    "active",
    "graduated",
    "move_entry",
    "move_graduate",
    "aid_total_amount",
    "activities_total",
]
SHORT_LABELS = {
    "stage_1": "Tahap 1",
    "stage_2": "Tahap 2",
    "stage_3": "Tahap 3",
    "active": "Aktif",
    "graduated": "Mandiri",
    "exited": "Keluar",
    "move_entry": "Masuk",
    "move_graduate": "Lulus",
    "pending": "Usulan",
    "aid_total_count": "Bantuan",
    "aid_total_amount": "Bantuan (Rp)",
    "groups_formed": "Kelompok",
    "enterprises_founded": "Badan usaha",
    "capital_disbursed_amount": "Modal cair (Rp)",
    "women_attending": "Perempuan hadir",
    "activities_total": "Kegiatan",
}


# The email's own labels: short enough for one line beside a figure on a 360 px phone
# (the XLSX and the PDF carry the full labels of reports/metrics.py).
EMAIL_LABELS = {
    "active": "Kasus aktif",
    "stage_1": "Tahap 1: kebutuhan dasar",
    "stage_2": "Tahap 2: kemandirian",
    "stage_3": "Tahap 3: kelompok",
    "graduated": "Mandiri (lulus)",
    "exited": "Keluar",
    "move_entry": "Masuk program",
    "move_advance": "Naik tahap",
    "move_fallback": "Turun tahap",
    "move_graduate": "Lulus mandiri",
    "move_exit": "Keluar program",
    "pending": "Usulan menunggu",
    "aid_total_count": "Bantuan: jumlah",
    "aid_total_amount": "Bantuan: nilai",
    "groups_formed": "Kelompok dibentuk",
    "enterprises_founded": "Badan usaha baru",
    "capital_disbursed_amount": "Modal dicairkan",
    "women_assisted": "Perempuan dibantu",
    "women_attending": "Perempuan peserta",
    "activities_total": "Kegiatan mitra",
}


# The growth section of the email: the counts a regent reads first, then the rates.
GROWTH_EMAIL_LABELS = {
    "growth_toddlers": "Balita terdaftar",
    "growth_measured": "Balita diukur",
    "growth_stunted": "Stunting",
    "growth_wasted": "Wasting",
    "growth_underweight": "Berat badan kurang",
    "growth_followups_open": "Dalam pendampingan",
    "growth_followups_opened": "Pendampingan dibuka",
    "growth_followups_closed": "Pendampingan selesai",
}


def rate_rows(area: Area) -> list[dict]:
    """Coverage and prevalence of an area as display rows, change in percentage points."""
    rows = []
    for key, label, attr in GROWTH_RATES:
        now = getattr(area.growth, attr) if area.growth else None
        before = getattr(area.growth_previous, attr) if area.growth_previous else None
        change = None if now is None or before is None else now - before
        rows.append(
            {
                "key": key,
                "label": str(label),
                "short_label": str(label).removesuffix(" (%)"),
                "current": percent(now),
                "previous": percent(before),
                "change": points(now, before),
                "change_sign": 0 if change is None else (change > 0) - (change < 0),
                "cumulative": "",
            }
        )
    return rows


def _growth_area(area: Area) -> dict:
    f, g = area.figures, area.growth
    return {
        "name": area.name,
        "measured": f"{number(f['growth_measured'].current)}/{number(f['growth_toddlers'].current)}",
        "coverage": percent(g.coverage_pct if g else None),
        "stunted": number(f["growth_stunted"].current),
        "stunting": percent(g.stunting_pct if g else None),
        "wasted": number(f["growth_wasted"].current),
        "wasting": percent(g.wasting_pct if g else None),
        "underweight": number(f["growth_underweight"].current),
        "opened": number(f["growth_followups_opened"].current),
        "closed": number(f["growth_followups_closed"].current),
        "empty": not f["growth_toddlers"].current,
    }


def _growth(figures: ReportFigures) -> dict:
    total = figures.figures
    areas = [_growth_area(a) for a in figures.areas]
    return {
        "rows": [{**row(k, total[k]), "short_label": label} for k, label in GROWTH_EMAIL_LABELS.items()],
        "rates": rate_rows(figures.total),
        "areas": areas,
        "shown": [a for a in areas if not a["empty"]] if len(areas) > 10 else areas,
        "total": _growth_area(figures.total),
    }


def _section_rows(figures: ReportFigures, key: str, metrics) -> list[dict]:
    rows = [row(m.key, figures.figures[m.key]) for m in metrics]
    return rows + rate_rows(figures.total) if key == "growth" else rows


def _highlight(key: str, value) -> dict:
    return {**row(key, value), "short_label": EMAIL_LABELS[key]}


def report_context(figures: ReportFigures, *, chart_src: str, recipient=None) -> dict:
    """The report is a document in Bahasa Indonesia, whatever language the reader's admin uses."""
    with translation.override("id"):
        return _context(figures, chart_src=chart_src, recipient=recipient)


def _context(figures: ReportFigures, *, chart_src: str, recipient=None) -> dict:
    total = figures.figures
    return {
        "figures": figures,
        "recipient": recipient,
        "region_name": figures.region_name,
        "period_label": month(figures.period),
        "previous_label": month(figures.previous_period),
        "generated_on": long_date(timezone.localdate()),
        "area_kind": "Kabupaten/kota" if figures.is_province else "Kecamatan",
        "chart_src": chart_src,
        "highlights": [
            {"title": title, "rows": [_highlight(key, total[key]) for key in keys]}
            for title, keys in HIGHLIGHTS
        ],
        "sections": [
            {"title": str(title), "rows": _section_rows(figures, key, metrics)}
            for key, title, metrics in SECTIONS
        ],
        "growth": _growth(figures),
        "women": women_context(figures),
        "email_areas": _areas(figures, EMAIL_AREA_COLUMNS),
        "areas": _areas(figures, AREA_COLUMNS),
        "totals": {key: row(key, total[key]) for key in METRICS},
    }


def _areas(figures: ReportFigures, columns: list[str]) -> dict:
    """The side-by-side table (the PDF and the XLSX list every area)."""
    rows = []
    for area in figures.areas:
        numbers = [area.figures[c].current for c in columns]
        cells = [
            {"label": _chip(c), "text": value(c, n), "zero": n == 0}
            for c, n in zip(columns, numbers, strict=True)
        ]
        rows.append({"name": area.name, "cells": cells, "empty": not any(numbers)})
    # The eight regencies always stand side by side; of a regency's many districts the email
    # lists those with something recorded and counts the rest.
    shown = rows if len(rows) <= 10 else [r for r in rows if not r["empty"]]
    return {
        "headers": [SHORT_LABELS[c] for c in columns],
        "stock_span": sum(METRICS[c].stock for c in columns),
        "flow_span": sum(not METRICS[c].stock for c in columns),
        "rows": rows,
        "shown": shown,
        "empty_count": len(rows) - len(shown),
        "total": [value(c, figures.figures[c].current) for c in columns],
        "total_cells": [{"label": _chip(c), "text": value(c, figures.figures[c].current)} for c in columns],
    }


def _chip(key: str) -> str:
    """An area's figure in the email reads `Aktif 12`, `Bantuan Rp 1.250.000`: the amount names its unit."""
    return SHORT_LABELS[key].removesuffix(" (Rp)")
