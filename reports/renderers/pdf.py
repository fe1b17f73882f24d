"""The printable PDF: the same summary and chart as the email, every figure, A4."""

import base64
import logging

from django.conf import settings
from django.template.loader import render_to_string

from ..selectors import ReportFigures
from .context import report_context

# WeasyPrint logs every layout step at INFO; a worker log needs only its warnings.
logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def render_pdf(figures: ReportFigures, *, chart_png: bytes) -> bytes:
    from weasyprint import HTML  # heavy import: only where a PDF is made

    html = render_to_string("reports/report_pdf.html", report_context(figures, chart_src=data_uri(chart_png)))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
