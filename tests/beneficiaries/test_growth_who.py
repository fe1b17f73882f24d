"""The growth computation core: pure, no database.

Hand-computed cases take L, M and S from the CSV row named in the comment and work
z = ((X / M) ** L - 1) / (L * S) (for length/height L = 1: z = (X / M - 1) / S); the
restricted tails use SDk = M * (1 + L*S*k) ** (1/L). Intermediate values are shown to six
decimals; the assertions are on the two-decimal z that `assess` hands out, and on the
full-precision z within 1e-5.
"""

import csv
import datetime
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beneficiaries.growth import who
from beneficiaries.growth.signs import GrowthSign, growth_sign, two_t
from beneficiaries.growth.who import (
    LMS,
    HazStatus,
    WazStatus,
    WhzStatus,
    age_in_months,
    assess,
    round_z,
    validate_measurement,
)
from core.errors import DomainError

D = datetime.date


@pytest.fixture(autouse=True)
def _indonesian():
    with translation.override("id"):
        yield


def months_after(birth: datetime.date, months: int) -> datetime.date:
    """The day `months` completed months after a birth on the 15th."""
    year, month = divmod(birth.month - 1 + months, 12)
    return birth.replace(year=birth.year + year, month=month + 1)


BIRTH = D(2020, 1, 15)


def measure(sex, age, weight, height, position="lying"):
    return assess(
        sex=sex,
        birth=BIRTH,
        on=months_after(BIRTH, age),
        weight_kg=weight,
        height_cm=height,
        position=position,
    )


# --- the table ---------------------------------------------------------------------


def test_the_table_is_read_once_from_the_package():
    """The CSV ships inside the package and is parsed once per process."""
    assert who.DATA.is_file() and (who.DATA.parent / "README.md").is_file()
    assert who.tables() is who.tables()
    assert len(who.tables().by_age) == 2 * (61 + 25 + 37)
    assert len(who.tables().by_length) == 2 * (131 + 111)


def test_z_is_zero_at_the_median_of_every_row():
    """X = M gives z = 0 within 1e-9 on every row of every indicator, both sexes, both
    formulas (plain and restricted)."""
    with who.DATA.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 730
    for row in rows:
        lms = LMS(float(row["L"]), float(row["M"]), float(row["S"]))
        assert abs(lms.z(lms.M)) < 1e-9, row
        assert abs(lms.restricted_z(lms.M)) < 1e-9, row
        assert abs(lms.at(0) - lms.M) < 1e-9, row


# --- WHO's published values --------------------------------------------------------


def test_boys_length_at_24_months_minus_2_sd_is_81_7_cm():
    """WHO publishes boys' length-for-age (lying) at 24 months -2 SD 81.7 cm, and
    height-for-age (standing) at 24 months -2 SD 81.0 cm: the 0.7 cm between them is WHO's
    measuring rule. Our rule puts a boy of 24 months measured lying at 81.7 cm on the
    height rows at 81.0 cm: (81.0 / 87.1161 - 1) / 0.03507 = -2.001891, shown as -2.00,
    which is not stunted (-2 to +3 is normal)."""
    length_row = who.lms_for_age("lhfa", "L", 24)
    assert round(LMS(1, 87.8161, 0.03479).at(-2), 1) == 81.7  # the length row at 24
    assert round(length_row.at(-2), 1) == 81.0  # the height row the rules use at 24
    result = measure("L", 24, 11.0, 81.7, "lying")
    assert result.height_used_cm == Decimal("81.0")
    assert abs(result.haz + 2) < Decimal("0.05")
    assert (result.haz, result.haz_status) == (Decimal("-2.00"), HazStatus.NORMAL)


def test_boys_weight_at_12_months_minus_2_and_minus_3_sd():
    """WHO publishes boys' weight-for-age at 12 months -2 SD 7.7 kg and -3 SD 6.9 kg.
    wfa L 12: L 0.0644, M 9.6479, S 0.10925; L*S = 0.0070357, 1/L = 15.52795.
    -2 SD = 9.6479 * 0.985929 ** 15.52795 = 7.742219 (7.7); -3 SD = 9.6479 * 0.978893 **
    15.52795 = 6.927382 (6.9). At 7.7 kg: (7.7 / 9.6479) ** 0.0644 = 0.985581, z =
    -0.014419 / 0.0070357 = -2.049338; at 6.9 kg beyond -3: -3 + (6.9 - 6.927382) /
    (7.742219 - 6.927382) = -3.033604. Both within 0.05 of -2 and -3 (7.7 is 7.742 to 0.1 kg,
    so its z is -2.049, shown as -2.05)."""
    row = who.lms_for_age("wfa", "L", 12)
    assert (round(row.at(-2), 1), round(row.at(-3), 1)) == (7.7, 6.9)
    assert abs(row.z(7.7) + 2) < 0.05 and abs(row.restricted_z(6.9) + 3) < 0.05
    minus_2, minus_3 = measure("L", 12, 7.7, 75.0), measure("L", 12, 6.9, 75.0)
    assert (minus_2.waz, minus_2.waz_status) == (Decimal("-2.05"), WazStatus.UNDERWEIGHT)
    assert (minus_3.waz, minus_3.waz_status) == (Decimal("-3.03"), WazStatus.SEVERELY_UNDERWEIGHT)


# --- hand-computed cases -----------------------------------------------------------

# (sex, age months, weight kg, length/height cm, position, full-precision z, status)
HAZ_CASES = [
    # lhfa L 0 length: M 49.8842, S 0.03795. (52.0/49.8842 - 1)/0.03795 = 0.042414/0.03795
    ("L", 0, 3.5, "52.0", "lying", 1.117635, HazStatus.NORMAL),
    # girl under 24 measured standing: 80.0 + 0.7 = 80.7. lhfa P 23 length: M 85.5202,
    # S 0.03711. (80.7/85.5202 - 1)/0.03711 = -0.056363/0.03711
    ("P", 23, 10.0, "80.0", "standing", -1.518817, HazStatus.NORMAL),
    # 24-month switch, lying: 80.0 - 0.7 = 79.3 on the height rows. lhfa P 24 height:
    # M 85.7153, S 0.03764. (79.3/85.7153 - 1)/0.03764 = -0.074844/0.03764
    # (the length row, M 86.4153 S 0.03734, at 80.0 would give -1.988163: the rule agrees)
    ("P", 24, 10.0, "80.0", "lying", -1.988424, HazStatus.NORMAL),
    # lhfa L 36 height: M 96.0835, S 0.03858. (88.0/96.0835 - 1)/0.03858 = -0.084130/0.03858
    ("L", 36, 12.0, "88.0", "standing", -2.180662, HazStatus.STUNTED),
    # one month before the switch, lying, no correction. lhfa L 23 length: M 86.941,
    # S 0.03445. (80.0/86.941 - 1)/0.03445 = -0.079836/0.03445
    ("L", 23, 10.0, "80.0", "lying", -2.317438, HazStatus.STUNTED),
    # lhfa L 12 length: M 75.7488, S 0.03137. (55.0/75.7488 - 1)/0.03137 = -0.273916/0.03137
    ("L", 12, 8.0, "55.0", "lying", -8.731778, HazStatus.SEVERELY_STUNTED),
]

WAZ_CASES = [
    # wfa L 12: L 0.0644, M 9.6479, S 0.10925, L*S 0.0070357.
    # (9.0/9.6479) ** 0.0644 = 0.995533; (0.995533 - 1)/0.0070357
    ("L", 12, "9.0", "75.0", "lying", -0.634877, WazStatus.NORMAL),
    # wfa P 6: L -0.0756, M 7.297, S 0.12204, L*S -0.00922622.
    # (6.0/7.297) ** -0.0756 = 1.014905; 0.014905/-0.00922622
    ("P", 6, "6.0", "65.0", "lying", -1.615526, WazStatus.NORMAL),
    # wfa P 36: L -0.3201, M 13.8503, S 0.12919, L*S -0.04135372.
    # (20.0/13.8503) ** -0.3201 = 0.889040; -0.110960/-0.04135372 (under +3: plain)
    ("P", 36, "20.0", "100.0", "standing", 2.683189, WazStatus.RISK_OF_OVERWEIGHT),
    # wfa P 59: L -0.3505, M 18.0445, S 0.14748, L*S -0.05169174.
    # (12.0/18.0445) ** -0.3505 = 1.153708; 0.153708/-0.05169174
    ("P", 59, "12.0", "100.0", "standing", -2.973547, WazStatus.UNDERWEIGHT),
    # lower tail, wfa L 12: plain (6.0/9.6479) ** 0.0644 = 0.969874 -> -4.281829, beyond -3.
    # SD3neg = 9.6479 * 0.978893 ** 15.52795 = 6.927382, SD2neg = 9.6479 * 0.985929 **
    # 15.52795 = 7.742219; -3 + (6.0 - 6.927382)/(7.742219 - 6.927382) = -3 - 0.927382/0.814837
    ("L", 12, "6.0", "70.0", "lying", -4.138118, WazStatus.SEVERELY_UNDERWEIGHT),
    # upper tail, wfa L 12: plain (20.0/9.6479) ** 0.0644 = 1.048067 -> 6.831808, beyond +3.
    # SD3 = 9.6479 * 1.021107 ** 15.52795 = 13.344166, SD2 = 9.6479 * 1.014071 ** 15.52795 =
    # 11.985736; 3 + (20.0 - 13.344166)/(13.344166 - 11.985736) = 3 + 6.655834/1.358430
    ("L", 12, "20.0", "80.0", "lying", 7.899652, WazStatus.RISK_OF_OVERWEIGHT),
    # lower tail, girls, wfa P 12: L -0.2024, M 8.9481, S 0.12268, L*S -0.02483043, 1/L
    # -4.94071. SD3neg = 8.9481 * 1.074491 ** -4.94071 = 6.274315, SD2neg = 8.9481 *
    # 1.049661 ** -4.94071 = 7.042612; -3 + (3.5 - 6.274315)/(7.042612 - 6.274315)
    # = -3 - 2.774315/0.768297 (plain would be -8.426582)
    ("P", 12, "3.5", "70.0", "lying", -6.610990, WazStatus.SEVERELY_UNDERWEIGHT),
]

WHZ_CASES = [
    # on a row: wfl L 70.0: L -0.3521, M 8.4227, S 0.08229, L*S -0.02897431.
    # (8.0/8.4227) ** -0.3521 = 1.018295; 0.018295/-0.02897431
    ("L", 10, "8.0", "70.0", "lying", -0.631407, WhzStatus.NORMAL),
    # interpolated: 75.3 lies 0.6 of the way from wfl P 75.0 (L -0.3833, M 9.1490,
    # S 0.09005) to 75.5 (M 9.2418, S 0.08999): M = 9.1490 + 0.6 * 0.0928 = 9.20468,
    # S = 0.09005 - 0.6 * 0.00006 = 0.090014. (8.5/9.20468) ** -0.3833 = 1.030999;
    # 0.030999/(-0.3833 * 0.090014 = -0.03450237)
    ("P", 18, "8.5", "75.3", "lying", -0.898461, WhzStatus.NORMAL),
    # standing under 24: 74.55 + 0.7 = 75.25, rounded to 0.1 cm: 75.3 (half up), 0.6 from
    # wfl L 75.0 (L -0.3521, M 9.5032, S 0.08295) to 75.5 (M 9.6041, S 0.08301):
    # M = 9.56374, S = 0.082986. (9.0/9.56374) ** -0.3521 = 1.021622; 0.021622/-0.02921937
    ("L", 20, "9.0", "74.55", "standing", -0.739989, WhzStatus.NORMAL),
    # 24 and over lying: 86.04 - 0.7 = 85.34 -> 85.3 on the wfh rows, 0.6 from wfh L 85.0
    # (M 11.6707, S 0.08156) to 85.5 (M 11.7937, S 0.08138): M = 11.7445, S = 0.081452.
    # (11.0/11.7445) ** -0.3521 = 1.023327; 0.023327/-0.02867925
    ("L", 30, "11.0", "86.04", "lying", -0.813371, WhzStatus.NORMAL),
    # lower tail, wfh P 90.0: L -0.3833, M 12.6461, S 0.08911, L*S -0.03415586, 1/L -2.60892.
    # plain -3.392759; SD3neg = 12.6461 * 1.102468 ** -2.60892 = 9.804545, SD2neg = 12.6461 *
    # 1.068312 ** -2.60892 = 10.643532; -3 + (9.5 - 9.804545)/(10.643532 - 9.804545)
    ("P", 30, "9.5", "90.0", "standing", -3.362991, WhzStatus.SEVERELY_WASTED),
    # upper tail, wfl P 75.0: L -0.3833, M 9.149, S 0.09005, L*S -0.03451617. plain 4.359128;
    # SD3 = 9.149 * 0.896452 ** -2.60892 = 12.168233, SD2 = 9.149 * 0.930968 ** -2.60892 =
    # 11.026073; 3 + (14.0 - 12.168233)/(12.168233 - 11.026073) = 3 + 1.831767/1.142160
    ("P", 12, "14.0", "75.0", "lying", 4.603773, WhzStatus.OBESE),
    # lower tail, wfh L 95.0: L -0.3521, M 14.06, S 0.0806, L*S -0.02837926. plain -4.491719;
    # SD3neg = 14.06 * 1.085138 ** -2.84010 = 11.148197, SD2neg = 14.06 * 1.056759 **
    # -2.84010 = 12.019647; -3 + (10.0 - 11.148197)/0.871450
    ("L", 36, "10.0", "95.0", "standing", -4.317570, WhzStatus.SEVERELY_WASTED),
    # the same row at 7.0 kg: -3 + (7.0 - 11.148197)/0.871450 (plain -9.807891)
    ("L", 36, "7.0", "95.0", "standing", -7.760106, WhzStatus.SEVERELY_WASTED),
    # the first row, reached by rounding: 44.96 -> 45.0. wfl L 45.0: L -0.3521, M 2.441,
    # S 0.09182. (2.4/2.441) ** -0.3521 = 1.005982; 0.005982/-0.03232982
    ("L", 6, "2.4", "44.96", "lying", -0.185032, WhzStatus.NORMAL),
    # the last row, reached by rounding: 110.04 -> 110.0. wfl P 110.0: L -0.3833,
    # M 18.3324, S 0.09401. (18.0/18.3324) ** -0.3833 = 1.007038; 0.007038/-0.03603403
    ("P", 12, "18.0", "110.04", "lying", -0.195325, WhzStatus.NORMAL),
]


@pytest.mark.parametrize(("sex", "age", "weight", "height", "position", "z", "status"), HAZ_CASES)
def test_it_computes_height_for_age(sex, age, weight, height, position, z, status):
    """HAZ by hand, with the 24-month switch and the 0.7 cm rule both ways."""
    result = measure(sex, age, weight, height, position)
    raw = who.height_for_age_z(sex=sex, age_months=age, height_cm=result.height_used_cm)
    assert abs(raw - z) < 1e-5
    assert (result.haz, result.haz_status) == (round_z(z), status)


@pytest.mark.parametrize(("sex", "age", "weight", "height", "position", "z", "status"), WAZ_CASES)
def test_it_computes_weight_for_age(sex, age, weight, height, position, z, status):
    """WAZ by hand, restricted beyond +/-3 SD."""
    result = measure(sex, age, weight, height, position)
    raw = who.weight_for_age_z(sex=sex, age_months=age, weight_kg=Decimal(weight))
    assert abs(raw - z) < 1e-5
    assert (result.waz, result.waz_status) == (round_z(z), status)


@pytest.mark.parametrize(("sex", "age", "weight", "height", "position", "z", "status"), WHZ_CASES)
def test_it_computes_weight_for_length_and_height(sex, age, weight, height, position, z, status):
    """WHZ by hand: rows, interpolation, the 0.1 cm rounding, the 0.7 cm rule, the tails."""
    result = measure(sex, age, weight, height, position)
    raw = who.weight_for_height_z(
        sex=sex, age_months=age, weight_kg=Decimal(weight), height_cm=result.height_used_cm
    )
    assert abs(raw - z) < 1e-5
    assert (result.whz, result.whz_status, result.whz_note) == (round_z(z), status, "")


def test_the_0_7_cm_rule_corrects_only_the_other_way_of_measuring():
    """Under 24 months standing +0.7, from 24 lying -0.7; lying under 24 and standing
    from 24 are what the tables hold."""
    corrected = who.corrected_height
    assert corrected(age_months=23, height_cm=Decimal("80.0"), position="standing") == Decimal("80.7")
    assert corrected(age_months=23, height_cm=Decimal("80.0"), position="lying") == Decimal("80.0")
    assert corrected(age_months=24, height_cm=Decimal("80.0"), position="lying") == Decimal("79.3")
    assert corrected(age_months=24, height_cm=Decimal("80.0"), position="standing") == Decimal("80.0")


def test_whz_switches_from_length_to_height_rows_at_24_months():
    """The same boy, 80.0 cm standing and 10.0 kg: at 23 months 80.0 + 0.7 = 80.7 on the
    wfl rows, 0.4 from 80.5 (M 10.5405, S 0.08301) to 81.0 (M 10.6352, S 0.08293): M =
    10.57838, S = 0.082978; at 24 months 80.0 on the wfh row (M 10.5781, S 0.08298). WHO
    built weight-for-height as weight-for-length 0.7 cm further on, so the two agree."""
    at_23, at_24 = measure("L", 23, "10.0", "80.0", "standing"), measure("L", 24, "10.0", "80.0", "standing")
    wfl = who.lms_for_length("wfl", "L", Decimal("80.7"))
    wfh = who.tables().by_length[("wfh", "L", 800)]
    assert (round(wfl.M, 5), round(wfl.S, 6), wfh.M) == (10.57838, 0.082978, 10.5781)
    assert at_23.whz == round_z(wfl.restricted_z(10.0)) == Decimal("-0.68")
    assert at_24.whz == round_z(wfh.restricted_z(10.0)) == Decimal("-0.68")
    assert wfl.restricted_z(10.0) != wfh.restricted_z(10.0)


WFL_NOTE = "BB/PB tidak dihitung: panjang badan {} cm di luar tabel WHO (45-110 cm)."
WFH_NOTE = "BB/TB tidak dihitung: tinggi badan {} cm di luar tabel WHO (65-120 cm)."


@pytest.mark.parametrize(
    ("sex", "age", "height", "position", "note"),
    [
        # 44.94 rounds to 44.9, under the first wfl row (45.0)
        ("L", 6, "44.94", "lying", WFL_NOTE.format("44,9")),
        # 110.05 rounds to 110.1, over the last wfl row (110.0)
        ("P", 12, "110.05", "lying", WFL_NOTE.format("110,1")),
        # 65.6 lying at 24 months is 64.9 standing, under the first wfh row (65.0)
        ("P", 24, "65.6", "lying", WFH_NOTE.format("64,9")),
        ("L", 59, "120.1", "standing", WFH_NOTE.format("120,1")),
    ],
)
def test_it_leaves_whz_out_outside_the_table_with_the_reason(sex, age, height, position, note):
    """Outside the table WHZ and its status are None and the note says why; HAZ and WAZ
    are still computed."""
    result = measure(sex, age, "8.0", height, position)
    assert (result.whz, result.whz_status, result.whz_note) == (None, None, note)
    assert result.haz is not None and result.waz is not None


# --- status boundaries and flags ---------------------------------------------------


@pytest.mark.parametrize(
    ("z", "status"),
    [
        ("-3.01", HazStatus.SEVERELY_STUNTED),
        ("-3.00", HazStatus.STUNTED),
        ("-2.01", HazStatus.STUNTED),
        ("-2.00", HazStatus.NORMAL),
        ("3.00", HazStatus.NORMAL),
        ("3.01", HazStatus.TALL),
    ],
)
def test_haz_status_boundaries(z, status):
    """-3 to < -2 stunted, -2 to +3 normal: -2.00 is normal, +3.00 is normal."""
    assert who.haz_status(Decimal(z)) == status


@pytest.mark.parametrize(
    ("z", "status"),
    [
        ("-3.01", WazStatus.SEVERELY_UNDERWEIGHT),
        ("-3.00", WazStatus.UNDERWEIGHT),
        ("-2.00", WazStatus.NORMAL),
        ("1.00", WazStatus.NORMAL),
        ("1.01", WazStatus.RISK_OF_OVERWEIGHT),
    ],
)
def test_waz_status_boundaries(z, status):
    """-2 to +1 normal, > +1 strictly the risk of overweight."""
    assert who.waz_status(Decimal(z)) == status


@pytest.mark.parametrize(
    ("z", "status"),
    [
        ("-3.01", WhzStatus.SEVERELY_WASTED),
        ("-3.00", WhzStatus.WASTED),
        ("-2.01", WhzStatus.WASTED),
        ("-2.00", WhzStatus.NORMAL),
        ("1.00", WhzStatus.NORMAL),
        ("1.01", WhzStatus.POSSIBLE_RISK_OF_OVERWEIGHT),
        ("2.00", WhzStatus.POSSIBLE_RISK_OF_OVERWEIGHT),
        ("2.01", WhzStatus.OVERWEIGHT),
        ("3.00", WhzStatus.OVERWEIGHT),
        ("3.01", WhzStatus.OBESE),
    ],
)
def test_whz_status_boundaries(z, status):
    """Each band's upper bound belongs to it above zero, its lower bound below zero."""
    assert who.whz_status(Decimal(z)) == status


def test_statuses_speak_indonesian():
    """The labels are the Permenkes words."""
    assert [str(s.label) for s in WhzStatus] == [
        "gizi buruk",
        "gizi kurang",
        "gizi baik",
        "berisiko gizi lebih",
        "gizi lebih",
        "obesitas",
    ]
    assert [str(s.label) for s in HazStatus] == ["sangat pendek", "pendek", "normal", "tinggi"]


def test_status_is_judged_on_the_rounded_z():
    """-2.004 is shown as -2.00 and so is normal; -2.005 rounds away from zero to -2.01."""
    assert (round_z(-2.004), round_z(-2.005), round_z(2.005)) == (
        Decimal("-2.00"),
        Decimal("-2.01"),
        Decimal("2.01"),
    )
    assert str(round_z(-0.004)) == "0.00"  # no "-0.00" on a page
    assert who.haz_status(round_z(-2.004)) == HazStatus.NORMAL
    assert who.haz_status(round_z(-2.005)) == HazStatus.STUNTED


@pytest.mark.parametrize(
    ("indicator", "inside", "outside"),
    [
        ("haz", ("-6.00", "6.00"), ("-6.01", "6.01")),
        ("waz", ("-6.00", "5.00"), ("-6.01", "5.01")),
        ("whz", ("-5.00", "5.00"), ("-5.01", "5.01")),
    ],
)
def test_plausibility_limits(indicator, inside, outside):
    """WHO: HAZ < -6 or > 6, WAZ < -6 or > 5, WHZ < -5 or > 5 are implausible."""
    assert not any(who.implausible(indicator, Decimal(z)) for z in inside)
    assert all(who.implausible(indicator, Decimal(z)) for z in outside)


def test_implausible_values_are_kept_and_flagged():
    """A boy of 12 months, 55.0 cm (HAZ -8.73) and 20.0 kg (WAZ 7.90, hand-computed above):
    both flagged, values kept; a plausible child is not flagged."""
    result = measure("L", 12, "20.0", "55.0", "lying")
    assert (result.haz, result.waz) == (Decimal("-8.73"), Decimal("7.90"))
    assert result.flagged and result.flags[:2] == ("haz", "waz")
    wasted = measure("L", 36, "7.0", "95.0", "standing")  # WHZ -7.76
    assert "whz" in wasted.flags and wasted.whz == Decimal("-7.76")
    assert not measure("L", 12, "9.0", "75.0").flagged


# --- age in months -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "on", "months"),
    [
        (D(2024, 1, 31), D(2024, 1, 31), 0),
        (D(2024, 1, 31), D(2024, 2, 29), 0),  # leap February has no 31st
        (D(2024, 1, 31), D(2024, 3, 1), 1),  # ... so the month completes on 1 March
        (D(2025, 1, 31), D(2025, 2, 28), 0),  # nor has a common February
        (D(2025, 1, 31), D(2025, 3, 1), 1),
        (D(2024, 2, 29), D(2025, 2, 28), 11),  # born on the leap day
        (D(2024, 2, 29), D(2025, 3, 1), 12),
        (D(2024, 2, 29), D(2024, 3, 29), 1),
        (D(2025, 3, 31), D(2025, 4, 30), 0),  # a 30-day month's end
        (D(2025, 3, 31), D(2025, 5, 1), 1),
        (D(2025, 3, 31), D(2025, 5, 31), 2),
        (D(2025, 1, 15), D(2025, 2, 14), 0),
        (D(2025, 1, 15), D(2025, 2, 15), 1),
        (D(2020, 12, 15), D(2025, 12, 14), 59),  # the last day of a toddler
        (D(2020, 12, 15), D(2025, 12, 15), 60),
    ],
)
def test_age_in_completed_calendar_months(birth, on, months):
    """A month is complete on the day matching the birth day; a month too short for it
    (born on the 31st, or 29 February) completes on the 1st of the next month, not on its
    last day."""
    assert age_in_months(birth, on) == months


def test_it_rejects_an_age_before_birth():
    """age_in_months is not defined before birth (validation names the field first)."""
    with pytest.raises(ValueError):
        age_in_months(D(2025, 1, 15), D(2025, 1, 14))


# --- validation --------------------------------------------------------------------


def valid(**changes):
    values = {
        "sex": "P",
        "birth": D(2024, 1, 15),
        "measured_on": D(2025, 1, 15),
        "weight_kg": Decimal("9.0"),
        "height_cm": Decimal("74.0"),
        "position": "lying",
    }
    return {**values, **changes}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"measured_on": D(2024, 1, 14)},
            "measured_on",
            "Tanggal pengukuran tidak boleh sebelum tanggal lahir anak.",
        ),
        (
            {"measured_on": D(2029, 1, 15)},
            "measured_on",
            "Anak sudah berumur 60 bulan atau lebih pada tanggal pengukuran.",
        ),
        (
            {"measured_on": D(2025, 1, 16), "today": D(2025, 1, 15)},
            "measured_on",
            "Tanggal pengukuran tidak boleh di masa depan.",
        ),
        ({"weight_kg": Decimal("0.49")}, "weight_kg", "Berat badan harus antara 0,5 dan 40 kg."),
        ({"weight_kg": 40.01}, "weight_kg", "Berat badan harus antara 0,5 dan 40 kg."),
        ({"height_cm": Decimal("34.9")}, "height_cm", "Panjang/tinggi badan harus antara 35 dan 130 cm."),
        ({"height_cm": 130.1}, "height_cm", "Panjang/tinggi badan harus antara 35 dan 130 cm."),
        ({"position": "sitting"}, "position", "Cara ukur harus berbaring atau berdiri."),
        ({"sex": ""}, "sex", "Jenis kelamin anak belum tercatat."),
    ],
)
def test_it_rejects_what_cannot_be_assessed(changes, field, message):
    """Refused with the field named, in Indonesian."""
    with pytest.raises(DomainError) as refused:
        validate_measurement(**valid(**changes))
    assert (refused.value.code, refused.value.field) == ("invalid", field)
    assert refused.value.errors == {field: [message]}


def test_it_accepts_the_limits_themselves():
    """0.5 and 40 kg, 35 and 130 cm, the day of birth and 59 completed months are valid."""
    validate_measurement(**valid(weight_kg=Decimal("0.5"), height_cm=35, measured_on=D(2024, 1, 15)))
    validate_measurement(**valid(weight_kg=40, height_cm=130.0, measured_on=D(2029, 1, 14)))


def test_it_names_every_refused_field_at_once():
    """A form can show all its errors in one round."""
    with pytest.raises(DomainError) as refused:
        validate_measurement(**valid(weight_kg=0.1, height_cm=200, measured_on=D(2023, 1, 1)))
    assert set(refused.value.errors) == {"measured_on", "weight_kg", "height_cm"}


def test_assess_refuses_a_child_of_60_months():
    """assess validates before it computes."""
    with pytest.raises(DomainError) as refused:
        measure("L", 60, "15.0", "105.0", "standing")
    assert refused.value.field == "measured_on"


def test_float_and_decimal_inputs_give_the_same_result():
    """A float is read as written: 74.55 is 74.55, so its corrected 75.25 rounds to 75.3."""
    as_floats = measure("L", 20, 9.0, 74.55, "standing")
    assert as_floats == measure("L", 20, Decimal("9.0"), Decimal("74.55"), "standing")
    assert as_floats.height_used_cm == Decimal("75.25")


# --- growth signs ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "last", "first", "sign"),
    [
        (Decimal("8.1"), Decimal("8.0"), False, "N"),
        (Decimal("8.0"), Decimal("8.0"), False, "T"),  # the same weight is not up
        (Decimal("7.9"), Decimal("8.0"), False, "T"),
        (Decimal("8.0"), None, True, "B"),
        (Decimal("8.0"), Decimal("7.0"), True, "B"),  # first wins over anything else
        (Decimal("8.0"), None, False, "O"),
        (7.1, Decimal("7.1"), False, "T"),  # a float 7.1 is the Decimal 7.1
        (7.2, Decimal("7.1"), False, "N"),
    ],
)
def test_growth_sign(now, last, first, sign):
    """N up, T not up, B first weighing ever, O not weighed last month."""
    assert growth_sign(weight_now=now, weight_last_month=last, first=first) == sign
    assert isinstance(growth_sign(weight_now=now, weight_last_month=last, first=first), GrowthSign)


@pytest.mark.parametrize(
    ("signs", "expected"),
    [
        ([], False),
        (["T"], False),
        (["B", "T"], False),
        (["N", "T", "T"], True),
        (["T", "T", "N"], False),  # it grew again: no longer 2T
        (["T", "O", "T"], False),  # a missed month breaks the run
        (["T", "N", "T"], False),
        (("B", "T", "T"), True),
    ],
)
def test_two_t_is_the_two_latest_signs_not_up(signs, expected):
    """2T: the two latest monthly signs (oldest first) are both T."""
    assert two_t(signs) is expected


# --- properties --------------------------------------------------------------------

valid_children = st.fixed_dictionaries(
    {
        "sex": st.sampled_from(["L", "P"]),
        "birth": st.dates(D(2015, 1, 1), D(2030, 12, 31)),
        "days": st.integers(0, 1825),
        "weight_kg": st.decimals("0.5", "40", places=2),
        "height_cm": st.decimals("35", "130", places=1),
        "position": st.sampled_from(["lying", "standing"]),
    }
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(valid_children)
def test_assess_never_raises_for_valid_inputs(child):
    """Every valid toddler gets HAZ and WAZ; WHZ or a note saying why not."""
    on = child["birth"] + datetime.timedelta(days=child["days"])
    if age_in_months(child["birth"], on) >= 60:
        return
    result = assess(
        sex=child["sex"],
        birth=child["birth"],
        on=on,
        weight_kg=child["weight_kg"],
        height_cm=child["height_cm"],
        position=child["position"],
    )
    assert (result.whz is None) == bool(result.whz_note)
    assert result.flagged == bool(result.flags)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(["L", "P"]),
    st.integers(0, 59),
    st.decimals("0.5", "39.99", places=2),
    st.decimals("0.01", "10", places=2),
)
def test_waz_rises_with_weight(sex, age, weight, more):
    """More weight never lowers WAZ, through the tails as well (full precision: strictly)."""
    heavier = min(weight + more, Decimal("40"))
    low = who.weight_for_age_z(sex=sex, age_months=age, weight_kg=weight)
    high = who.weight_for_age_z(sex=sex, age_months=age, weight_kg=heavier)
    assert high > low
    assert measure(sex, age, heavier, "80.0").waz >= measure(sex, age, weight, "80.0").waz
