"""Renderers turn one `ReportFigures` into the chart, the email, the XLSX and the PDF.

None of them computes a figure: they format what the selector gave them."""

from .bundle import ReportBundle, render_report
from .chart import render_chart
from .context import report_context
from .pdf import render_pdf
from .xlsx import render_xlsx

__all__ = ["ReportBundle", "render_chart", "render_pdf", "render_report", "render_xlsx", "report_context"]
