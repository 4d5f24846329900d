"""Shared fixtures: paths, the `../shared` folder, and the fixture database built by the real ETL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def need(condition: bool, reason: str) -> None:
    """Skip with a reason, except in CI where what is needed is always there: there, fail loudly."""
    if condition:
        return
    if in_ci():
        pytest.fail(f"{reason} (CI=true: this must not be missing in CI)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    need(SHARED.is_dir(), f"{SHARED} is absent: checks against the shared reference data cannot run")
    return SHARED


@pytest.fixture(scope="session")
def fixture_exports() -> list[Path]:
    return [FIXTURES / "atlas_small.csv", FIXTURES / "atlas_cp1252.csv"]


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory, fixture_exports) -> Path:
    """The fixture exports built into a DuckDB file by the real ETL, once per session."""
    from etl.load import build

    db = tmp_path_factory.mktemp("db") / "fixture.duckdb"
    build(fixture_exports, db)
    return db


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The demo export built through the same path as a real one."""
    from etl.demo import generate
    from etl.load import build

    folder = tmp_path_factory.mktemp("demo")
    export = folder / "atlas-demo.csv"
    generate(export)
    build([export], folder / "demo.duckdb", source_kind="demo")
    return folder / "demo.duckdb"


@pytest.fixture(scope="session")
def hostile_db(tmp_path_factory) -> Path:
    """A database whose data holds HTML, scripts and formulas."""
    from etl.load import build

    db = tmp_path_factory.mktemp("hostile") / "hostile.duckdb"
    build([FIXTURES / "atlas_hostile.csv"], db)
    return db


@pytest.fixture()
def limits_override(tmp_path, monkeypatch):
    """``apply({"cells.max_chars": 10})``: the ETL reads a copy of ``data/limits.toml`` with those values."""
    import tomllib

    import etl.limits

    def apply(changes: dict[str, float]) -> None:
        spec = tomllib.loads(etl.limits.LIMITS_FILE.read_text(encoding="utf-8"))
        for key, value in changes.items():
            section, name = key.split(".")
            spec[section][name] = value
        path = tmp_path / "limits.toml"
        path.write_text("".join(f"[{s}]\n" + "".join(f"{k} = {v!r}\n" for k, v in values.items())
                                for s, values in spec.items()), encoding="utf-8")
        monkeypatch.setattr(etl.limits, "LIMITS_FILE", path)
        etl.limits.limits.cache_clear()

    yield apply
    etl.limits.limits.cache_clear()


# Two editions of the fixture export (tests of etl/editions.py, etl/diff.py, ?edition= and the "Nouveautés" page):
# the export of November, then December's, which differs from it by these known rows.
OLD_EDITION, NEW_EDITION = "2026-11-01", "2026-12-01"
ADDED_ROWS = (
    "A-900;Nouveau projet;Ville de Lyon;Commune;69123;;;Maroc;Commune de Fès;Eau et assainissement;ODD 6;"
    "Coopération décentralisée;2025;;5 000 €;;En cours;",
    "A-901;Santé maternelle;Région Bretagne;Région;;;;Sénégal;Région de Ziguinchor;Santé;ODD 3;"
    "Coopération décentralisée;2026;;;;En projet;",
)
REMOVED_IDS = ("A-004",)
CHANGES = {  # id → (text in November's line, text in December's): A-001's budget; A-002 ends in 2024
    "A-001": ("15 000 €", "18 000 €"),
    "A-002": (";01/03/2012;;250 k€;DAECT AAP;En cours;", ";01/03/2012;2024;250 k€;DAECT AAP;Terminé;"),
}
KNOWN_DIFF = {"added": 2, "removed": 1, "changed": 2, "ended": 1}
KNOWN_FIELDS = {"budget_eur": 1, "end_year": 1, "status": 1}


def next_export(path: Path) -> Path:
    """December's export: November's (``atlas_small.csv``) with :data:`REMOVED_IDS` out, :data:`CHANGES` made and
    :data:`ADDED_ROWS` appended."""
    lines, seen = [], set()
    for line in (FIXTURES / "atlas_small.csv").read_text(encoding="utf-8").splitlines():
        key = line.split(";", 1)[0]
        if key in REMOVED_IDS:
            continue
        if key in CHANGES and key not in seen:  # the first record of an id is the one loaded
            before, after = CHANGES[key]
            assert before in line, key
            line = line.replace(before, after)
        seen.add(key)
        lines.append(line)
    path.write_text("\n".join([*lines, *ADDED_ROWS]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def editions_db(tmp_path_factory) -> Path:
    """A served database built twice, on :data:`OLD_EDITION` then :data:`NEW_EDITION`, keeping its editions."""
    import datetime as dt

    from etl.load import build

    folder = tmp_path_factory.mktemp("editions")
    db = folder / "atlas.duckdb"
    build([FIXTURES / "atlas_small.csv"], db, keep_editions=12, built_at=dt.datetime(2026, 11, 1, 9, 30))
    build([next_export(folder / "next.csv")], db, keep_editions=12, built_at=dt.datetime(2026, 12, 1, 9, 30))
    return db
