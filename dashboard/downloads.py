"""Downloads, in one place: the CSV of a view's partnerships (``/telecharger.csv``, also the API's
``format=csv``), any table as CSV (:func:`table_response`: the monitor's, the news page's) and a region's slide
and A4 page
(``/export/region/<code>.png|pdf``, rendered by :mod:`dashboard.exports`).

CSV for spreadsheets: UTF-8 with BOM so Excel shows accents, French separators (``;`` and a decimal comma; ``,``
and a point with ``lang=en``), readable headers, and cells a spreadsheet would run as formulas neutralised.
DuckDB writes the file itself (``COPY``): a 150,000-row region exports in about a second.

A view's CSV is **kept per build**, gzip-compressed, in the exports' folder (shared by the workers of a server):
the first download of a region's or the whole Atlas's file writes it (in a heavy-download slot, see
:func:`dashboard.exports.bounded`), later ones are sent from the disk, compressed as they are (or decompressed on
the way for a client that does not take gzip). Measured at 1.2M rows, a region's file is 47 MB: 1.3 s of CPU to
write and 1.4 s more to compress for each download before. At most ``COOPATLAS_CSV_CACHE_MB`` are kept (the
oldest files go first); files of another build are deleted after 10 minutes with the other exports."""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import hashlib
import os
import tempfile
import zlib
from pathlib import Path

from flask import Flask, Response, current_app, request, send_file

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


CSV_FOLDER = "csv"  # in the exports' folder
CSV_TYPE = "text/csv; charset=utf-8"


def csv_response(snap, f: Filters) -> Response:
    """The CSV of the view ``f`` of the build ``snap``: kept, or written in a heavy-download slot (else 503)."""
    exporter: Exporter = current_app.extensions["coopatlas.exports"]
    key = hashlib.sha256(f"{f.lang}?{f.to_query()}".encode()).hexdigest()[:20]
    path = exporter.folder / CSV_FOLDER / f"{snap.version}-{key}.csv.gz"
    if path.exists():
        return _send_csv(path)
    return bounded(lambda: _send_csv(_written(snap.store, f, path, exporter.settings.csv_cache_mb)), f.lang)


def _written(store: Store, f: Filters, path: Path, keep_mb: int) -> Path:
    """The view's CSV written to ``path``, gzip-compressed (atomically: a reader never sees half a file); the
    folder then trimmed to ``keep_mb`` megabytes, the oldest files first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{id(f)}.tmp")
    try:
        with gzip.open(tmp, "wb", compresslevel=6) as out:
            out.write(to_csv(store, f))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    kept = []
    for other in path.parent.glob("*.csv.gz"):
        with contextlib.suppress(OSError):  # another worker may be trimming too
            status = other.stat()
            kept.append((status.st_mtime, status.st_size, other))
    kept.sort()
    total = sum(size for _, size, _ in kept)
    for _, size, old in kept:
        if total <= keep_mb * 1_000_000 or old == path:
            break
        with contextlib.suppress(OSError):
            old.unlink()
            total -= size
    return path


def _send_csv(path: Path) -> Response:
    """A kept CSV as a download: sent compressed to a client that takes gzip, decompressed on the way for
    another."""
    name = f"coopatlas-partenariats-{dt.date.today():%Y-%m-%d}.csv"
    if request.accept_encodings["gzip"]:
        response = send_file(path, mimetype=CSV_TYPE, as_attachment=True, download_name=name, conditional=False,
                             etag=False, max_age=0)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(_gunzipped(open(path, "rb")), content_type=CSV_TYPE,
                            headers={"Content-Disposition": f'attachment; filename="{name}"'})
    response.headers["Vary"] = "Accept-Encoding"
    return response


def _gunzipped(compressed) -> object:
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    with compressed:
        while chunk := compressed.read(1 << 20):
            yield inflate.decompress(chunk)
    yield inflate.flush()


def register(server: Flask, atlas) -> None:
    @server.get("/telecharger.csv")
    def download():
        try:
            snap = atlas.snapshot(request.args.get("edition"))  # a pinned view downloads its edition's rows
        except UnknownEdition as exc:
            return Response(str(exc), status=404, content_type="text/plain; charset=utf-8")
        f = Filters.from_query(request.args.to_dict(flat=True), snap.vocab)
        return csv_response(snap, f)

    exporter = Exporter(atlas, server)

    @server.get("/export/region/<code>.<fmt>")
    def export_region(code: str, fmt: str):
        return exporter.response(code, fmt, request.args.get("lang"), request.args.get("edition"))
