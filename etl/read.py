"""Reading exports: CSV (:mod:`etl.read_csv`) and XLSX (:mod:`etl.read_xlsx`), each opened as a
:class:`~etl.rawtable.RawTable`: its header, and its records streamed as lists of strings, numbered from 1
(header excluded), so that a rejection can name the file and row a user opens in a spreadsheet. Records are
streamed, never all held in memory: a million-row export reads in constant memory.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

from etl.rawtable import BadRecord, RawTable, UnreadableInput
from etl.read_csv import _open_csv, decode, read_csv_bytes, sniff_delimiter
from etl.read_xlsx import _open_xlsx

__all__ = ["BadRecord", "RawTable", "UnreadableInput", "check_regular", "decode", "read_csv_bytes", "read_table",
           "sniff_delimiter", "source_labels"]

_KINDS = ((stat.S_ISDIR, "c'est un dossier"), (stat.S_ISFIFO, "c'est un tube"), (stat.S_ISCHR, "c'est un périphérique"),
          (stat.S_ISBLK, "c'est un périphérique"), (stat.S_ISSOCK, "c'est une socket"))


def check_regular(path: Path) -> None:
    """Refuse anything but a regular file before opening it: opening a FIFO blocks until a writer comes, and
    ``/dev/zero`` never ends."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError as exc:
        raise UnreadableInput(f"{path} : fichier introuvable") from exc
    except OSError as exc:
        raise UnreadableInput(f"{path} : lecture impossible ({exc.strerror or exc})") from exc
    if not stat.S_ISREG(mode):
        kind = next((label for test, label in _KINDS if test(mode)), "type de fichier inconnu")
        raise UnreadableInput(f"{path} n'est pas un fichier ordinaire ({kind}) : donnez le chemin d'un export "
                              "CSV ou XLSX")


def source_labels(paths: Sequence[str | Path]) -> list[str]:
    """How each input is named in the database (``source_file``) and in generated identifiers: its file name,
    or, when several inputs share a name, the shortest end of their paths that tells them apart
    (``2024/export.csv``, ``2025/export.csv``). A file given twice keeps one name."""
    resolved = [Path(os.path.abspath(p)) for p in paths]
    labels = [p.name for p in resolved]
    for name in set(labels):
        group = [i for i, label in enumerate(labels) if label == name]
        distinct = {resolved[i] for i in group}
        depth = 1
        while len({_tail(resolved[i], depth) for i in group}) < len(distinct):
            depth += 1
        for i in group:
            labels[i] = _tail(resolved[i], depth)
    return labels


def _tail(path: Path, depth: int) -> str:
    return str(path) if depth >= len(path.parts) else "/".join(path.parts[-depth:])


def read_table(path: str | Path, label: str | None = None) -> RawTable:
    """Open one export file; raises :class:`UnreadableInput` with a clear message when it cannot be read.
    ``label`` names the file in the database and in messages (default: its name; see :func:`source_labels`)."""
    path = Path(path)
    name = label or path.name
    check_regular(path)
    try:
        with path.open("rb") as f:
            magic = f.read(8)
    except OSError as exc:
        raise UnreadableInput(f"{path} : lecture impossible ({exc.strerror or exc})") from exc
    if magic[:4] == b"PK\x03\x04" or path.suffix.lower() in (".xlsx", ".xlsm"):
        table = _open_xlsx(path, name)
    elif magic == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnreadableInput(f"{name} : ancien format Excel (.xls) ; enregistrez-le en .xlsx ou en CSV")
    else:
        table = _open_csv(lambda: path.open("rb"), name, str(path))
    if not any(table.header):
        raise UnreadableInput(f"{name} : pas de ligne d'en-tête")
    return table
