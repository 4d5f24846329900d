"""A new file moved over the served database is checked in full before it is served: one that lacks a table or a
column of the schema contract (etl/schema.sql) is refused once, logged once, and the previous build keeps
answering every request; a good build moved over it afterwards is served."""

from __future__ import annotations

import logging
import time

import duckdb
import pytest

import dashboard.snapshot
from dashboard.db import DatabaseMissing, Store
from etl.load import build
from tests.integration.servers import kpi


def copy_without(src, dst, table: str, column: str | None = None) -> None:
    """A copy of a built database without ``table`` (or only without its ``column``)."""
    con = duckdb.connect(str(dst))
    con.execute(f"ATTACH '{src}' AS src (READ_ONLY)")
    tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'src'")
              .fetchall()]
    for name in tables:
        if name == table and column is None:
            continue
        select = f"* EXCLUDE ({column})" if name == table else "*"
        con.execute(f"CREATE TABLE main.{name} AS SELECT {select} FROM src.{name}")
    con.close()


@pytest.mark.parametrize("table, column", [("partnerships", None), ("partnerships", "budget_eur"),
                                           ("fr_regions", None), ("odd", "colour")])
def test_store_refuses_a_file_that_breaks_the_contract(fixture_db, tmp_path, table, column):
    broken = tmp_path / "broken.duckdb"
    copy_without(fixture_db, broken, table, column)
    with pytest.raises(DatabaseMissing, match=column or table):
        Store(broken)


def test_store_refuses_a_file_with_a_partnership_whose_country_is_missing(fixture_db, tmp_path):
    broken = tmp_path / "broken.duckdb"
    copy_without(fixture_db, broken, "none")
    con = duckdb.connect(str(broken))
    con.execute("DELETE FROM countries WHERE iso3 = (SELECT min(partner_country_iso3) FROM partnerships)")
    con.close()
    with pytest.raises(DatabaseMissing, match="pays manque à la table countries"):
        Store(broken)


def test_a_broken_database_moved_over_the_served_one(serving, tmp_path, fixture_exports, monkeypatch, caplog):
    app, db = serving
    client = app.server.test_client()
    assert kpi(client, app) == (200, "25")
    opened = []
    real_store = dashboard.snapshot.Store
    monkeypatch.setattr(dashboard.snapshot, "Store",
                        lambda path, **options: opened.append(path) or real_store(path, **options))
    broken = tmp_path / "broken.duckdb"
    copy_without(db, broken, "partnerships")  # build_info is there: only a full check sees it is not a build
    caplog.set_level(logging.WARNING, logger="dashboard.snapshot")
    broken.replace(db)
    answers = []
    deadline = time.time() + 1.5
    while time.time() < deadline:
        answers.append(kpi(client, app))
        answers.append((client.get("/telecharger.csv").status_code, None))
        answers.append((client.get("/api/v1/aggregates?by=odd").status_code, None))
        time.sleep(0.02)
    assert {status for status, _ in answers} == {200}
    assert {v for _, v in answers if v is not None} == {"25"}
    assert len(opened) == 1  # tried once, not at every check
    refusals = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(refusals) == 1 and "partnerships" in refusals[0].getMessage()
    build(fixture_exports, db)  # a good build afterwards is served
    deadline = time.time() + 20
    while time.time() < deadline and kpi(client, app)[1] != "29":
        time.sleep(0.05)
    assert kpi(client, app) == (200, "29")


def test_a_failure_while_loading_a_valid_file_never_reaches_the_request(serving, tmp_path, fixture_exports,
                                                                       monkeypatch):
    app, db = serving
    client = app.server.test_client()
    assert kpi(client, app) == (200, "25")

    def broken_snapshot(store):
        raise duckdb.CatalogException("simulated failure while loading")

    monkeypatch.setattr(dashboard.snapshot, "Snapshot", broken_snapshot)
    build(fixture_exports, db)
    time.sleep(0.1)
    for _ in range(10):
        assert kpi(client, app) == (200, "25")
        time.sleep(0.02)


def test_the_old_build_is_closed_by_a_daemon_timer(serving, fixture_exports):
    """A worker that exits (gunicorn's max_requests) must not wait for the old build's close timer."""
    app, db = serving
    client = app.server.test_client()
    assert kpi(client, app) == (200, "25")
    build(fixture_exports, db)
    deadline = time.time() + 20
    while time.time() < deadline and kpi(client, app)[1] != "29":
        time.sleep(0.05)
    import threading

    assert not [t for t in threading.enumerate() if isinstance(t, threading.Timer) and not t.daemon]
