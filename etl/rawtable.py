"""What a reader gives the transformation: a :class:`RawTable` (the header, and the records streamed as lists of
strings) and, for a record the reader could not take whole, a :class:`BadRecord` saying why.

A record is numbered from 1 (header excluded), so that a rejection names the file and row a user opens in a
spreadsheet. A record the reader cannot take whole (a cell over ``cells.max_chars``, a CSV line over
``csv.max_line_chars``) is still a record: it is rejected with its reason and its cells, cut to the limit, so
that one bad record never costs the others and nothing is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from etl.limits import limits, number, where


class UnreadableInput(Exception):
    """The file cannot be read at all (missing, empty, not CSV/XLSX, no header); the message names the file."""


class BadRecord(list):
    """The cells of a record the reader could not take whole, and why (the rejection reason)."""

    def __init__(self, cells: list[str], reason: str):
        super().__init__(cells)
        self.reason = reason


@dataclass
class RawTable:
    source_file: str
    header: list[str]
    records: Callable[[], Iterator[list[str]]]  # a fresh iterator over the records after the header
    encoding: str
    delimiter: str | None
    sha256: str
    size: int  # bytes, for progress
    position: Callable[[], int] = lambda: 0  # bytes read so far by the current iterator
    notes: list[str] = field(default_factory=list)
    # What reading found worth telling (records decoded in another encoding, formulas without a value): set
    # by the records iterator, complete once it is exhausted.
    warnings: list[str] = field(default_factory=list)
    # A CSV file DuckDB's own reader may read as this module would (:class:`etl.read_csv.PlainBytes`): its path,
    # else ``None`` (XLSX, bytes in memory, NUL bytes, blank lines). Its ``encoding`` says UTF-8 unchecked: DuckDB
    # checks it as it reads; when the records are read by Python instead, ``settle()`` (called by ``records()``)
    # has Python find the encoding first.
    plain_path: str | None = None
    settle: Callable[[], None] = lambda: None

    @property
    def rows(self) -> list[list[str]]:
        """All records at once (small files and tests only)."""
        return list(self.records())


def check_cells(cells: list[str], header: list[str]) -> list[str]:
    """``cells`` as they are, or a :class:`BadRecord` cut to the limit when one of them is longer than
    ``cells.max_chars``."""
    most = limits().cell_max_chars
    if not cells or max(map(len, cells)) <= most:
        return cells
    k, longest = max(enumerate(cells), key=lambda kv: len(kv[1]))
    column = header[k] if k < len(header) and header[k] else f"colonne {k + 1}"
    return BadRecord(cut(cells), f"cellule trop longue : colonne « {column} », {number(len(longest))} caractères "
                                 f"(au plus {number(most)}, {where('cells.max_chars')})")


def cut(cells: list[str]) -> list[str]:
    """Cells cut to ``cells.max_chars``, each cut one saying how much it lost (the raw cells of a rejection)."""
    most = limits().cell_max_chars
    return [c if len(c) <= most else f"{c[:most]}… [{number(len(c) - most)} caractères coupés]" for c in cells]


def plural(n: int, one: str, many: str) -> str:
    return f"{number(n)} {one if n == 1 else many}"


def rows_list(rows: list[int], shown: int = 20) -> str:
    """``"lignes 3, 7, 12"``, the first ``shown`` of them, then how many more."""
    head = ", ".join(str(r) for r in rows[:shown])
    more = f"… ({number(len(rows))} en tout)" if len(rows) > shown else ""
    return f"{'ligne' if len(rows) == 1 else 'lignes'} {head}{more}"
