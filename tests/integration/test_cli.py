"""The coopatlas command as a user runs it."""

import subprocess
import sys

import duckdb


def run(*args):
    return subprocess.run([sys.executable, "-m", "etl.cli", *args], capture_output=True, text=True, timeout=600)


def test_build_prints_counts_and_reasons(tmp_path, fixture_exports):
    db = tmp_path / "x.duckdb"
    p = run("build", "--input", str(fixture_exports[0]), "--input", str(fixture_exports[1]), "--db", str(db), "--quiet")
    assert p.returncode == 0, p.stderr
    assert "Lus : 40 · chargés : 29 · rejetés : 11" in p.stdout
    assert "atlas_small.csv, ligne 26 : pays partenaire inconnu : « Atlantide »" in p.stdout
    assert db.exists()


def test_check_writes_nothing(tmp_path, fixture_exports):
    p = run("check", "--input", str(fixture_exports[0]), "--quiet")
    assert p.returncode == 0
    assert "chargés : 25 · rejetés : 11" in p.stdout
    assert list(tmp_path.iterdir()) == []


def test_unreadable_input_is_a_clear_error(tmp_path):
    db = tmp_path / "x.duckdb"
    p = run("build", "--input", str(tmp_path / "absent.csv"), "--db", str(db), "--quiet")
    assert p.returncode == 2
    assert "absent.csv" in p.stderr and "Traceback" not in p.stderr
    assert not db.exists()
    bad = tmp_path / "sans-pays.csv"
    bad.write_text("Collectivité;Budget\nLyon;3\n", encoding="utf-8")
    p = run("check", "--input", str(bad), "--quiet")
    assert p.returncode == 2 and "colonne obligatoire absente (partner_country)" in p.stderr


def test_demo_database_says_it_is_demo(demo_db):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        kind, read, loaded, rejected = con.execute(
            "SELECT source_kind, records_read, records_loaded, records_rejected FROM build_info").fetchone()
        assert kind == "demo"
        assert loaded + rejected == read and rejected >= 10
        projects, authorities, partners, countries = con.execute(
            "SELECT count(*), count(DISTINCT fr_authority_key), count(DISTINCT partner_authority_name), "
            "count(DISTINCT partner_country_iso3) FROM partnerships").fetchone()
        assert 11_000 <= projects <= 13_000
        assert 4_300 <= authorities <= 5_300
        assert 120 <= countries <= 165
        assert 9_000 <= partners <= 10_500
        africa, median, unknown = con.execute("""
            SELECT avg(('afrique' = ANY(c.zones))::INT), median(budget_eur), avg((budget_eur IS NULL)::INT)
            FROM partnerships p JOIN countries c ON c.iso3 = p.partner_country_iso3""").fetchone()
        assert 0.68 <= africa <= 0.78
        assert 35_000 <= median <= 70_000
        assert 0.25 <= unknown <= 0.5
        top = [r[0] for r in con.execute("SELECT partner_country_iso3 FROM partnerships GROUP BY 1 "
                                         "ORDER BY count(*) DESC LIMIT 5").fetchall()]
        assert {"MLI", "BFA", "SEN", "MAR"} <= set(top)


def test_serve_without_database_says_how_to_build_one(tmp_path):
    p = run("serve", "--db", str(tmp_path / "absent.duckdb"), "--port", "0")
    assert p.returncode == 2
    assert "coopatlas demo --db" in p.stderr and "Traceback" not in p.stderr
    bad = tmp_path / "corrupt.duckdb"
    bad.write_bytes(b"\0" * 4096)
    p = run("serve", "--db", str(bad), "--port", "0", "--workers", "2")
    assert p.returncode == 2 and "coopatlas build --input" in p.stderr


def test_serve_in_one_process_stops_cleanly_on_sigterm(fixture_db, tmp_path):
    """systemd, docker and kill stop a server with SIGTERM: the one-process server exits as on Ctrl-C (status 0,
    its exit handlers run: the exports' own folder goes with it), where it died by the signal (status -15)."""
    import os
    import signal
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "etl.cli", "serve", "--db", str(fixture_db), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "TMPDIR": str(tmp_path)})
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/aggregates?by=country", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0, proc.stdout.read()
    finally:
        proc.kill()
