"""`manage.py seed_demo`: deterministic, idempotent demo data that covers every state."""

import datetime
import hashlib
import io
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction
from django.http import HttpRequest
from django.test import Client, override_settings
from django.utils import timezone

from beneficiaries.demo import PASSWORD, USERS, Seeder, build_plan, demo_anchor
from beneficiaries.demo.growth import growth_plan
from beneficiaries.identity import parse_nik
from beneficiaries.models import (
    Activity,
    Assistance,
    Attendance,
    CapitalAccess,
    Case,
    Enterprise,
    ExitReason,
    Group,
    GroupMembership,
    Household,
    Person,
    StageTransition,
)
from beneficiaries.models.growth import GrowthFollowUp, Intervention, Measurement
from programs.models import Partner, Program
from regions.models import Regency, User
from regions.roles import role_group_name
from reports.models import ReportRecipient

# One worker runs the whole module under `--dist loadgroup`, so the seed runs once, not per chunk.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("seed_demo")]
APPS = ("beneficiaries", "programs", "regions", "auth")


def fingerprint() -> dict[str, tuple[int, str]]:
    """Per model (history tables included): the row count and a hash of every value of every row."""
    prints = {}
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            rows = list(model._default_manager.order_by("pk").values_list())
            prints[model._meta.label] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return prints


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed twice, once for the whole module, in a transaction rolled back at its end."""
    # The same fast hasher as tests/conftest.py gives each test, or the logins would not verify.
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        first = seed()
        after_first = fingerprint()
        second = seed()
        yield SimpleNamespace(first=first, second=second, after_first=after_first, after_second=fingerprint())
        transaction.set_rollback(True)


def test_running_it_again_changes_nothing(seeded):
    """The second run adds no row and changes no value, history included."""
    assert seeded.after_second == seeded.after_first
    assert seeded.after_first["beneficiaries.Household"][0] >= 200
    assert seeded.after_first["beneficiaries.HistoricalCase"][0] > 0
    assert "rumah tangga: 200 (200 baru)" in seeded.first
    assert "rumah tangga: 200 (0 baru)" in seeded.second
    assert not re.search(r"\((?!0 baru)\d+ baru\)", seeded.second)


def test_a_run_in_another_month_adds_nothing(seeded):
    """Dates move with the anchor, but every object is found by a key without a date."""
    last_month = demo_anchor(demo_anchor(timezone.localdate()) - datetime.timedelta(days=1))
    counts = Seeder(build_plan(last_month)).run()
    assert all(added == 0 for _total, added in counts.values()), counts
    assert fingerprint() == seeded.after_first


def test_the_plan_is_the_same_on_every_build():
    """A fixed seed and a fixed anchor: two builds give the same households, people and steps."""
    anchor = demo_anchor(timezone.localdate())
    assert anchor.day == 1
    assert build_plan(anchor) == build_plan(anchor)
    assert demo_anchor(anchor + datetime.timedelta(days=20)) == anchor


def test_the_database_holds_exactly_the_plan(seeded):
    plan = build_plan(demo_anchor(timezone.localdate()))
    assert set(Household.objects.values_list("kk_number", "village_id")) == {
        (h.kk_number, h.village) for h in plan.households
    }
    planned_niks = {m.nik for h in plan.households for m in h.members if m.nik}
    planned_niks |= {t.nik for t in growth_plan(plan)}  # the toddlers the posyandu weighs
    assert set(Person.objects.exclude(nik=None).values_list("nik", flat=True)) == planned_niks


def test_it_covers_regencies_north_and_south_with_several_villages(seeded):
    regencies = set(Household.objects.values_list("regency_id", flat=True))
    assert len(regencies) >= 3
    zones = set(Regency.objects.filter(code__in=regencies).values_list("zone", flat=True))
    assert zones == {"north", "south"}
    for regency in regencies:
        assert Household.objects.filter(regency_id=regency).values("village_id").distinct().count() >= 2


def test_it_covers_every_stage_and_state(seeded):
    active = set(Case.objects.filter(status="active").values_list("stage", flat=True))
    assert active == {"1", "2", "3"}
    assert Case.objects.filter(status="graduated").exists()
    assert set(Case.objects.filter(status="exited").values_list("exit_reason", flat=True)) == set(
        ExitReason.values
    )
    moves = StageTransition.objects
    assert moves.filter(state="pending").exists()
    rejected = moves.filter(state="rejected")
    assert rejected.exists() and all(m.decision_note for m in rejected)
    fallbacks = moves.filter(kind="fallback", state="applied")
    assert {(m.from_position, m.to) for m in fallbacks} >= {("2", "1"), ("3", "2")}
    assert all(m.reason.strip() for m in fallbacks)
    assert Household.objects.filter(cases__isnull=True).exists()  # registered, not yet enrolled
    assert Household.objects.filter(cases__status="exited").filter(cases__status="active").exists()


def test_proposals_from_the_village_are_decided_by_the_camat(seeded):
    """Village heads propose; the district official approves or rejects; officials apply at once."""
    kades = User.objects.get(username="kades_sumberjaya")
    camat = User.objects.get(username="camat_sumur")
    proposed = StageTransition.objects.filter(proposed_by=kades).exclude(kind="entry")
    assert {m.state for m in proposed} == {"applied", "pending", "rejected"}
    assert {m.decided_by for m in proposed if m.state != "pending"} == {camat}
    assert not StageTransition.objects.filter(state="pending").exclude(district_id="36.01.01").exists()


def test_it_delivers_every_kind_of_assistance_in_whole_rupiah_over_the_last_year(seeded):
    assert set(Assistance.objects.values_list("kind", flat=True)) == set(Assistance.Kind.values)
    today = timezone.localdate()
    for aid in Assistance.objects.select_related("case", "program"):
        assert aid.amount > 0 and aid.amount % 1000 == 0
        assert aid.case.opened_on <= aid.delivered_on < today
        assert aid.delivered_on >= today - datetime.timedelta(days=400)
        assert aid.program.runs_on(aid.delivered_on)
    housing = Assistance.objects.filter(kind="housing").values_list("amount", flat=True)
    assert all(10_000_000 <= amount <= 25_000_000 for amount in housing)


def test_it_has_groups_an_enterprise_and_capital_in_every_status(seeded):
    assert GroupMembership.objects.exists()
    assert all(g.memberships.exists() for g in Group.objects.all())
    enterprise = Enterprise.objects.get(name="Koperasi Wanita Mekar Sejahtera")
    assert enterprise.groups.count() >= 2
    assert set(enterprise.capital_access.values_list("status", flat=True)) == set(CapitalAccess.Status.values)
    assert set(CapitalAccess.objects.values_list("source", flat=True)) == set(CapitalAccess.Source.values)
    for graduated in Case.objects.filter(status="graduated"):
        assert GroupMembership.objects.filter(
            household=graduated.household_id, group__enterprise__isnull=False
        ).exists()


def test_it_has_partners_programmes_and_activities_with_attendance(seeded):
    kinds = set(Partner.objects.values_list("kind", flat=True))
    assert kinds >= {"pkk", "posyandu", "cooperative", "bumdes", "bank"}
    assert Program.objects.filter(targets_women=True).exists()
    assert Program.objects.count() >= 4
    topics = set(Activity.objects.values_list("topic", flat=True))
    assert topics >= {"culinary", "entrepreneurship", "nutrition"}
    for activity in Activity.objects.filter(topic="culinary"):
        assert activity.attendance.exists()
        assert not activity.attendees.exclude(sex="P").exists()
    assert Attendance.objects.count() > 100
    assert Activity.objects.filter(recorded_by__username="kader_sumberjaya").exists()


def test_people_have_valid_niks_and_one_newborn_has_none_explicitly(seeded):
    newborns = Person.objects.filter(nik=None)
    assert newborns.count() == 1
    assert newborns.get().has_no_nik is True
    outside = 0
    for person in Person.objects.exclude(nik=None):
        info = parse_nik(person.nik)
        assert info.sex == person.sex
        assert info.birth_date == person.birth_date
        assert person.nik_outside_banten == info.outside_banten
        outside += info.outside_banten
        if person.sex == "P":
            assert int(person.nik[6:8]) == person.birth_date.day + 40
    assert outside >= 1
    assert Person.objects.filter(is_female_head=True).exists()
    assert all(h.members.filter(relation="head").count() == 1 for h in Household.objects.all())


def test_one_user_per_role_in_its_permission_group(seeded):
    for username, role, region, *_names in USERS:
        user = User.objects.get(username=username)
        assert (user.role, user.region_code) == (role, region)
        assert list(user.groups.values_list("name", flat=True)) == [role_group_name(role)]
    assert User.objects.get(username="admin").is_superuser
    assert {role for _u, role, *_rest in USERS} == {"province", "regency", "district", "village", "cadre"}


def test_the_printed_logins_work(seeded):
    """Every row of the printed table signs in with the printed password."""
    rows = [
        [cell.strip() for cell in line.split("|")]
        for line in seeded.first.splitlines()
        if line.count("|") == 3 and not line.startswith("nama pengguna")
    ]
    assert {row[0] for row in rows} == {"admin", *(u[0] for u in USERS)}
    for username, _role, _region, password in rows:
        assert password == PASSWORD
        assert Client().login(request=HttpRequest(), username=username, password=password), username


def test_it_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    before = User.objects.count()
    with pytest.raises(CommandError, match="hanya untuk pengembangan: DEBUG mati"):
        call_command("seed_demo", stdout=io.StringIO())
    assert User.objects.count() == before


def test_its_moves_are_dated_over_the_past_year_not_today(seeded):
    """Entries, advances, fall-backs, graduations and exits happened on their days of the past
    twelve months (before this month), each case's in order; the history says so too."""
    anchor = demo_anchor(timezone.localdate())
    this_month = timezone.make_aware(datetime.datetime.combine(anchor, datetime.time.min))
    moves = StageTransition.objects.all()
    assert not moves.filter(proposed_at__gte=this_month).exists()
    assert not moves.filter(decided_at__gte=this_month).exists()
    months = {(m.decided_at.year, m.decided_at.month) for m in moves.exclude(decided_at=None)}
    assert len(months) >= 12
    for move in moves.filter(kind="entry").select_related("case"):
        assert timezone.localdate(move.decided_at) == move.case.opened_on
    for case in Case.objects.exclude(status="active"):
        closing = case.moves.get(state="applied", to=case.status)
        assert case.closed_on == timezone.localdate(closing.decided_at) < anchor
        assert [h.closed_on for h in case.history.all()][0] == case.closed_on
    for case in Case.objects.all()[:50]:
        decided = list(case.moves.filter(state="applied").order_by("id").values_list("decided_at", flat=True))
        assert decided == sorted(decided)
    history = StageTransition.history.filter(history_type="+", kind="entry")
    assert all(h.history_date == h.decided_at == h.proposed_at for h in history[:50])
    proposals = (
        moves.filter(proposed_by__username="kades_sumberjaya").exclude(kind="entry").exclude(decided_at=None)
    )
    assert proposals.exists() and all(m.proposed_at < m.decided_at for m in proposals)


def test_its_aid_groups_enterprises_and_capital_are_dated_in_order(seeded):
    """Aid is recorded the day it was delivered; a group is formed before its first member
    joins; an enterprise before its first graduate; capital steps follow one another."""
    for aid in Assistance.objects.all()[:100]:
        assert timezone.localdate(aid.created_at) == aid.delivered_on
    for group in Group.objects.all():
        assert group.formed_on <= min(m.joined_on for m in group.memberships.all())
    assert len({g.formed_on.month for g in Group.objects.all()}) >= 6
    for enterprise in Enterprise.objects.all():
        graduations = StageTransition.objects.filter(
            to="graduated", state="applied", regency=enterprise.regency
        )
        first = min((timezone.localdate(m.decided_at) for m in graduations), default=None)
        assert first is None or enterprise.founded_on < first
        for access in enterprise.capital_access.all():
            assert enterprise.founded_on < access.applied_on
    anchor = demo_anchor(timezone.localdate())
    last_month = demo_anchor(anchor - datetime.timedelta(days=1))
    steps = CapitalAccess.objects.values_list("applied_on", "approved_on", "disbursed_on")
    assert any(last_month <= max(d for d in dates if d) < anchor for dates in steps)


def test_it_adds_a_report_recipient_for_the_province_and_every_regency(seeded):
    """The governor and the eight regents and mayors, with example.org addresses, added once."""
    recipients = ReportRecipient.objects.all()
    assert {r.region_code for r in recipients} == {"36", *Regency.objects.values_list("code", flat=True)}
    assert len(recipients) == 9 and all(r.active for r in recipients)
    assert all(re.fullmatch(r"[a-z]+@[a-z]+\.example\.org", r.email) for r in recipients)
    assert recipients.get(region_code="36").title == "Gubernur Banten"
    assert recipients.get(region_code="36.74").title == "Wali Kota Tangerang Selatan"
    assert "penerima laporan: 9 (9 baru)" in seeded.first
    assert "penerima laporan: 9 (0 baru)" in seeded.second


def test_the_admin_logins_have_the_printed_authenticator_key(seeded):
    """Every demo login that reaches the admin has a confirmed TOTP device with the published
    key, and `make run` prints that key (base32) under the logins, so the demo still works."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from beneficiaries.demo.data import DEMO_TOTP_KEY
    from regions import policy

    assert "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" in seeded.first
    for user in User.objects.all():
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
        if policy.needs_second_factor(user):
            assert [d.key for d in devices] == [DEMO_TOTP_KEY], user.username
        else:
            assert not devices.exists(), user.username


def test_it_weighs_toddlers_monthly_for_a_year_with_realistic_shares(seeded):
    """Every planned toddler is weighed through the year before the anchor; of the monthly
    measurements 5-20 % are stunted and 3-8 % wasted; follow-ups open and close (recovered),
    with posyandu interventions; every demo village has a posyandu."""
    anchor = demo_anchor(timezone.localdate())
    toddlers = growth_plan(build_plan(anchor))
    assert len(toddlers) >= 60
    assert Measurement.objects.values("person").distinct().count() == len(toddlers)
    months = {(d.year, d.month) for d in Measurement.objects.values_list("measured_on", flat=True)}
    assert len(months) == 12 and max(months) < (anchor.year, anchor.month)
    monthly = Measurement.objects.filter(last_of_month=True, flagged=False)
    n = monthly.count()
    stunted = monthly.filter(haz_status__in=["stunted", "severely_stunted"]).count()
    wasted = monthly.filter(whz_status__in=["wasted", "severely_wasted"]).count()
    assert 0.05 <= stunted / n <= 0.20, stunted / n
    assert 0.03 <= wasted / n <= 0.08, wasted / n
    assert GrowthFollowUp.objects.filter(status="open").exists()
    assert GrowthFollowUp.objects.filter(status="closed", close_reason="recovered").exists()
    assert Intervention.objects.count() >= GrowthFollowUp.objects.count()
    assert set(Intervention.objects.values_list("partner__kind", flat=True)) == {"posyandu"}
    villages = set(Household.objects.values_list("village_id", flat=True))
    served = set(Partner.objects.filter(kind="posyandu").values_list("region_code", flat=True))
    assert villages <= served
    assert User.objects.get(username="kader_kertajaya").role == "cadre"


def test_it_holds_a_year_of_the_womens_programme(seeded):
    """Enrolments (some female-headed), trainings with attendance, businesses some stopped,
    scheduled follow-ups on their due days, capital in several schemes, graduations with income."""
    from beneficiaries.models import Business, BusinessFollowUp, CapitalHelp, WomenEnrolment
    from beneficiaries.models.business import add_months

    enrolments = WomenEnrolment.objects.all()
    assert enrolments.count() > 10 and enrolments.filter(female_headed=True).exists()
    assert Attendance.objects.filter(
        person__women_enrolment__isnull=False, activity__topic__in=["culinary", "entrepreneurship"]
    ).exists()
    assert Business.objects.filter(last_status="stopped").exists()
    assert Business.objects.filter(last_status="running").exists()
    for visit in BusinessFollowUp.objects.select_related("business")[:50]:
        assert visit.visited_on == add_months(
            visit.business.started_on, {"m3": 3, "m6": 6, "m12": 12}[visit.kind]
        )
    assert CapitalHelp.objects.values("scheme").distinct().count() >= 4
    assert CapitalHelp.objects.filter(status="disbursed").exists()
    graduations = StageTransition.objects.filter(kind="graduate", state="applied")
    assert graduations.exists() and not graduations.filter(monthly_income__isnull=True).exists()
    assert Business.objects.first().history.exists()
