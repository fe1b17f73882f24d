"""Indonesian formats as the programme's officials write them (Django's own, with full
month names instead of abbreviations)."""

from django.conf.locale.id.formats import *  # noqa: F403

DATE_FORMAT = "j F Y"  # 12 Maret 2025
DATETIME_FORMAT = "j F Y, H.i"
SHORT_DATE_FORMAT = "d-m-Y"
SHORT_DATETIME_FORMAT = "d-m-Y H.i"
