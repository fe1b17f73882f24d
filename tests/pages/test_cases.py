"""Recording assistance, proposing a move with its guards, and officials deciding."""

import datetime

from django.urls import reverse

from beneficiaries import services
from beneficiaries.identity import mask_kk
from beneficiaries.models import Assistance, MoveState, StageTransition
from tests.factories import AssistanceFactory

TODAY = datetime.date.today


def test_it_records_assistance_in_rupiah(client, head_a, case_a, program):
    """Aid typed as `1.250.000` is saved as whole rupiah and shown as `Rp 1.250.000`."""
    client.force_login(head_a)
    data = {"kind": "food", "program": program.pk, "delivered_on": TODAY().isoformat(), "amount": "1.250.000"}
    response = client.post(reverse("assistance_create", args=[case_a.pk]), data, follow=True)
    aid = Assistance.objects.get(case=case_a)
    assert aid.amount == 1_250_000 and aid.recorded_by == head_a
    html = response.content.decode()
    assert "Bantuan pangan dicatat." in html
    assert "Rp 1.250.000" in html


def test_it_shows_the_models_refusal_next_to_the_date(client, head_a, case_a, program):
    """A delivery date in the future is refused by the model's rule, shown at the field."""
    client.force_login(head_a)
    future = (TODAY() + datetime.timedelta(days=3)).isoformat()
    data = {"kind": "food", "program": program.pk, "delivered_on": future, "amount": "10000"}
    response = client.post(reverse("assistance_create", args=[case_a.pk]), data)
    assert 'id="id_delivered_on_error"' in response.content.decode()
    assert not Assistance.objects.exists()


def test_the_proposal_page_shows_each_guard_met_or_not(client, head_a, case_a, program):
    """Before any aid the stage-2 guard shows as not met; after aid, as met."""
    client.force_login(head_a)
    url = reverse("move_create", args=[case_a.pk])
    html = client.get(url).content.decode()
    assert "Belum terpenuhi:" in html and "kebutuhan dasar" in html
    AssistanceFactory(case=case_a, village_id=case_a.village_id, program=program)
    html = client.get(url).content.decode()
    assert "Terpenuhi:</span> Sudah menerima minimal satu bantuan kebutuhan dasar" in html


def test_it_refuses_a_move_whose_guard_is_not_met(client, head_a, case_a):
    """The service refuses; its words show on the form and no move is written."""
    client.force_login(head_a)
    response = client.post(reverse("move_create", args=[case_a.pk]), {"to": "2"})
    assert "Syarat belum terpenuhi" in response.content.decode()
    assert not case_a.moves.filter(to="2").exists()


def test_it_proposes_stage_2_and_waits_for_approval(client, head_a, case_a, program):
    """A village head's proposal is pending; the household page says it waits."""
    AssistanceFactory(case=case_a, village_id=case_a.village_id, program=program)
    client.force_login(head_a)
    response = client.post(
        reverse("move_create", args=[case_a.pk]), {"to": "2", "evidence": "BA kunjungan 03"}, follow=True
    )
    move = case_a.moves.get(to="2")
    assert (
        move.state == MoveState.PENDING and move.proposed_by == head_a and move.evidence == "BA kunjungan 03"
    )
    html = response.content.decode()
    assert "menunggu persetujuan kecamatan" in html
    assert "Menunggu persetujuan" in html


def test_an_exit_asks_for_the_exit_reason(client, head_a, case_a):
    """Exit without a reason is refused next to the exit reason field."""
    client.force_login(head_a)
    response = client.post(reverse("move_create", args=[case_a.pk]), {"to": "exited"})
    assert 'id="id_exit_reason_error"' in response.content.decode()
    assert not case_a.moves.filter(to="exited").exists()


def test_a_fall_back_asks_for_a_reason(client, district_official, case_a, program):
    """Falling back from stage 2 needs a reason; the field shows the service's error."""
    AssistanceFactory(case=case_a, village_id=case_a.village_id, program=program)
    services.request_move(case=case_a, to="2", actor=district_official)
    client.force_login(district_official)
    response = client.post(reverse("move_create", args=[case_a.pk]), {"to": "1"})
    assert 'id="id_reason_error"' in response.content.decode()
    response = client.post(
        reverse("move_create", args=[case_a.pk]), {"to": "1", "reason": "Rumah terkena banjir"}
    )
    case_a.refresh_from_db()
    assert case_a.stage == "1"


def pending_stage_2(case, head, program) -> StageTransition:
    AssistanceFactory(case=case, village_id=case.village_id, program=program)
    return services.request_move(case=case, to="2", actor=head)


def test_an_official_approves_from_the_queue(client, head_a, district_official, case_a, program):
    """The queue lists the proposal; approving applies it and records who decided."""
    move = pending_stage_2(case_a, head_a, program)
    client.force_login(district_official)
    html = client.get(reverse("home")).content.decode()
    assert f"KK {mask_kk(case_a.household.kk_number)}" in html  # the camat sees it masked
    assert reverse("household_detail", args=[case_a.household_id]) in html
    response = client.post(
        reverse("move_decide", args=[move.pk]),
        {"decision": "approve", "note": "", "next": "queue"},
        follow=True,
    )
    move.refresh_from_db()
    case_a.refresh_from_db()
    assert move.state == MoveState.APPLIED and move.decided_by == district_official
    assert case_a.stage == "2"
    assert "Usulan disetujui" in response.content.decode()


def test_a_rejection_needs_a_note(client, head_a, district_official, case_a, program):
    """Rejecting without a note is refused at the note field; with one, it is recorded."""
    move = pending_stage_2(case_a, head_a, program)
    client.force_login(district_official)
    response = client.post(reverse("move_decide", args=[move.pk]), {"decision": "reject", "note": ""})
    assert 'id="id_note_error"' in response.content.decode()
    move.refresh_from_db()
    assert move.state == MoveState.PENDING
    client.post(reverse("move_decide", args=[move.pk]), {"decision": "reject", "note": "Foto bukti kurang"})
    move.refresh_from_db()
    assert move.state == MoveState.REJECTED and move.decision_note == "Foto bukti kurang"


def test_a_village_head_cannot_decide(client, head_a, case_a, program):
    """Deciding is for officials: a village head gets 403 and the move stays pending."""
    move = pending_stage_2(case_a, head_a, program)
    client.force_login(head_a)
    response = client.post(reverse("move_decide", args=[move.pk]), {"decision": "approve"})
    assert response.status_code == 403
    move.refresh_from_db()
    assert move.state == MoveState.PENDING


def test_an_official_of_another_regency_does_not_see_the_proposal(
    client, head_a, north_official, case_a, program
):
    """Kota Tangerang's official gets 404 on a Pandeglang proposal and an empty queue."""
    move = pending_stage_2(case_a, head_a, program)
    client.force_login(north_official)
    assert client.post(reverse("move_decide", args=[move.pk]), {"decision": "approve"}).status_code == 404
    assert "Tidak ada usulan yang menunggu" in client.get(reverse("home")).content.decode()


def test_the_village_home_lists_cases_needing_attention(client, head_a, case_a):
    """A case opened 200 days ago with no aid and no recent move is flagged with reasons."""
    case_a.moves.update(decided_at=case_a.moves.get().decided_at - datetime.timedelta(days=200))
    type(case_a).objects.filter(pk=case_a.pk).update(opened_on=TODAY() - datetime.timedelta(days=200))
    client.force_login(head_a)
    html = client.get(reverse("home")).content.decode()
    assert "Lebih dari 6 bulan di tahap 1" in html
    assert "Tidak ada bantuan selama 90 hari" in html


def test_a_rejected_proposal_needs_attention(client, head_a, district_official, case_a, program):
    """A proposal rejected lately shows on the village home with the official's note."""
    move = pending_stage_2(case_a, head_a, program)
    services.decide_move(move=move, actor=district_official, approve=False, note="Lengkapi bukti")
    client.force_login(head_a)
    assert "Usulan ditolak: Lengkapi bukti" in client.get(reverse("home")).content.decode()


def without_decide_permission(user):
    """Take decide_move from the district group; the user fresh, without a cached permission."""
    from django.contrib.auth.models import Group, Permission

    from regions.models import Role, User
    from regions.roles import role_group_name

    group = Group.objects.get(name=role_group_name(Role.DISTRICT))
    group.permissions.remove(Permission.objects.get(codename="decide_move"))
    return User.objects.get(pk=user.pk)


def test_a_camat_whose_group_lost_decide_move_sees_no_buttons_and_is_refused(
    client, head_a, district_official, case_a, program
):
    """The queue, the household and the proposal's page ask the policy: no Setujui; a POST is
    403 and the proposal stays pending."""
    move = pending_stage_2(case_a, head_a, program)
    client.force_login(without_decide_permission(district_official))
    decide_url = reverse("move_decide", args=[move.pk])
    for url in (
        reverse("home"),
        reverse("move_detail", args=[move.pk]),
        reverse("household_detail", args=[case_a.household_id]),
    ):
        html = client.get(url).content.decode()
        assert decide_url not in html and "Putuskan usulan" not in html, url
    assert client.post(decide_url, {"decision": "approve", "note": ""}).status_code == 403
    move.refresh_from_db()
    case_a.refresh_from_db()
    assert (move.state, move.decided_by, case_a.stage) == (MoveState.PENDING, None, "1")


def test_an_official_of_the_district_sees_the_decision_buttons(
    client, head_a, district_official, case_a, program
):
    """The same pages with the permission in place: the policy says yes."""
    move = pending_stage_2(case_a, head_a, program)
    client.force_login(district_official)
    assert (
        reverse("move_decide", args=[move.pk])
        in client.get(reverse("move_detail", args=[move.pk])).content.decode()
    )
    assert (
        "Putuskan usulan"
        in client.get(reverse("household_detail", args=[case_a.household_id])).content.decode()
    )


def test_the_decision_page_shows_guards_reason_evidence_and_aid_before_the_buttons(
    client, head_a, district_official, case_a, program
):
    """The camat sees the head's name, each guard met or not, the reason, the evidence and
    the household's aid (kinds, dates, rupiah, the total), all above Setujui and Tolak."""
    AssistanceFactory(case=case_a, village_id=case_a.village_id, program=program, kind="cash", amount=450_000,
                      delivered_on=TODAY() - datetime.timedelta(days=40))  # fmt: skip
    AssistanceFactory(case=case_a, village_id=case_a.village_id, program=program, kind="food", amount=250_000)
    move = services.request_move(
        case=case_a, to="2", actor=head_a, reason="Kebutuhan dasar terpenuhi", evidence="BA kunjungan 03"
    )
    client.force_login(district_official)
    html = client.get(reverse("move_detail", args=[move.pk])).content.decode()
    buttons = html.index('name="decision" value="approve"')
    for shown in (
        "Siti Aminah",
        f"KK {mask_kk(case_a.household.kk_number)}",
        "Terpenuhi:",
        "Kebutuhan dasar terpenuhi",
        "BA kunjungan 03",
        "Bantuan tunai</b> · Rp 450.000",
        "Pangan</b> · Rp 250.000",
        "Total Rp 700.000 dari 2 bantuan",
    ):
        assert 0 < html.index(shown) < buttons, shown
    assert case_a.household.kk_number not in html


def test_the_decision_page_says_when_evidence_and_aid_are_missing(client, head_a, district_official, case_a):
    """A proposal without evidence or aid says so, rather than leaving the approver to guess."""
    move = services.request_move(case=case_a, to="exited", exit_reason="moved", actor=head_a)
    client.force_login(district_official)
    html = client.get(reverse("move_detail", args=[move.pk])).content.decode()
    assert "tidak ada bukti dicatat" in html
    assert "Belum ada bantuan tercatat untuk rumah tangga ini." in html


def test_approving_from_the_queue_asks_first_and_the_get_writes_nothing(
    client, head_a, district_official, case_a, program
):
    """The queue's Setujui opens the confirmation step: the guards and aid, one button, no
    write. Its POST decides through the service, with a history row, and returns to the queue."""
    move = pending_stage_2(case_a, head_a, program)
    history = move.history.count()
    client.force_login(district_official)
    url = reverse("move_detail", args=[move.pk])
    html = client.get(url, {"confirm": "approve", "next": "queue"}).content.decode()
    assert "Setujui usulan ini?" in html and "Siti Aminah" in html and "Terpenuhi:" in html
    assert 'value="approve">Ya, setujui</button>' in html and 'value="reject"' not in html
    assert '<input type="hidden" name="next" value="queue">' in html
    move.refresh_from_db()
    assert (move.state, move.history.count()) == (MoveState.PENDING, history)
    response = client.post(
        reverse("move_decide", args=[move.pk]), {"decision": "approve", "note": "", "next": "queue"}
    )
    assert response.url == reverse("home")
    move.refresh_from_db()
    assert move.state == MoveState.APPLIED and move.decided_by == district_official
    last = move.history.latest("history_date")
    assert (last.state, last.history_user) == (MoveState.APPLIED, district_official)
    html = client.get(reverse("home")).content.decode()
    assert f"Usulan disetujui: Siti Aminah (KK {mask_kk(case_a.household.kk_number)}) kini Tahap 2." in html


def test_rejecting_from_the_queue_asks_for_the_note_on_the_confirmation(
    client, head_a, district_official, case_a, program
):
    """The queue's Tolak opens a step with the note; sent empty, it stays there with the
    error and the move pending; with a note it is rejected."""
    move = pending_stage_2(case_a, head_a, program)
    client.force_login(district_official)
    html = client.get(reverse("move_detail", args=[move.pk]), {"confirm": "reject"}).content.decode()
    assert "Tolak usulan ini?" in html and 'value="reject" class="btn-danger">Ya, tolak' in html
    response = client.post(reverse("move_decide", args=[move.pk]), {"decision": "reject", "note": ""})
    html = response.content.decode()
    assert "Tolak usulan ini?" in html and 'id="id_note_error"' in html
    move.refresh_from_db()
    assert move.state == MoveState.PENDING


def test_the_confirmation_step_is_not_offered_to_who_may_not_decide(client, head_a, case_a, program):
    """The village head who proposed sees the proposal, never a decision form."""
    move = pending_stage_2(case_a, head_a, program)
    client.force_login(head_a)
    html = client.get(reverse("move_detail", args=[move.pk]), {"confirm": "approve"}).content.decode()
    assert "Setujui usulan ini?" not in html and reverse("move_decide", args=[move.pk]) not in html


def test_the_proposal_and_aid_pages_name_the_head(client, head_a, case_a):
    """The move and aid forms say whose case it is: the head's name beside the KK."""
    client.force_login(head_a)
    for name in ("move_create", "assistance_create"):
        html = client.get(reverse(name, args=[case_a.pk])).content.decode()
        assert "Kembali ke Siti Aminah · KK" in html and "<b>Siti Aminah</b> · KK" in html, name


def test_the_amount_starts_empty_and_left_empty_is_0(client, head_a, case_a, program):
    """ "Nilai (Rp)" has no value at first; aid without one (training) is saved as Rp 0;
    the message names the kind once: "Pelatihan dicatat."."""
    client.force_login(head_a)
    html = client.get(reverse("assistance_create", args=[case_a.pk])).content.decode()
    assert 'name="amount"' in html and 'name="amount" value=' not in html
    data = {"kind": "training", "program": program.pk, "delivered_on": TODAY().isoformat(), "amount": ""}
    response = client.post(reverse("assistance_create", args=[case_a.pk]), data, follow=True)
    assert Assistance.objects.get(case=case_a).amount == 0
    assert "Pelatihan dicatat." in response.content.decode()


def test_cash_aid_is_recorded_once_in_the_message(client, head_a, case_a, program):
    """ "Bantuan tunai dicatat.", not "Bantuan bantuan tunai dicatat."."""
    client.force_login(head_a)
    data = {"kind": "cash", "program": program.pk, "delivered_on": TODAY().isoformat(), "amount": "300.000"}
    html = client.post(reverse("assistance_create", args=[case_a.pk]), data, follow=True).content.decode()
    assert "Bantuan tunai dicatat." in html and "Bantuan bantuan" not in html


def test_every_select_has_the_same_empty_choice(client, head_a, case_a):
    """The aid, move, group and activity forms all start their selects with "— Pilih —"."""
    client.force_login(head_a)
    pages = {
        "assistance_create": ["kind", "program", "partner"],
        "move_create": ["exit_reason"],
    }
    for name, fields in pages.items():
        html = client.get(reverse(name, args=[case_a.pk])).content.decode()
        for field in fields:
            select = html[html.index(f'name="{field}"') :]
            assert select.split("</option>")[0].endswith('<option value="" selected>— Pilih —'), (name, field)
    html = client.get(reverse("group_create")).content.decode()
    assert '<option value="" selected>— Pilih —</option>' in html
    assert "—</option>" not in html.replace("— Pilih —</option>", "")


def test_a_proposal_of_a_household_gone_elsewhere_names_no_one(
    client, head_a, district_official, case_a, program
):
    """Village A still sees the entry of a household since moved to village B, but neither
    its head, its KK nor its aid (whose recipient would name a member)."""
    from beneficiaries.models import Person

    siti = Person.objects.get(full_name="Siti Aminah")
    AssistanceFactory(case=case_a, village_id=case_a.village_id, program=program, recipient=siti)
    entry = case_a.moves.get(kind="entry")
    services.update_household(actor=district_official, household=case_a.household, village="36.01.01.2002")
    client.force_login(head_a)
    html = client.get(reverse("move_detail", args=[entry.pk])).content.decode()
    assert "Sudah pindah ke desa lain" in html
    assert "Siti Aminah" not in html and "Bantuan yang sudah diterima" not in html
