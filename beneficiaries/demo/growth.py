"""Posyandu demo: toddlers with a year of monthly measurements, the follow-ups those open
and close, and interventions.

The plan is pure like plan.py: each toddler's name, sex and growth path come from a
stream of its own household's (keyed by KK), so the same households get the same children
whatever the month; the child's birth and the weighing days count back from the anchor, so
there are always toddlers under 60 months and the last twelve months are weighed. About one
child in eleven grows stunted (HAZ around -2.6) and one in five goes through a wasting
episode (WHZ around -2.6 for two to four months) then recovers; the rest grow normally.
Heights and weights are read off the WHO curves at the child's own z-scores, with noise.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from programs.models import Partner
from regions.models import Village

from ..growth.who import (
    LENGTH_BOARD_MONTHS,
    Position,
    corrected_height,
    lms_for_age,
    lms_for_length,
    weight_height_indicator,
)
from ..models import Household, Relation, Sex
from ..models.growth import GrowthFollowUp, Intervention
from ..services import add_member
from ..services.growth import record_measurement_history
from .backdate import at
from .data import CHILD_F, CHILD_M
from .plan import Plan, _months_back, _nik, _rng

SHARE = 0.4  # of the demo households, those with a toddler
MONTHS = 12  # weighed every month of the past year (now and then a month missed)
MISSED = 0.08
STUNTED, WASTED = 0.09, 0.2  # shares of children on those paths
TENTH = Decimal("0.1")
NIK_SERIAL = 7000  # toddlers' NIK serials, past the households' own


@dataclass(frozen=True)
class ToddlerPlan:
    kk_number: str
    village: str
    nik: str
    full_name: str
    sex: str
    birth_date: datetime.date
    measurements: tuple[tuple[datetime.date, Decimal, Decimal, str], ...]  # day, kg, cm, position


def growth_plan(plan: Plan) -> list[ToddlerPlan]:
    toddlers = []
    for index, household in enumerate(plan.households):
        rng = _rng(household.kk_number, "toddler")
        if rng.random() >= SHARE:
            continue
        sex = rng.choice([Sex.MALE, Sex.FEMALE])
        surname = household.members[0].full_name.split()[-1]
        name = f"{rng.choice(CHILD_M if sex == Sex.MALE else CHILD_F)} {surname}"
        age = rng.randint(1, 59)  # completed months at the anchor
        birth = _months_back(plan.anchor, age) + datetime.timedelta(days=rng.randint(0, 27))
        region = household.village.replace(".", "")[:6]
        measurements = tuple(_path(rng, plan.anchor, sex, birth))
        toddlers.append(
            ToddlerPlan(
                kk_number=household.kk_number,
                village=household.village,
                nik=_nik(region, birth, sex, NIK_SERIAL + index),
                full_name=name,
                sex=sex,
                birth_date=birth,
                measurements=measurements,
            )
        )
    return toddlers


def _path(rng, anchor: datetime.date, sex: str, birth: datetime.date):
    """The child's monthly weighings, oldest first, from its z-scores' path."""
    stunted, wasted = rng.random() < STUNTED, rng.random() < WASTED
    haz = rng.gauss(-2.6, 0.3) if stunted else rng.gauss(-0.5, 0.7)
    base_whz = rng.gauss(-0.3, 0.6)
    episode = rng.randint(1, MONTHS - 2) if wasted else -1
    length = rng.randint(2, 4)
    for back in range(MONTHS, 0, -1):
        day = _months_back(anchor, back) + datetime.timedelta(days=rng.randint(4, 20))
        month = MONTHS - back
        haz += rng.gauss(0, 0.08)
        in_episode = wasted and episode <= month < episode + length
        whz = rng.gauss(-2.6, 0.25) if in_episode else base_whz + rng.gauss(0, 0.2)
        if day < birth or rng.random() < MISSED:
            continue
        yield (day, *_measure(sex, birth, day, haz, whz))


def _measure(sex: str, birth: datetime.date, day: datetime.date, haz: float, whz: float):
    months = (day.year - birth.year) * 12 + day.month - birth.month - (day.day < birth.day)
    position = Position.LYING if months < LENGTH_BOARD_MONTHS else Position.STANDING
    height = Decimal(repr(lms_for_age("lhfa", sex, months).at(haz))).quantize(TENTH, ROUND_HALF_UP)  # type: ignore[arg-type]
    corrected = corrected_height(age_months=months, height_cm=height, position=position)
    row = lms_for_length(weight_height_indicator(months), sex, corrected)  # type: ignore[arg-type]
    weight = row.at(whz) if row else lms_for_age("wfa", sex, months).at(whz)  # type: ignore[arg-type]
    return Decimal(repr(weight)).quantize(TENTH, ROUND_HALF_UP), height, position


def child_data(toddler: ToddlerPlan) -> dict:
    return {
        "nik": toddler.nik,
        "full_name": toddler.full_name,
        "sex": toddler.sex,
        "birth_date": toddler.birth_date,
        "relation": Relation.CHILD,
    }


# ---------------------------------------------------------------- carried out

FLOWERS = ["Kenanga", "Dahlia", "Flamboyan", "Teratai", "Cempaka", "Seruni", "Kamboja", "Asoka"]
# After the follow-up opens: what the posyandu gives, and how many days after opening.
INTERVENTIONS = [("nutrition_counselling", 0), ("pmt", 3), ("vitamin_a", 10), ("puskesmas_referral", 5)]
RECORDER = {"36.01.01.2001": "kader_sumberjaya", "36.01.01.2002": "kader_kertajaya"}


class GrowthSeeder:
    """Adds each planned toddler that its household does not have yet (by name), then
    weighs it month by month through the services, recording interventions on each
    follow-up a weighing opens; every row dated on its day."""

    def __init__(self, seeder) -> None:
        self.seeder = seeder
        self.posyandus: dict[str, Partner] = {}

    def run(self) -> None:
        toddlers = growth_plan(self.seeder.plan)
        households = {
            h.kk_number: h
            for h in Household.objects.filter(kk_number__in=[t.kk_number for t in toddlers]).prefetch_related(
                "members"
            )
        }
        for toddler in toddlers:
            household = households.get(toddler.kk_number)
            if household is None or any(p.full_name == toddler.full_name for p in household.members.all()):
                continue
            self.seed_toddler(household, toddler)

    def posyandu(self, village: str) -> Partner:
        if village not in self.posyandus:
            found = (
                Partner.objects.filter(kind=Partner.Kind.POSYANDU, region_code=village).order_by("pk").first()
            )
            if found is None:
                name = Village.objects.get(code=village).name.title()
                flower = FLOWERS[sum(map(ord, village)) % len(FLOWERS)]
                found = Partner(
                    name=f"Posyandu {flower} {name}",
                    kind=Partner.Kind.POSYANDU,
                    region_code=village,
                    contact=f"Kader Posyandu {name}",
                )
                found.full_clean()
                found.save()
            self.posyandus[village] = found
        return self.posyandus[village]

    def seed_toddler(self, household, toddler: ToddlerPlan) -> None:
        """The child's year in one pass (`record_measurement_history`): the same rows as
        weighing it month by month through `record_measurement`, without recomputing the
        child's history on every weighing."""
        users = self.seeder.users
        worker = users[self.seeder.workers[toddler.village][0]]
        recorder = users.get(RECORDER.get(toddler.village, ""), worker)
        child = add_member(actor=worker, household=household, **child_data(toddler))
        self.seeder.backdate.saved(child, at(toddler.birth_date + datetime.timedelta(days=14), 9))
        posyandu = self.posyandu(toddler.village)
        opened: dict[int, GrowthFollowUp] = {}

        def given(i: int, followup: GrowthFollowUp):
            opened[i] = followup
            yield from demo_interventions(toddler, i, self.seeder.anchor, posyandu)

        measurements = record_measurement_history(
            actor=recorder, person=child, weighings=weighings(toddler, posyandu), interventions=given
        )
        for i, measurement in enumerate(measurements):
            self.seeder.backdate.saved(measurement, at(measurement.measured_on, 9, i % 60))
        for i, followup in opened.items():
            self.seeder.backdate.saved(followup, at(measurements[i].measured_on, 9, i % 60))
        interventions = Intervention.objects.filter(followup__in=list(opened.values())).order_by("pk")
        for intervention in interventions:
            self.seeder.backdate.saved(intervention, at(intervention.given_on, 10))


def weighings(toddler: ToddlerPlan, posyandu: Partner) -> list[dict]:
    return [
        {"measured_on": day, "weight_kg": weight, "height_cm": height, "position": position, "posyandu": posyandu}
        for day, weight, height, position in toddler.measurements
    ]


def demo_interventions(toddler: ToddlerPlan, i: int, anchor: datetime.date, posyandu: Partner):
    """What the posyandu gives after the i-th weighing opened a follow-up, before the next
    weighing (or the anchor)."""
    days = [m[0] for m in toddler.measurements]
    day = days[i]
    until = days[i + 1] if i + 1 < len(days) else anchor - datetime.timedelta(days=1)
    for kind, after in INTERVENTIONS[: 2 + i % 3]:
        given_on = day + datetime.timedelta(days=after)
        if given_on < until:
            yield {"given_on": given_on, "kind": kind, "partner": posyandu}
