"""Posyandu pages: the cadre's monthly session (a row per toddler, saved with or without
JavaScript), the child's page with its growth chart and follow-up, and who may see them."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from beneficiaries.models import Intervention, Measurement
from beneficiaries.services import growth
from tests.factories import (
    VILLAGE_A,
    VILLAGE_B,
    HouseholdFactory,
    PersonFactory,
    PosyanduFactory,
    ToddlerFactory,
)

WIB = ZoneInfo("Asia/Jakarta")
BIRTH = datetime.date(2023, 1, 10)  # 26 months on 20 March 2025
TODAY = datetime.date(2025, 3, 20)
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def march_2025():
    moment = datetime.datetime(2025, 3, 20, 0, 30, tzinfo=WIB)  # still the 19th in UTC
    with time_machine.travel(moment.astimezone(datetime.UTC), tick=False):
        yield


def toddler(name="Rizky", *, village=VILLAGE_A, birth=BIRTH, sex="L"):
    household = HouseholdFactory(village_id=village)
    PersonFactory(household=household, full_name=f"Ibu {name}", sex="P")
    return ToddlerFactory(household=household, birth_date=birth, full_name=name, sex=sex)


@pytest.fixture
def child(db):
    return toddler()


def row(person, **values):
    """The POST data of a person's row on the session page."""
    data = {"measured_on": TODAY.isoformat(), "weight_kg": "12,2", "height_cm": "88", "position": "standing"}
    data.update(values)
    return {f"a{person.pk}-{k}": v for k, v in data.items()}


def measure_url(person) -> str:
    return reverse("growth_measure", args=[person.pk])


def session_html(client, **params) -> str:
    response = client.get(reverse("growth_session"), params)
    assert response.status_code == 200
    return response.content.decode()


# ---------------------------------------------------------------- the session list


def test_the_session_lists_the_villages_toddlers_with_last_months_values(client, cadre, child):
    """Known toddlers with age and February's weight, height and status in words; a child
    never measured under "Balita baru"; a 6-year-old and village B's toddler not at all."""
    growth.record_measurement(
        actor=cadre,
        person=child,
        measured_on=datetime.date(2025, 2, 12),
        weight_kg="11.0",
        height_cm="80.0",
        position="standing",
    )
    newcomer = toddler("Putri", sex="P", birth=datetime.date(2024, 9, 1))
    toddler("Bagas", birth=datetime.date(2019, 1, 1))
    toddler("Dewi", village=VILLAGE_B)
    client.force_login(cadre)
    html = session_html(client)
    known, new = html.split('id="new-title"')
    assert f'id="anak-{child.pk}"' in known and "Rizky" in known
    assert "26 bulan" in known
    assert "11 kg · 80 cm" in known and "pendek" in known
    assert f'id="anak-{newcomer.pk}"' in new and "6 bulan" in new
    assert "Bagas" not in html and "Dewi" not in html
    assert (
        "Bulan ini sudah diukur: <b data-measured-count>0</b> dari 2 balita" in html
    )  # the known and the new one


def test_the_session_offers_lying_under_24_months_and_standing_from_24(client, cadre, child):
    """The position chosen in advance follows the WHO rule of the child's age."""
    baby = toddler("Putri", birth=datetime.date(2024, 9, 1))
    client.force_login(cadre)
    html = session_html(client)
    baby_row = html.split(f'id="anak-{baby.pk}"')[1].split("</li>")[0]
    child_row = html.split(f'id="anak-{child.pk}"')[1].split("</li>")[0]
    assert '<option value="lying" selected>' in baby_row
    assert '<option value="standing" selected>' in child_row


def test_the_village_head_opens_the_session_and_a_district_official_chooses_the_village(
    client, head_a, district_official, child
):
    """The head lands on their village; an official above picks it with ?desa=."""
    client.force_login(head_a)
    assert "Rizky" in session_html(client)
    client.force_login(district_official)
    assert "Rizky" in session_html(client, desa=VILLAGE_A)
    assert client.get(reverse("growth_session")).status_code == 404


# ---------------------------------------------------------------- saving a row


def test_a_row_saves_without_javascript_and_comes_back_to_its_anchor(client, cadre, child):
    """A normal POST writes the measurement (comma read as the decimal point) and redirects
    to the row's anchor; the row then shows the status in words."""
    posyandu = PosyanduFactory(region_code=VILLAGE_A)
    client.force_login(cadre)
    response = client.post(
        measure_url(child) + f"?tanggal={TODAY}&posyandu={posyandu.pk}",
        row(child, weight_kg="11,0", height_cm="80,0", posyandu=str(posyandu.pk)),
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#anak-{child.pk}")
    saved = Measurement.objects.get(person=child)
    assert (str(saved.weight_kg), str(saved.height_cm), saved.position) == ("11.00", "80.0", "standing")
    assert saved.haz_status == "stunted" and saved.posyandu == posyandu and saved.recorded_by == cadre
    html = client.get(response["Location"]).content.decode()
    assert "Pengukuran Rizky disimpan: pendek" in html
    assert 'badge badge-growth-warn"><span class="indicator">TB/U</span> pendek' in html


def test_a_row_saves_with_fetch_and_answers_with_the_row_alone(client, cadre, child):
    """With the script's header the answer is the row's HTML (no page), with the status."""
    client.force_login(cadre)
    response = client.post(measure_url(child), row(child, weight_kg="9", height_cm="88"), **FETCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<li class="growth-row is-measured" id="anak-{child.pk}"')
    assert "<html" not in html
    assert "Tersimpan." in html and "gizi buruk" in html and "badge-growth-bad" in html
    assert Measurement.objects.filter(person=child, whz_status="severely_wasted").exists()


@pytest.mark.parametrize("headers", [{}, FETCH], ids=["form", "fetch"])
@pytest.mark.parametrize(
    ("values", "label", "message"),
    [
        ({"weight_kg": "55"}, "Berat (kg)", "Berat badan harus antara"),
        ({"height_cm": "20"}, "Panjang/tinggi (cm)", "harus antara"),
        ({"weight_kg": "abc"}, "Berat (kg)", "Isi berat badan dengan angka."),
        ({"weight_kg": ""}, "Berat (kg)", "Isi berat badan."),
        ({"muac_cm": "2"}, "LiLA (cm)", "LiLA harus antara 5 dan 30 cm"),
    ],
)
def test_it_refuses_a_wrong_value_naming_the_field_and_writes_nothing(
    client, cadre, child, headers, values, label, message
):
    """Refused in Indonesian with the field named in the row's banner; nothing written."""
    client.force_login(cadre)
    response = client.post(measure_url(child), row(child, **values), **headers)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Belum tersimpan:" in html and f">{label}</a>: " in html and message in html
    assert not Measurement.objects.exists()


def test_it_refuses_a_date_in_the_future_and_before_birth(client, cadre, child):
    """The session's date is checked by the service too."""
    client.force_login(cadre)
    for day in ("2025-03-21", "2022-12-31"):
        response = client.post(measure_url(child), row(child, measured_on=day), **FETCH)
        assert response.status_code == 400
    assert not Measurement.objects.exists()


def test_saving_the_same_day_again_corrects_that_measurement(client, cadre, child):
    """A second save of the row on the same day corrects it (recomputed), never a second row."""
    client.force_login(cadre)
    client.post(measure_url(child), row(child, height_cm="80"), **FETCH)
    response = client.post(measure_url(child), row(child, height_cm="88"), **FETCH)
    assert response.status_code == 200
    assert "Perbaiki" in response.content.decode()
    only = Measurement.objects.get(person=child)
    assert (str(only.height_cm), only.haz_status) == ("88.0", "normal")


# ---------------------------------------------------------------- who may


def test_it_answers_404_for_another_villages_child(client, head_b, child):
    """Village B's head can neither save nor open village A's toddler, nor A's session."""
    client.force_login(head_b)
    assert client.post(measure_url(child), row(child)).status_code == 404
    assert client.get(reverse("child_detail", args=[child.pk])).status_code == 404
    assert client.get(reverse("child_chart", args=[child.pk, "tb-u"])).status_code == 404
    assert client.get(reverse("growth_session"), {"desa": VILLAGE_A}).status_code == 404
    assert not Measurement.objects.exists()


def test_it_refuses_a_user_with_no_region(client, stranger, child):
    """No region, no village: 404, nothing written."""
    client.force_login(stranger)
    assert client.get(reverse("growth_session")).status_code == 404
    assert client.post(measure_url(child), row(child)).status_code == 404
    assert not Measurement.objects.exists()


def test_it_sends_the_signed_out_to_the_login_page(client, child):
    """Signed out: to the login page, nothing written."""
    response = client.post(measure_url(child), row(child))
    assert response.status_code == 302 and "/masuk/" in response["Location"]
    assert not Measurement.objects.exists()


# ---------------------------------------------------------------- the child's page


def stunted_child(cadre, child):
    growth.record_measurement(
        actor=cadre,
        person=child,
        measured_on=datetime.date(2025, 2, 12),
        weight_kg="11.0",
        height_cm="80.0",
        position="standing",
    )
    return child.growth_followups.get()


def test_the_childs_page_shows_the_charts_measurements_and_follow_up(client, cadre, child):
    """Both charts, each measurement with its z-scores (Indonesian decimal comma) and the
    open follow-up with its reasons and the intervention form."""
    stunted_child(cadre, child)
    client.force_login(cadre)
    html = client.get(reverse("child_detail", args=[child.pk])).content.decode()
    assert reverse("child_chart", args=[child.pk, "tb-u"]) in html
    assert reverse("child_chart", args=[child.pk, "bb-u"]) in html
    assert "12 Februari 2025" in html and "z-skor TB/U -2,56 · BB/U -1,01 · BB/TB 0,47" in html
    assert "Berjalan" in html and "pendek/sangat pendek (stunting)" in html
    assert "Catat intervensi" in html


def test_it_records_an_intervention_from_the_childs_page(client, cadre, child):
    """The form on the open follow-up writes the intervention and returns to it."""
    followup = stunted_child(cadre, child)
    client.force_login(cadre)
    url = reverse("child_detail", args=[child.pk])
    response = client.post(url, {"given_on": "2025-03-01", "kind": "pmt", "note": "Biskuit PMT 30 hari"})
    assert response.status_code == 302 and response["Location"].endswith("#pendampingan")
    given = Intervention.objects.get()
    assert (given.followup, given.kind, given.recorded_by, given.note) == (
        followup,
        "pmt",
        cadre,
        "Biskuit PMT 30 hari",
    )
    assert "Pemberian makanan tambahan (PMT)" in client.get(url).content.decode()


def test_it_refuses_an_intervention_before_the_follow_up_opened(client, cadre, child):
    """The service's refusal shows on the form; nothing written."""
    stunted_child(cadre, child)
    client.force_login(cadre)
    response = client.post(
        reverse("child_detail", args=[child.pk]), {"given_on": "2025-01-01", "kind": "pmt"}
    )
    assert response.status_code == 200
    assert "sebelum pendampingan dibuka" in response.content.decode()
    assert not Intervention.objects.exists()


def test_it_closes_a_follow_up_with_a_reason_from_the_childs_page(client, cadre, child):
    """Without JavaScript: the close form ends the open follow-up (moved, with the note),
    by the cadre, today, and the page shows it finished; no form is left to close it again."""
    followup = stunted_child(cadre, child)
    client.force_login(cadre)
    url = reverse("child_detail", args=[child.pk])
    assert "Selesaikan pendampingan" in client.get(url).content.decode()
    response = client.post(url, {"aksi": "selesai", "selesai-reason": "moved", "selesai-note": " Ikut orang tua "})
    assert response.status_code == 302 and response["Location"].endswith("#pendampingan")
    followup.refresh_from_db()
    assert (followup.status, followup.close_reason, followup.close_note, followup.closed_by, followup.closed_on) == (
        "closed", "moved", "Ikut orang tua", cadre, datetime.date(2025, 3, 20),
    )  # fmt: skip
    html = client.get(url).content.decode()
    assert "Selesai" in html and "Pindah" in html and 'name="aksi"' not in html
    assert not Intervention.objects.exists()


def test_it_rejects_closing_for_another_reason_without_a_note(client, cadre, child):
    """'Lainnya' needs a note: refused in Indonesian on the note field; a missing reason is
    refused naming the reason; the follow-up stays open."""
    followup = stunted_child(cadre, child)
    client.force_login(cadre)
    url = reverse("child_detail", args=[child.pk])
    html = client.post(url, {"aksi": "selesai", "selesai-reason": "other", "selesai-note": " "}).content.decode()
    assert "Tuliskan alasannya di catatan." in html
    html = client.post(url, {"aksi": "selesai", "selesai-reason": ""}).content.decode()
    assert "Pilih alasan selesai pendampingan." in html
    followup.refresh_from_db()
    assert followup.status == "open"


def test_closing_a_follow_up_out_of_region_answers_as_missing(client, head_b, north_official, cadre, child):
    """A village head of another village and an official of another regency get 404, as
    for a child that does not exist; nothing changes."""
    followup = stunted_child(cadre, child)
    for outsider in (head_b, north_official):
        client.force_login(outsider)
        response = client.post(
            reverse("child_detail", args=[child.pk]), {"aksi": "selesai", "selesai-reason": "died"}
        )
        assert response.status_code == 404
    followup.refresh_from_db()
    assert followup.status == "open"


def test_the_chart_is_an_svg_at_a_fixed_number_of_queries(client, cadre, child):
    """Two WHO charts for the child's sex with the child's points; the same queries for
    one measurement or twelve."""
    client.force_login(cadre)
    growth.record_measurement(
        actor=cadre,
        person=child,
        measured_on=datetime.date(2024, 3, 12),
        weight_kg="9.6",
        height_cm="76.0",
        position="lying",
    )

    def fetch(indicator):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("child_chart", args=[child.pk, indicator]))
        assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
        assert response.content.startswith(b"<?xml") and b"<svg" in response.content
        return len(ctx.captured_queries)

    few = fetch("tb-u")
    for month in range(4, 15):
        day = datetime.date(2024 + (month - 1) // 12, (month - 1) % 12 + 1, 12)
        growth.record_measurement(
            actor=cadre,
            person=child,
            measured_on=day,
            weight_kg="10.0",
            height_cm="80.0",
            position="lying" if month < 10 else "standing",
        )
    assert fetch("tb-u") == few
    assert fetch("bb-u") == few
    assert client.get(reverse("child_chart", args=[child.pk, "x"])).status_code == 404


def test_the_session_runs_the_same_queries_for_4_or_84_toddlers(client, cadre):
    """The session reads toddlers, their last two months and the posyandus at a fixed cost,
    a page (25) of the known toddlers and one of the new at a time."""

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("growth_session")).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(cadre)
    for i in range(3):
        growth.record_measurement(
            actor=cadre,
            person=toddler(f"A{i}"),
            measured_on=datetime.date(2025, 2, 3),
            weight_kg="12",
            height_cm="88",
            position="standing",
        )
    toddler("C-first")  # a new one too: an empty list is one query less
    small = count()
    for i in range(40):  # past a page of each list
        growth.record_measurement(
            actor=cadre,
            person=toddler(f"B{i}"),
            measured_on=datetime.date(2025, 3, 3),
            weight_kg="12",
            height_cm="88",
            position="standing",
        )
        toddler(f"C{i}")
    assert count() == small


def test_the_session_shows_a_page_of_toddlers_and_counts_them_all(client, cadre):
    """30 known toddlers: 20 on the first page, 10 on the second; the header counts every
    toddler and every one measured this month, whatever the page; a row's form keeps the
    page it was saved from; a page past the end is the last."""
    client.force_login(cadre)
    for i in range(30):
        growth.record_measurement(
            actor=cadre, person=toddler(f"K{i:02d}"), measured_on=datetime.date(2025, 3, 3),
            weight_kg="12", height_cm="88", position="standing",
        )  # fmt: skip
    first = client.get(reverse("growth_session")).content.decode()
    second = client.get(reverse("growth_session") + "?halaman=2").content.decode()
    assert first.count('class="growth-row') == 20 and second.count('class="growth-row') == 10
    assert "Halaman 1 dari 2" in first and "Halaman 2 dari 2" in second
    assert "Bulan ini sudah diukur: <b data-measured-count>30</b> dari 30 balita" in second
    assert 'halaman=2" class="growth-form"' in second
    past_the_end = client.get(reverse("growth_session") + "?halaman=9").content.decode()
    assert past_the_end.count('class="growth-row') == 10 and "Halaman 2 dari 2" in past_the_end
    assert "<b data-measured-count>30</b> dari 30 balita" in past_the_end


def test_the_session_pages_new_toddlers_ten_at_a_time(client, cadre):
    """12 members never measured: 10 new rows on the first page, 2 on the second
    (`baru=2`), and the heading counts all 12."""
    client.force_login(cadre)
    for i in range(12):
        toddler(f"N{i:02d}")
    first = client.get(reverse("growth_session")).content.decode()
    second = client.get(reverse("growth_session") + "?baru=2").content.decode()
    assert first.count('class="growth-row') == 10 and second.count('class="growth-row') == 2
    assert "Balita baru dari anggota rumah tangga (12)" in first
    assert 'baru=2" class="growth-form"' in second


# ---------------------------------------------------------------- home pages, household, attention


def march_month(cadre):
    """Village A in March 2025: Rizky stunted, Putri normal, Bagas not measured yet."""
    stunted, normal = toddler("Rizky"), toddler("Putri", sex="P")
    toddler("Bagas")
    for child, height in ((stunted, "80.0"), (normal, "88.0")):
        growth.record_measurement(
            actor=cadre, person=child, measured_on=datetime.date(2025, 3, 3),
            weight_kg="11.0", height_cm=height, position="standing",
        )  # fmt: skip
    return stunted


def tile(html: str, label: str) -> str:
    """The number of the tile whose caption starts with `label`."""
    return html.split(label)[0].rsplit("<b>", 1)[1].split("</b>")[0]


def test_the_village_home_shows_this_months_growth_figures(client, head_a, cadre):
    """2 of 3 measured (66,7 %), 1 stunted (50,0 %), 0 wasted, 1 in follow-up."""
    march_month(cadre)
    client.force_login(head_a)
    html = client.get(reverse("home")).content.decode()
    assert "Pertumbuhan balita, Maret 2025" in html
    assert tile(html, "</b><span>diukur dari 3 balita (66,7%)") == "2"
    assert tile(html, "</b><span>pendek/sangat pendek (stunting) · 50,0%") == "1"
    assert tile(html, "</b><span>dalam pendampingan") == "1"
    assert reverse("growth_session") in html


def test_the_district_home_shows_each_village_side_by_side(client, district_official, cadre):
    march_month(cadre)
    client.force_login(district_official)
    html = client.get(reverse("home")).content.decode()
    assert tile(html, "</b><span>diukur dari 3 balita") == "2"
    assert '<th scope="row">SUMBERJAYA</th><td class="num">2/3</td>' in html.replace(
        "Sumberjaya", "SUMBERJAYA"
    )


def test_the_household_page_links_the_toddler_and_shows_the_follow_up(client, head_a, cadre):
    child = march_month(cadre)
    client.force_login(head_a)
    html = client.get(reverse("household_detail", args=[child.household_id])).content.decode()
    assert reverse("child_detail", args=[child.pk]) in html
    assert "Pendampingan balita" in html and "pendek/sangat pendek (stunting)" in html
    assert "belum punya kasus aktif" in html


def test_the_attention_list_names_the_growth_reasons(client, head_a, cadre):
    """The stunted child in follow-up, and its household without a case to enrol."""
    child = march_month(cadre)
    client.force_login(head_a)
    html = client.get(reverse("attention_list")).content.decode()
    assert "Balita dalam pendampingan (1)" in html and child.full_name in html
    assert "Rumah tangga balita stunting/wasting tanpa kasus (1)" in html
    assert reverse("household_detail", args=[child.household_id]) in html
