"""Dashboard benchmark: server time of the main filter callback and bytes sent per filter change (p50/p95), and
the first full render in headless Chromium.

    python -m bench.callbacks --db data/built/demo.duckdb [--db bench/out/demo-x100.duckdb] [--changes 200]

Filter changes are drawn at random (seeded) from the database's own codes; each is a distinct set of filters, so
the query cache does not flatter the figures. Targets (issue #3): p95 ≤ 150 ms and ≤ 200 KB per change at demo
size, p95 ≤ 600 ms at 100×; first render ≤ 3 s.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import threading
import time

from bench.probe import machine_probe
from dashboard.app import Settings, create_app
from dashboard.callback_client import main_inputs, payload
from dashboard.ids import Ids


def random_changes(atlas, n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    v = atlas.vocab
    seen, out = set(), []
    while len(out) < n:
        values = {}
        if rng.random() < 0.4:
            values[Ids.REGION] = rng.choice(sorted(v.codes("region")))
        if rng.random() < 0.3:
            values[Ids.PAYS] = rng.sample(sorted(v.codes("pays")), rng.randint(1, 3))
        if rng.random() < 0.3:
            values["f-zone"] = rng.choice(sorted(v.codes("zone")))
        if rng.random() < 0.3:
            values["f-theme"] = rng.choice(sorted(v.codes("theme")))
        if rng.random() < 0.3:
            values["f-odd"] = rng.sample(range(1, 18), rng.randint(1, 2))
        if rng.random() < 0.3:
            values["f-debut"] = rng.randint(1990, 2015)
        if rng.random() < 0.2:
            values["f-budget"] = rng.choice(["connu", "inconnu"])
        values[Ids.METRIC] = rng.choice(["partenariats", "collectivites", "budget"])
        key = json.dumps(values, sort_keys=True, default=str)
        if key not in seen:
            seen.add(key)
            out.append(values)
    return out


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def measure_callbacks(db: str, n: int) -> dict:
    app = create_app(Settings(db=db))
    client = app.server.test_client()
    atlas = app.server.config["coopatlas"].current()
    times, sizes = [], []
    for values in random_changes(atlas, n):
        body = payload(app, Ids.KPI_PARTNERSHIPS, main_inputs(**values), {f"{Ids.LANG}.data": "fr"})
        t = time.perf_counter()
        r = client.post("/_dash-update-component", json=body, headers={"Accept-Encoding": "identity"})
        times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, r.data[:300]
        sizes.append(len(r.data) / 1024)
    return {"changes": n, "ms_p50": round(statistics.median(times), 1), "ms_p95": round(percentile(times, 95), 1),
            "ms_max": round(max(times), 1), "kb_p50": round(statistics.median(sizes), 1),
            "kb_p95": round(percentile(sizes, 95), 1), "kb_max": round(max(sizes), 1)}


def first_render(db: str, repeat: int = 3) -> dict:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from werkzeug.serving import make_server

    app = create_app(Settings(db=db))
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/"
    results = []
    for _ in range(repeat):
        opts = webdriver.ChromeOptions()
        opts.binary_location = "/usr/bin/chromium"
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--window-size=1366,1000", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"):
            opts.add_argument(a)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
        t = time.perf_counter()
        driver.get(url)
        while time.perf_counter() - t < 30:
            done = driver.execute_script(
                "var k = document.getElementById('kpi-partnerships');"
                "return k && k.textContent !== '…' && document.querySelectorAll('#map-world path').length > 100"
                " && document.querySelectorAll('#ch-top-authorities .bars path').length > 0")
            if done:
                break
            time.sleep(0.05)
        results.append(time.perf_counter() - t)
        driver.quit()
    server.shutdown()
    return {"first_render_s": [round(x, 2) for x in results], "median_s": round(statistics.median(results), 2)}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db", action="append", required=True)
    p.add_argument("--changes", type=int, default=200)
    p.add_argument("--no-browser", action="store_true")
    args = p.parse_args()
    out = {}
    for db in args.db:
        probe = machine_probe()
        out[db] = measure_callbacks(db, args.changes)
        out[db]["machine_probe_s"] = [probe, machine_probe()]  # before, after (bench/probe.py)
        if not args.no_browser:
            out[db].update(first_render(db))
        print(json.dumps({db: out[db]}, indent=1), flush=True)


if __name__ == "__main__":
    main()
