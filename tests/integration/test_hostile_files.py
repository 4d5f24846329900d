"""Hostile or broken export files (the "reliability under attack" issue): each is loaded, rejected record by
record with its reason, or refused with a one-line message, fast and in bounded memory; never a traceback, a
hang, a silent misreading or a database written over an input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl.load import build, transform_files
from etl.transform import Collector

HEADER = "Identifiant;Intitulé;Collectivité française;Pays;Budget (€)"


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl.cli", *args], capture_output=True, text=True, timeout=timeout)


def one_line_error(p: subprocess.CompletedProcess) -> str:
    assert p.returncode == 2, (p.returncode, p.stderr[-2000:])
    assert "Traceback" not in p.stderr
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1, p.stderr
    return lines[0]


def csv_file(path, *rows: str, header: str = HEADER, encoding: str = "utf-8"):
    path.write_bytes("\n".join([header, *rows, ""]).encode(encoding))
    return path


def collect(*paths):
    sink = Collector()
    _tables, result = transform_files(list(paths), sink)
    assert result.loaded + result.rejected_count == sum(f.records for f in result.files)
    return sink, result


def rejected(sink) -> dict[int, str]:
    return dict(zip(sink.rejected["source_row"], sink.rejected["reason"]))


# 4. Huge budgets -----------------------------------------------------------------------------------------------

def test_budgets_above_the_ceiling_are_rejected_and_never_stored_infinite(tmp_path):
    export = csv_file(tmp_path / "budgets.csv", "B-1;Eau;Ville de Lyon;Mali;" + "9" * 400,
                      "B-2;Eau;Ville de Lyon;Mali;100000000000000000000000",
                      "B-3;Eau;Ville de Lyon;Mali;12300000000000000000", "B-4;Eau;Ville de Lyon;Mali;15 000 €")
    db = build([export], tmp_path / "b.duckdb")
    assert (db.result.loaded, db.result.rejected_count) == (1, 3)
    with duckdb.connect(str(db.db_path), read_only=True) as con:
        assert con.execute("SELECT partnership_id, budget_eur FROM partnerships").fetchall() == [("B-4", 15000.0)]
        reasons = [r for (r,) in con.execute("SELECT reason FROM rejected_rows ORDER BY source_row").fetchall()]
    assert all(r.startswith("budget invraisemblable") and "1\u00a0000\u00a0000\u00a0000 €" in r for r in reasons)


def test_xlsx_numbers_above_the_ceiling_are_rejected(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER.split(";"))
    ws.append(["X-1", "Eau", "Ville de Lyon", "Mali", 1e23])
    ws.append(["X-2", "Eau", "Ville de Lyon", "Mali", 1.23e19])
    ws.append(["X-3", "Eau", "Ville de Lyon", "Mali", 999_999_999.5])
    wb.save(tmp_path / "budgets.xlsx")
    sink, result = collect(tmp_path / "budgets.xlsx")
    assert sink.partnerships["budget_eur"] == [999_999_999.5]
    assert sorted(rejected(sink)) == [1, 2]
    assert all("budget invraisemblable" in r for r in rejected(sink).values())


# 10. Only regular files are read --------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder"])
def test_anything_but_a_regular_file_is_refused_at_once(tmp_path, kind):
    if kind == "fifo":
        path = tmp_path / "tube.csv"
        os.mkfifo(path)
    elif kind == "dev-zero":
        path = Path("/dev/zero")
    else:
        path = tmp_path / "dossier.csv"
        path.mkdir()
    for verb in (["check"], ["build", "--db", str(tmp_path / "x.duckdb")]):
        line = one_line_error(run(*verb, "--input", str(path), "--quiet", timeout=30))
        assert str(path) in line and "n'est pas un fichier ordinaire" in line
    assert not (tmp_path / "x.duckdb").exists()
