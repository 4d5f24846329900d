"""The charts and maps, declared once: each :class:`Chart` says its id, its title, its height and how it is made
(a query composed with a figure builder). The dashboard, the profile pages, the embeds and the exports loop over
:data:`CHARTS`; a page names the charts it shows. Filters and measures are declared in :mod:`dashboard.filters`.
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import cached_property

import pandas as pd

from dashboard import queries
from dashboard.db import Store
from dashboard.figures import charts, maps
from dashboard.filters import Filters


@dataclass(frozen=True)
class Reference:
    """Reference data of a build, read once when it is opened."""

    countries: pd.DataFrame
    regions: pd.DataFrame  # with label_lon / label_lat of the inset layout and centre_lon / centre_lat
    continents: dict[str, dict[str, str]]  # lang → continent code → name
    frames: list
    france_centre: tuple[float, float]
    bounds: dict[str, tuple[float, float, float, float]]  # iso3 → (min lon, min lat, max lon, max lat)
    world_url: str
    regions_url: str
    region_bounds: dict[str, tuple[float, float, float, float]]  # code → box on the France map (insets moved)
    departements: pd.DataFrame  # code, name, region_code, label_lon, label_lat
    departements_url: str

    def focus(self, countries) -> tuple[float, float, float, float] | None:
        """The box holding these countries, for the world map to zoom to (None: the whole world)."""
        boxes = [self.bounds[c] for c in countries if c in self.bounds]
        if not boxes:
            return None
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                max(b[3] for b in boxes))

    def zone_members(self, zone: str) -> list[str]:
        return [iso for iso, zones in zip(self.countries["iso3"], self.countries["zones"]) if zone in list(zones)]

    def origin(self, region: str | None) -> tuple[float, float]:
        """Where flow lines start: the region's centre, else France's."""
        row = self.regions[self.regions["code"] == region] if region else self.regions.iloc[0:0]
        if len(row):
            return float(row["centre_lon"].iloc[0]), float(row["centre_lat"].iloc[0])
        return self.france_centre


@dataclass
class Context:
    """What a chart is made from: the build's store and reference, a view's filters, and the key figures of that
    view (computed once however many charts use them)."""

    store: Store
    ref: Reference
    f: Filters
    origin_region: str | None = None  # flow lines from this region (default: the region filter)
    top: int | None = None  # rankings keep this many (default 15; themes: all)
    key_figures: Future | None = None  # the key figures being computed beside the charts (:func:`build_all`)

    @property
    def lang(self) -> str:
        return self.f.lang

    @cached_property
    def kpis(self) -> dict:
        return self.key_figures.result() if self.key_figures is not None else queries.kpis(self.store, self.f)

    @property
    def count(self) -> int:
        return int(self.kpis["partnerships"] or 0)

    @property
    def known(self) -> int:
        return int(self.kpis["budget_known"] or 0)

    @property
    def budget(self) -> float:
        return float(self.kpis["budget"] or 0)

    @property
    def rank(self) -> int:
        return self.top or 15

    @property
    def origin(self) -> tuple[float, float]:
        return self.ref.origin(self.origin_region or self.f.region)


@dataclass(frozen=True)
class Chart:
    id: str
    title: str  # key in the catalogues
    height: int
    build: Callable[[Context], tuple[dict, str]]  # (figure, one-sentence summary)
    kind: str = "chart"  # chart | map


def _world(v: Context):
    stats = queries.by_country(v.store, v.f)
    selection = v.f.pays or (v.ref.zone_members(v.f.zone) if v.f.zone else ())
    fig = maps.world_map(v.ref.countries, stats, v.f.mesure, v.lang, v.f.pays, v.ref.world_url, v.origin,
                         focus=v.ref.focus(selection))
    return fig, maps.summary_world(stats, v.ref.countries, v.f.mesure, v.lang)


def _france(v: Context):
    stats = queries.by_region(v.store, v.f)
    departements = None
    if v.f.region:  # the selected region's départements, clickable
        departements = v.ref.departements[v.ref.departements["region_code"] == v.f.region].merge(
            queries.by_departement(v.store, v.f), on="code", how="left")
    fig = maps.france_map(v.ref.regions, stats, v.f.mesure, v.lang, v.f.region, v.ref.regions_url, v.ref.frames,
                          departements, v.f.departement, v.ref.departements_url,
                          focus=v.ref.region_bounds.get(v.f.region))
    return fig, maps.summary_france(v.ref.regions, stats, v.f.mesure, v.lang)


def _regions(v: Context):
    """Every region, the region filters left out (the selected one highlighted among them): shares are of all of
    them, not of the selected region's partnerships."""
    stats = queries.by_region(v.store, v.f)
    return charts.regions_ranking(stats, v.ref.regions, int(stats["partnerships"].sum()), v.lang, v.f.region,
                                  v.f.mesure)


def _years(value: str):
    def build(v: Context):
        df = queries.by_year_continent(v.store, v.f)
        if value == "budget":
            df = df[df["budget_known"] > 0]
        return charts.years_chart(df, value, v.ref.continents[v.lang], v.lang)
    return build


CHARTS: tuple[Chart, ...] = (
    Chart("map-world", "map_world", 460, _world, kind="map"),
    Chart("map-france", "map_france", 460, _france, kind="map"),
    Chart("ch-themes", "ch_themes", 640,
          lambda v: charts.themes_chart(queries.by_theme(v.store, v.f).head(v.top or None), v.count, v.lang)),
    Chart("ch-odd", "ch_odd", 560, lambda v: charts.odd_chart(queries.by_odd(v.store, v.f), v.count, v.lang)),
    Chart("ch-budget-dist", "ch_budget_dist", 340,
          lambda v: charts.budget_distribution(queries.budget_bins(v.store, v.f), v.known, v.count, v.lang)),
    Chart("ch-budget-zone", "ch_budget_zone", 380,
          lambda v: charts.budget_by_zone(queries.by_zone(v.store, v.f), v.budget, v.lang)),
    Chart("ch-years-count", "ch_years_count", 380, _years("partnerships")),
    Chart("ch-years-budget", "ch_years_budget", 380, _years("budget")),
    Chart("ch-top-countries", "ch_top_countries", 500,
          lambda v: charts.top_countries(queries.top_countries(v.store, v.f, v.rank), v.ref.countries, v.count,
                                         v.lang, v.rank, v.f.mesure)),
    Chart("ch-regions", "ch_regions", 580, _regions),
    Chart("ch-types", "ch_types", 300,
          lambda v: charts.ranking(queries.aggregate(v.store, v.f, "type", authorities=False), f"label_{v.lang}",
                                   "key", v.count, v.lang)),
    Chart("ch-top-authorities", "ch_top_authorities", 500,
          lambda v: charts.top_authorities(queries.top_authorities(v.store, v.f, v.rank), v.count, v.lang)),
)
CHART: dict[str, Chart] = {c.id: c for c in CHARTS}

# A view's charts are made side by side: DuckDB runs its queries outside the GIL, so one chart's queries run
# while another's figure is built (a view's wall time, not its CPU, is what a reader waits for).
_POOL = ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1), thread_name_prefix="coopatlas-chart")


def build_all(charts: Iterable[Chart], v: Context) -> list[tuple[dict, str]]:
    """Each chart's (figure, summary), in the charts' order, each made in the caller's context (the pinned edition
    of its links) from a copy of ``v`` of its own. The key figures are one more job, queued first: a chart that
    reads them waits for a job already taken (the pool takes its jobs in order), the others do not."""
    if v.key_figures is None and "kpis" in v.__dict__:  # already known: each chart's copy of the context reads them
        v.key_figures = Future()
        v.key_figures.set_result(v.kpis)
    elif v.key_figures is None:
        v.key_figures = _POOL.submit(queries.kpis, v.store, v.f)
    jobs = [_POOL.submit(contextvars.copy_context().run, chart.build, replace(v)) for chart in charts]
    return [job.result() for job in jobs]
