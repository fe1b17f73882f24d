"""The canary world: village A (Sumberjaya) with ordinary rows, and two foreign villages
whose every personal field carries a marked value (a canary): Kertajaya (same district as
A, foreign to A's village head and cadre) and Sukarasa in Kota Tangerang (foreign to every
official of A's regency). A response that holds a canary of a village its reader may not
see is a leak, whatever door it came through."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from beneficiaries.models import (
    Activity,
    Attendance,
    CapitalAccess,
    GrowthFollowUp,
    ImportRun,
    Intervention,
    Measurement,
)
from beneficiaries.services import open_case, request_move
from beneficiaries.services.business import (
    create_business,
    enrol_woman,
    record_capital_help,
    record_followup,
)
from beneficiaries.services.growth import record_intervention, record_measurement
from beneficiaries.services.records import record_assistance
from reports.models import ReportDelivery, ReportRecipient
from tests.factories import (
    VILLAGE_A,
    VILLAGE_B,
    VILLAGE_NORTH,
    EnterpriseFactory,
    GroupFactory,
    HouseholdFactory,
    MembershipFactory,
    PartnerFactory,
    PersonFactory,
    PosyanduFactory,
    ProgramFactory,
    ToddlerFactory,
    UserFactory,
    make_nik,
)

# Birth dates no row of village A uses, so even the masked NIK (region and birth date,
# the serial hidden) of a foreign person is unique to them.
HEAD_BIRTH = {"B": datetime.date(1961, 11, 29), "N": datetime.date(1962, 10, 27)}
WIFE_BIRTH = {"B": datetime.date(1963, 9, 25), "N": datetime.date(1964, 8, 23)}
CHILD_BIRTH = {"B": datetime.date(2024, 4, 27), "N": datetime.date(2024, 3, 26)}


@dataclass
class Planted:
    """One village's rows and the canaries they carry."""

    code: str
    tag: str
    rows: dict = field(default_factory=dict)
    canaries: list[str] = field(default_factory=list)

    def row(self, model) -> object | None:
        return self.rows.get(model._meta.label_lower)


@dataclass
class World:
    a: Planted
    foreign: dict[str, Planted]  # "B" (same district) and "N" (Kota Tangerang)
    users: dict
    program: object

    def canaries_hidden_from(self, user) -> list[str]:
        """The canaries of every village the user may not see."""
        from regions.selectors import villages_visible_to

        visible = set(villages_visible_to(user).values_list("code", flat=True))
        return [
            c for village in self.foreign.values() if village.code not in visible for c in village.canaries
        ]


def _keep(village: Planted, *objs) -> None:
    for obj in objs:
        village.rows.setdefault(obj._meta.label_lower, obj)


def plant(code: str, tag: str, *, serial: int, actor, program, marked: bool) -> Planted:
    """Every kind of row that holds personal data, in one village. With `marked`, every
    name, address, note and identity number is a canary."""
    word = f"Zqkanari{tag}" if marked else f"Biasa{tag}"
    village = Planted(code=code, tag=tag)
    head_birth = HEAD_BIRTH.get(tag, datetime.date(1985, 3, 12))
    child_birth = CHILD_BIRTH.get(tag, datetime.date(2024, 5, 10))
    # The KK's middle six digits are this village's alone, so its masked form is unique too.
    kk = code.replace(".", "")[:6] + f"{876_500 + serial:06d}" + f"{serial:04d}"
    household = HouseholdFactory(village_id=code, kk_number=kk, address=f"Kp. {word} Alamat No. 7")
    head = PersonFactory(
        household=household,
        full_name=f"{word} Kepala",
        birth_date=head_birth,
        nik=make_nik(village=code, birth=head_birth, sex="L", serial=9000 + serial),
    )
    child = ToddlerFactory(
        household=household,
        full_name=f"{word} Balita",
        birth_date=child_birth,
        nik=make_nik(village=code, birth=child_birth, sex="L", serial=9100 + serial),
        has_no_nik=False,
    )
    case = open_case(
        actor=actor, household=household, opened_on=timezone.localdate() - datetime.timedelta(days=60)
    )
    partner = PartnerFactory(name=f"PKK {word}", region_code=code)
    posyandu = PosyanduFactory(name=f"Posyandu {word}", region_code=code)
    assistance = record_assistance(
        actor=actor,
        case=case,
        kind="food",
        program=program,
        delivered_on=timezone.localdate() - datetime.timedelta(days=5),
        amount=1_250_000,
        partner=partner,
        recipient=head,
        note=f"Catatan {word}",
    )
    move = request_move(case=case, to="2", actor=actor, reason=f"Alasan {word}")
    enterprise = EnterpriseFactory(
        name=f"Koperasi {word}", village_id=code, nib=f"{9_100_000_000_000 + serial}"
    )
    group = GroupFactory(name=f"KUBE {word}", village_id=code, enterprise=enterprise)
    membership = MembershipFactory(group=group, household=household)
    capital = CapitalAccess.objects.create(
        enterprise=enterprise,
        source="grant",
        amount=5_000_000,
        applied_on=datetime.date(2025, 1, 2),
        note=word,
    )
    activity = Activity.objects.create(
        village_id=code,
        partner=partner,
        topic="culinary",
        title=f"Pelatihan {word}",
        held_on=datetime.date(2025, 2, 3),
        recorded_by=actor,
    )
    attendance = Attendance.objects.create(activity=activity, person=head)
    measured = timezone.localdate() - datetime.timedelta(days=3)
    # Severely wasted: the measurement opens a follow-up, which gets an intervention.
    measurement = record_measurement(
        actor=actor,
        person=child,
        measured_on=measured,
        weight_kg="8.0",
        height_cm="80.0",
        position="standing",
        posyandu=posyandu,
    )
    followup = GrowthFollowUp.objects.get(person=child)
    intervention = record_intervention(
        actor=actor, followup=followup, given_on=measured, kind="pmt", note=f"PMT {word}"
    )
    # The women's programme (issue 13): she is enrolled, runs a business with a visit, and
    # applied for capital.
    wife_birth = WIFE_BIRTH.get(tag, datetime.date(1987, 6, 14))
    wife = PersonFactory(
        household=household,
        full_name=f"{word} Istri",
        sex="P",
        relation="spouse",
        birth_date=wife_birth,
        nik=make_nik(village=code, birth=wife_birth, sex="P", serial=9200 + serial),
    )
    enrolment = enrol_woman(actor=actor, person=wife, note=f"Peserta {word}")
    business = create_business(
        actor=actor,
        name=f"Warung {word}",
        sector="culinary",
        started_on=datetime.date(2025, 3, 1),
        owner_person=wife,
        sells_at_market=True,
        nib=f"{9_200_000_000_000 + serial}",
    )
    business_visit = record_followup(
        actor=actor, business=business, kind="m3", visited_on=datetime.date(2025, 6, 2),
        status="running", monthly_revenue=1_500_000, note=f"Kunjungan {word}",
    )  # fmt: skip
    capital_help = record_capital_help(
        actor=actor, scheme="grant", amount=2_000_000, applied_on=datetime.date(2025, 3, 5),
        business=business, note=f"Modal {word}",
    )  # fmt: skip
    run = ImportRun.objects.create(
        file_name=f"{word}.xlsx",
        checksum=f"{serial:064d}",
        size=1,
        mode="dry_run",
        status="done",
        created_by=actor,
        region_code=code,
        rejections=[[2, "NIK", f"NIK {head.nik} ({head.full_name}) sudah terdaftar."]],
        message=f"Impor {word}",
    )
    _keep(
        village,
        household,
        head,
        case,
        partner,
        assistance,
        move,
        enterprise,
        group,
        membership,
        capital,
        activity,
        attendance,
        measurement,
        followup,
        intervention,
        run,
        wife,
        enrolment,
        business,
        business_visit,
        capital_help,
    )
    village.rows["beneficiaries.person.child"] = child
    village.rows["programs.partner.posyandu"] = posyandu
    if marked:
        village.canaries = [
            word,
            head.nik,
            child.nik,
            kk,
            enterprise.nib,
            wife.nik,
            business.nib,
            wife.nik[:12],
            # The masked forms too: region and birth date are this village's alone.
            head.nik[:12],
            child.nik[:12],
            kk[:12],
        ]
    return village


def plant_delivery(village: Planted, *, region_code: str, word: str) -> None:
    """A report recipient (a regent: a name and an address) and a delivery to them."""
    recipient = ReportRecipient.objects.create(
        region_code=region_code,
        name=f"{word} Walikota",
        title="Wali Kota",
        email=f"{word.lower()}@example.id",
    )
    delivery = ReportDelivery.objects.create(
        recipient=recipient, period=datetime.date(2025, 1, 1), status="sent", sent_at=timezone.now()
    )
    _keep(village, recipient, delivery)
    village.canaries.append(f"{word.lower()}@example.id")


def build_world() -> World:
    program = ProgramFactory(name="Bantuan Pangan Banten")
    users = {
        "village": UserFactory(username="canary_kades_a", role="village", region_code=VILLAGE_A),
        "cadre": UserFactory(username="canary_kader_a", role="cadre", region_code=VILLAGE_A),
        "district": UserFactory(username="canary_camat", role="district", region_code="36.01.01"),
        "regency": UserFactory(username="canary_bupati", role="regency", region_code="36.01"),
    }
    head_b = UserFactory(
        username="zqkanarib_kades",
        role="village",
        region_code=VILLAGE_B,
        first_name="Zqkanarib",
        email="zqkanarib.kades@example.id",
    )
    head_n = UserFactory(
        username="zqkanarin_lurah",
        role="village",
        region_code=VILLAGE_NORTH,
        first_name="Zqkanarin",
        email="zqkanarin.lurah@example.id",
    )
    a = plant(VILLAGE_A, "A", serial=1, actor=users["village"], program=program, marked=False)
    b = plant(VILLAGE_B, "B", serial=2, actor=head_b, program=program, marked=True)
    n = plant(VILLAGE_NORTH, "N", serial=3, actor=head_n, program=program, marked=True)
    b.canaries += ["zqkanarib_kades", "zqkanarib.kades@example.id"]
    n.canaries += ["zqkanarin_lurah", "zqkanarin.lurah@example.id"]
    plant_delivery(n, region_code="36.71", word="Zqkanarin")
    plant_delivery(a, region_code="36.01", word="Biasaa")
    b.rows["regions.user"] = head_b
    n.rows["regions.user"] = head_n
    a.rows["regions.user"] = users["village"]
    for model in (Measurement, Intervention):
        assert model.objects.filter(village_id=VILLAGE_NORTH).exists()
    return World(a=a, foreign={"B": b, "N": n}, users=users, program=program)
