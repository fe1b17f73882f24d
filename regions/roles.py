"""The Django permission groups that go with each role.

Permissions say which kinds of records a role may touch; the visibility selector says
which rows. A user gets exactly the group of their role (see services.create_user).
"""

from django.apps import apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.management import create_contenttypes
from django.utils import translation

from .models import Role

CASEWORK = [
    "beneficiaries.household",
    "beneficiaries.person",
    "beneficiaries.case",
    "beneficiaries.stagetransition",
    "beneficiaries.assistance",
    "beneficiaries.group",
    "beneficiaries.groupmembership",
    "beneficiaries.enterprise",
    "beneficiaries.capitalaccess",
    "beneficiaries.activity",
    "beneficiaries.attendance",
    "beneficiaries.business",
    "beneficiaries.businessfollowup",
    "beneficiaries.capitalhelp",
    "beneficiaries.womenenrolment",
]
# Posyandu growth monitoring: village heads, officials and posyandu cadres.
GROWTH = ["beneficiaries.measurement", "beneficiaries.growthfollowup", "beneficiaries.intervention"]
REFERENCE = ["programs.program", "programs.partner"]
REGIONS = ["regions.regency", "regions.district", "regions.village"]


def _perms(models: list[str], actions: str) -> list[str]:
    return [f"{m.split('.')[0]}.{a}_{m.split('.')[1]}" for m in models for a in actions.split()]


ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.PROVINCE: _perms(CASEWORK + GROWTH, "view add change")
    + _perms(REFERENCE, "view add change delete")
    + _perms(REGIONS, "view")
    + _perms(["regions.user"], "view add change")
    + _perms(["reports.reportrecipient", "reports.reportdelivery"], "view add change")
    + ["beneficiaries.view_full_nik", "beneficiaries.decide_move", "core.view_accesslog"],
    Role.REGENCY: _perms(CASEWORK + GROWTH, "view add change")
    + _perms(["programs.program"], "view")  # programmes are the province's (policy.may_edit_program)
    + _perms(["programs.partner"], "view add change")
    + _perms(REGIONS, "view")
    + _perms(["regions.user"], "view add change")
    + _perms(["reports.reportrecipient", "reports.reportdelivery"], "view add change")
    + ["beneficiaries.decide_move"],
    Role.DISTRICT: _perms(CASEWORK + GROWTH, "view add change")
    + _perms(REFERENCE, "view")
    + _perms(REGIONS, "view")
    + _perms(["regions.user"], "view")
    + ["beneficiaries.decide_move"],
    Role.VILLAGE: _perms(CASEWORK + GROWTH, "view add change")
    + _perms(REFERENCE, "view")
    + _perms(REGIONS, "view")
    + ["beneficiaries.view_full_nik"],
    Role.CADRE: _perms(["beneficiaries.household", "beneficiaries.person"], "view")
    + _perms(["beneficiaries.activity", "beneficiaries.attendance", *GROWTH], "view add change")
    + _perms(REFERENCE, "view")
    + _perms(REGIONS, "view"),
}


def role_group_name(role: str) -> str:
    """Stable whatever the request's language: the group is looked up by this name."""
    with translation.override(settings.LANGUAGE_CODE):
        return f"Peran: {Role(role).label}"


def ensure_role_groups() -> None:
    """Create or refresh one group per role; idempotent, runs after every migrate."""
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)
        create_permissions(app_config, verbosity=0)
    by_key = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type")
    }
    for role, keys in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role_group_name(role))
        group.permissions.set([by_key[k] for k in keys if k in by_key])
