"""Indonesian number and date formats for the reports: `1.250.000`, `Rp 1.250.000`, `Juni 2024`."""

import datetime
from decimal import Decimal

from django.utils import formats, translation

from core import formatting
from core.formatting import number, rupiah

from .metrics import METRICS, RUPIAH, Value


def signed(n: int, unit: str = "count") -> str:
    """A change: `+12`, `−3` (a real minus sign), `0`; rupiah keeps its prefix."""
    if n == 0:
        return "0"
    sign = "+" if n > 0 else "−"
    body = rupiah(abs(n)) if unit == RUPIAH else number(abs(n))
    return f"{sign}{body}"


def percent(p: Decimal | None) -> str:
    """`12,3 %`; `—` when there is nothing to divide by."""
    if p is None:
        return formatting.EMPTY
    return ("−" if p < 0 else "") + f"{abs(p):.1f}".replace(".", ",") + " %"


def points(now: Decimal | None, before: Decimal | None) -> str:
    """The change of a percentage in points: `+1,2 poin`, `−0,5 poin`, `0`; `—` unknown."""
    if now is None or before is None:
        return formatting.EMPTY
    change = now - before
    if change == 0:
        return "0"
    return ("+" if change > 0 else "−") + f"{abs(change):.1f}".replace(".", ",") + " poin"


def month(day: datetime.date) -> str:
    with translation.override("id"):
        return formats.date_format(day, "F Y")


def long_date(day: datetime.date) -> str:
    """The report is in Bahasa Indonesia whatever the sender's language."""
    with translation.override("id"):
        return formatting.long_date(day)


def value(key: str, n: int | None) -> str:
    return rupiah(n) if METRICS[key].unit == RUPIAH else number(n)


def row(key: str, v: Value) -> dict:
    """One metric as display strings: label, this month, last month, change, cumulative."""
    metric = METRICS[key]
    return {
        "key": key,
        "label": str(metric.label),
        "current": value(key, v.current),
        "previous": value(key, v.previous),
        "change": signed(v.change, metric.unit),
        "change_sign": (v.change > 0) - (v.change < 0),
        "cumulative": "" if metric.stock else value(key, v.cumulative),
    }
