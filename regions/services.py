"""Onboarding users: one function behind `manage.py add_user` and the admin's CSV import."""

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError

from .models import ROLE_LEVEL, Role, User, find_region, level_of
from .roles import role_group_name
from .selectors import region_in_scope


def check_actor_may_assign(actor, region_code: str) -> None:
    """An official gives out only regions inside their own (no actor: the command line)."""
    if actor is not None and not region_in_scope(actor, region_code):
        raise DomainError(
            _("Wilayah %(code)s di luar wilayah kerja Anda.") % {"code": region_code}, field="region"
        )


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
    actor=None,
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
    check_actor_may_assign(actor, region_code)
    check_role_region(role, region_code)
    user = User(
        username=username,
        email=(email or "").strip(),
        role=role,
        region_code=region_code,
        first_name=first_name,
        last_name=last_name,
        is_staff=True,
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


def import_users_csv(text: str, *, actor=None) -> ImportReport:
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


@transaction.atomic
def change_user_role(*, actor, user: User, role: str, region_code: str) -> User:
    """Give a user another role or region, and the permission group that goes with it."""
    check_actor_may_assign(actor, region_code)
    check_role_region(role, region_code)
    user.role, user.region_code = role, region_code
    user.save(update_fields=["role", "region_code"])
    user.groups.set([Group.objects.get(name=role_group_name(role))])
    return user
