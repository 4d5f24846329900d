"""A real Chromium (Debian's chromium + chromium-driver) driving the app served on loopback, with every request
to another host failing at DNS, and the browser's own console and network logs kept for assertions."""

from __future__ import annotations

import contextlib
import json
import shutil
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import need

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def _serve(db):
    from werkzeug.serving import make_server

    from dashboard.app import Settings, create_app

    app = create_app(Settings(db=str(db)))
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="session")
def live_server(fixture_db):
    server = _serve(fixture_db)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def hostile_server(hostile_db):
    server = _serve(hostile_db)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def demo_server(demo_db):
    """The demo database (12,000 partnerships, every region busy) served like the fixture one."""
    server = _serve(demo_db)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def sql(fixture_db):
    """The fixture database queried directly, to cross-check what the browser shows."""
    import duckdb

    con = duckdb.connect(str(fixture_db), read_only=True)

    def one(query: str):
        return con.execute(query).fetchone()[0]

    yield one
    con.close()


@pytest.fixture(scope="session")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture()
def browser(downloads):
    need(Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists(),
         "Debian's chromium and chromium-driver are not installed (make test installs them when allowed)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--window-size=1366,1000",
                # every host but this machine's loopback fails to resolve: nothing can load from outside
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    opts.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                           "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    yield driver
    driver.quit()


@contextlib.contextmanager
def viewport(driver, width: int, height: int | None = None):
    """Pages shown as on a screen of this width (below 500 px a phone: mobile layout); reset afterwards."""
    phone = width < 500
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height or (844 if phone else 900), "deviceScaleFactor": 1, "mobile": phone})
    try:
        yield
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.2):
    """Poll until ``predicate`` is truthy; an element replaced while it was read (the page re-rendering) only
    means "not yet"."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            last = predicate()
        except (StaleElementReferenceException, NoSuchElementException) as exc:
            last = exc
        else:
            if last:
                return last
        time.sleep(interval)
    raise AssertionError(f"condition not met in {timeout} s (last value: {last!r})")


def show_table(driver) -> None:
    """Scroll to the dashboard's table, as a reader does: AG Grid loads when it comes near the viewport
    (assets/grid-loader.js); wait until the grid is drawn and has its first rows (the count beside it is set with
    them)."""
    driver.execute_script("document.getElementById('grid').scrollIntoView({block: 'center'})")
    wait_for(lambda: driver.execute_script(
        "return document.querySelector('#grid .ag-root-wrapper') !== null"
        " && document.getElementById('table-count').textContent !== ''"))


def pushed_margins(driver) -> dict[str, list[str]]:
    """The graphs whose margins plotly's ``automargin`` had to widen (it then draws them twice), with the sides
    and the ticks: each figure should come with margins that hold its labels, legend and colour bar."""
    return driver.execute_script("""
        const out = {};
        for (const gd of document.querySelectorAll('.js-plotly-plot')) {
            const size = gd._fullLayout._size, margin = gd._fullLayout.margin;
            const more = ['l', 'r', 't', 'b'].filter(k => Math.round(size[k]) > margin[k]);
            const ticks = [...gd.querySelectorAll('.ytick text, .cbaxis text')].map(t => t.textContent);
            if (more.length) out[gd.parentElement.id || gd.id] = more.map(
                k => `${k}: ${Math.round(size[k])} > ${margin[k]}`).concat(ticks);
        }
        return out;""")


def requested_urls(driver) -> list[str]:
    """Every URL the page requested so far (reading the performance log empties it)."""
    urls = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
    return urls


def requested_hosts(driver) -> set[str]:
    hosts = set()
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            url = msg["params"]["request"]["url"]
            if url.startswith(("http://", "https://", "ws://", "wss://")):
                hosts.add(url.split("/")[2])
    return hosts


def console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
