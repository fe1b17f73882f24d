"""NIK and KK numbers, checked as PRODUCT.md describes.

NIK: 16 digits = province (2) + regency (2) + district (2) of registration, the birth date
DDMMYY (women: DD + 40), and a 4-digit serial. KK: 16 digits, the same region prefix, the
date the card was issued and a serial.

Only the serial (the last four digits) cannot be derived from what is shown beside a
number (the region, the birth date, the sex), so the masked form hides the serial, and
`shown_nik` / `shown_kk` are the one place that decides which form a user sees, and each
full number they give out is written to the personal-data access log. No message here
echoes the digits typed.
"""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import record_access
from core.formatting import long_date
from core.models import AccessKind
from regions import policy
from regions.selectors import scope_of

if TYPE_CHECKING:
    from regions.models import User

    from .models import Household, Person

BANTEN = "36"
# Kemendagri province codes, including the Papua provinces created in 2022.
PROVINCE_CODES = {
    "11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35",
    "36", "51", "52", "53", "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76",
    "81", "82", "91", "92", "93", "94", "95", "96",
}  # fmt: skip


@dataclass(frozen=True)
class NikInfo:
    region: str  # six digits: province, regency, district
    birth_date: datetime.date
    sex: str  # "L" or "P"
    outside_banten: bool


def _check_digits(value: str, label: str) -> None:
    if not value.isascii() or not value.isdigit():
        raise ValidationError(_("%(label)s hanya boleh berisi angka.") % {"label": label}, code="format")
    if len(value) != 16:
        raise ValidationError(
            _("%(label)s harus tepat 16 angka, bukan %(n)d.") % {"label": label, "n": len(value)},
            code="length",
        )


def _check_region(value: str, label: str) -> None:
    if value[:2] not in PROVINCE_CODES or value[2:4] == "00" or value[4:6] == "00":
        raise ValidationError(
            _("%(label)s diawali kode wilayah (6 angka pertama) yang tidak dikenal.") % {"label": label},
            code="region",
        )


def _birth_date(day: int, month: int, yy: int, today: datetime.date) -> datetime.date | None:
    year = 2000 + yy if 2000 + yy <= today.year else 1900 + yy
    try:
        born = datetime.date(year, month, day)
    except ValueError:
        return None
    return born if born <= today else datetime.date(born.year - 100, month, day)


def parse_nik(nik: str, *, today: datetime.date | None = None) -> NikInfo:
    """Read a NIK, or raise ValidationError saying what is wrong, in Indonesian."""
    nik = (nik or "").strip()
    _check_digits(nik, "NIK")
    _check_region(nik, "NIK")
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = "P" if day > 40 else "L"
    born = _birth_date(day - 40 if day > 40 else day, month, yy, today or timezone.localdate())
    if born is None:
        raise ValidationError(
            _("NIK memuat tanggal lahir (angka ke-7 sampai ke-12) yang tidak ada."),
            code="date",
        )
    if nik[12:] == "0000":
        raise ValidationError(_("Nomor urut NIK (4 angka terakhir) tidak boleh 0000."), code="serial")
    return NikInfo(region=nik[:6], birth_date=born, sex=sex, outside_banten=nik[:2] != BANTEN)


def check_nik_matches(info: NikInfo, *, sex: str | None, birth_date: datetime.date | None = None) -> None:
    """The sex recorded must be the one the NIK implies (women's day + 40), and the birth
    date the one it holds (day, month and the year's last two digits: the NIK has no
    century). A date mismatch names both fields and says the NIK's date, a date shown
    beside the masked NIK anyway, never its digits."""
    errors: dict[str, list[ValidationError]] = {}
    if sex and sex != info.sex:
        message = (
            _("NIK ini milik perempuan (tanggal lahir ditambah 40), tetapi jenis kelamin dicatat laki-laki.")
            if info.sex == "P"
            else _(
                "NIK ini milik laki-laki, tetapi jenis kelamin dicatat perempuan (NIK perempuan memakai tanggal lahir ditambah 40)."
            )
        )
        errors["nik"] = [ValidationError(message, code="sex_mismatch")]
    if birth_date and _day_month_yy(birth_date) != _day_month_yy(info.birth_date):
        held = {"date": long_date(info.birth_date)}
        errors.setdefault("nik", []).append(
            ValidationError(
                _("NIK ini memuat tanggal lahir %(date)s, tidak sama dengan tanggal lahir yang diisi.")
                % held,
                code="birth_date_mismatch",
            )
        )
        errors["birth_date"] = [
            ValidationError(
                _(
                    "Tanggal lahir tidak sama dengan tanggal lahir di NIK (%(date)s). Periksa NIK atau tanggal lahir."
                )
                % held,
                code="birth_date_mismatch",
            )
        ]
    if list(errors) == ["nik"] and len(errors["nik"]) == 1:
        raise errors["nik"][0]  # the sex alone: the NIK's error, as Person.clean files it
    if errors:
        raise ValidationError(errors)


def _day_month_yy(day: datetime.date) -> tuple[int, int, int]:
    return day.day, day.month, day.year % 100


def validate_nik_format(value: str) -> None:
    parse_nik(value)


def validate_kk(value: str) -> None:
    """A KK number: 16 digits starting with a known region code."""
    value = (value or "").strip()
    _check_digits(value, "Nomor KK")
    _check_region(value, "Nomor KK")
    if value[12:] == "0000":
        raise ValidationError(_("Nomor urut KK (4 angka terakhir) tidak boleh 0000."), code="serial")


SERIAL_DIGITS = 4


def mask_nik(nik: str | None) -> str:
    """`360101120385****`: everything but the serial, the one part that cannot be derived."""
    if not nik:
        return "—"
    return nik[:-SERIAL_DIGITS] + "*" * SERIAL_DIGITS if len(nik) > SERIAL_DIGITS else "*" * len(nik)


mask_kk = mask_nik  # a KK has the same shape: region, date, serial


def shown_nik(user: "User", person: "Person", *, in_list: bool = False) -> str:
    """A person's NIK as `user` may see it: whole on a single record for a user who may see
    the identity numbers of the person's village; masked in lists and for everyone else."""
    if not person.nik:
        return mask_nik(None)
    if in_list:  # before reading the household: a list row must not cost a query
        return mask_nik(person.nik)
    village = person.household.village_id
    if policy.may_see_full_identity(user, village):
        record_access(actor=user, kind=AccessKind.FULL_NIK, obj=person, region_code=village)
        return person.nik
    return mask_nik(person.nik)


def sees_every_number_whole(user: "User") -> bool:
    """Whether `user` sees the NIK and KK of every row they can reach whole (rows lie inside
    the user's region, so the question is asked of the region itself)."""
    scope = scope_of(user)
    return not scope.empty and policy.may_see_full_identity(user, scope.code)


def shown_kk(user: "User", household: "Household") -> str:
    """A household's KK number as `user` may see it: whole for a user who may see the
    identity numbers of its village, masked for everyone else."""
    if policy.may_see_full_identity(user, household.village_id):
        record_access(actor=user, kind=AccessKind.FULL_KK, obj=household, region_code=household.village_id)
        return household.kk_number
    return mask_kk(household.kk_number)
