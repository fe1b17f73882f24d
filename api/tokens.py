"""API tokens: issued at sign-in, lapsing after API_TOKEN_IDLE_DAYS without use, ended by
a password change or a deactivated account, listed and revoked by their owner."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from .models import ApiToken

# last_used_at is written at most this often per token: not one write per request.
TOUCH_EVERY = datetime.timedelta(minutes=5)


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def idle_limit() -> datetime.timedelta:
    return datetime.timedelta(days=settings.API_TOKEN_IDLE_DAYS)


def expires_at(token: ApiToken) -> datetime.datetime:
    return token.last_used_at + idle_limit()


def issue_token(*, user) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it and its key (the only time the key exists)."""
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(
        user=user,
        digest=digest_of(key),
        prefix=key[:8],
        auth_hash=user.get_session_auth_hash(),
        last_used_at=timezone.now(),
    )
    return token, key


def tokens_of(user):
    """The user's tokens still alive (a lapsed one is not listed)."""
    return ApiToken.objects.filter(user=user, last_used_at__gt=timezone.now() - idle_limit())


def revoke_token(*, user, token_id: int) -> bool:
    """Revoke one of the user's own tokens; False when there is none with that id."""
    deleted, _rows = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return bool(deleted)


def revoke_all(*, user) -> int:
    return ApiToken.objects.filter(user=user).delete()[0]


def _alive_under(token: ApiToken, now: datetime.datetime) -> str | None:
    """The key a live token's hash was made under; None when the token is not alive."""
    if not token.user.is_active or token.last_used_at <= now - idle_limit():
        return None
    return _signed_by(token)


def _signed_by(token: ApiToken) -> str | None:
    """The user's password-bound hash the token holds, under SECRET_KEY or one of
    SECRET_KEY_FALLBACKS (a key being rotated out, as Django's sessions allow); None when
    neither: the password changed since the token was issued, or the key it was issued under
    is gone."""
    user = token.user
    for secret in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS):
        expected = user._get_session_auth_hash(secret=secret)  # type: ignore[attr-defined]  # Django 4.1+, as its sessions use
        if secrets.compare_digest(token.auth_hash, expected):
            return secret
    return None


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, checked against the digest. A lapsed token, or one
    whose user changed password or was deactivated, is deleted and answers 401."""

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user").filter(digest=digest_of(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Token tidak sah."))
        now = timezone.now()
        signed_under = _alive_under(token, now)
        if signed_under is None:
            token.delete()
            raise exceptions.AuthenticationFailed(_("Token sudah tidak berlaku. Minta token baru."))
        changes: dict = {}
        if now - token.last_used_at > TOUCH_EVERY:
            changes["last_used_at"] = now
        if signed_under != settings.SECRET_KEY:  # issued under a fallback: re-sign it
            changes["auth_hash"] = token.user.get_session_auth_hash()
        if changes:
            with transaction.atomic():
                ApiToken.objects.filter(pk=token.pk).update(**changes)
        return token.user, token
