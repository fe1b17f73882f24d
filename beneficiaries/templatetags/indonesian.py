"""Rupiah and dates as Indonesians read them: `Rp 1.250.000`, `12 Maret 2025`."""

import datetime

from django import template
from django.utils import timezone

register = template.Library()

MONTHS = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip


@register.filter
def rupiah(value) -> str:
    """Whole rupiah with dots between thousands; blank for no value."""
    if value is None or value == "":
        return "—"
    amount = int(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(amount):,}".replace(",", ".")


@register.filter
def tanggal(value) -> str:
    """A date (or the local date of a datetime) as `12 Maret 2025`."""
    if not value:
        return "—"
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


@register.filter
def tanggal_jam(value) -> str:
    """A moment as `12 Maret 2025, 14.30` in local (WIB) time."""
    if not value:
        return "—"
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{tanggal(local)}, {local:%H.%M}"
