from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeneficiariesConfig(AppConfig):
    name = "beneficiaries"
    verbose_name = _("Penerima manfaat")

    def ready(self) -> None:
        from . import growth_tally

        growth_tally.connect()  # the growth village-months follow every save of a measurement
