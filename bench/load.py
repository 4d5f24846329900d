"""Load test: N simulated readers against a running coopatlas, mixing page loads, filter changes, permalinks and
data downloads, on loopback only, bounded in time and in requests.

    coopatlas serve --db data/built/demo.duckdb --workers 2 --port 8050 &
    python -m bench.load --url http://127.0.0.1:8050 --users 50 --seconds 60

Each reader loops: open a page (HTML, layout, dependencies, then the main callback as the browser does),
change filters 1–4 times (callback posts), now and then open a permalink or download the CSV, with think times
of 0.5–2 s. Reports throughput, p50/p95/p99 per kind of request and the error count.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import threading
import time
from collections import defaultdict
from urllib.parse import urlparse

from dashboard.ids import Ids
from dashboard.pages.home import PANEL

REGIONS = ["84", "53", "11", "75", "76", "44", "32", "52", "93", "27", "24", "28"]
COUNTRIES = ["MLI", "BFA", "SEN", "MAR", "MDG", "BEN", "TUN", "NER", "HTI", "DEU", "VNM", "CMR", "TGO", "LBN"]
THEMES = ["EAU", "AGRI", "EDUC", "SANTE", "GOUV", "CULTURE", "ECO", "JEUNESSE", "ENERGIE"]
ZONES = ["sahel", "maghreb", "afrique_subsaharienne", "europe", "asie"]
MAX_REQUESTS = 200_000


def main_callback_body(values: dict, lang: str = "fr") -> dict:
    """The main callback's request body, as dash-renderer sends it (ids and properties only, no app needed)."""
    outputs = [f"{Ids.KPI_PARTNERSHIPS}.children"]  # the server matches on the full output key below
    inputs = [{"id": str(i), "property": "value", "value": values.get(i, [] if i in (Ids.PAYS, "f-odd") else None)}
              for i in [s.control_id for s in PANEL] + [Ids.METRIC]]
    inputs[-1]["value"] = values.get(Ids.METRIC, "partenariats")
    return {"inputs": inputs, "state": [{"id": Ids.LANG, "property": "data", "value": lang}],
            "changedPropIds": [f"{Ids.REGION}.value"], "outputs": outputs}


class Reader(threading.Thread):
    def __init__(self, base: str, deadline: float, stats: dict, seed: int, output_key: str, outputs: list,
                 think: float = 1.0, pages_only: bool = False):
        super().__init__(daemon=True)
        self.think, self.pages_only = think, pages_only
        u = urlparse(base)
        self.host, self.port = u.hostname, u.port or 80
        self.deadline, self.stats, self.rng = deadline, stats, random.Random(seed)
        self.output_key, self.outputs = output_key, outputs
        self.conn = None

    def request(self, kind: str, method: str, path: str, body: dict | None = None) -> bytes | None:
        if sum(len(v) for v in self.stats.values()) > MAX_REQUESTS:
            return None
        t = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            headers = {"Accept-Encoding": "gzip"}
            data = None
            if body is not None:
                data = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
            self.conn.request(method, path, body=data, headers=headers)
            resp = self.conn.getresponse()
            payload = resp.read()
            ok = resp.status < 400 or (resp.status == 204)
        except (OSError, http.client.HTTPException):
            self.conn = None
            payload, ok = None, False
        self.stats[kind].append((time.perf_counter() - t, ok))
        return payload

    def callback(self, values: dict) -> None:
        body = main_callback_body(values)
        body["output"], body["outputs"] = self.output_key, self.outputs
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
            path = "/" if self.rng.random() < 0.6 else "/?region=" + self.rng.choice(REGIONS)
            kind = "page" if path == "/" else "permalink"
            self.request(kind, "GET", path)
            self.request(kind, "GET", "/_dash-layout")
            self.request(kind, "GET", "/_dash-dependencies")
            self.callback({})
            if self.pages_only:
                self.stats["page view"].append((0.0, True))
                continue
            for _ in range(self.rng.randint(1, 4)):
                time.sleep(self.think * self.rng.uniform(0.5, 2.0))
                if time.time() >= self.deadline:
                    return
                self.callback(self.filters())
            if self.rng.random() < 0.2:
                self.request("csv download", "GET", "/telecharger.csv?region=" + self.rng.choice(REGIONS))
            time.sleep(self.think * self.rng.uniform(0.5, 2.0))


def discover(base: str) -> tuple[str, list]:
    """The main callback's output key, from the app's own dependency list."""
    u = urlparse(base)
    conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=30)
    conn.request("GET", "/_dash-dependencies")
    deps = json.loads(conn.getresponse().read())
    key = next(d["output"] for d in deps if d["output"].lstrip(".").startswith(Ids.KPI_PARTNERSHIPS))
    outputs = [{"id": o.split(".")[0], "property": o.split(".")[1]} for o in key.strip(".").split("...")]
    return key, outputs


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:8050")
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--think", type=float, default=1.0, help="think-time factor (0: back-to-back requests)")
    ap.add_argument("--pages-only", action="store_true",
                    help="page views only (HTML, layout, dependencies, main callback), to measure capacity")
    args = ap.parse_args()
    host = urlparse(args.url).hostname
    if not (host == "localhost" or host.startswith("127.") or host == "::1"):
        raise SystemExit("bench.load only targets this machine (loopback)")
    key, outputs = discover(args.url)
    stats: dict[str, list] = defaultdict(list)
    start = time.time()
    readers = [Reader(args.url, start + args.seconds, stats, i, key, outputs, args.think, args.pages_only)
               for i in range(args.users)]
    for r in readers:
        r.start()
        time.sleep(args.seconds / 20 / args.users)  # ramp up over the first 5 % of the run
    for r in readers:
        r.join(timeout=args.seconds + 60)
    elapsed = time.time() - start
    report = {"users": args.users, "seconds": round(elapsed, 1)}
    views = stats.pop("page view", [])
    if views:
        report["page_views_per_s"] = round(len(views) / elapsed, 1)
    every = [d for v in stats.values() for d, _ in v]
    report["requests"] = len(every)
    report["throughput_rps"] = round(len(every) / elapsed, 1)
    report["errors"] = sum(1 for v in stats.values() for _, ok in v if not ok)
    for kind, v in sorted(stats.items()):
        ms = [d * 1000 for d, _ in v]
        report[kind] = {"n": len(ms), "p50_ms": round(statistics.median(ms)), "p95_ms": round(percentile(ms, 95)),
                        "p99_ms": round(percentile(ms, 99))}
    ms = [d * 1000 for d in every]
    report["all"] = {"p50_ms": round(statistics.median(ms)), "p95_ms": round(percentile(ms, 95)),
                     "p99_ms": round(percentile(ms, 99))}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
