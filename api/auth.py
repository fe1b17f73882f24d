"""Tokens for other systems, and the limit on failed logins.

Failures are counted in Django's cache per username and per client address, each over a
fixed 15-minute window that starts at the first failure. While either count is at its
limit the password is not even checked: the answer is 429 with Retry-After. A success
clears the username's count (not the address's, so one good account cannot be used to
reset guessing at others).
"""

import hashlib
import time

from django.contrib.auth import authenticate
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .errors import api_exception_handler
from .schema import ApiSchema

WINDOW_SECONDS = 15 * 60
MAX_FAILURES_PER_USERNAME = 5
MAX_FAILURES_PER_ADDRESS = 20


class TooManyFailures(APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "login_locked"

    def __init__(self, wait: int) -> None:
        self.wait = wait
        minutes = max(1, (wait + 59) // 60)
        super().__init__(
            _(
                "Terlalu banyak percobaan masuk yang gagal. Demi keamanan akun, coba lagi "
                "dalam %(minutes)d menit."
            )
            % {"minutes": minutes}
        )


def client_address(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _keys(kind: str, value: str) -> tuple[str, str]:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()
    return f"api-login:{kind}:{digest}:count", f"api-login:{kind}:{digest}:since"


def _limits(username: str, address: str):
    yield _keys("user", username), MAX_FAILURES_PER_USERNAME
    yield _keys("addr", address), MAX_FAILURES_PER_ADDRESS


def check_not_locked(username: str, address: str) -> None:
    now = time.time()
    for (count_key, since_key), limit in _limits(username, address):
        if (cache.get(count_key) or 0) >= limit:
            since = cache.get(since_key) or now
            raise TooManyFailures(wait=max(1, int(since + WINDOW_SECONDS - now)))


def record_failure(username: str, address: str) -> None:
    for (count_key, since_key), _limit in _limits(username, address):
        cache.add(since_key, time.time(), WINDOW_SECONDS)
        cache.add(count_key, 0, WINDOW_SECONDS)
        try:
            cache.incr(count_key)
        except ValueError:  # expired between add and incr
            cache.set(count_key, 1, WINDOW_SECONDS)


def clear_failures(username: str) -> None:
    cache.delete_many(list(_keys("user", username)))


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=512, trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class ObtainTokenView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    schema = ApiSchema()

    def get_exception_handler(self):
        return api_exception_handler

    @extend_schema(
        operation_id="auth_token_create",
        tags=["auth"],
        summary="Minta token API",
        description=(
            "Tukar nama pengguna dan kata sandi dengan token; kirim token itu sebagai "
            "`Authorization: Token <token>`. Percobaan gagal dibatasi: "
            f"{MAX_FAILURES_PER_USERNAME} kali per nama pengguna dan "
            f"{MAX_FAILURES_PER_ADDRESS} kali per alamat IP dalam {WINDOW_SECONDS // 60} "
            "menit (dihitung di cache server, bukan sekadar throttling DRF). Selama batas "
            "tercapai, kata sandi tidak diperiksa dan jawabannya 429 dengan header Retry-After."
        ),
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            429: OpenApiResponse(
                response={
                    "type": "object",
                    "properties": {"detail": {"type": "string"}},
                    "required": ["detail"],
                },
                description=str(gettext_lazy("Terlalu banyak percobaan masuk yang gagal.")),
            ),
        },
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        username, password = data.validated_data["username"], data.validated_data["password"]
        address = client_address(request)
        check_not_locked(username, address)
        user = authenticate(request._request, username=username, password=password)
        if user is None:
            record_failure(username, address)
            raise ValidationError({"non_field_errors": [_("Nama pengguna atau kata sandi salah.")]})
        clear_failures(username)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
