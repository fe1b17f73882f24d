"""The primary and its read replica (`DATABASE_REPLICA_URL`).

Reads go to the replica only where the code asks for it by name: the report figures
(`reports/selectors.py`, `settings.REPORTS_DATABASE`). A global read router would send a
page's read right after its write to a replica that may lag behind, so a village head
would not see the household just registered. This router only makes sure that writes and
migrations stay on the primary, also for a row that was read from the replica.
"""

from django.db.models import Model

PRIMARY = "default"
ALIASES = {"default", "replica"}


class PrimaryReplicaRouter:
    def db_for_read(self, model: type[Model], **hints) -> str | None:
        return None  # Django's own choice: the instance's database, else default

    def db_for_write(self, model: type[Model], **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Model, obj2: Model, **hints) -> bool | None:
        """The replica holds the primary's rows: a relation between them is fine."""
        if {obj1._state.db, obj2._state.db} <= ALIASES:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints) -> bool:
        return db == PRIMARY
