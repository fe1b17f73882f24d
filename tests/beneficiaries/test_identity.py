import datetime

import pytest
from django.core.exceptions import ValidationError

from beneficiaries.identity import check_nik_matches, mask_nik, parse_nik, validate_kk

TODAY = datetime.date(2026, 11, 28)


@pytest.mark.parametrize(
    ("nik", "born", "sex", "outside"),
    [
        ("3601011203850001", datetime.date(1985, 3, 12), "L", False),  # man, Pandeglang
        ("3601015203850002", datetime.date(1985, 3, 12), "P", False),  # woman: day 12 + 40
        ("3671014101240003", datetime.date(2024, 1, 1), "P", False),  # woman born 1 Jan 2024
        ("3674057112990004", datetime.date(1999, 12, 31), "P", False),  # 31 + 40 = 71
        ("3273012902000005", datetime.date(2000, 2, 29), "L", True),  # leap day; Bandung: outside
        ("3201016902040006", datetime.date(2004, 2, 29), "P", True),  # woman, leap day
        ("3601010101260007", datetime.date(2026, 1, 1), "L", False),  # this year
        ("3601010101270008", datetime.date(1927, 1, 1), "L", False),  # a year ahead: last century
    ],
)
def test_it_reads_valid_niks(nik, born, sex, outside):
    info = parse_nik(nik, today=TODAY)
    assert (info.birth_date, info.sex, info.outside_banten) == (born, sex, outside)


@pytest.mark.parametrize(
    ("nik", "code", "words"),
    [
        ("360101120385001", "length", "16 angka"),  # 15 digits
        ("36010112038500011", "length", "16 angka"),  # 17 digits
        ("36010112O3850001", "format", "angka"),  # letter O
        ("3601-01120385001", "format", "angka"),
        ("", "format", "angka"),
        ("3601013203850001", "date", "tanggal"),  # day 32
        ("3601017203850001", "date", "tanggal"),  # day 72 (woman 32)
        ("3601010013850001", "date", "tanggal"),  # day 0, month 13
        ("3601013002850001", "date", "tanggal"),  # 30 February
        ("3601012902010001", "date", "tanggal"),  # 29 Feb 2001: not a leap year
        ("3601014000850001", "date", "tanggal"),  # woman day 0
        ("9901011203850001", "region", "wilayah"),  # no province 99
        ("3600011203850001", "region", "wilayah"),  # regency 00
        ("3601001203850001", "region", "wilayah"),  # district 00
        ("3601011203850000", "serial", "urut"),
    ],
)
def test_it_rejects_invalid_niks(nik, code, words):
    with pytest.raises(ValidationError) as error:
        parse_nik(nik, today=TODAY)
    assert error.value.code == code
    assert words in error.value.messages[0]


@pytest.mark.parametrize(
    ("nik", "recorded", "ok"),
    [
        ("3601011203850001", "L", True),
        ("3601011203850001", "P", False),  # a man's NIK recorded as a woman
        ("3601015203850002", "P", True),
        ("3601015203850002", "L", False),  # a woman's NIK (day + 40) recorded as a man
    ],
)
def test_it_checks_the_sex_the_nik_implies(nik, recorded, ok):
    info = parse_nik(nik, today=TODAY)
    if ok:
        check_nik_matches(info, sex=recorded)
    else:
        with pytest.raises(ValidationError) as error:
            check_nik_matches(info, sex=recorded)
        assert error.value.code == "sex_mismatch"


@pytest.mark.parametrize(
    ("kk", "valid"),
    [
        ("3601012001200001", True),
        ("3273011503190002", True),  # issued outside Banten: still a KK
        ("360101200120001", False),  # 15 digits
        ("36010120012000011", False),
        ("3601A12001200001", False),
        ("9901012001200001", False),
        ("3601012001200000", False),
    ],
)
def test_it_validates_kk_numbers(kk, valid):
    if valid:
        validate_kk(kk)
    else:
        with pytest.raises(ValidationError):
            validate_kk(kk)


def test_it_masks_niks_in_lists():
    assert mask_nik("3601011203850001") == "3601********0001"
    assert mask_nik(None) == "—"
