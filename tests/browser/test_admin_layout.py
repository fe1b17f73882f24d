"""The admin laid out for its screens: at 360 px (a phone) and 1280 px (a laptop) the
dashboard, a list, a change form, a decision page and the report preview fit the window with
no sideways scroll, pass axe-core (no serious or critical finding), and the dashboard's
table of cases per stage shows every column. Screenshots go to
test-output/screenshots/admin-*.png."""

from django.urls import reverse

from regions.models import User
from regions.second_factor import set_known_device
from tests.admin.conftest import build_village
from tests.browser.audit import csp_breaches, violations, watch_csp
from tests.browser.test_village_pages import DESKTOP, PHONE, SHOTS, browser  # noqa: F401  (fixture)
from tests.browser.test_village_pages import pytestmark as village_marks
from tests.conftest import TEST_TOTP_KEY, totp_code
from tests.factories import VILLAGE_A, VILLAGE_B, ProgramFactory

pytestmark = village_marks  # marked `browser`, skipped (outside CI) without Chromium

WIDTHS = {"360": PHONE, "1280": DESKTOP}


def sign_in_to_admin(browser, live_server, username: str):  # noqa: F811
    """Password at /admin/login/, then the second factor's code, as an official does."""
    set_known_device(user=User.objects.get(username=username), key_hex=TEST_TOTP_KEY)
    context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    page = context.new_page()
    watch_csp(page)
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.fill("[name=username]", username)
    page.fill("[name=password]", "rahasia-123")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    assert reverse("second_factor_verify") in page.url, page.url
    page.get_by_label("Kode 6 angka").fill(totp_code())
    page.get_by_role("button", name="Verifikasi").click()
    page.wait_for_load_state()
    return page


def overflow(page) -> dict:
    """How far the document, and any scroll box inside the dashboard table's card, is wider
    than what shows."""
    return page.evaluate(
        """() => {
            const doc = document.documentElement;
            const box = document.querySelector('#cases-by-stage')?.parentElement;
            return {
                page: doc.scrollWidth - window.innerWidth,
                table: box ? box.scrollWidth - box.clientWidth : 0,
            };
        }"""
    )


def test_the_admin_fits_a_phone_and_a_laptop(browser, live_server, province, head_a, head_b):  # noqa: F811
    """Dashboard, case list, case form, decision and report preview: no sideways scroll at 360 or 1280 px, and every
    column of the cases-per-stage table in view."""
    program = ProgramFactory(name="Bantuan Pangan Banten")
    a = build_village(VILLAGE_A, "Sumberjaya-A", 101, head_a, program)
    build_village(VILLAGE_B, "Kertajaya-B", 202, head_b, program)
    page = sign_in_to_admin(browser, live_server, province.username)
    assert page.url == f"{live_server.url}{reverse('admin:index')}"  # landed on the admin
    SHOTS.mkdir(parents=True, exist_ok=True)
    pages = {
        "index": reverse("admin:index"),
        "case-list": reverse("admin:beneficiaries_case_changelist"),
        "case-form": reverse("admin:beneficiaries_case_change", args=[a.case.pk]),
        "decide": reverse("admin:beneficiaries_stagetransition_approve_detail", args=[a.move.pk]),
        "report-preview": reverse("admin:reports_preview") + "?region=36.01",
    }
    too_wide = []
    for name, url in pages.items():
        for width, viewport in WIDTHS.items():
            page.set_viewport_size(viewport)
            page.goto(f"{live_server.url}{url}")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(SHOTS / f"admin-{name}-{width}.png"), full_page=True)
            measured = overflow(page)
            if measured["page"] > 0:
                too_wide.append(f"{name} at {width} px: page {measured['page']} px too wide")
            if name == "index" and measured["table"] > 0:
                too_wide.append(f"{name} at {width} px: table hides {measured['table']} px")
            too_wide += [f"{name} at {width} px: {v}" for v in violations(page)]
    assert not too_wide, "\n".join(too_wide)
    # the preview frame shows the email (it was blank while its srcdoc was cut short)
    frame = page.frame_locator("iframe[title='Pratinjau email']")
    assert "Kabupaten Pandeglang" in frame.locator("body").inner_text()


def test_a_csp_breach_fails_the_walk(browser, live_server, province):  # noqa: F811
    """The listener works: an inline style slipped into a page is refused by the browser
    and reported, so every audited page would fail on one."""
    page = sign_in_to_admin(browser, live_server, province.username)
    page.goto(f"{live_server.url}/masuk/")
    assert csp_breaches(page) == []
    page.evaluate("""document.body.insertAdjacentHTML('beforeend', '<p style="color: red">x</p>')""")
    page.wait_for_timeout(200)
    breaches = csp_breaches(page)
    assert breaches and any("style" in b for b in breaches), breaches
