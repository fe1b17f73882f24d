"""District staff, village heads and cadres work on the pages, not in the admin: clear the
`is_staff` that earlier versions gave every user. Reversing keeps the accounts as they are
(nobody should get the admin back by a rollback)."""

from django.db import migrations

PAGE_ROLES = ["district", "village", "cadre"]


def clear_staff(apps, schema_editor):
    User = apps.get_model("regions", "User")
    User.objects.filter(role__in=PAGE_ROLES, is_superuser=False, is_staff=True).update(is_staff=False)


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_region_hierarchy_and_users")]

    operations = [migrations.RunPython(clear_staff, migrations.RunPython.noop)]
