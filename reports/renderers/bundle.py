"""One report as everything that is sent or written: subject, bodies, chart, XLSX, PDF.

The email is multipart/mixed: an alternative of the text body and a multipart/related HTML
body carrying the chart (Content-ID), then the XLSX and PDF attachments."""

from dataclasses import dataclass
from email.mime.image import MIMEImage

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEMultipart
from django.template.loader import render_to_string

from ..selectors import ReportFigures
from .chart import render_chart
from .context import report_context
from .pdf import render_pdf
from .xlsx import render_xlsx

CHART_CID = "grafik-tahap@banten-pm"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class ReportBundle:
    figures: ReportFigures
    subject: str
    text: str
    html: str
    chart_png: bytes
    xlsx: bytes
    pdf: bytes

    @property
    def basename(self) -> str:
        return f"laporan-{self.figures.region_code}-{self.figures.period:%Y-%m}"

    def email(self, *, to: list[str], message_id: str = "") -> EmailMultiAlternatives:
        headers = {"Message-ID": message_id} if message_id else {}
        msg = RelatedEmail(self.subject, self.text, settings.DEFAULT_FROM_EMAIL, to, headers=headers)
        msg.attach_alternative(self.html, "text/html")
        msg.related.append(_inline_png(self.chart_png, CHART_CID, "grafik-tahap.png"))
        msg.attach(f"{self.basename}.xlsx", self.xlsx, XLSX_TYPE)
        msg.attach(f"{self.basename}.pdf", self.pdf, "application/pdf")
        return msg


class RelatedEmail(EmailMultiAlternatives):
    """Puts the HTML body and its inline images in one multipart/related part."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.related: list[MIMEImage] = []

    def _create_alternatives(self, msg):
        msg = super()._create_alternatives(msg)
        if self.related and msg.is_multipart():
            parts = msg.get_payload()
            related = SafeMIMEMultipart(
                _subtype="related", encoding=self.encoding or settings.DEFAULT_CHARSET
            )
            related.attach(parts[-1])
            for image in self.related:
                related.attach(image)
            parts[-1] = related
        return msg


def _inline_png(png: bytes, cid: str, filename: str) -> MIMEImage:
    image = MIMEImage(png, "png")
    image.add_header("Content-ID", f"<{cid}>")
    image.add_header("Content-Disposition", "inline", filename=filename)
    return image


def render_report(figures: ReportFigures, *, recipient=None) -> ReportBundle:
    chart = render_chart(figures)
    context = report_context(figures, chart_src=f"cid:{CHART_CID}", recipient=recipient)
    subject = " ".join(render_to_string("emails/report-subject.txt", context).split())
    return ReportBundle(
        figures=figures,
        subject=subject,
        text=render_to_string("emails/report-body-text.txt", context),
        html=render_to_string("emails/report-body-html.html", context),
        chart_png=chart,
        xlsx=render_xlsx(figures),
        pdf=render_pdf(figures, chart_png=chart),
    )
