"""The WHO Child Growth Standards (2006) as Permenkes 2/2020 adopts them: age in completed
months, z-scores by the LMS method, the Permenkes status and WHO's plausibility flags.

Pure functions over `data/who_child_growth_lms.csv` (read once per process); no database.

Numbers: measurements (kg, cm) are `Decimal`, so that WHO's 0.7 cm correction and the
rounding to 0.1 cm are exact on what the cadre wrote (a float is taken by its shortest
repr: 80.15 is 80.15, not 80.1499...). The LMS arithmetic is `float` at full precision.
`assess` hands z-scores out rounded to two decimals (`round_z`, a `Decimal`), and judges
status and flags on that rounded value, as WHO's igrowup programs do: a child shown at
HAZ -2.00 is never called stunted.
"""

import csv
import functools
import math
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Literal

from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError

DATA = Path(__file__).parent / "data" / "who_child_growth_lms.csv"

Sex = Literal["L", "P"]
Number = Decimal | float | int

SEXES = ("L", "P")
MAX_AGE_MONTHS = 60  # a toddler (balita) is under 60 completed months
LENGTH_BOARD_MONTHS = 24  # under 24 months lying (length), from 24 standing (height)
POSITION_CORRECTION_CM = Decimal("0.7")
WEIGHT_KG = (Decimal("0.5"), Decimal("40"))
HEIGHT_CM = (Decimal("35"), Decimal("130"))
# WHO's biologically plausible ranges; outside them a z-score is kept but flagged
PLAUSIBLE = {"haz": (-6, 6), "waz": (-6, 5), "whz": (-5, 5)}

TENTH = Decimal("0.1")
HUNDREDTH = Decimal("0.01")


class Position(models.TextChoices):
    LYING = "lying", gettext_lazy("berbaring (panjang badan)")
    STANDING = "standing", gettext_lazy("berdiri (tinggi badan)")


class HazStatus(models.TextChoices):
    """Height-for-age (TB/U, PB/U), Permenkes 2/2020."""

    SEVERELY_STUNTED = "severely_stunted", gettext_lazy("sangat pendek")
    STUNTED = "stunted", gettext_lazy("pendek")
    NORMAL = "normal", gettext_lazy("normal")
    TALL = "tall", gettext_lazy("tinggi")


class WazStatus(models.TextChoices):
    """Weight-for-age (BB/U), Permenkes 2/2020."""

    SEVERELY_UNDERWEIGHT = "severely_underweight", gettext_lazy("berat badan sangat kurang")
    UNDERWEIGHT = "underweight", gettext_lazy("berat badan kurang")
    NORMAL = "normal", gettext_lazy("berat badan normal")
    RISK_OF_OVERWEIGHT = "risk_of_overweight", gettext_lazy("risiko berat badan lebih")


class WhzStatus(models.TextChoices):
    """Weight-for-length/height (BB/PB, BB/TB), Permenkes 2/2020."""

    SEVERELY_WASTED = "severely_wasted", gettext_lazy("gizi buruk")
    WASTED = "wasted", gettext_lazy("gizi kurang")
    NORMAL = "normal", gettext_lazy("gizi baik")
    POSSIBLE_RISK_OF_OVERWEIGHT = "possible_risk_of_overweight", gettext_lazy("berisiko gizi lebih")
    OVERWEIGHT = "overweight", gettext_lazy("gizi lebih")
    OBESE = "obese", gettext_lazy("obesitas")


@dataclass(frozen=True)
class LMS:
    """One row of the WHO table: Box-Cox power L, median M, coefficient of variation S."""

    L: float
    M: float
    S: float

    def z(self, x: float) -> float:
        """The plain LMS z-score of the measurement x."""
        if self.L == 0:
            return math.log(x / self.M) / self.S
        return (math.pow(x / self.M, self.L) - 1) / (self.L * self.S)

    def at(self, k: float) -> float:
        """The measurement on the k SD curve: M * (1 + L*S*k) ** (1/L)."""
        if self.L == 0:
            return self.M * math.exp(self.S * k)
        return self.M * math.pow(1 + self.L * self.S * k, 1 / self.L)

    def restricted_z(self, x: float) -> float:
        """WHO's z-score for weights: beyond +/-3 SD measured in units of the distance
        between the 2 and 3 SD curves, since the LMS curves stretch out in the tails."""
        z = self.z(x)
        if z > 3:
            sd3, sd2 = self.at(3), self.at(2)
            return 3 + (x - sd3) / (sd3 - sd2)
        if z < -3:
            sd3, sd2 = self.at(-3), self.at(-2)
            return -3 + (x - sd3) / (sd2 - sd3)
        return z


@dataclass(frozen=True)
class Tables:
    by_age: dict[tuple[str, str, int, str], LMS]  # (indicator, sex, month, measured)
    by_length: dict[tuple[str, str, int], LMS]  # (indicator, sex, length in mm, i.e. 0.1 cm)


@functools.cache
def tables() -> Tables:
    """The WHO table, read once per process."""
    by_age: dict[tuple[str, str, int, str], LMS] = {}
    by_length: dict[tuple[str, str, int], LMS] = {}
    with DATA.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            lms = LMS(float(row["L"]), float(row["M"]), float(row["S"]))
            if row["by"] == "age_months":
                by_age[(row["indicator"], row["sex"], int(row["value"]), row["measured"])] = lms
            else:
                by_length[(row["indicator"], row["sex"], int(Decimal(row["value"]) * 10))] = lms
    return Tables(by_age=by_age, by_length=by_length)


def as_decimal(value: Number) -> Decimal:
    """A measurement as written: floats by their shortest repr (0.1 is 0.1)."""
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def round_z(z: float) -> Decimal:
    """A z-score to two decimals, halves away from zero (WHO's `rounde`): -2.005 is -2.01;
    never a negative zero."""
    rounded = Decimal(repr(z)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded.is_zero() else rounded


def age_in_months(birth: date, on: date) -> int:
    """Completed calendar months from `birth` to `on`.

    A month is complete on the day of the month that matches the birth day. In a month
    too short to have that day (born on the 31st, or on 29 February) it is complete on the
    1st of the next month, not on the month's last day: born 31 January, measured 29
    February is 0 months and 1 March 1 month; born 29 February 2024, measured 28 February
    2025 is 11 months and 1 March 2025 12.
    """
    if on < birth:
        raise ValueError(f"{on} is before the birth date {birth}")
    months = (on.year - birth.year) * 12 + on.month - birth.month
    return months - (on.day < birth.day)


def corrected_height(*, age_months: int, height_cm: Decimal, position: str) -> Decimal:
    """WHO's measuring rule: the WHO tables hold length (lying) under 24 months and height
    (standing) from 24, and lying is 0.7 cm longer; correct the other way of measuring."""
    if age_months < LENGTH_BOARD_MONTHS and position == Position.STANDING:
        return height_cm + POSITION_CORRECTION_CM
    if age_months >= LENGTH_BOARD_MONTHS and position == Position.LYING:
        return height_cm - POSITION_CORRECTION_CM
    return height_cm


def lms_for_age(indicator: Literal["lhfa", "wfa"], sex: Sex, age_months: int) -> LMS:
    """The row for a completed month; `lhfa` from the length rows under 24 months, the
    height rows from 24 (month 24 has both)."""
    measured = "" if indicator == "wfa" else "length" if age_months < LENGTH_BOARD_MONTHS else "height"
    try:
        return tables().by_age[(indicator, sex, age_months, measured)]
    except KeyError:
        raise ValueError(f"no WHO {indicator} row for sex {sex!r} at {age_months} months") from None


def lms_for_length(indicator: Literal["wfl", "wfh"], sex: Sex, length_cm: Decimal) -> LMS | None:
    """L, M and S at a length rounded to 0.1 cm, interpolated linearly between the table's
    0.5 cm rows; None outside the table."""
    mm = int(length_cm.quantize(TENTH, rounding=ROUND_HALF_UP) * 10)
    rows = tables().by_length
    below = rows.get((indicator, sex, mm - mm % 5))
    if below is None or mm % 5 == 0:
        return below
    above = rows.get((indicator, sex, mm - mm % 5 + 5))
    if above is None:
        return None
    t = (mm % 5) / 5
    return LMS(*(a + t * (b - a) for a, b in zip(_lms(below), _lms(above), strict=True)))


def _lms(row: LMS) -> tuple[float, float, float]:
    return (row.L, row.M, row.S)


def length_range(indicator: Literal["wfl", "wfh"], sex: Sex) -> tuple[Decimal, Decimal]:
    """The first and last length of the table, in cm (wfl 45-110, wfh 65-120)."""
    mm = [k[2] for k in tables().by_length if k[:2] == (indicator, sex)]
    return Decimal(min(mm)) / 10, Decimal(max(mm)) / 10


def weight_height_indicator(age_months: int) -> Literal["wfl", "wfh"]:
    """Weight-for-length under 24 months, weight-for-height from 24."""
    return "wfl" if age_months < LENGTH_BOARD_MONTHS else "wfh"


def height_for_age_z(*, sex: Sex, age_months: int, height_cm: Decimal) -> float:
    """HAZ of a length/height already corrected by WHO's rule; plain LMS (L is 1)."""
    return lms_for_age("lhfa", sex, age_months).z(float(height_cm))


def weight_for_age_z(*, sex: Sex, age_months: int, weight_kg: Decimal) -> float:
    """WAZ, restricted beyond +/-3 SD."""
    return lms_for_age("wfa", sex, age_months).restricted_z(float(weight_kg))


def weight_for_height_z(*, sex: Sex, age_months: int, weight_kg: Decimal, height_cm: Decimal) -> float | None:
    """WHZ of a length/height already corrected by WHO's rule, restricted beyond +/-3 SD;
    None when the length/height lies outside the table."""
    lms = lms_for_length(weight_height_indicator(age_months), sex, height_cm)
    return None if lms is None else lms.restricted_z(float(weight_kg))


def haz_status(z: Decimal | float) -> HazStatus:
    """< -3 severely stunted, -3 to < -2 stunted, -2 to +3 normal, > +3 tall."""
    if z < -3:
        return HazStatus.SEVERELY_STUNTED
    if z < -2:
        return HazStatus.STUNTED
    return HazStatus.NORMAL if z <= 3 else HazStatus.TALL


def waz_status(z: Decimal | float) -> WazStatus:
    """< -3 severely underweight, -3 to < -2 underweight, -2 to +1 normal, > +1 risk of overweight."""
    if z < -3:
        return WazStatus.SEVERELY_UNDERWEIGHT
    if z < -2:
        return WazStatus.UNDERWEIGHT
    return WazStatus.NORMAL if z <= 1 else WazStatus.RISK_OF_OVERWEIGHT


def whz_status(z: Decimal | float) -> WhzStatus:
    """< -3 gizi buruk, -3 to < -2 gizi kurang, -2 to +1 gizi baik, > +1 to +2 berisiko
    gizi lebih, > +2 to +3 gizi lebih, > +3 obesitas."""
    if z < -3:
        return WhzStatus.SEVERELY_WASTED
    if z < -2:
        return WhzStatus.WASTED
    if z <= 1:
        return WhzStatus.NORMAL
    if z <= 2:
        return WhzStatus.POSSIBLE_RISK_OF_OVERWEIGHT
    return WhzStatus.OVERWEIGHT if z <= 3 else WhzStatus.OBESE


def implausible(indicator: Literal["haz", "waz", "whz"], z: Decimal | float) -> bool:
    """Outside WHO's plausible range: HAZ < -6 or > 6, WAZ < -6 or > 5, WHZ < -5 or > 5."""
    low, high = PLAUSIBLE[indicator]
    return z < low or z > high


def validate_measurement(
    *,
    sex: str,
    birth: date,
    measured_on: date,
    weight_kg: Number,
    height_cm: Number,
    position: str,
    today: date | None = None,
) -> None:
    """Refuse what cannot be assessed, every field at once, with the field named:
    a date before birth (or after `today` when given), a child of 60 months or more,
    weight outside 0.5-40 kg, length/height outside 35-130 cm, an unknown position or sex."""
    errors: dict[str, list[str]] = {}
    if measured_on < birth:
        errors["measured_on"] = [_("Tanggal pengukuran tidak boleh sebelum tanggal lahir anak.")]
    elif today is not None and measured_on > today:
        errors["measured_on"] = [_("Tanggal pengukuran tidak boleh di masa depan.")]
    elif age_in_months(birth, measured_on) >= MAX_AGE_MONTHS:
        errors["measured_on"] = [_("Anak sudah berumur 60 bulan atau lebih pada tanggal pengukuran.")]
    if not _within(weight_kg, WEIGHT_KG):
        errors["weight_kg"] = [_("Berat badan harus antara 0,5 dan 40 kg.")]
    if not _within(height_cm, HEIGHT_CM):
        errors["height_cm"] = [_("Panjang/tinggi badan harus antara 35 dan 130 cm.")]
    if position not in Position.values:
        errors["position"] = [_("Cara ukur harus berbaring atau berdiri.")]
    if sex not in SEXES:
        errors["sex"] = [_("Jenis kelamin anak belum tercatat.")]
    if errors:
        raise DomainError(errors=errors)


def _within(value: Number, bounds: tuple[Decimal, Decimal]) -> bool:
    number = as_decimal(value)
    return number.is_finite() and bounds[0] <= number <= bounds[1]


@dataclass(frozen=True)
class GrowthResult:
    """One measurement assessed; z-scores rounded to two decimals, None when not computed."""

    age_months: int
    haz: Decimal
    waz: Decimal
    whz: Decimal | None
    haz_status: HazStatus
    waz_status: WazStatus
    whz_status: WhzStatus | None
    flags: tuple[str, ...]  # the implausible indicators: "haz", "waz", "whz"
    whz_note: str  # why WHZ was not computed; empty when it was
    height_used_cm: Decimal  # the length/height after WHO's 0.7 cm rule

    @property
    def flagged(self) -> bool:
        """To be measured again; left out of prevalence."""
        return bool(self.flags)


def assess(
    *,
    sex: Sex,
    birth: date,
    on: date,
    weight_kg: Number,
    height_cm: Number,
    position: str,
) -> GrowthResult:
    """HAZ, WAZ and WHZ of one measurement, their status and WHO's plausibility flags.
    Raises DomainError (fields measured_on, weight_kg, height_cm, position, sex) for
    what `validate_measurement` refuses."""
    validate_measurement(
        sex=sex, birth=birth, measured_on=on, weight_kg=weight_kg, height_cm=height_cm, position=position
    )
    weight, age = as_decimal(weight_kg), age_in_months(birth, on)
    used = corrected_height(age_months=age, height_cm=as_decimal(height_cm), position=position)
    haz = round_z(height_for_age_z(sex=sex, age_months=age, height_cm=used))
    waz = round_z(weight_for_age_z(sex=sex, age_months=age, weight_kg=weight))
    raw_whz = weight_for_height_z(sex=sex, age_months=age, weight_kg=weight, height_cm=used)
    whz = None if raw_whz is None else round_z(raw_whz)
    scores: tuple[tuple[Literal["haz", "waz", "whz"], Decimal | None], ...] = (
        ("haz", haz),
        ("waz", waz),
        ("whz", whz),
    )
    return GrowthResult(
        age_months=age,
        haz=haz,
        waz=waz,
        whz=whz,
        haz_status=haz_status(haz),
        waz_status=waz_status(waz),
        whz_status=None if whz is None else whz_status(whz),
        flags=tuple(name for name, z in scores if z is not None and implausible(name, z)),
        whz_note="" if whz is not None else whz_out_of_range_note(sex=sex, age_months=age, height_cm=used),
        height_used_cm=used,
    )


def whz_out_of_range_note(*, sex: Sex, age_months: int, height_cm: Decimal) -> str:
    """Why WHZ is not computed: the length/height lies outside the WHO table."""
    indicator = weight_height_indicator(age_months)
    low, high = length_range(indicator, sex)
    values = {
        "cm": number_format(height_cm.quantize(TENTH, rounding=ROUND_HALF_UP), 1),
        "low": number_format(low, 0),
        "high": number_format(high, 0),
    }
    if indicator == "wfl":
        return (
            _("BB/PB tidak dihitung: panjang badan %(cm)s cm di luar tabel WHO (%(low)s-%(high)s cm).")
            % values
        )
    return _("BB/TB tidak dihitung: tinggi badan %(cm)s cm di luar tabel WHO (%(low)s-%(high)s cm).") % values
