"""Turns every refusal into the API's error shapes.

400 and 409: `{field: [messages]}` (nested serializer errors flattened to `members.0.nik`,
as the services name them); 401, 403, 404, 429: `{"detail": message}`. A DomainError's
code decides the status, so the services stay the only place that decides.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import IntegrityError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from core.errors import DomainError

DOMAIN_STATUS = {
    DomainError.INVALID: status.HTTP_400_BAD_REQUEST,
    DomainError.FORBIDDEN: status.HTTP_403_FORBIDDEN,
    DomainError.NOT_FOUND: status.HTTP_404_NOT_FOUND,
    DomainError.CONFLICT: status.HTTP_409_CONFLICT,
    DomainError.RATE_LIMITED: status.HTTP_429_TOO_MANY_REQUESTS,
}
NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


def flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """`{"members": [{"nik": ["..."]}]}` -> `{"members.0.nik": ["..."]}`."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            key = NON_FIELD if key == NON_FIELD_ERRORS else str(key)
            out.update(flatten(value, f"{prefix}{key}."))
        return out
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        out = {}
        for i, item in enumerate(detail):
            out.update(flatten(item if isinstance(item, dict | list) else [item], f"{prefix}{i}."))
        return out
    items = detail if isinstance(detail, list) else [detail]
    return {prefix.rstrip(".") or NON_FIELD: [str(m) for m in items]}


def domain_response(error: DomainError) -> Response:
    code = DOMAIN_STATUS.get(error.code, status.HTTP_400_BAD_REQUEST)
    if code in (status.HTTP_403_FORBIDDEN, status.HTTP_404_NOT_FOUND, status.HTTP_429_TOO_MANY_REQUESTS):
        return Response({"detail": error.message}, status=code)
    return Response(flatten(error.errors), status=code)


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return domain_response(exc)
    if isinstance(exc, IntegrityError):
        # Two requests raced past the service's checks; the database refused the second.
        message = _("Data bentrok dengan data yang sudah ada. Periksa kembali lalu coba lagi.")
        return Response({NON_FIELD: [message]}, status=status.HTTP_409_CONFLICT)
    response = exception_handler(exc, context)
    if response is not None and response.status_code == status.HTTP_400_BAD_REQUEST:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
        if isinstance(exc, exceptions.ParseError):
            detail = {NON_FIELD: [str(exc.detail)]}
        response.data = flatten(detail)
    return response
