"""The stage workflow service: allowed moves, guards, proposals, decisions, locking."""

import threading

import pytest
from django.db import connection, connections

from beneficiaries.models import Assistance, Case, CaseStatus, MoveState, StageTransition
from beneficiaries.services import allowed_targets, decide_move, move_guards, request_move
from core.errors import DomainError


def refused(**kwargs) -> DomainError:
    with pytest.raises(DomainError) as error:
        request_move(**kwargs)
    return error.value


def to_stage(case, stage, actor, give, join):
    """Walk a case up to a stage the lawful way, as an official."""
    if stage >= 2:
        give(case, Assistance.Kind.FOOD)
        request_move(case=case, to="2", actor=actor)
    if stage >= 3:
        give(case, Assistance.Kind.WORK_TOOLS)
        join(case)
        request_move(case=case, to="3", actor=actor)
    case.refresh_from_db()
    return case


def test_opening_a_case_records_the_entry(case, head_a):
    """The first row of the timeline is the entry at stage 1, applied, by the opener."""
    entry = case.moves.get()
    assert (entry.kind, entry.to, entry.state, entry.proposed_by) == ("entry", "1", "applied", head_a)
    assert (case.stage, case.status, case.regency_id, case.district_id) == (
        "1",
        "active",
        "36.01",
        "36.01.01",
    )


def test_an_official_advances_at_once_when_the_guard_is_met(case, district_official, give):
    give(case)
    move = request_move(case=case, to="2", actor=district_official, reason="Kebutuhan dasar terpenuhi")
    case.refresh_from_db()
    assert (move.state, move.kind, move.from_position, move.to) == ("applied", "advance", "1", "2")
    assert (move.proposed_by, move.decided_by) == (district_official, district_official)
    assert case.stage == "2"


def test_it_refuses_1_to_2_without_basic_needs_assistance(case, district_official, give):
    give(case, Assistance.Kind.TRAINING)  # training is not basic needs
    error = refused(case=case, to="2", actor=district_official)
    assert (error.code, error.field) == ("conflict", "basic_needs_assistance")
    assert "kebutuhan dasar" in error.message
    case.refresh_from_db()
    assert case.stage == "1" and case.moves.count() == 1


@pytest.mark.parametrize(
    ("productive", "group", "guard"),
    [(False, True, "productive_assistance"), (True, False, "active_group")],
)
def test_it_refuses_2_to_3_with_the_guard_that_failed(
    case, district_official, give, in_enterprise_group, productive, group, guard
):
    to_stage(case, 2, district_official, give, in_enterprise_group)
    if productive:
        give(case, Assistance.Kind.RAW_MATERIALS)
    if group:
        in_enterprise_group(case, enterprise=False)
    error = refused(case=case, to="3", actor=district_official)
    assert (error.code, error.field) == ("conflict", guard)


def test_an_inactive_group_does_not_count(case, district_official, give, in_enterprise_group):
    to_stage(case, 2, district_official, give, in_enterprise_group)
    give(case, Assistance.Kind.WORKING_CAPITAL)
    in_enterprise_group(case, active=False)
    assert refused(case=case, to="3", actor=district_official).field == "active_group"


def test_graduation_needs_the_group_in_an_enterprise(case, district_official, give, in_enterprise_group):
    to_stage(case, 2, district_official, give, in_enterprise_group)
    give(case, Assistance.Kind.WORK_TOOLS)
    group = in_enterprise_group(case, enterprise=False)
    request_move(case=case, to="3", actor=district_official)
    assert refused(case=case, to="graduated", actor=district_official).field == "group_in_enterprise"
    group.enterprise = __import__("tests.factories", fromlist=["x"]).EnterpriseFactory()
    group.save()
    move = request_move(case=case, to="graduated", actor=district_official, monthly_income=2_500_000)
    case.refresh_from_db()
    assert (move.kind, case.status, case.stage, case.closed_on is not None) == (
        "graduate",
        "graduated",
        "3",
        True,
    )


@pytest.mark.parametrize(("origin", "to"), [(1, "3"), (1, "graduated"), (2, "graduated"), (1, "1"), (2, "2")])
def test_it_refuses_skipping_or_staying(case, district_official, give, in_enterprise_group, origin, to):
    to_stage(case, origin, district_official, give, in_enterprise_group)
    error = refused(case=case, to=to, actor=district_official)
    assert (error.code, error.field) == ("conflict", "to")


def test_it_refuses_an_unknown_target(case, district_official):
    error = refused(case=case, to="9", actor=district_official)
    assert (error.code, error.field) == ("invalid", "to")


@pytest.mark.parametrize(("origin", "to"), [(2, "1"), (3, "2"), (3, "1")])
def test_a_fallback_needs_a_reason(case, district_official, give, in_enterprise_group, origin, to):
    to_stage(case, origin, district_official, give, in_enterprise_group)
    assert refused(case=case, to=to, actor=district_official, reason="  ").field == "reason"
    move = request_move(case=case, to=to, actor=district_official, reason="Rumah rusak akibat banjir")
    case.refresh_from_db()
    assert (move.kind, case.stage, move.reason) == ("fallback", to, "Rumah rusak akibat banjir")


@pytest.mark.parametrize("reason", ["moved", "deceased", "declined", "ineligible", "duplicate"])
def test_exit_needs_a_valid_exit_reason(case, district_official, reason):
    assert refused(case=case, to="exited", actor=district_official).field == "exit_reason"
    assert (
        refused(case=case, to="exited", actor=district_official, exit_reason="bosan").field == "exit_reason"
    )
    request_move(case=case, to="exited", actor=district_official, exit_reason=reason)
    case.refresh_from_db()
    assert (case.status, case.exit_reason) == ("exited", reason)


def test_a_closed_case_takes_no_more_moves_or_assistance(case, district_official, give):
    request_move(case=case, to="exited", actor=district_official, exit_reason="moved")
    case.refresh_from_db()
    error = refused(case=case, to="2", actor=district_official)
    assert error.code == "conflict" and "ditutup" in error.message
    with pytest.raises(DomainError) as aid:
        give(case)
    assert aid.value.field == "case"
    assert allowed_targets(case) == []


def test_a_village_head_proposes_and_a_district_official_approves(case, head_a, district_official, give):
    give(case)
    proposal = request_move(case=case, to="2", actor=head_a, reason="Sudah mandiri pangan")
    case.refresh_from_db()
    assert (proposal.state, proposal.decided_by, case.stage) == ("pending", None, "1")
    assert refused(case=case, to="exited", actor=head_a, exit_reason="moved").code == "conflict"
    decided = decide_move(move=proposal, actor=district_official, approve=True, note="Disetujui")
    case.refresh_from_db()
    assert (decided.state, decided.decided_by, decided.decision_note, case.stage) == (
        "applied",
        district_official,
        "Disetujui",
        "2",
    )


def test_a_rejection_needs_a_note_and_leaves_the_case(case, head_a, regency_official, give):
    give(case)
    proposal = request_move(case=case, to="2", actor=head_a)
    with pytest.raises(DomainError) as error:
        decide_move(move=proposal, actor=regency_official, approve=False, note="")
    assert error.value.field == "note"
    decided = decide_move(move=proposal, actor=regency_official, approve=False, note="Bukti kurang")
    case.refresh_from_db()
    assert (decided.state, decided.decision_note, case.stage) == ("rejected", "Bukti kurang", "1")
    assert request_move(case=case, to="2", actor=head_a).state == "pending"  # may propose again


def test_a_decided_proposal_cannot_be_decided_again(case, head_a, province, give):
    give(case)
    proposal = request_move(case=case, to="2", actor=head_a)
    decide_move(move=proposal, actor=province, approve=True)
    with pytest.raises(DomainError) as error:
        decide_move(move=proposal, actor=province, approve=False, note="terlambat")
    assert error.value.code == "conflict"
    assert Case.objects.get(pk=case.pk).stage == "2"


def test_village_heads_and_cadres_cannot_decide(case, head_a, head_b, cadre, give):
    give(case)
    proposal = request_move(case=case, to="2", actor=head_a)
    with pytest.raises(DomainError) as own:
        decide_move(move=proposal, actor=head_a, approve=True)
    assert own.value.code == "forbidden"
    for outsider in (head_b, cadre):
        with pytest.raises(DomainError) as error:
            decide_move(move=proposal, actor=outsider, approve=True)
        assert error.value.code in {"not_found", "forbidden"}
    assert StageTransition.objects.get(pk=proposal.pk).state == MoveState.PENDING


def test_officials_of_another_region_do_not_see_the_case(case, north_official, head_b, stranger, give):
    give(case)
    for outsider in (north_official, head_b, stranger):
        assert refused(case=case, to="2", actor=outsider).code == "not_found"
    assert case.moves.count() == 1


def test_a_cadre_cannot_move_cases(case, cadre):
    assert refused(case=case, to="exited", actor=cadre, exit_reason="moved").code == "forbidden"


def test_approval_rechecks_the_guards(case, head_a, district_official, give):
    """A proposal approved after its ground vanished (aid deleted) is refused."""
    aid = give(case)
    proposal = request_move(case=case, to="2", actor=head_a)
    Assistance.objects.filter(pk=aid.pk).delete()
    with pytest.raises(DomainError) as error:
        decide_move(move=proposal, actor=district_official, approve=True)
    assert error.value.field == "basic_needs_assistance"


def test_move_guards_report_each_guard(case, district_official, give, in_enterprise_group):
    to_stage(case, 2, district_official, give, in_enterprise_group)
    give(case, Assistance.Kind.WORK_TOOLS)
    guards = {g.code: g.met for g in move_guards(case=case, to="3")}
    assert guards == {"productive_assistance": True, "active_group": False}
    assert set(allowed_targets(case)) == {"3", "1", "exited"}


def test_every_move_is_kept_in_history(case, head_a, district_official, give):
    give(case)
    proposal = request_move(case=case, to="2", actor=head_a)
    decide_move(move=proposal, actor=district_official, approve=True, note="ok")
    assert proposal.history.count() == 2  # proposed, then decided
    assert case.history.filter(stage="2").exists()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_approvals_give_one_move(head_a, district_official, regency_official, program):
    """On PostgreSQL the row lock makes the second approval wait, then refuse."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; CI runs this on PostgreSQL")
    import datetime

    from beneficiaries.services import open_case, record_assistance
    from tests.factories import HouseholdFactory, PersonFactory

    household = HouseholdFactory()
    PersonFactory(household=household)
    case = open_case(actor=head_a, household=household, opened_on=datetime.date(2025, 1, 6))
    record_assistance(
        actor=head_a,
        case=case,
        kind="food",
        program=program,
        delivered_on=datetime.date(2025, 2, 1),
        amount=1,
    )
    proposal = request_move(case=case, to="2", actor=head_a)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def approve(actor):
        barrier.wait()
        try:
            decide_move(move=proposal, actor=actor, approve=True, note=actor.username)
            results.append("applied")
        except DomainError as error:
            results.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(a,)) for a in (district_official, regency_official)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["applied", "conflict"]
    assert StageTransition.objects.filter(case=case, to="2", state="applied").count() == 1
    assert Case.objects.get(pk=case.pk).stage == "2"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_moves_give_one(head_a, district_official, regency_official):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; CI runs this on PostgreSQL")
    import datetime

    from beneficiaries.services import open_case
    from tests.factories import HouseholdFactory, PersonFactory

    household = HouseholdFactory()
    PersonFactory(household=household)
    case = open_case(actor=head_a, household=household, opened_on=datetime.date(2025, 1, 6))
    results: list[str] = []
    barrier = threading.Barrier(2)

    def exit_case(actor):
        barrier.wait()
        try:
            request_move(case=case, to="exited", actor=actor, exit_reason="moved")
            results.append("applied")
        except DomainError as error:
            results.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=exit_case, args=(a,)) for a in (district_official, regency_official)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["applied", "conflict"]
    assert StageTransition.objects.filter(case=case, kind="exit").count() == 1
    assert Case.objects.get(pk=case.pk).status == CaseStatus.EXITED


def test_history_records_who_made_each_change(case, head_a, district_official, give):
    """Services record the acting user in the history even outside a request."""
    give(case)
    proposal = request_move(case=case, to="2", actor=head_a)
    decide_move(move=proposal, actor=district_official, approve=True, note="ok")
    assert list(proposal.history.order_by("history_date").values_list("history_user__username", "state")) == [
        ("kades_a", "pending"),
        ("camat_sumur", "applied"),
    ]
    last = case.history.latest("history_date")
    assert (last.stage, last.history_user, last.history_type) == ("2", district_official, "~")
    assert last.diff_against(last.prev_record).changed_fields == ["stage"]
    assert case.household.history.get().history_type == "+"
