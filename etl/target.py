"""Where a build may write its database (``--db``), checked before any work.

A build that fails at its very end (``os.replace`` over a folder, a folder it cannot write into) wastes the whole
build and used to end in a traceback; one that writes over one of its inputs (``--db export.csv``) destroys the
export. Both are refused up front, in one line naming the path.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

DUCKDB_MAGIC = b"DUCK"  # bytes 8–11 of every DuckDB database file


class UnwritableTarget(Exception):
    """``--db`` cannot or must not be written; the message names the path and why."""


def check_target(db_path: Path, inputs: Sequence[Path]) -> None:
    for p in inputs:
        if _same_file(db_path, p):
            raise UnwritableTarget(f"{db_path} est aussi un fichier d'entrée (--input {p}) : la base l'écraserait ; "
                                   "choisissez un autre chemin pour --db")
    if db_path.is_dir():
        raise UnwritableTarget(f"{db_path} est un dossier : --db attend le chemin du fichier de la base "
                               f"(par exemple {db_path / 'atlas.duckdb'})")
    if db_path.exists() and not _is_database(db_path):
        raise UnwritableTarget(f"{db_path} existe et n'est pas une base DuckDB : la construction ne l'écrase pas ; "
                               "supprimez-le ou choisissez un autre chemin pour --db")
    folder = db_path.parent
    blocking = next((a for a in (folder, *folder.parents) if a.exists()), None)
    if blocking is not None and not blocking.is_dir():
        raise UnwritableTarget(f"{blocking} n'est pas un dossier : impossible d'y créer {db_path}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=f".{db_path.name}.essai-")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise UnwritableTarget(f"impossible d'écrire dans {folder} ({exc.strerror or exc}) : "
                               "choisissez un autre dossier pour --db") from exc


def _same_file(a: Path, b: Path) -> bool:
    """The same file by its resolved path, or by its inode (hard links, symbolic links, ``x/../``)."""
    try:
        if a.resolve() == b.resolve():
            return True
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _is_database(path: Path) -> bool:
    try:
        if not path.is_file():
            return False
        with path.open("rb") as f:
            head = f.read(12)
    except OSError:
        return False
    return not head or head[8:12] == DUCKDB_MAGIC
