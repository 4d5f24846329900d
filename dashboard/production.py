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
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

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


# Recycling without a gap. A worker that has served its share of requests (max_requests, plus a random jitter)
# leaves a ticket and asks the master for one more worker (SIGTTIN); the new worker, once its app is loaded, takes
# a ticket and asks for one less (SIGTTOU), and the master stops its oldest worker, gracefully. Gunicorn's own
# max_requests stops a worker first and starts the next one once it has exited: for the old one's drain and the
# new one's start (3–6 s measured under load) the server ran on one worker fewer. A ticket always goes with one
# SIGTTIN, so the count of workers comes back to what it was whoever takes it; a worker started for any other
# reason (the first ones, one replacing a crash) finds no ticket.
RECYCLE = {"after": 0, "jitter": 0, "tickets": ""}  # set by run() in the master, read by its forked workers
RECYCLING_LOG = "coopatlas : %d requêtes servies, un nouveau worker prendra la place de celui-ci"
ASK_AGAIN_S = 30  # a worker still there this long after asking (another, older one was stopped) asks again
_ASKING = threading.Lock()


def _post_fork(server, worker) -> None:
    worker.coopatlas_budget = RECYCLE["after"] + random.randint(0, RECYCLE["jitter"]) if RECYCLE["after"] else 0
    worker.coopatlas_asked = -ASK_AGAIN_S


def _post_worker_init(worker) -> None:
    """A worker whose app is loaded: the master's SIGTERM (stop, gracefully) lets go of its export waiters at
    once; it computes the pages' most asked-for views (:func:`dashboard.pages.warm`) before its first request,
    then takes a ticket if there is one (the worker it replaces stops once this one is ready)."""
    from dashboard import pages
    from dashboard.exports import drain

    def stopping(signum, frame) -> None:
        # The master repeats its SIGTERM about once a second until the worker is gone, and a handler interrupted
        # while it holds a lock deadlocks on it when it runs again: nothing is taken before ``alive`` says the
        # stop is under way, and the repeats return at once (seen: a worker hung in Event.set until killed).
        # Gunicorn's own handler also wakes its loop through a queue, whose lock the loop itself may hold; the
        # loop looks at ``alive`` at least once a second.
        if not worker.alive:
            return
        worker.alive = False
        drain()

    signal.signal(signal.SIGTERM, stopping)
    pages.warm(worker.wsgi.config["coopatlas"].current())
    for ticket in sorted(Path(RECYCLE["tickets"]).glob("*")) if RECYCLE["tickets"] else ():
        try:
            ticket.unlink()  # this worker's: no other can take it
        except FileNotFoundError:
            continue
        os.kill(worker.ppid, signal.SIGTTOU)
        return


def _post_request(worker, req, environ, resp) -> None:
    """After each request: a worker that stops lets go of export waiters; one that has served its share asks for
    its successor."""
    if not worker.alive:
        from dashboard.exports import drain

        drain()
        return
    if not worker.coopatlas_budget or worker.nr < worker.coopatlas_budget:
        return
    with _ASKING:
        if time.monotonic() - worker.coopatlas_asked < ASK_AGAIN_S:
            return
        worker.coopatlas_asked = time.monotonic()
    worker.log.info(RECYCLING_LOG, worker.nr)
    (Path(RECYCLE["tickets"]) / f"{worker.pid}-{time.time_ns()}").touch()
    os.kill(worker.ppid, signal.SIGTTIN)


def run(db: str, host: str, port: int, workers: int, threads: int = 4, timeout: int = 60,
        max_requests: int = 5000, max_requests_jitter: int = 500) -> None:
    os.environ.setdefault("COOPATLAS_EXPORT_SLOTS", str(max(1, threads // 2)))
    os.environ.setdefault("COOPATLAS_EXPORT_WARM", "1")
    shared, master = None, os.getpid()
    if not os.environ.get("COOPATLAS_EXPORT_DIR"):
        shared = os.environ["COOPATLAS_EXPORT_DIR"] = tempfile.mkdtemp(prefix="coopatlas-exports-")
    tickets = tempfile.mkdtemp(prefix="coopatlas-recycling-")
    RECYCLE.update(after=max_requests, jitter=max_requests_jitter, tickets=tickets)
    try:
        _serve(db, host, port, workers, threads, timeout)
    finally:  # a worker's exit unwinds through here too (it was forked inside): only the master cleans up
        if os.getpid() == master:
            shutil.rmtree(tickets, ignore_errors=True)
            if shared:
                shutil.rmtree(shared, ignore_errors=True)


def _serve(db: str, host: str, port: int, workers: int, threads: int, timeout: int) -> None:
    _Gunicorn(db, {
        "bind": f"{host}:{port}", "workers": workers, "threads": threads, "worker_class": "gthread",
        "timeout": timeout, "graceful_timeout": 20, "keepalive": 5, "accesslog": "-",
        # workers are recycled now and then (no slow leak lives long), by RECYCLE rather than max_requests
        "post_fork": _post_fork, "post_worker_init": _post_worker_init, "post_request": _post_request,
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
    # stopped by SIGTERM (systemd, docker, kill) as by Ctrl-C: the exit handlers run (the exports' own folder)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    app.run(host=host, port=port, debug=debug)
    return 0
