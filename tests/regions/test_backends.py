"""regions.backends: the user's permissions in one query, the same set Django's backend gives."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission

from regions.backends import PermissionsInOneQueryBackend
from regions.models import User


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def test_it_gives_the_same_permissions_as_djangos_backend(head_a, province, cadre, stranger, superuser):
    for user in (head_a, province, cadre, stranger, superuser):
        ours = PermissionsInOneQueryBackend().get_all_permissions(fresh(user))
        assert ours == ModelBackend().get_all_permissions(fresh(user)), user.username


def test_it_joins_the_users_own_permissions_to_the_groups(head_a):
    own = Permission.objects.get(content_type__app_label="core", codename="view_accesslog")
    head_a.user_permissions.add(own)
    perms = PermissionsInOneQueryBackend().get_all_permissions(fresh(head_a))
    assert "core.view_accesslog" in perms
    assert perms > {"core.view_accesslog"}, "the role group's permissions are there too"


def test_it_reads_them_in_one_query_once_a_request(head_a, django_assert_num_queries):
    user = fresh(head_a)
    with django_assert_num_queries(1):
        assert user.has_perm("beneficiaries.change_household")
        assert user.has_perm("beneficiaries.add_case")


def test_it_gives_nothing_to_an_inactive_user(head_a):
    head_a.is_active = False
    head_a.save()
    assert PermissionsInOneQueryBackend().get_all_permissions(fresh(head_a)) == set()
    assert not fresh(head_a).has_perm("beneficiaries.change_household")


def test_a_removed_group_permission_is_gone_for_a_fresh_user(head_a):
    group = head_a.groups.get()
    group.permissions.remove(
        Permission.objects.get(content_type__app_label="beneficiaries", codename="change_household")
    )
    assert not fresh(head_a).has_perm("beneficiaries.change_household")
    assert Group.objects.filter(user=head_a).exists()
