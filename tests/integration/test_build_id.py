"""The build id (``build_info.checksum``) changes with everything a build's content depends on, and only then:
its first 12 characters key the immutable geometry URLs, the export cache and the API ETags."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import duckdb
import pytest

import etl.load
from etl.load import build_id
from etl.paths import data_dir
from geo import prepare
from tests.conftest import ROOT

DATA_DIR_ENV = "COOPATLAS_DATA_DIR"
INPUTS = ["a" * 64, "b" * 64]


@pytest.fixture()
def data_copy(tmp_path, monkeypatch):
    """A copy of the mapping files that the resolver follows (``$COOPATLAS_DATA_DIR``)."""
    folder = tmp_path / "data"
    shutil.copytree(data_dir(), folder)
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    return folder


def test_same_parts_same_id(data_copy, monkeypatch):
    key = prepare.cache_key()
    from_copy = build_id(INPUTS, key)
    assert build_id(list(INPUTS), key) == from_copy
    monkeypatch.delenv(DATA_DIR_ENV)
    assert build_id(INPUTS, key) == from_copy  # the checkout's data/ and its copy: same content, same id


@pytest.mark.parametrize("name", ["themes.csv", "zones.toml", "columns.toml", "country_aliases.csv"])
def test_each_mapping_file_is_covered(data_copy, name):
    before = build_id(INPUTS, "geo")
    with (data_copy / name).open("a", encoding="utf-8") as f:
        f.write("\n# edited\n")
    assert build_id(INPUTS, "geo") != before


def test_a_new_mapping_file_is_covered(data_copy):
    before = build_id(INPUTS, "geo")
    (data_copy / "limits.toml").write_text("[rows]\nmax = 1\n", encoding="utf-8")
    assert build_id(INPUTS, "geo") != before


def test_schema_geometry_version_and_inputs_are_covered(tmp_path, monkeypatch):
    base = build_id(INPUTS, "geo")
    assert build_id(INPUTS, "geo-other") != base
    assert build_id(INPUTS[:1], "geo") != base
    assert build_id(INPUTS[::-1], "geo") != base
    monkeypatch.setattr(etl.load, "__version__", "999")
    assert build_id(INPUTS, "geo") != base
    monkeypatch.undo()
    schema = tmp_path / "schema.sql"
    schema.write_text(etl.load.SCHEMA.read_text(encoding="utf-8") + "\n-- edited\n", encoding="utf-8")
    monkeypatch.setattr(etl.load, "SCHEMA", schema)
    assert build_id(INPUTS, "geo") != base
    monkeypatch.undo()
    monkeypatch.setitem(etl.load.INSET_BOXES, "01", (0.0, 0.0, 1.0))
    assert build_id(INPUTS, "geo") != base


def test_geometry_key_follows_sources_and_parameters(monkeypatch):
    from geo import countries, france

    key = prepare.cache_key()
    monkeypatch.setattr(france, "SIMPLIFY_DEGREES", france.SIMPLIFY_DEGREES * 2)
    assert prepare.cache_key() != key
    monkeypatch.undo()
    monkeypatch.setattr(countries, "source_version", lambda: "Natural Earth 9.9")
    assert prepare.cache_key() != key


def _build(tmp_path, name, export, data=None):
    env = {k: v for k, v in os.environ.items() if k != DATA_DIR_ENV}
    if data is not None:
        env[DATA_DIR_ENV] = str(data)
    db = tmp_path / f"{name}.duckdb"
    p = subprocess.run([sys.executable, "-m", "etl.cli", "build", "--input", str(export), "--db", str(db), "--quiet"],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        checksum, = con.execute("SELECT checksum FROM build_info").fetchone()
        label, = con.execute("SELECT label_en FROM themes WHERE code = 'EAU'").fetchone()
    return checksum, label


def test_editing_a_mapping_file_gives_a_new_build(tmp_path, fixture_exports):
    """End to end: the build reads the overriding folder and its id changes with it."""
    data = tmp_path / "data"
    shutil.copytree(data_dir(), data)
    same, label = _build(tmp_path, "default", fixture_exports[0])
    assert _build(tmp_path, "copy", fixture_exports[0], data) == (same, label)
    themes = data / "themes.csv"
    themes.write_text(themes.read_text(encoding="utf-8").replace(label, "Water (edited)", 1), encoding="utf-8")
    edited, new_label = _build(tmp_path, "edited", fixture_exports[0], data)
    assert new_label == "Water (edited)"
    assert edited != same and edited[:12] != same[:12]
