"""A trigram index on the upper-cased person name, so a name search over a million persons
reads the index instead of every row. PostgreSQL only: on SQLite (development, tests) the
extension is skipped and the index is a plain one on the same expression (core.indexes)."""

from django.contrib.postgres.indexes import OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations
from django.db.models.functions import Upper

from core.indexes import TrigramIndex


class Migration(migrations.Migration):
    dependencies = [
        ("beneficiaries", "0005_person_women_indexes"),
    ]

    operations = [
        TrigramExtension(),  # does nothing on other databases
        migrations.AddIndex(
            model_name="person",
            index=TrigramIndex(OpClass(Upper("full_name"), name="gin_trgm_ops"), name="person_name_trgm_idx"),
        ),
    ]
