"""Reading a file in batches: each KK's rows grouped, validated, checked for duplicates in
the file and against the database (two queries a batch, never one a row), and written with
bulk_create and simple-history's bulk helpers, attributed to the importing user."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from regions.models import User, Village

from ..models import Household, Person
from .columns import ColumnMap, map_columns
from .files import RefusedFile, iter_rows
from .rows import Group, Rejection, Row, build_household, build_person, check_heads, read_row


@dataclass
class Result:
    columns: dict[str, list[str]] = field(default_factory=dict)
    rows_read: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    rejected_rows: set[int] = field(default_factory=set)
    households_valid: int = 0
    persons_valid: int = 0
    households_existing: int = 0
    households_written: int = 0
    persons_written: int = 0

    @property
    def rejected(self) -> int:
        return len(self.rejected_rows)

    def add(self, rejections: list[Rejection]) -> None:
        self.rejections.extend(rejections)
        self.rejected_rows.update(r.row for r in rejections)


Progress = Callable[[Result], None]


@dataclass
class Seen:
    """What earlier batches of the same file held: KK -> its first row, NIK -> its row."""

    kk: dict[str, int] = field(default_factory=dict)
    nik: dict[str, int] = field(default_factory=dict)


def process(
    stream: IO[bytes],
    kind: str,
    encoding: str,
    *,
    actor: User,
    write: bool,
    reason: str,
    progress: Progress | None = None,
) -> Result:
    """Validate every row and, when `write`, write the valid households batch by batch."""
    rows = iter_rows(stream, kind, encoding)
    header = next(rows, None)
    if header is None:
        raise RefusedFile(_("Berkas tidak punya baris judul."))
    columns = map_columns(header)
    result = Result(columns=columns.as_dict())
    if problem := columns.problem():
        raise RefusedFile(problem)
    villages = dict(Village.objects.values_list("code", "is_active"))
    seen = Seen()
    batch: list[Group] = []
    size = settings.IMPORT_BATCH_SIZE
    pending = 0
    for group in _groups(rows, columns, result, seen):
        batch.append(group)
        pending += len(group.rows)
        if pending >= size:
            _flush(
                batch, actor=actor, villages=villages, seen=seen, result=result, write=write, reason=reason
            )
            batch, pending = [], 0
            if progress:
                progress(result)
    _flush(batch, actor=actor, villages=villages, seen=seen, result=result, write=write, reason=reason)
    return result


def _groups(rows: Iterator[list[str]], columns: ColumnMap, result: Result, seen: Seen) -> Iterator[Group]:
    """Consecutive rows with the same NO_KK form one group; a KK met again later is refused
    (its rows must stand together, so that a group is whole when it is checked)."""
    current: Group | None = None
    for number, cells in enumerate(rows, start=2):
        if not any(c.strip() for c in cells):
            continue
        result.rows_read += 1
        row = read_row(number, cells, columns)
        kk = row.values.get("NO_KK", "")
        if current is not None and kk == current.kk:
            current.rows.append(row)
            continue
        if current is not None:
            yield current
        current = Group(kk=kk, rows=[row])
        if kk and kk in seen.kk:
            current.reject_all(
                "NO_KK",
                _("Nomor KK ini sudah muncul di baris %(n)d; baris satu KK harus berurutan.")
                % {"n": seen.kk[kk]},
            )
        elif kk:
            seen.kk[kk] = number
    if current is not None:
        yield current


def _flush(
    batch: list[Group], *, actor, villages, seen: Seen, result: Result, write: bool, reason: str
) -> None:
    if not batch:
        return
    for group in batch:
        _validate_group(group, actor, villages, seen)
    kks = [g.kk for g in batch if g.kk]
    niks = [r.person.nik for g in batch for r in g.rows if r.person is not None and r.person.nik]
    existing_kk = set(Household.objects.filter(kk_number__in=kks).values_list("kk_number", flat=True))
    existing_nik = set(Person.objects.filter(nik__in=niks).values_list("nik", flat=True))
    valid = []
    for group in batch:
        if group.kk in existing_kk and not group.errors:
            result.households_existing += 1
            continue
        for row in group.rows:
            if row.person is not None and row.person.nik in existing_nik:
                row.reject("NIK", _("NIK ini sudah terdaftar di rumah tangga lain."))
        rejections = group.rejections
        if rejections:
            _reject_rest(group, rejections)
            result.add(group.rejections)
        else:
            valid.append(group)
    result.households_valid += len(valid)
    result.persons_valid += sum(len(g.rows) for g in valid)
    if write and valid:
        _write(valid, actor=actor, reason=reason, result=result)


def _validate_group(group: Group, actor: User, villages: dict[str, bool], seen: Seen) -> None:
    build_household(group, actor, villages)
    for row in group.rows:
        build_person(row, actor)
        _check_in_file(row, seen)
    check_heads(group)


def _check_in_file(row: Row, seen: Seen) -> None:
    nik = row.person.nik if row.person is not None else None
    if not nik:
        return
    if nik in seen.nik:
        row.reject("NIK", _("NIK ini sudah ada di baris %(n)d berkas ini.") % {"n": seen.nik[nik]})
    else:
        seen.nik[nik] = row.number


def _reject_rest(group: Group, rejections: list[Rejection]) -> None:
    """A household is written whole or not at all: its clean rows say why they were left."""
    refused = {r.row for r in rejections}
    for row in group.rows:
        if row.number not in refused:
            row.reject("", _("Tidak ditulis karena baris lain dari KK yang sama ditolak."))


def _write(groups: list[Group], *, actor: User, reason: str, result: Result) -> None:
    households = [g.household for g in groups]
    with transaction.atomic():
        bulk_create_with_history(households, Household, default_user=actor, default_change_reason=reason)
        persons = []
        for group in groups:
            assert group.household is not None  # a valid group has its household built
            for row in group.rows:
                assert row.person is not None
                row.person.household = group.household
                persons.append(row.person)
        bulk_create_with_history(persons, Person, default_user=actor, default_change_reason=reason)
    result.households_written += len(households)
    result.persons_written += len(persons)
