"""Who may do what, where: the one place that answers every "may this user ... ?".

Services enforce these answers (a refusal is `DomainError` with code `forbidden`, a 403 in
the API); pages, admin and API only ask them to decide what to show. Which rows a user
reaches at all is the visibility selector's business (`regions.selectors`); a question
here assumes the row is already visible and asks whether the action is allowed.

A permission of the role (Django's `has_perm`, from `regions.roles.ROLE_PERMISSIONS`) is
necessary for every action, and the region decides the rest.
"""

from typing import TypeGuard

from django.utils.translation import gettext as _

from core.errors import DomainError

from .models import PROVINCE_CODE, ROLE_LEVEL, Level, Regency, Role, User, level_of
from .selectors import scope_of

CASEWORK_ROLES = frozenset({Role.PROVINCE, Role.REGENCY, Role.DISTRICT, Role.VILLAGE})
# Officials who work in the admin; district staff, village heads and cadres use the pages.
ADMIN_ROLES = frozenset({Role.PROVINCE, Role.REGENCY})
# Higher number: lower level. A cadre sits at a village, beside its head.
RANK: dict[Level | None, int] = {Level.PROVINCE: 0, Level.REGENCY: 1, Level.DISTRICT: 2, Level.VILLAGE: 3}
REPORT_LEVELS = frozenset({Level.PROVINCE, Level.REGENCY})


def ensure(allowed: bool, message: str, *, field: str | None = None) -> None:
    """Raise the `forbidden` domain error unless `allowed`."""
    if not allowed:
        raise DomainError(message, field=field, code=DomainError.FORBIDDEN)


def _active(user: User | None) -> TypeGuard[User]:
    return user is not None and user.is_authenticated and user.is_active


def _inside(user: User, code: str) -> bool:
    """Whether a region code lies in the user's own region (itself included)."""
    scope = scope_of(user)
    if scope.everything:
        return True
    if scope.empty or not code:
        return False
    return code == scope.code or code.startswith(scope.code + ".")


# ---------------------------------------------------------------- cases


def may_work_on_cases(user: User, village_code: str | None = None) -> bool:
    """Register households, open cases, record aid, propose moves: village heads and the
    officials above them; cadres record activities only."""
    if not _active(user):
        return False
    if not user.is_superuser and user.role not in CASEWORK_ROLES:
        return False
    return village_code is None or _inside(user, village_code)


def may_decide_moves(user: User, village_code: str | None = None) -> bool:
    """Approve or reject a village's proposals (and apply moves at once): officials of the
    district, regency or province that contains the village, with the role's permission.
    Without a village: whether the user decides moves anywhere at all (menus, dashboards)."""
    scope = scope_of(user)
    if scope.empty or scope.level == Level.VILLAGE:
        return False
    if not user.has_perm("beneficiaries.decide_move"):
        return False
    if village_code is None:
        return True
    return scope.everything or village_code.startswith(scope.code + ".")


def may_see_full_identity(user: User, village_code: str) -> bool:
    """See a person's full NIK and a household's full KK (not only the masked form)."""
    if not user.has_perm("beneficiaries.view_full_nik"):
        return False
    return _inside(user, village_code)


def ensure_may_work_on_cases(user: User, village_code: str | None = None) -> None:
    ensure(may_work_on_cases(user, village_code), _("Peran Anda tidak dapat mengubah data kasus."))


def ensure_may_decide_moves(user: User, village_code: str) -> None:
    ensure(
        may_decide_moves(user, village_code),
        _("Hanya pejabat kecamatan, kabupaten/kota atau provinsi yang dapat memutuskan usulan."),
    )


# ---------------------------------------------------------------- businesses and the women's programme


def may_record_business(user: User, village_code: str | None = None) -> bool:
    """Record businesses, their follow-ups, capital help and women's enrolments: the same
    people as case work (village heads and the officials above), in their own region."""
    return may_work_on_cases(user, village_code)


def ensure_may_record_business(user: User, village_code: str | None = None) -> None:
    ensure(
        may_record_business(user, village_code),
        _("Peran Anda tidak dapat mencatat usaha, bantuan modal atau peserta program perempuan."),
    )


# ---------------------------------------------------------------- growth monitoring

# Posyandu cadres weigh and measure beside the village head; the officials above may too.
GROWTH_ROLES = CASEWORK_ROLES | {Role.CADRE}


def may_record_growth(user: User | None, village_code: str | None = None) -> bool:
    """Record and correct toddlers' measurements, record interventions and close follow-ups:
    the village head and the village's posyandu cadres, and the district, regency and
    province officials above them, with the role's permission. Without a village: whether
    the user records growth anywhere at all (menus, buttons)."""
    if not _active(user):
        return False
    if not user.is_superuser and user.role not in GROWTH_ROLES:
        return False
    if not user.has_perm("beneficiaries.add_measurement"):
        return False
    return village_code is None or _inside(user, village_code)


def ensure_may_record_growth(user: User | None, village_code: str | None = None) -> None:
    ensure(
        may_record_growth(user, village_code),
        _("Peran Anda tidak dapat mencatat pemantauan pertumbuhan balita di desa ini."),
    )


def may_read_growth(user: User | None, region_code: str) -> bool:
    """Read the growth figures (coverage, prevalence) of a region: one's own region and
    the regions inside it, for every role that reads measurements."""
    if not _active(user) or not user.has_perm("beneficiaries.view_measurement"):
        return False
    return level_of(region_code or "") is not None and _inside(user, region_code)


# ---------------------------------------------------------------- accounts


def role_uses_admin(role: str) -> bool:
    """Only province and regency officials get `is_staff`; the others work on the pages."""
    return role in ADMIN_ROLES


def needs_second_factor(user: User | None) -> bool:
    """Whoever can reach the admin (province and regency officials, superusers) passes a
    second factor (TOTP) there; the people of the pages do not."""
    if not _active(user):
        return False
    return bool(user.is_superuser or user.is_staff or role_uses_admin(user.role))


def may_manage_users(actor: User | None) -> TypeGuard[User]:
    """Whether the actor manages anyone at all (the add button, the CSV import)."""
    if not _active(actor):
        return False
    if actor.is_superuser:
        return True
    scope = scope_of(actor)
    return not scope.empty and scope.level != Level.VILLAGE and actor.has_perm("regions.change_user")


def may_manage_user(actor: User | None, *, role: str, region_code: str) -> bool:
    """Give out, or act on, an account of `role` in `region_code`: an official manages only
    users of a lower level inside their own region (never a peer, never a level above);
    a superuser manages everyone."""
    if not may_manage_users(actor):
        return False
    if actor.is_superuser:
        return True
    level = ROLE_LEVEL.get(Role(role)) if role in Role.values else level_of(region_code or "")
    own = scope_of(actor).level
    return level is not None and RANK[level] > RANK[own] and _inside(actor, region_code or "")


def manageable_roles(actor: User | None) -> list[str]:
    """The roles the actor gives out: those of the levels below their own."""
    if not may_manage_users(actor):
        return []
    if actor.is_superuser:
        return list(Role.values)
    own = RANK[scope_of(actor).level]
    return [role for role in Role.values if RANK[ROLE_LEVEL[Role(role)]] > own]


def may_manage(actor: User | None, user: User) -> bool:
    """Change the role, region or active flag of an existing account: never one's own."""
    if actor is not None and actor.pk == user.pk:
        return False
    if actor is not None and actor.is_superuser:
        return _active(actor)
    return not user.is_superuser and may_manage_user(actor, role=user.role, region_code=user.region_code)


def may_edit_account(actor: User | None, user: User) -> bool:
    """Set the password or the name and email of an account: one's own, or one managed."""
    if actor is not None and actor.pk == user.pk:
        return _active(actor)
    return may_manage(actor, user)


def ensure_may_manage_user(actor: User | None, *, role: str, region_code: str) -> None:
    """Refuse on the region field: the official chose a region (or a role) beyond their reach."""
    if actor is None:  # the command line: whoever runs manage.py is the operator
        return
    if not _inside(actor, region_code):
        ensure(
            False, _("Wilayah %(code)s di luar wilayah kerja Anda.") % {"code": region_code}, field="region"
        )
    ensure(
        may_manage_user(actor, role=role, region_code=region_code),
        _("Anda hanya dapat mengelola pengguna di tingkat bawah wilayah kerja Anda."),
        field="role",
    )


def ensure_may_manage(actor: User | None, user: User) -> None:
    if actor is None:
        return
    ensure(
        may_manage(actor, user),
        _("Anda tidak dapat mengelola akun %(u)s: hanya pengguna di tingkat bawah wilayah kerja Anda.")
        % {"u": user.username},
    )


def ensure_may_edit_account(actor: User | None, user: User) -> None:
    if actor is None:
        return
    ensure(
        may_edit_account(actor, user),
        _("Anda tidak dapat mengubah akun %(u)s: hanya akun Anda sendiri atau pengguna di bawah Anda.")
        % {"u": user.username},
    )


# ---------------------------------------------------------------- programmes and partners


def may_edit_program(actor: User | None, program=None) -> bool:
    """Create (program None) or edit a programme. Programmes have no region of their own:
    each is province-wide, and villages of every regency record aid under it, so only the
    province (its officials, a superuser) sets them up and changes them."""
    if not _active(actor):
        return False
    perm = "programs.change_program" if program is not None and program.pk else "programs.add_program"
    if not actor.has_perm(perm):
        return False
    scope = scope_of(actor)
    return scope.everything or scope.level == Level.PROVINCE


def ensure_may_edit_program(actor: User | None, program=None) -> None:
    ensure(
        may_edit_program(actor, program),
        _("Program tingkat provinsi hanya dapat diubah oleh pejabat provinsi."),
    )


def may_save_partner(actor: User | None, region_code: str, partner=None) -> bool:
    """Add a partner, or change one, serving a region inside the official's own (a regency
    official sees the province's PKK but may not change it)."""
    if not _active(actor):
        return False
    perm = "programs.change_partner" if partner is not None and partner.pk else "programs.add_partner"
    if not actor.has_perm(perm):
        return False
    if partner is not None and partner.pk and not _inside(actor, partner.region_code):
        return False
    return level_of(region_code or "") is None or _inside(actor, region_code)


def ensure_may_save_partner(actor: User | None, region_code: str, partner=None) -> None:
    ensure(
        may_save_partner(actor, region_code, partner),
        _("Wilayah %(code)s di luar wilayah kerja Anda.") % {"code": region_code},
        field="region_code",
    )


# ---------------------------------------------------------------- reports


def may_read_report(user: User | None, region_code: str) -> bool:
    """The province's report (province officials) and those of the regencies inside the
    user's region. A district official reads none: a regency report shows the others."""
    if not _active(user) or not user.has_perm("reports.view_reportdelivery"):
        return False
    scope = scope_of(user)
    if scope.empty or scope.level not in REPORT_LEVELS:
        return False
    return level_of(region_code or "") in REPORT_LEVELS and _inside(user, region_code)


def reportable_regions(user: User | None) -> list[str]:
    """The codes of every report `user` may read: `36` first, then the regencies."""
    codes = [PROVINCE_CODE, *Regency.objects.values_list("code", flat=True)]
    return [code for code in codes if may_read_report(user, code)]


def may_manage_recipient(actor: User | None, region_code: str, recipient=None) -> bool:
    """Add or change who receives a report: only of a report the official reads, so a
    regency official sees the governor's address but may not change it."""
    if not _active(actor):
        return False
    perm = (
        "reports.change_reportrecipient"
        if recipient is not None and recipient.pk
        else "reports.add_reportrecipient"
    )
    if not actor.has_perm(perm):
        return False
    if recipient is not None and recipient.pk and not may_read_report(actor, recipient.region_code):
        return False
    return may_read_report(actor, region_code)


def ensure_may_manage_recipient(actor: User | None, region_code: str, recipient=None) -> None:
    ensure(
        may_manage_recipient(actor, region_code, recipient),
        _("Anda tidak berwenang atas penerima laporan wilayah %(code)s.") % {"code": region_code},
        field="region_code",
    )


def may_resend(actor: User | None, region_code: str | None = None) -> bool:
    """Send a report again (or release a stuck one): officials who manage its recipients.
    Without a region: whether the user resends any report at all (the admin action)."""
    if not _active(actor) or not actor.has_perm("reports.change_reportdelivery"):
        return False
    return region_code is None or may_read_report(actor, region_code)


# ---------------------------------------------------------------- imports


def may_import(user: User | None, village_code: str | None = None) -> bool:
    """Import households from the national lists (P3KE / DTSEN): province officials for any
    village, regency officials for the villages of their regency. Without a village: whether
    the user imports at all (the admin page, the command)."""
    if not _active(user) or not user.has_perm("beneficiaries.add_household"):
        return False
    scope = scope_of(user)
    if not scope.everything and scope.level not in REPORT_LEVELS:
        return False
    return village_code is None or _inside(user, village_code)


def ensure_may_import(user: User | None) -> None:
    ensure(may_import(user), _("Hanya pejabat provinsi atau kabupaten/kota yang dapat mengimpor data."))


# ---------------------------------------------------------------- personal data (UU 27/2022)


def _province_official(user: User | None) -> TypeGuard[User]:
    if not _active(user):
        return False
    scope = scope_of(user)
    return scope.everything or scope.level == Level.PROVINCE


def may_read_access_log(user: User | None) -> bool:
    """Read the personal-data access log (who processed whose data): province officials."""
    return _province_official(user) and user.has_perm("core.view_accesslog")


def may_make_subject_report(user: User | None) -> bool:
    """Hand a person everything held about them: province officials who see full NIKs."""
    return _province_official(user) and user.has_perm("beneficiaries.view_full_nik")


def ensure_may_make_subject_report(user: User | None) -> None:
    ensure(may_make_subject_report(user), _("Hanya pejabat provinsi yang dapat membuat laporan subjek data."))


def may_erase_person(user: User | None, village_code: str | None = None) -> bool:
    """Erase the personal data of someone registered by mistake: province officials, with
    the permission to correct persons. Without a village: whether the user erases at all."""
    if not _province_official(user) or not user.has_perm("beneficiaries.change_person"):
        return False
    return village_code is None or _inside(user, village_code)


def ensure_may_erase_person(user: User | None, village_code: str) -> None:
    ensure(
        may_erase_person(user, village_code),
        _("Hanya pejabat provinsi yang dapat menghapus data pribadi seseorang."),
    )
