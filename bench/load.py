"""Load test: N simulated readers against a running coopatlas, mixing page loads, filter changes, permalinks and
data downloads, on loopback only, bounded in time and in requests.

    coopatlas serve --db data/built/demo.duckdb --workers 2 --port 8050 &
    python -m bench.load --url http://127.0.0.1:8050 --users 50 --seconds 60

Each reader loops: open a page (HTML, layout, dependencies, then the page's content through Dash's router, as
the browser does: the dashboard's layout comes with its first view, so no main callback runs on a page load),
change filters 1–4 times (callback posts), now and then open a permalink or download the CSV, with think times
of 0.5–2 s. Reports throughput, p50/p95/p99 per kind of request and the error count. Readers draw their filters
from seeded random sequences (``--seed``): a second run with the same seed against the same server asks again for
the views the first run left in the server's memo; a warm server's steady state is a run with another seed.

The ``attack`` scenario starts its own server (``serve --workers 2`` with a small ``max_requests``, so that
workers recycle during the run) on a copy of ``--db``, runs the readers, moves a rebuilt database over the
served file a fifth of the way in, then fires a burst of 8 uncached region exports (PNG and PDF) whose clients
honour ``Retry-After``. It reports the errors (a 503 with Retry-After on a heavy download, answered again
later, is counted apart as "deferred"), the workers recycled, and the p95 of the cheap requests (pages,
callbacks) during the burst:

    python -m bench.load --scenario attack --db bench/out/demo.duckdb --users 30 --seconds 60
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlparse

from bench.probe import machine_probe
from dashboard.callback_client import main_inputs, payload, router_payload
from dashboard.ids import Ids
from dashboard.production import RECYCLING_LOG

REGIONS = ["84", "53", "11", "75", "76", "44", "32", "52", "93", "27", "24", "28"]
COUNTRIES = ["MLI", "BFA", "SEN", "MAR", "MDG", "BEN", "TUN", "NER", "HTI", "DEU", "VNM", "CMR", "TGO", "LBN"]
THEMES = ["EAU", "AGRI", "EDUC", "SANTE", "GOUV", "CULTURE", "ECO", "JEUNESSE", "ENERGIE"]
ZONES = ["sahel", "maghreb", "afrique_subsaharienne", "europe", "asie"]
MAX_REQUESTS = 200_000
FAILURES: Counter = Counter()  # "kind: HTTP status" or "kind: exception" → count, over every reader
STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)
HEAVY = ("csv download", "export")  # 503 + Retry-After there means "later", not an error
CHEAP = ("page", "permalink", "filter change")
BURST_WINDOW_S = 30  # the window of the burst whose cheap requests are measured (the same without the burst)
BURST = [f"/export/region/{c}.png" for c in ("11", "27", "32", "52")] + \
        [f"/export/region/{c}.pdf" for c in ("24", "28", "44", "53")]


class Reader(threading.Thread):
    def __init__(self, base: str, deadline: float, stats: dict, seed: int, callbacks: dict, think: float = 1.0,
                 pages_only: bool = False):
        super().__init__(daemon=True)
        self.think, self.pages_only = think, pages_only
        u = urlparse(base)
        self.host, self.port = u.hostname, u.port or 80
        self.deadline, self.stats, self.rng = deadline, stats, random.Random(seed)
        self.callbacks = callbacks  # output key → spec, from /_dash-dependencies
        self.conn, self.reused = None, False
        self.failures = FAILURES

    def request(self, kind: str, method: str, path: str, body: dict | None = None, retries: int = 0) -> bytes | None:
        """One request; recorded as (seconds, ok, started at). A heavy download answered 503 + Retry-After is
        recorded under "deferred" and asked again after that delay, ``retries`` times at most."""
        if sum(len(v) for v in self.stats.values()) > MAX_REQUESTS:
            return None
        started = time.time()
        t = time.perf_counter()
        retry_after = None
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=90)
            headers = {"Accept-Encoding": "gzip"}
            data = None
            if body is not None:
                data = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
            self.conn.request(method, path, body=data, headers=headers)
            resp = self.conn.getresponse()
            payload = resp.read()
            self.reused = True
            ok = resp.status < 400 or (resp.status == 204)
            if not ok:
                self.failures[f"{kind}: HTTP {resp.status}"] += 1
            if resp.status == 503 and kind in HEAVY and (resp.getheader("Retry-After") or "").isdigit():
                retry_after = int(resp.getheader("Retry-After"))
        except (OSError, http.client.HTTPException) as exc:
            stale = self.conn is not None and self.reused and isinstance(exc, STALE)
            self.conn, self.reused = None, False
            if stale:  # the server closed an idle keep-alive connection (or a recycled worker did): as browsers
                return self.request(kind, method, path, body, retries)  # do, once on a new connection
            payload, ok = None, False
            self.failures[f"{kind}: {type(exc).__name__}"] += 1
        elapsed = time.perf_counter() - t
        if retry_after is not None and retries > 0 and time.time() + retry_after < self.deadline + 120:
            self.stats["deferred"].append((elapsed, True, started))
            time.sleep(min(retry_after, 15))
            return self.request(kind, method, path, body, retries - 1)
        self.stats[kind].append((elapsed, ok, started))
        return payload

    def callback(self, values: dict) -> None:
        body = payload(self.callbacks, Ids.KPI_PARTNERSHIPS, main_inputs(**values), {f"{Ids.LANG}.data": "fr"},
                       [f"{Ids.REGION}.value"])
        self.request("filter change", "POST", "/_dash-update-component", body)

    def filters(self) -> dict:
        r, v = self.rng, {}
        if r.random() < 0.4:
            v[Ids.REGION] = r.choice(REGIONS)
        if r.random() < 0.3:
            v[Ids.PAYS] = r.sample(COUNTRIES, r.randint(1, 2))
        if r.random() < 0.25:
            v["f-theme"] = r.choice(THEMES)
        if r.random() < 0.2:
            v["f-zone"] = r.choice(ZONES)
        if r.random() < 0.2:
            v["f-odd"] = [r.randint(1, 17)]
        return v

    def run(self) -> None:
        while time.time() < self.deadline:
            search = "" if self.rng.random() < 0.6 else "?region=" + self.rng.choice(REGIONS)
            kind = "page" if not search else "permalink"
            self.request(kind, "GET", "/" + search)
            self.request(kind, "GET", "/_dash-layout")
            self.request(kind, "GET", "/_dash-dependencies")
            self.request(kind, "POST", "/_dash-update-component", router_payload(self.callbacks, "/", search))
            if self.pages_only:
                self.stats["page view"].append((0.0, True, time.time()))
                continue
            for _ in range(self.rng.randint(1, 4)):
                time.sleep(self.think * self.rng.uniform(0.5, 2.0))
                if time.time() >= self.deadline:
                    return
                self.callback(self.filters())
            if self.rng.random() < 0.2:
                self.request("csv download", "GET", "/telecharger.csv?region=" + self.rng.choice(REGIONS),
                             retries=3)
            time.sleep(self.think * self.rng.uniform(0.5, 2.0))


def discover(base: str) -> dict:
    """Every callback by output key, from the app's own dependency list."""
    u = urlparse(base)
    conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=30)
    conn.request("GET", "/_dash-dependencies")
    deps = json.loads(conn.getresponse().read())
    return {d["output"]: d for d in deps}


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def summary(stats: dict, elapsed: float) -> dict:
    report: dict = {}
    views = stats.pop("page view", [])
    if views:
        report["page_views_per_s"] = round(len(views) / elapsed, 1)
    deferred = stats.pop("deferred", [])
    every = [d for v in stats.values() for d, _, _ in v]
    report["requests"] = len(every)
    report["throughput_rps"] = round(len(every) / elapsed, 1)
    report["errors"] = sum(1 for v in stats.values() for _, ok, _ in v if not ok)
    if FAILURES:
        report["failed answers (retried ones included)"] = dict(FAILURES)
    if deferred:
        report["deferred (503 + Retry-After, asked again)"] = len(deferred)
    for kind, v in sorted(stats.items()):
        report[kind] = latencies([d for d, _, _ in v])
    report["all"] = latencies(every)
    return report


def latencies(seconds: list[float]) -> dict:
    if not seconds:
        return {"n": 0}
    ms = [d * 1000 for d in seconds]
    return {"n": len(ms), "p50_ms": round(statistics.median(ms)), "p95_ms": round(percentile(ms, 95)),
            "p99_ms": round(percentile(ms, 99)), "max_ms": round(max(ms))}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(host: str, port: int, path: str, timeout: float = 90) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection(host, port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.3)
    raise SystemExit(f"the server on port {port} did not answer")


def attack(args) -> dict:
    """30 readers + a rebuild moved over the served file + worker recycling + a burst of 8 exports."""
    from etl.demo import generate
    from etl.load import build

    work = Path(tempfile.mkdtemp(prefix="coopatlas-bench-"))
    served, rebuilt = work / "served.duckdb", work / "rebuilt.duckdb"
    shutil.copy(args.db, served)
    generate(work / "export.csv", seed=2010)  # another demo: another build, so new exports to render
    build([work / "export.csv"], rebuilt, source_kind="demo")
    port = free_port()
    # a cache folder of its own: the rebuild finds no map layer of an earlier run, as a real one would not
    env = {**os.environ, "COOPATLAS_EXPORT_WARM": "1" if args.warm else "0", "COOPATLAS_CACHE_DIR": str(work / "cache")}
    code = ("import logging; logging.basicConfig(level=logging.INFO, format='%(asctime)s %(name)s: %(message)s'); "
            f"from dashboard import production; production.run({str(served)!r}, '127.0.0.1', {port}, "
            f"{args.workers}, {args.threads}, max_requests={args.max_requests}, "
            f"max_requests_jitter={args.max_requests // 2})")
    log = work / "server.log"
    server = subprocess.Popen([sys.executable, "-c", code], stdout=log.open("wb"), stderr=subprocess.STDOUT,
                              env=env)
    try:
        wait_http("127.0.0.1", port, "/api/v1/aggregates?by=odd")
        base = f"http://127.0.0.1:{port}"
        callbacks = discover(base)
        stats: dict[str, list] = defaultdict(list)
        start = time.time()
        deadline = start + args.seconds
        readers = [Reader(base, deadline, stats, i, callbacks, args.think) for i in range(args.users)]
        for r in readers:
            r.start()
            time.sleep(args.seconds / 20 / args.users)
        time.sleep(max(0.0, start + args.seconds / 5 - time.time()))
        os.replace(rebuilt, served)  # the rebuild, moved over the served file
        rebuilt_at = time.time() - start
        time.sleep(3)  # the workers notice it (within a second) and load it
        burst_start = time.time()
        paths = BURST[:args.burst]
        burst = [Reader(base, deadline, stats, 1000 + i, callbacks) for i in range(len(paths))]
        threads = [threading.Thread(target=b.request, args=("export", "GET", path), kwargs={"retries": 30})
                   for b, path in zip(burst, paths)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=args.seconds + 180)
        exports_done = time.time()
        # the cheap requests are measured over the same window with and without the burst (--burst 0)
        burst_end = min(deadline, burst_start + BURST_WINDOW_S)
        time.sleep(max(0.0, burst_end - time.time()))
        for r in readers:
            r.join(timeout=args.seconds + 60)
        elapsed = time.time() - start
        during = [d for kind in CHEAP for d, _, t in stats[kind] if burst_start <= t <= burst_end]
        steady = [d for kind in CHEAP for d, _, t in stats[kind] if start + 5 <= t < start + rebuilt_at]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/api/v1/aggregates?by=odd")
        served_build = json.loads(conn.getresponse().read())["build"]
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    text = log.read_text(errors="replace")
    report = {"scenario": "attack", "users": args.users, "seconds": round(elapsed, 1), "workers": args.workers,
              "threads": args.threads, "max_requests": args.max_requests, "warm_up": args.warm,
              "rebuild_moved_in_at_s": round(rebuilt_at, 1), "build_served_at_the_end": served_build,
              "workers_recycled": text.count(RECYCLING_LOG.split("%d ")[1]),
              "worker_boots": text.count("Booting worker"),
              "cheap_requests_before_the_rebuild": latencies(steady),
              "burst": {"exports": args.burst, "seconds": round(burst_end - burst_start, 1),
                        "exports_done_after_s": round(exports_done - burst_start, 1),
                        "cheap_requests_during": latencies(during)},
              **summary(stats, elapsed)}
    if args.keep:
        report["kept"] = str(work)
        (work / "timeline.json").write_text(json.dumps(
            {"start": start, "burst": [burst_start, burst_end],
             "requests": [(kind, t - start, d, ok) for kind, v in stats.items() for d, ok, t in v]}))
    else:
        shutil.rmtree(work, ignore_errors=True)
    return report


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:8050")
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--think", type=float, default=1.0, help="think-time factor (0: back-to-back requests)")
    ap.add_argument("--seed", type=int, default=0,
                    help="the readers' first random seed: a run with the seed of an earlier run against the same "
                         "server replays its requests, whose views the server keeps (another seed: fresh ones)")
    ap.add_argument("--pages-only", action="store_true",
                    help="page views only (HTML, layout, dependencies, main callback), to measure capacity")
    ap.add_argument("--scenario", choices=["readers", "attack"], default="readers",
                    help="attack: own server, readers + rebuild + worker recycling + a burst of 8 exports")
    ap.add_argument("--db", help="attack: the database to serve (copied)")
    ap.add_argument("--workers", type=int, default=2, help="attack: gunicorn workers")
    ap.add_argument("--threads", type=int, default=4, help="attack: threads per worker")
    ap.add_argument("--max-requests", type=int, default=300, help="attack: gunicorn max_requests (recycling)")
    ap.add_argument("--burst", type=int, default=len(BURST), choices=range(len(BURST) + 1),
                    help="attack: exports in the burst (0: the same window without exports, to compare)")
    ap.add_argument("--keep", action="store_true", help="attack: keep the server log and a timeline")
    ap.add_argument("--warm", action="store_true", help="attack: warm the export cache (off: a cold burst)")
    args = ap.parse_args()
    if args.scenario == "attack":
        if not args.db:
            raise SystemExit("--scenario attack needs --db")
        print(json.dumps(attack(args), indent=1, ensure_ascii=False))
        return
    host = urlparse(args.url).hostname
    if not (host == "localhost" or host.startswith("127.") or host == "::1"):
        raise SystemExit("bench.load only targets this machine (loopback)")
    callbacks = discover(args.url)
    stats: dict[str, list] = defaultdict(list)
    probe = machine_probe()
    start = time.time()
    readers = [Reader(args.url, start + args.seconds, stats, args.seed + i, callbacks, args.think, args.pages_only)
               for i in range(args.users)]
    for r in readers:
        r.start()
        time.sleep(args.seconds / 20 / args.users)  # ramp up over the first 5 % of the run
    for r in readers:
        r.join(timeout=args.seconds + 60)
    elapsed = time.time() - start
    report = {"users": args.users, "seed": args.seed, "seconds": round(elapsed, 1), **summary(stats, elapsed),
              "machine_probe_s": [probe, machine_probe()]}  # before, after (bench/probe.py)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
