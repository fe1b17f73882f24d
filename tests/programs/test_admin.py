"""The programme and partner admin writes through programs.services and shows refusals."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from programs.models import Partner
from tests.factories import PartnerFactory, ProgramFactory


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def program(db):
    return ProgramFactory(name="Bantuan Pangan Banten", ends_on=None)


def program_form(**changes):
    data = {"name": "Bantuan Pangan Banten", "agency": "dinsos", "description": "", "starts_on": "2020-01-01",
            "ends_on": "", "targets_women": ""}  # fmt: skip
    return {**data, **changes}


def test_it_refuses_a_regency_official_editing_a_province_programme(regency_official, program):
    """The page is read-only for them and a POST is refused; name and end date unchanged."""
    url = reverse("admin:programs_program_change", args=[program.pk])
    client = login(regency_official)
    assert 'name="name"' not in client.get(url).content.decode()
    response = client.post(url, program_form(name="Pangan Pandeglang", ends_on="2020-02-01"))
    assert response.status_code == 403
    program.refresh_from_db()
    assert (program.name, program.ends_on) == ("Bantuan Pangan Banten", None)
    assert client.get(reverse("admin:programs_program_add")).status_code == 403


def test_a_province_official_edits_a_programme(province, program):
    url = reverse("admin:programs_program_change", args=[program.pk])
    response = login(province).post(url, program_form(ends_on="2026-12-31"))
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.ends_on == datetime.date(2026, 12, 31)


def test_it_shows_the_services_refusal_of_a_partner_on_the_region_field(regency_official):
    data = {"name": "PKK Tangerang", "kind": "pkk", "region_code": "36.71", "contact": "", "is_active": "on"}
    response = login(regency_official).post(reverse("admin:programs_partner_add"), data)
    assert response.status_code == 200
    assert "di luar wilayah kerja" in " ".join(response.context["adminform"].form.errors["region_code"])
    assert not Partner.objects.filter(name="PKK Tangerang").exists()
    response = login(regency_official).post(
        reverse("admin:programs_partner_add"), {**data, "region_code": "36.01.01"}
    )
    assert response.status_code == 302
    assert Partner.objects.filter(name="PKK Tangerang", region_code="36.01.01").exists()


def test_the_provinces_partner_is_read_only_below_the_province(regency_official):
    partner = PartnerFactory(name="TP PKK Provinsi", region_code="36")
    url = reverse("admin:programs_partner_change", args=[partner.pk])
    data = {"name": "Diambil", "kind": "pkk", "region_code": "36", "contact": "", "is_active": "on"}
    assert login(regency_official).post(url, data).status_code == 403
    assert Partner.objects.get(pk=partner.pk).name == "TP PKK Provinsi"
