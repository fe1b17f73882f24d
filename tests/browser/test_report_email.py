"""The report email in a real browser: Debian's Chromium through Playwright renders the HTML
body as a phone (360 px) and a desktop (1280 px) would. At 360 px nothing scrolls sideways
and no label wraps; screenshots go to test-output/screenshots/report-email-*.png."""

import datetime
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string

from reports.metrics import METRICS, RUPIAH, Value
from reports.renderers import render_chart, report_context
from reports.renderers.pdf import data_uri
from reports.selectors import report_figures

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
REQUIRE = os.environ.get("BANTEN_REQUIRE_SERVICES") == "1"
SHOTS = Path(settings.BASE_DIR) / "test-output" / "screenshots"
PERIOD = datetime.date(2026, 11, 1)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db,
    pytest.mark.skipif(
        not REQUIRE and not (Path(CHROMIUM).exists() and shutil.which(CHROMIUM)),
        reason="Debian's chromium is not installed",
    ),
]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        yield browser
        browser.close()


def widest_figures(region_code: str):
    """The report of a region with the longest numbers it could carry: billions of rupiah,
    thousands of cases, changes with a sign, in every area, so the widest cells are drawn."""
    figures = report_figures(region_code=region_code, period=PERIOD)
    for i, area in enumerate([figures.total, *figures.areas]):
        for key, metric in METRICS.items():
            big = 98_765_432_100 if metric.unit == RUPIAH else 12_345
            cumulative = None if metric.stock else big * 3
            area.figures[key] = Value(current=big - i, previous=big // 2, cumulative=cumulative)
    return figures


def email_html(region_code: str) -> str:
    figures = widest_figures(region_code)
    context = report_context(figures, chart_src=data_uri(render_chart(figures)))
    return render_to_string("emails/report-body-html.html", context)


# Line boxes of each label: an inline element's client rects are one per line it takes.
LABEL_LINES = """() => Array.from(document.querySelectorAll('[data-label]'))
    .map(el => [el.textContent.trim(), el.getClientRects().length])"""


@pytest.mark.parametrize("region_code", ["36", "36.01"])
def test_the_email_fits_a_phone_with_labels_on_one_line(browser, region_code):
    """At 360 px the document is no wider than the screen, the chart fits, and every label
    of the figures and the areas stays on one line; at 1280 px the column stays 640 px."""
    context = browser.new_context(viewport={"width": 360, "height": 780})
    page = context.new_page()
    page.set_content(email_html(region_code))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.evaluate("document.querySelector('img').getBoundingClientRect().right") <= 360
    labels = page.evaluate(LABEL_LINES)
    assert len(labels) > 20
    assert [text for text, lines in labels if lines != 1] == []
    name = "report-email" if region_code == "36" else "report-email-regency"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-360.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    column = page.evaluate("document.querySelector('[data-column]').getBoundingClientRect().width")
    assert column == 640
    page.screenshot(path=str(SHOTS / f"{name}-1280.png"), full_page=True)
    context.close()
