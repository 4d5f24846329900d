"""Downloads, in one place: the CSV of a view's partnerships (``/telecharger.csv``, also the API's
``format=csv``), any table as CSV (:func:`table_response`: the monitor's, the news page's) and a region's slide
and A4 page
(``/export/region/<code>.png|pdf``, rendered by :mod:`dashboard.exports`).

CSV for spreadsheets: UTF-8 with BOM so Excel shows accents, French separators (``;`` and a decimal comma; ``,``
and a point with ``lang=en``), readable headers, and cells a spreadsheet would run as formulas neutralised.
DuckDB writes the file itself (``COPY``): a 150,000-row region exports in about a second."""

from __future__ import annotations

import datetime as dt
import os
import tempfile

from flask import Flask, Response, request

from dashboard.db import Store
from dashboard.exports import Exporter, bounded
from dashboard.filters import Filters
from dashboard.queries import export_select
from etl.editions import UnknownEdition

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


def register(server: Flask, atlas) -> None:
    @server.get("/telecharger.csv")
    def download():
        try:
            snap = atlas.snapshot(request.args.get("edition"))  # a pinned view downloads its edition's rows
        except UnknownEdition as exc:
            return Response(str(exc), status=404, content_type="text/plain; charset=utf-8")
        f = Filters.from_query(request.args.to_dict(flat=True), snap.vocab)
        return bounded(lambda: csv_response(snap.store, f))  # at most so many exports at once (503 beyond)

    exporter = Exporter(atlas, server)

    @server.get("/export/region/<code>.<fmt>")
    def export_region(code: str, fmt: str):
        return exporter.response(code, fmt, request.args.get("lang"), request.args.get("edition"))
