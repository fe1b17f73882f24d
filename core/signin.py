"""One limit on sign-in failures for every door (the pages' /masuk/, /admin/login/ and the
API's token endpoint), kept by django-axes.

Every door calls `django.contrib.auth.authenticate`, and axes' backend (first in
AUTHENTICATION_BACKENDS) refuses there, before the password is checked, while the
username or the client address is locked. So a session from /masuk/ cannot be used to
get round the API's limit: it is the same count, in the same table (axes' AccessAttempt).

Failures count per username (LOGIN_FAILURE_LIMIT) and per address
(LOGIN_FAILURE_LIMIT_PER_ADDRESS, higher: a village office shares one address) over the
cool-off (LOGIN_COOLOFF_MINUTES) since the last failure. Every attempt, refused or not, is
logged on the `banten_pm.signin` logger with the username, the address and the door, never
the password.
"""

import ipaddress
import logging
import math
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models import Max, Q, Sum
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

log = logging.getLogger("banten_pm.signin")
UNKNOWN_ADDRESS = "0.0.0.0"
USERNAME_FIELD = "username"  # axes' AXES_USERNAME_FORM_FIELD, as every door names it


def client_address(request: HttpRequest) -> str:
    """The client's address. REMOTE_ADDR, unless TRUSTED_PROXY_COUNT proxies (that rewrite
    X-Forwarded-For) stand in front: then the address the nearest of them saw. A client
    can write any X-Forwarded-For it likes; only the entries our proxies appended count."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if proxies and len(forwarded) >= proxies:
        return _address(forwarded[-proxies])
    return _address(request.META.get("REMOTE_ADDR", ""))


def _address(text: str) -> str:
    """A valid IP address, as axes stores it (PostgreSQL's inet refuses anything else);
    a missing or malformed one counts as UNKNOWN_ADDRESS, one bucket for all of them."""
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return UNKNOWN_ADDRESS


def username_of(request: HttpRequest, credentials: dict | None) -> str:
    """The username a failure counts against (AXES_USERNAME_CALLABLE), without regard to
    case and spaces: "KADES_A " and "kades_a" are one count."""
    if credentials:
        value = credentials.get(USERNAME_FIELD)
    else:
        value = getattr(request, "data", request.POST).get(USERNAME_FIELD)
    return str(value or "").strip().lower()


class SignInHandler(AxesDatabaseHandler):
    """Axes' database handler with two limits: axes compares one count against
    AXES_FAILURE_LIMIT (the per-username limit), so an address that reached its own,
    higher, limit is reported as at the username limit."""

    def get_failures(self, request, credentials=None) -> int:
        counts = [
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        by_username = counts[0] if counts else 0
        by_address = counts[1] if len(counts) > 1 else 0
        if by_address >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS:
            return max(by_username, settings.AXES_FAILURE_LIMIT)
        return by_username

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A success clears the username's failures only: one good account must not
        reset an address that is guessing at others."""
        attempts = self.filter_user_attempts(request, credentials)[:1]
        return sum(qs.delete()[0] for qs in attempts)


def wait_seconds(request: HttpRequest, credentials: dict | None) -> int:
    """Seconds until the lock on this username or address lifts: the cool-off counted from
    the latest failure that holds it."""
    cool_off = get_cool_off(request) or timedelta(0)
    username = username_of(request, credentials)
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    since = timezone.now() - cool_off
    latest = (
        AccessAttempt.objects.filter(attempt_time__gte=since)
        .filter(Q(username=username) | Q(ip_address=address))
        .aggregate(latest=Max("attempt_time"))["latest"]
    )
    if latest is None:
        return int(cool_off.total_seconds())
    return max(1, math.ceil((latest + cool_off - timezone.now()).total_seconds()))


def locked_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return _("Terlalu banyak percobaan masuk. Coba lagi dalam %(minutes)d menit.") % {"minutes": minutes}


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """What a locked door answers (AXES_LOCKOUT_CALLABLE): 429 with Retry-After; JSON for
    the API, a page for people."""
    seconds = wait_seconds(request, credentials)
    message = locked_message(seconds)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def _door(request: HttpRequest | None) -> str:
    return getattr(request, "path", "") or "-"


@receiver(user_login_failed, dispatch_uid="banten_pm.signin.failed")
def log_failure(sender, credentials, request=None, **kwargs):
    # Django has already replaced the password in `credentials`; log only the username.
    log.warning(
        "sign-in refused: username=%r ip=%s door=%s locked=%s",
        (credentials or {}).get("username", ""),
        client_address(request) if request is not None else "-",
        _door(request),
        bool(getattr(request, "axes_locked_out", False)),
    )


@receiver(user_logged_in, dispatch_uid="banten_pm.signin.succeeded")
def log_success(sender, request, user, **kwargs):
    log.info(
        "sign-in: username=%r ip=%s door=%s",
        user.get_username(),
        client_address(request) if request is not None else "-",
        _door(request),
    )
