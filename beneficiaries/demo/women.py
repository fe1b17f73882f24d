"""A year of the women's economic-empowerment programme in the demo villages: enrolments,
tata boga and kewirausahaan trainings with attendance, businesses (some stopped), their
3/6/12-month follow-ups, and capital help in several schemes. Bulk writes (with history),
so the whole year adds well under a second; a second run adds nothing."""

import datetime
import random

from simple_history.utils import bulk_create_with_history

from ..models import (
    Activity,
    Attendance,
    Business,
    BusinessFollowUp,
    CapitalHelp,
    Person,
    Relation,
    Sex,
    WomenEnrolment,
)
from ..models.business import KIND_MONTHS, ZONE_FOCUS, add_months
from ..models.groups import Sector

SCHEMES = ["grant", "revolving", "kur", "csr", "bumdes", "cooperative"]
NORTH = ("36.03", "36.71", "36.74")
BUSINESS_NAMES = {
    "culinary": "Dapur", "agriculture": "Kebun", "fishery": "Olahan Ikan", "livestock": "Ternak",
    "digital": "Toko Daring", "services": "Jasa Jahit", "trade": "Warung", "craft": "Kerajinan",
}  # fmt: skip
STOP_REASONS = ["capital", "market", "health", "work"]


class WomenSeeder:
    def __init__(self, seeder) -> None:
        self.seeder = seeder
        self.anchor: datetime.date = seeder.anchor
        self.rng = random.Random(13)

    def day_back(self, days: int) -> datetime.date:
        return self.anchor - datetime.timedelta(days=days)

    def run(self) -> None:
        women = list(
            Person.objects.filter(
                sex=Sex.FEMALE, relation__in=[Relation.HEAD, Relation.SPOUSE], left_on__isnull=True,
                women_enrolment__isnull=True, household__village_id__in=list(self.seeder.workers),
            ).select_related("household").order_by("pk")
        )  # fmt: skip
        if not women or WomenEnrolment.objects.filter(village_id__in=list(self.seeder.workers)).exists():
            return
        enrolled = [w for w in women if self.rng.random() < 0.75]
        enrolments = self.enrol(enrolled)
        self.train(enrolments)
        businesses = self.start_businesses(enrolments)
        self.follow_up(businesses)
        self.capital(businesses)

    def enrol(self, women: list[Person]) -> list[WomenEnrolment]:
        program = self.seeder.programs.get("women")
        rows = []
        for woman in women:
            rows.append(
                WomenEnrolment(
                    person=woman,
                    household_id=woman.household_id,
                    village_id=woman.household.village_id,
                    program=program,
                    enrolled_on=self.day_back(self.rng.randint(300, 365)),
                    female_headed=woman.relation == Relation.HEAD,
                    recorded_by=self.worker(woman.household.village_id),
                )  # fmt: skip
            )
        for row in rows:
            row.set_region_codes()
        return bulk_create_with_history(rows, WomenEnrolment, batch_size=500)

    def worker(self, village: str):
        return self.seeder.users.get(self.seeder.workers[village][0])

    def train(self, enrolments: list[WomenEnrolment]) -> None:
        """Per village: a tata boga training a month after the enrolments, then kewirausahaan."""
        by_village: dict[str, list[WomenEnrolment]] = {}
        for e in enrolments:
            by_village.setdefault(e.village_id, []).append(e)
        partner = self.seeder.partners.get("pkk_banten")
        program = self.seeder.programs.get("women")
        activities, attendees = [], []
        for village, rows in sorted(by_village.items()):
            for topic, title, days in (
                ("culinary", "Pelatihan tata boga: kue basah dan keripik", 280),
                ("entrepreneurship", "Pelatihan kewirausahaan: harga, pembukuan, pemasaran daring", 250),
            ):
                activity = Activity(
                    partner=partner, program=program, village_id=village, topic=topic, title=title,
                    held_on=self.day_back(days), recorded_by=self.worker(village),
                )  # fmt: skip
                activity.set_region_codes()
                activities.append(activity)
                attendees.append([e.person_id for e in rows if self.rng.random() < 0.85])
        Activity.objects.bulk_create(activities)
        Attendance.objects.bulk_create(
            [
                Attendance(activity=a, person_id=p)
                for a, people in zip(activities, attendees, strict=True)
                for p in people
            ]
        )

    def sector_for(self, village: str) -> str:
        focus = sorted(ZONE_FOCUS["north" if village.startswith(NORTH) else "south"])
        return self.rng.choice(focus) if self.rng.random() < 0.7 else self.rng.choice(Sector.values)

    def start_businesses(self, enrolments: list[WomenEnrolment]) -> list[Business]:
        rows = []
        for e in enrolments:
            if self.rng.random() > 0.65:
                continue
            sector = self.sector_for(e.village_id)
            business = Business(
                owner_person_id=e.person_id, household_id=e.household_id, village_id=e.village_id,
                name=f"{BUSINESS_NAMES.get(sector, 'Usaha')} Bu {e.person.full_name.split()[0]}", sector=sector,
                started_on=self.day_back(self.rng.randint(200, 240)), sells_at_market=self.rng.random() < 0.6,
                sells_in_shop=self.rng.random() < 0.4, sells_online=sector in ("digital", "services") or self.rng.random() < 0.3,
                recorded_by=self.worker(e.village_id),
            )  # fmt: skip
            if not (business.sells_at_market or business.sells_in_shop or business.sells_online):
                business.sells_at_market = True
            business.set_region_codes()
            rows.append(business)
        return bulk_create_with_history(rows, Business, batch_size=500)

    def follow_up(self, businesses: list[Business]) -> None:
        """Visits at 3, 6 and 12 months when due; one in eight stops at each, some visits are
        late (the attention list shows them); the business row keeps the latest state."""
        rows = []
        for business in businesses:
            revenue = self.rng.randrange(500_000, 3_000_000, 50_000)
            business.next_due_kind, business.next_due_on = "", None
            for kind, months in KIND_MONTHS.items():
                due = add_months(business.started_on, months)
                if due > self.anchor or self.rng.random() < 0.1:
                    business.next_due_kind, business.next_due_on = kind, due
                    break
                stopped = self.rng.random() < 0.125
                visit = BusinessFollowUp(
                    business=business, village_id=business.village_id, kind=kind, visited_on=due,
                    status="stopped" if stopped else "running",
                    stop_reason=self.rng.choice(STOP_REASONS) if stopped else "",
                    monthly_revenue=0 if stopped else revenue,
                    monthly_profit=None if stopped else revenue // 4, workers=0 if stopped else self.rng.randint(1, 3),
                    recorded_by=business.recorded_by,
                )  # fmt: skip
                visit.set_region_codes()
                rows.append(visit)
                business.last_status, business.last_followup_on = visit.status, due
                business.last_monthly_revenue = visit.monthly_revenue
                if stopped:
                    break
                revenue = int(revenue * self.rng.uniform(0.95, 1.25)) // 1000 * 1000
        bulk_create_with_history(rows, BusinessFollowUp, batch_size=1000)
        fields = ["last_status", "last_followup_on", "last_monthly_revenue", "next_due_kind", "next_due_on"]
        Business.objects.bulk_update(businesses, fields, batch_size=500)

    def capital(self, businesses: list[Business]) -> None:
        rows = []
        for i, business in enumerate(businesses):
            if self.rng.random() > 0.6:
                continue
            applied = business.started_on + datetime.timedelta(days=self.rng.randint(5, 40))
            row = CapitalHelp(
                business=business, village_id=business.village_id, scheme=SCHEMES[i % len(SCHEMES)],
                amount=self.rng.randrange(1_000_000, 10_000_000, 250_000), applied_on=applied,
                recorded_by=business.recorded_by,
            )  # fmt: skip
            fate = self.rng.random()
            if fate < 0.7:
                row.status, row.approved_on, row.disbursed_on = (
                    "disbursed",
                    applied + datetime.timedelta(days=10),
                    applied + datetime.timedelta(days=21),
                )
            elif fate < 0.8:
                row.status, row.approved_on = "approved", applied + datetime.timedelta(days=12)
            elif fate < 0.9:
                row.status, row.refused_on = "refused", applied + datetime.timedelta(days=14)
            row.set_region_codes()
            rows.append(row)
        bulk_create_with_history(rows, CapitalHelp, batch_size=500)
