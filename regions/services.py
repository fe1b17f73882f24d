"""Every write to an account: create (one, or from a CSV), change the role and region, set
the password, activate or deactivate, edit the name and email.

Each takes the acting user and asks `regions.policy`: an official manages only users of a
lower level inside their own region (`actor=None` is the command line). Only province and
regency officials get `is_staff`; the others work on the pages."""

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError

from . import policy
from .models import ROLE_LEVEL, Role, User, find_region, level_of
from .roles import role_group_name


def check_role_region(role: str, region_code: str) -> None:
    if role not in Role.values:
        raise DomainError(
            _("Peran '%(role)s' tidak dikenal; pilih salah satu: %(roles)s.")
            % {"role": role, "roles": ", ".join(Role.values)},
            field="role",
        )
    level = level_of(region_code or "")
    if level is None or find_region(region_code) is None:
        raise DomainError(
            _("Kode wilayah '%(code)s' tidak dikenal di Banten.") % {"code": region_code}, field="region"
        )
    if ROLE_LEVEL[Role(role)] != level:
        raise DomainError(
            _("Peran %(role)s harus diberi wilayah tingkat %(want)s, bukan %(got)s (%(code)s).")
            % {"role": role, "want": ROLE_LEVEL[Role(role)].label, "got": level.label, "code": region_code},
            field="region",
        )


@transaction.atomic
def create_user(
    *,
    actor: User | None = None,
    username: str,
    role: str,
    region_code: str,
    email: str = "",
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """A user with a role and a region, in the role's permission group, able to sign in."""
    username = (username or "").strip()
    if not username:
        raise DomainError(_("Nama pengguna wajib diisi."), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(
            _("Nama pengguna '%(u)s' sudah dipakai.") % {"u": username},
            field="username",
            code=DomainError.CONFLICT,
        )
    check_role_region(role, region_code)
    policy.ensure_may_manage_user(actor, role=role, region_code=region_code)
    user = User(
        username=username,
        email=(email or "").strip(),
        role=role,
        region_code=region_code,
        first_name=first_name,
        last_name=last_name,
        is_staff=policy.role_uses_admin(role),
    )
    try:
        user.full_clean(exclude=["password"])
        if password:
            validate_password(password, user)
    except ValidationError as error:
        raise (
            DomainError.from_validation_error(error)
            if hasattr(error, "error_dict")
            else DomainError(" ".join(error.messages), field="password")
        ) from None
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    user.groups.set([Group.objects.get(name=role_group_name(role))])
    return user


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line, why)


def import_users_csv(text: str, *, actor: User | None = None) -> ImportReport:
    """Columns username, role, region (and optional email, password). Each row is created
    or rejected on its own; the report names every rejected line and why."""
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = {"username", "role", "region"} - set(reader.fieldnames or [])
    if missing:
        report.rejected.append((1, _("Kolom wajib tidak ada: %s.") % ", ".join(sorted(missing))))
        return report
    for line, row in enumerate(reader, start=2):
        try:
            create_user(
                actor=actor,
                username=row.get("username") or "",
                role=(row.get("role") or "").strip(),
                region_code=(row.get("region") or "").strip(),
                email=row.get("email") or "",
                password=row.get("password") or None,
            )
        except DomainError as error:
            report.rejected.append((line, error.message))
        else:
            report.created.append(row["username"].strip())
    return report


def _locked(user: User) -> User:
    """The account as stored, locked: what a form put on the instance is not yet true."""
    return User.objects.select_for_update().get(pk=user.pk)


@transaction.atomic
def change_user_role(*, actor: User | None, user: User, role: str, region_code: str) -> User:
    """Give a user another role or region, the permission group and the admin access that
    go with it. The actor must manage the user as they are and as they will be."""
    user = _locked(user)
    policy.ensure_may_manage(actor, user)
    check_role_region(role, region_code)
    policy.ensure_may_manage_user(actor, role=role, region_code=region_code)
    user.role, user.region_code = role, region_code
    user.is_staff = user.is_superuser or policy.role_uses_admin(role)
    user.save(update_fields=["role", "region_code", "is_staff"])
    user.groups.set([Group.objects.get(name=role_group_name(role))])
    return user


@transaction.atomic
def set_password(*, actor: User | None, user: User, password: str | None) -> User:
    """A new password (None: password sign-in disabled) for one's own account or for a
    user the actor manages; never for a peer, who would then be impersonated."""
    user = _locked(user)
    policy.ensure_may_edit_account(actor, user)
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise DomainError(" ".join(error.messages), field="password") from None
        user.set_password(password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def set_active(*, actor: User | None, user: User, active: bool) -> User:
    """Deactivate (the user can no longer sign in) or reactivate an account below the actor."""
    user = _locked(user)
    policy.ensure_may_manage(actor, user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def update_user_details(
    *, actor: User | None, user: User, first_name: str, last_name: str, email: str
) -> User:
    """Name and email of one's own account or of a user the actor manages."""
    user = _locked(user)
    policy.ensure_may_edit_account(actor, user)
    user.first_name, user.last_name, user.email = first_name or "", last_name or "", (email or "").strip()
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        raise DomainError.from_validation_error(error) from None
    user.save(update_fields=["first_name", "last_name", "email"])
    return user


@transaction.atomic
def set_superuser(*, actor: User | None, user: User, value: bool) -> User:
    """Only a superuser makes or unmakes another; a superuser always reaches the admin."""
    user = _locked(user)
    policy.ensure(actor is None or (actor.is_superuser and actor.pk != user.pk), _("Hanya superuser."))
    user.is_superuser = value
    user.is_staff = value or policy.role_uses_admin(user.role)
    user.save(update_fields=["is_superuser", "is_staff"])
    return user
