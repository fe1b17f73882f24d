"""Property-based tests (hypothesis) over every input rule: any string never crashes, is
accepted only when an independent oracle (written here, from PRODUCT.md, not from the
code) says it is valid, and a refusal names the field or column.

Each test keeps a modest example count: the whole suite must stay near ten minutes."""

import datetime
import re
import string

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from beneficiaries.identity import PROVINCE_CODES, parse_nik, validate_kk
from beneficiaries.imports.rows import (
    FieldChecks,
    Group,
    Row,
    build_household,
    build_person,
    parse_date,
)
from beneficiaries.models.people import rt_rw_validator
from beneficiaries.services.growth import _decimal
from core.validators import validate_plain_text

TODAY = datetime.date(2026, 3, 15)
FEW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text that hits the edges: digits of other scripts, superscripts, underscores, signs,
# whitespace of every kind, control and bidi characters, NUL.
EDGY = st.sampled_from(list("0123456789") + ["٣", "²", "_", "-", "+", ".", ",", " ", "\n", "\t", "\x00",
                                             "\u202e", "\u200f", "\xa0", "e", "E", "Rp", "/"])  # fmt: skip
ANY_TEXT = st.one_of(st.text(max_size=24), st.lists(EDGY, max_size=20).map("".join))


def digits(n: int):
    return st.text(alphabet=string.digits, min_size=n, max_size=n)


# A 16-digit number close to valid: a real-looking region, a date part, a serial.
NEAR_NUMBER = st.builds(
    lambda prov, rest, day, month, yy, serial: f"{prov}{rest}{day:02d}{month:02d}{yy:02d}{serial}",
    st.sampled_from(["36", "31", "99", "00", "11"]),
    st.sampled_from(["0101", "0001", "0100", "7101"]),
    st.integers(0, 99),
    st.integers(0, 13),
    st.integers(0, 99),
    st.sampled_from(["0001", "0000", "4821"]),
)


# ---------------------------------------------------------------------------- oracles


def ascii_digits(text: str, n: int) -> bool:
    return len(text) == n and all(c in string.digits for c in text)


def region_ok(number: str) -> bool:
    return number[:2] in PROVINCE_CODES and number[2:4] != "00" and number[4:6] != "00"


def nik_oracle(text: str, today: datetime.date) -> bool:
    """A NIK: 16 ASCII digits, a known province and non-zero regency and district, a real
    birth date DDMMYY (women: day + 40) not after today, a serial other than 0000."""
    nik = text.strip()
    if not ascii_digits(nik, 16) or not region_ok(nik) or nik[12:] == "0000":
        return False
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:
        day -= 40
    for year in (2000 + yy, 1900 + yy, 1800 + yy):
        try:
            born = datetime.date(year, month, day)
        except ValueError:
            continue
        if born <= today:
            return True
    return False


def kk_oracle(text: str) -> bool:
    kk = text.strip()
    return ascii_digits(kk, 16) and region_ok(kk) and kk[12:] != "0000"


def plain_text_oracle(text: str) -> bool:
    """No control characters but tab, newline and carriage return; no bidi formatting."""
    for ch in text:
        code = ord(ch)
        if ch in "\t\n\r":
            continue
        if code < 0x20 or 0x7F <= code <= 0x9F or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
            return False
        if code in (0x200E, 0x200F):
            return False
    return True


def decimal_oracle(text: str, places: int) -> bool:
    """A number as a person types it: ASCII digits, at most one point, `places` decimals."""
    match = re.fullmatch(r"[+-]?([0-9]*)(?:\.([0-9]*))?", text.strip())
    if not match or not (match.group(1) or match.group(2)):
        return False
    decimals = (match.group(2) or "").rstrip("0")
    return len(decimals) <= places


# ---------------------------------------------------------------------------- identity


def refusal(call) -> ValidationError | None:
    try:
        call()
    except ValidationError as error:
        return error
    return None


@FEW
@given(st.one_of(ANY_TEXT, NEAR_NUMBER))
@example("3601014203850001")  # a woman born 2 March 1985
@example("3601012902250001")  # 29 February 2025 does not exist
@example("3601016902240001")  # a woman born 29 February 2024
@example(" 3601011203850001\n")
@example("٣٦٠١٠١١٢٠٣٨٥٠٠٠١")  # the same digits in Arabic-Indic script
def test_it_accepts_a_nik_only_when_valid(text):
    """parse_nik raises only ValidationError, naming the NIK, and accepts exactly what the
    oracle accepts."""
    error = refusal(lambda: parse_nik(text, today=TODAY))
    assert (error is None) == nik_oracle(text, TODAY), text
    if error is not None:
        assert "NIK" in " ".join(error.messages) or "angka" in " ".join(error.messages)


@FEW
@given(st.one_of(ANY_TEXT, NEAR_NUMBER))
@example("3601010101200000")
@example("3600010101200001")
def test_it_accepts_a_kk_only_when_valid(text):
    """validate_kk raises only ValidationError, naming the KK, and agrees with the oracle."""
    error = refusal(lambda: validate_kk(text))
    assert (error is None) == kk_oracle(text), text
    if error is not None:
        assert "KK" in " ".join(error.messages)


# ---------------------------------------------------------------------------- text


@FEW
@given(st.text(max_size=30))
@example("Siti\u202eahmA")
@example("<script>alert(1)</script>")
@example('=HYPERLINK("http://x")')
@example("Nur\x00")
@example("Ika\x85")
def test_it_accepts_plain_text_only_without_hidden_characters(text):
    """Names and notes: markup, quotes and formula prefixes pass as typed; control and
    bidi characters are refused and named (U+XXXX)."""
    error = refusal(lambda: validate_plain_text(text))
    assert (error is None) == plain_text_oracle(text), repr(text)
    if error is not None:
        assert "U+" in error.messages[0]


@FEW
@given(ANY_TEXT)
@example("003")
@example("12\n")
@example("١٢")
@example("0012")
def test_it_accepts_an_rt_or_rw_of_one_to_three_ascii_digits(text):
    """RT/RW: 1 to 3 ASCII digits, nothing else (no other scripts, no trailing newline)."""
    error = refusal(lambda: rt_rw_validator(text))
    oracle = 1 <= len(text) <= 3 and all(c in string.digits for c in text)
    assert (error is None) == oracle, repr(text)


# ---------------------------------------------------------------------------- numbers


@FEW
@given(ANY_TEXT)
@example("8.1")
@example("8.15")
@example("8_1")
@example("١٢.٥")
@example("1e1")
@example("NaN")
@example("-Infinity")
def test_it_accepts_a_growth_value_only_as_a_plain_number(text):
    """A weight or height (the service's own reading): accepted only as ASCII digits with
    at most the allowed decimals, else refused with the field named."""
    errors: dict = {}
    result = _decimal(text, "weight_kg", 2, errors, "berat badan")
    assert (result is not None) == decimal_oracle(text, 2), repr(text)
    assert (result is None) == ("weight_kg" in errors)


@FEW
@given(st.one_of(ANY_TEXT, st.integers(-(10**6), 10**13).map(lambda n: f"Rp {n:,}".replace(",", "."))))
@example("1.250.000")
@example("Rp 1.250.000")
@example("Rp. 1.250.000")
@example("1250000")
@example("1.5")
@example("1_000")
@example("١٢٣")
@example("1Rp2")
def test_it_reads_an_amount_only_as_whole_rupiah(text):
    """The aid form's amount: `1.250.000`, `Rp 1.250.000` or `1250000`; anything else
    (a decimal point, underscores, other scripts) is refused with the field's message."""
    from beneficiaries.forms import RupiahField

    field = RupiahField(required=False, min_value=0)
    error = refusal(lambda: field.clean(text))
    stripped = text.strip()
    oracle = stripped == "" or bool(
        re.fullmatch(r"(?:Rp\.?\s?)?(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)", stripped, flags=re.ASCII)
    )
    assert (error is None) == oracle, repr(text)


# ---------------------------------------------------------------------------- the import


@FEW
@given(ANY_TEXT)
@example("01-02-2020")
@example("2020-02-30")
@example("29/02/2024")
def test_the_import_reads_a_date_or_none(text):
    """parse_date never crashes; a date it returns is a real date, written in one of the
    three accepted layouts."""
    found = parse_date(text)
    if found is not None:
        assert isinstance(found, datetime.date)


@FEW
@given(st.integers(1, 31), st.integers(1, 13), st.integers(1900, 2030))
def test_the_import_reads_every_real_dd_mm_yyyy_date(day, month, year):
    """DD-MM-YYYY is read when the calendar has that day, and refused (None) when not."""
    text = f"{day:02d}-{month:02d}-{year}"
    try:
        expected = datetime.date(year, month, day)
    except ValueError:
        expected = None
    assert parse_date(text) == expected


PERSON_VALUES = st.fixed_dictionaries(
    {
        "NIK": st.one_of(ANY_TEXT, NEAR_NUMBER),
        "NAMA": st.one_of(st.text(max_size=20), st.just("Siti Aminah")),
        "JENIS_KELAMIN": st.sampled_from(["L", "P", "l", "X", "", "PEREMPUAN", "\x00"]),
        "TANGGAL_LAHIR": st.one_of(ANY_TEXT, st.just("12-03-1985")),
        "HUBUNGAN": st.sampled_from(["KEPALA KELUARGA", "ISTRI", "ANAK", "anak  kandung", "?", ""]),
    }
)
PERSON_COLUMNS = {"NIK", "NAMA", "JENIS_KELAMIN", "TANGGAL_LAHIR", "HUBUNGAN", ""}


@FEW
@given(PERSON_VALUES)
@example({"NIK": "3601011203850001", "NAMA": "Budi", "JENIS_KELAMIN": "L", "TANGGAL_LAHIR": "12-03-1985",
          "HUBUNGAN": "KEPALA KELUARGA"})  # fmt: skip
def test_the_import_checks_any_member_row_without_crashing(values):
    """A member row of any content is read or rejected, each rejection naming a column;
    a row the oracles call valid is not rejected."""
    row = Row(number=2, values=dict(values))
    build_person(row, TODAY, FieldChecks())
    assert {e.column for e in row.errors} <= PERSON_COLUMNS
    assert all(e.reason for e in row.errors)
    valid = (
        nik_oracle(values["NIK"], TODAY)
        and values["NIK"] == values["NIK"].strip()
        and values["NAMA"].strip() != ""
        and plain_text_oracle(values["NAMA"])
        and len(values["NAMA"]) <= 150
        and values["JENIS_KELAMIN"].upper() in {"L", "P", "PEREMPUAN"}
        and parse_date(values["TANGGAL_LAHIR"]) is not None
        and values["HUBUNGAN"] in {"KEPALA KELUARGA", "ISTRI", "ANAK"}
    )
    if not valid:
        return
    # Sex, birth date and relation must also agree with the NIK and with each other.
    info = parse_nik(values["NIK"], today=TODAY)
    agrees = info.sex == ("P" if values["JENIS_KELAMIN"].upper().startswith("P") else "L") and (
        info.birth_date.day,
        info.birth_date.month,
        info.birth_date.year % 100,
    ) == ((d := parse_date(values["TANGGAL_LAHIR"])).day, d.month, d.year % 100)
    if agrees and values["HUBUNGAN"] != "ISTRI":
        assert row.errors == [], row.errors


HOUSEHOLD_VALUES = st.fixed_dictionaries(
    {
        "NO_KK": st.one_of(ANY_TEXT, NEAR_NUMBER),
        "KODE_WILAYAH": st.sampled_from(["36.01.01.2001", "36.01.01.9999", "", "\x00"]),
        "ALAMAT": st.one_of(st.text(max_size=20), st.just("Kp. Sukamaju")),
        "RT": ANY_TEXT,
        "RW": st.one_of(ANY_TEXT, st.just("002")),
        "DESIL": st.one_of(ANY_TEXT, st.sampled_from(["1", "10", "11", "0", "²"])),
    }
)
HOUSEHOLD_COLUMNS = {"NO_KK", "KODE_WILAYAH", "ALAMAT", "RT", "RW", "DESIL"}


@FEW
@given(HOUSEHOLD_VALUES)
@example({"NO_KK": "3601010101200001", "KODE_WILAYAH": "36.01.01.2001", "ALAMAT": "Kp. Sukamaju",
          "RT": "1", "RW": "002", "DESIL": "²"})  # fmt: skip
def test_the_import_checks_any_household_row_without_crashing(values):
    """The KK's fields of any content are read or rejected, each rejection naming a column;
    fields the oracles call valid are not rejected."""
    group = Group(kk=values["NO_KK"], rows=[Row(number=2, values=dict(values))])
    villages = {"36.01.01.2001": True, "36.01.01.9999": False}
    build_household(group, None, villages, {"36.01.01.2001": True}, FieldChecks())
    errors = group.rejections
    assert {e.column for e in errors} <= HOUSEHOLD_COLUMNS | {""}
    desil = values["DESIL"]
    valid = (
        kk_oracle(values["NO_KK"])
        and values["NO_KK"] == values["NO_KK"].strip()
        and values["KODE_WILAYAH"] == "36.01.01.2001"
        and values["ALAMAT"].strip() != ""
        and plain_text_oracle(values["ALAMAT"])
        and all(
            1 <= len(values[c]) <= 3 and all(ch in string.digits for ch in values[c]) for c in ("RT", "RW")
        )
        and (desil == "" or (desil.isascii() and desil.isdigit() and 1 <= int(desil) <= 10))
    )
    if valid:
        assert errors == [], errors
    if desil and not (desil.isascii() and desil.isdigit() and 1 <= int(desil) <= 10):
        assert "DESIL" in {e.column for e in errors}


pytestmark = pytest.mark.django_db
