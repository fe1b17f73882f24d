"""Numbers, rupiah and dates as Indonesians read them; the one place every page, admin
list, API-free renderer and report uses: `1.250.000`, `Rp 1.250.000`, `12 Maret 2025`."""

import datetime

from django.utils import formats, timezone

EMPTY = "—"


def number(n: int | None) -> str:
    """Thousands separated by dots; a real minus sign for negatives."""
    if n is None:
        return EMPTY
    n = int(n)
    return ("−" if n < 0 else "") + f"{abs(n):,}".replace(",", ".")


def rupiah(amount: int | None) -> str:
    """Whole rupiah: `Rp 1.250.000` (`−Rp 50.000` for a negative change)."""
    if amount is None or amount == "":
        return EMPTY
    amount = int(amount)
    return ("−" if amount < 0 else "") + f"Rp {number(abs(amount))}"


def long_date(value: datetime.date | datetime.datetime | None) -> str:
    """`12 Maret 2025` in Indonesian, `12 March 2025` in English; datetimes in local time."""
    if not value:
        return EMPTY
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return formats.date_format(value, "j F Y")
