"""Helpers of the tests that start a real production server (gunicorn, ``dashboard.production.run``) on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from dashboard.callback_client import main_inputs, payload
from dashboard.ids import Ids
from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


def start(db: Path, log: Path, workers: int = 2, threads: int = 4, env: dict | None = None,
          **options) -> tuple[subprocess.Popen, str]:
    """``production.run`` in a child process, its output in ``log``; returns it and its base URL."""
    port = free_port()
    args = ", ".join(f"{k}={v!r}" for k, v in options.items())
    code = (f"from dashboard import production; production.run({str(db)!r}, '127.0.0.1', {port}, {workers}, "
            f"{threads}{', ' + args if args else ''})")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            env={**os.environ, **(env or {})})
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + "/api/v1/aggregates?by=odd")
    except AssertionError:
        stop(proc)
        raise
    return proc, base


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def kpi(client, app) -> tuple[int, str | None]:
    """The main callback's partnership count through an app's test client: (status, value)."""
    r = client.post("/_dash-update-component",
                    json=payload(app, Ids.KPI_PARTNERSHIPS, main_inputs(), {f"{Ids.LANG}.data": "fr"}))
    return r.status_code, (r.json["response"][Ids.KPI_PARTNERSHIPS]["children"] if r.status_code == 200 else None)
