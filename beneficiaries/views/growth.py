"""Posyandu pages: the cadre's monthly session (one row per toddler, saved row by row),
the child's page with the growth chart, and the intervention form of a follow-up.

Every row is a plain form POST that redirects back to its anchor; `static/js/growth.js`
submits the same form with fetch (header `X-Requested-With: fetch`) and swaps in the row
the view answers with. The services decide; the policy only picks what to show.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs.models import Partner
from regions import policy
from regions.models import Level, level_of
from regions.selectors import villages_visible_to

from .. import growth_selectors
from ..forms import CloseFollowUpForm, InterventionForm, MeasurementRowForm, focus_first_error
from ..growth.chart import INDICATORS, render_growth_chart
from ..growth.who import LENGTH_BOARD_MONTHS, Position, age_in_months
from ..models import Person
from ..models.growth import Measurement
from ..services import growth as growth_services
from .common import run_service

# Toddlers a page, whatever the village's size. The cadre saves a row as each mother comes
# to the table, and on a phone a row is about a screen: 20 known toddlers are 20 screens,
# found by name with the browser's search or the pages. The new ones (members never
# measured) are the few a month who start their records: 10 a page below the known.
# Drawing a row costs the most of the page (its form and its 2.4 KiB), so 30 rows, not 50.
PER_PAGE = 20
NEW_PER_PAGE = 10
FRAGMENT_HEADER = "fetch"  # X-Requested-With of the row script's requests


@dataclass
class SessionRow:
    person: Person
    age_months: int
    last_month: Measurement | None
    this_month: Measurement | None
    form: MeasurementRowForm
    saved: bool = False

    @property
    def anchor(self) -> str:
        return f"anak-{self.person.pk}"


@dataclass
class Session:
    village: object
    day: datetime.date
    posyandu: Partner | None
    posyandus: list[Partner]
    page: str = ""  # of the known toddlers ("halaman")
    new_page: str = ""  # of the new ones ("baru")

    def query(self, **pages: str) -> str:
        """The session's address; `halaman`/`baru` given replace the current pages."""
        params = {"desa": self.village.code, "tanggal": self.day.isoformat()}
        if self.posyandu:
            params["posyandu"] = str(self.posyandu.pk)
        for key, value in (("halaman", self.page), ("baru", self.new_page)):
            value = str(pages.get(key, value) or "")
            if value:
                params[key] = value
        return urlencode(params)

    def page_query(self, number: int) -> str:
        return self.query(halaman=str(number))

    def new_page_query(self, number: int) -> str:
        return self.query(baru=str(number))


def _wants_fragment(request) -> bool:
    return request.headers.get("X-Requested-With") == FRAGMENT_HEADER


def _session_of(request, village_code: str | None) -> Session:
    """The village (the user's own, or one they chose below them), the day (today unless
    an earlier one is chosen) and the posyandu; 404 outside the user's region, 403 for a
    role that does not record growth."""
    user = request.user
    if not village_code and level_of(user.region_code or "") == Level.VILLAGE:
        village_code = user.region_code
    village = villages_visible_to(user).filter(code=village_code or "").select_related("district").first()
    if village is None:
        raise Http404(_("Desa tidak ditemukan di wilayah kerja Anda."))
    if not policy.may_record_growth(user, village.code):
        raise PermissionDenied(
            _("Peran Anda tidak dapat mencatat pemantauan pertumbuhan balita di desa ini.")
        )
    today = timezone.localdate()
    day = parse_date(request.GET.get("tanggal") or "") or today
    day = min(day, today)
    posyandus = list(
        Partner.objects.visible_to(user)
        .filter(kind=Partner.Kind.POSYANDU, region_code=village.code, is_active=True)
        .order_by("name")
    )
    chosen = request.GET.get("posyandu") or ""
    posyandu = next(
        (p for p in posyandus if str(p.pk) == chosen), posyandus[0] if len(posyandus) == 1 else None
    )
    return Session(
        village=village,
        day=day,
        posyandu=posyandu,
        posyandus=posyandus,
        page=request.GET.get("halaman") or "",
        new_page=request.GET.get("baru") or "",
    )


def _row_form(
    person: Person,
    session: Session,
    this_month: Measurement | None,
    data=None,
    *,
    blank: MeasurementRowForm | None = None,
):
    age = age_in_months(person.birth_date, session.day)
    same_day = this_month if this_month and this_month.measured_on == session.day else None
    initial = {
        "measured_on": session.day,
        "posyandu": session.posyandu.pk if session.posyandu else None,
        "position": Position.LYING if age < LENGTH_BOARD_MONTHS else Position.STANDING,
    }
    if same_day:  # saving again corrects that day's measurement
        initial.update(
            weight_kg=same_day.weight_kg,
            height_cm=same_day.height_cm,
            position=same_day.position,
            muac_cm=same_day.muac_cm or "",
            head_cm=same_day.head_cm or "",
        )
    if blank is not None and data is None:
        return blank.for_row(prefix=f"a{person.pk}", initial=initial)
    return MeasurementRowForm(data, prefix=f"a{person.pk}", initial=initial)


def _months(session: Session) -> tuple[datetime.date, datetime.date]:
    this_start = session.day.replace(day=1)
    last_start = (this_start - datetime.timedelta(days=1)).replace(day=1)
    return last_start, this_start


def _rows(people: list[Person], session: Session, *, bound: dict | None = None) -> list[SessionRow]:
    """Each child with last month's and this month's measurements (one query for all)."""
    last_start, this_start = _months(session)
    latest: dict[tuple[int, bool], Measurement] = {}
    measured = growth_selectors.session_measurements([p.pk for p in people], last_start, session.day)
    for m in measured:
        latest[(m.person_id, m.measured_on >= this_start)] = m
    rows, blank = [], MeasurementRowForm()
    for person in people:
        this_month = latest.get((person.pk, True))
        form = bound.get(person.pk) if bound else None
        rows.append(
            SessionRow(
                person=person,
                age_months=age_in_months(person.birth_date, session.day),
                last_month=latest.get((person.pk, False)),
                this_month=this_month,
                form=form or _row_form(person, session, this_month, blank=blank),
            )
        )
    return rows


def _page_number(value: str) -> int:
    """The page asked for as Paginator.get_page reads it: not a whole number is the first."""
    try:
        return int(value)
    except ValueError:
        return 1


def _toddler_pages(session: Session):
    """The session's toddlers with the pages of both lists, numbered on the counts the
    same query returns (a range costs nothing to page). A page past the end (or below 1)
    is the last, as Paginator.get_page has it, read again: two queries more on bad input."""
    asked = (_page_number(session.page or "1"), _page_number(session.new_page or "1"))

    def read(known: int, new: int) -> growth_selectors.SessionToddlers:
        return growth_selectors.session_toddlers(
            session.village.code,
            session.day,
            known_page=known,
            new_page=new,
            per_page=PER_PAGE,
            new_per_page=NEW_PER_PAGE,
        )

    found = read(*asked)
    known_page = Paginator(range(found.known), PER_PAGE).get_page(session.page)
    new_page = Paginator(range(found.toddlers - found.known), NEW_PER_PAGE).get_page(session.new_page)
    if (known_page.number, new_page.number) != asked:
        found = read(known_page.number, new_page.number)
    return found, known_page, new_page


def _session_page(request, session: Session, *, bound: dict | None = None, status: int = 200):
    """A page of the known toddlers and one of the new: the queries do not grow with the
    village (the counts and both pages' ids in one, their rows, their measurements), nor
    does the page."""
    found, known_page, new_page = _toddler_pages(session)
    people = found.people
    rows = _rows(people, session, bound=bound)
    known_count = sum(1 for p in people if p.known)
    context = {
        "session": session,
        "rows": rows[:known_count],
        "new_rows": rows[known_count:],
        "known_page": known_page,
        "new_page": new_page,
        "measured_count": found.measured,
        "toddler_count": found.toddlers,
        "today": timezone.localdate(),
    }
    return render(request, "pages/growth_session.html", context, status=status)


@login_required
def session(request):
    """The monthly posyandu session of one village."""
    return _session_page(request, _session_of(request, request.GET.get("desa")))


@login_required
@require_POST
def measure(request, person_pk: int):
    """Save one row: a new measurement, or the correction of the one of that day."""
    child = get_object_or_404(
        Person.objects.visible_to(request.user).select_related("household"), pk=person_pk
    )
    session_ = _session_of(request, child.household.village_id)
    form = MeasurementRowForm(request.POST, prefix=f"a{child.pk}")
    saved = None
    if form.is_valid():
        existing = growth_selectors.measurement_on(child, form.cleaned_data["measured_on"])
        if existing:
            saved = run_service(
                growth_services.correct_measurement,
                form,
                actor=request.user,
                measurement=existing,
                **form.values(),
            )
        else:
            saved = run_service(
                growth_services.record_measurement, form, actor=request.user, person=child, **form.values()
            )
    if saved is not None:
        return _saved(request, child, session_, saved)
    focus_first_error(form)
    if _wants_fragment(request):
        row = _rows([child], session_, bound={child.pk: form})[0]
        return _row_response(request, row, session_, status=400)
    return _session_page(request, session_, bound={child.pk: form}, status=400)


def _saved(request, child: Person, session_: Session, measurement: Measurement):
    if _wants_fragment(request):
        row = _rows([child], session_)[0]
        row.saved = True
        return _row_response(request, row, session_)
    messages.success(
        request,
        _("Pengukuran %(name)s disimpan: %(status)s.")
        % {"name": child.full_name, "status": _status_words(measurement)},
    )
    return redirect(f"{reverse('growth_session')}?{session_.query()}#anak-{child.pk}")


def _status_words(m: Measurement) -> str:
    words = [m.get_haz_status_display(), m.get_waz_status_display()]
    if m.whz_status:
        words.append(m.get_whz_status_display())
    if m.flagged:
        words.append(_("perlu diukur ulang"))
    return ", ".join(str(w) for w in words)


def _row_response(request, row: SessionRow, session_: Session, *, status: int = 200) -> HttpResponse:
    html = render_to_string("pages/_growth_row.html", {"row": row, "session": session_}, request=request)
    return HttpResponse(html, status=status)


# ---------------------------------------------------------------- the child's page


def _child_or_404(request, pk: int) -> Person:
    return get_object_or_404(
        Person.objects.visible_to(request.user).select_related("household__village"), pk=pk
    )


CLOSE_ACTION = "selesai"  # the `aksi` of the close form; the intervention form sends none


@login_required
def child_detail(request, pk: int):
    """The child's chart, measurements and follow-up; a village head or cadre records an
    intervention on the open follow-up or closes it with a reason (plain forms)."""
    child = _child_or_404(request, pk)
    user = request.user
    measurements = list(growth_selectors.measurements_for(user).filter(person=child))
    followups = list(growth_selectors.followups_for(user).filter(person=child))
    open_followup = next((f for f in followups if f.is_open), None)
    may_record = policy.may_record_growth(user, child.household.village_id)
    writable = open_followup is not None and may_record
    closing = request.method == "POST" and request.POST.get("aksi") == CLOSE_ACTION
    form = InterventionForm(None if closing else request.POST or None, user=user) if writable else None
    close_form = CloseFollowUpForm(request.POST if closing else None, prefix="selesai") if writable else None
    if request.method == "POST":
        if not writable:
            raise PermissionDenied
        done = (
            _close(request, close_form, open_followup)
            if closing
            else _intervene(request, form, open_followup)
        )
        if done:
            return redirect(f"{reverse('child_detail', args=[child.pk])}#pendampingan")
    context = {
        "child": child,
        "age_months": age_in_months(child.birth_date, timezone.localdate()),
        "measurements": measurements,
        "followups": followups,
        "open_followup": open_followup,
        "form": form,
        "close_form": close_form,
        "close_action": CLOSE_ACTION,
        "may_record": may_record,
        "indicators": INDICATORS,
    }
    return render(request, "pages/growth_child.html", context)


def _intervene(request, form, followup) -> bool:
    if form.is_valid():
        done = run_service(
            growth_services.record_intervention,
            form,
            actor=request.user,
            followup=followup,
            **form.cleaned_data,
        )
        if done:
            messages.success(request, _("Intervensi %(kind)s dicatat.") % {"kind": done.get_kind_display()})
            return True
    focus_first_error(form)
    return False


def _close(request, form, followup) -> bool:
    if form.is_valid():
        done = run_service(
            growth_services.close_followup,
            form,
            actor=request.user,
            followup=followup,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
        if done:
            messages.success(
                request, _("Pendampingan selesai: %(reason)s.") % {"reason": done.get_close_reason_display()}
            )
            return True
    focus_first_error(form)
    return False


@login_required
def child_chart(request, pk: int, indicator: str):
    """The WHO curves of the child's sex and the child's points, as SVG (two queries)."""
    if indicator not in INDICATORS:
        raise Http404
    child = _child_or_404(request, pk)
    points = growth_selectors.chart_points(request.user, child)
    svg = render_growth_chart(indicator=indicator, sex=child.sex, birth=child.birth_date, points=points)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=60"
    return response
