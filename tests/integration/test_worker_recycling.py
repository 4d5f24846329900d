"""A worker that reaches gunicorn's max_requests soon after a rebuild exits at once and is replaced: nothing
(such as the timer that closes the old build) keeps it alive while it no longer accepts requests."""

from __future__ import annotations

import time
import urllib.request

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
