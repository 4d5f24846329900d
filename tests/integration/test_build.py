"""The real ETL, end to end, on the fixture exports."""

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from etl.load import build
from etl.read import UnreadableInput


@pytest.fixture()
def con(fixture_db):
    c = duckdb.connect(str(fixture_db), read_only=True)
    yield c
    c.close()


def one(con, sql, *params):
    return con.execute(sql, list(params)).fetchone()


def test_nothing_is_lost(con):
    loaded = one(con, "SELECT count(*) FROM partnerships")[0]
    rejected = one(con, "SELECT count(*) FROM rejected_rows")[0]
    assert (loaded, rejected) == (29, 11)
    info = one(con, "SELECT records_read, records_loaded, records_rejected, source_kind FROM build_info")
    assert info == (40, 29, 11, "import")
    per_file = con.execute("SELECT source_file, records, loaded, rejected, blank_rows, encoding, delimiter "
                           "FROM build_inputs ORDER BY source_file").fetchall()
    assert per_file == [("atlas_cp1252.csv", 4, 4, 0, 0, "cp1252", ","),
                        ("atlas_small.csv", 36, 25, 11, 1, "utf-8", ";")]
    # every record of the file is in exactly one table
    rows = {r for (r,) in con.execute(
        "SELECT source_row FROM partnerships WHERE source_file = 'atlas_small.csv' UNION ALL "
        "SELECT source_row FROM rejected_rows WHERE source_file = 'atlas_small.csv'").fetchall()}
    assert rows == set(range(1, 38)) - {36}  # record 36 is the blank line


@pytest.mark.parametrize(
    "row, reason",
    [
        (26, "pays partenaire inconnu : « Atlantide »"),
        (27, "nom ambigu : « Saint-Denis »"),
        (28, "ODD hors de 1–17 : 18"),
        (29, "budget négatif"),
        (30, "année de début hors de la plage"),
        (31, "identifiant en double : « A-001 » (déjà ligne 1 de atlas_small.csv)"),
        (32, "pays partenaire en France"),
        (33, "collectivité française manquante"),
        (34, "budget illisible : « beaucoup »"),
        (35, "année de début illisible : « hier »"),
        (37, "ligne mal formée : 19 champs au lieu de 18"),
    ],
)
def test_each_rejection_names_file_row_and_field(con, row, reason):
    got, raw = one(con, "SELECT reason, raw FROM rejected_rows WHERE source_file = 'atlas_small.csv' "
                        "AND source_row = ?", row)
    assert reason in got
    assert json.loads(raw)["Identifiant"]  # the raw record is kept whole


def test_normalised_values(con):
    r = one(con, "SELECT fr_authority_type, fr_commune_code, fr_departement_code, fr_region_code, rrma, "
                 "partner_country_iso3, themes, odds, budget_eur, start_year, end_year, status, action_type "
                 "FROM partnerships WHERE partnership_id = 'A-001'")
    assert r == ("commune", "69123", "69", "84", "resacoop", "MLI", ["EAU"], [6], 15000.0, 2015, 2019,
                 "termine", "COOP_DEC")
    assert one(con, "SELECT budget_eur FROM partnerships WHERE partnership_id = 'A-004'") == (None,)
    assert one(con, "SELECT partner_country_iso3 FROM partnerships WHERE partnership_id = 'A-008'") == ("CAN",)
    assert one(con, "SELECT partner_country_iso3 FROM partnerships WHERE partnership_id = 'A-024'") == ("XKX",)
    assert one(con, "SELECT fr_region_code, fr_commune_code FROM partnerships WHERE partnership_id = 'A-010'") \
        == ("04", "97411")
    assert one(con, "SELECT fr_region_code, rrma FROM partnerships WHERE partnership_id = 'A-008'") == ("11", "ycid")


def test_extra_columns_and_multiline_cells_survive(con):
    extra, = one(con, "SELECT extra FROM partnerships WHERE partnership_id = 'A-015'")
    assert json.loads(extra) == {"Commentaire": "Projet « pilote »; phase 1\nsuite en 2024"}


def test_windows_1252_accents_survive(con):
    assert one(con, "SELECT title, partner_country_iso3 FROM partnerships WHERE partnership_id = 'C-1'") == \
        ("Coopération énergie", "SEN")
    assert one(con, "SELECT partner_country_iso3 FROM partnerships WHERE partnership_id = 'C-4'") == ("CIV",)


def test_xlsx_input_gives_the_same_partnerships(tmp_path, fixture_exports):
    import csv

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    with fixture_exports[0].open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f, delimiter=";"):
            ws.append(row)
    wb.save(tmp_path / "atlas.xlsx")
    from etl.load import transform_files
    from etl.transform import Collector

    from_csv, from_xlsx = Collector(), Collector()
    transform_files([fixture_exports[0]], from_csv)
    transform_files([tmp_path / "atlas.xlsx"], from_xlsx)
    for col in ("partnership_id", "partner_country_iso3", "fr_authority_key", "budget_eur", "odds", "odd_bits",
                "themes", "theme_bits"):
        assert from_csv.partnerships[col] == from_xlsx.partnerships[col]
    assert [r.replace("atlas_small.csv", "atlas.xlsx") for r in from_csv.rejected["reason"]] == \
        from_xlsx.rejected["reason"]
    assert from_csv.rejected["source_row"] == from_xlsx.rejected["source_row"]


def test_python_sink_gets_the_rows_of_the_database(con, fixture_exports):
    """The two outputs of the transformation (the database being built, a Python sink) hold the same rows."""
    from etl.load import transform_files
    from etl.transform import PARTNERSHIP_COLUMNS, Collector

    sink = Collector()
    transform_files(fixture_exports, sink)
    rows = con.execute(f"SELECT {', '.join(PARTNERSHIP_COLUMNS)} FROM partnerships").fetchall()
    assert sorted(zip(*(sink.partnerships[c] for c in PARTNERSHIP_COLUMNS)), key=str) == sorted(rows, key=str)
    assert any(sink.partnerships["odd_bits"]) and any(sink.partnerships["theme_bits"])


def test_same_input_same_content(tmp_path, fixture_exports):
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    build(fixture_exports, a)
    build(fixture_exports, b)
    query = "SELECT * FROM partnerships ORDER BY partnership_id"
    with duckdb.connect(str(a), read_only=True) as ca, duckdb.connect(str(b), read_only=True) as cb:
        assert ca.execute(query).fetchall() == cb.execute(query).fetchall()
        assert ca.execute("SELECT checksum FROM build_info").fetchall() == \
            cb.execute("SELECT checksum FROM build_info").fetchall()


def test_failed_build_leaves_previous_database_intact(tmp_path, fixture_db, fixture_exports, monkeypatch):
    db = tmp_path / "serving.duckdb"
    shutil.copy(fixture_db, db)
    before = db.read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_text("Pays;Budget\nMali;3\n", encoding="utf-8")
    with pytest.raises(UnreadableInput, match="colonne obligatoire absente"):
        build([bad], db)
    assert db.read_bytes() == before

    import etl.load

    def disk_full(*args, **kwargs):
        raise OSError("disque plein (simulé)")

    monkeypatch.setattr(etl.load, "_insert", disk_full)
    with pytest.raises(OSError, match="disque plein"):
        build(fixture_exports, db)
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "serving.duckdb"]  # no temporary left


def test_killed_build_leaves_previous_database_intact(tmp_path, fixture_db, fixture_exports):
    """SIGKILL in the middle of a build (no cleanup code runs): the served file is untouched."""
    import os
    import signal
    import subprocess
    import sys
    import time

    db = tmp_path / "serving.duckdb"
    shutil.copy(fixture_db, db)
    before = db.read_bytes()
    big = tmp_path / "big.csv"
    lines = fixture_exports[0].read_text(encoding="utf-8").splitlines()
    with big.open("w", encoding="utf-8") as f:
        f.write(lines[0] + "\n")
        for k in range(3000):
            for line in lines[1:26]:
                f.write(line.replace("A-0", f"K{k}-", 1) + "\n")
    proc = subprocess.Popen([sys.executable, "-m", "etl.cli", "build", "--input", str(big), "--db", str(db),
                             "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and not any(p.name.startswith(".serving.duckdb.building")
                                             for p in tmp_path.iterdir()):
        time.sleep(0.05)
    time.sleep(0.5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert db.read_bytes() == before
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM partnerships").fetchone() == (29,)
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".serving.duckdb.building")]  # left by the kill
    build(fixture_exports, db)  # the next build clears what the killed one left
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_partnerships_are_stored_by_region_then_country(con):
    """The dashboard's queries filter by region and country: stored in that order, DuckDB skips the row groups
    whose bounds rule them out (measured at 100×: a filter change's p50 424 → 199 ms). Then by start year, then
    in the order of the inputs."""
    stored = con.execute("""SELECT fr_region_code, partner_country_iso3, start_year, f.position, source_row
                            FROM partnerships JOIN (SELECT source_file, row_number() OVER (ORDER BY rowid) AS position
                                                    FROM build_inputs) f USING (source_file)
                            ORDER BY partnerships.rowid""").fetchall()
    assert len({r[:2] for r in stored}) > 10
    assert stored == sorted(stored, key=lambda r: tuple((v is None, v if v is not None else 0) for v in r))


def _tables(db) -> dict[str, list]:
    with duckdb.connect(str(db), read_only=True) as c:
        names = [n for (n,) in c.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        return {n: c.execute(f"SELECT * FROM {n} ORDER BY ALL").fetchall() for n in names if n != "build_info"}


def test_reference_tables_are_copied_from_the_cache(tmp_path, fixture_exports, monkeypatch):
    """The reference tables are written once into the cache folder (``reference-<key>.duckdb``) and copied by
    the next builds, which then load no geometry; the result is the same as writing them, and a damaged cached
    file is made again."""
    import etl.load
    from etl.settings import Settings
    from geo.prepare import cache_key, load_layers

    real_cache = Path(Settings.from_env().cache_dir)
    load_layers(real_cache)
    cache = tmp_path / "cache"
    shutil.copytree(real_cache / f"geo-{cache_key()}", cache / f"geo-{cache_key()}")
    monkeypatch.setenv("COOPATLAS_CACHE_DIR", str(cache))
    build(fixture_exports, tmp_path / "first.duckdb")
    [reference] = cache.glob("reference-*.duckdb")

    def no_geometry(*args):
        raise AssertionError("geometries loaded although the reference tables are cached")

    with monkeypatch.context() as m:
        m.setattr(etl.load, "load_layers", no_geometry)
        build(fixture_exports, tmp_path / "copied.duckdb")
    (tmp_path / "not-a-folder").write_text("")
    monkeypatch.setenv("COOPATLAS_CACHE_DIR", str(tmp_path / "not-a-folder" / "cache"))  # no cache: written here
    monkeypatch.setattr(etl.load, "load_layers", lambda _cache: load_layers(cache))
    build(fixture_exports, tmp_path / "written.duckdb")
    assert _tables(tmp_path / "copied.duckdb") == _tables(tmp_path / "written.duckdb")

    monkeypatch.setenv("COOPATLAS_CACHE_DIR", str(cache))
    reference.write_bytes(b"not a database")
    build(fixture_exports, tmp_path / "repaired.duckdb")
    assert _tables(tmp_path / "repaired.duckdb") == _tables(tmp_path / "written.duckdb")
    assert reference.read_bytes() != b"not a database"
