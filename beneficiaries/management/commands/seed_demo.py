import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from banten_pm.errors import DomainError
from beneficiaries.demo import Seeder, build_plan, demo_anchor, logins


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
                "seed_demo is for development: DEBUG is off, and the demo users have a known "
                "password. Use --force if you really mean it."
            )
        started = time.monotonic()
        plan = build_plan(demo_anchor(timezone.localdate()))
        try:
            counts = Seeder(plan).run()
        except DomainError as error:
            raise CommandError(f"Demo data refused: {error.errors}") from None
        self.stdout.write(
            f"Demo data (dates up to {plan.anchor:%d-%m-%Y}), {time.monotonic() - started:.1f} s:"
        )
        for name, (total, added) in counts.items():
            self.stdout.write(f"  {name}: {total} ({added} baru)")
        self.stdout.write("")
        self.write_logins()

    def write_logins(self) -> None:
        header = ("username", "peran", "wilayah", "password")
        rows = [header, *logins()]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        line = "-+-".join("-" * w for w in widths)
        self.stdout.write(self.style.SUCCESS("Demo logins (development only):"))
        for i, row in enumerate(rows):
            self.stdout.write(" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
            if i == 0:
                self.stdout.write(line)
