"""Editions: every ``coopatlas build`` keeps its database as a dated edition, so that a figure quoted from the
Atlas stays reproducible (``?edition=YYYY-MM-DD``) after newer builds.

An edition is a file ``editions/YYYY-MM-DD.duckdb`` in the folder of the served database (one served database
per folder), named by the UTC date of ``build_info.built_at``. It is a hard link to the file the build swapped
in (a copy where the file system has none): builds never write into a published file (they replace it), so
the link keeps that build's content at no disk cost. A second build on the same day replaces that day's
edition. The newest ``keep`` editions are kept, older ones deleted."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

FOLDER = "editions"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class UnknownEdition(LookupError):
    """An edition that is malformed or not kept; the message lists the kept ones."""

    def __init__(self, value: str, kept: list[str]):
        self.value, self.kept = value, kept
        super().__init__(f"édition inconnue : {value!r} ; éditions conservées : {', '.join(kept) or 'aucune'}")


def folder(db_path: str | Path) -> Path:
    return Path(db_path).parent / FOLDER


def is_date(value: str) -> bool:
    """Whether ``value`` is a real ``YYYY-MM-DD`` date."""
    if not isinstance(value, str) or not DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def kept(db_path: str | Path) -> list[str]:
    """The dates of the kept editions, newest first."""
    try:
        names = os.listdir(folder(db_path))
    except OSError:
        return []
    return sorted((n.removesuffix(".duckdb") for n in names if n.endswith(".duckdb")
                   and is_date(n.removesuffix(".duckdb"))), reverse=True)


def path_of(db_path: str | Path, edition: str) -> Path:
    """The file of a kept edition; :class:`UnknownEdition` when it is malformed or not kept."""
    if is_date(edition):
        path = folder(db_path) / f"{edition}.duckdb"
        if path.is_file():
            return path
    raise UnknownEdition(str(edition)[:40], kept(db_path))


def resolve(spec: str, db_path: str | Path | None) -> Path:
    """A database named on the command line: a file, or the date of an edition of ``db_path``'s folder."""
    if is_date(spec) and db_path is not None:
        return path_of(db_path, spec)
    path = Path(spec)
    if path.is_file():
        return path
    raise UnknownEdition(spec, kept(db_path) if db_path is not None else [])


def record(db_path: str | Path, built_on: dt.date, keep: int) -> Path | None:
    """Keep the database just swapped in at ``db_path`` as the edition of ``built_on`` (replacing that day's),
    then delete the editions beyond the newest ``keep``. ``keep`` ≤ 0: no edition. Returns the edition's path."""
    if keep <= 0:
        return None
    db_path = Path(db_path)
    target = folder(db_path) / f"{built_on:%Y-%m-%d}.duckdb"
    target.parent.mkdir(exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        try:
            os.link(db_path, tmp)
        except OSError:  # no hard links on this file system
            shutil.copyfile(db_path, tmp)
        os.replace(tmp, target)  # a reader of that day's previous edition keeps its open file
    finally:
        tmp.unlink(missing_ok=True)
    for old in kept(db_path)[keep:]:
        (target.parent / f"{old}.duckdb").unlink(missing_ok=True)
    return target
