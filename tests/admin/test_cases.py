"""Cases in the admin: opened by open_case, moved by request_move/decide_move, aid recorded by
record_assistance; a refusal of the service is shown on the form and writes nothing."""

import datetime
import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from beneficiaries.models import Assistance, Case, MoveState, StageTransition
from beneficiaries.services import open_case
from tests.admin.conftest import page
from tests.factories import AssistanceFactory, HouseholdFactory, PersonFactory, make_kk


@pytest.fixture
def fresh_case(head_a, program):
    """A case of village A at stage 1 with basic-needs aid and no pending proposal."""
    household = HouseholdFactory(kk_number=make_kk(777))
    PersonFactory(
        household=household, full_name="Ibu Rohayati", sex="P", birth_date=datetime.date(1979, 4, 5)
    )
    case = open_case(
        actor=head_a, household=household, opened_on=timezone.localdate() - datetime.timedelta(days=60)
    )
    AssistanceFactory(case=case, program=program, kind="food", amount=300_000)
    return case


def move_url(case) -> str:
    return reverse("admin:beneficiaries_case_move_view", args=[case.pk])


def test_it_shows_the_guards_of_each_move(fresh_case, district_official, login):
    """The move page lists the moves that exist and whether their guards are met."""
    html = page(login(district_official).get(move_url(fresh_case)))
    assert "Sudah menerima minimal satu bantuan kebutuhan dasar" in html
    assert "(terpenuhi)" in html
    assert "Tanpa syarat; wajib memilih alasan keluar." in html


def test_it_applies_an_officials_move_at_once(fresh_case, district_official, login):
    """An official's move is recorded as applied and moves the case."""
    response = login(district_official).post(
        move_url(fresh_case), {"to": "2", "reason": "Kebutuhan dasar terpenuhi", "evidence": "BA-12/2026"}
    )
    assert response.status_code == 302
    fresh_case.refresh_from_db()
    assert fresh_case.stage == "2"
    move = fresh_case.moves.latest("proposed_at")
    assert (move.from_position, move.to, move.state) == ("1", "2", MoveState.APPLIED)
    assert move.proposed_by == district_official and move.decided_by == district_official
    assert (move.reason, move.evidence) == ("Kebutuhan dasar terpenuhi", "BA-12/2026")


def test_it_records_a_village_heads_move_as_a_proposal(fresh_case, head_a, login):
    """The head of the village proposes; the case stays where it is until approved."""
    response = login(head_a).post(move_url(fresh_case), {"to": "2", "reason": "Siap mandiri"})
    assert response.status_code == 302
    fresh_case.refresh_from_db()
    assert fresh_case.stage == "1"
    assert fresh_case.moves.get(state=MoveState.PENDING).proposed_by == head_a


def test_it_names_the_failed_guard_and_writes_nothing(head_a, district_official, login):
    """Without basic-needs aid the move to stage 2 is refused with the guard, in Indonesian."""
    household = HouseholdFactory(kk_number=make_kk(778))
    PersonFactory(household=household)
    case = open_case(actor=head_a, household=household)
    before = StageTransition.objects.count()
    html = page(login(district_official).post(move_url(case), {"to": "2"}))
    assert "Syarat belum terpenuhi" in html and "bantuan kebutuhan dasar" in html
    assert StageTransition.objects.count() == before
    case.refresh_from_db()
    assert case.stage == "1"


def test_it_puts_a_missing_exit_reason_on_its_field(fresh_case, district_official, login):
    """Exit without a reason: the error sits on the exit_reason field."""
    response = login(district_official).post(move_url(fresh_case), {"to": "exited"})
    assert response.status_code == 200
    assert response.context["form"].errors["exit_reason"]
    fresh_case.refresh_from_db()
    assert fresh_case.status == "active"


def test_it_returns_404_on_the_move_page_of_another_village(world, head_b, login):
    """B cannot open, let alone post, the move page of A's case."""
    a, _b = world
    client = login(head_b)
    assert client.get(move_url(a.case)).status_code == 404
    assert client.post(move_url(a.case), {"to": "exited", "exit_reason": "moved"}).status_code == 404
    a.case.refresh_from_db()
    assert a.case.status == "active"


def action_post(client, name: str, action: str, pks, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [str(pk) for pk in pks], **extra}
    return client.post(reverse(f"admin:beneficiaries_{name}_changelist"), data)


def test_it_approves_a_proposal_after_asking_for_the_note(world, district_official, login):
    """Setujui: an intermediate page first, then decide_move applies the move."""
    a, _b = world
    client = login(district_official)
    html = page(action_post(client, "stagetransition", "approve_moves", [a.move.pk], index="0"))
    assert "Catatan keputusan" in html and a.move.reason in html
    a.move.refresh_from_db()
    assert a.move.state == MoveState.PENDING  # nothing decided yet
    response = action_post(
        client, "stagetransition", "approve_moves", [a.move.pk], confirm="1", note="Sesuai"
    )
    assert response.status_code == 302
    a.move.refresh_from_db()
    a.case.refresh_from_db()
    assert (a.move.state, a.move.decided_by, a.move.decision_note) == (
        MoveState.APPLIED,
        district_official,
        "Sesuai",
    )
    assert a.case.stage == "2"


def test_it_asks_again_when_a_rejection_has_no_note(world, district_official, login):
    """Tolak without a note: the service refuses, the page shows it on the note, nothing written."""
    a, _b = world
    response = action_post(
        login(district_official), "stagetransition", "reject_moves", [a.move.pk], confirm="1"
    )
    assert response.status_code == 200
    assert response.context["form"].errors["note"] == ["Tulis catatan alasan penolakan."]
    a.move.refresh_from_db()
    assert a.move.state == MoveState.PENDING


def test_it_rejects_a_proposal_with_the_note(world, district_official, login):
    """Tolak with a note: the move is rejected and the case stays at its stage."""
    a, _b = world
    response = action_post(
        login(district_official),
        "stagetransition",
        "reject_moves",
        [a.move.pk],
        confirm="1",
        note="Belum ada bukti",
    )
    assert response.status_code == 302
    a.move.refresh_from_db()
    a.case.refresh_from_db()
    assert (a.move.state, a.move.decision_note) == (MoveState.REJECTED, "Belum ada bukti")
    assert a.case.stage == "1"


def test_it_does_not_let_a_village_head_decide(world, head_a, login):
    """The approve action is not offered to a village head; posting it decides nothing."""
    a, _b = world
    client = login(head_a)
    response = client.get(reverse("admin:beneficiaries_stagetransition_changelist"))
    assert "approve_moves" not in page(response)
    action_post(client, "stagetransition", "approve_moves", [a.move.pk], confirm="1", note="x")
    a.move.refresh_from_db()
    assert a.move.state == MoveState.PENDING


def test_it_advances_selected_cases_and_reports_refusals(world, fresh_case, district_official, login):
    """The bulk action moves what may move and names the refusal of the others."""
    a, _b = world
    client = login(district_official)
    response = action_post(client, "case", "advance_to_next_stage", [fresh_case.pk, a.case.pk], index="0")
    assert response.status_code == 302
    fresh_case.refresh_from_db()
    assert fresh_case.stage == "2"
    assert fresh_case.moves.filter(to="2", state=MoveState.APPLIED, proposed_by=district_official).exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(f"Kasus #{a.case.pk}" in m and "menunggu persetujuan" in m for m in messages), messages


def test_it_opens_a_case_through_open_case(head_a, program, login):
    """Adding a case records who opened it and the entry move, as open_case does."""
    household = HouseholdFactory(kk_number=make_kk(779))
    PersonFactory(household=household)
    today = timezone.localdate()
    response = login(head_a).post(
        reverse("admin:beneficiaries_case_add"),
        {"household": household.pk, "program": program.pk, "opened_on": today.strftime("%d-%m-%Y")},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(household=household)
    assert (case.opened_by, case.stage, case.program) == (head_a, "1", program)
    assert case.moves.get().kind == StageTransition.Kind.ENTRY


def test_it_refuses_a_second_open_case_on_the_household_field(world, head_a, login):
    """open_case's refusal lands on the household field; no case is written."""
    a, _b = world
    before = Case.objects.count()
    response = login(head_a).post(
        reverse("admin:beneficiaries_case_add"),
        {"household": a.household.pk, "opened_on": timezone.localdate().strftime("%d-%m-%Y")},
    )
    assert response.status_code == 200
    assert "sudah punya kasus aktif" in " ".join(response.context["adminform"].form.errors["household"])
    assert Case.objects.count() == before


def test_it_leaves_stage_and_status_read_only(world, head_a, login):
    """Posting a stage to the change form changes nothing: moves only through the workflow."""
    a, _b = world
    response = login(head_a).get(reverse("admin:beneficiaries_case_change", args=[a.case.pk]))
    form = response.context["adminform"].form
    assert "stage" not in form.fields and "status" not in form.fields


def test_it_records_aid_through_record_assistance(world, head_a, program, login):
    """The aid form writes the row with who recorded it; the amount shows in rupiah."""
    a, _b = world
    day = timezone.localdate() - datetime.timedelta(days=2)
    client = login(head_a)
    response = client.post(
        reverse("admin:beneficiaries_assistance_add"),
        {
            "case": a.case.pk,
            "kind": "health",
            "program": program.pk,
            "recipient": a.head.pk,
            "delivered_on": day.strftime("%d-%m-%Y"),
            "amount": "1250000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    aid = Assistance.objects.get(case=a.case, kind="health")
    assert (aid.amount, aid.recorded_by, aid.village_id) == (1_250_000, head_a, a.code)
    assert "Rp 1.250.000" in page(client.get(reverse("admin:beneficiaries_assistance_changelist")))


def test_it_shows_a_refused_aid_date_on_its_field(world, head_a, program, login):
    """Aid in the future is refused by the model rules, on delivered_on; nothing written."""
    a, _b = world
    before = Assistance.objects.count()
    response = login(head_a).post(
        reverse("admin:beneficiaries_assistance_add"),
        {
            "case": a.case.pk,
            "kind": "food",
            "program": program.pk,
            "delivered_on": (timezone.localdate() + datetime.timedelta(days=3)).strftime("%d-%m-%Y"),
            "amount": "1000",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["delivered_on"]
    assert Assistance.objects.count() == before


def test_it_records_aid_from_the_case_page_inline(world, head_a, program, login):
    """A new row in the case's aid inline goes through record_assistance."""
    a, _b = world
    client = login(head_a)
    url = reverse("admin:beneficiaries_case_change", args=[a.case.pk])
    data = inline_data(client.get(url))
    n = int(data["assistance-TOTAL_FORMS"])
    day = timezone.localdate() - datetime.timedelta(days=1)
    data.update(
        {
            "assistance-TOTAL_FORMS": str(n + 1),
            f"assistance-{n}-kind": "education",
            f"assistance-{n}-program": program.pk,
            f"assistance-{n}-delivered_on": day.strftime("%d-%m-%Y"),
            f"assistance-{n}-amount": "450000",
            f"assistance-{n}-case": a.case.pk,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    aid = Assistance.objects.get(case=a.case, kind="education")
    assert (aid.amount, aid.recorded_by) == (450_000, head_a)


def inline_data(response) -> dict:
    """The management and id fields of every inline on a change page, as the browser posts them."""
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()})
        for i, form in enumerate(formset.initial_forms):
            data[f"{formset.prefix}-{i}-id"] = form.instance.pk
            data[f"{formset.prefix}-{i}-{formset.fk.name}"] = formset.instance.pk
    return data


def test_it_approves_from_the_proposals_own_page(world, district_official, head_a, login):
    """The Setujui button of one proposal asks for the note, applies it, and returns to the case."""
    a, _b = world
    url = reverse("admin:beneficiaries_stagetransition_approve_detail", args=[a.move.pk])
    change = page(
        login(district_official).get(reverse("admin:beneficiaries_stagetransition_change", args=[a.move.pk]))
    )
    assert url in change
    assert login(head_a).post(url, {"confirm": "1", "note": "x"}).status_code == 403
    assert "Catatan keputusan" in page(login(district_official).get(url))
    response = login(district_official).post(url, {"confirm": "1", "note": "Bukti lengkap"})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:beneficiaries_case_change", args=[a.case.pk])
    a.move.refresh_from_db()
    assert (a.move.state, a.move.decision_note) == (MoveState.APPLIED, "Bukti lengkap")
    change = page(
        login(district_official).get(reverse("admin:beneficiaries_stagetransition_change", args=[a.move.pk]))
    )
    assert url not in change  # decided: no more buttons


def test_it_returns_404_on_the_decision_page_of_another_region(world, north_official, login):
    """Kota Tangerang's official cannot even open the decision page of a Pandeglang proposal."""
    a, _b = world
    url = reverse("admin:beneficiaries_stagetransition_reject_detail", args=[a.move.pk])
    assert login(north_official).post(url, {"confirm": "1", "note": "x"}).status_code == 404
    a.move.refresh_from_db()
    assert a.move.state == MoveState.PENDING


def test_it_names_the_field_of_a_refused_inline_row(world, head_a, program, login):
    """Aid dated before the case opened, added inline: the message names the field in Indonesian."""
    a, _b = world
    client = login(head_a)
    url = reverse("admin:beneficiaries_case_change", args=[a.case.pk])
    data = inline_data(client.get(url))
    n = int(data["assistance-TOTAL_FORMS"])
    data.update(
        {
            "assistance-TOTAL_FORMS": str(n + 1),
            f"assistance-{n}-kind": "food",
            f"assistance-{n}-program": program.pk,
            f"assistance-{n}-delivered_on": (a.case.opened_on - datetime.timedelta(days=5)).strftime(
                "%d-%m-%Y"
            ),
            f"assistance-{n}-amount": "1000",
            f"assistance-{n}-case": a.case.pk,
        }
    )
    before = Assistance.objects.count()
    response = client.post(url, data)
    assert response.status_code == 200
    assert "sebelum kasus dibuka" in response.content.decode()
    assert Assistance.objects.count() == before


def without_decide_permission(user):
    """Take decide_move from the district group; the user fresh, without a cached permission."""
    from django.contrib.auth.models import Group, Permission

    from regions.models import Role, User
    from regions.roles import role_group_name

    group = Group.objects.get(name=role_group_name(Role.DISTRICT))
    group.permissions.remove(Permission.objects.get(codename="decide_move"))
    return User.objects.get(pk=user.pk)


def test_it_refuses_a_decision_once_the_group_lost_decide_move(world, district_official, login):
    """No Setujui/Tolak on the proposal's page, the buttons' URL and the bulk action refused,
    the move page says "Ajukan" (it would wait), and the proposal stays pending."""
    a, _b = world
    client = login(without_decide_permission(district_official))
    approve = reverse("admin:beneficiaries_stagetransition_approve_detail", args=[a.move.pk])
    assert approve not in page(
        client.get(reverse("admin:beneficiaries_stagetransition_change", args=[a.move.pk]))
    )
    assert client.post(approve, {"confirm": "1", "note": "x"}).status_code == 403
    action_post(client, "stagetransition", "approve_moves", [a.move.pk], confirm="1", note="Sesuai")
    assert page(client.get(move_url(a.case))) and client.get(move_url(a.case)).context["needs_approval"]
    a.move.refresh_from_db()
    a.case.refresh_from_db()
    assert (a.move.state, a.move.decided_by, a.case.stage) == (MoveState.PENDING, None, "1")


def selected_target(html: str) -> list[str]:
    """The values of the "Pindah ke" options marked selected."""
    select = re.search(r'<select[^>]*name="to".*?</select>', html, re.DOTALL).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]*\sselected', select)


def test_it_preselects_the_next_stage_when_its_guards_are_met(fresh_case, district_official, login):
    """Stage 1 with basic-needs aid: "Tahap 2" is chosen already."""
    response = login(district_official).get(move_url(fresh_case))
    assert response.context["form"]["to"].value() == "2"
    assert selected_target(page(response)) == ["2"]


def test_it_preselects_nothing_when_the_next_stages_guards_are_not_met(fresh_case, district_official, login):
    """Stage 2 without productive aid or a group: neither Tahap 3 nor a fall-back or an exit
    is preselected; the empty choice shows and submitting it writes nothing."""
    Case.objects.filter(pk=fresh_case.pk).update(stage="2")
    client = login(district_official)
    response = client.get(move_url(fresh_case))
    html = page(response)
    assert response.context["form"]["to"].value() == ""
    assert selected_target(html) in ([], [""])
    assert '<option value="3"' in html  # still offered, with its unmet guards beside it
    assert "(belum terpenuhi)" in html
    response = client.post(move_url(fresh_case), {"to": "", "reason": "x"})
    assert response.status_code == 200 and response.context["form"].errors["to"]
    assert not fresh_case.moves.filter(to="3").exists()


def decide_url(move, approve=True) -> str:
    name = "approve_detail" if approve else "reject_detail"
    return reverse(f"admin:beneficiaries_stagetransition_{name}", args=[move.pk])


def test_it_shows_the_approver_guards_reason_evidence_and_aid_before_the_buttons(
    world, district_official, program, login
):
    """The Setujui page of a proposal names the guard met, the reason, the evidence and the
    household's aid so far (each row and the total), all above the Setujui button."""
    a, _b = world
    StageTransition.objects.filter(pk=a.move.pk).update(evidence="BA-07/2025 dan foto kunjungan")
    AssistanceFactory(case=a.case, program=program, kind="cash", amount=500_000)
    response = login(district_official).get(decide_url(a.move))
    html = page(response)
    (facts,) = response.context["decisions"]
    assert [(g.code, g.met) for g in facts["guards"]] == [("basic_needs_assistance", True)]
    assert facts["aid_total"] == 1_750_000 and len(facts["aid"]) == 2
    button = html.index('type="submit"', html.index('name="confirm"'))
    for text in [
        "Sudah menerima minimal satu bantuan kebutuhan dasar",
        "(terpenuhi)",
        "Alasan Sumberjaya-A",
        "BA-07/2025 dan foto kunjungan",
        "Rp 1.250.000",
        "Rp 500.000",
        "2 kali, seluruhnya Rp 1.750.000.",
        "Kepala Sumberjaya-A",
    ]:
        assert text in html and html.index(text) < button, text


def test_it_warns_the_approver_of_a_guard_no_longer_met(world, district_official, login):
    """Aid removed after the proposal: the reject page says the guard is not met and that the
    household has no aid recorded."""
    a, _b = world
    Assistance.objects.filter(case=a.case).delete()
    html = page(login(district_official).get(decide_url(a.move, approve=False)))
    assert "(belum terpenuhi)" in html
    assert "Belum ada bantuan yang dicatat untuk rumah tangga ini." in html
    assert "Tidak ada bukti dilampirkan." in html


def test_it_shows_the_same_facts_on_the_proposals_own_page(world, district_official, login):
    """The change page of a pending proposal shows the guards and the aid too (its Setujui and
    Tolak buttons lead to the page above); a decided one does not repeat them."""
    a, _b = world
    url = reverse("admin:beneficiaries_stagetransition_change", args=[a.move.pk])
    html = page(login(district_official).get(url))
    assert "Syarat perpindahan" in html and "Bantuan rumah tangga sejauh ini" in html
    assert "Rp 1.250.000" in html and decide_url(a.move) in html
    StageTransition.objects.filter(pk=a.move.pk).update(state=MoveState.REJECTED)
    assert "Bantuan rumah tangga sejauh ini" not in page(login(district_official).get(url))
