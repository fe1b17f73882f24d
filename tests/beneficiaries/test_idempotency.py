"""The same aid sent twice (a double tap, a retry) is written once: a submission key per
page form or API request; identical aid without a key is two deliveries, as it may be."""

import datetime
import threading

import pytest
from django.db import connection

from beneficiaries.models import Assistance
from beneficiaries.services import record_assistance
from core.errors import DomainError

DAY = datetime.date(2025, 2, 1)


def send(actor, case, program, key, amount=300_000):
    return record_assistance(
        actor=actor,
        case=case,
        kind="food",
        program=program,
        delivered_on=DAY,
        amount=amount,
        idempotency_key=key,
    )


def test_the_same_key_twice_writes_once_and_answers_the_first(case, head_a, program):
    first = send(head_a, case, program, "form-7f3a")
    again = send(head_a, case, program, "form-7f3a")
    assert again.pk == first.pk and again.replayed and not first.replayed
    assert Assistance.objects.filter(case=case).count() == 1


def test_other_aid_under_a_used_key_is_refused(case, head_a, program):
    send(head_a, case, program, "form-7f3a")
    with pytest.raises(DomainError) as refused:
        send(head_a, case, program, "form-7f3a", amount=999_000)
    assert (refused.value.code, refused.value.field) == (DomainError.CONFLICT, "idempotency_key")
    assert Assistance.objects.filter(case=case).count() == 1


def test_identical_aid_without_a_key_is_two_deliveries(case, head_a, program):
    """Two identical parcels on one day can be real: no constraint on the content."""
    send(head_a, case, program, None)
    send(head_a, case, program, "")
    assert Assistance.objects.filter(case=case).count() == 2


def test_a_key_that_is_not_plain_ascii_is_refused(case, head_a, program):
    with pytest.raises(DomainError) as refused:
        send(head_a, case, program, "k" * 65)
    assert refused.value.field == "idempotency_key"


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_pair_on_postgresql_writes_once(head_a, program):
    """Two threads (two connections) send the same key at once: one row."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL) for two real concurrent connections")
    from beneficiaries.services import open_case
    from tests.factories import HouseholdFactory, PersonFactory

    household = HouseholdFactory()
    PersonFactory(household=household)
    case = open_case(actor=head_a, household=household, opened_on=datetime.date(2025, 1, 6))
    barrier = threading.Barrier(2, timeout=20)
    answers: list = []

    def submit():
        try:
            barrier.wait()
            answers.append(send(head_a, case, program, "double-tap"))
        except DomainError as error:
            answers.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert Assistance.objects.filter(case=case).count() == 1
    assert len({a.pk for a in answers}) == 1 and sorted(a.replayed for a in answers) == [False, True]
