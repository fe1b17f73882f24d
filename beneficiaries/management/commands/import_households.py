"""`manage.py import_households FILE --user USERNAME [--dry-run] [--partial]`: the admin's
import from the shell, run inline, with the same report. Exit status 1 when it refuses to
write (a refused file, or any rejected row without --partial)."""

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from beneficiaries.imports.service import run_import, start_import
from beneficiaries.models import ImportMode, ImportRun, ImportStatus
from core.errors import DomainError
from regions.models import User

SHOWN_REJECTIONS = 20


class Command(BaseCommand):
    help = "Import households and members from a P3KE/DTSEN CSV or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="the importing official (history names them)")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--partial", action="store_true", help="write the valid households only")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        actor = User.objects.filter(username=options["user"]).first()
        if actor is None:
            raise CommandError(f"{options['user']}: no such user")
        mode = (
            ImportMode.DRY_RUN
            if options["dry_run"]
            else ImportMode.PARTIAL
            if options["partial"]
            else ImportMode.COMMIT
        )
        with path.open("rb") as stream:
            try:
                run = start_import(
                    actor=actor, uploaded_file=File(stream, name=path.name), mode=mode, queue=False
                )
            except DomainError as error:
                raise CommandError(error.message) from None
        run_import(import_id=run.pk)
        run.refresh_from_db()
        self._report(run)
        if run.status != ImportStatus.DONE or (run.rejected and not options["partial"]):
            raise CommandError(run.message or f"{run.rejected} rows rejected; nothing written", returncode=1)

    def _report(self, run: ImportRun) -> None:
        out = self.stdout
        columns = run.columns or {}
        for key in ("expected", "found", "ignored", "missing"):
            out.write(f"{key} columns: {', '.join(columns.get(key, [])) or '-'}")
        out.write(f"status: {run.status} {run.message}".rstrip())
        out.write(
            f"rows read: {run.rows_read}, rejected: {run.rejected}; "
            f"valid: {run.households_valid} households, {run.persons_valid} persons; "
            f"already there: {run.households_existing} households; "
            f"written: {run.households_written} households, {run.persons_written} persons"
        )
        shown = run.rejections[:SHOWN_REJECTIONS]
        for row, column, reason in shown:
            out.write(f"  row {row} {column or '-'}: {reason}")
        more = run.rejected - len({row for row, _column, _reason in shown})
        if more > 0:
            out.write(f"  ... {more} more rejected rows (download the report in the admin)")
