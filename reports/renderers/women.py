"""The women's economic empowerment section as display rows: the same figures for the
email (text and HTML), the PDF and the XLSX (reports/women_selectors.py computes them)."""

from decimal import Decimal

from core.formatting import EMPTY, number, rupiah

from ..formatting import percent, signed
from ..selectors import ReportFigures
from ..women_selectors import FUNNEL_KEYS, WomenEconomy

TITLE = "Pemberdayaan ekonomi perempuan"


def _money(n: int | None) -> str:
    return rupiah(n) if n is not None else EMPTY


def funnel_rows(women: WomenEconomy) -> list[dict]:
    """Each step of the funnel: now, last month, the change; and for female-headed households."""
    rows = []
    for key, label in FUNNEL_KEYS:
        now, before = women.funnel.get(key), women.funnel_previous.get(key)
        rows.append(
            {
                "key": key,
                "label": label,
                "current": number(now),
                "previous": number(before),
                "change": signed(now - before),
                "female_headed": number(women.funnel.get(f"fh_{key}")),
                "raw": (now, before, women.funnel.get(f"fh_{key}")),
            }
        )
    m_now, m_before = women.funnel.median_revenue_6m, women.funnel_previous.median_revenue_6m
    rows.append(
        {
            "key": "median_revenue_6m",
            "label": "Median omzet per bulan pada 6 bulan",
            "current": _money(m_now),
            "previous": _money(m_before),
            "change": signed(m_now - m_before, "rupiah")
            if m_now is not None and m_before is not None
            else EMPTY,
            "female_headed": _money(women.funnel.fh_median_revenue_6m),
            "raw": (m_now, m_before, women.funnel.fh_median_revenue_6m),
        }
    )
    return rows


def _share(n: int, total: int) -> str:
    return percent(Decimal(100 * n) / Decimal(total)) if total else EMPTY


def women_context(figures: ReportFigures) -> dict | None:
    women = figures.women
    if women is None:
        return None
    b, g = women.businesses, women.graduations
    return {
        "title": TITLE,
        "funnel": funnel_rows(women),
        "areas": [
            {
                "name": a.name,
                "cells": [number(a.get(k)) for k, _label in FUNNEL_KEYS],
                "median": _money(a.median_revenue_6m),
            }
            for a in women.areas
        ],
        "area_headers": ["Terdaftar", "Terlatih", "Usaha", "Modal", "Berjalan 6 bln", "Median omzet"],
        "businesses": {
            "line": (
                f"Usaha rumah tangga: {number(b.running)} dari {number(b.total)} masih berjalan pada "
                f"kunjungan terakhir; median omzet {_money(b.median_revenue)} per bulan."
            ),
            "total": b.total,
            "running": b.running,
            "median": b.median_revenue,
        },
        "graduations": {
            "line": (
                f"Lulus mandiri bulan ini: {number(g.count)} rumah tangga ({signed(g.count - g.previous)} "
                f"dibanding bulan lalu); median pendapatan {_money(g.median_income)} per bulan."
            ),
            "count": g.count,
            "previous": g.previous,
            "median": g.median_income,
            "total_income": g.total_income,
        },
        "sectors": [
            {
                "name": s.name,
                "zone": s.zone_label,
                "focus": s.focus_label,
                "businesses": ", ".join(f"{label} {number(n)}" for label, n, _f in s.businesses_items)
                or EMPTY,
                "enterprises": ", ".join(f"{label} {number(n)}" for label, n, _f in s.enterprises_items)
                or EMPTY,
                "in_focus": f"{number(s.in_focus)}/{number(s.total)} ({_share(s.in_focus, s.total)})",
                "row": s,
            }
            for s in women.sectors
        ],
    }
