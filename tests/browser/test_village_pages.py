"""The village pages in a real browser: Debian's Chromium driven by Playwright against the
live server. Screenshots of the key pages at 360 px and 1280 px go to
test-output/screenshots/ (git-ignored)."""

import datetime
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from beneficiaries import services
from beneficiaries.identity import mask_kk
from beneficiaries.models import Activity, Household, MoveState
from tests.browser.audit import audit, watch_csp
from tests.factories import (
    AssistanceFactory,
    GroupFactory,
    HouseholdFactory,
    MembershipFactory,
    PartnerFactory,
    PersonFactory,
    ProgramFactory,
    make_kk,
    make_nik,
)

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test
# itself (fixtures, assertions) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
REQUIRE = os.environ.get("BANTEN_REQUIRE_SERVICES") == "1"
SHOTS = Path(settings.BASE_DIR) / "test-output" / "screenshots"
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not REQUIRE and not (Path(CHROMIUM).exists() and shutil.which(CHROMIUM)),
        reason="Debian's chromium is not installed",
    ),
]

HEAD_BIRTH = datetime.date(1979, 8, 17)
WIFE_BIRTH = datetime.date(1983, 3, 12)
CHILD_BIRTH = datetime.date(2011, 6, 5)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def sign_in(browser, live_server, username: str):
    """A fresh phone-sized browser session signed in as `username`."""
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    page = context.new_page()
    watch_csp(page)
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill("rahasia-123")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    return page


def snap(page, name: str) -> None:
    """Save the page at 360 px and at 1280 px wide, then return to phone size; at each
    width the page must fit and pass axe-core (tests/browser/audit.py)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-360.png"), full_page=True)
    audit(page, name)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(SHOTS / f"{name}-1280.png"), full_page=True)
    audit(page, name)
    page.set_viewport_size(PHONE)


def fill_member(page, i: int, *, name: str, nik: str, sex: str, birth: datetime.date, relation: str) -> None:
    page.fill(f"[name=members-{i}-full_name]", name)
    page.fill(f"[name=members-{i}-nik]", nik)
    page.select_option(f"[name=members-{i}-sex]", sex)
    page.fill(f"[name=members-{i}-birth_date]", birth.isoformat())
    page.select_option(f"[name=members-{i}-relation]", relation)


def register_household(page, kk: str) -> None:
    """Fill the register page with three members, the wife's NIK a man's (wrong)."""
    page.get_by_role("link", name="+ Daftarkan rumah tangga").first.click()
    page.get_by_label("Nomor KK").fill(kk)
    page.get_by_label("Alamat").fill("Kp. Cikadu No. 7")
    page.get_by_label("RT", exact=True).fill("3")
    page.get_by_label("RW", exact=True).fill("2")
    page.get_by_label("Desil P3KE").select_option("1")
    # The script adds a fourth row and removes it again; the rest works without it.
    page.get_by_role("button", name="+ Tambah baris anggota").click()
    assert page.locator("[name=members-3-full_name]").is_visible()
    page.locator(".member-row").nth(3).get_by_role("button", name="Hapus baris ini").click()
    assert not page.locator("[name=members-3-full_name]").is_visible()
    fill_member(page, 0, name="Ahmad Sanusi", nik=make_nik(birth=HEAD_BIRTH, sex="L", serial=21), sex="L",
                birth=HEAD_BIRTH, relation="head")  # fmt: skip
    fill_member(page, 1, name="Euis Komariah", nik=make_nik(birth=WIFE_BIRTH, sex="L", serial=22), sex="P",
                birth=WIFE_BIRTH, relation="spouse")  # fmt: skip
    fill_member(page, 2, name="Dede Sanusi", nik=make_nik(birth=CHILD_BIRTH, sex="L", serial=23), sex="L",
                birth=CHILD_BIRTH, relation="child")  # fmt: skip


def test_a_household_goes_from_registration_to_stage_2(
    browser, live_server, head_a, head_b, district_official, cadre
):
    """Head of village A registers (fixing a wrong NIK), opens a case, records aid and
    proposes stage 2; the camat approves; the household page shows stage 2 and the whole
    timeline. A cadre records an activity with attendance. Village B's head gets 404."""
    ProgramFactory(name="Bansos Pangan Banten")
    partner = PartnerFactory(name="PKK Desa Sumberjaya")
    kk = make_kk(7001)

    page = sign_in(browser, live_server, "kades_a")
    assert page.get_by_role("heading", name="Beranda desa").is_visible()
    snap(page, "01-village-home-empty")

    register_household(page, kk)
    page.get_by_role("button", name="Simpan rumah tangga").click()
    error = page.locator("#id_members-1-nik_error")
    assert "NIK ini milik laki-laki" in error.inner_text()
    assert page.get_by_text("Belum tersimpan").is_visible()
    assert not Household.objects.filter(kk_number=kk).exists()
    snap(page, "02-register-nik-error")

    page.fill("[name=members-1-nik]", make_nik(birth=WIFE_BIRTH, sex="P", serial=22))
    page.get_by_role("button", name="Simpan rumah tangga").click()
    assert page.get_by_text("terdaftar dengan 3 anggota").is_visible()
    household = Household.objects.get(kk_number=kk)
    assert household.members.count() == 3

    page.get_by_role("link", name="Buka kasus").click()
    page.get_by_role("button", name="Buka kasus").click()
    assert page.get_by_text("Kasus dibuka").is_visible()

    page.get_by_role("link", name="Catat bantuan").click()
    page.get_by_label("Jenis bantuan").select_option("food")
    page.get_by_label("Program").select_option(label="Bansos Pangan Banten")
    page.get_by_label("Nilai (Rp)").fill("750.000")
    snap(page, "03-record-assistance")
    page.get_by_role("button", name="Simpan bantuan").click()
    assert page.get_by_text("Bantuan pangan dicatat.").is_visible()
    assert page.get_by_text("Rp 750.000").first.is_visible()

    page.get_by_role("link", name="Usulkan perpindahan tahap").click()
    assert page.locator(".option", has_text="Tahap 2").get_by_text("Terpenuhi:").is_visible()
    page.get_by_label("Tahap 2").check()
    page.get_by_label("Bukti").fill("Berita acara kunjungan 12/2025")
    snap(page, "04-propose-stage-2")
    page.get_by_role("button", name="Kirim usulan").click()
    assert page.get_by_text("menunggu persetujuan kecamatan").is_visible()
    case = household.cases.get()
    assert case.moves.get(to="2").state == MoveState.PENDING
    snap(page, "05-household-pending")

    page.get_by_role("link", name="Kelompok").click()
    page.get_by_role("link", name="+ Buat kelompok").click()
    page.get_by_label("Nama kelompok").fill("KUBE Melati")
    page.get_by_label("Bidang usaha").select_option("culinary")
    page.get_by_role("button", name="Simpan kelompok").click()
    assert page.get_by_text("Kelompok KUBE Melati dibuat").is_visible()
    page.get_by_label("Rumah tangga").select_option(str(household.pk))
    page.get_by_role("button", name="Tambahkan").click()
    assert page.get_by_text(f"KK {kk} menjadi anggota kelompok").is_visible()
    snap(page, "09-group")
    page.get_by_role("button", name="Keluar", exact=True).click()
    assert page.get_by_role("heading", name="Masuk").is_visible()
    snap(page, "00-sign-in")
    page.context.close()

    page = sign_in(browser, live_server, "camat_sumur")
    row = page.locator(".list > li", has_text=f"KK {mask_kk(kk)}")  # the camat sees KKs masked
    assert row.is_visible()
    snap(page, "06-district-queue")
    row.get_by_role("link", name="Setujui").click()  # the queue asks first (issue 9)
    page.get_by_label("Catatan").fill("Bukti lengkap")
    page.get_by_role("button", name="Ya, setujui").click()
    assert page.get_by_text("Usulan disetujui").is_visible()
    case.refresh_from_db()
    assert case.stage == "2"
    page.goto(f"{live_server.url}/rumah-tangga/{household.pk}/")
    assert page.get_by_text("Tahap 2: kemandirian rumah tangga").is_visible()
    timeline = page.locator(".timeline").inner_text()
    assert "Masuk program" in timeline and "Naik tahap" in timeline
    assert "Disetujui" in timeline and "camat_sumur" in timeline and "Bukti lengkap" in timeline
    snap(page, "07-household-stage-2")
    page.context.close()

    page = sign_in(browser, live_server, "kader_a")
    assert page.get_by_role("heading", name="Kegiatan saya").is_visible()
    page.get_by_role("link", name="+ Catat kegiatan").click()
    page.get_by_label("Mitra (PKK/posyandu)").select_option(str(partner.pk))
    page.get_by_label("Topik").select_option("nutrition")
    page.get_by_label("Judul kegiatan").fill("Kelas gizi ibu dan balita")
    page.get_by_label("Tanggal").fill(timezone.localdate().isoformat())
    page.get_by_label("Euis Komariah").check()
    page.get_by_label("Dede Sanusi").check()
    snap(page, "08-cadre-activity")
    page.get_by_role("button", name="Simpan kegiatan").click()
    assert page.get_by_text("dicatat dengan 2 peserta hadir").is_visible()
    activity = Activity.objects.get(title="Kelas gizi ibu dan balita")
    assert sorted(activity.attendees.values_list("full_name", flat=True)) == ["Dede Sanusi", "Euis Komariah"]
    page.context.close()

    page = sign_in(browser, live_server, "kades_b")
    response = page.goto(f"{live_server.url}/rumah-tangga/{household.pk}/")
    assert response.status == 404
    assert "Ahmad Sanusi" not in page.content()
    page.context.close()


def fits_the_phone(page) -> None:
    """No sideways scroll at 360 px."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_an_approver_decides_with_context(browser, live_server, head_a, district_official, cadre):
    """The camat's queue names the household's head; Setujui leads to a confirmation with the
    guards and the aid so far, and only "Ya, setujui" decides. The village head removes a
    member from a group after a question and undoes it; the cadre finds a resident by name
    and the count follows the ticks. The village home names its village."""
    program = ProgramFactory(name="Bansos Pangan Banten")
    partner = PartnerFactory(name="PKK Desa Sumberjaya")
    household = HouseholdFactory(kk_number=make_kk(8001))
    PersonFactory(household=household, full_name="Ahmad Sanusi", birth_date=HEAD_BIRTH)
    PersonFactory(
        household=household, full_name="Euis Komariah", sex="P", relation="spouse", birth_date=WIFE_BIRTH
    )
    case = services.open_case(actor=head_a, household=household)
    AssistanceFactory(case=case, village_id=case.village_id, program=program, kind="cash", amount=450_000)
    AssistanceFactory(case=case, village_id=case.village_id, program=program, kind="food", amount=250_000)
    move = services.request_move(case=case, to="2", actor=head_a, reason="Kebutuhan dasar terpenuhi",
                                 evidence="BA kunjungan 12/2025")  # fmt: skip
    group = GroupFactory(name="KUBE Melati")
    MembershipFactory(group=group, household=household, joined_on=datetime.date(2024, 2, 1))

    page = sign_in(browser, live_server, "camat_sumur")
    row = page.locator(".queue-item", has_text="Ahmad Sanusi")
    assert f"KK {mask_kk(household.kk_number)}" in row.inner_text()
    assert household.kk_number not in page.content()
    fits_the_phone(page)
    snap(page, "20-queue-by-name")
    row.get_by_role("link", name="Setujui").click()
    assert page.get_by_role("heading", name="Setujui usulan ini?").is_visible()
    assert page.get_by_text("Terpenuhi:").is_visible()
    assert page.get_by_text("Total Rp 700.000 dari 2 bantuan").is_visible()
    assert page.get_by_text("BA kunjungan 12/2025").is_visible()
    move.refresh_from_db()
    assert move.state == MoveState.PENDING  # looking is not deciding
    fits_the_phone(page)
    snap(page, "21-confirm-approval")
    page.get_by_role("button", name="Ya, setujui").click()
    assert page.get_by_text("Usulan disetujui: Ahmad Sanusi").is_visible()
    move.refresh_from_db()
    assert move.state == MoveState.APPLIED and move.decided_by == district_official
    page.context.close()

    page = sign_in(browser, live_server, "kades_a")
    assert page.get_by_text("Desa Sumberjaya").first.is_visible()
    fits_the_phone(page)
    snap(page, "22-village-home-named")
    page.goto(f"{live_server.url}/kelompok/{group.pk}/")
    page.get_by_role("link", name="Keluarkan dari kelompok").click()
    assert page.get_by_role("heading", name="Keluarkan Ahmad Sanusi dari kelompok KUBE Melati?").is_visible()
    assert group.memberships.filter(household=household).exists()
    fits_the_phone(page)
    snap(page, "23-remove-member-question")
    page.get_by_role("button", name="Ya, keluarkan").click()
    assert page.get_by_text("dikeluarkan dari kelompok.").is_visible()
    assert not group.memberships.exists()
    snap(page, "24-removed-with-undo")
    page.get_by_role("button", name="Batalkan").click()
    assert page.get_by_text("kembali menjadi anggota sejak 1 Februari 2024").is_visible()
    assert group.memberships.get().joined_on == datetime.date(2024, 2, 1)
    page.context.close()

    page = sign_in(browser, live_server, "kader_a")
    page.get_by_role("link", name="+ Catat kegiatan").click()
    page.get_by_label("Mitra (PKK/posyandu)").select_option(str(partner.pk))
    page.get_by_label("Topik").select_option("nutrition")
    page.get_by_label("Judul kegiatan").fill("Kelas gizi")
    assert page.locator("[data-ticked-count]").inner_text() == "0"
    page.get_by_label("Cari nama").fill("euis")  # the script filters as one types
    assert not page.get_by_label("Ahmad Sanusi").is_visible()
    page.get_by_label("Euis Komariah").check()
    assert page.locator("[data-ticked-count]").inner_text() == "1"
    fits_the_phone(page)
    snap(page, "25-attendance-search")
    page.get_by_role("button", name="Simpan kegiatan").click()
    assert page.get_by_text("dicatat dengan 1 peserta hadir").is_visible()
    activity = Activity.objects.get(title="Kelas gizi")
    assert list(activity.attendees.values_list("full_name", flat=True)) == ["Euis Komariah"]


def test_a_village_head_keeps_the_record_right(browser, live_server, head_a):
    """On the household page the head of village A edits the address, adds a baby,
    corrects a member's NIK (a NIK of another birth date first: refused at both fields,
    the banner names them and the NIK has the focus), records the head's leaving after
    changing the head; the timeline tells every change."""
    from beneficiaries.services import register_household

    household = register_household(
        actor=head_a, village="36.01.01.2001", kk_number=make_kk(7101), address="Kp. Cikadu No. 7",
        rt="3", rw="2", desil=1,
        members=[
            {"full_name": "Ahmad Sanusi", "nik": make_nik(birth=HEAD_BIRTH, sex="L", serial=31), "sex": "L",
             "birth_date": HEAD_BIRTH, "relation": "head"},
            {"full_name": "Euis Komariah", "nik": make_nik(birth=WIFE_BIRTH, sex="P", serial=32), "sex": "P",
             "birth_date": WIFE_BIRTH, "relation": "spouse"},
            {"full_name": "Dede Sanusi", "nik": make_nik(birth=CHILD_BIRTH, sex="L", serial=33), "sex": "L",
             "birth_date": CHILD_BIRTH, "relation": "child"},
        ],
    )  # fmt: skip
    page = sign_in(browser, live_server, "kades_a")
    page.goto(f"{live_server.url}/rumah-tangga/{household.pk}/")

    page.get_by_role("link", name="Ubah alamat dan desil").click()
    page.get_by_label("Alamat").fill("Kp. Cikadu No. 9")
    page.get_by_label("Desil P3KE").select_option("2")
    snap(page, "11-edit-household")
    page.get_by_role("button", name="Simpan perubahan").click()
    assert page.get_by_text("Data rumah tangga disimpan.").is_visible()

    page.get_by_role("link", name="+ Tambah anggota").click()
    page.get_by_label("Nama lengkap").fill("Bayi Euis")
    page.get_by_label("Belum punya NIK (bayi baru lahir)").check()
    page.get_by_label("Jenis kelamin").select_option("P")
    page.get_by_label("Tanggal lahir").fill((timezone.localdate() - datetime.timedelta(days=7)).isoformat())
    page.get_by_label("Hubungan dengan kepala keluarga").select_option("child")
    page.get_by_role("button", name="Simpan anggota").click()
    assert page.get_by_text("Bayi Euis ditambahkan ke rumah tangga.").is_visible()

    page.get_by_role("link", name="Koreksi data Dede Sanusi").click()
    wrong_day = CHILD_BIRTH + datetime.timedelta(days=1)
    page.get_by_label("NIK", exact=True).fill(make_nik(birth=wrong_day, sex="L", serial=33))
    page.get_by_role("button", name="Simpan koreksi").click()
    assert "NIK ini memuat tanggal lahir 6 Juni 2011" in page.locator("#id_nik_error").inner_text()
    assert page.locator("#id_birth_date_error").is_visible()
    banner = page.locator("#form-errors")
    assert banner.get_by_role("link", name="NIK").is_visible()
    assert banner.get_by_role("link", name="Tanggal lahir").is_visible()
    assert page.evaluate("document.activeElement.name") == "nik"
    snap(page, "12-correct-nik-error")
    page.get_by_label("NIK", exact=True).fill(make_nik(birth=CHILD_BIRTH, sex="L", serial=34))
    page.get_by_role("button", name="Simpan koreksi").click()
    assert page.get_by_text("Data Dede Sanusi disimpan.").is_visible()

    page.get_by_role("link", name="Ganti kepala keluarga").click()
    page.get_by_label("Kepala keluarga baru").select_option(label="Euis Komariah (Istri/suami)")
    page.get_by_label("Kepala keluarga lama menjadi").select_option("spouse")
    snap(page, "13-change-head")
    page.get_by_role("button", name="Ganti kepala keluarga").click()
    assert page.get_by_role("heading", name="Euis Komariah").is_visible()

    page.get_by_role("link", name="Catat keluar Ahmad Sanusi").click()
    page.get_by_label("Alasan keluar").select_option("died")
    page.get_by_label("Catatan").fill("Akta kematian 4/2026")
    snap(page, "14-member-left")
    page.get_by_role("button", name="Catat keluar").click()
    assert page.get_by_text("Ahmad Sanusi dicatat keluar dari rumah tangga.").is_visible()
    record = page.locator(
        "section", has=page.get_by_role("heading", name="Riwayat data keluarga")
    ).inner_text()
    for said in ["didaftarkan dengan 3 anggota", "Alamat: Kp. Cikadu No. 7 → Kp. Cikadu No. 9",
                 "Anggota ditambahkan: Bayi Euis", "NIK dikoreksi", "Euis Komariah menjadi kepala keluarga",
                 "Ahmad Sanusi keluar dari rumah tangga: Meninggal dunia"]:  # fmt: skip
        assert said in record, said
    assert page.get_by_role("heading", name="Anggota keluarga (3)").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    snap(page, "15-household-record")
    page.context.close()


def test_the_womens_programme_fits_a_phone(browser, live_server, head_a):
    """The programme page's wide tables (the funnel, sectors against the zone's focus) scroll
    inside their card at 360 px; the page itself never scrolls sideways."""
    from beneficiaries.services.business import create_business, enrol_woman, record_followup

    household = HouseholdFactory(village_id=head_a.region_code)
    PersonFactory(household=household, full_name="Ahmad Sanusi", birth_date=HEAD_BIRTH)
    wife = PersonFactory(household=household, full_name="Euis Komariah", sex="P", relation="spouse",
                         birth_date=WIFE_BIRTH)  # fmt: skip
    enrol_woman(actor=head_a, person=wife, enrolled_on=datetime.date(2025, 1, 6))
    business = create_business(actor=head_a, name="Warung Bu Euis", sector="culinary",
                                started_on=datetime.date(2025, 2, 1), owner_person=wife,
                                sells_at_market=True)  # fmt: skip
    record_followup(actor=head_a, business=business, kind="m3", visited_on=datetime.date(2025, 5, 2),
                    status="running", monthly_revenue=1_750_000)  # fmt: skip
    page = sign_in(browser, live_server, head_a.username)
    page.goto(f"{live_server.url}/program-perempuan/")
    assert page.get_by_role("heading", name="Pemberdayaan ekonomi perempuan").is_visible()
    assert "Warung Bu Euis" in page.content() or "Euis Komariah" in page.content()
    fits_the_phone(page)
    snap(page, "20-womens-programme")
    page.context.close()
