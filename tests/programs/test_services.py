"""Programmes and partners are written by programs.services, under the policy: province-wide
programmes are the province's; a partner serves a region inside the official's own."""

import datetime

import pytest

from core.errors import DomainError
from programs.models import Partner, Program
from programs.services import save_partner, save_program
from tests.factories import PartnerFactory, ProgramFactory


@pytest.fixture
def program(db):
    return ProgramFactory(name="Bantuan Pangan Banten", ends_on=None)


def test_it_refuses_a_regency_official_editing_a_province_programme(regency_official, program):
    """Ending it early would stop every village of the other regencies recording aid under it."""
    with pytest.raises(DomainError) as error:
        save_program(
            actor=regency_official,
            program=program,
            name="Pangan Pandeglang",
            ends_on=datetime.date(2020, 2, 1),
        )
    assert error.value.code == "forbidden"
    program.refresh_from_db()
    assert (program.name, program.ends_on) == ("Bantuan Pangan Banten", None)


def test_it_refuses_a_regency_official_creating_a_programme(regency_official):
    with pytest.raises(DomainError) as error:
        save_program(
            actor=regency_official, name="Baru", agency="dinsos", starts_on=datetime.date(2025, 1, 1)
        )
    assert error.value.code == "forbidden"
    assert not Program.objects.filter(name="Baru").exists()


def test_a_province_official_edits_and_creates_programmes(province, program):
    save_program(actor=province, program=program, ends_on=datetime.date(2026, 12, 31))
    created = save_program(
        actor=province, name="Stunting", agency="dinkes", starts_on=datetime.date(2025, 1, 1)
    )
    program.refresh_from_db()
    assert program.ends_on == datetime.date(2026, 12, 31)
    assert Program.objects.get(pk=created.pk).agency == "dinkes"


def test_it_puts_the_models_refusal_on_its_field(province, program):
    with pytest.raises(DomainError) as error:
        save_program(actor=province, program=program, ends_on=datetime.date(2019, 1, 1))
    assert error.value.field == "ends_on"
    program.refresh_from_db()
    assert program.ends_on is None


def test_a_regency_official_saves_a_partner_of_their_regency(regency_official):
    partner = save_partner(
        actor=regency_official, name="Posyandu Mawar", kind="posyandu", region_code="36.01.01"
    )
    save_partner(actor=regency_official, partner=partner, contact="0812")
    assert Partner.objects.filter(name="Posyandu Mawar", region_code="36.01.01", contact="0812").exists()


def test_it_refuses_a_partner_outside_the_officials_region(regency_official):
    """Another regency's region, on the region field; nothing written."""
    with pytest.raises(DomainError) as error:
        save_partner(actor=regency_official, name="PKK Tangerang", kind="pkk", region_code="36.71")
    assert (error.value.code, error.value.field) == ("forbidden", "region_code")
    assert not Partner.objects.filter(name="PKK Tangerang").exists()


def test_it_refuses_changing_the_provinces_partner_or_moving_one_out(regency_official):
    """The province's PKK is visible to Pandeglang but not theirs; their own may not be moved
    to Lebak either."""
    province_pkk = PartnerFactory(name="TP PKK Provinsi", region_code="36")
    own = PartnerFactory(name="PKK Sumur", region_code="36.01.01")
    for partner, change in ((province_pkk, {"contact": "x"}), (own, {"region_code": "36.02"})):
        with pytest.raises(DomainError) as error:
            save_partner(actor=regency_official, partner=partner, **change)
        assert error.value.code == "forbidden"
    assert Partner.objects.get(pk=province_pkk.pk).contact == ""
    assert Partner.objects.get(pk=own.pk).region_code == "36.01.01"
