from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """REST API v1: an edge over the services and selectors of the apps below it."""

    name = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (tokens end with a password change)
