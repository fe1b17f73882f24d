"""The subject report (UU 27/2022): everything held about one person, for an official to
hand over, as JSON and PDF from the same data (`subject_data`, a fixed number of queries).

The subject's own data is whole (their NIK, their household's KK); other members of the
household appear by name and relation with their NIK masked: their identity numbers are
their own personal data, not the subject's. The run is written to the access log.
"""

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import object_type_of, record_access
from core.formatting import long_date, rupiah
from core.models import AccessKind, AccessLog
from regions import policy
from regions.models import User

from .identity import mask_nik
from .models import (
    Assistance,
    Attendance,
    Case,
    GroupMembership,
    Household,
    Person,
    PersonErasure,
    StageTransition,
)
from .models.growth import GrowthFollowUp, Intervention, Measurement

MONEY_FIELDS = {"amount"}
ID_ONLY = {"case"}  # shown by number: a case's label would read its household row by row


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    columns: list[tuple[str, str]]  # (path, label)
    rows: list[dict[str, Any]]


def _label(model: type[models.Model], path: str) -> str:
    field: Any = None
    for part in path.split("__"):
        field = model._meta.get_field(part)
        model = field.related_model or model
    return str(field.verbose_name)


def _value(obj: Any, path: str) -> Any:
    parts = path.split("__")
    for part in parts[:-1]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    name = parts[-1]
    if name in ID_ONLY:
        return getattr(obj, f"{name}_id")
    display = getattr(obj, f"get_{name}_display", None)
    value = display() if display and getattr(obj, name) else getattr(obj, name)
    return str(value) if isinstance(value, models.Model) else value


def section(key: str, title: str, rows, fields: list[str], model: type[models.Model]) -> Section:
    columns = [(f, _label(model, f)) for f in fields]
    return Section(key, title, columns, [{f: _value(row, f) for f in fields} for row in rows])


def _history(model: type[models.Model], pk: int, fields: list[str]) -> list[dict[str, Any]]:
    rows = model.history.filter(id=pk).select_related("history_user").order_by("history_date")  # type: ignore[attr-defined]
    return [
        {
            "history_date": row.history_date,
            "history_type": row.get_history_type_display(),
            "history_user": row.history_user.username if row.history_user else "",
            **{f: getattr(row, f) for f in fields},
        }
        for row in rows
    ]


def _history_section(key: str, title: str, model: type[models.Model], pk: int, fields: list[str]) -> Section:
    columns = [("history_date", _("waktu")), ("history_type", _("perubahan")), ("history_user", _("oleh"))]
    columns += [(f, _label(model, f)) for f in fields]
    return Section(key, title, columns, _history(model, pk, fields))


def access_rows(person: Person) -> list[AccessLog]:
    """Who processed the person's data: their own record and their household's."""
    about = Q(object_type=object_type_of(Person), object_id=str(person.pk)) | Q(
        object_type=object_type_of(Household), object_id=str(person.household_id)
    )
    return list(AccessLog.objects.filter(about).select_related("actor").order_by("at", "id"))


def _access_section(person: Person) -> Section:
    rows = [
        {
            "at": row.at,
            "actor": row.actor.username if row.actor else _("sistem"),
            "kind": row.get_kind_display(),
            "object_type": row.object_type,
            "path": row.path,
        }
        for row in access_rows(person)
    ]
    columns = [("at", _("waktu")), ("actor", _("pengguna")), ("kind", _("jenis")),
               ("object_type", _("jenis data")), ("path", _("alamat halaman"))]  # fmt: skip
    return Section("access_log", _("Siapa yang memproses data ini"), columns, rows)


def _members_section(person: Person) -> Section:
    others = Person.objects.filter(household_id=person.household_id).exclude(pk=person.pk).order_by("id")
    rows = [
        {"full_name": p.full_name, "nik": mask_nik(p.nik), "relation": p.get_relation_display(),
         "left_on": p.left_on}
        for p in others
    ]  # fmt: skip
    columns = [(f, _label(Person, f)) for f in ("full_name", "nik", "relation", "left_on")]
    return Section("members", _("Anggota rumah tangga lain (NIK disamarkan)"), columns, rows)


def subject_data(person: Person) -> list[Section]:
    """Every section of the report, each one query (or two for the person and household)."""
    household = Household.objects.select_related("village").get(pk=person.household_id)
    cases = Case.objects.filter(household=household).select_related("program").order_by("opened_on", "id")
    moves = StageTransition.objects.filter(case__household=household).order_by("proposed_at", "id")
    aid = Assistance.objects.filter(case__household=household).select_related("program", "recipient")
    followups = GrowthFollowUp.objects.filter(person=person).order_by("opened_on", "id")
    return [
        section("person", _("Data diri"), [person], [
            "id", "nik", "full_name", "sex", "birth_date", "relation", "is_female_head", "has_disability",
            "nik_outside_banten", "left_on", "left_reason", "left_note", "created_at", "updated_at",
        ], Person),  # fmt: skip
        section("household", _("Rumah tangga"), [household], [
            "id", "kk_number", "village", "address", "rt", "rw", "desil", "created_at",
        ], Household),  # fmt: skip
        _members_section(person),
        section("cases", _("Kasus pendampingan"), cases,
                ["id", "program", "stage", "status", "opened_on", "closed_on", "exit_reason"], Case),
        section("moves", _("Perpindahan tahap"), moves,
                ["case", "kind", "from_position", "to", "state", "reason", "proposed_at", "decided_at"],
                StageTransition),
        section("assistance", _("Bantuan diterima"), aid.order_by("delivered_on", "id"),
                ["case", "kind", "program", "recipient", "delivered_on", "amount", "quantity", "unit", "note"],
                Assistance),
        section("groups", _("Kelompok dan badan usaha"),
                GroupMembership.objects.filter(household=household).select_related("group__enterprise"),
                ["group__name", "group__sector", "joined_on", "group__enterprise__name"], GroupMembership),
        section("activities", _("Kegiatan yang dihadiri"),
                Attendance.objects.filter(person=person).select_related("activity").order_by("activity__held_on"),
                ["activity__title", "activity__topic", "activity__held_on"], Attendance),
        section("measurements", _("Penimbangan dan pengukuran"),
                Measurement.objects.filter(person=person).order_by("measured_on", "id"),
                ["measured_on", "age_months", "weight_kg", "height_cm", "haz_status", "waz_status",
                 "whz_status", "growth_sign"], Measurement),
        section("followups", _("Pendampingan gizi"), followups,
                ["opened_on", "reasons", "status", "closed_on", "close_reason"], GrowthFollowUp),
        section("interventions", _("Intervensi"),
                Intervention.objects.filter(followup__person=person).order_by("given_on", "id"),
                ["given_on", "kind", "note"], Intervention),
        _history_section("person_history", _("Riwayat perubahan data diri"), Person, person.pk,
                         ["nik", "full_name", "sex", "birth_date", "relation"]),
        _history_section("household_history", _("Riwayat perubahan rumah tangga"), Household, household.pk,
                         ["kk_number", "address", "rt", "rw", "desil"]),
        section("erasure", _("Penghapusan data"), PersonErasure.objects.filter(person=person),
                ["erased_at", "region_code", "reason"], PersonErasure),
        _access_section(person),
    ]  # fmt: skip


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return DjangoJSONEncoder().default(value)


def render_json(person: Person, sections: list[Section], *, made_at: datetime.datetime) -> bytes:
    data = {
        "subject_report": {"person_id": person.pk, "made_at": made_at},
        **{s.key: s.rows for s in sections},
    }
    return json.dumps(data, default=_json_default, ensure_ascii=False, indent=2).encode("utf-8")


def _shown(path: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if path in MONEY_FIELDS:
        return rupiah(value)
    if isinstance(value, datetime.date):
        return long_date(value)
    return str(value)


def render_pdf(person: Person, sections: list[Section], *, made_at: datetime.datetime) -> bytes:
    from weasyprint import HTML  # heavy import: only where a PDF is made

    tables = [
        {"title": s.title, "labels": [label for _path, label in s.columns],
         "rows": [[_shown(path, row[path]) for path, _label in s.columns] for row in s.rows]}
        for s in sections
    ]  # fmt: skip
    html = render_to_string(
        "privacy/subject_report_pdf.html",
        {"person": person, "tables": tables, "made_on": long_date(timezone.localtime(made_at))},
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


@dataclass(frozen=True)
class SubjectReport:
    basename: str
    json: bytes
    pdf: bytes


def make_subject_report(*, person: Person, actor: User | None) -> SubjectReport:
    """Everything held about `person` as JSON and PDF; the run goes to the access log.
    `actor` None: the command line (whoever runs manage.py is the operator)."""
    if actor is not None:
        policy.ensure_may_make_subject_report(actor)
    made_at = timezone.now()
    record_access(
        actor=actor, kind=AccessKind.SUBJECT_REPORT, obj=person, region_code=person.household.village_id
    )
    sections = subject_data(person)
    basename = f"laporan-subjek-{person.pk}-{timezone.localdate(made_at):%Y%m%d}"
    return SubjectReport(
        basename=basename,
        json=render_json(person, sections, made_at=made_at),
        pdf=render_pdf(person, sections, made_at=made_at),
    )
