"""The posyandu session and the child's page in a real browser at 360 px: a cadre records a
measurement (the script sends the row and swaps in the answer), a wrong weight is refused
on its field, and the child's page shows the charts. Screenshots to test-output/screenshots/."""

import datetime

from django.utils import timezone

from beneficiaries.models import Measurement
from beneficiaries.services import growth
from tests.browser.test_village_pages import browser, pytestmark, sign_in, snap  # noqa: F401
from tests.factories import HouseholdFactory, PersonFactory, PosyanduFactory, ToddlerFactory


def test_a_cadre_records_a_measurement_on_a_phone(browser, live_server, cadre):  # noqa: F811
    """Last month's weighing is shown; this month's is typed with a decimal comma, saved
    without reloading the page, and its status appears in words; 55 kg is refused."""
    today = timezone.localdate()
    household = HouseholdFactory()
    PersonFactory(household=household, full_name="Euis Komariah", sex="P")
    child = ToddlerFactory(
        household=household,
        full_name="Rizky Ramadhan",
        sex="L",
        birth_date=today - datetime.timedelta(days=800),
    )
    other = ToddlerFactory(
        household=household, full_name="Nayla Putri", sex="P", birth_date=today - datetime.timedelta(days=200)
    )
    PosyanduFactory(region_code=child.household.village_id, name="Posyandu Melati Sumberjaya")
    last_month = today.replace(day=1) - datetime.timedelta(days=10)
    growth.record_measurement(
        actor=cadre,
        person=child,
        measured_on=last_month,
        weight_kg="10.9",
        height_cm="83.0",
        position="standing",
    )
    page = sign_in(browser, live_server, "kader_a")
    page.get_by_role("link", name="Posyandu").first.click()
    row = page.locator(f"#anak-{child.pk}")
    assert "Bulan lalu: 10,9 kg · 83 cm" in row.inner_text()
    row.get_by_label("Berat (kg)").fill("11,2")
    row.get_by_label("Panjang/tinggi (cm)").fill("84,1")
    row.get_by_role("button", name="Simpan").click()
    saved = page.locator(f"#anak-{child.pk} .growth-result")
    saved.get_by_text("Tersimpan.").wait_for()
    assert "TB/U" in saved.inner_text() and "N: naik" in saved.inner_text()
    assert page.locator("[data-measured-count]").inner_text() == "1"  # the header follows the saved row
    measurement = Measurement.objects.get(person=child, measured_on=today)
    assert (str(measurement.weight_kg), str(measurement.height_cm)) == ("11.20", "84.1")
    snap(page, "growth-session")

    baby = page.locator(f"#anak-{other.pk}")
    baby.get_by_label("Berat (kg)").fill("55")
    baby.get_by_label("Panjang/tinggi (cm)").fill("64")
    baby.get_by_role("button", name="Simpan").click()
    banner = page.locator(f"#anak-{other.pk} [role=alert]")
    banner.wait_for()
    assert "Berat (kg)" in banner.inner_text() and "Berat badan harus antara" in banner.inner_text()
    assert not Measurement.objects.filter(person=other).exists()
    snap(page, "growth-session-refused")

    page.locator(f"#anak-{child.pk}").get_by_role("link", name="Rizky Ramadhan").click()
    page.get_by_role("heading", name="Grafik pertumbuhan (standar WHO)").wait_for()
    page.wait_for_load_state("networkidle")
    charts = page.locator(".growth-charts img")
    assert charts.count() == 2
    for i in range(2):  # each chart's SVG came back and was drawn
        assert charts.nth(i).evaluate("img => img.complete && img.naturalWidth") > 0
    snap(page, "growth-child")
