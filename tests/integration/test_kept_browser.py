"""The exports' kept Chromium (dashboard.chromium): a real Debian Chromium driven over its DevTools pipe, on a
small page served on loopback."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dashboard.chromium import Browser, RenderError
from tests.conftest import need

# A page that draws late: its figure comes after a fetch and a two-second timer (virtual time runs the timer at
# once), as the print views' graphs come after Dash's requests.
PAGE = b"""<!doctype html><html><head><style>@page { size: A4; margin: 0; } body { margin: 0; }
#fig { width: 300px; height: 200px; }</style></head><body><div id="fig"></div><script>
fetch('/data').then(r => r.text()).then(colour => setTimeout(() => {
  document.getElementById('fig').style.background = colour; document.body.dataset.drawn = 'yes';
}, 2000));
</script></body></html>"""
DRAWN = "document.body.dataset.drawn === 'yes'"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"rgb(200, 30, 40)" if self.path == "/data" else PAGE
        self.send_response(200)
        self.send_header("Content-Type", "text/plain" if self.path == "/data" else "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def page_url():
    need(shutil.which("chromium") is not None, "Debian's chromium is not installed")
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


@pytest.fixture()
def browser():
    made = Browser()
    yield made
    made.close()


def gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def test_renders_share_one_chromium_and_wait_for_the_page_to_draw(browser, page_url):
    from PIL import Image
    from pypdf import PdfReader

    png = browser.render(page_url, "png", 640, 360, timeout=60, ready=DRAWN)
    pid = browser.pid
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (640, 360)
    assert image.getpixel((150, 100)) == (200, 30, 40)  # the late figure is on the screenshot
    pdf = PdfReader(io.BytesIO(browser.render(page_url, "pdf", 794, 1123, timeout=60, ready=DRAWN)))
    assert len(pdf.pages) == 1
    assert (round(float(pdf.pages[0].mediabox.width)), round(float(pdf.pages[0].mediabox.height))) == (595, 842)
    browser.render(page_url, "png", 1600, 900, timeout=60, ready=DRAWN)
    assert browser.pid == pid  # one browser for the three renders


def test_a_page_that_does_not_draw_fails_and_the_next_render_starts_another_chromium(browser, page_url):
    with pytest.raises(RenderError, match="not drawn"):
        browser.render(page_url, "png", 640, 360, timeout=60, ready="false")
    assert browser.pid is None
    browser.render(page_url, "png", 640, 360, timeout=60, ready=DRAWN)
    first = browser.pid
    os.kill(first, 9)  # a browser that died between renders is replaced
    browser.render(page_url, "png", 640, 360, timeout=60, ready=DRAWN)
    assert browser.pid not in (None, first)


def test_an_idle_chromium_is_closed(page_url):
    browser = Browser(idle_s=1)
    browser.render(page_url, "png", 640, 360, timeout=60, ready=DRAWN)
    pid = browser.pid
    assert pid is not None and gone(pid, seconds=15)
    assert browser.pid is None


def test_chromium_runs_at_the_idle_priority_whatever_nice_values_it_sets(browser, page_url):
    """Chromium run as root sets nice values of its own (-8 to 5) on its threads, undoing ``nice 19``: it runs
    under the ``SCHED_IDLE`` policy, which its processes and threads inherit, so a render only takes idle CPU."""
    need(shutil.which("chrt") is not None, "chrt (util-linux) is not installed")
    browser.render(page_url, "png", 640, 360, timeout=60, ready=DRAWN)
    group = os.getpgid(browser.pid)
    policies = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.getpgid(int(pid)) != group:
                continue
            for tid in os.listdir(f"/proc/{pid}/task"):
                policies[(pid, tid)] = os.sched_getscheduler(int(tid))
        except (ProcessLookupError, FileNotFoundError, PermissionError):
            continue
    assert len({pid for pid, _ in policies}) >= 2  # the browser and its helpers
    assert set(policies.values()) == {os.SCHED_IDLE}
    # ...and in this process's session: a session of its own would have a CPU share of its own (autogroup)
    assert {os.getsid(int(pid)) for pid, _ in policies} == {os.getsid(0)}


def test_chromium_quits_when_the_process_that_started_it_dies(page_url):
    code = ("import sys, time; from dashboard.chromium import Browser; b = Browser(); "
            f"b.render({page_url!r}, 'png', 320, 200, timeout=60); print(b.pid, flush=True); time.sleep(120)")
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    try:
        pid = int(child.stdout.readline())
    finally:
        child.kill()
        child.wait()
    assert gone(pid, seconds=15)
