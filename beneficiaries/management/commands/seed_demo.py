import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from beneficiaries.demo import Seeder, build_plan, demo_anchor, demo_second_factor, logins
from core.errors import DomainError
from core.formatting import long_date


class Command(BaseCommand):
    help = (
        "Fill a development database with demo data: households over four regencies, cases at "
        "every stage and state, aid, groups, enterprises, activities, and one login per role. "
        "Deterministic and safe to run again (what exists is kept)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="run even when DEBUG is off (the demo logins share a published password)",
        )

    def handle(self, *args, force: bool, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "seed_demo hanya untuk pengembangan: DEBUG mati, dan pengguna demo memakai kata "
                    "sandi yang diketahui umum. Tambahkan --force bila memang disengaja."
                )
            )
        started = time.monotonic()
        plan = build_plan(demo_anchor(timezone.localdate()))
        try:
            counts = Seeder(plan).run()
        except DomainError as error:
            raise CommandError(_("Data demo ditolak: %(errors)s") % {"errors": error.errors}) from None
        self.stdout.write(
            _("Data demo (tanggal sampai %(day)s), %(seconds).1f detik:")
            % {"day": long_date(plan.anchor), "seconds": time.monotonic() - started}
        )
        for name, (total, added) in counts.items():
            self.stdout.write(
                _("  %(name)s: %(total)d (%(added)d baru)") % {"name": name, "total": total, "added": added}
            )
        self.stdout.write("")
        self.write_logins()

    def write_logins(self) -> None:
        header = (_("nama pengguna"), _("peran"), _("wilayah"), _("kata sandi"))
        rows = [header, *logins()]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        self.stdout.write(self.style.SUCCESS(_("Login demo (hanya untuk pengembangan):")))
        for i, row in enumerate(rows):
            self.stdout.write(" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
            if i == 0:
                self.stdout.write("-+-".join("-" * w for w in widths))
        key, code = demo_second_factor()
        self.stdout.write(
            _(
                "Admin (superuser, pejabat provinsi dan kabupaten/kota) meminta kode kedua (TOTP): "
                "tambahkan kunci %(key)s di aplikasi autentikator, atau pakai kode saat ini "
                "%(code)s (berganti tiap 30 detik)."
            )
            % {"key": key, "code": code}
        )
