"""Limits on how fast one user may read (issue 11: a province official pulled 178 full NIKs
in 60 detail calls). Counted per user in the shared cache, so every web process counts
together. Writes are not limited here: the services refuse what may not be written."""

import math

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException, Throttled
from rest_framework.throttling import UserRateThrottle

# Detail reads that show a person's identity numbers in full (to those who may see them).
IDENTITY_DETAILS = {"person", "household"}


class ReadThrottle(UserRateThrottle):
    """Every read (GET, HEAD, OPTIONS) of the API: API_READ_RATE per user."""

    scope = "read"

    def get_rate(self) -> str:
        return settings.API_READ_RATE

    def allow_request(self, request, view) -> bool:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            return True
        return super().allow_request(request, view)


class IdentityReadThrottle(ReadThrottle):
    """Detail reads of a person or a household (their NIKs and KK): API_IDENTITY_READ_RATE."""

    scope = "identity"

    def get_rate(self) -> str:
        return settings.API_IDENTITY_READ_RATE

    def allow_request(self, request, view) -> bool:
        if (
            getattr(view, "basename", None) not in IDENTITY_DETAILS
            or getattr(view, "action", None) != "retrieve"
        ):
            return True
        return super().allow_request(request, view)


class ReadsThrottled(Throttled):
    """429 in Indonesian, with Retry-After (DRF's handler sets it from `wait`)."""

    def __init__(self, wait: float | None) -> None:
        seconds = math.ceil(wait or 60)
        APIException.__init__(
            self,
            _("Terlalu banyak permintaan data. Coba lagi dalam %(minutes)d menit.")
            % {"minutes": max(1, math.ceil(seconds / 60))},
        )
        self.wait = seconds
