"""A trigram index on the upper-cased person name, so a name search over a million persons
reads the index instead of every row. PostgreSQL only: on SQLite (development, tests) the
extension and the index are skipped, the model state is the same everywhere."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations
from django.db.models.functions import Upper


class AddIndexOnPostgreSQL(migrations.AddIndex):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("beneficiaries", "0005_person_women_indexes"),
    ]

    operations = [
        TrigramExtension(),  # does nothing on other databases
        AddIndexOnPostgreSQL(
            model_name="person",
            index=GinIndex(OpClass(Upper("full_name"), name="gin_trgm_ops"), name="person_name_trgm_idx"),
        ),
    ]
