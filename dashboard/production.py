"""Production serving: gunicorn workers, each with its own app and its own read-only DuckDB connection.

The app is created in each worker after the fork (no ``preload``): a DuckDB connection must not cross a fork.
Workers are threaded (``gthread``): DuckDB releases the GIL while it runs a query.
"""

from __future__ import annotations

from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, db: str, options: dict):
        self.db = db
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from dashboard.app import Settings, create_app

        return create_app(Settings(db=self.db)).server


def run(db: str, host: str, port: int, workers: int, threads: int = 4, timeout: int = 60,
        max_requests: int = 5000, max_requests_jitter: int = 500) -> None:
    _Gunicorn(db, {
        "bind": f"{host}:{port}", "workers": workers, "threads": threads, "worker_class": "gthread",
        "timeout": timeout, "graceful_timeout": 20, "keepalive": 5, "accesslog": "-",
        # recycle workers now and then: no slow leak lives long
        "max_requests": max_requests, "max_requests_jitter": max_requests_jitter,
    }).run()
