"""Carrying the plan out through the services, acting as the demo users."""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal

from core.errors import DomainError
from programs.models import Partner, Program
from regions import policy, second_factor
from regions.models import Role, User, find_region
from regions.services import create_user

from .. import growth_tally
from ..models import (
    Activity,
    Assistance,
    CapitalAccess,
    Enterprise,
    Group,
    Household,
    MoveState,
    Person,
)
from ..models.business import Business, BusinessFollowUp, CapitalHelp, WomenEnrolment
from ..models.growth import GrowthFollowUp, Intervention, Measurement
from ..services import (
    add_group_member,
    attach_group,
    create_enterprise,
    create_group,
    decide_move,
    open_case,
    record_activity,
    record_assistance,
    record_capital_access,
    register_household,
    request_move,
)
from .backdate import Backdate, at
from .data import (
    ACTIVITY_RECORDER,
    APPROVE_NOTE,
    DEMO_TOTP_KEY,
    ENTERPRISES,
    GROUP_NAMES,
    MOVE_REASONS,
    PARTNERS,
    PASSWORD,
    PROGRAM_START,
    PROGRAMS,
    REGENCY_OFFICIAL,
    REJECT_NOTE,
    SECTORS,
    USERS,
    VILLAGES,
)
from .growth import GrowthSeeder
from .plan import ActivityPlan, AidPlan, HouseholdPlan, Plan
from .women import WomenSeeder

COUNTED = [
    User,
    Program,
    Partner,
    Household,
    Person,
    Enterprise,
    Group,
    CapitalAccess,
    Activity,
    Measurement,
    GrowthFollowUp,
    Intervention,
    WomenEnrolment,
    Business,
    BusinessFollowUp,
    CapitalHelp,
]

# Sent inside the seed's transaction once everything above is in, with `users` (the demo
# users by username). The apps above this one add their own demo rows from a receiver (the
# report recipients: reports/demo.py) and return {name: (rows now, rows added)} for the summary.
demo_seeded = Signal()


class Seeder:
    """Carries a plan out through the services; what already exists (by its key) is skipped."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.anchor = plan.anchor
        self.users: dict[str, User] = {}
        self.programs: dict[str, Program] = {}
        self.partners: dict[str, Partner] = {}
        self.enterprises: dict[str, Enterprise] = {}
        self.groups: dict[tuple[str, str], Group] = {}
        self.workers = {v: (worker, approver) for v, _n, worker, approver in VILLAGES}
        self.backdate = Backdate()
        self._password_hash = ""

    @transaction.atomic
    def run(self) -> dict[str, tuple[int, int]]:
        """Seed what is missing; returns, per model, (rows now, rows added)."""
        before = {m._meta.verbose_name_plural: m.objects.count() for m in COUNTED}
        self.ensure_users()
        self.ensure_reference_data()
        existing = set(
            Household.objects.filter(kk_number__in=[h.kk_number for h in self.plan.households]).values_list(
                "kk_number", flat=True
            )
        )
        for household in self.plan.households:
            if household.kk_number not in existing:
                self.seed_household(household)
        self.ensure_capital_access()
        for activity in self.plan.activities:
            self.seed_activity(activity)
        GrowthSeeder(self).run()
        WomenSeeder(self).run()
        self.backdate.apply()
        growth_tally.close_months()  # the ended months of the measurements just written
        after = {m._meta.verbose_name_plural: m.objects.count() for m in COUNTED}
        counts = {str(name): (after[name], after[name] - before[name]) for name in after}
        for _receiver, more in demo_seeded.send(sender=Seeder, users=self.users):
            counts.update(more)
        return counts

    def password_hash(self) -> str:
        """One hash for the shared password: hashing it per user would double the run time."""
        if not self._password_hash:
            validate_password(PASSWORD)
            self._password_hash = make_password(PASSWORD)
        return self._password_hash

    def ensure_users(self) -> None:
        for username, role, region, first, last in USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = create_user(
                    username=username,
                    role=role,
                    region_code=region,
                    email=f"{username}@example.org",
                    first_name=first,
                    last_name=last,
                )
                user.password = self.password_hash()
                user.save(update_fields=["password"])
            self.users[username] = user
        if not User.objects.filter(username="admin").exists():
            admin = User.objects.create_superuser("admin", "admin@example.org")
            admin.password = self.password_hash()
            admin.save(update_fields=["password"])
        for user in [*self.users.values(), User.objects.get(username="admin")]:
            if policy.needs_second_factor(user) and not second_factor.confirmed_device(user):
                second_factor.set_known_device(user=user, key_hex=DEMO_TOTP_KEY)

    def ensure_reference_data(self) -> None:
        for key, spec in PROGRAMS.items():
            self.programs[key] = Program.objects.filter(name=spec["name"]).first() or _saved(
                Program(starts_on=PROGRAM_START, **spec)
            )
        for key, (name, kind, region) in PARTNERS.items():
            self.partners[key] = Partner.objects.filter(name=name, region_code=region).first() or _saved(
                Partner(name=name, kind=kind, region_code=region, contact=f"Sekretariat {name}")
            )
        for regency, (village, name, form, nib, _capital) in ENTERPRISES.items():
            enterprise = Enterprise.objects.filter(village_id=village, name=name).first()
            if enterprise is None:
                founded_on = self.plan.founded_on(regency)
                enterprise = create_enterprise(
                    actor=self.users[REGENCY_OFFICIAL[regency]],
                    village=village,
                    name=name,
                    legal_form=form,
                    founded_on=founded_on,
                    nib=nib,
                )
                self.backdate.saved(enterprise, at(founded_on, 10))
            self.enterprises[regency] = enterprise

    def group(self, village: str, slot: str) -> Group:
        key = (village, slot)
        if key not in self.groups:
            names = GROUP_NAMES[int(village[-1]) % 2]
            name = f"{names[slot == 'free']} {find_region(village).name}"
            group = Group.objects.filter(village_id=village, name=name).first()
            if group is None:
                sector = SECTORS[village[:5]][slot == "free"]
                formed_on = self.plan.formed_on(village, slot)
                worker = self.users[self.workers[village][0]]
                group = create_group(
                    actor=worker, village=village, name=name, sector=sector, formed_on=formed_on
                )
                self.backdate.saved(group, at(formed_on, 10))
                if slot == "ent":
                    official = self.users[REGENCY_OFFICIAL[village[:5]]]
                    enterprise = self.enterprises[village[:5]]
                    group = attach_group(actor=official, group=group, enterprise=enterprise)
                    self.backdate.saved(group, at(max(formed_on, enterprise.founded_on), 11))
            self.groups[key] = group
        return self.groups[key]

    def seed_household(self, plan: HouseholdPlan) -> None:
        worker_name, approver_name = self.workers[plan.village]
        worker, approver = self.users[worker_name], self.users.get(approver_name or "")
        household = register_household(
            actor=worker,
            village=plan.village,
            kk_number=plan.kk_number,
            address=plan.address,
            rt=plan.rt,
            rw=plan.rw,
            desil=plan.desil,
            members=[m.as_service_data() for m in plan.members],
        )
        persons = list(household.members.order_by("pk"))
        if plan.steps:  # registered the day the case was opened
            registered = at(plan.steps[0][1], 8)
            self.backdate.saved(household, registered)
            for person in persons:
                self.backdate.saved(person, registered)
        case = None
        for minute, (op, *args) in enumerate(plan.steps):  # the minute keeps a day's steps in order
            if op == "open":
                opened_on, program = args
                case = open_case(
                    actor=worker, household=household, opened_on=opened_on, program=self.programs[program]
                )
                self.backdate.opened(case, at(opened_on, 9, minute))
            elif op == "aid":
                aid = self.record_aid(worker, case, args[0], persons)
                self.backdate.saved(aid, at(aid.delivered_on, 11, minute))
            elif op == "join":
                slot, joined_on = args
                group = self.group(plan.village, slot)
                membership = add_group_member(
                    actor=worker, group=group, household=household, joined_on=joined_on
                )
                self.backdate.saved(membership, at(joined_on, 11, minute))
            else:
                self.move(case, op, args, worker, approver, minute)

    def move(self, case, op: str, args: list, worker: User, approver: User | None, minute: int) -> None:
        """A move applied at once (an official), or proposed and then approved or rejected
        (by the camat), or left pending; dated as the plan says."""
        if op == "propose":
            to, reason, proposed_on = args
            income = graduation_income(case.pk) if to == "graduated" else None
            move = request_move(case=case, to=to, actor=worker, reason=reason, monthly_income=income)
            self.backdate.moved(move, case, at(proposed_on, 10, minute))
            return
        if op == "reject":
            to, proposed_on, decided_on = args
            reason, exit_reason, approve = MOVE_REASONS[to], "", False
        else:
            to, reason, exit_reason, proposed_on, decided_on = args
            approve = True
        income = graduation_income(case.pk) if to == "graduated" else None
        move = request_move(
            case=case, to=to, actor=worker, reason=reason, exit_reason=exit_reason, monthly_income=income
        )
        if move.state == MoveState.PENDING:
            note = APPROVE_NOTE if approve else REJECT_NOTE
            move = decide_move(move=move, actor=approver, approve=approve, note=note)
            self.backdate.moved(move, case, at(proposed_on, 10, minute), at(decided_on, 14, minute))
        else:
            self.backdate.moved(move, case, at(decided_on, 13, minute), at(decided_on, 13, minute))

    def record_aid(self, worker: User, case, aid: AidPlan, persons: list[Person]) -> Assistance:
        return record_assistance(
            actor=worker,
            case=case,
            kind=aid.kind,
            program=self.programs[aid.program],
            partner=self.partners[aid.partner] if aid.partner else None,
            recipient=persons[aid.recipient],
            delivered_on=aid.delivered_on,
            amount=aid.amount,
            quantity=aid.quantity,
            unit=aid.unit,
            note=aid.note,
        )

    def ensure_capital_access(self) -> None:
        for capital in self.plan.capital:
            enterprise = self.enterprises[capital.regency]
            source, amount = capital.source, capital.amount
            if CapitalAccess.objects.filter(enterprise=enterprise, source=source, amount=amount).exists():
                continue
            access = record_capital_access(
                actor=self.users[REGENCY_OFFICIAL[capital.regency]],
                enterprise=enterprise,
                source=source,
                amount=amount,
                status=capital.status,
                applied_on=capital.applied_on,
                approved_on=capital.approved_on,
                disbursed_on=capital.disbursed_on,
                note=f"{CapitalAccess.Source(source).label} untuk modal usaha kelompok",
            )
            last = capital.disbursed_on or capital.approved_on or capital.applied_on
            self.backdate.saved(access, at(capital.applied_on, 10), at(last, 10))

    def seed_activity(self, plan: ActivityPlan) -> None:
        # Keyed without the date, which moves with the anchor: a run next month adds nothing.
        if Activity.objects.filter(village_id=plan.village, title=plan.title).exists():
            return
        recorder = ACTIVITY_RECORDER.get(plan.village) or self.workers[plan.village][0]
        activity = record_activity(
            actor=self.users[recorder],
            partner=self.partners[plan.partner],
            village=plan.village,
            topic=plan.topic,
            title=plan.title,
            held_on=plan.held_on,
            attendees=Person.objects.filter(nik__in=plan.attendee_niks),
            program=self.programs[plan.program],
        )
        self.backdate.saved(activity, at(plan.held_on, 15))


def graduation_income(case_id: int) -> int:
    """A household's monthly income when it graduates: Rp 2.000.000 to 3.500.000, by case."""
    return 2_000_000 + (case_id % 7) * 250_000


def _saved(obj):
    try:
        obj.full_clean()
    except ValidationError as error:
        raise DomainError.from_validation_error(error) from None
    obj.save()
    return obj


def demo_second_factor() -> tuple[str, str]:
    """(key in base32, the code it gives now) of the demo's authenticator, for `make run`."""
    from base64 import b32encode

    from django_otp.oath import totp

    key = bytes.fromhex(DEMO_TOTP_KEY)
    return b32encode(key).decode(), f"{totp(key):06d}"


def logins() -> list[tuple[str, str, str, str]]:
    """(username, role, region, password) of every demo login, for the table `make run` prints."""
    rows = [("admin", "Superuser (semua akses)", "36 Banten, seluruhnya", PASSWORD)]
    for username, role, region, *_names in USERS:
        place = find_region(region)
        rows.append((username, str(Role(role).label), f"{region} {place}", PASSWORD))
    return rows
