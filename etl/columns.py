"""Header matching: which column of an export holds which field (``data/columns.toml``)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from etl.normalise.text import fold_compact
from etl.paths import data_file

MAX_COLUMN_WARNINGS = 20


@cache
def _spec(path: Path | None = None) -> tuple[dict[str, str], tuple[str, ...], tuple[str, ...]]:
    with (path or data_file("columns.toml")).open("rb") as f:
        spec = tomllib.load(f)
    synonyms: dict[str, str] = {}
    for name, headers in spec["fields"].items():
        for h in [name, *headers]:
            synonyms.setdefault(fold_compact(h), name)
    return synonyms, tuple(spec["fields"]), tuple(spec["required"]["fields"])


@dataclass
class ColumnMap:
    """Which column index holds which field, and which columns are extra."""

    fields: dict[str, int]
    extra: dict[str, int]
    warnings: list[str] = field(default_factory=list)
    missing_required: list[str] = field(default_factory=list)


def map_columns(header: list[str], source: str = "") -> ColumnMap:
    """Match an export's header row to the known fields. Unknown or repeated columns are kept aside as extra."""
    synonyms, _names, required = _spec()
    fields: dict[str, int] = {}
    extra: dict[str, int] = {}
    warnings = []
    for i, h in enumerate(header):
        name = synonyms.get(fold_compact(h or ""))
        label = (h or "").strip() or f"colonne {i + 1}"
        if name is None:
            extra[label] = i
            warnings.append(f"{source}: colonne « {label} » non reconnue, conservée à part (extra)")
        elif name in fields:
            extra[label] = i
            warnings.append(
                f"{source}: colonne « {label} » répète le champ {name} de la colonne {fields[name] + 1}, "
                "conservée à part (extra)"
            )
        else:
            fields[name] = i
    missing = [r for r in required if r not in fields]
    if len(warnings) > MAX_COLUMN_WARNINGS:  # a file of thousands of columns: their count, not a line each
        more = len(warnings) - MAX_COLUMN_WARNINGS
        warnings = warnings[:MAX_COLUMN_WARNINGS] + [
            f"{source}: et {more} autres colonnes non reconnues ou répétées, conservées à part (extra)"]
    return ColumnMap(fields, extra, warnings, missing)
