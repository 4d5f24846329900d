"""The limits of what a build accepts, from ``data/limits.toml``.

They are data, not code, so that a user whose real export is larger can raise one without touching code; every
message that refuses a file or rejects a record names the limit it hit (:func:`where`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from etl.paths import data_file

LIMITS_FILE = data_file("limits.toml")  # read where the mapping files are (a wheel, a checkout, $COOPATLAS_DATA_DIR)


@dataclass(frozen=True)
class Limits:
    budget_max_eur: float
    cell_max_chars: int
    max_columns: int
    csv_max_line_chars: int
    xlsx_max_rows: int
    xlsx_max_uncompressed_bytes: int
    xlsx_max_part_bytes: int
    xlsx_max_shared_strings_bytes: int
    xlsx_max_row_bytes: int
    xlsx_max_compression_ratio: float


@cache
def limits(path: Path | None = None) -> Limits:
    with (path or LIMITS_FILE).open("rb") as f:
        spec = tomllib.load(f)
    budget, cells, csv, xlsx = spec["budget"], spec["cells"], spec["csv"], spec["xlsx"]
    return Limits(
        budget_max_eur=float(budget["max_eur"]),
        cell_max_chars=int(cells["max_chars"]),
        max_columns=int(cells["max_columns"]),
        csv_max_line_chars=int(csv["max_line_chars"]),
        xlsx_max_rows=int(xlsx["max_rows"]),
        xlsx_max_uncompressed_bytes=int(xlsx["max_uncompressed_bytes"]),
        xlsx_max_part_bytes=int(xlsx["max_part_bytes"]),
        xlsx_max_shared_strings_bytes=int(xlsx["max_shared_strings_bytes"]),
        xlsx_max_row_bytes=int(xlsx["max_row_bytes"]),
        xlsx_max_compression_ratio=float(xlsx["max_compression_ratio"]),
    )


def where(key: str) -> str:
    """How a message names a limit: ``"limite cells.max_chars de data/limits.toml"``."""
    return f"limite {key} de data/{LIMITS_FILE.name}"


def number(n: float) -> str:
    """French thousands grouping for messages: ``32767`` → ``"32 767"`` (no-break spaces)."""
    return f"{n:,.0f}".replace(",", "\u00a0")
