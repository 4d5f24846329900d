"""Downloads, in one place: the CSV of a view's partnerships (``/telecharger.csv``, also the API's
``format=csv``) and a region's slide and A4 page (``/export/region/<code>.png|pdf``, rendered by
:mod:`dashboard.exports`).

CSV for spreadsheets: UTF-8 with BOM so Excel shows accents, French separators (``;`` and a decimal comma; ``,``
and a point with ``lang=en``), readable headers, and cells a spreadsheet would run as formulas neutralised.
DuckDB writes the file itself (``COPY``): a 150,000-row region exports in about a second."""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
import tempfile

from flask import Flask, Response, abort, request, send_file

from dashboard.db import Store
from dashboard.exports import FORMATS, Exporter, ExportUnavailable
from dashboard.filters import Filters
from dashboard.i18n import lang_of
from dashboard.queries import export_select

log = logging.getLogger(__name__)
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
        snap = atlas.current()
        return csv_response(snap.store, Filters.from_query(request.args.to_dict(flat=True), snap.vocab))

    exporter = Exporter()

    @server.get("/export/region/<code>.<fmt>")
    def export_region(code: str, fmt: str):
        snap = atlas.current()
        if fmt not in FORMATS or code not in snap.vocab.codes("region"):
            abort(404)
        lang = lang_of(request.args.get("lang"))
        base = os.environ.get("COOPATLAS_SELF_URL") or request.host_url
        try:
            path = exporter.render(base, snap.version, code, fmt, lang)
        except ExportUnavailable as exc:
            return Response(str(exc), status=503, mimetype="text/plain")
        except (subprocess.SubprocessError, RuntimeError) as exc:
            log.warning("export impossible : %s", exc)
            return Response("export impossible pour le moment", status=503, mimetype="text/plain")
        name = f"coopatlas-region-{code}-{lang}.{fmt}"
        return send_file(path, mimetype="image/png" if fmt == "png" else "application/pdf", as_attachment=True,
                         download_name=name, max_age=300)
