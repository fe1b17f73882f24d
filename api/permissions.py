from rest_framework.permissions import DjangoModelPermissions

VIEW = ["%(app_label)s.view_%(model_name)s"]


class RolePermissions(DjangoModelPermissions):
    """The kinds of records a role may touch (regions/roles.py); the visibility selector
    then decides which rows. Reading needs the view permission too, so a cadre reads
    activities but not cases."""

    perms_map = {**DjangoModelPermissions.perms_map, "GET": VIEW, "HEAD": VIEW, "OPTIONS": []}


class ChangeToRemovePermissions(RolePermissions):
    """Removing a member changes its group: DELETE on a sub-resource needs `change`."""

    perms_map = {**RolePermissions.perms_map, "DELETE": ["%(app_label)s.change_%(model_name)s"]}


class ReadByPostPermissions(RolePermissions):
    """A search sent by POST (so a NIK stays out of the URL) is a read: `view`."""

    perms_map = {**RolePermissions.perms_map, "POST": VIEW}
