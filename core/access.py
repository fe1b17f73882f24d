"""The personal-data access log (UU 27/2022): `record_access` and `record_accesses` are the
one way to write it, from every place that shows a full NIK or KK, every export, every API
read of a person, every subject report and erasure.

Writes are cheap: inside a request (`AccessLogMiddleware`) or a command run
(`access_context`) the entries are collected, each at most once, and written in one
INSERT when it ends; a list of 50 full NIKs is one statement, not 50. Outside both they are
written at once. If the INSERT fails inside a request the response fails with it, so data
is never handed out unrecorded.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse

from .models import AccessKind, AccessLog
from .signin import client_address

PATH_LENGTH = AccessLog._meta.get_field("path").max_length or 300


@dataclass
class Collector:
    path: str = ""
    address: str | None = None
    rows: dict[tuple, AccessLog] = field(default_factory=dict)

    def add(self, row: AccessLog) -> None:
        key = (row.actor_id, row.kind, row.object_type, row.object_id, row.region_code, row.row_count)
        self.rows.setdefault(key, row)

    def flush(self) -> None:
        rows, self.rows = list(self.rows.values()), {}
        if rows:
            AccessLog.objects.using("default").bulk_create(rows)


_collector: ContextVar[Collector | None] = ContextVar("access_log_collector", default=None)


def object_type_of(obj: models.Model | type[models.Model]) -> str:
    """`beneficiaries.person`: the model's label, as the log and its filters name it."""
    return obj._meta.label_lower


def _actor_id(actor: Any) -> int | None:
    return actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None


def _row(
    actor: Any, kind: AccessKind, object_type: str, object_id: Any, count: int, region: str
) -> AccessLog:
    collector = _collector.get()
    return AccessLog(
        actor_id=_actor_id(actor),
        kind=kind,
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        row_count=count,
        region_code=region or "",
        path=collector.path if collector else "",
        address=collector.address if collector else None,
    )


def _write(rows: list[AccessLog]) -> None:
    collector = _collector.get()
    if collector is None:
        AccessLog.objects.using("default").bulk_create(rows)
        return
    for row in rows:
        collector.add(row)


def record_access(
    *,
    actor: Any,
    kind: AccessKind,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: Any = None,
    count: int = 1,
    region_code: str = "",
) -> None:
    """Record that `actor` (None: the system) processed personal data: one object (`obj`,
    or its type and id), or `count` rows of `object_type` (an export)."""
    if obj is not None:
        object_type, object_id = object_type_of(obj), obj.pk
    _write([_row(actor, kind, object_type, object_id, count, region_code)])


def record_accesses(
    *, actor: Any, kind: AccessKind, objects: Iterable[models.Model], region_code: str = ""
) -> None:
    """The same processing of many objects (the members of a household shown with their
    full NIKs): one row each, one INSERT for all."""
    rows = [_row(actor, kind, object_type_of(o), o.pk, 1, region_code) for o in objects]
    if rows:
        _write(rows)


@contextmanager
def access_context(*, path: str = "", address: str | None = None) -> Iterator[Collector]:
    """Collect what is recorded inside and write it in one INSERT at the end (a request,
    a command run); nested contexts write into the outer one."""
    if _collector.get() is not None:
        yield _collector.get()  # type: ignore[misc]
        return
    collector = Collector(path=path[:PATH_LENGTH], address=address)
    token = _collector.set(collector)
    try:
        yield collector
        collector.flush()
    finally:
        _collector.reset(token)


class AccessLogMiddleware:
    """Every request collects its access-log rows and writes them in one INSERT before the
    response leaves. The path is kept without its query string (no NIK or name)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with access_context(path=request.path, address=client_address(request)):
            return self.get_response(request)
