"""HTTP hardening of the Flask server under Dash: security headers (a Content-Security-Policy that Dash works
with), compression, long-lived caching of fingerprinted static files, and a check of the callback requests that
Dash itself would answer with a 500 (a body no dash-renderer sends, a browser-side callback, an unknown
component suite): a 400 or a 404 instead, with a one-line message."""

from __future__ import annotations

import hashlib
import json
import mimetypes
import re
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli
from dash import Dash
from dash.exceptions import DependencyException
from flask import Response, request, send_file
from werkzeug.security import safe_join

# Dash's fingerprinted bundles ("dash_renderer.v4_4_1m1795419984.min.js") change name with every version.
FINGERPRINTED = re.compile(r"^/_dash-component-suites/.+\.v[0-9_]+m[0-9]+\.")

# Inline scripts Dash writes into its index page, and our clientside callbacks, are allowed by their hashes
# (Dash computes them); nothing is loaded from another origin.
BASE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],  # Dash, plotly and AG Grid set inline styles
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


# Responses that are never a page (scripts, stylesheets, data, icons): CSP applies to documents only, so they get
# the short policy recommended for APIs, which lets them do nothing if opened as a document, instead of the page's
# 0.7 kB policy sent again with every script (a tenth of an embed's transfer, on 20 responses).
NOT_DOCUMENTS = {"application/javascript", "text/javascript", "text/css", "application/json", "application/geo+json",
                 "image/x-icon", "image/vnd.microsoft.icon"}
RESOURCE_CSP = "default-src 'none'; frame-ancestors 'none'"


def content_security_policy(app: Dash, embeddable: bool = False) -> str:
    """The policy; an embed view (``/embed/…``) may be framed by any site, nothing else may be."""
    policy = {k: list(v) for k, v in BASE_CSP.items()}
    policy["script-src"] += app.csp_hashes()
    if embeddable:
        policy["frame-ancestors"] = ["*"]
    return "; ".join(f"{k} {' '.join(v)}" for k, v in policy.items())


# Properties of dcc.Location: the page router calls Dash's path matching with them, which expects text.
LOCATION_TEXT = {"search", "hash", "href"}


def _items_problem(name: str, items, specs: list[dict]) -> str | None:
    """``inputs`` or ``state`` of a callback request, against the callback's declaration: the same components and
    properties in the same order (a pattern-matching one may be a list)."""
    if not isinstance(items, list) or len(items) != len(specs):
        return f"« {name} » : {len(specs)} éléments attendus"
    for item, spec in zip(items, specs):
        if isinstance(spec["id"], str):  # a plain id (ours are str enums)
            if not isinstance(item, dict) or item.get("id") != spec["id"] or item.get("property") != spec["property"]:
                return f"« {name} » : {spec['id']}.{spec['property']} attendu"
            value = item.get("value")
            if spec["property"] == "pathname" and not (isinstance(value, str) and value.startswith("/")):
                return "« pathname » doit être un chemin"
            if spec["property"] in LOCATION_TEXT and not (value is None or isinstance(value, str)):
                return f"« {spec['property']} » doit être un texte"
        elif not (isinstance(item, dict) or (isinstance(item, list) and all(isinstance(i, dict) for i in item))):
            return f"« {name} » : élément mal formé"
    return None


def _output_item_ok(item) -> bool:
    if isinstance(item, list):
        return all(_output_item_ok(i) for i in item)
    return (isinstance(item, dict) and isinstance(item.get("id"), (str, dict))
            and isinstance(item.get("property"), str))


def callback_problem(app: Dash, body) -> str | None:
    """Why a ``/_dash-update-component`` body cannot be a dash-renderer's request for one of this app's
    server-side callbacks, or None when it can. Values are not judged here: each callback validates its own."""
    if not isinstance(body, dict):
        return "corps JSON attendu : un objet"
    output = body.get("output")
    spec = app.callback_map.get(output) if isinstance(output, str) else None
    if spec is None:
        return "« output » : rappel inconnu"
    if "callback" not in spec:
        return "« output » : ce rappel s'exécute dans le navigateur"
    outputs = body.get("outputs")
    if not spec.get("no_output"):
        if output.startswith(".."):
            count = len(output.strip(".").split("..."))
            if not isinstance(outputs, list) or len(outputs) != count:
                return f"« outputs » : {count} sorties attendues"
        if not _output_item_ok(outputs):
            return "« outputs » mal formé"
    for name in ("inputs", "state"):
        problem = _items_problem(name, body.get(name, [] if name == "state" and not spec["state"] else None),
                                 spec[name])
        if problem:
            return problem
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "« changedPropIds » : liste de textes attendue"
    return None


def guard_callbacks(app: Dash) -> None:
    """Answer 400 to callback requests Dash would fail on, 404 to unknown component suites (Dash: 500)."""
    server = app.server
    endpoint = app.config.routes_pathname_prefix + "_dash-update-component"

    @server.before_request
    def check_callback_request():
        if request.method != "POST" or request.path != endpoint:
            return None
        problem = callback_problem(app, request.get_json(silent=True))
        if problem is None:
            return None
        return Response(json.dumps({"error": problem}, ensure_ascii=False), status=400,
                        mimetype="application/json")

    @server.errorhandler(DependencyException)
    def unknown_dependency(_exc):
        return Response("ressource inconnue", status=404, mimetype="text/plain")


def harden(app: Dash) -> None:
    """Add the headers to every response; compress text responses; check callback requests. Call after every
    callback is registered (the policy holds the hashes of the clientside callbacks)."""
    from flask_compress import Compress

    server = app.server
    guard_callbacks(app)
    server.config.setdefault("COMPRESS_MIMETYPES", [
        "text/html", "text/css", "text/csv", "application/json", "application/javascript", "text/javascript",
        "application/geo+json", "image/svg+xml"])
    server.config.setdefault("COMPRESS_MIN_SIZE", 1024)
    Compress(server)
    _precompressed_assets(app)
    _static_brotli(app, StaticBrotli())
    csp: dict[bool, str] = {}

    @server.after_request
    def headers(response: Response) -> Response:
        embeddable = request.path.startswith("/embed/")
        if embeddable not in csp:
            csp[embeddable] = content_security_policy(app, embeddable)
        response.headers.setdefault("Content-Security-Policy",
                                    RESOURCE_CSP if response.mimetype in NOT_DOCUMENTS else csp[embeddable])
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if not embeddable:
            response.headers.setdefault("X-Frame-Options", "DENY")
        if FINGERPRINTED.search(request.path) or (request.path.startswith("/assets/") and request.args.get("m")):
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


def _precompressed_assets(app: Dash) -> None:
    """An asset with a ``.br`` file beside it (the vendored plotly bundle, compressed once at build time with
    brotli's best quality, which would take seconds per request) is sent as that file to browsers that accept br;
    others get the asset compressed on the fly as usual."""
    folder = Path(app.config.assets_folder)
    prefix = app.config.requests_pathname_prefix.rstrip("/") + "/assets/"

    @app.server.before_request
    def brotli_file():
        if request.method not in ("GET", "HEAD") or not request.path.startswith(prefix) \
                or request.accept_encodings["br"] <= 0:
            return None
        name = request.path[len(prefix):]
        packed = safe_join(str(folder), name + ".br")
        if packed is None or not Path(packed).is_file():
            return None
        response = send_file(packed, mimetype=mimetypes.guess_type(name)[0] or "application/octet-stream",
                             conditional=True, etag=True, max_age=0)
        response.headers["Content-Encoding"] = "br"
        response.headers["Vary"] = "Accept-Encoding"
        return response


# What never changes behind its address: scripts and stylesheets (Dash's bundles and chunks, the assets) and the
# build's geometry layers.
STATIC_PREFIXES = ("/_dash-component-suites/", "/assets/", "/geo/")
STATIC_TYPES = {"application/javascript", "text/javascript", "text/css", "application/geo+json"}


class StaticBrotli:
    """Brotli at a high quality (10: a sixth smaller than flask-compress's quick zstd or brotli, for about half a
    second of CPU per megabyte; 11 would save 1–2 % more for three times that): each static body is compressed
    once per process, by one background thread (brotli lets go of the GIL), and kept (by content digest, at most
    ``limit`` bytes, least recently used first out). Until a body is ready, it goes out as flask-compress
    compresses it on the fly."""

    def __init__(self, quality: int = 10, limit: int = 32_000_000):
        self.quality, self.limit = quality, limit
        self._ready: OrderedDict[str, bytes] = OrderedDict()
        self._pending: set[str] = set()
        self._lock = threading.Lock()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="static-brotli")

    def get(self, body: bytes) -> tuple[str, bytes | None]:
        """The body's digest and its compressed form, or None (and its compression queued) when not ready."""
        digest = hashlib.sha256(body).hexdigest()
        with self._lock:
            if digest in self._ready:
                self._ready.move_to_end(digest)
                return digest, self._ready[digest]
            if digest not in self._pending:
                self._pending.add(digest)
                self._worker.submit(self._compress, digest, body)
        return digest, None

    def _compress(self, digest: str, body: bytes) -> None:
        packed = brotli.compress(body, quality=self.quality, mode=brotli.MODE_TEXT)
        with self._lock:
            self._pending.discard(digest)
            self._ready[digest] = packed
            while sum(len(v) for v in self._ready.values()) > self.limit:
                self._ready.popitem(last=False)


def _static_brotli(app: Dash, cache: StaticBrotli) -> None:
    """Send static bodies brotli-compressed at best quality to browsers that accept br (runs before
    flask-compress, which leaves a response that has a Content-Encoding alone)."""

    @app.server.after_request
    def best_brotli(response: Response) -> Response:
        if request.method != "GET" or response.status_code != 200 or "Content-Encoding" in response.headers \
                or response.mimetype not in STATIC_TYPES or not request.path.startswith(STATIC_PREFIXES) \
                or request.accept_encodings["br"] <= 0:
            return response
        response.direct_passthrough = False
        digest, packed = cache.get(response.get_data())
        if packed is not None:
            response.set_data(packed)
            response.headers["Content-Encoding"] = "br"
            response.headers["Vary"] = "Accept-Encoding"
            if response.get_etag()[0]:  # (the unfingerprinted ones: revalidated by their ETag)
                response.set_etag(f"{digest[:32]}:br")
                response.make_conditional(request)
        return response
