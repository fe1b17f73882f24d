"""Hostile-file checks and the streaming readers.

A file is refused before a row is read when it is too large, when its content is neither
text nor an XLSX workbook (whatever its name says), when an XLSX part declares a DOCTYPE or
an ENTITY, when the workbook unpacks to more than IMPORT_MAX_UNZIPPED_BYTES or has too many
members. Reading never evaluates a formula: a cell `=HYPERLINK(...)` is the text it shows.
"""

import codecs
import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

CSV, XLSX = "csv", "xlsx"
CHUNK = 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
# Well-known binary formats, refused by content whatever the file is called.
BINARY_MAGICS = (
    b"\x89PNG",
    b"%PDF",
    b"GIF8",
    b"\xff\xd8\xff",
    b"\xd0\xcf\x11\xe0",
    b"\x1f\x8b",
    b"Rar!",
    b"7z\xbc\xaf",
)
DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
# NUL and the other control bytes no text file holds (tab, LF, FF and CR are text); one
# regular expression scans a chunk at C speed.
CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]")


class RefusedFile(Exception):
    """The file is not read at all; the message says why, in Indonesian."""


def inspect(stream: IO[bytes], size: int) -> tuple[str, str]:
    """(kind, encoding) of an upload, or RefusedFile. Reads the stream once, in chunks."""
    if size > settings.IMPORT_MAX_BYTES:
        raise RefusedFile(
            _("Berkas terlalu besar (%(size)s MB); batasnya %(limit)s MB.")
            % {"size": _mb(size), "limit": _mb(settings.IMPORT_MAX_BYTES)}
        )
    if size == 0:
        raise RefusedFile(_("Berkas kosong."))
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(ZIP_MAGIC):
        _check_workbook(stream)
        return XLSX, ""
    if head.startswith(BINARY_MAGICS):
        raise RefusedFile(_("Isi berkas bukan CSV atau XLSX (nama berkas tidak menentukan jenisnya)."))
    return CSV, _text_encoding(stream)


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}".replace(".", ",")


def _text_encoding(stream: IO[bytes]) -> str:
    """utf-8 (with or without BOM) when every byte decodes as such, else cp1252; a NUL or
    another control byte means a binary file under a text name."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    stream.seek(0)
    while chunk := stream.read(CHUNK):
        if CONTROL.search(chunk):
            raise RefusedFile(_("Isi berkas bukan CSV atau XLSX (nama berkas tidak menentukan jenisnya)."))
        if utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    stream.seek(0)
    if utf8:
        return "utf-8-sig"
    return "cp1252"


def _check_workbook(stream: IO[bytes]) -> None:
    try:
        archive = zipfile.ZipFile(stream)
    except zipfile.BadZipFile:
        raise RefusedFile(_("Berkas XLSX rusak atau bukan XLSX.")) from None
    with archive:
        members = archive.infolist()
        names = {m.filename for m in members}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise RefusedFile(_("Isi berkas bukan CSV atau XLSX (nama berkas tidak menentukan jenisnya)."))
        if len(members) > settings.IMPORT_MAX_ZIP_MEMBERS:
            raise RefusedFile(_("Berkas XLSX memuat terlalu banyak bagian."))
        declared = sum(m.file_size for m in members)
        if declared > settings.IMPORT_MAX_UNZIPPED_BYTES:
            raise _too_big()
        _scan_members(archive, members)
    stream.seek(0)


def _too_big() -> RefusedFile:
    return RefusedFile(
        _("Berkas XLSX terlalu besar setelah dibuka (lebih dari %(limit)s MB).")
        % {"limit": _mb(settings.IMPORT_MAX_UNZIPPED_BYTES)}
    )


def _scan_members(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    """Unpack every part as a stream, counting the real bytes (a header may lie about the
    size) and looking for a DTD, across chunk boundaries."""
    total = 0
    for member in members:
        tail = b""
        with archive.open(member) as part:
            while chunk := part.read(CHUNK):
                total += len(chunk)
                if total > settings.IMPORT_MAX_UNZIPPED_BYTES:
                    raise _too_big()
                if DTD.search(tail + chunk):
                    raise RefusedFile(
                        _("Berkas XLSX memuat DOCTYPE atau ENTITY (entitas eksternal) dan tidak dibaca.")
                    )
                tail = chunk[-32:]


def iter_rows(stream: IO[bytes], kind: str, encoding: str) -> Iterator[list[str]]:
    """Every row as a list of text cells, the header first; memory stays flat."""
    stream.seek(0)
    if kind == XLSX:
        yield from _xlsx_rows(stream)
    else:
        yield from _csv_rows(stream, encoding)


def _csv_rows(stream: IO[bytes], encoding: str) -> Iterator[list[str]]:
    text = io.TextIOWrapper(_unwrapped(stream), encoding=encoding, newline="")
    try:
        first = text.readline()
        dialect = _delimiter(first)
        yield from csv.reader(itertools_chain(first, text), delimiter=dialect)
    finally:
        if not stream.closed:
            text.detach()  # the caller owns the binary stream (a second pass reads it again)


def _unwrapped(stream: IO[bytes]) -> IO[bytes]:
    """The open file under Django's File wrappers (a stored upload is a FieldFile around a
    File around the file): the text reader asks its stream `closed` on every line, and each
    wrapper answers through a Python property."""
    from django.core.files.base import File

    while isinstance(stream, File) and stream.file is not None:
        stream = stream.file
    return stream


def itertools_chain(first: str, rest: IO[str]) -> Iterator[str]:
    yield first
    yield from rest


def _delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (";", ",", "\t", "|")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _xlsx_rows(stream: IO[bytes]) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    # read_only streams the sheet; data_only=False returns a formula as its text.
    workbook = load_workbook(stream, read_only=True, data_only=False, keep_links=False)
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [cell_text(v) for v in row]
    finally:
        workbook.close()


def cell_text(value: object) -> str:
    """A cell as the text a person sees: 3601010101200001.0 is the NIK, a date is YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()
