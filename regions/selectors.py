"""Who sees what: the one place that decides which rows a user reaches.

Every view, admin page, API viewset, export and report reaches rows through
`ScopedQuerySet.visible_to(user)` or the `*_visible_to` functions here. A user without a
valid region sees nothing; a superuser sees everything.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from .models import ROLE_LEVEL, District, Level, Regency, User, Village, level_of


@dataclass(frozen=True)
class Scope:
    level: Level | None  # None: sees nothing
    code: str = ""
    everything: bool = False

    @property
    def empty(self) -> bool:
        return not self.everything and self.level is None

    def ancestors(self) -> list[str]:
        """The region codes that contain this scope, itself included (`36`, `36.01`, ...)."""
        parts = self.code.split(".")
        return [".".join(parts[: i + 1]) for i in range(len(parts))]


NOTHING = Scope(level=None)


def scope_of(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return Scope(level=Level.PROVINCE, code="36", everything=True)
    level = level_of(user.region_code or "")
    if level is None or not user.role or ROLE_LEVEL.get(user.role) != level:
        return NOTHING
    return Scope(level=level, code=user.region_code)


def region_q(scope: Scope, prefix: str = "") -> Q | None:
    """A filter on rows that keep regency/district/village codes; None means no rows."""
    if scope.everything or scope.level == Level.PROVINCE:
        return Q()
    if scope.level is None:
        return None
    field = {Level.REGENCY: "regency_id", Level.DISTRICT: "district_id", Level.VILLAGE: "village_id"}
    return Q(**{f"{prefix}{field[scope.level]}": scope.code})


class ScopedQuerySet(models.QuerySet):
    """A queryset of rows that belong to a village; `region_path` leads to the codes."""

    region_path = ""

    def visible_to(self, user):
        q = region_q(scope_of(user), self.region_path)
        return self.none() if q is None else self.filter(q)

    def in_region(self, code: str):
        """Rows inside a region given by its Kemendagri code (any level)."""
        level = level_of(code)
        if level is None:
            return self.none()
        return self.filter(region_q(Scope(level=level, code=code), self.region_path))


def scoped_queryset(path: str) -> type[ScopedQuerySet]:
    return type(f"ScopedQuerySet_{path or 'own'}", (ScopedQuerySet,), {"region_path": path})


def villages_visible_to(user) -> models.QuerySet[Village]:
    scope = scope_of(user)
    q = region_q(scope)
    if q is None:
        return Village.objects.none()
    if scope.level == Level.VILLAGE:
        q = Q(code=scope.code)
    return Village.objects.filter(q)


def districts_visible_to(user) -> models.QuerySet[District]:
    scope = scope_of(user)
    if scope.empty:
        return District.objects.none()
    if scope.everything or scope.level == Level.PROVINCE:
        return District.objects.all()
    if scope.level == Level.REGENCY:
        return District.objects.filter(regency_id=scope.code)
    return District.objects.filter(code=scope.code[:8])


def regencies_visible_to(user) -> models.QuerySet[Regency]:
    scope = scope_of(user)
    if scope.empty:
        return Regency.objects.none()
    if scope.everything or scope.level == Level.PROVINCE:
        return Regency.objects.all()
    return Regency.objects.filter(code=scope.code[:5])


def region_codes_q(user, field: str = "region_code") -> Q | None:
    """For rows that name a region of any level (partners, recipients): those that contain
    the user's region or lie inside it."""
    scope = scope_of(user)
    if scope.empty:
        return None
    if scope.everything:
        return Q()
    return Q(**{f"{field}__in": scope.ancestors()}) | Q(**{f"{field}__startswith": scope.code})


def users_visible_to(user) -> models.QuerySet[User]:
    scope = scope_of(user)
    if scope.everything:
        return User.objects.all()
    if scope.empty:
        return User.objects.none()
    return User.objects.filter(region_code__startswith=scope.code)
