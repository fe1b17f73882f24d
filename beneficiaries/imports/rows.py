"""Each row and each KK through the rules the forms use: the model fields' own validators
and the identity rules `Person.clean` asks (beneficiaries.identity underneath), not a copy
of them, applied to plain rows rather than to model instances (an instance and its
`full_clean()` a row cost more than the rest of the import). What only an import has (the
household's fields repeating on every row, the village code as text) is checked here."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Field
from django.utils.translation import gettext as _

from regions import policy
from regions.models import User

from ..models import Household, Person, Relation, Sex
from ..models.people import person_identity_errors
from .columns import HOUSEHOLD_COLUMNS

RELATIONS = {
    "KEPALA KELUARGA": Relation.HEAD, "KEPALA RUMAH TANGGA": Relation.HEAD,
    "ISTRI": Relation.SPOUSE, "SUAMI": Relation.SPOUSE,
    "ANAK": Relation.CHILD, "ANAK KANDUNG": Relation.CHILD, "ANAK TIRI": Relation.CHILD,
    "ANAK ANGKAT": Relation.CHILD,
    "MENANTU": Relation.OTHER, "CUCU": Relation.OTHER, "ORANG TUA": Relation.OTHER,
    "MERTUA": Relation.OTHER, "FAMILI LAIN": Relation.OTHER, "PEMBANTU": Relation.OTHER,
    "LAINNYA": Relation.OTHER,
}  # fmt: skip
SEXES = {"L": Sex.MALE, "LAKI-LAKI": Sex.MALE, "P": Sex.FEMALE, "PEREMPUAN": Sex.FEMALE}
HOUSEHOLD_COLUMN_OF = {
    "kk_number": "NO_KK", "village": "KODE_WILAYAH", "address": "ALAMAT", "rt": "RT", "rw": "RW",
    "desil": "DESIL",
}  # fmt: skip
PERSON_COLUMN_OF = {
    "nik": "NIK", "has_no_nik": "NIK", "full_name": "NAMA", "sex": "JENIS_KELAMIN",
    "birth_date": "TANGGAL_LAHIR", "relation": "HUBUNGAN", "is_female_head": "HUBUNGAN",
}  # fmt: skip


@dataclass(frozen=True)
class Rejection:
    row: int
    column: str
    reason: str


@dataclass(slots=True)
class PersonData:
    """A member as the file gives it, checked; the writer adds the household and the user."""

    nik: str | None
    full_name: str
    sex: str
    birth_date: datetime.date | None
    relation: str
    is_female_head: bool
    nik_outside_banten: bool = False


@dataclass(slots=True)
class HouseholdData:
    kk_number: str
    address: str
    rt: str
    rw: str
    village_id: str = ""
    desil: int | None = None

    @property
    def district_id(self) -> str:
        return self.village_id[:8]  # as VillageRowModel.set_region_codes derives them

    @property
    def regency_id(self) -> str:
        return self.village_id[:5]


@dataclass(slots=True)
class Row:
    number: int
    values: dict[str, str]
    person: PersonData | None = None
    errors: list[Rejection] = field(default_factory=list)

    def reject(self, column: str, reason: str) -> None:
        self.errors.append(Rejection(self.number, column, str(reason)))


@dataclass
class Group:
    """The rows of one KK, in file order."""

    kk: str
    rows: list[Row]
    household: HouseholdData | None = None
    errors: list[Rejection] = field(default_factory=list)

    @property
    def rejections(self) -> list[Rejection]:
        return self.errors + [e for row in self.rows for e in row.errors]

    def reject_all(self, column: str, reason: str) -> None:
        for row in self.rows:
            self.errors.append(Rejection(row.number, column, str(reason)))


def read_row(number: int, cells: list[str], read: Callable[[list[str]], dict[str, str]]) -> Row:
    """`read`: the file's `ColumnMap.reader()`, the expected columns' stripped cells by name."""
    return Row(number=number, values=read(cells))


def parse_date(text: str) -> datetime.date | None:
    if len(text) == 10 and text[2] == text[5] == "-" and text[:2].isdigit() and text[3:5].isdigit():
        try:  # DD-MM-YYYY, as the lists write it: strptime costs ten times more
            return datetime.date(int(text[6:]), int(text[3:5]), int(text[:2]))
        except ValueError:
            pass
    for pattern in ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def build_person(row: Row, today: datetime.date, checks: FieldChecks) -> None:
    """The row's member, checked by the model fields' validators and the identity rules of
    `Person.clean` (`person_identity_errors`), without a model instance a row: an instance
    and `full_clean()` cost more than the rest of the import together."""
    v = row.values
    sex = SEXES.get(v.get("JENIS_KELAMIN", "").upper())
    relation = RELATIONS.get(" ".join(v.get("HUBUNGAN", "").upper().split()))
    born = parse_date(v.get("TANGGAL_LAHIR", ""))
    if sex is None:
        row.reject("JENIS_KELAMIN", _("Jenis kelamin harus L atau P."))
    if relation is None:
        row.reject("HUBUNGAN", _("Hubungan dengan kepala keluarga tidak dikenal."))
    if born is None:
        row.reject("TANGGAL_LAHIR", _("Tanggal lahir harus DD-MM-YYYY atau YYYY-MM-DD."))
    nik = v.get("NIK", "") or None
    person = PersonData(
        nik=nik,
        full_name=v.get("NAMA", ""),
        sex=sex or "",
        birth_date=born,
        relation=relation or "",
        is_female_head=sex == Sex.FEMALE and relation == Relation.HEAD,
    )
    skip = (
        {f for f, col in PERSON_COLUMN_OF.items() if any(e.column == col for e in row.errors)}
        if row.errors
        else set()
    )
    errors = checks.errors(Person, {"nik": nik, "full_name": person.full_name, "sex": person.sex,
                                   "birth_date": born, "relation": person.relation}, skip)  # fmt: skip
    identity, info = person_identity_errors(
        nik=nik,
        has_no_nik=nik is None,
        sex=person.sex,
        birth_date=None if "birth_date" in skip else born,
        relation=person.relation,
        is_female_head=person.is_female_head,
        today=today,
    )
    for name, problems in identity.items():
        errors.setdefault(name, []).extend(problems)
    if info is not None:
        person.nik_outside_banten = info.outside_banten
    _reject(row, errors, PERSON_COLUMN_OF)
    row.person = person


@functools.cache
def _fields(model) -> dict[str, Field]:
    return {f.attname: f for f in model._meta.concrete_fields}


class FieldChecks:
    """Each value through its model field's own `clean()` (the checks `full_clean()` runs
    field by field: required, choices, length, the field's validators), by field name; a
    blank value of a field that may be blank is not checked, as `full_clean()` does.

    A validator answers from the value alone, so the answer for a value that repeats (a
    sex, a relation, an RT, a birth date, a common name) is remembered for the run: the
    validators still decide every value, a million rows just do not ask them a million
    times. Numbers that never repeat (NIK, KK) are not remembered."""

    LIMIT = 100_000
    UNIQUE = frozenset({"nik", "kk_number"})

    def __init__(self) -> None:
        self.answers: dict[tuple[str, str, object], list[str]] = {}

    def errors(self, model, values: dict[str, object], skip=frozenset()) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        fields, answers, label = _fields(model), self.answers, model._meta.label
        for name, value in values.items():
            if name in skip:
                continue
            if name in self.UNIQUE:
                answer = self._ask(fields[name], value)
            else:
                key = (label, name, value)
                remembered = answers.get(key)
                if remembered is None:
                    if len(answers) >= self.LIMIT:
                        answers.clear()
                    remembered = answers[key] = self._ask(fields[name], value)
                answer = remembered
            if answer:
                errors[name] = answer
        return errors

    @staticmethod
    def _ask(field: Field, value: object) -> list[str]:
        if field.blank and value in field.empty_values:
            return []
        try:
            field.clean(value, None)
        except ValidationError as error:
            return error.messages
        return []


def _reject(row: Row, errors: dict[str, list[str]], column_of: dict[str, str]) -> None:
    for name, problems in errors.items():
        column = column_of.get(name, "" if name == NON_FIELD_ERRORS else name)
        for problem in problems:
            row.reject(column, problem)


def build_household(
    group: Group, actor: User, villages: dict[str, bool], allowed: dict[str, bool], checks: FieldChecks
) -> None:
    """The household from the KK's first row; every other row must repeat the same fields."""
    first = group.rows[0]
    for row in group.rows[1:]:
        for column in HOUSEHOLD_COLUMNS:
            if row.values.get(column, "") != first.values.get(column, ""):
                row.reject(
                    column,
                    _("Berbeda dengan baris %(n)d untuk KK yang sama.") % {"n": first.number},
                )
    v = first.values
    code = v.get("KODE_WILAYAH", "")
    household = HouseholdData(kk_number=group.kk, address=v.get("ALAMAT", ""), rt=v.get("RT", ""),
                              rw=v.get("RW", ""))  # fmt: skip
    _village(first, code, villages, actor, household, allowed)
    desil = v.get("DESIL", "")
    if desil and not (desil.isascii() and desil.isdigit()):  # "²".isdigit(), but int("²") fails
        first.reject("DESIL", _("Desil harus angka 1 sampai 10."))
    else:
        household.desil = int(desil) if desil else None
    errors = checks.errors(Household, {"kk_number": household.kk_number, "address": household.address,
                                      "rt": household.rt, "rw": household.rw, "desil": household.desil})  # fmt: skip
    _reject(first, errors, HOUSEHOLD_COLUMN_OF)
    household.rt, household.rw = household.rt.zfill(3), household.rw.zfill(3)
    group.household = household


def _village(row: Row, code: str, villages: dict[str, bool], actor: User, household: HouseholdData,
             allowed: dict[str, bool]) -> None:  # fmt: skip
    if code not in villages:
        row.reject("KODE_WILAYAH", _("Kode desa/kelurahan tidak dikenal."))
    elif not villages[code]:
        row.reject("KODE_WILAYAH", _("Desa/kelurahan ini tidak aktif."))
    else:
        if code not in allowed:  # the policy's answer, asked once a village
            allowed[code] = policy.may_import(actor, code)
        if not allowed[code]:
            row.reject("KODE_WILAYAH", _("Desa/kelurahan ini di luar wilayah kerja Anda."))
        else:
            household.village_id = code


def check_heads(group: Group) -> None:
    heads = [row for row in group.rows if row.person is not None and row.person.relation == Relation.HEAD]
    if len(heads) == 0:
        group.reject_all("HUBUNGAN", _("KK ini tidak punya KEPALA KELUARGA."))
    for row in heads[1:]:
        row.reject(
            "HUBUNGAN",
            _("KK ini sudah punya KEPALA KELUARGA di baris %(n)d.") % {"n": heads[0].number},
        )
