"""Posyandu growth monitoring: measurements, their growth signs, and the follow-up
(pendampingan) they open and close, with the interventions given.

The WHO arithmetic is `beneficiaries.growth` (pure); here: who may write, the child and the
posyandu, the rules of one measurement a day, the stored results, the monthly sign (which
depends on the neighbouring measurements, so it is recomputed for the whole child), and
when a follow-up opens and closes. The child's row is locked for every write, so two
cadres saving the same child serialize.
"""

import datetime
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.errors import DomainError
from programs.models import Partner
from regions import policy
from regions.models import User

from .. import growth_tally
from ..growth.signs import growth_sign, two_t
from ..growth.who import HazStatus, WazStatus, WhzStatus, assess, validate_measurement
from ..models import CaseStatus, Person
from ..models.growth import (
    CloseReason,
    FollowUpReason,
    FollowUpStatus,
    GrowthFollowUp,
    Intervention,
    InterventionKind,
    Measurement,
)
from .common import save_as, visible_or_404

MEASUREMENT_FIELDS = frozenset(
    {"measured_on", "weight_kg", "height_cm", "position", "muac_cm", "head_cm", "posyandu"}
)
MUAC_CM = (Decimal("5"), Decimal("30"))
HEAD_CM = (Decimal("20"), Decimal("60"))
RECOVERED_Z = Decimal("-2")
STUNTED = frozenset({HazStatus.STUNTED, HazStatus.SEVERELY_STUNTED})
WASTED = frozenset({WhzStatus.WASTED, WhzStatus.SEVERELY_WASTED})


# ---------------------------------------------------------------- measurements


@transaction.atomic
def record_measurement(
    *,
    actor: User,
    person: Person | int,
    measured_on: datetime.date,
    weight_kg: Any,
    height_cm: Any,
    position: str,
    muac_cm: Any = None,
    head_cm: Any = None,
    posyandu: Partner | int | None = None,
) -> Measurement:
    """Weigh and measure a toddler: refused with the field named (see `_assess_into`);
    stored with age, z-scores, statuses, flags and the growth sign; opens the child's
    follow-up when the result calls for it, or closes it when the child has recovered."""
    child = _child(actor, person)
    policy.ensure_may_record_growth(actor, child.household.village_id)
    measurement = Measurement(person=child, village_id=child.household.village_id, recorded_by=actor)
    measurement.set_region_codes()
    values = {
        "measured_on": measured_on,
        "weight_kg": weight_kg,
        "height_cm": height_cm,
        "position": position,
        "muac_cm": muac_cm,
        "head_cm": head_cm,
        "posyandu": posyandu,
    }
    _assess_into(measurement, child, actor, values)
    _write(actor, child, measurement)
    return measurement


@transaction.atomic
def correct_measurement(*, actor: User, measurement: Measurement | int, **changes: Any) -> Measurement:
    """Correct what was written (date, weight, length/height, position, LiLA, head,
    posyandu); the age, z-scores, statuses and flags are recomputed, and so are the growth
    signs of the child's measurements that compare with it."""
    unknown = set(changes) - MEASUREMENT_FIELDS
    if unknown:
        raise DomainError(_("Kolom tidak dapat diubah: %s.") % ", ".join(sorted(unknown)))
    found = visible_or_404(Measurement, measurement, actor)
    child = _child(actor, found.person_id)
    measurement = Measurement.objects.select_for_update().get(pk=found.pk)
    policy.ensure_may_record_growth(actor, measurement.village_id)
    values = {field: getattr(measurement, field) for field in MEASUREMENT_FIELDS - {"posyandu"}}
    values["posyandu"] = measurement.posyandu_id
    values.update(changes)
    _assess_into(measurement, child, actor, values)
    _write(actor, child, measurement)
    return measurement


@transaction.atomic
def record_measurement_history(
    *,
    actor: User,
    person: Person | int,
    weighings: Sequence[Mapping[str, Any]],
    interventions: Callable[[int, GrowthFollowUp], Iterable[Mapping[str, Any]]] | None = None,
) -> list[Measurement]:
    """A child's past weighings written at once (an import, the demo): the same rows,
    signs, follow-ups and interventions as `record_measurement` called for each in date
    order, and `record_intervention` for what `interventions(i, followup)` gives when the
    i-th weighing (oldest first) opens a follow-up, while it is open. The child must have
    no measurement yet; any refusal names the weighing (`weighings.3.weight_kg`) and
    writes nothing. A handful of queries a child, not a handful a weighing."""
    child = _child(actor, person)
    policy.ensure_may_record_growth(actor, child.household.village_id)
    if Measurement.objects.filter(person=child).exists():
        raise DomainError(_("Anak ini sudah punya pengukuran; catat satu per satu."), field="person")
    ordered = sorted(enumerate(weighings), key=lambda pair: pair[1].get("measured_on") or datetime.date.min)
    rows: list[Measurement] = []
    errors: dict[str, list[str]] = {}
    posyandus: dict[Any, Partner | None] = {}
    days: set[datetime.date] = set()
    for index, values in ordered:
        row = Measurement(person=child, village_id=child.household.village_id, recorded_by=actor)
        row.set_region_codes()
        try:
            _assess_into(row, child, actor, {"muac_cm": None, "head_cm": None, "posyandu": None, **values}, posyandus)
        except DomainError as error:
            errors.update({f"weighings.{index}.{f}": m for f, m in error.errors.items()})
            continue
        if row.measured_on in days:
            errors[f"weighings.{index}.measured_on"] = [_duplicate(row).errors["measured_on"][0]]
        days.add(row.measured_on)
        rows.append(row)
    if errors:
        raise DomainError(errors=errors)
    _sign(rows)
    rows = bulk_create_with_history(rows, Measurement, default_user=actor)
    growth_tally.add_rows(rows)  # bulk_create sends no save signals
    new_interventions: list[Intervention] = []
    followup: GrowthFollowUp | None = None
    closed_on: list[datetime.date] = []
    for i, latest in enumerate(rows):
        reasons = followup_reasons(latest)
        if followup is None:
            if reasons and not any(day >= latest.measured_on for day in closed_on):
                followup = _open_followup(actor, child, latest, reasons)
                if interventions is not None:
                    planned = [dict(given) for given in interventions(i, followup)]
                    new_interventions += _interventions(actor, followup, planned)
        elif reasons:
            merged = followup.reason_list + [r for r in reasons if r not in followup.reason_list]
            if merged != followup.reason_list:
                followup.reasons = ",".join(merged)
                save_as(followup, actor)
        elif _recovered(followup, rows[: i + 1]):
            _close(actor, followup, CloseReason.RECOVERED, "", on=latest.measured_on)
            closed_on.append(latest.measured_on)
            followup = None
    bulk_create_with_history(new_interventions, Intervention, default_user=actor)
    return rows


def _interventions(actor: User, followup: GrowthFollowUp, planned: list[dict[str, Any]]) -> list[Intervention]:
    """What `record_intervention` would write for each, checked the same way, not saved."""
    made = []
    for index, given in enumerate(planned):
        errors: dict[str, list[str]] = {}
        _check_given_on(followup, given.get("given_on"), errors)
        if given.get("kind") not in InterventionKind.values:
            errors["kind"] = [_("Pilih jenis intervensi.")]
        else:
            _check_kind_against_case(followup, given["kind"], errors)
        partner = _partner(actor, given.get("partner"), errors)
        if errors:
            raise DomainError(errors={f"interventions.{index}.{f}": m for f, m in errors.items()})
        made.append(
            Intervention(
                followup=followup,
                village_id=followup.village_id,
                district_id=followup.district_id,
                regency_id=followup.regency_id,
                given_on=given["given_on"],
                kind=given["kind"],
                partner=partner,
                note=(given.get("note") or "").strip(),
                recorded_by=actor,
            )
        )
    return made


def _child(actor: User, person: Person | int) -> Person:
    """The child, visible to the actor, locked against a concurrent measurement."""
    pk = getattr(person, "pk", person)
    child = (
        Person.objects.visible_to(actor)
        .select_related("household")
        .select_for_update(of=("self",))
        .filter(pk=pk)
    ).first()
    if child is None:
        raise DomainError(
            _("Anak tidak ditemukan di wilayah kerja Anda."), field="person", code=DomainError.NOT_FOUND
        )
    return child


def _assess_into(
    measurement: Measurement,
    child: Person,
    actor: User,
    values: Mapping[str, Any],
    posyandus: dict[Any, Partner | None] | None = None,
) -> None:
    """Check every field at once, then store the WHO assessment on the row. `posyandus`
    remembers the posyandu looked up for a child's many rows."""
    errors: dict[str, list[str]] = {}
    weight = _decimal(values["weight_kg"], "weight_kg", 2, errors, _("berat badan"))
    height = _decimal(values["height_cm"], "height_cm", 1, errors, _("panjang/tinggi badan"))
    muac = _optional_cm(values.get("muac_cm"), "muac_cm", MUAC_CM, errors, _("LiLA"))
    head = _optional_cm(values.get("head_cm"), "head_cm", HEAD_CM, errors, _("lingkar kepala"))
    measured_on = values["measured_on"]
    if not isinstance(measured_on, datetime.date):
        errors["measured_on"] = [_("Isi tanggal pengukuran.")]
    else:
        _check_child_on(child, measured_on, errors)
        try:
            validate_measurement(
                sex=child.sex,
                birth=child.birth_date,
                measured_on=measured_on,
                weight_kg=weight if weight is not None else Decimal("1"),
                height_cm=height if height is not None else Decimal("50"),
                position=values["position"],
                today=timezone.localdate(),
            )
        except DomainError as error:
            for field, messages in error.errors.items():
                errors.setdefault("person" if field == "sex" else field, messages)
    wanted = getattr(values.get("posyandu"), "pk", values.get("posyandu"))
    if posyandus is not None and wanted in posyandus:
        posyandu = posyandus[wanted]
        if posyandu is None and wanted not in (None, ""):
            errors["posyandu"] = [_("Pilih posyandu di desa anak ini.")]
    else:
        posyandu = _posyandu(actor, values.get("posyandu"), child.household.village_id, errors)
        if posyandus is not None:
            posyandus[wanted] = posyandu
    if errors:
        raise DomainError(errors=errors)
    assert weight is not None and height is not None  # refused above otherwise
    result = assess(
        sex=child.sex,  # type: ignore[arg-type]  # checked by validate_measurement
        birth=child.birth_date,
        on=measured_on,
        weight_kg=weight,
        height_cm=height,
        position=values["position"],
    )
    measurement.measured_on, measurement.weight_kg, measurement.height_cm = measured_on, weight, height
    measurement.position, measurement.muac_cm, measurement.head_cm = values["position"], muac, head
    measurement.posyandu = posyandu
    measurement.age_months = result.age_months
    measurement.haz, measurement.waz, measurement.whz = result.haz, result.waz, result.whz
    measurement.whz_note = result.whz_note
    measurement.haz_status, measurement.waz_status = result.haz_status, result.waz_status
    measurement.whz_status = result.whz_status or ""
    measurement.flagged, measurement.flags = result.flagged, ",".join(result.flags)


# A number as typed: ASCII digits and one point. Decimal() alone also reads `8_1` (81),
# `1e1`, `NaN` and digits of other scripts.
TYPED_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)", re.ASCII)


def _decimal(value: Any, field: str, places: int, errors: dict, what: str) -> Decimal | None:
    try:
        if isinstance(value, str) and not TYPED_NUMBER.fullmatch(value.strip()):
            raise ValueError(value)
        number = (
            value
            if isinstance(value, Decimal)
            else Decimal(repr(value) if isinstance(value, float) else str(value))
        )
    except (InvalidOperation, TypeError, ValueError):
        number = None
    if number is None or not number.is_finite():
        errors[field] = [_("Isi %(what)s dengan angka.") % {"what": what}]
        return None
    if abs(number) >= 1000:  # out of every range (refused there), and too long to round
        return number
    if number != number.quantize(Decimal(1).scaleb(-places)):  # 8.10 is 8.1; 8.15 has two places
        errors[field] = [
            _("Isi %(what)s dengan paling banyak %(n)s angka di belakang koma.") % {"what": what, "n": places}
        ]
        return None
    return number.quantize(Decimal(1).scaleb(-places))


def _optional_cm(
    value: Any, field: str, bounds: tuple[Decimal, Decimal], errors: dict, what: str
) -> Decimal | None:
    if value is None or value == "":
        return None
    number = _decimal(value, field, 1, errors, what)
    if number is not None and not bounds[0] <= number <= bounds[1]:
        message = (
            _("LiLA harus antara %(low)s dan %(high)s cm.")
            if field == "muac_cm"
            else _("Lingkar kepala harus antara %(low)s dan %(high)s cm.")
        )
        errors[field] = [message % {"low": bounds[0], "high": bounds[1]}]
        return None
    return number


def _check_child_on(child: Person, measured_on: datetime.date, errors: dict) -> None:
    if child.left_on is not None and measured_on > child.left_on:
        errors["measured_on"] = [_("Anak sudah keluar dari rumah tangga sebelum tanggal pengukuran.")]


def _posyandu(actor: User, posyandu: Partner | int | None, village_code: str, errors: dict) -> Partner | None:
    """A posyandu partner serving the child's village."""
    if posyandu in (None, ""):
        return None
    found = (
        Partner.objects.visible_to(actor)
        .filter(pk=getattr(posyandu, "pk", posyandu), kind=Partner.Kind.POSYANDU, region_code=village_code)
        .first()
    )
    if found is None:
        errors["posyandu"] = [_("Pilih posyandu di desa anak ini.")]
    return found


def _write(actor: User, child: Person, measurement: Measurement) -> None:
    """Save with its growth sign (and the neighbours' signs that depend on it), then review
    the child's follow-up. One measurement a child a day, also when two cadres save at once."""
    if _already_measured(measurement):
        raise _duplicate(measurement)
    history = _resign(actor, child, measurement)
    try:
        with transaction.atomic():
            save_as(measurement, actor)
    except (IntegrityError, DomainError) as error:  # save_as turns a raced unique row into a conflict
        if isinstance(error, DomainError) and error.code != DomainError.CONFLICT:
            raise
        if not _already_measured(measurement):
            raise
        raise _duplicate(measurement) from None
    if history[-1] is measurement:
        _review_followup(actor, child, history)


def _duplicate(measurement: Measurement) -> DomainError:
    return DomainError(
        _("Anak ini sudah diukur pada tanggal %(day)s; perbaiki pengukuran itu bila perlu.")
        % {"day": measurement.measured_on.strftime("%d-%m-%Y")},
        field="measured_on",
        code=DomainError.CONFLICT,
    )


def _already_measured(measurement: Measurement) -> bool:
    same_day = Measurement.objects.filter(
        person_id=measurement.person_id, measured_on=measurement.measured_on
    )
    return same_day.exclude(pk=measurement.pk).exists() if measurement.pk else same_day.exists()


# ---------------------------------------------------------------- growth signs


def _previous_month(day: datetime.date) -> tuple[int, int]:
    return (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)


def _resign(actor: User, child: Person, pending: Measurement) -> list[Measurement]:
    """Recompute the sign, 2T and last-of-month of every measurement of the child (a few dozen at most:
    under 60 months) with `pending` (new or corrected, not yet saved) in its place; saves
    the others whose sign changed and returns them all oldest first."""
    others = Measurement.objects.filter(person=child).exclude(pk=pending.pk).order_by("measured_on", "id")
    rows = sorted([*others, pending], key=lambda m: m.measured_on)
    for row in _sign(rows):
        if row is not pending:
            save_as(row, actor, update_fields=["growth_sign", "two_t", "last_of_month", "updated_at"])
    return rows


def _sign(rows: list[Measurement]) -> list[Measurement]:
    """Set the sign, 2T and last-of-month of a child's measurements (oldest first, all of
    them) in memory; returns those whose values changed (a new row always does)."""
    changed = []
    last_of_month: dict[tuple[int, int], Measurement] = {}
    for i, row in enumerate(rows):
        previous = last_of_month.get(_previous_month(row.measured_on))
        sign = growth_sign(
            weight_now=row.weight_kg,
            weight_last_month=previous.weight_kg if previous else None,
            first=i == 0,
        )
        twice = previous is not None and two_t([previous.growth_sign, sign])
        later = rows[i + 1] if i + 1 < len(rows) else None
        last = later is None or _month(later.measured_on) != _month(row.measured_on)
        if row.pk is None or (row.growth_sign, row.two_t, row.last_of_month) != (sign, twice, last):
            row.growth_sign, row.two_t, row.last_of_month = sign, twice, last
            changed.append(row)
        last_of_month[_month(row.measured_on)] = row
    return changed


def _month(day: datetime.date) -> tuple[int, int]:
    return (day.year, day.month)


# ---------------------------------------------------------------- follow-up


def followup_reasons(measurement: Measurement) -> list[str]:
    """Why a measurement calls for a follow-up; none for a flagged (implausible) one,
    which is measured again first."""
    if measurement.flagged:
        return []
    reasons = []
    if measurement.haz_status in STUNTED:
        reasons.append(FollowUpReason.STUNTED)
    if measurement.whz_status in WASTED:
        reasons.append(FollowUpReason.WASTED)
    if measurement.waz_status == WazStatus.SEVERELY_UNDERWEIGHT:
        reasons.append(FollowUpReason.SEVERELY_UNDERWEIGHT)
    if measurement.two_t:
        reasons.append(FollowUpReason.TWO_T)
    if measurement.low_muac:
        reasons.append(FollowUpReason.LOW_MUAC)
    return [str(r) for r in reasons]


def _review_followup(actor: User, child: Person, history: list[Measurement]) -> None:
    """After the child's latest measurement: open the follow-up (or widen its reasons), or
    close it as recovered when the two latest monthly measurements are back in range."""
    latest = history[-1]
    followup = (
        GrowthFollowUp.objects.select_for_update().filter(person=child, status=FollowUpStatus.OPEN).first()
    )
    reasons = followup_reasons(latest)
    if followup is None:
        if reasons and not _decided_since(child, latest.measured_on):
            _open_followup(actor, child, latest, reasons)
        return
    if reasons:
        merged = followup.reason_list + [r for r in reasons if r not in followup.reason_list]
        if merged != followup.reason_list:
            followup.reasons = ",".join(merged)
            save_as(followup, actor)
        return
    if _recovered(followup, history):
        _close(actor, followup, CloseReason.RECOVERED, "", on=latest.measured_on)


def _decided_since(child: Person, day: datetime.date) -> bool:
    """A follow-up closed on or after this measurement: someone already decided on it."""
    return GrowthFollowUp.objects.filter(person=child, closed_on__gte=day).exists()


def _open_followup(actor: User, child: Person, opening: Measurement, reasons: list[str]) -> GrowthFollowUp:
    followup = GrowthFollowUp(
        person=child,
        village_id=opening.village_id,
        opened_on=opening.measured_on,
        reasons=",".join(reasons),
        opening_measurement=opening,
        opened_by=actor,
    )
    followup.set_region_codes()
    save_as(followup, actor)
    return followup


def _recovered(followup: GrowthFollowUp, history: list[Measurement]) -> bool:
    """WHZ and WAZ >= -2 (and HAZ >= -2 for a stunted child), nothing else calling for a
    follow-up, on the two latest measurements since opening, taken in two different months."""
    since = [m for m in history if m.measured_on > followup.opened_on]
    if len(since) < 2:
        return False
    last, before = since[-1], since[-2]
    if (last.measured_on.year, last.measured_on.month) == (before.measured_on.year, before.measured_on.month):
        return False
    stunting = FollowUpReason.STUNTED in followup.reason_list
    return all(_in_range(m, stunting=stunting) for m in (before, last))


def _in_range(m: Measurement, *, stunting: bool) -> bool:
    if m.flagged or followup_reasons(m) or m.waz is None or m.whz is None:
        return False
    if m.waz < RECOVERED_Z or m.whz < RECOVERED_Z:
        return False
    return not stunting or (m.haz is not None and m.haz >= RECOVERED_Z)


@transaction.atomic
def close_followup(
    *, actor: User, followup: GrowthFollowUp | int, reason: str, note: str = ""
) -> GrowthFollowUp:
    """End a follow-up by hand: recovered, aged out, moved, died or other (with a note)."""
    followup = visible_or_404(GrowthFollowUp, followup, actor, lock=True)
    policy.ensure_may_record_growth(actor, followup.village_id)
    if not followup.is_open:
        raise DomainError(_("Pendampingan ini sudah selesai."), field="followup", code=DomainError.CONFLICT)
    if reason not in CloseReason.values:
        raise DomainError(_("Pilih alasan selesai pendampingan."), field="reason")
    note = (note or "").strip()
    if reason == CloseReason.OTHER and not note:
        raise DomainError(_("Tuliskan alasannya di catatan."), field="note")
    _close(actor, followup, reason, note, on=timezone.localdate())
    return followup


def _close(actor: User, followup: GrowthFollowUp, reason: str, note: str, *, on: datetime.date) -> None:
    followup.status, followup.closed_on, followup.closed_by = FollowUpStatus.CLOSED, on, actor
    followup.close_reason, followup.close_note = reason, note
    save_as(followup, actor)


AGED_OUT_YEARS = 5  # 60 completed months: no longer a toddler


def close_aged_out_followups(*, today: datetime.date | None = None) -> int:
    """Close, as aged out, every open follow-up of a child who has reached 60 months (the
    daily beat task; idempotent: closed ones are left alone). Dated the day the child
    reached 60 months (1 March for a child born on 29 February), never before the opening;
    by no one (the system). Returns how many it closed."""
    today = today or timezone.localdate()
    cutoff = _years_before(today, AGED_OUT_YEARS)  # born on or before: 60 months or more today
    closed = 0
    while True:
        with transaction.atomic():
            batch = list(
                GrowthFollowUp.objects.select_for_update(skip_locked=True)
                .filter(status=FollowUpStatus.OPEN, person__birth_date__lte=cutoff)
                .select_related("person")
                .order_by("pk")[:500]
            )
            for followup in batch:
                turned = _sixty_months(followup.person.birth_date)
                followup.status, followup.close_reason = FollowUpStatus.CLOSED, CloseReason.AGED_OUT
                followup.closed_on = max(turned, followup.opened_on)
                followup._history_user = None  # type: ignore[attr-defined]  # the system, not a user
                followup.save()
        closed += len(batch)
        if len(batch) < 500:
            return closed


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _sixty_months(birth: datetime.date) -> datetime.date:
    """The first day the child is 60 completed months old."""
    try:
        return birth.replace(year=birth.year + AGED_OUT_YEARS)
    except ValueError:  # born 29 February: 60 months on 1 March
        return datetime.date(birth.year + AGED_OUT_YEARS, 3, 1)


@transaction.atomic
def record_intervention(
    *,
    actor: User,
    followup: GrowthFollowUp | int,
    given_on: datetime.date,
    kind: str,
    partner: Partner | int | None = None,
    note: str = "",
) -> Intervention:
    """An intervention for a child in follow-up: specific (PMT, vitamin A, deworming,
    referral, counselling) or sensitive (water, sanitation, family aid through the
    household's open case, enrolment of a household that has no case)."""
    followup = visible_or_404(GrowthFollowUp, followup, actor, lock=True)
    policy.ensure_may_record_growth(actor, followup.village_id)
    if not followup.is_open:
        raise DomainError(_("Pendampingan ini sudah selesai."), field="followup", code=DomainError.CONFLICT)
    errors: dict[str, list[str]] = {}
    _check_given_on(followup, given_on, errors)
    if kind not in InterventionKind.values:
        errors["kind"] = [_("Pilih jenis intervensi.")]
    else:
        _check_kind_against_case(followup, kind, errors)
    found_partner = _partner(actor, partner, errors)
    if errors:
        raise DomainError(errors=errors)
    intervention = Intervention(
        followup=followup,
        village_id=followup.village_id,
        given_on=given_on,
        kind=kind,
        partner=found_partner,
        note=(note or "").strip(),
        recorded_by=actor,
    )
    intervention.set_region_codes()
    save_as(intervention, actor)
    return intervention


def _check_given_on(followup: GrowthFollowUp, given_on: Any, errors: dict) -> None:
    if not isinstance(given_on, datetime.date):
        errors["given_on"] = [_("Isi tanggal intervensi.")]
    elif given_on > timezone.localdate():
        errors["given_on"] = [_("Tanggal tidak boleh di masa depan.")]
    elif given_on < followup.opened_on:
        errors["given_on"] = [_("Tanggal intervensi tidak boleh sebelum pendampingan dibuka.")]


def _check_kind_against_case(followup: GrowthFollowUp, kind: str, errors: dict) -> None:
    has_case = followup.person.household.cases.filter(status=CaseStatus.ACTIVE).exists()
    if kind == InterventionKind.FAMILY_AID and not has_case:
        errors["kind"] = [_("Rumah tangga anak ini belum punya kasus aktif; daftarkan ke program dulu.")]
    elif kind == InterventionKind.PROGRAMME_ENROLMENT and has_case:
        errors["kind"] = [_("Rumah tangga anak ini sudah punya kasus aktif.")]


def _partner(actor: User, partner: Partner | int | None, errors: dict) -> Partner | None:
    if partner in (None, ""):
        return None
    found = (
        Partner.objects.visible_to(actor).filter(pk=getattr(partner, "pk", partner), is_active=True).first()
    )
    if found is None:
        errors["partner"] = [_("Mitra tidak ditemukan di wilayah kerja Anda.")]
    return found
