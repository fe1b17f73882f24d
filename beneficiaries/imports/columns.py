"""The columns of the national lists and how a file's header row is matched to them."""

import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

HOUSEHOLD_COLUMNS = ("NO_KK", "KODE_WILAYAH", "ALAMAT", "RT", "RW", "DESIL")
PERSON_COLUMNS = ("NIK", "NAMA", "JENIS_KELAMIN", "TANGGAL_LAHIR", "HUBUNGAN")
EXPECTED = HOUSEHOLD_COLUMNS + PERSON_COLUMNS
# DESIL may be missing (the model allows a household without one); the rest must be there.
OPTIONAL = frozenset({"DESIL"})

EXAMPLE_ROW = (
    "3601010101200001", "36.01.01.2001", "Kp. Sumberjaya", "001", "002", "1",
    "3601014203850001", "Siti Aminah", "P", "02-03-1985", "KEPALA KELUARGA",
)  # fmt: skip


def normalise(header: object) -> str:
    """`No. KK`, ` no kk `, `no_kk` and `NO-KK` all read as `NO_KK`."""
    text = str(header or "").strip().upper()
    return re.sub(r"[^A-Z0-9]+", "_", text).strip("_")


@dataclass
class ColumnMap:
    index: dict[str, int]  # expected column -> position in the row
    found: list[str]  # headers as the file spells them, in the file's order
    ignored: list[str]
    missing: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)

    @property
    def expected(self) -> list[str]:
        return list(EXPECTED)

    def as_dict(self) -> dict[str, list[str]]:
        return {
            "expected": self.expected,
            "found": self.found,
            "ignored": self.ignored,
            "missing": self.missing,
        }

    def reader(self) -> Callable[[list[str]], dict[str, str]]:
        """A function from a row's cells to the expected columns' values, stripped, by name
        (a short row's missing cells read as empty); built once a file, in C a row."""
        names, positions = list(self.index), list(self.index.values())
        if not names:
            return lambda cells: {}
        width = max(positions) + 1
        take = operator.itemgetter(*positions) if len(positions) > 1 else lambda cells: (cells[positions[0]],)

        def read(cells: list[str]) -> dict[str, str]:
            if len(cells) < width:
                cells = [*cells, *[""] * (width - len(cells))]
            return dict(zip(names, map(str.strip, take(cells)), strict=True))

        return read

    def problem(self) -> str | None:
        """Why the file cannot be read at all, or None."""
        required = [c for c in self.missing if c not in OPTIONAL]
        if required:
            return _("Kolom wajib tidak ditemukan: %(cols)s.") % {"cols": ", ".join(required)}
        if self.duplicated:
            return _("Kolom muncul lebih dari sekali: %(cols)s.") % {"cols": ", ".join(self.duplicated)}
        return None


def map_columns(header: Sequence[object]) -> ColumnMap:
    index: dict[str, int] = {}
    found, ignored, duplicated = [], [], []
    for position, raw in enumerate(header):
        name = normalise(raw)
        if not name:
            continue
        found.append(str(raw).strip())
        if name not in EXPECTED:
            ignored.append(str(raw).strip())
        elif name in index:
            duplicated.append(name)
        else:
            index[name] = position
    missing = [c for c in EXPECTED if c not in index]
    return ColumnMap(index=index, found=found, ignored=ignored, missing=missing, duplicated=duplicated)
