"""Downloads, in one place: the CSV of a view's partnerships (``/telecharger.csv``, also the API's
``format=csv``), the monitor's tables (``/suivi/regions.csv``, ``/suivi/collectivites.csv``: every row of the
table the page shows, in its order, for the same state) and a region's slide and A4 page
(``/export/region/<code>.png|pdf``, rendered by :mod:`dashboard.exports`).

CSV for spreadsheets: UTF-8 with BOM so Excel shows accents, French separators (``;`` and a decimal comma; ``,``
and a point with ``lang=en``), readable headers, and cells a spreadsheet would run as formulas neutralised.
DuckDB writes the file itself (``COPY``): a 150,000-row region exports in about a second."""

from __future__ import annotations

import datetime as dt
import os
import tempfile

import pandas as pd
from flask import Flask, Response, request

from dashboard import queries
from dashboard.db import Store
from dashboard.exports import Exporter, bounded
from dashboard.filters import Filters
from dashboard.pages import monitor  # the monitor's tables: their columns and words
from dashboard.queries import export_select

BOM = b"\xef\xbb\xbf"


def to_csv(store: Store, f: Filters) -> bytes:
    sql, params = export_select(f)
    delimiter = ";" if f.lang == "fr" else ","
    fd, path = tempfile.mkstemp(prefix="coopatlas-export-", suffix=".csv")
    os.close(fd)
    cur = store.con.cursor()
    try:
        cur.execute("USE atlas")
        # the path is ours (mkstemp), the filters are bound parameters
        cur.execute(f"COPY ({sql}) TO '{path}' (FORMAT csv, HEADER, DELIMITER '{delimiter}', QUOTE '\"')", params)
        with open(path, "rb") as fh:
            return BOM + fh.read()
    finally:
        cur.close()
        os.unlink(path)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def table_response(df, lang: str, name: str) -> Response:
    """A small computed table (aggregates) as the same kind of CSV: BOM, the language's separators, formula-like
    text neutralised."""
    safe = df.apply(lambda col: col.map(lambda v: f"'{v}" if isinstance(v, str) and v.startswith(FORMULA_START)
                                                  else v))
    body = safe.to_csv(index=False, sep=";" if lang == "fr" else ",", decimal="," if lang == "fr" else ".")
    return Response(BOM + body.encode("utf-8"), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}-{dt.date.today():%Y-%m-%d}.csv"'})


def csv_response(store: Store, f: Filters) -> Response:
    name = f"coopatlas-partenariats-{dt.date.today():%Y-%m-%d}.csv"
    return Response(to_csv(store, f), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _regions(store: Store, m: monitor.Monitor) -> pd.DataFrame:
    return monitor.regions_frame(queries.monitor_regions(store, m.filters, m.p1, m.p2, monitor.this_year()), m,
                                 m.filters.lang)


def _authorities(store: Store, m: monitor.Monitor) -> pd.DataFrame:
    return monitor.movers_frame(monitor.movers(store, m), m.filters.lang)


MONITOR_TABLES = {"regions": _regions, "collectivites": _authorities}


def register(server: Flask, atlas) -> None:
    @server.get("/telecharger.csv")
    def download():
        snap = atlas.current()
        f = Filters.from_query(request.args.to_dict(flat=True), snap.vocab)
        return bounded(lambda: csv_response(snap.store, f))  # at most so many exports at once (503 beyond)

    @server.get("/suivi/<table>.csv")
    def monitor_table(table: str):
        if table not in MONITOR_TABLES:
            return Response("not found", status=404, content_type="text/plain; charset=utf-8")
        snap = atlas.current()
        m = monitor.Monitor.from_query(request.args.to_dict(flat=True), snap.vocab)
        df = MONITOR_TABLES[table](snap.store, m)
        return table_response(df, m.filters.lang, f"coopatlas-suivi-{table}")

    exporter = Exporter(atlas, server)

    @server.get("/export/region/<code>.<fmt>")
    def export_region(code: str, fmt: str):
        return exporter.response(code, fmt, request.args.get("lang"))
