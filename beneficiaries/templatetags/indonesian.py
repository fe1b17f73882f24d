"""Rupiah and dates as Indonesians read them: `Rp 1.250.000`, `12 Maret 2025`. Month
names and the time separator go through gettext, so English pages read `12 March 2025`."""

import datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

register = template.Library()

MONTHS = [
    pgettext_lazy("nama bulan", "Januari"), pgettext_lazy("nama bulan", "Februari"),
    pgettext_lazy("nama bulan", "Maret"), pgettext_lazy("nama bulan", "April"),
    pgettext_lazy("nama bulan", "Mei"), pgettext_lazy("nama bulan", "Juni"),
    pgettext_lazy("nama bulan", "Juli"), pgettext_lazy("nama bulan", "Agustus"),
    pgettext_lazy("nama bulan", "September"), pgettext_lazy("nama bulan", "Oktober"),
    pgettext_lazy("nama bulan", "November"), pgettext_lazy("nama bulan", "Desember"),
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
    return _("%(date)s, %(hh)s.%(mm)s") % {"date": tanggal(local), "hh": f"{local:%H}", "mm": f"{local:%M}"}
