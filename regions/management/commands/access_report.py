"""`manage.py access_report --user U --since DATE [--until DATE]`: what one account
processed (the breach playbook in SECURITY.md): every access-log row of the account, then
a summary by kind with the number of distinct records and rows."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Sum
from django.utils import timezone

from core.models import AccessLog
from regions.models import User


def _day(text: str, option: str) -> datetime.datetime:
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option}: a date as YYYY-MM-DD, not {text!r}") from None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class Command(BaseCommand):
    help = "Print what one account saw or took from the personal-data access log."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="the username")
        parser.add_argument("--since", required=True, help="first day, YYYY-MM-DD (Asia/Jakarta)")
        parser.add_argument("--until", help="last day, YYYY-MM-DD (default: today)")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"{options['user']}: no such user")
        rows = AccessLog.objects.filter(actor=user, at__gte=_day(options["since"], "--since"))
        if options["until"]:
            rows = rows.filter(at__lt=_day(options["until"], "--until") + datetime.timedelta(days=1))
        out = self.stdout
        out.write("at\tkind\tobject\trows\tregion\tpath\taddress")
        for row in rows.order_by("at", "id").iterator(chunk_size=2000):
            at = timezone.localtime(row.at).isoformat(timespec="seconds")
            obj = f"{row.object_type}:{row.object_id}" if row.object_id else row.object_type
            out.write(
                f"{at}\t{row.kind}\t{obj}\t{row.row_count}\t{row.region_code}\t{row.path}\t{row.address or ''}"
            )
        summary = rows.values("kind", "object_type").annotate(
            entries=Count("id"), records=Count("object_id", distinct=True), total=Sum("row_count")
        )
        out.write("")
        out.write("kind\tobject type\tentries\tdistinct records\trows")
        for line in summary.order_by("kind", "object_type"):
            out.write(
                f"{line['kind']}\t{line['object_type']}\t{line['entries']}\t{line['records']}\t{line['total']}"
            )
