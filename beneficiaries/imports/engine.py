"""Reading a file in batches: each KK's rows grouped, validated, checked for duplicates in
the file and against the database (two queries a batch, never one a row), and written by
`writers` (COPY on PostgreSQL, bulk_create_with_history elsewhere) with their history,
attributed to the importing user. On PostgreSQL a batch is copied from a thread (`Writer`)
while the next one is validated; the database is asked about that next batch only once the
previous one has committed. Memory stays flat: two batches at a time, the numbers seen so
far as ints, and the rejections spilled to a temporary file past the first thousand."""

import contextlib
import csv
import datetime
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.models import User, Village

from ..models import Household, Person
from . import writers
from .answers import Answers, limit_message
from .columns import ColumnMap, map_columns
from .files import RefusedFile, iter_rows
from .rows import FieldChecks, Group, Rejection, Row, build_household, build_person, check_heads, read_row

KEPT_REJECTIONS = 1000  # shown on the run's page and by the command; the rest only in the report file


@dataclass
class Result:
    """Counts, and the rejections: the first KEPT_REJECTIONS in memory, every one in a
    temporary CSV file (`spill`), so that a file of a million bad rows stays small here."""

    columns: dict[str, list[str]] = field(default_factory=dict)
    rows_read: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    rejections_total: int = 0
    rejected: int = 0  # rows with at least one rejection
    households_valid: int = 0
    persons_valid: int = 0
    households_existing: int = 0
    households_written: int = 0
    persons_written: int = 0
    spill: IO[str] | None = None

    def add(self, rejections: list[Rejection]) -> None:
        """The rejections of one KK (a row's rejections always come together with its KK's)."""
        if not rejections:
            return
        room = KEPT_REJECTIONS - len(self.rejections)
        if room > 0:
            self.rejections.extend(rejections[:room])
        if self.spill is None:
            self.spill = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")
        csv.writer(self.spill).writerows((r.row, r.column, r.reason) for r in rejections)
        self.rejections_total += len(rejections)
        self.rejected += len({r.row for r in rejections})

    def every_rejection(self) -> Iterator[list]:
        """All the rejections, in file order, read back from the spill file."""
        if self.spill is None:
            return
        self.spill.flush()
        self.spill.seek(0)
        for row, column, reason in csv.reader(self.spill):
            yield [int(row), column, reason]

    def close(self) -> None:
        if self.spill is not None:
            self.spill.close()
            self.spill = None


Progress = Callable[[Result], None]


@dataclass
class Seen:
    """What earlier batches of the same file held: KK -> its first row, NIK -> its row. The
    numbers are kept as ints where they are digits (half the memory of the text)."""

    kk: dict[int | str, int] = field(default_factory=dict)
    nik: dict[int | str, int] = field(default_factory=dict)


def number_key(number: str) -> int | str:
    return int(number) if number.isascii() and number.isdigit() and number[0] != "0" else number


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
    context = Context(actor=actor, villages=villages, today=timezone.localdate())
    seen = Seen()
    batch: list[Group] = []
    size = settings.IMPORT_BATCH_SIZE
    pending = 0
    writer = Writer(actor=actor, reason=reason, result=result, threaded=write and threaded())
    ticker = Ticker(progress, result)
    try:
        for group in _groups(rows, columns, result, seen):
            batch.append(group)
            pending += len(group.rows)
            if pending >= size:
                _flush(batch, context=context, seen=seen, result=result, writer=writer if write else None,
                       ticker=ticker)  # fmt: skip
                batch, pending = [], 0
        _flush(
            batch, context=context, seen=seen, result=result, writer=writer if write else None, ticker=ticker
        )
        writer.wait()
    except BaseException:
        writer.abort()
        # What the committed batches wrote, on the run (a failed run keeps these counters);
        # a broken connection must not hide the error that broke it.
        with contextlib.suppress(DatabaseError):
            ticker(force=True)
        raise
    finally:
        writer.close()
    return result


def threaded() -> bool:
    """Whether batches are written from a thread while the next one is validated: on
    PostgreSQL, where the writer uses psycopg's connection under Django's (one connection,
    one transaction; psycopg's lock keeps its queries one at a time)."""
    return WRITE_IN_THREAD and connection.vendor == "postgresql"


WRITE_IN_THREAD = True
PROGRESS_EVERY = 0.5  # seconds: a few updates a second whatever the batch size


class Ticker:
    """Calls `progress` at most every PROGRESS_EVERY seconds."""

    def __init__(self, progress: Progress | None, result: Result) -> None:
        self.progress, self.result, self.last = progress, result, 0.0

    def __call__(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if self.progress is not None and (force or now - self.last >= PROGRESS_EVERY):
            self.last = now
            self.progress(self.result)


class Writer:
    """Writes each batch of valid households in a transaction (a savepoint inside the
    caller's): threaded, batch N is copied into the database while the caller validates
    batch N+1, and `wait()` commits it before the caller asks the database anything about
    N+1 (so the duplicates check sees N). Counts go to the result once a batch commits."""

    def __init__(self, *, actor: User, reason: str, result: Result, threaded: bool) -> None:
        self.actor, self.reason, self.result = actor, reason, result
        self.atomic: Any = None
        self.future: Future | None = None
        self.raw = None
        self.executor: ThreadPoolExecutor | None = None
        if threaded:
            connection.ensure_connection()
            self.raw = connection.connection
            self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-writer")

    def submit(self, groups: list[Group]) -> None:
        self.wait()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        if self.executor is None:
            self._commit(writers.write(groups, actor=self.actor, reason=self.reason))
        else:
            self.future = self.executor.submit(
                writers.write, groups, actor=self.actor, reason=self.reason, raw=self.raw
            )

    def wait(self) -> None:
        """The batch being written, written and committed (its error raised here)."""
        if self.future is not None:
            future, self.future = self.future, None
            self._commit(future.result())

    def _commit(self, counts: tuple[int, int]) -> None:
        atomic, self.atomic = self.atomic, None
        atomic.__exit__(None, None, None)
        self.result.households_written += counts[0]
        self.result.persons_written += counts[1]

    def abort(self) -> None:
        """After an error: let the thread finish, then roll the open batch back."""
        if self.future is not None:
            future, self.future = self.future, None
            futures.wait([future])
        if self.atomic is not None:
            atomic, self.atomic = self.atomic, None
            error = sys.exc_info()
            atomic.__exit__(error[0] or RuntimeError, error[1] or RuntimeError(), error[2])

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True)
            self.executor = None


def _groups(rows: Iterator[list[str]], columns: ColumnMap, result: Result, seen: Seen) -> Iterator[Group]:
    """Consecutive rows with the same NO_KK form one group; a KK met again later is refused
    (its rows must stand together, so that a group is whole when it is checked)."""
    current: Group | None = None
    read = columns.reader()
    for number, cells in enumerate(rows, start=2):
        if not "".join(cells).strip():
            continue
        result.rows_read += 1
        row = read_row(number, cells, read)
        kk = row.values.get("NO_KK", "")
        if current is not None and kk == current.kk:
            current.rows.append(row)
            continue
        if current is not None:
            yield current
        current = Group(kk=kk, rows=[row])
        key = number_key(kk)
        if kk and key in seen.kk:
            current.reject_all(
                "NO_KK",
                _("Nomor KK ini sudah muncul di baris %(n)d; baris satu KK harus berurutan.")
                % {"n": seen.kk[key]},
            )
        elif kk:
            seen.kk[key] = number
    if current is not None:
        yield current


@dataclass
class Context:
    """What every batch of one run checks against, read or asked once."""

    actor: User
    villages: dict[str, bool]  # code -> is_active
    today: datetime.date
    allowed: dict[str, bool] = field(default_factory=dict)  # code -> policy.may_import
    checks: FieldChecks = field(default_factory=FieldChecks)
    answers: Answers = field(init=False)

    def __post_init__(self) -> None:
        self.answers = Answers(self.actor)


def _flush(
    batch: list[Group], *, context: Context, seen: Seen, result: Result, writer: Writer | None, ticker: Ticker
) -> None:
    if not batch:
        return
    for group in batch:  # while the writer copies the previous batch
        _validate_group(group, context, seen)
    if writer is not None:
        writer.wait()
    ticker()
    answers = context.answers
    answers.recheck()
    if answers.closed:  # the limiter is spent: nothing more is asked of the database
        existing_kk, existing_nik = {}, {}
    else:
        existing_kk = existing(Household, "kk_number", [g.kk for g in batch if g.kk])
        existing_nik = existing(
            Person,
            "nik",
            [r.person.nik for g in batch for r in g.rows if r.person is not None and r.person.nik],
        )
    valid = []
    for group in batch:
        if not _against_database(group, existing_kk, existing_nik, answers):
            group.reject_all("NIK", limit_message())
        elif group.kk in existing_kk and not group.errors:
            result.households_existing += 1
            continue
        rejections = group.rejections
        if rejections:
            _reject_rest(group, rejections)
            result.add(group.rejections)
        else:
            valid.append(group)
    result.households_valid += len(valid)
    result.persons_valid += sum(len(g.rows) for g in valid)
    if writer is not None and valid:
        writer.submit(valid)


def _against_database(group: Group, existing_kk: dict, existing_nik: dict, answers: Answers) -> bool:
    """Reject the group's numbers already registered, as far as the limiter lets the run
    say so; False when the limiter was closed before the group (it is then refused with the
    limiter's message, unchecked). Once an answer closes it, the group's later rows are not
    checked: the group is refused or counted as there already, nothing of it is written."""
    if answers.closed:
        return False
    if group.kk in existing_kk:
        answers.tell(*existing_kk[group.kk])
    for row in group.rows:
        if answers.closed:
            break
        if row.person is not None and row.person.nik in existing_nik:
            answers.tell(*existing_nik[row.person.nik])
            row.reject("NIK", _("NIK ini sudah terdaftar di rumah tangga lain."))
    return True


def existing(model, name: str, values: list[str]) -> dict[str, tuple[str, int | None]]:
    """Which of `values` the table already holds, with the village of each row and who
    registered it, in one query (on PostgreSQL one array parameter: binding thousands of
    `IN` parameters costs more than the query itself)."""
    if not values:
        return {}
    village = "village_id" if model is Household else "household__village_id"
    if connection.vendor != "postgresql":
        rows = model._default_manager.filter(**{f"{name}__in": values}).values_list(name, village, "created_by_id")
        return {value: (code, by) for value, code, by in rows}
    household, person = Household._meta.db_table, Person._meta.db_table
    if model is Household:
        sql = f"SELECT kk_number, village_id, created_by_id FROM {household} WHERE kk_number = ANY(%s)"
    else:
        sql = (f"SELECT p.nik, h.village_id, p.created_by_id FROM {person} p "
               f"JOIN {household} h ON h.id = p.household_id WHERE p.nik = ANY(%s)")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, [values])
        return {value: (code, by) for value, code, by in cursor.fetchall()}


def _validate_group(group: Group, context: Context, seen: Seen) -> None:
    build_household(group, context.actor, context.villages, context.allowed, context.checks)
    for row in group.rows:
        build_person(row, context.today, context.checks)
        _check_in_file(row, seen)
    check_heads(group)


def _check_in_file(row: Row, seen: Seen) -> None:
    nik = row.person.nik if row.person is not None else None
    if not nik:
        return
    key = number_key(nik)
    if key in seen.nik:
        row.reject("NIK", _("NIK ini sudah ada di baris %(n)d berkas ini.") % {"n": seen.nik[key]})
    else:
        seen.nik[key] = row.number


def _reject_rest(group: Group, rejections: list[Rejection]) -> None:
    """A household is written whole or not at all: its clean rows say why they were left."""
    refused = {r.row for r in rejections}
    for row in group.rows:
        if row.number not in refused:
            row.reject("", _("Tidak ditulis karena baris lain dari KK yang sama ditolak."))
