"""NIK and KK numbers: checked without echoing them, shown masked unless the user may see
them whole, and "already registered" answered only a few times an hour per user."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beneficiaries.identity import (
    check_nik_matches,
    mask_kk,
    mask_nik,
    parse_nik,
    shown_kk,
    shown_nik,
    validate_kk,
)
from beneficiaries.models import Enterprise, Household, Person
from beneficiaries.services import add_member, create_enterprise, register_household, update_person
from beneficiaries.services.common import DUPLICATE_REFUSALS
from core.errors import DomainError
from tests.factories import VILLAGE_A, VILLAGE_B, EnterpriseFactory, HouseholdFactory, PersonFactory, make_nik

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


def test_it_echoes_no_digits_of_a_rejected_number():
    """An error names what is wrong, never the region code, birth date or serial typed."""
    for bad in ("9901011203857391", "3601013203857391", "3601015203857391"):
        with pytest.raises(ValidationError) as error:
            info = parse_nik(bad, today=TODAY)
            check_nik_matches(info, sex="L")
        message = " ".join(error.value.messages)
        assert not any(part in message for part in (bad, bad[:6], bad[6:12], bad[-4:])), message
    with pytest.raises(ValidationError) as error:
        validate_kk("9901012001207391")
    assert "990101" not in error.value.messages[0]


def test_it_masks_the_serial_of_a_nik_and_a_kk():
    """The last four digits, the only ones not derivable from region, birth date and sex,
    are the ones hidden."""
    assert mask_nik("3601011203857391") == "360101120385****"
    assert mask_kk("3601012001208264") == "360101200120****"
    assert mask_nik(None) == mask_nik("") == "—"
    assert mask_nik("123") == "***"


def test_str_of_a_person_or_household_masks_the_number(db):
    """Labels (admin links, autocomplete, log entries) never carry a serial."""
    household = HouseholdFactory(kk_number="3601012001208264")
    person = PersonFactory(household=household, nik="3601011203857391")
    assert "8264" not in str(household) and "360101200120****" in str(household)
    assert "7391" not in str(person) and "360101120385****" in str(person)


@pytest.fixture
def planted(db):
    household = HouseholdFactory(village_id=VILLAGE_A, kk_number="3601012001208264")
    return PersonFactory(household=household, nik="3601011203857391")


@pytest.mark.parametrize(
    ("user", "whole"),
    [
        ("head_a", True),
        ("province", True),
        ("head_b", False),  # another village
        ("district_official", False),  # no view_full_nik
        ("regency_official", False),
        ("cadre", False),
        ("stranger", False),
    ],
)
def test_it_shows_the_whole_number_only_to_who_may_see_it(request, planted, user, whole):
    user = request.getfixturevalue(user)
    household = planted.household
    assert shown_nik(user, planted) == (planted.nik if whole else "360101120385****")
    assert shown_kk(user, household) == (household.kk_number if whole else "360101200120****")


def test_it_masks_a_nik_in_a_list_even_for_who_may_see_it(planted, head_a):
    assert shown_nik(head_a, planted, in_list=True) == "360101120385****"


# The duplicate limiter (beneficiaries/services/common.py)

BORN = datetime.date(1985, 3, 12)


def member(serial: int, **extra) -> dict:
    nik = make_nik(village=VILLAGE_B, birth=BORN, sex="L", serial=serial)
    return {
        "nik": nik,
        "full_name": f"Warga {serial}",
        "sex": "L",
        "birth_date": BORN,
        "relation": "child",
        **extra,
    }


def probe(actor, household, nik: str):
    """Try a NIK as a new member; return the refusal."""
    with pytest.raises(DomainError) as error:
        add_member(actor=actor, household=household, **member(1, nik=nik))
    return error.value


def test_it_answers_only_already_registered_for_a_duplicate(planted, head_b):
    """The refusal does not say where the number is registered, nor echo it."""
    own = HouseholdFactory(village_id=VILLAGE_B)
    error = probe(head_b, own, planted.nik)
    assert error.code == DomainError.CONFLICT
    assert error.errors == {"nik": ["NIK ini sudah terdaftar."]}


def test_it_refuses_new_numbers_unchecked_after_too_many_duplicates(planted, head_b, district_official):
    """After DUPLICATE_REFUSALS.limit "already registered" answers the user gets the same refusal
    for any new number, registered or not, and the database is not asked; another user is
    not affected."""
    own = HouseholdFactory(village_id=VILLAGE_B)
    for _ in range(DUPLICATE_REFUSALS.limit):
        assert probe(head_b, own, planted.nik).code == DomainError.CONFLICT
    free_nik = member(4242)["nik"]
    for nik in (planted.nik, free_nik):
        with CaptureQueriesContext(connection) as queries:
            error = probe(head_b, own, nik)
        assert error.code == DomainError.RATE_LIMITED
        assert "Terlalu banyak" in error.message and "sudah terdaftar" in error.message
        assert not [q["sql"] for q in queries if nik in q["sql"]]
    assert not Person.objects.filter(nik=free_nik).exists()
    assert probe(district_official, own, planted.nik).code == DomainError.CONFLICT


def test_the_limit_covers_kk_nib_and_changed_niks_but_not_other_edits(planted, head_b):
    """A locked user cannot try a KK, a NIB or a changed NIK, and can still edit a person
    without touching the number."""
    own = HouseholdFactory(village_id=VILLAGE_B)
    person = PersonFactory(household=own, relation="child", birth_date=BORN)
    for _ in range(DUPLICATE_REFUSALS.limit):
        probe(head_b, own, planted.nik)
    with pytest.raises(DomainError) as error:
        register_household(
            actor=head_b,
            village=VILLAGE_B,
            kk_number=planted.household.kk_number,
            address="Kp. X",
            rt="1",
            rw="1",
        )
    assert error.value.code == DomainError.RATE_LIMITED
    with pytest.raises(DomainError) as error:
        create_enterprise(
            actor=head_b, village=VILLAGE_B, name="KUBE X", legal_form="kube",
            founded_on=datetime.date(2025, 1, 1), nib="1234567890123",
        )  # fmt: skip
    assert error.value.code == DomainError.RATE_LIMITED
    with pytest.raises(DomainError) as error:
        update_person(actor=head_b, person=person, nik=member(4243)["nik"])
    assert error.value.code == DomainError.RATE_LIMITED
    assert update_person(actor=head_b, person=person, full_name="Nama Baru").full_name == "Nama Baru"
    assert not Household.objects.filter(address="Kp. X").exists() and not Enterprise.objects.exists()


def test_each_refused_number_counts(planted, head_b):
    """A registration refused for its KK and a member's NIK counts two."""
    EnterpriseFactory(village_id=VILLAGE_B, nib="1234567890123")
    for _ in range(DUPLICATE_REFUSALS.limit // 2):
        with pytest.raises(DomainError) as error:
            register_household(
                actor=head_b, village=VILLAGE_B, kk_number=planted.household.kk_number, address="Kp. X",
                rt="1", rw="1", members=[member(5, nik=planted.nik, relation="head")],
            )  # fmt: skip
        assert error.value.code == DomainError.CONFLICT
    with pytest.raises(DomainError) as error:
        create_enterprise(
            actor=head_b, village=VILLAGE_B, name="KUBE X", legal_form="kube",
            founded_on=datetime.date(2025, 1, 1), nib="1234567890123",
        )  # fmt: skip
    assert error.value.code == DomainError.RATE_LIMITED
