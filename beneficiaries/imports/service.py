"""Starting and running an import: the one path the admin, the command and the task share."""

import csv
import hashlib
import logging
from collections.abc import Iterator

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import outbox
from core.errors import DomainError
from regions import policy
from regions.models import User
from regions.selectors import scope_of

from ..models import ImportMode, ImportRun, ImportStatus
from ..models.imports import ACTIVE_STATUSES
from .engine import Result, process
from .files import RefusedFile, inspect

log = logging.getLogger(__name__)
RUN_TASK = "beneficiaries.tasks.run_import"  # by name: the service never imports the task module
COUNTERS = ("rows_read", "rejected", "households_valid", "persons_valid", "households_existing",
            "households_written", "persons_written")  # fmt: skip


def checksum_of(uploaded_file: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest()


def start_import(*, actor: User, uploaded_file: UploadedFile, mode: str, queue: bool = True) -> ImportRun:
    """Keep the upload and its checksum, and queue the run (on commit). The same file while
    another run of it is queued or running is refused (a database constraint backs this)."""
    policy.ensure_may_import(actor)
    if mode not in ImportMode.values:
        raise DomainError(_("Mode impor tidak dikenal."), field="mode")
    checksum = checksum_of(uploaded_file)
    run = ImportRun(
        file_name=(uploaded_file.name or "")[-255:],
        checksum=checksum,
        size=uploaded_file.size or 0,
        mode=mode,
        created_by=actor,
        region_code=scope_of(actor).code,
    )
    try:
        with transaction.atomic():
            if ImportRun.objects.filter(checksum=checksum, status__in=ACTIVE_STATUSES).exists():
                raise IntegrityError
            run.file.save(run.file_name.rsplit("/", 1)[-1] or "impor", uploaded_file, save=False)
            run.save()
            if queue:  # in the same transaction: the run and its task are kept together
                outbox.enqueue(RUN_TASK, run.pk)
    except IntegrityError:
        if run.file:
            run.file.delete(save=False)
        raise DomainError(
            _("Berkas yang sama sedang diimpor; tunggu sampai impor itu selesai."),
            field="file",
            code=DomainError.CONFLICT,
        ) from None
    return run


def run_import(*, import_id: int) -> ImportRun | None:
    """Run a queued import once (a second delivery of the task finds it taken)."""
    claimed = ImportRun.objects.filter(pk=import_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    run = ImportRun.objects.select_related("created_by").get(pk=import_id)
    try:
        _run(run)
    except RefusedFile as refused:
        _finish(run, ImportStatus.REFUSED, str(refused))
    except DomainError as error:
        _finish(run, ImportStatus.REFUSED, error.message)
    except Exception as exc:
        log.exception("import %s failed", run.pk)
        lost = _reconnect_if_lost(exc)
        run.refresh_from_db(fields=COUNTERS)  # what the batches already wrote (partial mode)
        _finish(
            run,
            ImportStatus.FAILED,
            _connection_lost(run) if lost else _("Impor gagal karena kesalahan sistem."),
        )
    return run


def _reconnect_if_lost(exc: BaseException) -> bool:
    """After a failure: was it the database connection (a restart, a failover, a terminated
    backend; raised by Django or, from COPY, by the driver itself)? Then drop the connection
    if it is still the broken one, so the next query opens a new one and the run can still
    be marked failed."""
    driver = connection.Database  # type: ignore[attr-defined]  # each backend keeps its DB-API module
    kinds = (OperationalError, InterfaceError, driver.OperationalError, driver.InterfaceError)
    lost = isinstance(exc, kinds) or isinstance(exc.__cause__ or exc.__context__, kinds)
    if lost:
        connection.close_if_unusable_or_obsolete()
    return lost


def _connection_lost(run: ImportRun) -> str:
    """The database went away mid-run (a restart, a failover): what was kept, and what to do.
    A commit run writes in one transaction, so nothing of it was kept; a partial run keeps
    the batches committed before the loss. Rerunning the same file writes only the rest."""
    if run.mode == ImportMode.COMMIT:
        kept = _("Tidak ada yang ditulis.")
    else:
        kept = _("%(n)d keluarga sudah tertulis sebelum terputus.") % {"n": run.households_written}
    return " ".join(
        [
            _("Impor terhenti: koneksi ke basis data terputus."),
            kept,
            _("Impor ulang berkas yang sama; hanya yang belum tertulis yang akan ditulis."),
        ]
    )


class _Refused(Exception):
    """Raised inside the writing transaction to roll it back."""

    def __init__(self, result: Result) -> None:
        self.result = result


def _run(run: ImportRun) -> None:
    actor = run.created_by
    policy.ensure_may_import(actor)
    if not run.file:
        raise RefusedFile(_("Berkas tidak tersimpan."))
    reason = _("Impor %(name)s") % {"name": run.file_name}
    with run.file.open("rb") as stream:
        kind, encoding = inspect(stream, run.size)
        checked = process(stream, kind, encoding, actor=actor, write=run.mode == ImportMode.PARTIAL,
                          reason=reason, progress=lambda r: _progress(run, r))  # fmt: skip
        _keep(run, checked)
        if run.mode == ImportMode.COMMIT and not checked.rejected:
            try:
                with transaction.atomic():
                    written = process(stream, kind, encoding, actor=actor, write=True, reason=reason)
                    if written.rejected:  # someone registered a number meanwhile
                        raise _Refused(written)
            except _Refused as refused:
                _keep(run, refused.result)
                return _finish(run, ImportStatus.REFUSED, _refusal(refused.result))
            _keep(run, written)
    if run.mode == ImportMode.COMMIT and run.rejected:
        return _finish(run, ImportStatus.REFUSED, _refusal(checked))
    _finish(run, ImportStatus.DONE, "")


def _refusal(result: Result) -> str:
    return _("Tidak ada yang ditulis: %(n)d baris ditolak (mode semua atau tidak sama sekali).") % {
        "n": result.rejected
    }


def _progress(run: ImportRun, result: Result) -> None:
    """Counters written at once (outside any long transaction), so the page can show them."""
    ImportRun.objects.filter(pk=run.pk).update(**{name: getattr(result, name) for name in COUNTERS})


def _keep(run: ImportRun, result: Result) -> None:
    """The counters, the first rejections on the run, and every rejection in the report
    file beside the upload (the run's page and the download read it; nothing holds them
    all in memory)."""
    for name in COUNTERS:
        setattr(run, name, getattr(result, name))
    run.columns = result.columns
    run.rejections = [[r.row, r.column, r.reason] for r in result.rejections]
    storage, name = run.file.storage, report_name(run)
    if storage.exists(name):
        storage.delete(name)
    if result.rejections_total > len(result.rejections):
        _save_report(run, result)
    result.close()


def report_name(run: ImportRun) -> str:
    """Where every rejection of a run is kept, as CSV, when there are more than the run
    itself keeps: beside the uploaded file."""
    return f"{run.file.name}.ditolak.csv"


def _save_report(run: ImportRun, result: Result) -> None:
    path = run.file.storage.path(report_name(run))
    with open(path, "w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(result.every_rejection())


def rejections_of(run: ImportRun) -> Iterator[list]:
    """Every rejection of a run, in file order: from the report file when the run keeps
    only the first ones, else from the run."""
    storage, name = run.file.storage, report_name(run)
    if not run.file or not storage.exists(name):
        yield from run.rejections
        return
    with storage.open(name, "r") as source:
        for row, column, reason in csv.reader(source):
            yield [int(row), column, reason]


def _finish(run: ImportRun, status: str, message: str) -> None:
    run.status = status
    run.message = message
    run.finished_at = timezone.now()
    run.save()
