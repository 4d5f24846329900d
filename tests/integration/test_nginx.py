"""The nginx example of the README, with Debian's nginx, in front of two replicas (gunicorn): pages, callbacks and
downloads go through, and stopping one replica loses no request."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from dashboard.callback_client import main_inputs, payload
from tests.conftest import ROOT, need

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 40) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


@pytest.fixture(scope="module")
def stack(fixture_db, tmp_path_factory):
    need(Path(NGINX).exists(), "Debian's nginx is not installed (make test installs it when allowed)")
    tmp = tmp_path_factory.mktemp("nginx")
    ports = [free_port(), free_port()]
    replicas = [subprocess.Popen([sys.executable, "-m", "etl.cli", "serve", "--db", str(fixture_db), "--port",
                                  str(p), "--workers", "1", "--threads", "2"], cwd=ROOT,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for p in ports]
    front = free_port()
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    site = site.replace("127.0.0.1:8051", f"127.0.0.1:{ports[0]}").replace("127.0.0.1:8052", f"127.0.0.1:{ports[1]}")
    site = site.replace("listen 8080;", f"listen 127.0.0.1:{front};")
    (tmp / "coopatlas.conf").write_text(site)
    (tmp / "nginx.conf").write_text(f"""
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 256; }}
http {{
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fcgi;
    uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
    include {tmp}/coopatlas.conf;
}}
""")
    proxy = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for p in ports:
            wait_http(f"http://127.0.0.1:{p}/")
        wait_http(f"http://127.0.0.1:{front}/")
        yield f"http://127.0.0.1:{front}", replicas
    finally:
        proxy.send_signal(signal.SIGQUIT)
        for r in replicas:
            r.terminate()
        for proc in (proxy, *replicas):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_requests_go_through_and_survive_a_replica_stopping(stack, fixture_db):
    import json

    from dashboard.app import Settings, create_app
    from dashboard.ids import Ids

    base, replicas = stack
    app = create_app(Settings(db=str(fixture_db)))
    body = json.dumps(payload(app, Ids.KPI_PARTNERSHIPS, main_inputs(), {f"{Ids.LANG}.data": "fr"})).encode()

    def get(path: str) -> int:
        with urllib.request.urlopen(base + path, timeout=10) as r:
            r.read()
            return r.status

    def post() -> str:
        req = urllib.request.Request(base + "/_dash-update-component", data=body,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())["response"][Ids.KPI_PARTNERSHIPS]["children"]

    assert get("/") == get("/telecharger.csv?pays=MLI") == get("/_dash-layout") == 200
    assert post() == "29"
    replicas[0].terminate()
    replicas[0].wait(timeout=20)
    statuses = [get("/") for _ in range(10)] + [get("/telecharger.csv") for _ in range(5)]
    assert statuses == [200] * 15
    assert [post() for _ in range(10)] == ["29"] * 10
