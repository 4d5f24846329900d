"""The open data API: ``/api/v1/partnerships``, ``/api/v1/aggregates``, the OpenAPI document and a page that
describes them. Read-only, with the dashboard's filter parameters, cache headers tied to the build."""

from __future__ import annotations

import hashlib
import html
import math
from urllib.parse import urlencode

import pandas as pd
from flask import Flask, Response, jsonify, request

from dashboard import queries
from dashboard.export import csv_response
from dashboard.exports import bounded
from dashboard.filters import PARAMETERS, Filters
from dashboard.openapi import document
from dashboard.state import Atlas

DEFAULT_LIMIT, MAX_LIMIT = 100, 1000
BY = ("country", "region", "theme", "odd", "year")


class BadRequest(Exception):
    pass


def _int(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BadRequest(f"« {name} » doit être un entier de {low} à {high}")
    return int(raw)


def _records(df: pd.DataFrame) -> list[dict]:
    out = []
    for row in df.to_dict("records"):
        clean = {}
        for k, v in row.items():
            if hasattr(v, "tolist"):
                v = v.tolist()
            if isinstance(v, float) and math.isnan(v):
                v = None
            elif v is pd.NA or v is pd.NaT:
                v = None
            clean[k] = v
        out.append(clean)
    return out


def _cached(response: Response, version: str) -> Response:
    """Public caching for five minutes, and an ETag that changes with the build and the query."""
    tag = hashlib.sha256(f"{version}?{request.query_string.decode(errors='replace')}".encode()).hexdigest()[:24]
    response.headers["Cache-Control"] = "public, max-age=300"
    response.set_etag(tag)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response.make_conditional(request)


def register(server: Flask, atlas: Atlas) -> None:
    @server.errorhandler(BadRequest)
    def bad_request(exc: BadRequest):
        return jsonify({"error": str(exc)}), 400

    def filters():
        snap = atlas.current()
        f, ignored = Filters.parse(request.args.to_dict(flat=True), snap.vocab)
        unknown = sorted(set(request.args) - set(PARAMETERS) - {"format", "limit", "offset", "by"})
        return snap, f, sorted(set(ignored)) + unknown

    @server.get("/api/v1/partnerships")
    def partnerships():
        snap, f, ignored = filters()
        fmt = request.args.get("format", "json")
        if fmt not in ("json", "csv"):
            raise BadRequest("« format » vaut json ou csv")
        if fmt == "csv":
            return bounded(lambda: _cached(csv_response(snap.store, f), snap.version))
        limit = _int("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
        offset = _int("offset", 0, 0, 100_000_000)
        rows, total = queries.api_page(snap.store, f, offset, limit)
        following = None
        if offset + limit < total:
            args = {k: v for k, v in request.args.items() if k != "offset"}
            following = f"{request.path}?{urlencode({**args, 'offset': offset + limit})}"
        body = {"total": total, "offset": offset, "limit": limit, "items": _records(rows), "next": following,
                "filters": f.to_query(), "ignored": ignored, "build": snap.version}
        return _cached(jsonify(body), snap.version)

    @server.get("/api/v1/aggregates")
    def aggregates():
        snap, f, ignored = filters()
        by = request.args.get("by", "")
        if by not in BY:
            raise BadRequest(f"« by » vaut l'un de : {', '.join(BY)}")
        rows = queries.aggregate(snap.store, f, by)
        body = {"by": by, "total": int(queries.kpis(snap.store, f)["partnerships"] or 0), "items": _records(rows),
                "filters": f.to_query(), "ignored": ignored, "build": snap.version}
        return _cached(jsonify(body), snap.version)

    @server.get("/api/v1/openapi.json")
    def openapi():
        # a relative server: the document is cached publicly, its ETag does not (and must not) depend on Host
        return _cached(jsonify(document()), atlas.current().version)

    @server.get("/api/v1/")
    @server.get("/api/v1")
    def api_page():
        return Response(_describe(document(request.host_url.rstrip("/"))), mimetype="text/html")


def _describe(doc: dict) -> str:
    """A human page generated from the OpenAPI document itself, so the two never disagree."""
    parts = [f"<h1>{html.escape(doc['info']['title'])}</h1>", f"<p>{html.escape(doc['info']['description'])}</p>",
             '<p>Document OpenAPI : <a href="/api/v1/openapi.json">/api/v1/openapi.json</a></p>']
    params = doc["components"]["parameters"]
    for path, ops in doc["paths"].items():
        op = ops["get"]
        parts.append(f"<h2><code>GET {html.escape(path)}</code></h2><p>{html.escape(op['description'])}</p>")
        rows = []
        for ref in op.get("parameters", []):
            p = params[ref["$ref"].rsplit("/", 1)[-1]] if "$ref" in ref else ref
            rows.append(f"<tr><td><code>{html.escape(p['name'])}</code></td>"
                        f"<td>{html.escape(p.get('description', ''))}</td></tr>")
        if rows:
            parts.append("<table><thead><tr><th>Paramètre</th><th>Signification</th></tr></thead><tbody>"
                         + "".join(rows) + "</tbody></table>")
        for example in op.get("x-examples", []):
            parts.append(f'<p>Exemple : <a href="{html.escape(example)}"><code>{html.escape(example)}</code></a></p>')
    return ("<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
            "content=\"width=device-width, initial-scale=1\"><title>API — Atlas de la coopération décentralisée"
            "</title><link rel=\"stylesheet\" href=\"/assets/style.css\"></head><body><main class=\"doc\">"
            + "".join(parts) + "</main></body></html>")
