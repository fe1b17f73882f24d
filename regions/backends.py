"""Django's ModelBackend, with a user's permissions read in one query instead of two."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


class PermissionsInOneQueryBackend(ModelBackend):
    """Every signed-in page and API call asks `has_perm` (edit links, menus, DRF's model
    permissions), and Django reads the user's own permissions and the groups' in two
    queries. One UNION of both gives the same set, cached on the user for the request
    exactly as Django caches it (`_perm_cache`)."""

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = self._all_permissions(user_obj)
        return user_obj._perm_cache

    def _all_permissions(self, user_obj) -> set[str]:
        fields = ("content_type__app_label", "codename")
        if user_obj.is_superuser:
            rows = Permission.objects.order_by().values_list(*fields)
        else:
            own = Permission.objects.filter(user=user_obj).order_by().values_list(*fields)
            rows = own.union(Permission.objects.filter(group__user=user_obj).order_by().values_list(*fields))
        return {f"{app_label}.{codename}" for app_label, codename in rows}
