"""Writes of the monthly report: dispatch, send exactly once, resend on request, dry runs.

Exactly once, per delivery row:
- the dispatcher creates at most one normal row per (recipient, period) (a database
  constraint) and queues a send task per row after the transaction commits;
- a send claims the row with a conditional UPDATE from queued/failed to `sending` (after
  `select_for_update(skip_locked=True)` on PostgreSQL), sends, then marks it `sent` with its
  Message-ID. A duplicate or redelivered task finds the row no longer claimable and stops;
- a row left in `sending` (the worker died between the SMTP call and the mark) is never sent
  again automatically: nobody knows whether the server accepted the email. An official
  checks the mail log for its Message-ID and, if it is not there, releases and resends it
  from the admin (`request_resend`), which is recorded.
"""

import datetime
import logging
import smtplib
from email.utils import make_msgid
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from beneficiaries import growth_tally
from core import outbox
from core.access import record_access
from core.errors import DomainError
from core.models import AccessKind
from regions import policy
from regions.models import PROVINCE_CODE, Regency, User

from .models import DeliveryEvent, DeliveryStatus, ReportDelivery, ReportRecipient, is_report_region
from .renderers import render_report
from .selectors import previous_period, report_figures

log = logging.getLogger(__name__)

CLAIMABLE = (DeliveryStatus.QUEUED, DeliveryStatus.FAILED)
STUCK_AFTER = datetime.timedelta(minutes=30)
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)


class DeliveryFailed(Exception):
    """The mail server refused or could not be reached; the row is `failed`, a retry may help."""


def parse_period(text: str) -> datetime.date:
    """`2024-06` -> 1 June 2024; a DomainError for anything else."""
    try:
        return datetime.datetime.strptime(text.strip(), "%Y-%m").date()
    except (ValueError, AttributeError):
        raise DomainError(_("Periode harus berbentuk TTTT-BB, misalnya 2024-06."), field="period") from None


def check_region(code: str) -> str:
    if is_report_region(code):
        return code
    raise DomainError(
        _("Wilayah harus 36 (provinsi) atau kode kabupaten/kota, misalnya 36.02."), field="region"
    )


def _event(delivery: ReportDelivery, kind: str, detail: str = "", actor: User | None = None) -> None:
    DeliveryEvent.objects.create(delivery=delivery, kind=kind, detail=detail[:2000], actor=actor)


SEND_TASK = "reports.tasks.send_report"


def _queue_on_commit(ids: list[int]) -> None:
    """Queue one send per delivery in the caller's transaction, through the outbox: the
    sends exist exactly when the rows are committed, and are published after commit (or by
    the drain, if the broker is down). By name: services never import the task module."""
    outbox.enqueue_each(SEND_TASK, ids)


@transaction.atomic
def dispatch_reports(*, period: datetime.date | None = None, region_code: str | None = None) -> list[int]:
    """Make sure every active recipient has its delivery of `period` (default: last month)
    and queue a send for each one not sent yet. Running it twice queues nothing twice that
    could be sent twice: the send claims the row."""
    period = (period or previous_period()).replace(day=1)
    # The report's growth figures read a closed month's toddlers: close it here, so a
    # report never depends on the daily beat having run.
    growth_tally.close_months()
    recipients = ReportRecipient.objects.filter(active=True)
    if region_code:
        recipients = recipients.filter(region_code=check_region(region_code))
    for recipient in recipients:
        delivery, created = ReportDelivery.objects.get_or_create(
            recipient=recipient, period=period, is_resend=False
        )
        if created:
            _event(delivery, DeliveryEvent.Kind.QUEUED)
    due = ReportDelivery.objects.select_for_update(skip_locked=True).filter(
        recipient__in=recipients, period=period, is_resend=False, status__in=CLAIMABLE
    )
    ids = []
    for delivery in due:
        if delivery.status == DeliveryStatus.FAILED:
            ReportDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.FAILED).update(
                status=DeliveryStatus.QUEUED, updated_at=timezone.now()
            )
            _event(delivery, DeliveryEvent.Kind.REQUEUED, delivery.last_error)
        ids.append(delivery.pk)
    _queue_on_commit(ids)
    return ids


def send_delivery(*, delivery_id: int) -> str:
    """Send one delivery if it is still to be sent. Returns its status afterwards."""
    delivery = ReportDelivery.objects.select_related("recipient").filter(pk=delivery_id).first()
    if delivery is None or delivery.status not in CLAIMABLE:
        return delivery.status if delivery else "missing"
    # Render before claiming: the window in which a dying worker leaves a row `sending`
    # is then only the SMTP conversation.
    try:
        bundle = render_report(
            report_figures(region_code=delivery.recipient.region_code, period=delivery.period),
            recipient=delivery.recipient,
        )
    except Exception as exc:
        _fail_unclaimed(delivery, exc)
        raise
    delivery = _claim(delivery_id)
    if delivery is None:
        return "skipped"
    try:
        bundle.email(to=[delivery.recipient.email], message_id=delivery.message_id).send(fail_silently=False)
    except TRANSIENT_ERRORS as exc:
        _mark_failed(delivery, exc)
        raise DeliveryFailed(str(exc)) from exc
    _mark_sent(delivery)
    # The attachments (XLSX, PDF) left the system: an export, by the system, to the recipient.
    record_access(
        actor=None, kind=AccessKind.EXPORT, obj=delivery, region_code=delivery.recipient.region_code
    )
    return DeliveryStatus.SENT


@transaction.atomic
def _claim(delivery_id: int) -> ReportDelivery | None:
    """queued/failed -> sending, atomically; None when another worker has it or it is done."""
    locked = (
        ReportDelivery.objects.select_for_update(skip_locked=True)
        .filter(pk=delivery_id, status__in=CLAIMABLE)
        .first()
    )
    if locked is None:
        return None
    message_id = locked.message_id or make_msgid(idstring=f"laporan.{delivery_id}", domain="banten-pm")
    claimed = ReportDelivery.objects.filter(pk=delivery_id, status__in=CLAIMABLE).update(
        status=DeliveryStatus.SENDING,
        attempts=F("attempts") + 1,
        sending_started_at=timezone.now(),
        message_id=message_id,
        updated_at=timezone.now(),
    )
    if not claimed:
        return None
    delivery = ReportDelivery.objects.select_related("recipient").get(pk=delivery_id)
    _event(delivery, DeliveryEvent.Kind.CLAIMED, _("Percobaan ke-%(n)s") % {"n": delivery.attempts})
    return delivery


@transaction.atomic
def _mark_sent(delivery: ReportDelivery) -> None:
    now = timezone.now()
    ReportDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.SENT, sent_at=now, last_error="", updated_at=now
    )
    _event(delivery, DeliveryEvent.Kind.SENT, delivery.message_id)
    log.info("report delivery %s sent as %s", delivery.pk, delivery.message_id)


@transaction.atomic
def _mark_failed(delivery: ReportDelivery, exc: BaseException) -> None:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    ReportDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.FAILED, last_error=error, updated_at=timezone.now()
    )
    _event(delivery, DeliveryEvent.Kind.FAILED, error)
    log.warning("report delivery %s failed: %s", delivery.pk, error)


@transaction.atomic
def _fail_unclaimed(delivery: ReportDelivery, exc: BaseException) -> None:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    ReportDelivery.objects.filter(pk=delivery.pk, status__in=CLAIMABLE).update(
        status=DeliveryStatus.FAILED, last_error=error, updated_at=timezone.now()
    )
    _event(delivery, DeliveryEvent.Kind.FAILED, error)


def is_stuck(delivery: ReportDelivery, *, now: datetime.datetime | None = None) -> bool:
    started = delivery.sending_started_at
    return delivery.status == DeliveryStatus.SENDING and (
        started is None or started < (now or timezone.now()) - STUCK_AFTER
    )


RECIPIENT_FIELDS = frozenset({"region_code", "title", "name", "email", "active"})


@transaction.atomic
def save_recipient(*, actor: User, recipient: ReportRecipient | None = None, **fields) -> ReportRecipient:
    """Add a recipient (`recipient` None) or change one: only of a report the official reads,
    before and after the change (a regency official cannot take over the governor's)."""
    unknown = set(fields) - RECIPIENT_FIELDS
    if unknown:
        raise DomainError(_("Isian tidak dikenal: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    stored = None
    if recipient is not None and recipient.pk:
        stored = ReportRecipient.objects.select_for_update().get(pk=recipient.pk)
    region_code = fields.get("region_code", stored.region_code if stored else "")
    if not is_report_region(region_code):
        raise DomainError(
            _("Isi 36 (provinsi) atau kode kabupaten/kota yang dikenal, misalnya 36.02."), field="region_code"
        )
    policy.ensure_may_manage_recipient(actor, region_code, stored)
    recipient = stored or ReportRecipient()
    for name, value in fields.items():
        setattr(recipient, name, value)
    try:
        recipient.full_clean()
    except ValidationError as error:
        raise DomainError.from_validation_error(error) from None
    recipient.save()
    return recipient


@transaction.atomic
def request_resend(*, delivery: ReportDelivery, actor: User) -> ReportDelivery:
    """The admin's "Kirim ulang": a sent report is sent again as a new resend row; a failed
    one is queued again; one stuck in `sending` is released (the official has checked the
    mail log) and queued again. Each is recorded with the official who asked."""
    policy.ensure(policy.may_resend(actor), _("Anda tidak berwenang mengirim ulang laporan."))
    visible = ReportDelivery.objects.visible_to(actor).filter(pk=getattr(delivery, "pk", delivery))
    delivery = visible.select_for_update().first()
    if delivery is None or not policy.may_resend(actor, delivery.recipient.region_code):
        raise DomainError(_("Anda tidak berwenang atas pengiriman ini."), code=DomainError.FORBIDDEN)
    if delivery.status == DeliveryStatus.SENT:
        return _new_resend(delivery, actor)
    if delivery.status == DeliveryStatus.FAILED or is_stuck(delivery):
        kind = (
            DeliveryEvent.Kind.RELEASED
            if delivery.status == DeliveryStatus.SENDING
            else DeliveryEvent.Kind.REQUEUED
        )
        ReportDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.QUEUED, updated_at=timezone.now()
        )
        _event(delivery, kind, delivery.last_error, actor=actor)
        _queue_on_commit([delivery.pk])
        delivery.refresh_from_db()
        return delivery
    raise DomainError(
        _("Pengiriman ini masih %(status)s; tunggu sampai selesai.")
        % {"status": delivery.get_status_display()},
        code=DomainError.CONFLICT,
    )


def _new_resend(delivery: ReportDelivery, actor: User) -> ReportDelivery:
    origin = delivery.resend_of or delivery
    open_resend = origin.resends.filter(status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING]).exists()
    if open_resend:
        raise DomainError(_("Kirim ulang laporan ini sudah dalam antrean."), code=DomainError.CONFLICT)
    resend = ReportDelivery.objects.create(
        recipient=origin.recipient, period=origin.period, is_resend=True, resend_of=origin, requested_by=actor
    )
    _event(
        resend, DeliveryEvent.Kind.RESEND, _("Kirim ulang dari pengiriman #%(id)s") % {"id": origin.pk}, actor
    )
    _event(origin, DeliveryEvent.Kind.RESEND, _("Dikirim ulang sebagai #%(id)s") % {"id": resend.pk}, actor)
    _queue_on_commit([resend.pk])
    return resend


def write_report_files(*, region_code: str, period: datetime.date, out_dir: Path) -> list[Path]:
    """A dry run: the email (.eml), the XLSX and the PDF of one report, written to `out_dir`."""
    region_code = check_region(region_code)
    recipients = list(ReportRecipient.objects.filter(active=True, region_code=region_code))
    bundle = render_report(
        report_figures(region_code=region_code, period=period),
        recipient=recipients[0] if recipients else None,
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    message = bundle.email(to=[r.email for r in recipients], message_id=make_msgid(domain="banten-pm"))
    files = {
        f"{bundle.basename}.eml": message.message().as_bytes(),
        f"{bundle.basename}.xlsx": bundle.xlsx,
        f"{bundle.basename}.pdf": bundle.pdf,
    }
    for name, content in files.items():
        (out_dir / name).write_bytes(content)
    return [out_dir / name for name in files]


def report_regions(region_code: str | None = None) -> list[str]:
    """The reports a run covers: one region, or the province and every regency."""
    if region_code:
        return [check_region(region_code)]
    return [PROVINCE_CODE, *Regency.objects.filter(~Q(is_active=False)).values_list("code", flat=True)]
