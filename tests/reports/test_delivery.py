"""Sending the report through a real SMTP server, exactly once, with its chart and attachments."""

import datetime
import email
import io
from email import policy

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from openpyxl import load_workbook
from pypdf import PdfReader

from core.models import OutboxMessage
from reports import services
from reports.metrics import GROWTH_RATES
from reports.models import DeliveryEvent, ReportDelivery
from reports.tasks import dispatch_monthly_reports, send_report

from .conftest import PERIOD
from .truth import truth

PANDEGLANG = "bupati@pandeglangkab.go.id"
RATE_KEYS = {key for key, _label, _attr in GROWTH_RATES}


def received(inbox, address: str | None = None) -> list:
    return [
        email.message_from_bytes(env.content, policy=policy.default)
        for env in inbox.messages
        if address is None or address in env.rcpt_tos
    ]


def attachment(message, suffix: str) -> bytes:
    parts = [p for p in message.iter_attachments() if (p.get_filename() or "").endswith(suffix)]
    assert len(parts) == 1, suffix
    return parts[0].get_content()


def dispatch(django_capture_on_commit_callbacks, **kwargs) -> list[int]:
    with django_capture_on_commit_callbacks(execute=True):
        return services.dispatch_reports(**kwargs)


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_it_emails_each_recipient_its_report_with_chart_and_attachments(
    world, recipients, smtp, django_capture_on_commit_callbacks
):
    """The regent of Pandeglang gets one email: subject, inline chart, XLSX and PDF."""
    dispatch(django_capture_on_commit_callbacks, period=PERIOD)
    assert len(smtp.messages) == 3
    (message,) = received(smtp, PANDEGLANG)
    assert message["To"] == PANDEGLANG
    assert message["Subject"] == "Laporan bulanan pemberdayaan masyarakat Kabupaten Pandeglang, Juni 2024"
    html = message.get_body(("html",))
    assert "cid:grafik-tahap@banten-pm" in html.get_content()
    related = next(p for p in message.walk() if p.get_content_type() == "multipart/related")
    (chart,) = [p for p in related.iter_parts() if p.get_content_type() == "image/png"]
    assert chart["Content-ID"] == "<grafik-tahap@banten-pm>"
    assert chart.get_content()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Yth. Bupati Pandeglang" in message.get_body(("plain",)).get_content()
    delivery = ReportDelivery.objects.get(recipient=recipients["36.01"], period=PERIOD)
    assert delivery.status == "sent" and delivery.attempts == 1 and delivery.sent_at
    assert message["Message-ID"] == delivery.message_id


def test_its_xlsx_carries_the_figures_of_the_rows(
    world, recipients, smtp, django_capture_on_commit_callbacks
):
    """The attached XLSX, read back, holds the true totals, districts and villages as numbers."""
    dispatch(django_capture_on_commit_callbacks, period=PERIOD, region_code="36.01")
    (message,) = received(smtp, PANDEGLANG)
    wb = load_workbook(io.BytesIO(attachment(message, ".xlsx")))
    assert wb.sheetnames == ["Ringkasan", "Kecamatan", "Desa-Kelurahan", "Perempuan"]
    total = truth(world, "36.01", PERIOD)["all"]
    rows = [r for r in wb["Ringkasan"].iter_rows(min_row=6, values_only=True) if r[1]]
    assert len(rows) > 40
    for _section, key, _label, current, previous, change, cumulative in rows:
        if key in RATE_KEYS:  # shares, not counts: the renderer tests check them
            continue
        want = total.get(key, [0, 0, 0])
        assert (current, previous, change) == (want[0], want[1], want[0] - want[1]), key
        assert cumulative in (None, want[2]), key
    _check_area_sheet(wb["Kecamatan"], truth(world, "36.01", PERIOD, area_of=lambda v: v[:8]))
    _check_area_sheet(wb["Desa-Kelurahan"], truth(world, "36.01", PERIOD, area_of=lambda v: v))


def _check_area_sheet(ws, want: dict) -> None:
    keys = [c.value for c in ws[5]]
    first = next(i for i, k in enumerate(keys) if k)
    checked = 0
    for row in ws.iter_rows(min_row=6, values_only=True):
        for key, value in zip(keys[first:], row[first:], strict=True):
            if key in RATE_KEYS:  # shares (None without toddlers), checked by the renderer tests
                continue
            assert isinstance(value, int)
            assert value == want.get(row[0], {}).get(key, [0])[0], (row[0], key)
            checked += 1
    assert checked > 100


def test_its_pdf_names_the_regency_and_its_totals(
    world, recipients, smtp, django_capture_on_commit_callbacks
):
    """The PDF's text carries the regency, the month and the totals of the summary."""
    dispatch(django_capture_on_commit_callbacks, period=PERIOD, region_code="36.01")
    (message,) = received(smtp, PANDEGLANG)
    text = pdf_text(attachment(message, ".pdf"))
    total = truth(world, "36.01", PERIOD)["all"]
    assert "Kabupaten Pandeglang" in text and "Juni 2024" in text
    aid = f"Rp {total['aid_total_amount'][0]:,}".replace(",", ".")
    assert aid in text
    assert "Kecamatan berdampingan" in text and "Sumur" in text and "Cimanggu" in text


def test_it_shows_no_nik_or_name_of_a_person(world, recipients, smtp, django_capture_on_commit_callbacks):
    """No NIK and no person's name in the bodies, the XLSX or the PDF."""
    dispatch(django_capture_on_commit_callbacks, period=PERIOD, region_code="36.01")
    (message,) = received(smtp, PANDEGLANG)
    wb = load_workbook(io.BytesIO(attachment(message, ".xlsx")))
    cells = " ".join(
        str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c is not None
    )
    everything = " ".join(
        [
            message.get_body(("plain",)).get_content(),
            message.get_body(("html",)).get_content(),
            cells,
            pdf_text(attachment(message, ".pdf")),
        ]
    )
    for _id, _village, _hh, _sex, nik, name in world.persons:
        assert nik not in everything
        assert name not in everything


def test_it_sends_once_when_beat_fires_twice(world, recipients, smtp, django_capture_on_commit_callbacks):
    """The scheduled task, run twice for the same month (two beats), sends one email each."""
    task = PeriodicTask.objects.get(task="reports.tasks.dispatch_monthly_reports")
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            dispatch_monthly_reports.apply(kwargs={"period": "2024-06"}).get()
    assert task.crontab.hour == "7" and task.crontab.day_of_month == "1"
    assert sorted(e.rcpt_tos[0] for e in smtp.messages) == sorted(r.email for r in recipients.values())
    assert ReportDelivery.objects.filter(period=PERIOD).count() == 3


def test_it_sends_once_when_the_dispatcher_runs_again(
    world, recipients, smtp, django_capture_on_commit_callbacks
):
    """A second dispatcher run finds everything sent and queues nothing."""
    dispatch(django_capture_on_commit_callbacks, period=PERIOD, region_code="36.01")
    assert dispatch(django_capture_on_commit_callbacks, period=PERIOD, region_code="36.01") == []
    assert len(received(smtp, PANDEGLANG)) == 1


def test_it_does_not_send_again_when_a_sent_task_is_redelivered(recipients, smtp):
    """acks_late redelivers a task whose worker died after the send: the row says sent."""
    delivery = ReportDelivery.objects.create(recipient=recipients["36.02"], period=PERIOD)
    assert send_report.apply(args=[delivery.pk]).get() == "sent"
    assert send_report.apply(args=[delivery.pk]).get() == "sent"
    assert len(smtp.messages) == 1
    assert list(delivery.events.values_list("kind", flat=True)) == ["claimed", "sent"]


def test_it_retries_with_backoff_then_fails_then_sends_once_smtp_is_back(
    recipients, smtp, settings, django_capture_on_commit_callbacks, eager_celery
):
    """SMTP refusing: retried up to the limit, then failed with the error; the next run sends it."""
    eager_celery.task_eager_propagates = False  # eager Celery runs retries only when not propagating
    settings.REPORTS_SEND_MAX_RETRIES = 2
    smtp.refuse = True
    dispatch(django_capture_on_commit_callbacks, period=PERIOD, region_code="36.02")
    delivery = ReportDelivery.objects.get(recipient=recipients["36.02"], period=PERIOD)
    assert delivery.status == "failed" and delivery.attempts == 3
    assert "451" in delivery.last_error
    assert smtp.messages == []
    smtp.refuse = False
    dispatch(django_capture_on_commit_callbacks, period=PERIOD, region_code="36.02")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 4, "")
    assert len(smtp.messages) == 1


def test_it_backs_off_exponentially(recipients, monkeypatch, settings):
    """The countdown doubles each retry: 60 s, 120 s, 240 s..."""
    settings.REPORTS_SEND_RETRY_BACKOFF = 60
    countdowns = []

    def fake_retry(*, exc, countdown):
        countdowns.append(countdown)
        return RuntimeError("retry")

    def refuse(**kwargs):
        raise services.DeliveryFailed("451")

    monkeypatch.setattr(services, "send_delivery", refuse)
    monkeypatch.setattr(send_report, "retry", fake_retry)
    for retries in range(3):
        send_report.push_request(retries=retries)
        with pytest.raises(RuntimeError):
            send_report.run(1)
        send_report.pop_request()
    assert countdowns == [60, 120, 240]


def test_it_leaves_a_delivery_stuck_in_sending_alone(recipients, smtp, django_capture_on_commit_callbacks):
    """A worker died mid-send: nobody knows if the email left, so nothing resends it by itself."""
    delivery = ReportDelivery.objects.create(
        recipient=recipients["36.02"], period=PERIOD, status="sending", attempts=1,
        sending_started_at=timezone.now() - datetime.timedelta(hours=2), message_id="<x@banten-pm>",
    )  # fmt: skip
    assert dispatch(django_capture_on_commit_callbacks, period=PERIOD, region_code="36.02") == []
    assert send_report.apply(args=[delivery.pk]).get() == "sending"
    assert smtp.messages == []
    assert services.is_stuck(delivery)


def test_it_resends_only_on_request_and_records_who_asked(
    recipients, smtp, province, django_capture_on_commit_callbacks
):
    """ "Kirim ulang" on a sent report: a new resend row, sent once, logged with the official."""
    dispatch(django_capture_on_commit_callbacks, period=PERIOD, region_code="36.02")
    original = ReportDelivery.objects.get(recipient=recipients["36.02"], period=PERIOD)
    with django_capture_on_commit_callbacks(execute=True):
        resend = services.request_resend(delivery=original, actor=province)
    resend.refresh_from_db()
    assert (resend.is_resend, resend.resend_of, resend.requested_by, resend.status) == (
        True,
        original,
        province,
        "sent",
    )
    assert resend.message_id != original.message_id
    assert len(smtp.messages) == 2
    assert DeliveryEvent.objects.filter(delivery=original, kind="resend", actor=province).exists()


def test_it_refuses_a_resend_from_an_official_of_another_regency(recipients, north_official):
    """Kota Tangerang's official cannot resend Lebak's report."""
    delivery = ReportDelivery.objects.create(recipient=recipients["36.02"], period=PERIOD)
    with pytest.raises(services.DomainError) as err:
        services.request_resend(delivery=delivery, actor=north_official)
    assert err.value.code == "forbidden"
    assert ReportDelivery.objects.count() == 1


def test_it_queues_after_the_transaction_commits(recipients, django_capture_on_commit_callbacks, monkeypatch):
    """The sends are written to the outbox with the delivery rows; none is published before
    the transaction commits, then one per delivery."""
    queued = []
    monkeypatch.setattr(send_report, "apply_async", lambda args, **options: queued.append(args[0]))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ids = services.dispatch_reports(period=PERIOD)
        assert queued == []
        kept = OutboxMessage.objects.filter(task="reports.tasks.send_report", sent_at__isnull=True)
        assert sorted(m.args[0] for m in kept) == sorted(ids)
    assert len(callbacks) == 3
    for callback in callbacks:
        callback()
    assert sorted(queued) == sorted(ids) and len(ids) == 3


def test_it_claims_a_delivery_once(recipients):
    """Two workers claiming the same row: one gets it."""
    delivery = ReportDelivery.objects.create(recipient=recipients["36.02"], period=PERIOD)
    first = services._claim(delivery.pk)
    assert first is not None and first.status == "sending"
    assert services._claim(delivery.pk) is None


def test_it_releases_a_stuck_delivery_only_on_an_officials_request(
    recipients, smtp, province, django_capture_on_commit_callbacks
):
    """After checking the mail log, "Kirim ulang" on a stuck row releases it (logged) and sends once."""
    delivery = ReportDelivery.objects.create(
        recipient=recipients["36.02"], period=PERIOD, status="sending", attempts=1,
        sending_started_at=timezone.now() - datetime.timedelta(hours=2),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.request_resend(delivery=delivery, actor=province)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert DeliveryEvent.objects.filter(delivery=delivery, kind="released", actor=province).exists()
    assert len(smtp.messages) == 1


def test_it_refuses_to_touch_a_delivery_that_is_sending_right_now(recipients, province):
    """A row claimed a minute ago may be mid-send: no release yet."""
    delivery = ReportDelivery.objects.create(
        recipient=recipients["36.02"], period=PERIOD, status="sending", sending_started_at=timezone.now()
    )
    with pytest.raises(services.DomainError) as err:
        services.request_resend(delivery=delivery, actor=province)
    assert err.value.code == "conflict"
