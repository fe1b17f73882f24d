"""`manage.py drain_outbox`: queue every task the outbox kept while the broker was down."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core import outbox
from core.models import OutboxMessage


class Command(BaseCommand):
    help = "Mengirim ke antrean Celery setiap tugas di antrean keluar yang belum terkirim."

    def handle(self, *args, **options) -> None:
        published = outbox.drain()
        left = OutboxMessage.objects.filter(sent_at__isnull=True).count()
        self.stdout.write(_("%(n)d tugas dikirim ke antrean.") % {"n": published})
        if left:
            last = OutboxMessage.objects.filter(sent_at__isnull=True).order_by("-pk").first()
            raise CommandError(
                _("%(n)d tugas belum terkirim; galat terakhir: %(error)s")
                % {"n": left, "error": last.last_error if last else ""}
            )
