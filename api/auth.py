"""Tokens for other systems: sign-in, and the user's own list of tokens.

Failed sign-ins are limited by the one mechanism every door shares (core/signin.py,
django-axes): per username and per client address. While either is locked the password
is not even checked: the answer is 429 with Retry-After, the same count as /masuk/ and
/admin/login/, so no door can be used to get round another's limit.
"""

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.signin import locked_message, wait_seconds

from .errors import api_exception_handler
from .schema import ApiSchema
from .tokens import expires_at, issue_token, revoke_token, tokens_of

DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}


class TooManyFailures(APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "login_locked"

    def __init__(self, wait: int) -> None:
        self.wait = wait
        super().__init__(locked_message(wait))


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=512, trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    token = serializers.CharField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)


class TokenListItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    prefix = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    last_used_at = serializers.DateTimeField(read_only=True)
    expires_at = serializers.SerializerMethodField()

    def get_expires_at(self, token) -> str:
        return serializers.DateTimeField().to_representation(expires_at(token))


class ObtainTokenView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []  # sign-in has its own limit (axes)
    schema = ApiSchema()

    def get_exception_handler(self):
        return api_exception_handler

    @extend_schema(
        operation_id="auth_token_create",
        tags=["auth"],
        summary="Minta token API",
        description=(
            "Tukar nama pengguna dan kata sandi dengan token baru; kirim token itu sebagai "
            "`Authorization: Token <token>`. Token berakhir setelah "
            f"{settings.API_TOKEN_IDLE_DAYS} hari tidak dipakai, dan saat kata sandi diganti "
            "atau akun dinonaktifkan. Percobaan gagal dibatasi, sama dengan halaman masuk dan "
            f"admin: {settings.LOGIN_FAILURE_LIMIT} kali per nama pengguna dan "
            f"{settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS} kali per alamat IP dalam "
            f"{settings.LOGIN_COOLOFF_MINUTES} menit. Selama batas tercapai, kata sandi tidak "
            "diperiksa dan jawabannya 429 dengan header Retry-After."
        ),
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            429: OpenApiResponse(
                response=DETAIL, description=str(gettext_lazy("Terlalu banyak percobaan masuk."))
            ),
        },
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        username, password = data.validated_data["username"], data.validated_data["password"]
        user = authenticate(request._request, username=username, password=password)
        if getattr(request._request, "axes_locked_out", False):
            raise TooManyFailures(wait=wait_seconds(request._request, {"username": username}))
        if user is None:
            raise ValidationError({"non_field_errors": [_("Nama pengguna atau kata sandi salah.")]})
        token, key = issue_token(user=user)
        return Response({"id": token.pk, "token": key, "expires_at": expires_at(token)})


class TokenListView(APIView):
    permission_classes = [IsAuthenticated]
    schema = ApiSchema()

    @extend_schema(
        operation_id="auth_tokens_list",
        tags=["auth"],
        summary="Token API saya",
        responses={200: TokenListItemSerializer(many=True)},
    )
    def get(self, request):
        return Response(TokenListItemSerializer(tokens_of(request.user), many=True).data)


class TokenDetailView(APIView):
    permission_classes = [IsAuthenticated]
    schema = ApiSchema()

    @extend_schema(
        operation_id="auth_tokens_destroy",
        tags=["auth"],
        summary="Cabut token API saya",
        responses={204: None, 404: OpenApiResponse(response=DETAIL)},
    )
    def delete(self, request, pk: str):
        if len(pk) > 18 or not revoke_token(user=request.user, token_id=int(pk)):
            raise NotFound()
        return Response(status=status.HTTP_204_NO_CONTENT)
