"""The open data API: ``/api/v1/partnerships``, ``/api/v1/aggregates``, the OpenAPI document and a page that
describes them. Read-only, with the dashboard's filter parameters, cache headers tied to the build."""

from __future__ import annotations

import hashlib
import math
from urllib.parse import urlencode

import pandas as pd
from flask import Flask, Response, jsonify, request

from dashboard import queries
from dashboard.downloads import csv_response, table_response
from dashboard.filters import PARAMETERS, Filters
from dashboard.i18n import lang_of, t
from dashboard.openapi import document
from dashboard.pages.api_docs import describe
from dashboard.queries import AGGREGATE_BY
from etl.editions import UnknownEdition

DEFAULT_LIMIT, MAX_LIMIT = 100, 1000
OWN_PARAMETERS = ("format", "limit", "offset", "by")


class BadRequest(Exception):
    pass


def _int(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
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


def register(server: Flask, atlas) -> None:
    @server.errorhandler(BadRequest)
    def bad_request(exc: BadRequest):
        return jsonify({"error": str(exc)}), 400

    def filters():
        """The request's filters; an unknown parameter or a value that matches nothing is a 400 naming it (a
        silently ignored filter would give a figure for something else than what was asked)."""
        args = request.args.to_dict(flat=True)
        lang = lang_of(args.get("lang"))
        try:
            snap = atlas.snapshot(args.get("edition"))  # the latest, or the kept edition asked for
        except UnknownEdition as exc:
            raise BadRequest(t("api.error_edition", lang, value=exc.value,
                               kept=", ".join(exc.kept) or t("editions_none", lang))) from exc
        f, ignored = Filters.parse(args, snap.vocab)
        unknown = sorted(set(request.args) - set(PARAMETERS) - set(OWN_PARAMETERS))
        problems = [t("api.error_unknown", lang, name=n) for n in unknown]
        problems += [t("api.error_value", lang, name=n, value=str(args.get(n, ""))[:80]) for n in sorted(set(ignored))]
        if problems:
            raise BadRequest(" ; ".join(problems))
        return snap, f, []

    @server.get("/api/v1/partnerships")
    def partnerships():
        snap, f, ignored = filters()
        fmt = request.args.get("format", "json")
        if fmt not in ("json", "csv"):
            raise BadRequest("« format » vaut json ou csv")
        if fmt == "csv":
            response = csv_response(snap, f)
            return _cached(response, snap.version) if response.status_code == 200 else response  # a 503 is not
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
        if by not in AGGREGATE_BY:
            raise BadRequest(f"« by » vaut l'un de : {', '.join(AGGREGATE_BY)}")
        fmt = request.args.get("format", "json")
        if fmt not in ("json", "csv"):
            raise BadRequest("« format » vaut json ou csv")
        rows = queries.aggregate(snap.store, f, by)
        if fmt == "csv":
            return _cached(table_response(rows, f.lang, f"coopatlas-{by}"), snap.version)
        body = {"by": by, "total": int(queries.kpis(snap.store, f)["partnerships"] or 0), "items": _records(rows),
                "filters": f.to_query(), "ignored": ignored, "build": snap.version}
        return _cached(jsonify(body), snap.version)

    @server.get("/api/v1/openapi.json")
    def openapi():
        return _cached(jsonify(document(lang_of(request.args.get("lang")))), atlas.current().version)

    @server.get("/api/v1/")
    @server.get("/api/v1")
    def api_page():
        lang = lang_of(request.args.get("lang"))
        return Response(describe(document(lang), lang), mimetype="text/html")
