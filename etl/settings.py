"""Every ``COOPATLAS_*`` setting, declared once (each documented in the README's Settings table, which
tests/unit/test_settings.py checks). Read from the environment by :meth:`Settings.from_env`; the command line's
options override them."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

log = logging.getLogger(__name__)


def _default_cache() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return str(Path(base) / "coopatlas")


@dataclass(frozen=True)
class Settings:
    db: str = field(default="data/built/demo.duckdb", metadata={"env": "COOPATLAS_DB"})
    debug: bool = field(default=False, metadata={"env": "COOPATLAS_DEBUG"})
    cache_dir: str = field(default_factory=_default_cache, metadata={"env": "COOPATLAS_CACHE_DIR"})
    data_dir: str = field(default="", metadata={"env": "COOPATLAS_DATA_DIR"})  # a customised copy of data/
    chromium: str = field(default="", metadata={"env": "COOPATLAS_CHROMIUM"})  # default: chromium on the PATH
    # DuckDB threads per query: 1 serves many requests at once best (the server's threads give the parallelism).
    query_threads: int = field(default=1, metadata={"env": "COOPATLAS_QUERY_THREADS", "min": 1})
    # Exports (dashboard/exports.py): heavy downloads at once per process, renders waiting per process, seconds a
    # request waits for its render, render every region's exports after a build loads, where exports are kept.
    export_slots: int = field(default=4, metadata={"env": "COOPATLAS_EXPORT_SLOTS", "min": 1})
    export_queue: int = field(default=4, metadata={"env": "COOPATLAS_EXPORT_QUEUE", "min": 1})
    export_wait: float = field(default=20.0, metadata={"env": "COOPATLAS_EXPORT_WAIT", "min": 0.1})
    export_warm: bool = field(default=False, metadata={"env": "COOPATLAS_EXPORT_WARM"})
    export_dir: str = field(default="", metadata={"env": "COOPATLAS_EXPORT_DIR"})
    # The views' CSV kept there (dashboard/downloads.py), in megabytes at most, the oldest deleted first.
    csv_cache_mb: int = field(default=2000, metadata={"env": "COOPATLAS_CSV_CACHE_MB", "min": 0})
    # Editions (etl/editions.py): how many dated databases ``coopatlas build`` keeps beside the served one.
    editions_keep: int = field(default=12, metadata={"env": "COOPATLAS_EDITIONS_KEEP", "min": 0})

    @classmethod
    def from_env(cls, environ: dict | None = None, **overrides) -> Settings:
        """Settings from the environment (``1``/``true`` for booleans), then ``overrides`` that are not None."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = environ.get(f.metadata["env"])
            if raw is None or not raw.strip():
                continue
            if f.type in ("bool", bool):
                values[f.name] = raw.strip().lower() in ("1", "true", "yes", "oui")
            elif f.type in ("int", "float"):
                try:
                    values[f.name] = max(f.metadata.get("min", 0), (int if f.type == "int" else float)(raw))
                except ValueError:
                    log.warning("%s=%r ignoré (nombre attendu)", f.metadata["env"], raw)
            else:
                values[f.name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def to_env(self) -> dict[str, str]:
        """These settings as the environment :meth:`from_env` reads them back from (for a child process)."""
        def text(value) -> str:
            return ("1" if value else "0") if isinstance(value, bool) else str(value)

        return {f.metadata["env"]: text(getattr(self, f.name)) for f in fields(self)}

    @staticmethod
    def variables() -> list[str]:
        return [f.metadata["env"] for f in fields(Settings)]
