"""The toddlers of a month counted from indexes alone (PostgreSQL index-only scans): the
persons' birth-date index carries the household, the leaving date and the id, and a
households index carries the region codes for the join. The new birth-date index is
built before the old one goes, so the range scans always have one."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("beneficiaries", "0015_growth_village_months"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["birth_date"], include=("household", "left_on", "id"), name="person_toddlers_idx"
            ),
        ),
        migrations.RemoveIndex(
            model_name="person",
            name="person_birth_date_idx",
        ),
        migrations.AddIndex(
            model_name="household",
            index=models.Index(fields=["regency", "village"], include=("id", "district"), name="household_codes_idx"),
        ),
    ]
