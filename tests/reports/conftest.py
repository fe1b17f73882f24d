"""A small province of known rows for the report tests, the truth computed from those rows in
plain Python (never through the selector), a real SMTP server, and eager Celery."""

import datetime
import random
import socket
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller

from beneficiaries.models import (
    Activity,
    Attendance,
    CapitalAccess,
    MoveState,
    Sex,
    StageTransition,
)
from beneficiaries.models.cases import AssistanceKind
from programs.models import Partner
from reports.models import ReportRecipient
from tests.factories import (
    AssistanceFactory,
    CaseFactory,
    EnterpriseFactory,
    GroupFactory,
    HouseholdFactory,
    PartnerFactory,
    PersonFactory,
    ProgramFactory,
)

WIB = ZoneInfo("Asia/Jakarta")
PERIOD = datetime.date(2024, 6, 1)
# Pandeglang: two villages of Kec. Sumur, one of Kec. Cimanggu; Lebak: one village.
VILLAGES = ["36.01.01.2001", "36.01.01.2002", "36.01.02.2001", "36.02.01.2002"]
# Days around the period, with the edges of June in Jakarta time on purpose.
DAYS = [
    datetime.datetime(2024, 4, 10, 9, 0),
    datetime.datetime(2024, 5, 1, 0, 5),
    datetime.datetime(2024, 5, 31, 23, 55),
    datetime.datetime(2024, 6, 1, 0, 1),
    datetime.datetime(2024, 6, 15, 10, 0),
    datetime.datetime(2024, 6, 30, 23, 30),
    datetime.datetime(2024, 7, 1, 0, 30),
    datetime.datetime(2024, 7, 20, 8, 0),
]
PATHS = [
    [("entry", "1")],
    [("entry", "1"), ("advance", "2")],
    [("entry", "1"), ("advance", "2"), ("advance", "3")],
    [("entry", "1"), ("advance", "2"), ("fallback", "1")],
    [("entry", "1"), ("advance", "2"), ("advance", "3"), ("graduate", "graduated")],
    [("entry", "1"), ("exit", "exited")],
]


@dataclass
class World:
    """The rows created, as plain tuples, so the truth needs no ORM."""

    moves: list = field(
        default_factory=list
    )  # (case_id, village, kind, to, state, proposed_at, decided_at, id)
    aid: list = field(default_factory=list)  # (village, kind, day, amount, household_id)
    groups: list = field(default_factory=list)  # (village, day)
    enterprises: list = field(default_factory=list)  # (village, day)
    capital: list = field(default_factory=list)  # (village, amount, applied, approved, disbursed)
    persons: list = field(default_factory=list)  # (id, village, household_id, sex, nik, name)
    activities: list = field(default_factory=list)  # (village, partner_kind, day)
    attendance: list = field(default_factory=list)  # (village, day, person_id, sex, women_programme)


def wib(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(tzinfo=WIB)


def build_world(seed: int = 5, cases_per_village: int = 6) -> World:
    rnd = random.Random(seed)
    world = World()
    programme = ProgramFactory(name="Program Umum")
    women = ProgramFactory(name="Perempuan Berdaya", targets_women=True)
    for village in VILLAGES:
        people = _cases(world, rnd, village, programme, cases_per_village)
        _enterprise_rows(world, rnd, village)
        _activity_rows(world, rnd, village, people, (programme, women))
    return world


def _cases(world: World, rnd: random.Random, village: str, programme, n: int) -> list:
    people = []
    for _ in range(n):
        household = HouseholdFactory(village_id=village)
        for sex in rnd.sample([Sex.FEMALE, Sex.MALE, Sex.FEMALE], k=rnd.randint(1, 3)):
            relation = "head" if not people or people[-1].household_id != household.id else "child"
            person = PersonFactory(household=household, sex=sex, relation=relation)
            people.append(person)
            world.persons.append((person.id, village, household.id, sex, person.nik, person.full_name))
        case = CaseFactory(household=household, opened_on=datetime.date(2024, 1, 2))
        _moves(world, rnd, case, village)
        for _ in range(rnd.randint(0, 3)):
            kind = rnd.choice(AssistanceKind.values)
            day = rnd.choice(DAYS).date()
            amount = rnd.choice([0, 150_000, 250_000, 1_250_000])
            AssistanceFactory(case=case, kind=kind, program=programme, delivered_on=day, amount=amount)
            world.aid.append((village, kind, day, amount, household.id))
    return people


def _moves(world: World, rnd: random.Random, case, village: str) -> None:
    path = rnd.choice(PATHS)
    days = sorted(rnd.sample(DAYS, k=len(path)))
    for (kind, to), day in zip(path, days, strict=True):
        _move(world, case, village, kind, to, MoveState.APPLIED, wib(day), wib(day))
    if rnd.random() < 0.4:  # a proposal: still waiting, or decided later
        proposed = wib(rnd.choice(DAYS))
        decided = rnd.choice([None, proposed + datetime.timedelta(days=rnd.choice([3, 40]))])
        state = MoveState.PENDING if decided is None else MoveState.REJECTED
        _move(world, case, village, "advance", "2", state, proposed, decided)


def _move(world, case, village, kind, to, state, proposed, decided) -> None:
    move = StageTransition.objects.create(
        case=case, village_id=village, kind=kind, to=to, state=state, proposed_at=proposed, decided_at=decided
    )
    world.moves.append((case.id, village, kind, to, state, proposed, decided, move.id))


def _enterprise_rows(world: World, rnd: random.Random, village: str) -> None:
    for _ in range(rnd.randint(1, 3)):
        day = rnd.choice(DAYS).date()
        GroupFactory(village_id=village, formed_on=day)
        world.groups.append((village, day))
    for _ in range(rnd.randint(1, 2)):
        day = rnd.choice(DAYS).date()
        enterprise = EnterpriseFactory(village_id=village, founded_on=day)
        world.enterprises.append((village, day))
        applied = rnd.choice(DAYS[:6]).date()
        approved = rnd.choice([None, applied + datetime.timedelta(days=rnd.choice([0, 20, 35]))])
        disbursed = approved and rnd.choice([None, approved + datetime.timedelta(days=rnd.choice([1, 31]))])
        status = "disbursed" if disbursed else "approved" if approved else "applied"
        amount = rnd.choice([5_000_000, 12_500_000])
        CapitalAccess.objects.create(
            enterprise=enterprise,
            source="kur",
            amount=amount,
            status=status,
            applied_on=applied,
            approved_on=approved,
            disbursed_on=disbursed,
        )
        world.capital.append((village, amount, applied, approved, disbursed))


def _activity_rows(world: World, rnd: random.Random, village: str, people: list, programmes) -> None:
    for kind in (Partner.Kind.PKK, Partner.Kind.POSYANDU, Partner.Kind.NGO):
        partner = PartnerFactory(kind=kind, region_code=village)
        for _ in range(rnd.randint(0, 2)):
            day = rnd.choice(DAYS).date()
            programme = rnd.choice(programmes)
            activity = Activity.objects.create(
                village_id=village,
                partner=partner,
                program=programme,
                topic="culinary",
                title="Tata boga",
                held_on=day,
            )
            world.activities.append((village, kind, day))
            for person in rnd.sample(people, k=min(3, len(people))):
                Attendance.objects.create(activity=activity, person=person)
                world.attendance.append((village, day, person.id, person.sex, programme.targets_women))


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def recipients(db) -> dict[str, ReportRecipient]:
    return {
        "36": ReportRecipient.objects.create(
            region_code="36", name="Gubernur", title="Gubernur Banten", email="gubernur@bantenprov.go.id"
        ),
        "36.01": ReportRecipient.objects.create(
            region_code="36.01", name="Bupati", title="Bupati Pandeglang", email="bupati@pandeglangkab.go.id"
        ),
        "36.02": ReportRecipient.objects.create(
            region_code="36.02", name="Bupati", title="Bupati Lebak", email="bupati@lebakkab.go.id"
        ),
    }


class Inbox:
    """An aiosmtpd handler that keeps what it accepted, or refuses while `refuse` is set."""

    def __init__(self) -> None:
        self.messages: list = []
        self.refuse = False

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "451 4.3.0 Coba lagi nanti"
        self.messages.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1 and the settings that make Django use it."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.REPORTS_SEND_RETRY_BACKOFF = 0
    inbox.port = port
    yield inbox
    controller.stop()
