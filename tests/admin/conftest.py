"""Admin fixtures: the same small world in village A and village B, each row carrying a
name that says which village it belongs to, so a page that leaks one is easy to catch."""

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from beneficiaries.models import Activity, Attendance, CapitalAccess, Case, Household, Person, StageTransition
from beneficiaries.services import open_case, request_move
from tests.factories import (
    VILLAGE_A,
    VILLAGE_B,
    AssistanceFactory,
    EnterpriseFactory,
    GroupFactory,
    HouseholdFactory,
    MembershipFactory,
    PartnerFactory,
    PersonFactory,
    ProgramFactory,
    make_kk,
)


@dataclass
class Village:
    """The rows of one village; `marker` is the text every one of them contains."""

    code: str
    marker: str
    household: Household
    head: Person
    case: Case
    move: StageTransition
    partner: object
    group: object
    enterprise: object
    capital: CapitalAccess
    activity: Activity
    assistance: object


@pytest.fixture
def program(db):
    return ProgramFactory(name="Bantuan Pangan Banten")


def build_village(code: str, marker: str, serial: int, head_user, program) -> Village:
    household = HouseholdFactory(
        village_id=code, kk_number=make_kk(serial, village=code), address=f"Kp. {marker} RT 1"
    )
    head = PersonFactory(
        household=household, full_name=f"Kepala {marker}", birth_date=datetime.date(1980, 1, 2)
    )
    case = open_case(
        actor=head_user, household=household, opened_on=timezone.localdate() - datetime.timedelta(days=90)
    )
    case.program = program
    case.save()
    partner = PartnerFactory(name=f"PKK {marker}", region_code=code)
    assistance = AssistanceFactory(
        case=case,
        program=program,
        partner=partner,
        amount=1_250_000,
        note=marker,
        delivered_on=timezone.localdate(),
    )
    move = request_move(case=case, to="2", actor=head_user, reason=f"Alasan {marker}")
    group = GroupFactory(name=f"KUBE {marker}", village_id=code)
    MembershipFactory(group=group, household=household)
    enterprise = EnterpriseFactory(name=f"Koperasi {marker}", village_id=code)
    capital = CapitalAccess.objects.create(
        enterprise=enterprise,
        source="grant",
        amount=5_000_000,
        applied_on=datetime.date(2025, 1, 2),
        note=marker,
    )
    activity = Activity.objects.create(
        village_id=code,
        partner=partner,
        topic="culinary",
        title=f"Pelatihan {marker}",
        held_on=datetime.date(2025, 2, 3),
    )
    Attendance.objects.create(activity=activity, person=head)
    return Village(
        code, marker, household, head, case, move, partner, group, enterprise, capital, activity, assistance
    )


@pytest.fixture
def village_a(head_a, program):
    return build_village(VILLAGE_A, "Sumberjaya-A", 101, head_a, program)


@pytest.fixture
def village_b(head_b, program):
    return build_village(VILLAGE_B, "Kertajaya-B", 202, head_b, program)


@pytest.fixture
def world(village_a, village_b):
    return village_a, village_b


@pytest.fixture
def login():
    """`login(user)`: a Django test client signed in as `user`."""

    def client_for(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return client_for


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()
