"""Drop the `varchar_pattern_ops` twins Django made for the unique KK and NIK columns.

They served LIKE '3603%': the search by the start of a number now reads a range of the unique
index itself (`beneficiaries.selectors._starting_with`), and a whole number its equality, so
no query reads them (bench/explain_household_indexes.py) while every household and person
written, the import's most of all, writes an entry in each. PostgreSQL only: SQLite has no
such index. A later AlterField of these two fields would let Django make them again; drop
them again in that migration.
"""

from django.db import migrations

TWINS = [("beneficiaries_household", "kk_number"), ("beneficiaries_person", "nik")]


def _twins(cursor, table: str, column: str) -> list[str]:
    cursor.execute(
        """SELECT c.relname FROM pg_index i
           JOIN pg_class c ON c.oid = i.indexrelid
           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
           JOIN pg_opclass o ON o.oid = i.indclass[0]
           WHERE i.indrelid = %s::regclass AND i.indnatts = 1 AND a.attname = %s
             AND o.opcname = 'varchar_pattern_ops'""",
        [table, column],
    )
    return [name for (name,) in cursor.fetchall()]


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table, column in TWINS:
            for name in _twins(cursor, table, column):
                cursor.execute(f'DROP INDEX IF EXISTS "{name}"')


def recreate(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table, column in TWINS:
            if not _twins(cursor, table, column):
                cursor.execute(
                    f'CREATE INDEX "{table}_{column}_like" ON "{table}" ("{column}" varchar_pattern_ops)'
                )


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0019_growth_month_toddlers_closed")]

    operations = [migrations.RunPython(drop, recreate, elidable=False)]
