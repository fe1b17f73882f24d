"""The KK and NIK columns keep their unique index and no LIKE twin (migration 0020): the
search by the start of a number reads the unique index, so the twin only cost writes."""

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's index kinds")


def index_kinds(table: str, column: str) -> list[tuple[bool, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.indisunique, o.opcname FROM pg_index i
               JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
               JOIN pg_opclass o ON o.oid = i.indclass[0]
               WHERE i.indrelid = %s::regclass AND i.indnatts = 1 AND a.attname = %s""",
            [table, column],
        )
        return sorted(cursor.fetchall())


@pytest.mark.django_db
@pytest.mark.parametrize("table, column", [("beneficiaries_household", "kk_number"), ("beneficiaries_person", "nik")])
def test_a_number_column_has_its_unique_index_and_no_like_twin(table, column):
    assert index_kinds(table, column) == [(True, "text_ops")]
