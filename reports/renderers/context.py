"""The template context shared by the email, the PDF and the browser preview."""

from django.utils import timezone, translation

from ..formatting import long_date, month, row, value
from ..metrics import AREA_COLUMNS, METRICS, SECTIONS
from ..selectors import ReportFigures

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
            {"title": str(title), "rows": [row(m.key, total[m.key]) for m in metrics]}
            for _key, title, metrics in SECTIONS
        ],
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
