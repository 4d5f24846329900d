"""Browser benchmark: what a first visit costs, page by page, in Debian's headless Chromium.

    python -m bench.browser --db bench/out/demo.duckdb [--runs 5] [--page / --page /suivi] [--json out.json]

The app is served on loopback (as the browser tests serve it); each run is a new Chromium with a fresh profile
(nothing cached) in which every host but 127.0.0.1 fails to resolve. For each page it reports the medians over
the runs of:

- **first view**: the time from navigation start to the moment every graph of the page has drawn its figure (the
  first ``Plotly.react`` with traces has resolved: for maps, after their geometry was fetched and drawn);
- **bytes**: what crossed the wire (CDP ``Network.loadingFinished.encodedDataLength``: compressed bodies plus
  headers), in total and by resource, counted once the network has been quiet for a second after the first view;
- **breakdown**: script compile and evaluation per script (a Chromium performance trace: ``v8.compile``,
  ``v8.parseOnBackground`` and ``EvaluateScript`` events), the round trip of each callback (request sent → last
  byte, with its outputs), each figure's draw (``Plotly.react`` called → resolved) and CDP Performance totals;
- with ``--profile``, the main thread's CPU by script (a V8 CPU profile sampled every 200 µs, self time: "(program)"
  is the browser's own work, style and layout among it, "(garbage collector)" V8's), less noisy than the wall
  times on a shared machine: an A/B of two trees compares these.

Run by hand; no test asserts on these times.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import threading
import time
from collections import defaultdict

from bench.probe import machine_probe

PAGES = ("/", "/embed/ch-odd", "/region/53", "/suivi")
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ARGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
        "--window-size=1366,1000", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1")
TRACE = "devtools.timeline,v8"
PROFILE_INTERVAL_US = 200
# Network conditions a run can emulate (CDP Network.emulateNetworkConditions, after Chrome DevTools' presets):
# round-trip latency (ms) and throughput (bytes/s) down and up. Loopback is the default.
NETWORKS = {"4g": (60, 9_000_000 / 8, 1_500_000 / 8), "3g": (150, 1_600_000 / 8, 750_000 / 8)}
# What the trace tells per script (ms): its parse off the main thread while it streams in, its compile on the main
# thread, its top-level evaluation (which includes that compile), and the calls into it later on (event handlers,
# timers, promise jobs: Dash rendering, Plotly drawing).
SCRIPT_TIMES = ("parse (background)", "compile", "evaluate", "calls")

# Runs before any script of the page: records every Plotly.react (its graph, whether the figure has traces, when
# it was called and when its promise resolved), whichever script defines window.Plotly.
HOOK = """
(function () {
  var draws = window.__benchDraws = [];
  var plotly;
  function wrap(P) {
    if (!P || P.__benchWrapped || typeof P.react !== 'function') { return P; }
    var react = P.react;
    P.react = function (gd, fig) {
      var start = performance.now();
      var data = fig && !Array.isArray(fig) ? fig.data : fig;
      var entry = {el: gd, traces: data ? data.length : 0, start: start, end: null};
      draws.push(entry);
      var out = react.apply(this, arguments);
      entry.sync = performance.now() - start;
      Promise.resolve(out).then(function () { entry.end = performance.now(); });
      return out;
    };
    P.__benchWrapped = true;
    return P;
  }
  Object.defineProperty(window, 'Plotly', {configurable: true, enumerable: true,
    get: function () { return plotly; }, set: function (v) { plotly = wrap(v); }});
})();
"""

# Every graph of the page and its first draw with traces: [name, start, end] (ms since navigation start).
DRAWS = """
var graphs = Array.prototype.slice.call(document.querySelectorAll('.dash-graph'));
var names = graphs.map(function (g, i) { return g.id || ('graph-' + (i + 1)); });
var first = {};
(window.__benchDraws || []).forEach(function (d) {
  var g = d.el && d.el.closest ? d.el.closest('.dash-graph') : null;
  var i = graphs.indexOf(g);
  if (i < 0 || !d.traces || d.end === null || first[i]) { return; }
  first[i] = [names[i], d.start, d.end, d.sync];
});
return {graphs: names, drawn: Object.keys(first).map(function (k) { return first[k]; }),
        loading: document.querySelectorAll('[data-dash-is-loading="true"]').length};
"""

FINGERPRINT = re.compile(r"\.v[0-9_]+m[0-9]+\.")


def resource_name(url: str, base: str) -> str:
    """A short, run-independent name for a URL (fingerprints and query strings removed)."""
    path = url[len(base):] if url.startswith(base) else url
    path = FINGERPRINT.sub(".", path.split("?", 1)[0])
    if path.startswith("/_dash-component-suites/"):
        path = path[len("/_dash-component-suites/"):]
    elif path.startswith("/geo/"):
        path = "geo/" + path.rsplit("/", 1)[-1]
    return path or "/"


def serve(db: str):
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    from werkzeug.serving import make_server

    from dashboard.app import Settings, create_app

    app = create_app(Settings(db=db))
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def new_browser(trace: bool):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ARGS:
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    opts.add_experimental_option("perfLoggingPrefs", {"enableNetwork": True, "enablePage": False,
                                                      **({"traceCategories": TRACE} if trace else {})})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)  # a new temporary profile each time
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": HOOK})
    driver.execute_cdp_cmd("Performance.enable", {})
    return driver


def one_run(url: str, base: str, trace: bool, timeout: float = 30.0, profile: bool = False,
            network: str | None = None) -> dict:
    driver = new_browser(trace)
    try:
        if network:
            latency, down, up = NETWORKS[network]
            driver.execute_cdp_cmd("Network.enable", {})
            driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
                "offline": False, "latency": latency, "downloadThroughput": down, "uploadThroughput": up})
        if profile:
            driver.execute_cdp_cmd("Profiler.enable", {})
            driver.execute_cdp_cmd("Profiler.setSamplingInterval", {"interval": PROFILE_INTERVAL_US})
            driver.execute_cdp_cmd("Profiler.start", {})
        t0 = time.perf_counter()
        driver.get(url)
        state = {}
        while time.perf_counter() - t0 < timeout:
            state = driver.execute_script(DRAWS)
            if state["graphs"] and len(state["drawn"]) == len(state["graphs"]) and not state["loading"]:
                break
            time.sleep(0.05)
        wall = time.perf_counter() - t0
        cpu = cpu_by_script(driver.execute_cdp_cmd("Profiler.stop", {})["profile"], base) if profile else {}
        metrics = {m["name"]: m["value"] for m in driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]}
        events = quiet_log(driver)
    finally:
        driver.quit()
    return {**analyse(events, state, base, wall, metrics), "cpu": cpu}


def cpu_by_script(profile: dict, base: str) -> dict[str, float]:
    """A V8 CPU profile's self time (ms) by script (its short name), or by the profiler's own categories
    ("(program)", "(garbage collector)", "(idle)") and native functions; ``main thread`` is the sum without idle."""
    nodes = {n["id"]: n["callFrame"] for n in profile["nodes"]}
    by: dict[str, float] = defaultdict(float)
    for sample, delta in zip(profile["samples"], profile["timeDeltas"]):
        frame = nodes[sample]
        name = resource_name(frame["url"], base) if frame["url"] else frame["functionName"] or "(anonymous)"
        by[name] += delta / 1000
    by["main thread"] = sum(ms for name, ms in by.items() if name != "(idle)")
    return dict(by)


def quiet_log(driver, quiet: float = 1.0, limit: float = 8.0) -> list[dict]:
    """The performance log once no request has started or finished for ``quiet`` seconds."""
    events: list[dict] = []
    start = last = time.perf_counter()
    while time.perf_counter() - start < limit:
        batch = [json.loads(e["message"])["message"] for e in driver.get_log("performance")]
        if any(m["method"].startswith("Network.") for m in batch):
            last = time.perf_counter()
        events += batch
        if time.perf_counter() - last >= quiet:
            break
        time.sleep(0.2)
    return events


def analyse(events: list[dict], state: dict, base: str, wall: float, metrics: dict) -> dict:
    urls, sent, posts, done = {}, {}, {}, {}
    times: dict[str, dict[str, float]] = {k: defaultdict(float) for k in SCRIPT_TIMES}
    doc_ts = None
    for m in events:
        method, p = m["method"], m.get("params", {})
        if method == "Network.requestWillBeSent":
            urls[p["requestId"]] = p["request"]["url"]
            sent[p["requestId"]] = p["timestamp"]
            if p.get("type") == "Document" and doc_ts is None:
                doc_ts = p["timestamp"]
            if p["request"].get("postData"):
                posts[p["requestId"]] = p["request"]["postData"]
        elif method == "Network.loadingFinished":
            done[p["requestId"]] = (p["timestamp"], p["encodedDataLength"])
        elif method == "Tracing.dataCollected" and p.get("ph") == "X" and "dur" in p:
            data = (p.get("args") or {}).get("data") or {}
            url = data.get("url") or ""
            if not url.startswith(base):
                continue  # the browser's own pages and scripts
            name, ms = p["name"], p["dur"] / 1000
            if name in ("v8.parseOnBackground", "v8.deserializeOnBackground"):
                times["parse (background)"][resource_name(url, base)] += ms
            elif name in ("v8.compile", "v8.compileModule"):
                times["compile"][resource_name(url, base)] += ms
            elif name == "EvaluateScript":
                times["evaluate"][resource_name(url, base)] += ms
            elif name == "FunctionCall":
                times["calls"][resource_name(url, base)] += ms
    by_resource: dict[str, float] = defaultdict(float)
    requests_at: dict[str, dict] = {}
    callbacks = []
    for rid, url in urls.items():
        if rid not in done:
            continue
        name = resource_name(url, base)
        end, size = done[rid]
        if name == "/_dash-update-component":
            outputs = callback_outputs(posts.get(rid, ""))
            callbacks.append({"outputs": outputs, "start_ms": (sent[rid] - (doc_ts or sent[rid])) * 1000,
                              "ms": (end - sent[rid]) * 1000, "bytes": size})
            name = f"callbacks ({outputs})"
        elif size >= 20_000 or name.startswith(("geo/", "/_dash-layout", "dash/dcc/async-", "/assets/topojson")):
            requests_at[name] = {"sent_ms": (sent[rid] - (doc_ts or sent[rid])) * 1000,
                                 "done_ms": (end - (doc_ts or sent[rid])) * 1000}
        by_resource[name] += size
    draws = {name: {"start_ms": s, "end_ms": e, "ms": e - s, "sync_ms": sync}
             for name, s, e, sync in state.get("drawn", [])}
    first_view = max((d["end_ms"] for d in draws.values()), default=None)
    complete = bool(state.get("graphs")) and len(draws) == len(state["graphs"])
    return {"first_view_ms": first_view if complete else None, "wall_s": wall, "graphs": len(state.get("graphs", [])),
            "drawn": len(draws), "bytes": sum(by_resource.values()), "requests": len(done),
            "by_resource": dict(by_resource), **{f"script {k}": dict(v) for k, v in times.items()},
            "callbacks": sorted(callbacks, key=lambda c: c["start_ms"]), "draws": draws, "requests_at": requests_at,
            "metrics": {k: metrics.get(k) for k in ("ScriptDuration", "TaskDuration", "LayoutDuration",
                                                     "RecalcStyleDuration", "JSHeapUsedSize")}}


def callback_outputs(post: str) -> str:
    """A callback's outputs, shortened: ``kpi-partnerships.children+40`` for the main view's many outputs."""
    try:
        body = json.loads(post)
    except ValueError:
        return "?"
    outputs = body.get("outputs")
    outputs = outputs if isinstance(outputs, list) else [outputs]
    names = [f"{o.get('id')}.{o.get('property')}" for o in outputs if isinstance(o, dict)]
    if not names:
        return str(body.get("output", "?"))[:60]
    return names[0] + (f"+{len(names) - 1}" if len(names) > 1 else "")


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarise(runs: list[dict]) -> dict:
    def med_of(key):
        names = {n for r in runs for n in r[key]}
        return {n: median([r[key].get(n, 0.0) for r in runs]) for n in names}

    callbacks: dict[str, list] = defaultdict(list)
    for r in runs:
        seen: dict[str, int] = defaultdict(int)
        for c in r["callbacks"]:
            seen[c["outputs"]] += 1
            key = c["outputs"] + (f" #{seen[c['outputs']]}" if seen[c["outputs"]] > 1 else "")
            callbacks[key].append(c)
    draws: dict[str, list] = defaultdict(list)
    for r in runs:
        for name, d in r["draws"].items():
            draws[name].append(d)
    return {
        "runs": len(runs),
        "first_view_ms": median([r["first_view_ms"] for r in runs]),
        "first_view_ms_all": [None if r["first_view_ms"] is None else round(r["first_view_ms"]) for r in runs],
        "incomplete_runs": sum(r["first_view_ms"] is None for r in runs),
        "graphs": max(r["graphs"] for r in runs),
        "bytes": median([r["bytes"] for r in runs]),
        "requests": median([r["requests"] for r in runs]),
        "by_resource": med_of("by_resource"),
        **{f"script {k}": med_of(f"script {k}") for k in SCRIPT_TIMES},
        "callbacks": {k: {"start_ms": median([c["start_ms"] for c in v]), "ms": median([c["ms"] for c in v]),
                          "bytes": median([c["bytes"] for c in v])} for k, v in callbacks.items()},
        "draws": {k: {key: median([d[key] for d in v]) for key in ("start_ms", "end_ms", "ms", "sync_ms")}
                  for k, v in draws.items()},
        "requests_at": {k: {key: median([r["requests_at"][k][key] for r in runs if k in r["requests_at"]])
                            for key in ("sent_ms", "done_ms")}
                        for k in {n for r in runs for n in r["requests_at"]}},
        "metrics": {k: median([r["metrics"][k] for r in runs]) for k in runs[0]["metrics"]},
        "cpu": med_of("cpu"),
    }


def report(page: str, s: dict) -> str:
    kb = lambda b: f"{b / 1000:8.1f} kB"  # noqa: E731
    fv = "n/a" if s["first_view_ms"] is None else f"{s['first_view_ms'] / 1000:.2f} s"
    lines = [f"== {page}: first view {fv} (runs: {s['first_view_ms_all']}), {s['graphs']} graphs; "
             f"{s['bytes'] / 1e6:.2f} MB in {s['requests']:.0f} requests; machine probe (bench/probe.py) "
             f"{' → '.join(f'{p:.3f} s' for p in s.get('machine_probe_s', []))}"]
    lines.append("  bytes by resource (median):")
    for name, b in sorted(s["by_resource"].items(), key=lambda kv: -kv[1]):
        if b >= 1000:
            lines.append(f"    {kb(b)}  {name}")
    scripts = {n for k in SCRIPT_TIMES for n in s[f"script {k}"]}
    if scripts:
        lines.append("  scripts (ms, median): " + " / ".join(SCRIPT_TIMES))
        for name in sorted(scripts, key=lambda n: -sum(s[f"script {k}"].get(n, 0) for k in SCRIPT_TIMES)):
            row = [s[f"script {k}"].get(name, 0) for k in SCRIPT_TIMES]
            if sum(row) >= 5:
                lines.append("    " + " / ".join(f"{v:6.0f}" for v in row) + f"  {name}")
    lines.append("  requests of 20 kB or more, layout, geometry, async chunks: sent → done (ms since navigation):")
    for name, r in sorted(s["requests_at"].items(), key=lambda kv: kv[1]["sent_ms"]):
        lines.append(f"    {r['sent_ms']:7.0f} → {r['done_ms']:7.0f}  {name}")
    lines.append("  callbacks: sent at / round trip (ms), bytes:")
    for name, c in sorted(s["callbacks"].items(), key=lambda kv: kv[1]["start_ms"]):
        lines.append(f"    {c['start_ms']:7.0f} / {c['ms']:6.0f}  {kb(c['bytes'])}  {name}")
    lines.append("  draws: Plotly.react called at → resolved (ms since navigation), time inside the call, to resolved:")
    for name, d in sorted(s["draws"].items(), key=lambda kv: kv[1]["start_ms"]):
        lines.append(f"    {d['start_ms']:7.0f} → {d['end_ms']:7.0f}  {d['sync_ms']:6.0f}  {d['ms']:6.0f}  {name}")
    if s["cpu"]:
        lines.append(f"  main-thread CPU, self time by script (ms, median; CPU profile): "
                     f"{s['cpu']['main thread']:.0f} in all")
        for name, ms in sorted(s["cpu"].items(), key=lambda kv: -kv[1]):
            if name not in ("main thread", "(idle)") and ms >= 5:
                lines.append(f"    {ms:7.0f}  {name}")
    m = s["metrics"]
    lines.append(f"  CDP Performance: script {m['ScriptDuration'] * 1000:.0f} ms, tasks {m['TaskDuration'] * 1000:.0f}"
                 f" ms, layout {m['LayoutDuration'] * 1000:.0f} ms, style {m['RecalcStyleDuration'] * 1000:.0f} ms,"
                 f" JS heap {m['JSHeapUsedSize'] / 1e6:.1f} MB")
    return "\n".join(lines)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", required=True)
    p.add_argument("--page", action="append", help=f"a path to open (default: {' '.join(PAGES)})")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--no-trace", action="store_true", help="no performance trace (no compile/evaluate breakdown)")
    p.add_argument("--profile", action="store_true",
                   help="a CPU profile of each run: the main thread's time by script (adds a little overhead)")
    p.add_argument("--network", choices=sorted(NETWORKS), help="emulate a mobile network (default: loopback as is)")
    p.add_argument("--json", help="write the medians (and every run) to this file")
    args = p.parse_args()
    server = serve(args.db)
    base = f"http://127.0.0.1:{server.server_port}"
    out = {}
    try:
        for page in args.page or PAGES:
            one_run(base + page, base, trace=False)  # not counted: warms the app's caches of this view's queries
            probe = machine_probe()
            runs = [one_run(base + page, base, trace=not args.no_trace, profile=args.profile, network=args.network)
                    for _ in range(args.runs)]
            out[page] = {"median": {**summarise(runs), "machine_probe_s": [probe, machine_probe()]}, "runs": runs}
            print(report(page, out[page]["median"]), flush=True)
    finally:
        server.shutdown()
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(out, fh, indent=1, default=str)


if __name__ == "__main__":
    main()
