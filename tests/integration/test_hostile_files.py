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


# 11. Where the database may be written ----------------------------------------------------------------------------

@pytest.fixture()
def small_export(tmp_path):
    return csv_file(tmp_path / "export.csv", "E-1;Eau;Ville de Lyon;Mali;15 000 €")


@pytest.fixture()
def read_only_folder(tmp_path):
    """A folder this process cannot write into (root writes anywhere but in sysfs)."""
    if os.geteuid() != 0:
        folder = tmp_path / "lecture-seule"
        folder.mkdir()
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    folder = Path("/sys")
    try:
        (folder / "coopatlas-probe").touch()
    except OSError:
        yield folder
        return
    pytest.skip("no folder this (root) process cannot write into")


def test_db_in_a_read_only_folder_is_a_one_line_error(small_export, read_only_folder):
    line = one_line_error(run("build", "--input", str(small_export), "--db", str(read_only_folder / "a.duckdb"),
                              "--quiet"))
    assert str(read_only_folder) in line and "écrire" in line


def test_db_on_a_folder_or_under_a_file_is_a_one_line_error(tmp_path, small_export):
    folder = tmp_path / "dossier"
    folder.mkdir()
    line = one_line_error(run("build", "--input", str(small_export), "--db", str(folder), "--quiet"))
    assert str(folder) in line and "dossier" in line
    a_file = tmp_path / "notes.txt"
    a_file.write_text("à garder\n", encoding="utf-8")
    line = one_line_error(run("build", "--input", str(small_export), "--db", str(a_file / "a.duckdb"), "--quiet"))
    assert str(a_file) in line and "pas un dossier" in line
    assert a_file.read_text(encoding="utf-8") == "à garder\n"


def test_db_never_written_over_an_input(tmp_path, small_export):
    before = small_export.read_bytes()
    hard = tmp_path / "lien-dur.duckdb"
    os.link(small_export, hard)
    soft = tmp_path / "lien.duckdb"
    soft.symlink_to(small_export)
    dotted = tmp_path / "sous" / ".." / "export.csv"
    (tmp_path / "sous").mkdir()
    for db in (small_export, hard, soft, dotted):
        line = one_line_error(run("build", "--input", str(small_export), "--db", str(db), "--quiet"))
        assert "fichier d'entrée" in line, line
    assert small_export.read_bytes() == before


def test_db_never_written_over_a_file_that_is_not_a_database(tmp_path, small_export):
    other = tmp_path / "rapport.pdf"
    other.write_bytes(b"%PDF-1.7 pas une base")
    line = one_line_error(run("build", "--input", str(small_export), "--db", str(other), "--quiet"))
    assert "pas une base DuckDB" in line
    assert other.read_bytes() == b"%PDF-1.7 pas une base"
    # an existing database is rebuilt in place, as before
    db = tmp_path / "atlas.duckdb"
    build([small_export], db)
    build([small_export], db)


def test_a_write_error_of_duckdb_is_one_line_and_keeps_the_previous_database(tmp_path, small_export, monkeypatch):
    import etl.load
    from etl.target import UnwritableTarget

    db = tmp_path / "atlas.duckdb"
    build([small_export], db)
    before = db.read_bytes()

    def disk_full(*args, **kwargs):
        raise duckdb.IOException("No space left on device (simulé)")

    monkeypatch.setattr(etl.load, "_insert", disk_full)
    with pytest.raises(UnwritableTarget, match="écriture de la base impossible.*la base précédente est intacte"):
        build([small_export], db)
    assert db.read_bytes() == before


# 14. Files of the same name in different folders -------------------------------------------------------------------

NO_ID = "Intitulé;Collectivité française;Pays;Budget (€)"


def test_files_of_the_same_name_in_two_folders_all_load_with_distinct_ids(tmp_path):
    (tmp_path / "2024").mkdir()
    (tmp_path / "2025").mkdir()
    a = csv_file(tmp_path / "2024" / "export.csv", "Eau;Ville de Lyon;Mali;1", "Santé;Ville de Lyon;Niger;2",
                 header=NO_ID)
    b = csv_file(tmp_path / "2025" / "export.csv", "Eau;Région Bretagne;Mali;3", "Culture;Ville de Lyon;Bénin;4",
                 header=NO_ID)
    sink, result = collect(a, b)
    assert (result.loaded, result.rejected_count) == (4, 0)
    assert sorted(sink.partnerships["partnership_id"]) == [  # stored by region, not in file order
        "2024/export.csv#1", "2024/export.csv#2", "2025/export.csv#1", "2025/export.csv#2"]
    assert [f.source_file for f in result.files] == ["2024/export.csv", "2025/export.csv"]
    single, _ = collect(a)  # one file: the ids of earlier builds are kept
    assert sorted(single.partnerships["partnership_id"]) == ["export.csv#1", "export.csv#2"]
    assert single.partnerships["source_file"] == ["export.csv", "export.csv"]


def test_the_same_export_twice_is_recognised_by_its_checksum(tmp_path):
    (tmp_path / "copie").mkdir()
    a = csv_file(tmp_path / "export.csv", "Eau;Ville de Lyon;Mali;1", header=NO_ID)
    b = tmp_path / "copie" / "atlas.csv"
    b.write_bytes(a.read_bytes())
    sink, result = collect(a, b)
    assert (result.loaded, result.rejected_count) == (1, 1)
    assert "identifiant en double : « export.csv#1 » (déjà ligne 1 de export.csv)" in sink.rejected["reason"][0]
    assert any("atlas.csv" in w and "même contenu" in w and "export.csv" in w for w in result.warnings)


# 16. Control characters of a file are escaped in messages ------------------------------------------------------------

def test_control_characters_from_a_file_are_escaped_in_messages(tmp_path):
    bad = tmp_path / "entetes.csv"
    bad.write_bytes(b"Collectivit\x1b[31m\xc3\xa9;Pays\x00;Budget\x07\nLyon;Mali;3\n")
    p = run("check", "--input", str(bad), "--quiet")
    line = one_line_error(p)
    assert "colonne obligatoire absente" in line
    assert "Collectivit\\x1b[31mé" in line and "Pays\\x00" in line and "Budget\\x07" in line
    assert not any(c in p.stderr for c in "\x1b\x00\x07")
    odd = csv_file(tmp_path / "valeurs.csv", "V-1;Eau\x1b[2J;Ville de Lyon;Atlan\u202etide;1",
                   header=HEADER + ";Note\x1b[1m\x07")
    p = run("check", "--input", str(odd), "--quiet")
    assert p.returncode == 0, p.stderr
    assert "« Note\\x1b[1m\\x07 »" in p.stdout and "Atlan\\u202etide" in p.stdout
    assert not any(c in p.stdout for c in "\x1b\x07\u202e")


# 7. One long cell rejects its record, not the file -------------------------------------------------------------------

def test_a_cell_longer_than_the_limit_rejects_its_record_only(tmp_path):
    long_title = "x" * 200_000
    quoted = '"' + "ligne\n" * 40_000 + '"'
    export = csv_file(tmp_path / "long.csv", "L-1;Eau;Ville de Lyon;Mali;1", f"L-2;{long_title};Ville de Lyon;Mali;2",
                      f"L-3;{quoted};Ville de Lyon;Niger;3", "L-4;Santé;Ville de Lyon;Niger;4")
    p = run("check", "--input", str(export), "--quiet")
    assert p.returncode == 0, p.stderr
    assert "Lus : 4 · chargés : 2 · rejetés : 2" in p.stdout
    assert "long.csv, ligne 2 : cellule trop longue : colonne « Intitulé », 200\u00a0000 caractères" in p.stdout
    assert "long.csv, ligne 3 : cellule trop longue : colonne « Intitulé », 240\u00a0000 caractères" in p.stdout
    assert "cells.max_chars de data/limits.toml" in p.stdout
    db = build([export], tmp_path / "l.duckdb")
    with duckdb.connect(str(db.db_path), read_only=True) as con:
        assert con.execute("SELECT partnership_id FROM partnerships ORDER BY 1").fetchall() == [("L-1",), ("L-4",)]
        rows = con.execute("SELECT source_row, length(raw), raw FROM rejected_rows ORDER BY 1").fetchall()
    assert [r[0] for r in rows] == [2, 3]
    assert all(n < 40_000 and '"Identifiant": "L-' in raw for _, n, raw in rows)  # kept, cut at the limit


def test_the_cell_size_limit_is_configurable(tmp_path, limits_override):
    limits_override({"cells.max_chars": 25})
    export = csv_file(tmp_path / "court.csv", "C-1;Eau;Ville de Lyon;Mali;1",
                      "C-2;Eau potable et assainissement;Ville de Lyon;Mali;2")
    sink, result = collect(export)
    assert sink.partnerships["partnership_id"] == ["C-1"]
    assert "colonne « Intitulé », 29 caractères (au plus 25" in rejected(sink)[2]
    limits_override({"cells.max_chars": 29})
    sink, result = collect(export)
    assert sink.partnerships["partnership_id"] == ["C-1", "C-2"]


def test_a_line_longer_than_the_limit_is_skipped_in_bounded_memory(tmp_path, limits_override):
    limits_override({"csv.max_line_chars": 100_000})
    export = csv_file(tmp_path / "ligne.csv", "G-1;Eau;Ville de Lyon;Mali;1",
                      "G-2;" + ";".join(["Ville de Lyon"] * 50_000), "G-3;Santé;Ville de Lyon;Niger;4")
    sink, result = collect(export)
    assert sink.partnerships["partnership_id"] == ["G-1", "G-3"]
    assert "ligne de plus de 100\u00a0000 caractères" in rejected(sink)[2]


# 6. Encodings decoded line by line -------------------------------------------------------------------------------

def test_one_windows_1252_record_in_a_utf8_file_is_decoded_alone_and_named(tmp_path):
    export = tmp_path / "mixte.csv"
    export.write_bytes(b"\n".join([
        b"Identifiant;Intitule;Collectivite francaise;Pays;Budget",  # an ASCII header
        "M-1;Commune de Réo;Région Bretagne;Burkina Faso;1".encode(),
        "M-2;Été à Kayes;Région Bretagne;Mali;2".encode("cp1252"),
        "M-3;Santé;Région Bretagne;Sénégal;3".encode(),
        b"",
    ]))
    sink, result = collect(export)
    assert sink.partnerships["partnership_id"] == ["M-1", "M-2", "M-3"]
    assert sink.partnerships["title"] == ["Commune de Réo", "Été à Kayes", "Santé"]
    assert sink.partnerships["fr_authority_name"] == ["Région Bretagne"] * 3
    assert result.files[0].encoding == "utf-8+cp1252"
    [warning] = [w for w in result.warnings if "mixte.csv" in w and "Windows-1252" in w]
    assert "ligne 2" in warning and "ligne 1" not in warning and "ligne 3" not in warning


def test_an_accented_header_with_one_windows_1252_record_still_builds(tmp_path):
    export = tmp_path / "accents.csv"
    export.write_bytes(b"\n".join([
        HEADER.encode(),
        "A-1;Été;Région Bretagne;Mali;1".encode(),
        "A-2;Été;Région Bretagne;Mali;2".encode(),
        "A-3;Coopération;Région Bretagne;Sénégal;3".encode("cp1252"),
        b"",
    ]))
    sink, result = collect(export)
    assert (result.loaded, result.rejected_count) == (3, 0)
    assert sink.partnerships["title"] == ["Été", "Été", "Coopération"]
    assert any("accents.csv" in w and "ligne 3" in w for w in result.warnings)


def test_a_bom_followed_by_windows_1252_gives_a_clean_first_header(tmp_path):
    export = tmp_path / "bom.csv"
    export.write_bytes(b"\xef\xbb\xbf" + "\n".join([HEADER, "B-1;Été;Région Bretagne;Mali;1", ""]).encode("cp1252"))
    sink, result = collect(export)
    assert (result.loaded, result.rejected_count) == (1, 0)
    assert sink.partnerships["partnership_id"] == ["B-1"] and sink.partnerships["title"] == ["Été"]
    assert not [w for w in result.warnings if "colonne" in w]
    assert result.files[0].encoding == "cp1252"


def test_a_whole_windows_1252_file_has_no_warning(tmp_path):
    export = csv_file(tmp_path / "ansi.csv", "W-1;Été;Région Bretagne;Mali;1", "W-2;Eau;Ville de Lyon;Mali;2",
                      encoding="cp1252")
    sink, result = collect(export)
    assert sink.partnerships["title"] == ["Été", "Eau"]
    assert result.files[0].encoding == "cp1252" and result.warnings == []


def test_a_plain_windows_1252_file_is_left_to_duckdb_then_read_by_python(tmp_path):
    """The checksum pass leaves the UTF-8 check of a plain file to DuckDB's reader (decoding was the costliest
    part of that pass): DuckDB refuses the Windows-1252 bytes, and the Python reader finds the encoding."""
    from etl.read import read_table

    export = tmp_path / "ansi.csv"
    lines = ["Identifiant;Intitule;Collectivite francaise;Pays;Budget", "P-1;Été;Région Bretagne;Mali;1",
             "P-2;Eau;Ville de Lyon;Mali;2", ""]
    export.write_bytes("\n".join(lines).encode("cp1252"))
    table = read_table(export)
    assert (table.plain_path, table.encoding) == (str(export), "utf-8")  # unchecked until read
    sink, result = collect(export)
    assert sink.partnerships["title"] == ["Été", "Eau"]
    assert result.files[0].encoding == "cp1252" and result.warnings == []


# 9. Header lines of any length --------------------------------------------------------------------------------------

def test_a_header_longer_than_64_kib_is_read_whole(tmp_path):
    extra = [f"Colonne supplémentaire {k:05d}" for k in range(3000)]  # ≈ 90 KB before the required columns
    header = ";".join([*extra, "Identifiant", "Collectivité française", "Pays"])
    export = csv_file(tmp_path / "large.csv", ";".join([""] * 3000 + ["L-1", "Ville de Lyon", "Mali"]),
                      header=header)
    sink, result = collect(export)
    assert sink.partnerships["partnership_id"] == ["L-1"]
    assert sink.partnerships["partner_country_iso3"] == ["MLI"]
    assert len(result.warnings) < 30  # unrecognised columns are summed up, not listed by the thousand


def test_a_header_wider_than_the_limit_is_refused_clearly(tmp_path):
    header = ";".join([f"c{k}" for k in range(100_000)] + ["Collectivité française", "Pays"])
    export = csv_file(tmp_path / "immense.csv", "x;" * 100_000 + "Ville de Lyon;Mali", header=header)
    line = one_line_error(run("check", "--input", str(export), "--quiet"))
    assert "immense.csv" in line and "100\u00a0002 colonnes" in line and "cells.max_columns" in line


# 8. XLSX decompression bombs --------------------------------------------------------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
    '+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
    'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/>{shared}</Types>')
_SHARED_TYPE = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                'officedocument.spreadsheetml.sharedStrings+xml"/>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
         'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
             '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
             '<sheet name="Atlas" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>{shared}</Relationships>')
_SHARED_REL = ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
               'sharedStrings" Target="sharedStrings.xml"/>')
HEADER_ROW = (b'<row r="1"><c r="A1" t="inlineStr"><is><t>Identifiant</t></is></c><c r="B1" t="inlineStr"><is>'
              b'<t>Collectivit\xc3\xa9 fran\xc3\xa7aise</t></is></c><c r="C1" t="inlineStr"><is><t>Pays</t></is></c>'
              b'</row>')
GOOD_ROW = (b'<row r="2"><c r="A2" t="inlineStr"><is><t>X-1</t></is></c><c r="B2" t="inlineStr"><is><t>Ville de '
            b'Lyon</t></is></c><c r="C2" t="inlineStr"><is><t>Mali</t></is></c></row>')


def xlsx_file(path, body, *, dimension: str = "", shared=None, level: int = 9):
    """A workbook written part by part (streamed: a bomb is never held in memory): ``body`` yields the bytes of
    ``<sheetData>`` after the header row; ``shared`` those of ``xl/sharedStrings.xml``."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES.format(shared=_SHARED_TYPE if shared else ""))
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.format(shared=_SHARED_REL if shared else ""))
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                    b'spreadsheetml/2006/main">' + dimension.encode() + b"<sheetData>" + HEADER_ROW)
            for chunk in body:
                f.write(chunk)
            f.write(b"</sheetData></worksheet>")
        if shared:
            with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
                for chunk in shared:
                    f.write(chunk)
    return path


def empty_rows(n: int):
    block = b"<row/>" * 100_000
    for _ in range(n // 100_000):
        yield block


def one_cell_of(n_bytes: int, tag: bytes = b"row"):
    yield b'<row r="2"><c r="A2" t="inlineStr"><is><t>' if tag == b"row" else b""
    block = b"x" * (1 << 20)
    for _ in range(n_bytes >> 20):
        yield block
    yield b"</t></is></c></row>"


_MEASURE = """
import json, resource, sys, time
from pathlib import Path
import openpyxl  # imported before the clock starts: only reading is timed
import etl.limits
etl.limits.LIMITS_FILE = Path(sys.argv[2])
from etl.read import UnreadableInput, read_table
start = time.perf_counter()
try:
    read_table(sys.argv[1])
    message = None
except UnreadableInput as exc:
    message = str(exc)
seconds = time.perf_counter() - start
try:  # the peak of this process image (ru_maxrss would include the parent's size at fork)
    peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"message": message, "seconds": seconds, "megabytes": peak / 1024}))
"""


def refused_fast(path, *, match: str, seconds: float = 30, megabytes: float = 300):
    """``read_table`` refuses the file within ``seconds`` (generous: the machine may be busy; these files used
    to take minutes) and ``megabytes`` of peak memory (of a fresh process, imports included; they used to take
    gigabytes), under the limits in force; the command refuses it in one line."""
    import json
    import re

    import etl.limits

    p = subprocess.run([sys.executable, "-c", _MEASURE, str(path), str(etl.limits.LIMITS_FILE)],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    got = json.loads(p.stdout)
    assert got["message"] and re.search(match, got["message"]), got
    assert got["seconds"] < seconds and got["megabytes"] < megabytes, got
    line = one_line_error(run("check", "--input", str(path), "--quiet"))
    assert path.name in line and "classeur refusé" in line
    return got["message"], got["seconds"], got["megabytes"]


def test_an_xlsx_of_40_million_empty_rows_is_refused_at_once(tmp_path):
    bomb = xlsx_file(tmp_path / "lignes.xlsx", empty_rows(40_000_000))
    assert bomb.stat().st_size < 400_000
    refused_fast(bomb, match="xlsx.max_compression_ratio")


@pytest.mark.slow
def test_an_xlsx_holding_one_cell_of_1_gib_is_refused_at_once(tmp_path):
    bomb = xlsx_file(tmp_path / "cellule.xlsx", one_cell_of(1 << 30), level=1)
    refused_fast(bomb, match="xlsx.max_compression_ratio")


def test_an_xlsx_declaring_40_million_rows_is_refused(tmp_path):
    bomb = xlsx_file(tmp_path / "dimension.xlsx", [GOOD_ROW], dimension='<dimension ref="A1:C40000000"/>')
    message, *_ = refused_fast(bomb, match="xlsx.max_rows")
    assert "40\u00a0000\u00a0000 lignes" in message


def test_xlsx_rows_and_cells_are_bounded_whatever_the_compression(tmp_path, limits_override):
    limits_override({"xlsx.max_compression_ratio": 1e9})  # as if the bombs compressed like real files
    rows = xlsx_file(tmp_path / "lignes.xlsx", empty_rows(40_000_000))
    refused_fast(rows, match="plus de 1\u00a0048\u00a0576 lignes.*xlsx.max_rows")
    gap = xlsx_file(tmp_path / "saut.xlsx", [GOOD_ROW, b'<row r="40000000"/>'])
    refused_fast(gap, match="xlsx.max_rows")
    cell = xlsx_file(tmp_path / "cellule.xlsx", one_cell_of(64 << 20))
    refused_fast(cell, match="ligne 2 de la feuille fait plus de 8,0 Mio.*xlsx.max_row_bytes")
    strings = xlsx_file(tmp_path / "chaines.xlsx", [GOOD_ROW], shared=[
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
        b'main"><si><t>', *one_cell_of(32 << 20, tag=b"si"), b"</t></si></sst>"])
    refused_fast(strings, match="chaîne partagée.*xlsx.max_row_bytes")


def test_xlsx_sizes_are_bounded_by_the_zip_directory(tmp_path, limits_override):
    limits_override({"xlsx.max_uncompressed_bytes": 1 << 20, "xlsx.max_compression_ratio": 1e9})
    big = xlsx_file(tmp_path / "gros.xlsx", [GOOD_ROW * 20_000], level=1)  # ×107: the ratio would refuse it too
    refused_fast(big, match="une fois décompressé.*xlsx.max_uncompressed_bytes")


def test_a_real_workbook_within_the_limits_still_loads(tmp_path):
    ok = xlsx_file(tmp_path / "ok.xlsx", [GOOD_ROW], dimension='<dimension ref="A1:C2"/>')
    sink, result = collect(ok)
    assert sink.partnerships["partnership_id"] == ["X-1"]


# 15. Budgets silently unknown ----------------------------------------------------------------------------------------

def test_xlsx_formulas_without_a_cached_value_are_named_in_the_report(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER.split(";"))
    ws.append(["F-1", "Eau", "Ville de Lyon", "Mali", "=1000*15"])
    ws.append(["F-2", "Eau", "Ville de Lyon", "Mali", 15000])
    ws.append(["F-3", "Eau", "Ville de Lyon", "Mali", "=SUM(E2:E3)"])
    wb.save(tmp_path / "formules.xlsx")  # openpyxl, like a script, writes formulas without computing them
    sink, result = collect(tmp_path / "formules.xlsx")
    assert sink.partnerships["budget_eur"] == [None, 15000.0, None]
    [warning] = [w for w in result.warnings if "formule" in w]
    assert "formules.xlsx" in warning and "2 formules sans valeur calculée" in warning
    assert "colonne « Budget (€) » : lignes 1, 3" in warning


def test_arabic_indic_digits_are_read_as_a_budget(tmp_path):
    export = csv_file(tmp_path / "chiffres.csv", "D-1;Eau;Ville de Lyon;Mali;٣٠٠", "D-2;Eau;Ville de Lyon;Mali;€")
    sink, result = collect(export)
    assert sink.partnerships["budget_eur"] == [300.0]
    assert rejected(sink) == {2: "budget illisible : « € »"}


def test_formulas_with_a_cached_value_are_read_and_shared_ones_without_are_named(tmp_path):
    book = xlsx_file(tmp_path / "partagees.xlsx", [
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>S-1</t></is></c><c r="B2" t="inlineStr"><is><t>Ville de Lyon'
        b'</t></is></c><c r="C2" t="str"><f>"Ma"&amp;"li"</f><v>Mali</v></c></row>',
        b'<row r="3"><c r="A3" t="inlineStr"><is><t>S-2</t></is></c><c r="B3" t="inlineStr"><is><t>Ville de Lyon'
        b'</t></is></c><c r="C3"><f t="shared" ref="C3:C4" si="0">C2</f></c></row>',
        b'<row r="4"><c r="A4" t="inlineStr"><is><t>S-3</t></is></c><c r="C4"><f t="shared" si="0"/><v></v></c>'
        b'</row>'])
    sink, result = collect(book)
    assert sink.partnerships["partner_country_iso3"] == ["MLI"]  # the cached value of a formula is read
    [warning] = [w for w in result.warnings if "formule" in w]
    assert "2 formules sans valeur calculée" in warning and "colonne « Pays » : lignes 2, 3" in warning
    from etl.xlsx_guard import _FORMULA_WITHOUT_VALUE  # namespace prefixes, as some generators write them

    assert _FORMULA_WITHOUT_VALUE.search(b'<x:c r="E5" s="1"><x:f>1000*15</x:f><x:v/></x:c>')
    assert not _FORMULA_WITHOUT_VALUE.search(b'<x:c r="E5"><x:f>1000*15</x:f><x:v>15000</x:v></x:c>')
