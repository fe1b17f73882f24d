"""Cases and their moves: each guard refuses with 409 naming it, village proposals wait
for an official, officials' moves apply at once, and decisions are recorded."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from beneficiaries.models import Case, MoveState, StageTransition
from beneficiaries.services import record_assistance, request_move
from tests.factories import (
    EnterpriseFactory,
    GroupFactory,
    HouseholdFactory,
    MembershipFactory,
    PersonFactory,
)

from .conftest import errors_of

CASES = "/api/v1/cases/"


def moves_url(case):
    return f"{CASES}{case.pk}/moves/"


@pytest.fixture
def give(head_a, program):
    def give(case, kind="food"):
        return record_assistance(
            actor=head_a,
            case=case,
            program=program,
            kind=kind,
            delivered_on=datetime.date(2025, 2, 1),
            amount=1,
        )

    return give


def at_stage(case, stage):
    Case.objects.filter(pk=case.pk).update(stage=stage)
    case.refresh_from_db()
    return case


def test_it_opens_a_case_for_a_household(api, head_a, household_a, program):
    response = api(head_a).post(CASES, {"household": household_a.pk, "program": program.pk}, format="json")
    assert response.status_code == 201, response.json()
    case = Case.objects.get(household=household_a)
    assert response.json() | {"id": 0} == {
        "id": 0,
        "household": household_a.pk,
        "program": program.pk,
        "village": household_a.village_id,
        "district": "36.01.01",
        "regency": "36.01",
        "stage": "1",
        "status": "active",
        "opened_on": case.opened_on.isoformat(),
        "closed_on": None,
        "exit_reason": "",
        "pending_move": None,
        "version": 1,
    }
    assert case.moves.get().kind == StageTransition.Kind.ENTRY


def test_a_second_open_case_is_a_conflict(api, head_a, case_a):
    response = api(head_a).post(CASES, {"household": case_a.household_id}, format="json")
    assert response.status_code == 409
    assert list(errors_of(response)) == ["household"]


def test_it_names_a_bad_date_and_an_unknown_program(api, head_a, household_a):
    response = api(head_a).post(
        CASES, {"household": household_a.pk, "opened_on": "31-12-2024", "program": 999}, format="json"
    )
    assert set(errors_of(response)) == {"opened_on", "program"}


def test_opening_a_case_for_another_villages_household_is_not_found(api, head_b, household_a):
    assert api(head_b).post(CASES, {"household": household_a.pk}, format="json").status_code == 404
    assert not Case.objects.exists()


@pytest.mark.parametrize("user", ["head_a", "district_official", "regency_official", "province"])
def test_the_case_is_read_at_every_level_above_it(api, request, case_a, user):
    client = api(request.getfixturevalue(user))
    assert [c["id"] for c in client.get(CASES).json()["results"]] == [case_a.pk]
    assert client.get(f"{CASES}{case_a.pk}/").status_code == 200


@pytest.mark.parametrize("path", ["", "moves/"])
def test_a_case_of_another_village_is_not_found(api, head_b, north_official, case_a, path):
    for user in (head_b, north_official):
        assert api(user).get(f"{CASES}{case_a.pk}/{path}").status_code == 404
    response = api(head_b).post(moves_url(case_a), {"to": "exited", "exit_reason": "moved"}, format="json")
    assert response.status_code == 404
    assert case_a.moves.count() == 1


def test_case_filters(api, district_official, case_a):
    client = api(district_official)
    assert (
        client.get(CASES, {"stage": "1", "status": "active", "village": case_a.village_id}).json()["count"]
        == 1
    )
    assert client.get(CASES, {"stage": "2"}).json()["count"] == 0
    assert client.get(CASES, {"regency": "36.71"}).json()["count"] == 0
    assert list(errors_of(client.get(CASES, {"stage": "9"}))) == ["stage"]


def test_a_cadre_may_not_read_cases(api, cadre, case_a):
    assert api(cadre).get(CASES).status_code == 403


# Moves


def test_a_village_heads_move_waits_as_pending(api, head_a, case_a, give):
    give(case_a)
    response = api(head_a).post(moves_url(case_a), {"to": "2", "reason": "Pangan terpenuhi"}, format="json")
    assert response.status_code == 201, response.json()
    move = response.json()
    assert (move["state"], move["from_position"], move["to"], move["kind"]) == (
        "pending",
        "1",
        "2",
        "advance",
    )
    assert move["proposed_by"] == "kades_a" and move["decided_by"] is None
    case_a.refresh_from_db()
    assert case_a.stage == "1"
    assert api(head_a).get(f"{CASES}{case_a.pk}/").json()["pending_move"]["id"] == move["id"]


def test_an_officials_move_applies_at_once(api, district_official, case_a, give):
    give(case_a)
    response = api(district_official).post(moves_url(case_a), {"to": "2", "evidence": "Foto"}, format="json")
    assert response.status_code == 201
    assert response.json()["state"] == "applied"
    assert response.json()["decided_by"] == "camat_sumur"
    case_a.refresh_from_db()
    assert case_a.stage == "2"


def test_it_lists_the_moves_of_a_case(api, head_a, case_a):
    body = api(head_a).get(moves_url(case_a)).json()
    assert body["count"] == 1
    assert body["results"][0]["kind"] == "entry"


@pytest.mark.parametrize(
    ("stage", "to", "guard", "prepare"),
    [
        ("1", "2", "basic_needs_assistance", lambda case, give: None),
        ("2", "3", "productive_assistance", lambda case, give: None),
        ("2", "3", "active_group", lambda case, give: give(case, "work_tools")),
        (
            "3",
            "graduated",
            "group_in_enterprise",
            lambda case, give: MembershipFactory(household=case.household),
        ),
    ],
)
def test_each_guard_refuses_with_409_naming_it(
    api, district_official, case_a, give, stage, to, guard, prepare
):
    case = at_stage(case_a, stage)
    prepare(case, give)
    response = api(district_official).post(moves_url(case), {"to": to}, format="json")
    assert response.status_code == 409
    assert list(errors_of(response)) == [guard]
    case.refresh_from_db()
    assert (case.stage, case.moves.count()) == (stage, 1)


def test_graduation_applies_once_every_guard_holds(api, district_official, case_a):
    case = at_stage(case_a, "3")
    group = GroupFactory(village_id=case.village_id, enterprise=EnterpriseFactory(village_id=case.village_id))
    MembershipFactory(group=group, household=case.household)
    response = api(district_official).post(
        moves_url(case), {"to": "graduated", "monthly_income": 2_500_000}, format="json"
    )
    assert response.status_code == 201
    case.refresh_from_db()
    assert (case.status, case.closed_on) == ("graduated", timezone.localdate())


def test_it_refuses_skipping_a_stage_and_moves_of_a_closed_case(api, district_official, case_a):
    response = api(district_official).post(moves_url(case_a), {"to": "3"}, format="json")
    assert (response.status_code, list(errors_of(response))) == (409, ["to"])
    api(district_official).post(moves_url(case_a), {"to": "exited", "exit_reason": "moved"}, format="json")
    response = api(district_official).post(moves_url(case_a), {"to": "1"}, format="json")
    assert (response.status_code, list(errors_of(response))) == (409, ["to"])


def test_a_second_proposal_while_one_is_pending_is_a_conflict(api, head_a, case_a):
    api(head_a).post(moves_url(case_a), {"to": "exited", "exit_reason": "moved"}, format="json")
    response = api(head_a).post(moves_url(case_a), {"to": "exited", "exit_reason": "deceased"}, format="json")
    assert response.status_code == 409
    assert case_a.moves.filter(state=MoveState.PENDING).count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"to": "4"}, "to"),
        ({}, "to"),
        ({"to": "exited"}, "exit_reason"),
        ({"to": "exited", "exit_reason": "bosan"}, "exit_reason"),
    ],
)
def test_bad_move_input_is_400_naming_the_field(api, head_a, case_a, data, field):
    response = api(head_a).post(moves_url(case_a), data, format="json")
    assert response.status_code == 400
    assert list(errors_of(response)) == [field]


def test_a_fallback_needs_a_reason(api, district_official, case_a):
    case = at_stage(case_a, "2")
    response = api(district_official).post(moves_url(case), {"to": "1"}, format="json")
    assert (response.status_code, list(errors_of(response))) == (400, ["reason"])
    response = api(district_official).post(moves_url(case), {"to": "1", "reason": "Banjir"}, format="json")
    assert response.status_code == 201
    assert response.json()["kind"] == "fallback"


# Decisions


@pytest.fixture
def proposal(head_a, case_a, give):
    give(case_a)
    return request_move(actor=head_a, case=case_a, to="2", reason="Kebutuhan dasar terpenuhi")


@pytest.mark.parametrize("official", ["district_official", "regency_official", "province"])
def test_an_official_above_approves_a_proposal(api, request, proposal, official):
    response = api(request.getfixturevalue(official)).post(
        f"/api/v1/moves/{proposal.pk}/approve/", {"note": "Sesuai"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["decision_note"]) == ("applied", "Sesuai")
    proposal.case.refresh_from_db()
    assert proposal.case.stage == "2"


def test_a_rejection_needs_a_note_and_leaves_the_case(api, district_official, proposal):
    client = api(district_official)
    response = client.post(f"/api/v1/moves/{proposal.pk}/reject/", {}, format="json")
    assert (response.status_code, list(errors_of(response))) == (400, ["note"])
    response = client.post(f"/api/v1/moves/{proposal.pk}/reject/", {"note": "Belum ada bukti"}, format="json")
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert (proposal.state, proposal.decided_by) == (MoveState.REJECTED, district_official)
    assert proposal.case.stage == "1"


def test_a_decided_proposal_cannot_be_decided_again(api, district_official, proposal):
    api(district_official).post(f"/api/v1/moves/{proposal.pk}/approve/", {}, format="json")
    response = api(district_official).post(
        f"/api/v1/moves/{proposal.pk}/reject/", {"note": "x"}, format="json"
    )
    assert (response.status_code, list(errors_of(response))) == (409, ["state"])


def test_a_village_head_may_not_decide(api, head_a, proposal):
    response = api(head_a).post(f"/api/v1/moves/{proposal.pk}/approve/", {}, format="json")
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.state == MoveState.PENDING


@pytest.mark.parametrize("user", ["head_b", "north_official"])
def test_a_proposal_out_of_region_is_not_found(api, request, proposal, user):
    client = api(request.getfixturevalue(user))
    assert client.get(f"/api/v1/moves/{proposal.pk}/").status_code == 404
    assert client.post(f"/api/v1/moves/{proposal.pk}/approve/", {}, format="json").status_code == 404
    proposal.refresh_from_db()
    assert proposal.state == MoveState.PENDING


def test_pending_moves_are_listed_for_the_official(api, district_official, proposal):
    body = api(district_official).get("/api/v1/moves/", {"state": "pending"}).json()
    assert [m["id"] for m in body["results"]] == [proposal.pk]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_approvals_apply_once(api, district_official, regency_official, head_a):
    """Two officials approve the same proposal at the same moment: the row lock lets one
    win; the other gets 409 and the case moves once."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    household = HouseholdFactory()
    PersonFactory(household=household)
    case = Case.objects.create(household=household, opened_on=datetime.date(2025, 1, 6))
    proposal = request_move(actor=head_a, case=case, to="exited", exit_reason="moved")
    barrier = threading.Barrier(2)
    statuses = []

    def approve(user):
        try:
            barrier.wait()
            response = api(user).post(f"/api/v1/moves/{proposal.pk}/approve/", {}, format="json")
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (district_official, regency_official)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409]
    case.refresh_from_db()
    assert case.status == "exited"
    assert case.moves.filter(state=MoveState.APPLIED, to="exited").count() == 1


def without_decide_permission(user):
    """Take decide_move from the district group; the user fresh, without a cached permission."""
    from django.contrib.auth.models import Group, Permission

    from regions.models import Role, User
    from regions.roles import role_group_name

    group = Group.objects.get(name=role_group_name(Role.DISTRICT))
    group.permissions.remove(Permission.objects.get(codename="decide_move"))
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_a_camat_whose_group_lost_decide_move_is_refused_with_403(api, district_official, proposal, decision):
    """The hole the pages hid: the service refuses, with its message, and nothing is applied."""
    camat = without_decide_permission(district_official)
    response = api(camat).post(f"/api/v1/moves/{proposal.pk}/{decision}/", {"note": "Sesuai"}, format="json")
    assert response.status_code == 403
    assert "Hanya pejabat kecamatan" in response.json()["detail"]
    proposal.refresh_from_db()
    proposal.case.refresh_from_db()
    assert (proposal.state, proposal.decided_by, proposal.case.stage) == (MoveState.PENDING, None, "1")
