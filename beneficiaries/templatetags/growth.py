"""`{% growth_badges measurement %}`: a measurement's statuses in words and colour, the
same on the session, the child's page and the household page."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from beneficiaries.growth.who import HazStatus, WazStatus, WhzStatus

register = template.Library()

# The colour of a status: bad (severe), warn (moderate or a flag), ok (normal), over.
TONES = {
    HazStatus.SEVERELY_STUNTED: "bad",
    HazStatus.STUNTED: "warn",
    HazStatus.NORMAL: "ok",
    HazStatus.TALL: "over",
    WazStatus.SEVERELY_UNDERWEIGHT: "bad",
    WazStatus.UNDERWEIGHT: "warn",
    WazStatus.RISK_OF_OVERWEIGHT: "over",
    WhzStatus.SEVERELY_WASTED: "bad",
    WhzStatus.WASTED: "warn",
    WhzStatus.POSSIBLE_RISK_OF_OVERWEIGHT: "over",
    WhzStatus.OVERWEIGHT: "over",
    WhzStatus.OBESE: "bad",
}


def tone(code: str) -> str:
    return TONES.get(code, "ok")


@register.inclusion_tag("pages/_growth_badges.html")
def growth_badges(measurement) -> dict:
    """Three badges (TB/U, BB/U, BB/TB) with the indicator named, and the re-measure flag."""
    badges = [
        (_("TB/U"), measurement.get_haz_status_display(), tone(measurement.haz_status)),
        (_("BB/U"), measurement.get_waz_status_display(), tone(measurement.waz_status)),
    ]
    if measurement.whz_status:
        badges.append((_("BB/TB"), measurement.get_whz_status_display(), tone(measurement.whz_status)))
    else:
        badges.append((_("BB/TB"), _("tidak dihitung"), "none"))
    return {"badges": badges, "measurement": measurement}


@register.filter
def sign_tone(sign: str) -> str:
    return {"N": "ok", "T": "warn"}.get(sign, "none")


@register.filter
def measure(value) -> str:
    """A weight or length as written, without trailing zeros, the Indonesian way: 10,9; 80."""
    if value is None or value == "":
        return "—"
    number = Decimal(value)
    number = number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()
    return number_format(number)


@register.filter
def page_query(session, number) -> str:
    """The session's address on that page of its known toddlers."""
    return session.page_query(number)


@register.filter
def new_page_query(session, number) -> str:
    """The session's address on that page of its new toddlers."""
    return session.new_page_query(number)
