"""A worker that reaches gunicorn's max_requests soon after a rebuild exits at once and is replaced: nothing
(such as the timer that closes the old build) keeps it alive while it no longer accepts requests."""

from __future__ import annotations

import http.client
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from etl.load import build
from tests.integration.servers import start, stop

pytestmark = pytest.mark.slow


def test_a_worker_recycling_right_after_a_reload_exits_promptly(tmp_path, fixture_exports):
    db = tmp_path / "served.duckdb"
    build(fixture_exports[:1], db)
    log = tmp_path / "gunicorn.log"
    proc, base = start(db, log, workers=1, threads=2, max_requests=25, max_requests_jitter=0,
                       env={"COOPATLAS_EXPORT_WARM": "0"})
    try:
        build(fixture_exports, db)  # a rebuild in place while serving
        time.sleep(1.5)  # the next request notices it and swaps the build (the old one closes later)
        slowest, answered = 0.0, 0
        deadline = time.time() + 60
        while time.time() < deadline and log.read_text().count("Booting worker") < 3:
            t = time.perf_counter()
            with urllib.request.urlopen(base + "/api/v1/aggregates?by=odd", timeout=10) as r:
                assert r.status == 200
                assert b'"total":29' in r.read().replace(b" ", b"")
            slowest = max(slowest, time.perf_counter() - t)
            answered += 1
        text = log.read_text()
        assert text.count("Booting worker") >= 3, text[-2000:]  # two workers recycled and replaced
        assert slowest < 5, f"a request waited {slowest:.1f} s while a worker was recycling"
    finally:
        stop(proc)


def test_a_worker_recycling_while_an_export_waits_exits_promptly(tmp_path, fixture_db):
    """An export request waiting for its render must not hold up a worker that reached max_requests: it is
    answered 503 + Retry-After at once (with a "Chromium" that takes 30 s here)."""
    slow = tmp_path / "slow-chromium"
    slow.write_text("#!/bin/sh\nsleep 30\nexit 1\n")
    slow.chmod(0o755)
    log = tmp_path / "gunicorn.log"
    proc, base = start(fixture_db, log, workers=1, threads=4, max_requests=15, max_requests_jitter=0,
                       env={"COOPATLAS_EXPORT_WARM": "0", "COOPATLAS_CHROMIUM": str(slow),
                            "COOPATLAS_EXPORT_WAIT": "25"})
    port = int(base.rsplit(":", 1)[1])
    answer = {}

    def export():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        t = time.perf_counter()
        conn.request("GET", "/export/region/53.png")
        r = conn.getresponse()
        r.read()
        answer.update(status=r.status, retry=r.getheader("Retry-After"), seconds=time.perf_counter() - t)

    try:
        waiting = threading.Thread(target=export)
        waiting.start()
        time.sleep(1.0)  # the export waits for its (slow) render
        t = time.perf_counter()
        deadline = time.time() + 40
        while time.time() < deadline and log.read_text().count("Booting worker") < 2:
            with urllib.request.urlopen(base + "/api/v1/aggregates?by=odd", timeout=30) as r:
                assert r.status == 200
        replaced = time.perf_counter() - t
        waiting.join(timeout=60)
        assert log.read_text().count("Booting worker") >= 2
        assert replaced < 10, f"the worker took {replaced:.1f} s to be replaced"
        assert answer["status"] == 503 and int(answer["retry"]) > 0 and answer["seconds"] < 10
    finally:
        stop(proc)


def test_a_recycled_worker_is_stopped_only_once_its_successor_is_up(tmp_path, fixture_db):
    """Recycling never leaves the server with a worker fewer: the successor starts first (SIGTTIN), then the
    master stops the oldest worker (SIGTTOU). Gunicorn's own max_requests stopped it first, then started the next
    one once it had exited: seconds on one worker fewer."""
    log = tmp_path / "gunicorn.log"
    proc, base = start(fixture_db, log, workers=2, threads=2, max_requests=15, max_requests_jitter=0,
                       env={"COOPATLAS_EXPORT_WARM": "0"})
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    first = set(children.read_text().split())
    seen, fewest, done = set(), [len(first)], threading.Event()

    def watch():
        while not done.is_set():
            now = children.read_text().split()
            seen.update(now)
            fewest[0] = min(fewest[0], len(now))
            time.sleep(0.01)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        deadline = time.time() + 90
        while time.time() < deadline and (first & set(children.read_text().split()) or len(seen) < 5):
            with urllib.request.urlopen(base + "/api/v1/aggregates?by=odd", timeout=30) as r:
                assert r.status == 200
    finally:
        done.set()
        watcher.join()
        stop(proc)
    text = log.read_text()
    assert len(first) == 2 and not first & set(children.read_text().split() if children.exists() else [])
    assert len(seen) >= 5, text[-2000:]  # both first workers replaced, and a successor replaced too
    assert fewest[0] >= 2, f"the server ran on {fewest[0]} worker(s) while recycling"
    assert text.count("un nouveau worker prendra la place") >= 3
