"""Rupiah and dates as Indonesians read them: `Rp 1.250.000`, `12 Maret 2025`. Month
names and the time separator go through gettext, so English pages read `12 March 2025`."""

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from core import formatting

register = template.Library()


@register.filter
def rupiah(value) -> str:
    """Whole rupiah with dots between thousands; a dash for no value."""
    return formatting.rupiah(value)


@register.filter
def tanggal(value) -> str:
    """A date (or the local date of a datetime) as `12 Maret 2025`."""
    return formatting.long_date(value)


@register.filter
def tanggal_jam(value) -> str:
    """A moment as `12 Maret 2025, 14.30` in local (WIB) time."""
    if not value:
        return "—"
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return _("%(date)s, %(hh)s.%(mm)s") % {"date": tanggal(local), "hh": f"{local:%H}", "mm": f"{local:%M}"}
