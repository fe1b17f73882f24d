"""Each row and each KK through the rules the forms use: the models' own validators and
`clean()` (beneficiaries.identity underneath), not a copy of them. What only an import has
(the household's fields repeating on every row, the village code as text) is checked here."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from regions import policy
from regions.models import User

from ..models import Household, Person, Relation, Sex
from .columns import HOUSEHOLD_COLUMNS, ColumnMap

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
NOT_CLEANED = ["household", "village", "district", "regency", "created_by"]


@dataclass(frozen=True)
class Rejection:
    row: int
    column: str
    reason: str


@dataclass
class Row:
    number: int
    values: dict[str, str]
    person: Person | None = None
    errors: list[Rejection] = field(default_factory=list)

    def reject(self, column: str, reason: str) -> None:
        self.errors.append(Rejection(self.number, column, str(reason)))


@dataclass
class Group:
    """The rows of one KK, in file order."""

    kk: str
    rows: list[Row]
    household: Household | None = None
    errors: list[Rejection] = field(default_factory=list)

    @property
    def rejections(self) -> list[Rejection]:
        return self.errors + [e for row in self.rows for e in row.errors]

    def reject_all(self, column: str, reason: str) -> None:
        for row in self.rows:
            self.errors.append(Rejection(row.number, column, str(reason)))


def read_row(number: int, cells: list[str], columns: ColumnMap) -> Row:
    values = {name: (cells[i].strip() if i < len(cells) else "") for name, i in columns.index.items()}
    return Row(number=number, values=values)


def parse_date(text: str) -> datetime.date | None:
    for pattern in ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def build_person(row: Row, actor: User) -> None:
    """The row's member, checked by Person.clean() and the field validators."""
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
    nik = v.get("NIK", "")
    person = Person(
        nik=nik or None,
        has_no_nik=not nik,
        full_name=v.get("NAMA", ""),
        sex=sex or "",
        birth_date=born,  # type: ignore[misc]  # None: reported above, and clean() skips it
        relation=relation or "",
        is_female_head=sex == Sex.FEMALE and relation == Relation.HEAD,
        created_by=actor,
    )
    skip = [f for f, col in PERSON_COLUMN_OF.items() if any(e.column == col for e in row.errors)]
    _collect(row, person, PERSON_COLUMN_OF, NOT_CLEANED + skip)  # NIK against sex and birth date
    row.person = person


def _collect(row: Row, obj, column_of: dict[str, str], exclude: list[str]) -> None:
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, problems in error.message_dict.items():
            column = column_of.get(name, "" if name == NON_FIELD_ERRORS else name)
            for problem in problems:
                row.reject(column, problem)


def build_household(group: Group, actor: User, villages: dict[str, bool]) -> None:
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
    household = Household(
        kk_number=group.kk,
        address=v.get("ALAMAT", ""),
        rt=v.get("RT", ""),
        rw=v.get("RW", ""),
        created_by=actor,
    )
    _village(first, code, villages, actor, household)
    desil = v.get("DESIL", "")
    if desil and not desil.isdigit():
        first.reject("DESIL", _("Desil harus angka 1 sampai 10."))
    else:
        household.desil = int(desil) if desil else None
    _collect(first, household, HOUSEHOLD_COLUMN_OF, NOT_CLEANED)
    household.rt, household.rw = household.rt.zfill(3), household.rw.zfill(3)
    group.household = household


def _village(row: Row, code: str, villages: dict[str, bool], actor: User, household: Household) -> None:
    if code not in villages:
        row.reject("KODE_WILAYAH", _("Kode desa/kelurahan tidak dikenal."))
    elif not villages[code]:
        row.reject("KODE_WILAYAH", _("Desa/kelurahan ini tidak aktif."))
    elif not policy.may_import(actor, code):
        row.reject("KODE_WILAYAH", _("Desa/kelurahan ini di luar wilayah kerja Anda."))
    else:
        household.village_id = code
        household.set_region_codes()


def check_heads(group: Group) -> None:
    heads = [row for row in group.rows if row.person is not None and row.person.relation == Relation.HEAD]
    if len(heads) == 0:
        group.reject_all("HUBUNGAN", _("KK ini tidak punya KEPALA KELUARGA."))
    for row in heads[1:]:
        row.reject(
            "HUBUNGAN",
            _("KK ini sudah punya KEPALA KELUARGA di baris %(n)d.") % {"n": heads[0].number},
        )
