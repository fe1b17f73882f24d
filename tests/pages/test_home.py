"""The home pages: the village named, households by the head's name with the KK as the
user may see it, the first items of each block and a link to the whole list."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from beneficiaries import services
from beneficiaries.identity import mask_kk
from beneficiaries.models import Case
from tests.factories import (
    VILLAGE_B,
    AssistanceFactory,
    GroupFactory,
    HouseholdFactory,
    PersonFactory,
)


def household_named(name: str, **kwargs):
    household = HouseholdFactory(**kwargs)
    PersonFactory(household=household, full_name=name)
    PersonFactory(household=household, full_name=f"Anak {name}", relation="child")
    return household


def with_pending_move(head, program, name: str):
    """A household of village A headed by `name`, its case proposed for stage 2."""
    case = services.open_case(actor=head, household=household_named(name))
    AssistanceFactory(case=case, village_id=case.village_id, program=program)
    return services.request_move(case=case, to="2", actor=head)


def forgotten(case: Case) -> None:
    """Opened 200 days ago, never moved since: it needs attention."""
    Case.objects.filter(pk=case.pk).update(opened_on=timezone.localdate() - datetime.timedelta(days=200))
    case.moves.update(decided_at=timezone.now() - datetime.timedelta(days=200))


def test_the_village_home_names_the_village_and_its_district(client, head_a):
    """Sumberjaya is a desa (its code's last part starts with 2): "Desa Sumberjaya", its
    district and regency, not only the code."""
    client.force_login(head_a)
    html = client.get(reverse("home")).content.decode()
    assert '<p class="place"><b>Desa Sumberjaya</b> · Kec. Sumur · ' in html
    assert "PANDEGLANG" in html.upper()


def test_a_kelurahan_head_sees_kelurahan(db, client, village_north):
    """A lurah's home says "Kelurahan", from the village's kind."""
    from tests.factories import UserFactory

    lurah = UserFactory(username="lurah", role="village", region_code=village_north)
    client.force_login(lurah)
    assert "<b>Kelurahan Sukarasa</b>" in client.get(reverse("home")).content.decode()


def test_the_village_home_shows_the_first_5_of_each_block_with_a_link_to_all(client, head_a, program):
    """7 proposals, 7 forgotten cases, 14 records in the feed, 6 groups: each block shows 5,
    by the head's name, and "Lihat semua (N)" leads to the whole list."""
    moves = [with_pending_move(head_a, program, f"Kepala {i}") for i in range(7)]
    for move in moves:
        forgotten(move.case)
    for i in range(6):
        GroupFactory(name=f"KUBE {i}")
    client.force_login(head_a)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("move_list")}">Lihat semua (7)' in html
    assert f'href="{reverse("attention_list")}">Lihat semua (7)' in html
    assert f'href="{reverse("event_list")}">Lihat semua (' in html
    assert f'href="{reverse("group_list")}">Lihat semua (6)' in html
    blocks, feed = html.split('id="recent-title"')
    # Queue and attention: the 5 oldest, each in both; the feed: the 5 newest records.
    assert blocks.count('class="title">Kepala 0<') == 2 and "Kepala 5" not in blocks
    assert 'class="title">Kepala 6<' in feed and "Kepala 0" not in feed
    assert "Anak Kepala" not in html  # the head, not any member


def test_a_block_of_5_or_fewer_has_no_link(client, head_a, program):
    """With 2 proposals the block lists both and needs no "Lihat semua"."""
    with_pending_move(head_a, program, "Siti")
    with_pending_move(head_a, program, "Rohmah")
    client.force_login(head_a)
    html = client.get(reverse("home")).content.decode()
    assert "Usulan menunggu persetujuan (2)" in html
    assert f'href="{reverse("move_list")}"' not in html


def test_the_feed_names_the_aid_once(client, head_a, program):
    """ "Bantuan tunai dicatat", not "Bantuan Bantuan tunai dicatat"; food reads
    "Bantuan pangan dicatat"; both under the head's name."""
    case = services.open_case(actor=head_a, household=household_named("Ujang Suherman"))
    AssistanceFactory(case=case, village_id=case.village_id, program=program, kind="cash")
    AssistanceFactory(case=case, village_id=case.village_id, program=program, kind="food")
    client.force_login(head_a)
    html = client.get(reverse("home")).content.decode()
    assert "<div>Bantuan tunai dicatat</div>" in html
    assert "<div>Bantuan pangan dicatat</div>" in html
    assert "Bantuan Bantuan" not in html and "Bantuan bantuan" not in html
    assert 'class="title">Ujang Suherman<' in html


def test_every_kind_of_aid_reads_right():
    """Each kind's sentence says "Bantuan" at most once ("Bantuan tunai dicatat")."""
    from beneficiaries.models.cases import AssistanceKind
    from beneficiaries.selectors import aid_recorded_text

    for kind in AssistanceKind.values:
        assert aid_recorded_text(kind).lower().count("bantuan") <= 1, kind
        assert aid_recorded_text(kind).endswith("dicatat"), kind


def test_a_household_that_moved_away_keeps_the_feeds_wording(client, head_a, district_official, program):
    """Aid recorded before the household moved to village B stays in A's feed, without a
    name, a KK or a link."""
    household = household_named("Pindahan")
    case = services.open_case(actor=head_a, household=household)
    AssistanceFactory(case=case, village_id=case.village_id, program=program)
    services.update_household(actor=district_official, household=household, village=VILLAGE_B)
    client.force_login(head_a)
    html = client.get(reverse("home")).content.decode()
    assert "Rumah tangga yang sudah pindah ke desa lain" in html
    assert "Pindahan" not in html and household.kk_number[:12] not in html


def test_the_camat_sees_names_and_masked_kks_never_the_serial(client, head_a, district_official, program):
    """The district queue shows the head's name with the KK masked: the serial never."""
    move = with_pending_move(head_a, program, "Ahmad Sanusi")
    kk = move.case.household.kk_number
    client.force_login(district_official)
    html = client.get(reverse("home")).content.decode()
    assert 'class="title">Ahmad Sanusi<' in html
    assert f"KK {mask_kk(kk)}" in html and kk not in html
    html = client.get(reverse("move_list")).content.decode()
    assert "Ahmad Sanusi" in html and kk not in html


@pytest.mark.parametrize("official", ["district_official", "regency_official", "province"])
def test_every_official_queue_leads_to_a_confirmation_not_a_decision(
    request, client, head_a, program, official
):
    """The district, regency and province queues name the household and link Setujui and
    Tolak to the confirmation step; the home itself posts no decision."""
    move = with_pending_move(head_a, program, "Euis Komariah")
    client.force_login(request.getfixturevalue(official))
    html = client.get(reverse("home")).content.decode()
    assert "Euis Komariah" in html
    detail = reverse("move_detail", args=[move.pk])
    assert f'href="{detail}?confirm=approve&amp;next=queue"' in html
    assert f'href="{detail}?confirm=reject&amp;next=queue"' in html
    assert reverse("move_decide", args=[move.pk]) not in html


def test_the_queue_shows_the_first_10_and_links_to_all(client, head_a, district_official, program):
    """12 proposals: the camat's home lists 10 and "Lihat semua (12)"; the list has all."""
    for i in range(12):
        with_pending_move(head_a, program, f"Warga Antre {i:02d}")
    client.force_login(district_official)
    html = client.get(reverse("home")).content.decode()
    assert "Antrean (12)" in html and "Warga Antre 09" in html and "Warga Antre 10" not in html
    assert f'href="{reverse("move_list")}">Lihat semua (12)' in html
    html = client.get(reverse("move_list")).content.decode()
    assert all(f"Warga Antre {i:02d}" in html for i in range(12))


def test_the_attention_list_pages_through_every_case(client, head_a, program):
    """30 forgotten cases: 25 on the first page, 5 on the second, each with its reasons."""
    for i in range(30):
        case = services.open_case(actor=head_a, household=household_named(f"Lama {i:02d}"))
        forgotten(case)
    client.force_login(head_a)
    first = client.get(reverse("attention_list")).content.decode()
    second = client.get(reverse("attention_list"), {"page": 2}).content.decode()
    assert "Perlu perhatian (30)" in first and "Halaman 1 dari 2" in first
    assert first.count("Lebih dari 6 bulan di tahap 1") == 25
    assert second.count("Lebih dari 6 bulan di tahap 1") == 5
    names = {f"Lama {i:02d}" for i in range(30)}
    assert all(name in first or name in second for name in names)


def test_the_feed_list_pages_through_moves_and_aid(client, head_a, program):
    """The whole feed: entries and aid of 15 households (30 records), newest first, 25 and 5."""
    for i in range(15):
        case = services.open_case(actor=head_a, household=household_named(f"Catat {i:02d}"))
        AssistanceFactory(case=case, village_id=case.village_id, program=program)
    client.force_login(head_a)
    first = client.get(reverse("event_list")).content.decode()
    second = client.get(reverse("event_list"), {"page": 2}).content.decode()
    assert "Semua catatan (30)" in first
    assert first.count("<li>") == 25 and second.count("<li>") == 5
    assert first.index("Catat 14") < first.index("Catat 13")  # newest first


def test_the_lists_show_only_the_users_region(client, head_b, head_a, program):
    """Village B's head sees none of village A's proposals, cases or records."""
    with_pending_move(head_a, program, "Rahasia A")
    client.force_login(head_b)
    for name in ("home", "move_list", "attention_list", "event_list"):
        assert "Rahasia A" not in client.get(reverse(name)).content.decode(), name
