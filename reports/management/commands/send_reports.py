"""`manage.py send_reports --period 2024-06 [--regency 36.02] [--dry-run --out DIR]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from reports import services


class Command(BaseCommand):
    help = (
        "Kirim laporan bulanan ke penerima aktif (atau, dengan --dry-run, tulis .eml, .xlsx dan .pdf "
        "ke folder --out tanpa mengirim apa pun)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="Bulan laporan, TTTT-BB, misalnya 2024-06.")
        parser.add_argument("--regency", help="36 untuk provinsi, atau kode kabupaten/kota, misalnya 36.02.")
        parser.add_argument("--dry-run", action="store_true", help="Tulis berkas saja; tidak mengirim.")
        parser.add_argument("--out", help="Folder tujuan berkas untuk --dry-run.")

    def handle(self, *args, period, regency, dry_run, out, **options):
        try:
            day = services.parse_period(period)
            if dry_run:
                return self._dry_run(day, regency, out)
            ids = services.dispatch_reports(period=day, region_code=regency)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{len(ids)} laporan masuk antrean pengiriman untuk {day:%m-%Y}.")

    def _dry_run(self, day, regency, out):
        if not out:
            raise CommandError("--dry-run memerlukan --out FOLDER.")
        for code in services.report_regions(regency):
            for path in services.write_report_files(region_code=code, period=day, out_dir=Path(out)):
                self.stdout.write(str(path))
