"""The unique-NIK race: two registrations with the same NIK, both past the service's check
before either is written. The database refuses the second; it comes back as the same
conflict as the sequential case (409 / a form error on the NIK), never a 500."""

import datetime
import threading

import pytest
from django.db import connection

from beneficiaries import services
from beneficiaries.models import Household, Person
from core.errors import DomainError
from tests.factories import VILLAGE_A, make_kk, make_nik

BORN = datetime.date(1980, 5, 4)
NIK = make_nik(birth=BORN, sex="P", serial=4242)


def registration(kk_serial: int) -> dict:
    member = {"nik": NIK, "full_name": "Siti Aminah", "sex": "P", "birth_date": BORN, "relation": "head"}
    return {
        "village": VILLAGE_A, "kk_number": make_kk(kk_serial), "address": "Kp. Duku", "rt": "1", "rw": "2",
        "members": [member],
    }  # fmt: skip


def test_the_database_refusal_is_the_sequential_conflict(head_a, monkeypatch):
    """Simulated: the unique check is skipped as if the other request had not written yet."""
    services.register_household(actor=head_a, **registration(1))
    monkeypatch.setattr(Person, "validate_unique", lambda self, exclude=None: None)
    with pytest.raises(DomainError) as refused:
        services.register_household(actor=head_a, **registration(2))
    assert refused.value.code == DomainError.CONFLICT
    assert refused.value.errors == {"members.0.nik": ["NIK ini sudah terdaftar."]}
    assert Household.objects.count() == 1


def test_the_api_answers_409_naming_the_field(head_a, monkeypatch):
    from rest_framework.test import APIClient

    services.register_household(actor=head_a, **registration(1))
    monkeypatch.setattr(Person, "validate_unique", lambda self, exclude=None: None)
    client = APIClient()
    client.force_authenticate(head_a)
    body = registration(2) | {"members": [registration(2)["members"][0] | {"birth_date": "1980-05-04"}]}
    response = client.post("/api/v1/households/", body, format="json")
    assert response.status_code == 409
    assert response.json() == {"members.0.nik": ["NIK ini sudah terdaftar."]}


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_registrations_on_postgresql_write_one(head_a, monkeypatch):
    """Two threads (two connections) both pass validation, then both insert: one household
    is written, the other registration is refused as a conflict on the NIK."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL) for two real concurrent connections")
    from beneficiaries.services import households as module

    barrier = threading.Barrier(2, timeout=20)
    checked = module.raise_collected

    def both_checked(errors):
        checked(errors)
        barrier.wait()  # neither has written yet

    monkeypatch.setattr(module, "raise_collected", both_checked)
    outcomes: list = []

    def register(serial):
        try:
            outcomes.append(services.register_household(actor=head_a, **registration(serial)))
        except DomainError as error:
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(n,)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    errors = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(outcomes) == 2 and len(errors) == 1, outcomes
    assert errors[0].code == DomainError.CONFLICT and errors[0].field == "members.0.nik"
    assert Person.objects.filter(nik=NIK).count() == 1 and Household.objects.count() == 1
