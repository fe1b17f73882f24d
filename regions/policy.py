"""Who may do what, where: the one place that answers every "may this user ... ?".

Services enforce these answers (a refusal is `DomainError` with code `forbidden`, a 403 in
the API); pages, admin and API only ask them to decide what to show. Which rows a user
reaches at all is the visibility selector's business (`regions.selectors`); a question
here assumes the row is already visible and asks whether the action is allowed.

A permission of the role (Django's `has_perm`, from `regions.roles.ROLE_PERMISSIONS`) is
necessary for every action, and the region decides the rest.
"""

from django.utils.translation import gettext as _

from core.errors import DomainError

from .models import Level, Role
from .selectors import scope_of

CASEWORK_ROLES = frozenset({Role.PROVINCE, Role.REGENCY, Role.DISTRICT, Role.VILLAGE})


def ensure(allowed: bool, message: str, *, field: str | None = None) -> None:
    """Raise the `forbidden` domain error unless `allowed`."""
    if not allowed:
        raise DomainError(message, field=field, code=DomainError.FORBIDDEN)


def _inside(user, code: str) -> bool:
    """Whether a region code lies in the user's own region (itself included)."""
    scope = scope_of(user)
    if scope.everything:
        return True
    if scope.empty or not code:
        return False
    return code == scope.code or code.startswith(scope.code + ".")


def may_work_on_cases(user, village_code: str | None = None) -> bool:
    """Register households, open cases, record aid, propose moves: village heads and the
    officials above them; cadres record activities only."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if not user.is_superuser and user.role not in CASEWORK_ROLES:
        return False
    return village_code is None or _inside(user, village_code)


def may_decide_moves(user, village_code: str) -> bool:
    """Approve or reject a village's proposals (and apply moves at once): officials of the
    district, regency or province that contains the village, with the role's permission."""
    scope = scope_of(user)
    if scope.empty or scope.level == Level.VILLAGE:
        return False
    if not user.has_perm("beneficiaries.decide_move"):
        return False
    return scope.everything or village_code.startswith(scope.code + ".")


def may_see_full_identity(user, village_code: str) -> bool:
    """See a person's full NIK and a household's full KK (not only the masked form)."""
    if not user.has_perm("beneficiaries.view_full_nik"):
        return False
    return _inside(user, village_code)


def ensure_may_work_on_cases(user, village_code: str | None = None) -> None:
    ensure(may_work_on_cases(user, village_code), _("Peran Anda tidak dapat mengubah data kasus."))


def ensure_may_decide_moves(user, village_code: str) -> None:
    ensure(
        may_decide_moves(user, village_code),
        _("Hanya pejabat kecamatan, kabupaten/kota atau provinsi yang dapat memutuskan usulan."),
    )
