"""`manage.py subject_report --nik N [--out DIR] [--user USERNAME]`: everything held about
one person (UU 27/2022), written as `<DIR>/laporan-subjek-<id>-<date>.json` and `.pdf` for
an official to hand over. The run is written to the personal-data access log."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from beneficiaries.models import Person
from beneficiaries.subject_report import make_subject_report
from core.access import access_context
from core.errors import DomainError
from regions.models import User


class Command(BaseCommand):
    help = "Write everything held about one person (by NIK) as JSON and PDF."

    def add_arguments(self, parser):
        parser.add_argument("--nik", required=True, help="the person's NIK, whole")
        parser.add_argument("--out", default=".", help="the folder to write to (default: here)")
        parser.add_argument("--user", help="the official who asked (the access log names them)")

    def handle(self, *args, **options):
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"{options['user']}: no such user")
        person = Person.objects.select_related("household").filter(nik=options["nik"].strip()).first()
        if person is None:  # the NIK is not echoed: it would land in the shell's log
            raise CommandError("no person with this NIK")
        with access_context(path="manage.py subject_report"):
            try:
                report = make_subject_report(person=person, actor=actor)
            except DomainError as error:
                raise CommandError(error.message) from None
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        for suffix, content in ((".json", report.json), (".pdf", report.pdf)):
            path = out / f"{report.basename}{suffix}"
            path.write_bytes(content)
            self.stdout.write(str(path))
