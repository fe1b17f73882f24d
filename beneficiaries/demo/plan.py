"""The plan: pure, from a fixed seed and a fixed anchor date; no database read.

Who a household is (KK, address, members, NIKs, names, story) never depends on the anchor:
each household draws it from a random stream of its own, keyed by its village and place,
and its children are born before a fixed day. Only the dated steps (case opened, aid, moves,
groups joined, the newborn's birth, activities) count back from the anchor, from another
stream of their own. So a plan built in any month finds, by KK, the households a plan of
another month seeded.

A year of history: each story has one step of its own (its "pivot": the opening of a case
that only receives aid, the advance, the graduation, the exit...). The households of a story
take turns for the month of that step, counted back from the anchor (month 1 is the month
before it, the one a report sent now covers), so every month of the past year, and surely
the last two, sees entries, advances, fall-backs, graduations, exits and aid. The steps
before the pivot are spaced back from it, those after it forward, never past the anchor's eve.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from programs.models import Partner

from ..models import ExitReason, Relation, Sex
from ..models.activities import Topic
from ..models.cases import AssistanceKind as Kind
from .data import (
    AID_PARTNERS,
    AMOUNTS,
    BASIC_KINDS,
    CHILD_F,
    CHILD_M,
    ENTERPRISES,
    EXITS,
    FALLBACK_FLOOD,
    FALLBACK_ILLNESS,
    FEMALE,
    JALAN,
    KAMPUNG,
    MALE,
    MANDATORY,
    MOVE_REASONS,
    NORTH,
    NOTES,
    OUTSIDE_BANTEN,
    PARTNERS,
    PRODUCTIVE_KINDS,
    PRODUCTIVE_NOTES,
    SEED,
    SUMBERJAYA,
    SURNAME_F,
    SURNAME_M,
    TURNS,
    VILLAGE_HEAD_WEIGHTS,
    VILLAGES,
    WEIGHTS,
)


@dataclass(frozen=True)
class MemberPlan:
    nik: str | None
    full_name: str
    sex: str
    birth_date: datetime.date
    relation: str
    is_female_head: bool = False
    has_disability: bool = False

    def as_service_data(self) -> dict:
        data = {k: getattr(self, k) for k in ("full_name", "sex", "birth_date", "relation")}
        data.update(is_female_head=self.is_female_head, has_disability=self.has_disability)
        return {**data, "nik": self.nik} if self.nik else {**data, "has_no_nik": True}


@dataclass(frozen=True)
class AidPlan:
    kind: str
    program: str
    partner: str | None
    amount: int
    delivered_on: datetime.date
    recipient: int  # index into the household's members
    quantity: int
    unit: str
    note: str


@dataclass(frozen=True)
class HouseholdPlan:
    village: str
    kk_number: str
    address: str
    rt: str
    rw: str
    desil: int | None
    members: tuple[MemberPlan, ...]
    story: str
    steps: tuple[tuple, ...]


@dataclass(frozen=True)
class ActivityPlan:
    village: str
    partner: str
    program: str
    topic: str
    title: str
    held_on: datetime.date
    attendee_niks: tuple[str, ...]


@dataclass(frozen=True)
class CapitalPlan:
    regency: str  # the enterprise's (one per regency)
    source: str
    amount: int
    status: str
    applied_on: datetime.date
    approved_on: datetime.date | None
    disbursed_on: datetime.date | None


@dataclass(frozen=True)
class Plan:
    anchor: datetime.date
    households: tuple[HouseholdPlan, ...]
    activities: tuple[ActivityPlan, ...] = field(default=())
    groups: tuple[tuple[str, str, datetime.date], ...] = ()  # village, slot, formed on
    enterprises: tuple[tuple[str, datetime.date], ...] = ()  # regency, founded on
    capital: tuple[CapitalPlan, ...] = ()

    def formed_on(self, village: str, slot: str) -> datetime.date:
        return next(day for v, s, day in self.groups if (v, s) == (village, slot))

    def founded_on(self, regency: str) -> datetime.date:
        return next(day for code, day in self.enterprises if code == regency)


# Children with a NIK are born by this day; the newborn without one is dated from the anchor.
CHILDREN_BORN_BY = datetime.date(2023, 12, 31)
DAY = datetime.timedelta(days=1)


def demo_anchor(today: datetime.date) -> datetime.date:
    """Every demo date is counted back from here: the same all month long."""
    return today.replace(day=1)


def _nik(region: str, birth: datetime.date, sex: str, serial: int) -> str:
    day = birth.day + (40 if sex == Sex.FEMALE else 0)
    return f"{region}{day:02d}{birth:%m%y}{serial:04d}"


def _rng(*key: object) -> random.Random:
    """A stream of its own per key: how much one household draws never shifts another's draws."""
    return random.Random(":".join(map(str, (SEED, *key))))


def _date_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _months_back(anchor: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` before the anchor's."""
    index = anchor.year * 12 + anchor.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _spaced(gaps: list[int], room: int) -> list[int]:
    """Running totals of the gaps, squeezed proportionally when they need more than `room` days."""
    total, room = sum(gaps), max(room, 0)
    if total > room:
        gaps = [g * room // total for g in gaps]
    out, running = [], 0
    for gap in gaps:
        running += gap
        out.append(running)
    return out


def _local_partner(village: str, kinds: set[str]) -> str | None:
    """The most local partner of these kinds that serves the village (or a region above it)."""
    serving = [
        (len(code), key)
        for key, (_name, kind, code) in PARTNERS.items()
        if kind in kinds and (village == code or village.startswith(code + "."))
    ]
    return max(serving)[1] if serving else None


class _Planner:
    def __init__(self, anchor: datetime.date) -> None:
        self.anchor = anchor
        self.persons = 0
        self.turns: Counter[str] = Counter()

    def build(self) -> Plan:
        households: list[HouseholdPlan] = []
        for village, count, _worker, approver in VILLAGES:
            stories = list(MANDATORY.get(village, []))
            weights = VILLAGE_HEAD_WEIGHTS if approver else WEIGHTS
            stories += _rng(village, "stories").choices(
                list(weights), weights=list(weights.values()), k=count - len(stories)
            )
            for i, story in enumerate(stories):
                special = {"newborn": i == 1, "outside": i == 2} if village == SUMBERJAYA else {}
                households.append(
                    self.household(village, i, story, len(households) + 1, approver is not None, **special)
                )
        activities = [a for village, *_ in VILLAGES for a in self.activities(village, households)]
        return Plan(
            anchor=self.anchor,
            households=tuple(households),
            activities=tuple(activities),
            groups=self.groups(households),
            enterprises=self.enterprises(households),
            capital=tuple(c for regency in ENTERPRISES for c in self.capital(regency)),
        )

    def household(
        self, village: str, index: int, story: str, serial: int, approved: bool, **special
    ) -> HouseholdPlan:
        """Who the household is comes from `rng`; its dated steps from a second stream."""
        rng, region = _rng(village, index), village.replace(".", "")[:6]
        issued = _date_between(rng, datetime.date(2010, 1, 1), datetime.date(2023, 12, 31))
        kelurahan = village.split(".")[3].startswith("1")
        members = self.members(rng, region, **special)
        steps_rng = _rng(village, index, "steps")
        return HouseholdPlan(
            village=village,
            kk_number=f"{region}{issued:%d%m%y}{serial:04d}",
            address=f"Jl. {rng.choice(JALAN)} No. {rng.randint(1, 120)}"
            if kelurahan
            else f"Kp. {rng.choice(KAMPUNG)}",
            rt=f"{rng.randint(1, 8):03d}",
            rw=f"{rng.randint(1, 5):03d}",
            desil=rng.choices([1, 2, 3, 4, None], weights=[35, 30, 20, 10, 5])[0],
            members=members,
            story=story,
            steps=tuple(self.steps(steps_rng, story, village, members, approved=approved)),
        )

    def person(
        self, rng: random.Random, region: str, sex: str, birth: datetime.date, relation: str, **flags
    ) -> MemberPlan:
        self.persons += 1
        names = (MALE, SURNAME_M) if sex == Sex.MALE else (FEMALE, SURNAME_F)
        if relation == Relation.CHILD:
            names = (CHILD_M if sex == Sex.MALE else CHILD_F, SURNAME_M)
        return MemberPlan(
            nik=_nik(region, birth, sex, self.persons),
            full_name=f"{rng.choice(names[0])} {rng.choice(names[1])}",
            sex=sex,
            birth_date=birth,
            relation=relation,
            has_disability=rng.random() < 0.04,
            **flags,
        )

    def members(
        self, rng: random.Random, region: str, *, newborn: bool = False, outside: bool = False
    ) -> tuple[MemberPlan, ...]:
        day = datetime.timedelta(days=1)
        female_head = rng.random() < 0.12 and not outside  # the spouse from outside Banten
        head_birth = _date_between(rng, datetime.date(1958, 1, 1), datetime.date(1996, 12, 31))
        sex = Sex.FEMALE if female_head else Sex.MALE
        people = [self.person(rng, region, sex, head_birth, Relation.HEAD, is_female_head=female_head)]
        mother_birth = head_birth
        if not female_head:
            mother_birth = head_birth + rng.randint(-3 * 365, 8 * 365) * day
            spouse_region = rng.choice(OUTSIDE_BANTEN) if outside or rng.random() < 0.03 else region
            people.append(self.person(rng, spouse_region, Sex.FEMALE, mother_birth, Relation.SPOUSE))
        first = min(mother_birth + 19 * 365 * day, CHILDREN_BORN_BY)
        births = sorted(
            _date_between(rng, first, CHILDREN_BORN_BY) for _ in range(rng.choice([0, 1, 1, 2, 2, 3]))
        )
        for birth in births:
            people.append(self.person(rng, region, rng.choice(Sex.values), birth, Relation.CHILD))
        if newborn:
            born = self.anchor - 20 * day
            people.append(MemberPlan(None, f"Bayi {rng.choice(CHILD_F)}", Sex.FEMALE, born, Relation.CHILD))
        if rng.random() < 0.1:
            elder = _date_between(rng, datetime.date(1938, 1, 1), datetime.date(1955, 12, 31))
            people.append(self.person(rng, region, rng.choice(Sex.values), elder, Relation.OTHER))
        return tuple(people)

    def steps(
        self, rng: random.Random, story: str, village: str, members: tuple[MemberPlan, ...], *, approved: bool
    ) -> list[tuple]:
        """The story's steps, dated (see the module's docstring). Where someone above the
        worker approves (`approved`), a move is proposed a few days before it is decided."""
        if story == "none":
            return []
        woman = next(i for i, m in enumerate(members) if m.sex == Sex.FEMALE and m.relation != Relation.CHILD)
        program = "extreme" if rng.random() < 0.3 else "basic"
        plot, pivot = self.plot(rng, story)
        days = self.days(rng, story, len(plot), pivot)
        steps: list[tuple] = []
        previous = days[0]
        for (op, *args), day in zip(plot, days, strict=True):
            if op == "open":
                steps.append(("open", day, program))
            elif op == "aid":
                steps.append(("aid", self.aid(rng, args[0], village, program, woman, day)))
            elif op in ("join", "propose"):
                steps.append((op, *args, day))
            else:  # a move or a rejection: (proposed on, decided on)
                delay = rng.randint(1, 6) if approved else 0
                steps.append((op, *args, max(previous, day - delay * DAY), day))
            previous = day
        return steps

    def plot(self, rng: random.Random, story: str) -> tuple[list[tuple], int]:
        """The story's steps, not yet dated, and the index of its own step (the pivot)."""
        up = [("move", "2", MOVE_REASONS["2"], ""), ("move", "3", MOVE_REASONS["3"], "")]

        def basic(n: int) -> list[tuple]:
            kinds, weights = list(BASIC_KINDS), list(BASIC_KINDS.values())
            return [("aid", rng.choices(kinds, weights)[0]) for _ in range(n)]

        def productive(n: int) -> list[tuple]:
            return [("aid", rng.choice(PRODUCTIVE_KINDS)) for _ in range(n)]

        steps: list[tuple] = [("open",)]
        if story == "s1":
            return steps + basic(rng.choice([0, 1, 2, 2])), 0
        if story == "s2":
            steps += basic(rng.randint(1, 3))
            pivot = len(steps)
            steps += [up[0], *productive(rng.choice([0, 1, 1, 2]))]
            return steps + ([("join", "free")] if rng.random() < 0.3 else []), pivot
        if story in ("s3", "grad", "fallback_3_2"):
            slot = "ent" if story == "grad" or rng.random() < 0.5 else "free"
            steps += [*basic(rng.randint(1, 2)), up[0], *productive(rng.randint(1, 2)), ("join", slot), up[1]]
            pivot = len(steps) - 1
            steps += [("aid", Kind.TRAINING)] if rng.random() < 0.4 else []
            last = {"grad": ("graduated", MOVE_REASONS["graduated"]), "fallback_3_2": ("2", FALLBACK_ILLNESS)}
            if story in last:
                pivot = len(steps)
                steps.append(("move", *last[story], ""))
            return steps, pivot
        if story == "fallback_2_1":
            steps += [*basic(rng.randint(1, 3)), up[0]]
            return steps + [("move", "1", FALLBACK_FLOOD, ""), *basic(1)], len(steps)
        if story in EXITS:
            steps += [*basic(rng.randint(1, 2)), *([up[0]] if rng.random() < 0.4 else [])]
            return steps + [("move", "exited", "", story.removeprefix("exit_"))], len(steps)
        if story == "pending":
            steps += basic(rng.randint(1, 3))
            return steps + [("propose", "2", MOVE_REASONS["2"])], len(steps)
        if story == "rejected":
            steps += [*basic(rng.randint(1, 3)), up[0], *productive(1), ("join", "free")]
            return steps + [("reject", "3")], len(steps)
        if story == "reentry":  # declined once, enrolled again later
            steps += [*basic(1), ("move", "exited", "", ExitReason.DECLINED)]
            return steps + [("open",), *basic(1)], len(steps)
        raise ValueError(f"unknown story {story!r}")

    def days(self, rng: random.Random, story: str, count: int, pivot: int) -> list[datetime.date]:
        """The pivot on a day of its story's month by turns; the steps before it spaced back
        (squeezed to stay within the year), those after it forward, up to the anchor's eve."""
        kind = "exit" if story in EXITS else story
        month = self.turns[kind] % TURNS.get(kind, 12) + 1
        self.turns[kind] += 1
        day = _months_back(self.anchor, month) + rng.randint(0, 27) * DAY  # day 28 at most: in any month
        eve, year_ago = self.anchor - DAY, self.anchor - 365 * DAY
        back = _spaced([rng.randint(5, 30) for _ in range(pivot)], (day - year_ago).days)
        ahead = _spaced([rng.randint(3, 20) for _ in range(count - pivot - 1)], (eve - day).days)
        return [day - d * DAY for d in reversed(back)] + [day] + [day + d * DAY for d in ahead]

    def aid(
        self, rng: random.Random, kind: str, village: str, program: str, woman: int, day: datetime.date
    ) -> AidPlan:
        low, high, step, quantity, unit = AMOUNTS[kind]
        to_woman = kind not in BASIC_KINDS and rng.random() < 0.5
        if kind in BASIC_KINDS:
            program = "stunting" if kind == Kind.HEALTH and rng.random() < 0.5 else program
        else:
            program = "women" if to_woman else rng.choice(["umkm", "extreme"])
        zone = "north" if village[:5] in NORTH else "south"
        notes = NOTES.get(kind) or PRODUCTIVE_NOTES[zone][kind]
        return AidPlan(
            kind=kind,
            program=program,
            partner=_local_partner(village, AID_PARTNERS.get(kind, set())),
            amount=low + step * rng.randint(0, (high - low) // step),
            delivered_on=day,
            recipient=woman if to_woman else 0,
            quantity=quantity,
            unit=unit,
            note=rng.choice(notes),
        )

    def groups(self, households: list[HouseholdPlan]) -> tuple[tuple[str, str, datetime.date], ...]:
        """Each group is formed some weeks before its first member joins."""
        first: dict[tuple[str, str], datetime.date] = {}
        for h in households:
            for slot, day in (args for op, *args in h.steps if op == "join"):
                first[(h.village, slot)] = min(first.get((h.village, slot), day), day)
        return tuple(
            (village, slot, day - _rng(village, slot, "formed").randint(14, 60) * DAY)
            for (village, slot), day in sorted(first.items())
        )

    def enterprises(self, households: list[HouseholdPlan]) -> tuple[tuple[str, datetime.date], ...]:
        """Each regency's enterprise is founded some weeks before its first graduation (which
        needs the household's group in it); ten months back where nobody graduates."""
        first: dict[str, datetime.date] = {}
        for h in households:
            for step in h.steps:
                if step[:2] == ("move", "graduated"):
                    first[h.village[:5]] = min(first.get(h.village[:5], step[-1]), step[-1])
        return tuple(
            (
                regency,
                first.get(regency, _months_back(self.anchor, 10))
                - _rng(regency, "founded").randint(20, 60) * DAY,
            )
            for regency in ENTERPRISES
        )

    def capital(self, regency: str) -> list[CapitalPlan]:
        """The enterprise's applications: the last step of each in a month of its own, the
        last one listed in the month before the anchor; earlier steps counted back from it."""
        *_where, applications = ENTERPRISES[regency]
        rng = _rng(regency, "capital")
        plans = []
        for i, (source, amount, status) in enumerate(applications):
            last = _months_back(self.anchor, len(applications) - i) + rng.randint(0, 27) * DAY
            disbursed = last if status == "disbursed" else None
            approved = {"disbursed": last - 21 * DAY, "approved": last}.get(status)
            applied = approved - 30 * DAY if approved else last
            plans.append(CapitalPlan(regency, source, amount, status, applied, approved, disbursed))
        return plans

    def activities(self, village: str, households: list[HouseholdPlan]) -> list[ActivityPlan]:
        here = [h for h in households if h.village == village]
        adults = [
            m for h in here for m in h.members if m.nik and (self.anchor - m.birth_date).days > 17 * 365
        ]
        women = [m.nik for m in adults if m.sex == Sex.FEMALE]
        heads = [
            h.members[0].nik for h in here if h.story in ("s2", "s3", "grad", "rejected", "fallback_3_2")
        ]
        mothers = [
            m.nik
            for h in here
            if any(
                c.relation == Relation.CHILD and (self.anchor - c.birth_date).days < 5 * 365
                for c in h.members
            )
            for m in h.members[:2]
            if m.sex == Sex.FEMALE and m.nik
        ]

        rng = _rng(village, "activities")

        def pick(niks: list[str], k: int) -> tuple[str, ...]:
            return tuple(sorted(rng.sample(niks, min(k, len(niks)))))

        pkk = _local_partner(village, {Partner.Kind.PKK}) or "pkk_banten"
        business = _local_partner(village, {Partner.Kind.COOPERATIVE, Partner.Kind.BANK, Partner.Kind.BUMDES})
        health = _local_partner(village, {Partner.Kind.POSYANDU}) or pkk
        day = datetime.timedelta(days=1)
        culinary = (
            "kue basah untuk dijual daring" if village[:5] in NORTH else "olahan ikan dan keripik pisang"
        )
        return [
            ActivityPlan(village, pkk, "women", Topic.CULINARY, f"Pelatihan tata boga: {culinary}",
                         self.anchor - 75 * day, pick(women, 12)),
            ActivityPlan(village, business or pkk, "umkm", Topic.ENTREPRENEURSHIP,
                         "Kelas kewirausahaan: pembukuan usaha sederhana", self.anchor - 40 * day, pick(heads, 10)),
            ActivityPlan(village, health, "stunting", Topic.NUTRITION, "Penyuluhan gizi balita dan PMT",
                         self.anchor - 12 * day, pick(mothers, 12)),
        ]  # fmt: skip


def build_plan(anchor: datetime.date) -> Plan:
    return _Planner(anchor).build()
