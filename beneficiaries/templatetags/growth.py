"""`{% growth_badges measurement %}`: a measurement's statuses in words and colour, the
same on the session, the child's page and the household page; `{% growth_row row %}`: one
toddler's row of the posyandu session.

Both are written in Python, not as template includes: a session page has 50 rows, and the
template engine spent 1 to 2.5 ms on each (its forms, includes and badges), most of the
page's time; here a row costs a tenth of that. The markup is what the templates wrote.
"""

import datetime
import functools
import html
from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils.formats import localize, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

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
    m = measurement
    return _badges(m.haz_status, m.waz_status, m.whz_status, bool(m.flagged), get_language())


@functools.lru_cache(maxsize=1024)
def _badges(haz: str, waz: str, whz: str, flagged: bool, language: str | None) -> SafeString:
    """The badges of one combination of statuses in one language: a few hundred there are,
    and a session page shows two for each of its 50 rows."""
    badges = [
        (_("TB/U"), HAZ_LABELS.get(haz, haz), tone(haz)),
        (_("BB/U"), WAZ_LABELS.get(waz, waz), tone(waz)),
        (_("BB/TB"), WHZ_LABELS.get(whz, whz), tone(whz))
        if whz
        else (_("BB/TB"), _("tidak dihitung"), "none"),
    ]
    spans = format_html_join(
        "",
        '<span class="badge badge-growth-{}"><span class="indicator">{}</span> {}</span> ',
        ((t, indicator, label) for indicator, label, t in badges),
    )
    flag = (
        format_html('<span class="badge badge-growth-flag">{}</span>', _("Perlu diukur ulang"))
        if flagged
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


def esc(value) -> str:
    """Escaped as Django's templates escape, without their per-call overhead: a row has
    some 70 values."""
    return html.escape(str(value))


@register.simple_tag(takes_context=True)
def growth_row(context, row) -> SafeString:
    """One toddler of the session (`row`, a views.growth.SessionRow): who, last month's
    values, this month's result, and the form that saves the row. Needs `session` and the
    request's `csrf_token` in the context. Every value is escaped (`esc`) where it is put in;
    the row's fixed words (`_words`) and the page's addresses (`_page_parts`) are escaped
    once, not once a row."""
    person, form, session = row.person, row.form, context["session"]
    language = get_language()
    words, (child_path, measure_path, query, csrf) = _words(language), _page_parts(context, session)
    measured = " is-measured" if row.this_month else ""
    corrects = row.this_month is not None and row.this_month.measured_on == session.day
    name = esc(person.full_name)
    fields = _unbound_fields if not form.is_bound else _bound_fields
    weight, height, position, muac, head, day, posyandu = fields(form, language)
    opened = " open" if (muac[1] or head[1]) else ""
    return mark_safe(
        f'\n<li class="growth-row{measured}" id="anak-{person.pk}">\n  <div class="growth-who">\n'
        f'    <a class="title" href="{child_path(person.pk)}">{name}</a>\n'
        f'    <span class="meta">{_age(row.age_months, language)} · {_sex(person.sex, language)}</span>\n  </div>\n'
        f'  <div class="meta">{words["last"]} {_last_month(row.last_month)}</div>\n'
        f'  <div class="growth-result" role="status" aria-live="polite">{_this_month(row.this_month, saved=row.saved)}</div>\n'
        f'  <form method="post" action="{measure_path(person.pk)}?{query}" '
        'class="growth-form" data-growth-row novalidate>\n'
        f"    {csrf}\n    {_form_errors(form)}\n"
        f"    {day}\n    {posyandu}\n"
        f'    <div class="growth-fields">\n      {weight[0]}\n'
        f'      {height[0]}\n      {position}\n    </div>\n'
        f"    <details{opened}>\n      <summary>{words['more']}</summary>\n"
        f'      <div class="growth-fields">\n        {muac[0]}\n'
        f"        {head[0]}\n      </div>\n    </details>\n"
        f'    <button type="submit">{words["correct"] if corrects else words["save"]}'
        f'<span class="visually-hidden"> {name}</span></button>\n  </form>\n</li>'
    )  # fmt: skip


@functools.lru_cache(maxsize=8)
def _words(language: str | None) -> dict[str, str]:
    """The row's fixed words in one language, escaped."""
    return {
        "last": esc(_("Bulan lalu:")),
        "never": esc(_("belum diukur")),
        "more": esc(_("LiLA dan lingkar kepala (bila diukur)")),
        "save": esc(_("Simpan")),
        "correct": esc(_("Perbaiki")),
    }


@functools.lru_cache(maxsize=512)
def _age(months: int, language: str | None) -> str:
    return esc(ngettext("%(n)s bulan", "%(n)s bulan", months) % {"n": months})


@functools.lru_cache(maxsize=16)
def _sex(code: str, language: str | None) -> str:
    from beneficiaries.models import Person

    return esc(dict(Person._meta.get_field("sex").flatchoices).get(code, code))


@functools.lru_cache(maxsize=64)
def _label(name: str, language: str | None) -> str:
    from beneficiaries.forms import MeasurementRowForm

    return esc(MeasurementRowForm.base_fields[name].label)


_PK = 987654321  # a stand-in child id: the page's addresses are reversed once, not per row


def _page_parts(context, session) -> tuple:
    """The child's and the save's addresses (as functions of the child's id), the session's
    query and the CSRF input, escaped once for every row of one rendering."""
    parts = context.render_context.get("growth_row_parts")
    if parts is None:
        paths = []
        for view in ("child_detail", "growth_measure"):
            before, after = esc(reverse(view, args=[_PK])).split(str(_PK))
            paths.append(lambda pk, before=before, after=after: f"{before}{pk}{after}")
        parts = (paths[0], paths[1], esc(session.query()), _csrf_input(context))
        context.render_context["growth_row_parts"] = parts
    return parts


def _unbound_fields(form, language: str | None) -> tuple:
    """An unbound row's inputs straight from its initial values (the same markup as
    `_bound_fields`, without a bound field, its widget and its errors for each)."""
    initial = form.initial

    def value(name: str) -> str:
        v = initial.get(name)
        return "" if v is None or v == "" else esc(localize(v))

    def text(name: str, maxlength: int, required: bool) -> tuple[str, str]:
        html_name = form.add_prefix(name)
        shown = value(name)
        return (
            f'<div class="field"><label for="id_{html_name}">{_label(name, language)}</label>'
            f'<input type="text" name="{html_name}" id="id_{html_name}" value="{shown}" '
            f'inputmode="decimal" autocomplete="off" maxlength="{maxlength}"{" required" if required else ""}></div>',
            shown,
        )  # fmt: skip

    day = initial.get("measured_on")
    position_name = form.add_prefix("position")
    options = _options(tuple(form.fields["position"].choices), initial.get("position"), language)
    return (
        text("weight_kg", 6, True),
        text("height_cm", 6, True),
        f'<div class="field"><label for="id_{position_name}">{_label("position", language)}</label>\n'
        f'        <select name="{position_name}" id="id_{position_name}">{options}</select></div>',
        text("muac_cm", 5, False),
        text("head_cm", 5, False),
        f'<input type="hidden" name="{form.add_prefix("measured_on")}" '
        f'value="{esc(day.isoformat()) if isinstance(day, datetime.date) else value("measured_on")}">',
        f'<input type="hidden" name="{form.add_prefix("posyandu")}" value="{value("posyandu")}">',
    )


def _bound_fields(form, language: str | None) -> tuple:
    """A bound row's inputs (a row sent back with its errors) through its bound fields."""
    muac, head = form["muac_cm"], form["head_cm"]
    return (
        (_text_input(form["weight_kg"], 6), ""),
        (_text_input(form["height_cm"], 6), ""),
        _select(form["position"]),
        (_text_input(muac, 5), "1" if (muac.errors or muac.value()) else ""),
        (_text_input(head, 5), "1" if (head.errors or head.value()) else ""),
        _hidden(form["measured_on"]),
        _hidden(form["posyandu"]),
    )


def _last_month(m) -> str:
    if m is None:
        return _words(get_language())["never"]
    return f"{esc(measure(m.weight_kg))} kg · {esc(measure(m.height_cm))} cm · {growth_badges(m)}"


def _this_month(m, *, saved: bool) -> str:
    if m is None:
        return ""
    saved_text = f"{esc(_('Tersimpan.'))} " if saved else ""
    when = _("Bulan ini (%(date)s):") % {"date": formatting.long_date(m.measured_on)}
    two_t = f' <span class="badge badge-growth-bad">{esc(_("2T: rujuk ke puskesmas"))}</span>' if m.two_t else ""
    return (
        f"\n    <b>{saved_text}{esc(when)}</b> {esc(measure(m.weight_kg))} kg · {esc(measure(m.height_cm))} cm\n"
        f'    <span class="badge badge-sign-{sign_tone(m.growth_sign)}">{esc(m.growth_sign)}: '
        f"{esc(m.get_growth_sign_display())}</span>{two_t}\n    <div>{growth_badges(m)}</div>"
    )  # fmt: skip


def _csrf_input(context) -> str:
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(token)}">'


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
    return "" if value is None else esc(localize(value))


def _hidden(field) -> str:
    value = field.value()
    if isinstance(value, datetime.date):
        value = value.isoformat()
    shown = "" if value is None else esc(localize(value))
    return f'<input type="hidden" name="{esc(field.html_name)}" value="{shown}">'


def _errors_list(field) -> str:
    if not field.errors:
        return ""
    items = "".join(f"<li>{esc(e)}</li>" for e in field.errors)
    return f'<ul class="errorlist" id="{esc(field.auto_id)}_error">{items}</ul>'


def _text_input(field, maxlength: int) -> str:
    auto_id = esc(field.auto_id)
    required = " required" if field.field.required else ""
    invalid = ""
    if field.errors:
        autofocus = " autofocus" if field.field.widget.attrs.get("autofocus") else ""
        invalid = f' aria-invalid="true" aria-describedby="{auto_id}_error"{autofocus}'
    return (
        f'<div class="field"><label for="{auto_id}">{esc(field.label)}</label>{_errors_list(field)}'
        f'<input type="text" name="{esc(field.html_name)}" id="{auto_id}" value="{_value(field)}" '
        f'inputmode="decimal" autocomplete="off" maxlength="{maxlength}"{required}{invalid}></div>'
    )


def _select(field) -> str:
    auto_id = esc(field.auto_id)
    options = _options(tuple(field.field.choices), field.value(), get_language())
    return (
        f'<div class="field"><label for="{auto_id}">{esc(field.label)}</label>{_errors_list(field)}\n'
        f'        <select name="{esc(field.html_name)}" id="{auto_id}">{options}</select></div>'
    )


@functools.lru_cache(maxsize=64)
def _options(choices: tuple, chosen, language: str | None) -> SafeString:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == chosen else "", label) for value, label in choices),
    )
