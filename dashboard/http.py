"""HTTP hardening of the Flask server under Dash: security headers (a Content-Security-Policy that Dash works
with), compression, and long-lived caching of fingerprinted static files."""

from __future__ import annotations

import hashlib
import mimetypes
import re
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli
from dash import Dash
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


def harden(app: Dash) -> None:
    """Add the headers to every response; compress text responses. Call after every callback is registered
    (the policy holds the hashes of the clientside callbacks)."""
    from flask_compress import Compress

    server = app.server
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
