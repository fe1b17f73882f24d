from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Laporan bulanan")

    def ready(self) -> None:
        from . import demo, tallies, tasks  # noqa: F401  registers the Celery tasks the services queue by name

        demo.connect()  # the demo's report recipients, added when seed_demo runs
        tallies.connect()  # the village-month tallies follow every save of aid and moves
