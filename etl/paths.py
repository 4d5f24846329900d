"""Where the project's own files are: the mapping files of ``data/`` and the schema.

In a checkout (and an editable install) the mapping files are the repository's top-level ``data/`` folder; a
wheel ships the same files as ``etl/data/`` (``pyproject.toml`` maps ``data/`` to the package ``etl.data``).
:func:`data_file` is the one way to reach them; ``$COOPATLAS_DATA_DIR`` points it at another folder (a
customised copy of ``data/``).
"""

from __future__ import annotations

from pathlib import Path

from etl.settings import Settings

PACKAGE = Path(__file__).resolve().parent
SCHEMA = PACKAGE / "schema.sql"
MAPPING_PATTERNS = ("*.csv", "*.toml")  # what a mapping file is: shipped in the wheel and covered by the build id


def data_dir() -> Path:
    """``$COOPATLAS_DATA_DIR`` when set; else the copy inside an installed wheel (``etl/data``); else the
    checkout's ``data/``."""
    override = Settings.from_env().data_dir
    if override:
        return Path(override)
    shipped = PACKAGE / "data"
    return shipped if shipped.is_dir() else PACKAGE.parent / "data"


def data_file(name: str) -> Path:
    """A mapping file of ``data/`` by name (``themes.csv``, ``zones.toml``…)."""
    return data_dir() / name


def mapping_files() -> list[Path]:
    """Every mapping file of the data folder, sorted by name."""
    folder = data_dir()
    return sorted({p for pattern in MAPPING_PATTERNS for p in folder.glob(pattern)}, key=lambda p: p.name)


# Read once at import, for the modules that join names onto it: prefer data_file(), which follows the override.
DATA_DIR = data_dir()
