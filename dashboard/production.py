"""Production serving: gunicorn workers, each with its own app and its own read-only DuckDB connection.

The app is created in each worker after the fork (no ``preload``): a DuckDB connection must not cross a fork.
Workers are threaded (``gthread``): DuckDB releases the GIL while it runs a query. The workers of one server
share one folder of exports (so one cache and one Chromium at a time, see dashboard/exports.py), given to them
in ``COOPATLAS_EXPORT_DIR``; heavy downloads take at most half of each worker's threads
(``COOPATLAS_EXPORT_SLOTS``), and the exports of each new build are prepared in the background
(``COOPATLAS_EXPORT_WARM``), unless those variables say otherwise.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile

from gunicorn.app.base import BaseApplication

from dashboard.app import create_app
from dashboard.db import DatabaseMissing
from etl.settings import Settings


class _Gunicorn(BaseApplication):
    def __init__(self, db: str, options: dict):
        self.db = db
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return create_app(Settings.from_env(db=self.db)).server


def _post_request(worker, req, environ, resp) -> None:
    """After each request: a worker that stops (max_requests reached, or told to) lets go of export waiters."""
    if not worker.alive:
        from dashboard.exports import drain

        drain()


def run(db: str, host: str, port: int, workers: int, threads: int = 4, timeout: int = 60,
        max_requests: int = 5000, max_requests_jitter: int = 500) -> None:
    os.environ.setdefault("COOPATLAS_EXPORT_SLOTS", str(max(1, threads // 2)))
    os.environ.setdefault("COOPATLAS_EXPORT_WARM", "1")
    shared, master = None, os.getpid()
    if not os.environ.get("COOPATLAS_EXPORT_DIR"):
        shared = os.environ["COOPATLAS_EXPORT_DIR"] = tempfile.mkdtemp(prefix="coopatlas-exports-")
    try:
        _serve(db, host, port, workers, threads, timeout, max_requests, max_requests_jitter)
    finally:  # a worker's exit unwinds through here too (it was forked inside): only the master cleans up
        if shared and os.getpid() == master:
            shutil.rmtree(shared, ignore_errors=True)


def _serve(db: str, host: str, port: int, workers: int, threads: int, timeout: int, max_requests: int,
           max_requests_jitter: int) -> None:
    _Gunicorn(db, {
        "bind": f"{host}:{port}", "workers": workers, "threads": threads, "worker_class": "gthread",
        "timeout": timeout, "graceful_timeout": 20, "keepalive": 5, "accesslog": "-",
        # recycle workers now and then: no slow leak lives long
        "max_requests": max_requests, "max_requests_jitter": max_requests_jitter,
        "post_request": _post_request,
    }).run()


def serve(db: str, host: str = "127.0.0.1", port: int = 8050, debug: bool = False, workers: int = 0,
          threads: int = 4) -> int:
    """``workers`` = 0: Flask's development server (one process, for a desk). ``workers`` ≥ 1: gunicorn, the
    production mode (see the README)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        app = create_app(Settings.from_env(db=db, debug=debug or None))  # checks the database before any worker
    except DatabaseMissing as exc:
        print(f"coopatlas : {exc}", file=sys.stderr)
        return 2
    print(f"coopatlas : tableau de bord sur http://{host}:{port}/", flush=True)
    if workers:
        app.server.config["coopatlas"].current().store.close()
        run(db, host, port, workers, threads)
        return 0
    app.run(host=host, port=port, debug=debug)
    return 0
