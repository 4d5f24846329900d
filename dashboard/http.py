"""HTTP hardening of the Flask server under Dash: security headers (a Content-Security-Policy that Dash works
with), compression, and long-lived caching of fingerprinted static files."""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path

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
    csp: dict[bool, str] = {}

    @server.after_request
    def headers(response: Response) -> Response:
        embeddable = request.path.startswith("/embed/")
        if embeddable not in csp:
            csp[embeddable] = content_security_policy(app, embeddable)
        response.headers.setdefault("Content-Security-Policy", csp[embeddable])
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
