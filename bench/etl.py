"""ETL benchmark: build time of the demo export (≈12k rows) and of a 100× copy (≈1.2M rows), each beside a plain
DuckDB ``read_csv`` of the same file in the same run, and the build's peak memory.

    python -m bench.etl [--scale 100] [--repeat 3] [--out bench/out]

Each build runs in its own process so its peak RSS is its own. Geometries and the reference database are prepared
once beforehand (cached), as they are for any build after the first (and so is the COG index). Targets (the
"Speed" issue): 12k rows ≤ 1 s; 1.2M rows ≤ 15 s and ≤ 15× the ``read_csv`` of the same file; peak ≤ 1.5 GB.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from bench.probe import machine_probe
from etl.demo import generate
from etl.load import reference_db
from etl.settings import Settings
from geo.prepare import cache_key, load_layers

CHILD = """
import resource, sys, time
from etl.load import build
t = time.perf_counter()
report = build([sys.argv[1]], sys.argv[2], progress=False)
print(); print(time.perf_counter() - t, report.result.loaded, report.result.rejected_count,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def scaled_copy(src: Path, dst: Path, factor: int) -> int:
    """The export repeated ``factor`` times with distinct identifiers."""
    with src.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    header, body = rows[0], rows[1:]
    n = 0
    with dst.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(header)
        for k in range(factor):
            for r in body:
                w.writerow([f"{r[0]}-{k}" if r[0] else "", *r[1:]])
                n += 1
    return n


def build_once(export: Path, db: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(export), str(db)], capture_output=True, text=True,
                         check=True).stdout.strip().splitlines()[-1].split()
    seconds, loaded, rejected, maxrss_kb = float(out[0]), int(out[1]), int(out[2]), int(out[3])
    return {"seconds": seconds, "loaded": loaded, "rejected": rejected, "peak_mb": maxrss_kb / 1024}


def read_csv_once(export: Path) -> float:
    t = time.perf_counter()
    with duckdb.connect() as con:
        con.execute("SELECT count(*) FROM read_csv(?, delim=';', header=true, all_varchar=true)", [str(export)])
    return time.perf_counter() - t


def measure(export: Path, db: Path, repeat: int) -> dict:
    builds = [build_once(export, db) for _ in range(repeat)]
    reads = [read_csv_once(export) for _ in range(max(repeat, 5))]  # the ratio's denominator: 0.3 s, noisy
    med_build = statistics.median(b["seconds"] for b in builds)
    med_read = statistics.median(reads)
    return {
        "rows": builds[0]["loaded"] + builds[0]["rejected"],
        "loaded": builds[0]["loaded"], "rejected": builds[0]["rejected"],
        "build_s": [round(b["seconds"], 2) for b in builds], "build_median_s": round(med_build, 2),
        "read_csv_median_s": round(med_read, 3), "ratio_build_to_read_csv": round(med_build / med_read, 1),
        "peak_mb_max": round(max(b["peak_mb"] for b in builds)),
        "file_mb": round(export.stat().st_size / 1e6, 1),
    }


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--scale", type=int, default=100)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--repeat-scaled", type=int, default=1)
    p.add_argument("--out", default="bench/out")
    args = p.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    cache = Path(Settings.from_env().cache_dir)
    load_layers(cache)  # geometries and reference tables cached before timing
    reference_db(cache, cache_key())
    demo = out / "atlas-demo.csv"
    generate(demo)
    probe = machine_probe()
    results = {"demo": measure(demo, out / "demo.duckdb", args.repeat)}
    print(json.dumps(results, indent=1), flush=True)
    if args.scale > 1:
        big = out / f"atlas-demo-x{args.scale}.csv"
        scaled_copy(demo, big, args.scale)
        results[f"x{args.scale}"] = measure(big, out / f"demo-x{args.scale}.duckdb", args.repeat_scaled)
    results["machine_probe_s"] = [probe, machine_probe()]  # before, after (bench/probe.py)
    print(json.dumps(results, indent=1))
    (out / "etl.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
