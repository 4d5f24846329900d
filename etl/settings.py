"""Every ``COOPATLAS_*`` setting, declared once (each documented in the README's Settings table, which
tests/unit/test_settings.py checks). Read from the environment by :meth:`Settings.from_env`; the command line's
options override them."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path


def _default_cache() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return str(Path(base) / "coopatlas")


@dataclass(frozen=True)
class Settings:
    db: str = field(default="data/built/demo.duckdb", metadata={"env": "COOPATLAS_DB"})
    debug: bool = field(default=False, metadata={"env": "COOPATLAS_DEBUG"})
    cache_dir: str = field(default_factory=_default_cache, metadata={"env": "COOPATLAS_CACHE_DIR"})
    data_dir: str = field(default="", metadata={"env": "COOPATLAS_DATA_DIR"})  # a customised copy of data/
    chromium: str = field(default="", metadata={"env": "COOPATLAS_CHROMIUM"})
    self_url: str = field(default="", metadata={"env": "COOPATLAS_SELF_URL"})

    @classmethod
    def from_env(cls, environ: dict | None = None, **overrides) -> Settings:
        """Settings from the environment (``1``/``true`` for booleans), then ``overrides`` that are not None."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = environ.get(f.metadata["env"])
            if raw not in (None, ""):
                values[f.name] = raw.lower() in ("1", "true", "yes") if f.type in ("bool", bool) else raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    @staticmethod
    def variables() -> list[str]:
        return [f.metadata["env"] for f in fields(Settings)]
