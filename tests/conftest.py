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
