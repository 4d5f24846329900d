"""Region exports (PNG/PDF): rendered one at a time from a private loopback server of the process (never through
the serving threads, never at an address a request header chose), cached per build whatever the Host header, a
bounded queue answering 503 + Retry-After when full, and the cache warmed in the background after a build loads.

The fast tests replace Chromium with a fake that fetches the page it is given (so the private server is really
exercised); the slow ones run Debian's Chromium, and gunicorn for the burst of exports."""

from __future__ import annotations

import http.client
import http.server
import io
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

import dashboard.exports
from dashboard.app import Settings, create_app
from tests.conftest import need

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


class FakeChromium:
    """Fetches the page as Chromium would and writes it as the "export"; records what it was asked."""

    def __init__(self, seconds: float = 0.0, fail: Exception | None = None):
        self.seconds, self.fail = seconds, fail
        self.urls: list[str] = []
        self.lock = threading.Lock()
        self.running = self.peak = 0

    def __call__(self, url: str, out: Path, fmt: str, width: int, height: int, timeout: float) -> None:
        with self.lock:
            self.urls.append(url)
            self.running += 1
            self.peak = max(self.peak, self.running)
        try:
            if self.fail is not None:
                raise self.fail
            with urllib.request.urlopen(url, timeout=10) as r:
                assert r.status == 200
                page = r.read()
            time.sleep(self.seconds)
            Path(out).write_bytes(b"%PDF-fake\n" + page if fmt == "pdf" else b"\x89PNG-fake\n" + page)
        finally:
            with self.lock:
                self.running -= 1


@pytest.fixture()
def make_app(monkeypatch, fixture_db):
    made = []

    def make(fake: FakeChromium | None = None, **env):
        monkeypatch.setattr(dashboard.exports, "_LIMITER", None, raising=False)
        for name, value in {"SLOTS": "8", "QUEUE": "4", "WAIT": "20", "WARM": "0", **env}.items():
            monkeypatch.setenv(f"COOPATLAS_EXPORT_{name}", value)
        if fake is not None:
            monkeypatch.setattr(dashboard.exports, "run_chromium", fake, raising=False)
        app = create_app(Settings(db=str(fixture_db)))
        made.append(app)
        return app

    yield make
    for app in made:
        exporter = app.server.extensions.get("coopatlas.exports")
        if exporter is not None:
            exporter.close()


def test_the_renderer_uses_its_own_loopback_address_whatever_the_host_header(make_app):
    fake = FakeChromium()
    app = make_app(fake)
    client = app.server.test_client()
    first = client.get("/export/region/84.png", headers={"Host": "127.0.0.1:8159"})
    assert first.status_code == 200 and first.mimetype == "image/png"
    assert len(fake.urls) == 1
    url = fake.urls[0]
    assert url.startswith("http://127.0.0.1:") and ":8159" not in url and url.endswith("/region/84?vue=diapo")
    assert b"<html" in first.data  # the fake got the app's page from the private server
    again = client.get("/export/region/84.png", headers={"Host": "evil.example"})
    plain = client.get("/export/region/84.png")
    assert again.data == first.data == plain.data and len(fake.urls) == 1  # one cache entry, not one per Host


def test_the_print_views_are_served_by_a_process_of_their_own_at_the_idle_priority(make_app):
    """The page server Chromium reads from is not the serving process (its renders take neither CPU nor the GIL
    from the pages' threads), runs under SCHED_IDLE like Chromium, and exits when its worker is gone."""
    import os

    fake = FakeChromium()
    app = make_app(fake)
    assert app.server.test_client().get("/export/region/53.png").status_code == 200
    pages = app.server.extensions["coopatlas.exports"]._pages
    assert fake.urls[0].startswith(f"http://127.0.0.1:{pages.port}/")
    proc = pages._proc
    assert proc.pid != os.getpid()
    if shutil.which("chrt"):
        assert os.sched_getscheduler(proc.pid) == os.SCHED_IDLE
    # in the worker's session, where SCHED_IDLE yields to it (a session of its own has its own CPU share)
    assert os.getsid(proc.pid) == os.getsid(0) and os.getpgid(proc.pid) == proc.pid
    proc.stdin.close()  # as when the worker exits, however it exits
    assert proc.wait(timeout=30) == 0


def test_renders_run_one_at_a_time_and_a_full_queue_answers_503(make_app):
    fake = FakeChromium(seconds=0.4)
    app = make_app(fake, QUEUE="2")
    codes = ["11", "24", "27", "28", "32", "44", "52", "53"]
    answers: dict[str, tuple[int, str | None]] = {}
    barrier = threading.Barrier(len(codes))
    exporter = app.server.extensions["coopatlas.exports"]
    accepted, submit = set(), exporter.submit

    def recorded(build, code, *args, **kwargs):  # which renders the queue took (the others were refused)
        job = submit(build, code, *args, **kwargs)
        if job is not None:
            accepted.add(code)
        return job

    exporter.submit = recorded

    def export(code):
        client = app.server.test_client()
        barrier.wait()
        r = client.get(f"/export/region/{code}.pdf")
        answers[code] = (r.status_code, r.headers.get("Retry-After"))

    threads = [threading.Thread(target=export, args=(c,)) for c in codes]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    deadline = time.time() + 30  # the queue drains (a loaded machine takes longer than the renders' 1.2 s)
    while exporter.queued() and time.time() < deadline:
        time.sleep(0.05)
    statuses = [s for s, _ in answers.values()]
    seen = (f"answers {answers}, accepted {sorted(accepted)}, renders {fake.urls}, "
            f"still queued {exporter.queued()}")  # what a failure shows
    assert set(statuses) <= {200, 503} and statuses.count(200) >= 1 and statuses.count(503) >= 1, seen
    assert all(int(retry) > 0 for s, retry in answers.values() if s == 503), seen
    assert fake.peak == 1, seen
    client = app.server.test_client()
    # The queue took at least its two renders and refused others; every render it took ran, without a waiter
    # (the first one may still have been in the queue when the others came, or already taken off it)
    assert len(accepted) >= 2 and len(accepted) < len(codes), seen
    assert {u.split("/region/")[1].split("?")[0] for u in fake.urls} == accepted, seen
    for code, (status, _) in answers.items():  # what was refused is served once asked again
        if status == 503:
            assert client.get(f"/export/region/{code}.pdf").status_code == 200


def test_a_request_waits_for_its_render_at_most_the_wait_setting(make_app):
    fake = FakeChromium(seconds=2.0)
    app = make_app(fake, WAIT="0.5")
    client = app.server.test_client()
    t = time.perf_counter()
    r = client.get("/export/region/53.png")
    assert r.status_code == 503 and int(r.headers["Retry-After"]) > 0 and time.perf_counter() - t < 1.5
    exporter = app.server.extensions["coopatlas.exports"]
    out = exporter.path(app.server.config["coopatlas"].current().version, "53", "png", "fr")
    deadline = time.time() + 120  # the render goes on without the request (its page server starts first)
    while not out.exists() and time.time() < deadline:
        time.sleep(0.2)
    assert client.get("/export/region/53.png").status_code == 200 and len(fake.urls) == 1


def test_a_failed_render_is_a_503_never_a_500(make_app):
    import subprocess

    app = make_app(FakeChromium(fail=subprocess.CalledProcessError(1, "chromium")))
    r = app.server.test_client().get("/export/region/53.pdf")
    assert r.status_code == 503 and "Traceback" not in r.get_data(as_text=True)


def test_the_cache_is_warmed_after_a_build_loads_one_render_at_a_time(make_app, monkeypatch):
    monkeypatch.setattr(dashboard.exports, "WARM_DELAY_S", 0.0, raising=False)
    fake = FakeChromium()
    app = make_app(fake, WARM="1")
    client = app.server.test_client()
    client.get("/api/v1/aggregates?by=odd")  # the warm-up starts with the worker's first request
    regions = app.server.config["coopatlas"].current().vocab.codes("region")
    deadline = time.time() + 60
    while time.time() < deadline and len(fake.urls) < 2 * len(regions):
        time.sleep(0.1)
    time.sleep(0.3)
    assert len(fake.urls) == 2 * len(regions) and len(set(fake.urls)) == len(fake.urls)
    assert fake.peak == 1
    assert {u.split("/region/")[1].split("?")[0] for u in fake.urls} == set(regions)
    assert client.get("/export/region/84.pdf").status_code == 200 and len(fake.urls) == 2 * len(regions)


def test_openapi_servers_do_not_echo_the_host_header(client):
    r = client.get("/api/v1/openapi.json", headers={"Host": "evil.example:8159"})
    assert r.status_code == 200 and r.json["servers"] == [{"url": "/"}]
    assert "evil" not in r.get_data(as_text=True)


# --- with Debian's Chromium ------------------------------------------------------------------------------------

class _Evil(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):  # noqa: N802
        type(self).hits += 1
        body = b"<html><body><h1>EVIL PAGE FROM ANOTHER SERVER</h1></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _get(port: int, path: str, host: str | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", path, headers={"Host": host} if host else {})
    r = conn.getresponse()
    return r.status, r.read()


@pytest.mark.slow
def test_a_host_header_neither_steers_chromium_nor_poisons_the_cache(make_app):
    need(Path(CHROMIUM).exists(), "Debian's chromium is not installed (make test installs it when allowed)")
    from pypdf import PdfReader
    from werkzeug.serving import make_server

    evil = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Evil)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    app = make_app()
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        status, body = _get(server.server_port, "/export/region/84.pdf", host=f"127.0.0.1:{evil.server_port}")
        assert status == 200
        text = PdfReader(io.BytesIO(body)).pages[0].extract_text()
        assert _Evil.hits == 0 and "EVIL" not in text
        assert "Auvergne-Rhône-Alpes" in text
        status, plain = _get(server.server_port, "/export/region/84.pdf")
        assert status == 200 and plain == body
    finally:
        server.shutdown()
        evil.shutdown()


@pytest.mark.slow
def test_eight_exports_at_once_do_not_starve_the_pages(tmp_path, fixture_db):
    """`serve --workers 2`, eight uncached exports at once: cheap requests keep answering promptly; each export
    is a 200 or a 503 with Retry-After, and every one is served when retried as Retry-After says."""
    need(Path(CHROMIUM).exists(), "Debian's chromium is not installed (make test installs it when allowed)")
    from tests.integration.servers import start, stop

    proc, base = start(fixture_db, tmp_path / "gunicorn.log", workers=2, threads=4,
                       env={"COOPATLAS_EXPORT_WARM": "0"})
    paths = [f"/export/region/{c}.png" for c in ("11", "27", "32", "52")] + \
            [f"/export/region/{c}.pdf" for c in ("24", "28", "44", "53")]
    first: dict[str, tuple[int, str | None]] = {}
    final: dict[str, int] = {}
    port = int(base.rsplit(":", 1)[1])
    deadline = time.time() + 240

    def export(path):  # as a well-behaved client: asks again when Retry-After says
        while True:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=90)
            conn.request("GET", path)
            r = conn.getresponse()
            r.read()
            first.setdefault(path, (r.status, r.getheader("Retry-After")))
            final[path] = r.status
            if r.status != 503 or time.time() > deadline:
                return
            time.sleep(min(int(r.getheader("Retry-After") or 5), 10))

    try:
        threads = [threading.Thread(target=export, args=(p,)) for p in paths]
        for t in threads:
            t.start()
        time.sleep(1.0)
        cheap = []
        while any(t.is_alive() for t in threads) and time.time() < deadline:
            t0 = time.perf_counter()
            with urllib.request.urlopen(base + "/api/v1/aggregates?by=odd", timeout=10) as r:
                assert r.status == 200
                r.read()
            cheap.append(time.perf_counter() - t0)
            time.sleep(0.25)
        for t in threads:
            t.join(timeout=90)
        assert cheap and max(cheap) < 3, f"cheap requests took up to {max(cheap):.1f} s during the exports"
        assert len(first) == len(paths) and {s for s, _ in first.values()} <= {200, 503}
        assert all(retry and int(retry) > 0 for s, retry in first.values() if s == 503)
        assert final == dict.fromkeys(paths, 200)
    finally:
        stop(proc)


def test_an_export_queued_for_a_replaced_build_is_not_rendered(make_app):
    fake = FakeChromium()
    app = make_app(fake)
    exporter = app.server.extensions["coopatlas.exports"]
    job = exporter.submit("0ldbuild0000", "84", "png", "fr")
    assert job.done.wait(10) and job.error is not None and not fake.urls
    assert app.server.test_client().get("/export/region/84.png").status_code == 200 and len(fake.urls) == 1


def test_a_failing_warm_up_gives_up_instead_of_looping(make_app, monkeypatch):
    monkeypatch.setattr(dashboard.exports, "WARM_DELAY_S", 0.0, raising=False)
    fake = FakeChromium(fail=dashboard.exports.ExportUnavailable("no Chromium here"))
    app = make_app(fake, WARM="1")
    app.server.test_client().get("/api/v1/aggregates?by=odd")
    deadline = time.time() + 120  # the first attempt comes once the page server has started
    while not fake.urls and time.time() < deadline:
        time.sleep(0.2)
    time.sleep(1.5)
    assert len(fake.urls) == 1


def test_an_exporters_own_folder_goes_with_the_process_that_made_it(fixture_db, tmp_path):
    """Without COOPATLAS_EXPORT_DIR (``coopatlas serve`` in one process, the tests) the exporter caches its files
    in a temporary folder of its own: removed when that process exits (a server restarted every day left one
    behind at each start), kept while it runs."""
    code = ("from dashboard.app import Settings, create_app\n"
            f"app = create_app(Settings(db={str(fixture_db)!r}))\n"
            "folder = app.server.extensions['coopatlas.exports'].folder\n"
            "(folder / 'kept.png').write_bytes(b'x'); print(folder, folder.exists(), flush=True)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120,
                         env={**os.environ, "COOPATLAS_EXPORT_DIR": ""})
    folder, existed = out.stdout.split()[-2:]
    assert existed == "True" and not Path(folder).exists()
