"""`{% growth_badges measurement %}`: a measurement's statuses in words and colour, the
same on the session, the child's page and the household page; `{% growth_row row %}`: one
toddler's row of the posyandu session.

Both are written in Python, not as template includes: a session page has 50 rows, and the
template engine spent 1 to 2.5 ms on each (its forms, includes and badges), most of the
page's time; here a row costs a tenth of that. The markup is what the templates wrote.
"""

import datetime
from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils.formats import localize, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from beneficiaries.growth.who import HazStatus, WazStatus, WhzStatus
from core import formatting

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


# Each indicator's labels by code ("normal" is each one's own): dicts, not get_FOO_display(),
# which rebuilds a dict of the field's choices on every call.
HAZ_LABELS, WAZ_LABELS, WHZ_LABELS = (dict(s.choices) for s in (HazStatus, WazStatus, WhzStatus))


def tone(code: str) -> str:
    return TONES.get(code, "ok")


@register.simple_tag
def growth_badges(measurement) -> SafeString:
    """Three badges (TB/U, BB/U, BB/TB) with the indicator named, and the re-measure flag."""
    badges = [
        (_("TB/U"), HAZ_LABELS.get(measurement.haz_status, measurement.haz_status), tone(measurement.haz_status)),
        (_("BB/U"), WAZ_LABELS.get(measurement.waz_status, measurement.waz_status), tone(measurement.waz_status)),
    ]
    if measurement.whz_status:
        badges.append((_("BB/TB"), WHZ_LABELS.get(measurement.whz_status, measurement.whz_status), tone(measurement.whz_status)))
    else:
        badges.append((_("BB/TB"), _("tidak dihitung"), "none"))
    spans = format_html_join(
        "",
        '<span class="badge badge-growth-{}"><span class="indicator">{}</span> {}</span> ',
        ((t, indicator, label) for indicator, label, t in badges),
    )
    flag = (
        format_html('<span class="badge badge-growth-flag">{}</span>', _("Perlu diukur ulang"))
        if measurement.flagged
        else ""
    )
    return format_html('<span class="growth-badges">{}{}</span>', spans, flag)


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


# ---------------------------------------------------------------- the session's row


@register.simple_tag(takes_context=True)
def growth_row(context, row) -> SafeString:
    """One toddler of the session (`row`, a views.growth.SessionRow): who, last month's
    values, this month's result, and the form that saves the row. Needs `session` and the
    request's `csrf_token` in the context."""
    person, form, session = row.person, row.form, context["session"]
    measured = " is-measured" if row.this_month else ""
    age = ngettext("%(n)s bulan", "%(n)s bulan", row.age_months) % {"n": row.age_months}
    corrects = row.this_month is not None and row.this_month.measured_on == session.day
    return format_html(
        '\n<li class="growth-row{}" id="{}">\n  <div class="growth-who">\n'
        '    <a class="title" href="{}">{}</a>\n    <span class="meta">{} · {}</span>\n  </div>\n'
        '  <div class="meta">{} {}</div>\n'
        '  <div class="growth-result" role="status" aria-live="polite">{}</div>\n'
        '  <form method="post" action="{}?{}" class="growth-form" data-growth-row novalidate>\n'
        "    {}\n    {}\n    {}\n    {}\n"
        '    <div class="growth-fields">\n      {}\n      {}\n      {}\n    </div>\n'
        "    <details{}>\n      <summary>{}</summary>\n"
        '      <div class="growth-fields">\n        {}\n        {}\n      </div>\n    </details>\n'
        '    <button type="submit">{}<span class="visually-hidden"> {}</span></button>\n  </form>\n</li>',
        measured, row.anchor,
        reverse("child_detail", args=[person.pk]), person.full_name, age, person.get_sex_display(),
        _("Bulan lalu:"), _last_month(row.last_month),
        _this_month(row.this_month, saved=row.saved),
        reverse("growth_measure", args=[person.pk]), session.query(),
        _csrf_input(context), _form_errors(form),
        _hidden(form["measured_on"]), _hidden(form["posyandu"]),
        _text_input(form["weight_kg"], 6), _text_input(form["height_cm"], 6), _select(form["position"]),
        _open_if(form), _("LiLA dan lingkar kepala (bila diukur)"),
        _text_input(form["muac_cm"], 5), _text_input(form["head_cm"], 5),
        _("Perbaiki") if corrects else _("Simpan"), person.full_name,
    )  # fmt: skip


def _last_month(m) -> SafeString:
    if m is None:
        return format_html("{}", _("belum diukur"))
    return format_html("{} kg · {} cm · {}", measure(m.weight_kg), measure(m.height_cm), growth_badges(m))


def _this_month(m, *, saved: bool) -> SafeString | str:
    if m is None:
        return ""
    two_t = format_html(' <span class="badge badge-growth-bad">{}</span>', _("2T: rujuk ke puskesmas"))
    return format_html(
        "\n    <b>{}{}</b> {} kg · {} cm\n"
        '    <span class="badge badge-sign-{}">{}: {}</span>{}\n    <div>{}</div>',
        format_html("{} ", _("Tersimpan.")) if saved else "",
        _("Bulan ini (%(date)s):") % {"date": formatting.long_date(m.measured_on)},
        measure(m.weight_kg), measure(m.height_cm),
        sign_tone(m.growth_sign), m.growth_sign, m.get_growth_sign_display(), two_t if m.two_t else "",
        growth_badges(m),
    )  # fmt: skip


def _csrf_input(context) -> SafeString | str:
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


def _form_errors(form) -> SafeString | str:
    if not form.errors:
        return ""
    items = [format_html("<li>{}</li>", e) for e in form.non_field_errors()]
    items += [format_html("<li>{}</li>", e) for f in form.hidden_fields() for e in f.errors]
    items += [
        format_html('<li><a href="#{}">{}</a>: {}</li>', f.id_for_label, f.label, f.errors[0])
        for f in form.visible_fields()
        if f.errors
    ]
    return format_html(
        '<div class="msg msg-error" role="alert">\n      <p>{}</p>\n      <ul>{}</ul>\n    </div>',
        _("Belum tersimpan:"),
        mark_safe("".join(items)),  # each item escaped by format_html
    )


def _value(field) -> str:
    value = field.value()
    return "" if value is None else str(localize(value))


def _hidden(field) -> SafeString:
    value = field.value()
    if isinstance(value, datetime.date):
        value = value.isoformat()
    return format_html(
        '<input type="hidden" name="{}" value="{}">', field.html_name, "" if value is None else localize(value)
    )


def _errors_list(field) -> SafeString | str:
    if not field.errors:
        return ""
    return format_html(
        '<ul class="errorlist" id="{}_error">{}</ul>',
        field.auto_id,
        format_html_join("", "<li>{}</li>", ((e,) for e in field.errors)),
    )


def _text_input(field, maxlength: int) -> SafeString:
    invalid = ""
    if field.errors:
        autofocus = " autofocus" if field.field.widget.attrs.get("autofocus") else ""
        invalid = format_html(' aria-invalid="true" aria-describedby="{}_error"{}', field.auto_id, autofocus)
    return format_html(
        '<div class="field"><label for="{}">{}</label>{}<input type="text" name="{}" id="{}" value="{}" '
        'inputmode="decimal" autocomplete="off" maxlength="{}"{}{}></div>',
        field.auto_id, field.label, _errors_list(field), field.html_name, field.auto_id, _value(field),
        maxlength, " required" if field.field.required else "", invalid,
    )  # fmt: skip


def _select(field) -> SafeString:
    chosen = field.value()
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == chosen else "", label) for value, label in field.field.choices),
    )
    return format_html(
        '<div class="field"><label for="{}">{}</label>{}\n        <select name="{}" id="{}">{}</select></div>',
        field.auto_id, field.label, _errors_list(field), field.html_name, field.auto_id, options,
    )  # fmt: skip


def _open_if(form) -> str:
    muac, head = form["muac_cm"], form["head_cm"]
    return " open" if muac.errors or head.errors or muac.value() or head.value() else ""
