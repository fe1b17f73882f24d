"""Registering households and persons: every rejection names the field and writes nothing."""

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from beneficiaries.models import Assistance, Case, GroupMembership, Household, Person, StageTransition
from beneficiaries.services import (
    add_member,
    change_head,
    decide_move,
    open_case,
    record_member_left,
    register_household,
    request_move,
    update_household,
    update_person,
)
from beneficiaries.services.common import DUPLICATE_REFUSALS
from core.errors import DomainError
from tests.factories import (
    VILLAGE_A,
    VILLAGE_B,
    GroupFactory,
    HouseholdFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)

HEAD = {
    "nik": "3601011203850001",
    "full_name": "Asep Saepudin",
    "sex": "L",
    "birth_date": datetime.date(1985, 3, 12),
    "relation": "head",
}
WIFE = {
    "nik": "3601015506880002",
    "full_name": "Siti Aminah",
    "sex": "P",
    "birth_date": datetime.date(1988, 6, 15),
    "relation": "spouse",
}
BABY = {
    "has_no_nik": True,
    "full_name": "Bayi Asep",
    "sex": "P",
    "birth_date": datetime.date(2026, 10, 1),
    "relation": "child",
}


def register(actor, **overrides):
    values = {
        "village": VILLAGE_A,
        "kk_number": "3601012001200001",
        "address": "Kp. Cibaliung RT 1",
        "rt": "1",
        "rw": "2",
        "desil": 1,
        "members": [HEAD, WIFE, BABY],
        **overrides,
    }
    return register_household(actor=actor, **values)


def test_it_registers_a_household_with_its_members(head_a):
    household = register(head_a)
    assert (household.rt, household.rw, household.district_id, household.regency_id) == (
        "001",
        "002",
        "36.01.01",
        "36.01",
    )
    members = {p.full_name: p for p in household.members.all()}
    assert members["Siti Aminah"].nik == "3601015506880002"
    assert members["Bayi Asep"].nik is None and members["Bayi Asep"].has_no_nik
    assert household.history.count() == 1 and members["Asep Saepudin"].history.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kk_number": "12345"}, "kk_number"),
        ({"kk_number": "3601A12001200001"}, "kk_number"),
        ({"rt": "abcd"}, "rt"),
        ({"desil": 11}, "desil"),
        ({"address": ""}, "address"),
        ({"members": [{**HEAD, "sex": "P"}]}, "members.0.nik"),  # a man's NIK recorded female
        ({"members": [HEAD, {**WIFE, "nik": "3601013206880002"}]}, "members.1.nik"),  # day 32
        ({"members": [HEAD, {**BABY, "has_no_nik": False}]}, "members.1.nik"),  # no NIK, not marked
        ({"members": [HEAD, {**WIFE, "relation": "head"}]}, "members"),  # two heads
        ({"members": [HEAD, {**WIFE, "nik": HEAD["nik"]}]}, "members.1.nik"),  # same NIK twice
        ({"members": [{**HEAD, "birth_date": datetime.date(2099, 1, 1)}]}, "members.0.birth_date"),
    ],
)
def test_it_rejects_bad_input_naming_the_field_and_writes_nothing(head_a, change, field):
    with pytest.raises(DomainError) as error:
        register(head_a, **change)
    assert field in error.value.errors, error.value.errors
    assert error.value.code == "invalid"
    assert not Household.objects.exists() and not Person.objects.exists()


def test_it_says_a_kk_or_nik_exists_without_saying_where(head_a, head_b):
    register(head_a)
    with pytest.raises(DomainError) as error:
        register(head_b, village=VILLAGE_B, members=[{**HEAD}])
    assert error.value.code == "conflict"
    assert error.value.errors["kk_number"] == ["Nomor KK ini sudah terdaftar."]
    assert error.value.errors["members.0.nik"] == ["NIK ini sudah terdaftar."]
    assert Household.objects.count() == 1


def test_it_flags_a_nik_registered_outside_banten(head_a):
    household = register(head_a, members=[{**HEAD, "nik": "3273011203850001"}])
    assert household.members.get().nik_outside_banten is True


def test_it_refuses_a_village_outside_the_users_region(head_a, north_official, village_north):
    with pytest.raises(DomainError) as error:
        register(head_a, village=VILLAGE_B)
    assert error.value.field == "village"
    with pytest.raises(DomainError):
        register(north_official, village=VILLAGE_A)
    assert not Household.objects.exists()


def test_a_cadre_cannot_register_households(cadre):
    with pytest.raises(DomainError) as error:
        register(cadre)
    assert error.value.code == "forbidden"


def test_adding_a_second_head_is_refused(head_a):
    household = register(head_a)
    with pytest.raises(DomainError) as error:
        add_member(actor=head_a, household=household, **{**HEAD, "nik": "3601011203850009"})
    assert "kepala keluarga" in str(error.value.errors)


def test_a_household_has_at_most_one_open_case(head_a):
    household = register(head_a)
    open_case(actor=head_a, household=household)
    with pytest.raises(DomainError) as error:
        open_case(actor=head_a, household=household)
    assert error.value.code == "conflict"
    assert Case.objects.count() == 1


def test_a_case_cannot_open_in_the_future_or_for_an_empty_household(head_a):
    with pytest.raises(DomainError) as error:
        open_case(actor=head_a, household=HouseholdFactory())
    assert error.value.field == "household"
    household = register(head_a)
    with pytest.raises(DomainError) as future:
        open_case(actor=head_a, household=household, opened_on=datetime.date(2099, 1, 1))
    assert future.value.field == "opened_on"


OTHER_DISTRICT_VILLAGE = "36.01.02.2001"  # Rancapinang, Kec. Cimanggu: another district


@pytest.fixture
def moved(regency_official, head_a, case, give):
    """A household of village A with aid, a group and a pending proposal, then moved by
    the regency to a village of another district."""
    aid = give(case)
    move = request_move(case=case, to="2", actor=head_a)
    group = GroupFactory(name="KUBE Sumberjaya")
    membership = MembershipFactory(group=group, household=case.household)
    update_household(actor=regency_official, household=case.household, village=OTHER_DISTRICT_VILLAGE)
    return SimpleNamespace(case=case, aid=aid, move=move, group=group, membership=membership)


def test_moving_a_household_moves_its_open_case_with_history(moved, regency_official):
    """The case's codes follow (no silent queryset update): its last history row says who."""
    case = Case.objects.get(pk=moved.case.pk)
    assert (case.village_id, case.district_id, case.regency_id) == (
        OTHER_DISTRICT_VILLAGE, "36.01.02", "36.01",
    )  # fmt: skip
    record = case.history.order_by("-history_id").first()
    assert (record.history_user, record.village_id) == (regency_official, OTHER_DISTRICT_VILLAGE)
    household = Household.objects.get(pk=case.household_id)
    assert (household.village_id, household.district_id) == (OTHER_DISTRICT_VILLAGE, "36.01.02")


def test_the_pending_proposal_moves_and_the_new_district_decides_it(moved, district_official):
    """The old district no longer finds it; the new district's camat approves it."""
    move = StageTransition.objects.get(pk=moved.move.pk)
    assert (move.village_id, move.district_id, move.state) == (OTHER_DISTRICT_VILLAGE, "36.01.02", "pending")
    assert move.history.order_by("-history_id").first().history_user.username == "pandeglang"
    with pytest.raises(DomainError) as error:
        decide_move(move=move, actor=district_official, approve=True)
    assert error.value.code == DomainError.NOT_FOUND
    camat = UserFactory(username="camat_cimanggu", role="district", region_code="36.01.02")
    decide_move(move=move, actor=camat, approve=True)
    move.refresh_from_db()
    assert (move.state, move.decided_by, Case.objects.get(pk=moved.case.pk).stage) == ("applied", camat, "2")


def test_moving_ends_its_groups_in_the_old_village_and_records_it(moved, regency_official):
    assert not GroupMembership.objects.filter(household=moved.case.household).exists()
    record = GroupMembership.history.filter(id=moved.membership.pk).order_by("-history_id").first()
    assert (record.history_type, record.history_user) == ("-", regency_official)


def test_aid_and_decided_moves_stay_where_they_happened(moved, head_a):
    """The old village keeps its aid deliveries and the entry move; not the case."""
    aid = Assistance.objects.get(pk=moved.aid.pk)
    assert (aid.village_id, aid.district_id) == (VILLAGE_A, "36.01.01")
    assert list(Assistance.objects.visible_to(head_a)) == [aid]
    assert not Case.objects.visible_to(head_a).exists()
    assert not StageTransition.objects.visible_to(head_a).filter(state="pending").exists()
    assert not Household.objects.visible_to(head_a).exists()


def test_a_village_head_cannot_move_a_household_out_of_the_village(head_a, case):
    with pytest.raises(DomainError) as error:
        update_household(actor=head_a, household=case.household, village=VILLAGE_B)
    assert error.value.field == "village"
    assert Case.objects.get(pk=case.pk).village_id == VILLAGE_A


def test_it_updates_only_the_household_fields_it_names(head_a, household):
    """Like update_person: an unknown field (or one kept by the service) is refused."""
    address = household.address
    with pytest.raises(DomainError):
        update_household(actor=head_a, household=household, district="36.01.02", address="Baru")
    with pytest.raises(DomainError):
        update_household(actor=head_a, household=household, created_by=None)
    household.refresh_from_db()
    assert (household.district_id, household.address, household.history.count()) == ("36.01.01", address, 1)
    update_household(actor=head_a, household=household, address="Kp. Baru", rt=" 3 ")
    household.refresh_from_db()
    assert (household.address, household.rt) == ("Kp. Baru", "003")
    assert household.history.order_by("-history_id").first().history_user == head_a


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"delivered_on": datetime.date(2099, 1, 1)}, "delivered_on"),
        ({"delivered_on": datetime.date(2024, 12, 31)}, "delivered_on"),  # before the case opened
        ({"amount": -1}, "amount"),
        ({"amount": 10.5}, "amount"),
        ({"kind": "jewels"}, "kind"),
    ],
)
def test_assistance_rules(case, give, change, field):
    from beneficiaries.models import Assistance

    with pytest.raises(DomainError) as error:
        give(case, **change)
    assert field in error.value.errors
    assert not Assistance.objects.exists()


def test_assistance_goes_to_a_member_of_the_household(case, give):
    outsider = PersonFactory()
    with pytest.raises(DomainError) as error:
        give(case, recipient=outsider)
    assert error.value.field == "recipient"
    aid = give(case, recipient=case.household.members.first())
    assert (aid.regency_id, aid.village_id) == ("36.01", VILLAGE_A)


def test_the_old_village_pages_show_no_current_data_of_the_moved_household(moved, head_a, client):
    """Home, group, move and household pages of village A: the aid it delivered is still
    listed, but neither the KK nor the head's name nor a link to the household."""
    household = Household.objects.get(pk=moved.case.household_id)
    kk, head_name = household.kk_number, household.members.get().full_name
    entry = StageTransition.objects.get(case=moved.case, kind="entry")
    client.force_login(head_a)
    pages = {
        "home": client.get(reverse("home")),
        "group": client.get(reverse("group_detail", args=[moved.group.pk])),
        "move": client.get(reverse("move_detail", args=[entry.pk])),
        "households": client.get(reverse("household_list")),
    }
    for name, response in pages.items():
        html = response.content.decode()
        assert response.status_code == 200, name
        assert kk not in html and head_name not in html, name
        assert reverse("household_detail", args=[household.pk]) not in html, name
    assert "Bantuan pangan dicatat" in pages["home"].content.decode()
    assert client.get(reverse("household_detail", args=[household.pk])).status_code == 404


def test_the_new_village_sees_the_household_and_its_pending_proposal(moved, client):
    household = Household.objects.get(pk=moved.case.household_id)
    head = UserFactory(username="kades_rancapinang", role="village", region_code=OTHER_DISTRICT_VILLAGE)
    client.force_login(head)
    html = client.get(reverse("household_detail", args=[household.pk])).content.decode()
    assert household.kk_number in html and "menunggu persetujuan" in html
    assert household.kk_number in client.get(reverse("home")).content.decode()


def test_attendance_recorded_before_a_move_stays_when_the_old_village_saves_it_again(moved, head_a):
    """The person attended there; replacing the village's attendance keeps them."""
    from beneficiaries.models import Activity, Attendance
    from beneficiaries.services import set_attendance
    from tests.factories import PartnerFactory

    activity = Activity.objects.create(
        village_id=VILLAGE_A,
        partner=PartnerFactory(),
        topic="culinary",
        title="Tata boga",
        held_on=datetime.date(2025, 2, 3),
    )
    moved_person = Household.objects.get(pk=moved.case.household_id).members.get()
    Attendance.objects.create(activity=activity, person=moved_person)
    neighbour = PersonFactory(household=HouseholdFactory(village_id=VILLAGE_A))
    set_attendance(actor=head_a, activity=activity, persons=[neighbour])
    assert set(activity.attendance.values_list("person", flat=True)) == {moved_person.pk, neighbour.pk}


# ---------------------------------------------------------------- the record over time (issue 9)


def test_it_refuses_a_household_without_members_and_writes_nothing(head_a):
    """A KK without its head could never open a case, and could not be registered again."""
    with pytest.raises(DomainError) as error:
        register(head_a, members=[])
    assert error.value.errors == {"members": ["Daftarkan minimal kepala keluarga bersama kartu keluarganya."]}
    assert not Household.objects.exists()


def test_it_refuses_a_nik_whose_birth_date_differs_naming_both_fields(head_a):
    """The NIK holds 12 March 1985; a birth date of 13 March is refused at both fields,
    with the NIK's date in the message and none of its digits."""
    with pytest.raises(DomainError) as error:
        register(head_a, members=[{**HEAD, "birth_date": datetime.date(1985, 3, 13)}])
    errors = error.value.errors
    assert errors["members.0.nik"] == [
        "NIK ini memuat tanggal lahir 12 Maret 1985, tidak sama dengan tanggal lahir yang diisi."
    ]
    assert errors["members.0.birth_date"] == [
        "Tanggal lahir tidak sama dengan tanggal lahir di NIK (12 Maret 1985). Periksa NIK atau tanggal lahir."
    ]
    assert HEAD["nik"] not in str(errors) and HEAD["nik"][-4:] not in str(errors)
    assert not Person.objects.exists()


def test_a_nik_of_another_century_is_the_same_date(head_a):
    """A NIK has a two-digit year: 12-03-25 fits someone born on 12 March 1925."""
    old = {**HEAD, "nik": "3601011203250001", "birth_date": datetime.date(1925, 3, 12)}
    assert register(head_a, members=[old]).members.get().birth_date.year == 1925


@pytest.fixture
def family(head_a):
    household = register(head_a)
    members = {p.full_name: p for p in household.members.all()}
    return SimpleNamespace(household=household, head=members["Asep Saepudin"], wife=members["Siti Aminah"],
                           baby=members["Bayi Asep"])  # fmt: skip


def test_it_records_a_member_leaving_who_stays_in_history(family, head_a):
    """The member keeps their row and NIK, with date, reason and note in a history row by
    the actor, and is out of the household's current members."""
    left = record_member_left(
        actor=head_a, person=family.baby, on=datetime.date(2026, 11, 2), reason="died", note="Akta 12/2026"
    )
    row = Person.objects.get(pk=family.baby.pk)
    assert (row.left_on, row.left_reason, row.left_note) == (
        datetime.date(2026, 11, 2),
        "died",
        "Akta 12/2026",
    )
    assert left.has_left
    latest = row.history.latest()
    assert latest.history_user == head_a and latest.left_reason == "died"
    assert set(Person.objects.current().filter(household=family.household).values_list("full_name", flat=True)) == {
        "Asep Saepudin", "Siti Aminah",
    }  # fmt: skip
    assert [p.full_name for p in Household.objects.get().current_members].count("Bayi Asep") == 0


def test_it_keeps_the_nik_of_who_left_unique_in_the_province(family, head_a):
    record_member_left(actor=head_a, person=family.wife, on=datetime.date(2026, 1, 5), reason="married_out")
    with pytest.raises(DomainError) as error:
        add_member(actor=head_a, household=family.household, **{**WIFE, "relation": "other"})
    assert error.value.errors["nik"] == ["NIK ini sudah terdaftar."]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"on": datetime.date(2099, 1, 1)}, "left_on"),
        ({"on": datetime.date(1980, 1, 1)}, "left_on"),  # before the wife was born
        ({"on": None}, "left_on"),
        ({"reason": ""}, "left_reason"),
        ({"reason": "abducted"}, "left_reason"),
    ],
)
def test_it_rejects_a_bad_leaving_naming_the_field(family, head_a, change, field):
    values = {"on": datetime.date(2026, 1, 5), "reason": "moved_out", **change}
    with pytest.raises(DomainError) as error:
        record_member_left(actor=head_a, person=family.wife, **values)
    assert field in error.value.errors, error.value.errors
    assert Person.objects.get(pk=family.wife.pk).left_on is None


def test_the_head_cannot_leave_before_the_head_changes(family, head_a):
    with pytest.raises(DomainError) as error:
        record_member_left(actor=head_a, person=family.head, on=datetime.date(2026, 1, 5), reason="died")
    assert error.value.errors == {
        "person": [
            "Kepala keluarga tidak dapat dicatat keluar. Ganti kepala keluarga dulu, lalu catat ia keluar."
        ]
    }
    assert Person.objects.get(pk=family.head.pk).left_on is None


def test_who_left_cannot_leave_again(family, head_a):
    record_member_left(actor=head_a, person=family.baby, on=datetime.date(2026, 11, 2), reason="died")
    with pytest.raises(DomainError) as error:
        record_member_left(actor=head_a, person=family.baby, on=datetime.date(2026, 11, 3), reason="other")
    assert error.value.field == "person"
    assert Person.objects.get(pk=family.baby.pk).left_reason == "died"


def test_it_changes_the_head_keeping_exactly_one(family, head_a):
    """The wife heads the household (a female head); the former head becomes her spouse;
    both changes are history rows by the actor."""
    change_head(actor=head_a, household=family.household, new_head=family.wife, old_head_relation="spouse")
    wife, head = Person.objects.get(pk=family.wife.pk), Person.objects.get(pk=family.head.pk)
    assert (wife.relation, wife.is_female_head, head.relation) == ("head", True, "spouse")
    assert Person.objects.filter(household=family.household, relation="head").count() == 1
    assert wife.history.latest().history_user == head_a and head.history.latest().history_user == head_a
    # Then the former head may leave.
    record_member_left(actor=head_a, person=head, on=datetime.date(2026, 2, 1), reason="died")
    assert Person.objects.current().filter(household=family.household).count() == 2


@pytest.mark.parametrize("who", ["baby_left", "other_household", "head_already"])
def test_it_refuses_a_new_head_who_is_not_a_current_member(family, head_a, who):
    if who == "baby_left":
        record_member_left(actor=head_a, person=family.baby, on=datetime.date(2026, 11, 2), reason="died")
        new_head = family.baby
    elif who == "other_household":
        new_head = PersonFactory(household=HouseholdFactory(), relation="head")
    else:
        new_head = family.head
    with pytest.raises(DomainError) as error:
        change_head(actor=head_a, household=family.household, new_head=new_head)
    assert error.value.field == "new_head"
    assert Person.objects.get(pk=family.head.pk).relation == "head"


def test_it_refuses_a_former_head_relation_of_head(family, head_a):
    with pytest.raises(DomainError) as error:
        change_head(actor=head_a, household=family.household, new_head=family.wife, old_head_relation="head")
    assert error.value.field == "old_head_relation"


def test_the_database_refuses_two_current_heads(family):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=family.wife.pk).update(relation="head")


def test_correcting_a_member_cannot_make_or_unmake_a_head(family, head_a):
    for person, relation in [(family.wife, "head"), (family.head, "other")]:
        with pytest.raises(DomainError) as error:
            update_person(actor=head_a, person=person, relation=relation)
        assert error.value.field == "relation"
    assert Person.objects.get(pk=family.head.pk).relation == "head"


def test_correcting_a_nik_runs_the_registration_checks(family, head_a):
    """A NIK of another birth date is refused at nik and birth_date; the right one is saved."""
    wrong = "3601015606880002"  # 16 June; the wife was born on 15 June
    with pytest.raises(DomainError) as error:
        update_person(actor=head_a, person=family.wife, nik=wrong)
    assert set(error.value.errors) == {"nik", "birth_date"}
    assert "15 Juni 1988" not in str(error.value.errors) and "16 Juni 1988" in str(error.value.errors)
    update_person(actor=head_a, person=family.wife, full_name="Siti Aminah S.", nik="3601015506880003")
    saved = Person.objects.get(pk=family.wife.pk)
    assert (saved.full_name, saved.nik) == ("Siti Aminah S.", "3601015506880003")
    assert saved.history.latest().history_user == head_a


def test_the_district_may_keep_the_record_the_cadre_and_another_village_may_not(
    family, district_official, cadre, head_b
):
    record_member_left(
        actor=district_official, person=family.baby, on=datetime.date(2026, 11, 2), reason="died"
    )
    assert Person.objects.get(pk=family.baby.pk).history.latest().history_user == district_official
    for actor, code in [(cadre, "forbidden"), (head_b, "not_found")]:
        with pytest.raises(DomainError) as error:
            change_head(actor=actor, household=family.household, new_head=family.wife)
        assert error.value.code == code
        with pytest.raises(DomainError) as error:
            record_member_left(actor=actor, person=family.wife, on=datetime.date(2026, 1, 5), reason="died")
        assert error.value.code == code
    assert Person.objects.get(pk=family.head.pk).relation == "head"


def test_a_household_registered_without_a_head_gets_one_and_then_opens_a_case(head_a):
    """A household saved before the rule (no members) is not stuck: its head is added."""
    household = HouseholdFactory()
    add_member(actor=head_a, household=household, **HEAD)
    assert open_case(actor=head_a, household=household).stage == "1"


def test_the_head_name_of_lists_is_the_current_head(family, head_a):
    from beneficiaries.selectors import households_matching

    change_head(actor=head_a, household=family.household, new_head=family.wife)
    assert households_matching(head_a, "").get().head_name == "Siti Aminah"


def test_who_left_receives_no_aid_after_leaving_nor_attends_later_activities(family, head_a, cadre):
    """After the day a member left, aid to them and their attendance are refused with the
    field named; the attendance picker no longer offers them. Before that day both stand."""
    from beneficiaries.selectors import attendance_candidates
    from beneficiaries.services import open_case, record_activity, record_assistance, set_attendance
    from tests.factories import PartnerFactory, ProgramFactory

    program = ProgramFactory()
    case = open_case(actor=head_a, household=family.household, opened_on=datetime.date(2026, 1, 5))
    record_member_left(actor=head_a, person=family.wife, on=datetime.date(2026, 3, 1), reason="moved_out")
    aid = dict(actor=head_a, case=case, kind="food", program=program, amount=100_000, recipient=family.wife)
    assert record_assistance(delivered_on=datetime.date(2026, 2, 27), **aid).recipient == family.wife
    with pytest.raises(DomainError) as refused:
        record_assistance(delivered_on=datetime.date(2026, 3, 2), **aid)
    assert "recipient" in refused.value.errors
    assert Assistance.objects.filter(recipient=family.wife).count() == 1

    assert family.wife not in attendance_candidates(head_a, family.household.village_id)
    partner = PartnerFactory()
    later = record_activity(actor=cadre, partner=partner, village=family.household.village_id, topic="nutrition",
                            title="Kelas gizi", held_on=datetime.date(2026, 3, 10), attendees=[])  # fmt: skip
    with pytest.raises(DomainError) as refused:
        set_attendance(actor=cadre, activity=later, persons=[family.wife])
    assert refused.value.field == "attendees"
    earlier = record_activity(actor=cadre, partner=partner, village=family.household.village_id, topic="nutrition",
                              title="Kelas gizi awal", held_on=datetime.date(2026, 2, 10), attendees=[])  # fmt: skip
    assert set_attendance(actor=cadre, activity=earlier, persons=[family.wife]) == 1


CHILD = {
    "nik": "3601014507100003",
    "full_name": "Anak Asep",
    "sex": "P",
    "birth_date": datetime.date(2010, 7, 5),
    "relation": "child",
}


def test_it_registers_a_household_of_four_in_at_most_15_queries(head_a, django_assert_max_num_queries):
    """The KK and all NIKs are checked for duplicates once each and the members and their
    history are written in bulk, so a household of four costs at most 15 queries."""
    with django_assert_max_num_queries(15):
        household = register(head_a, members=[HEAD, WIFE, CHILD, BABY])
    members = list(household.members.order_by("full_name"))
    assert [p.full_name for p in members] == ["Anak Asep", "Asep Saepudin", "Bayi Asep", "Siti Aminah"]
    assert {p.created_by for p in members} == {head_a}
    history = Person.history.filter(household_id=household.pk)
    assert history.count() == 4
    assert {(h.history_type, h.history_user, h.history_change_reason) for h in history} == {
        ("+", head_a, "registered")
    }


def test_its_queries_do_not_grow_with_the_members(head_a, django_assert_num_queries):
    """One member or eight: the same number of queries."""
    with CaptureQueriesContext(connection) as one:
        register(head_a, members=[HEAD])
    eight = [{**HEAD, "nik": "3601011203850002"}] + [
        {**CHILD, "nik": f"36010145071{i:05d}", "full_name": f"Anak {i}"} for i in range(1, 8)
    ]
    with django_assert_num_queries(len(one)):
        register(head_a, kk_number="3601012001200002", members=eight)
    assert Person.objects.count() == 9


def test_it_names_each_duplicate_nik_and_counts_each_refusal(head_a, head_b):
    """Asked in one query, each NIK already registered is named at its own row, and each
    refused number draws on the duplicate limit."""
    register(head_a, members=[HEAD, WIFE, CHILD])
    DUPLICATE_REFUSALS.charge(head_b, DUPLICATE_REFUSALS.limit - 2)
    with pytest.raises(DomainError) as error:
        register(
            head_b,
            village=VILLAGE_B,
            kk_number="3601012001200009",
            members=[{**WIFE, "relation": "head"}, {**BABY}, {**CHILD}],
        )
    assert error.value.code == "conflict"
    assert error.value.errors == {
        "members.0.nik": ["NIK ini sudah terdaftar."],
        "members.2.nik": ["NIK ini sudah terdaftar."],
    }
    assert DUPLICATE_REFUSALS.spent(head_b) and Household.objects.count() == 1


def test_past_the_duplicate_limit_a_members_nik_is_not_asked_even_with_a_blank_kk(head_a):
    """The limiter covers every number of the registration, not only the KK."""
    DUPLICATE_REFUSALS.charge(head_a, DUPLICATE_REFUSALS.limit)
    with CaptureQueriesContext(connection) as queries, pytest.raises(DomainError) as error:
        register(head_a, kk_number="", members=[HEAD])
    assert error.value.code == DomainError.RATE_LIMITED
    assert not [q["sql"] for q in queries if HEAD["nik"] in q["sql"]]
