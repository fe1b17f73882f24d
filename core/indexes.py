"""Indexes that only PostgreSQL can build, kept in the one model state every database shares."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models


class TrigramIndex(GinIndex):
    """A GIN trigram index on PostgreSQL (`pg_trgm`, name searches over a million persons).
    Elsewhere (SQLite in development and tests) the same expression as a plain index: SQLite
    rebuilds a table on many field changes and recreates every index of the model state, and
    it has neither GIN nor operator classes."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = [e.get_source_expressions()[0] if isinstance(e, OpClass) else e for e in self.expressions]
        return models.Index(*plain, name=self.name).create_sql(model, schema_editor, using=using, **kwargs)
