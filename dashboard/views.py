"""What the dashboard shows for a set of filters: queries composed with figure builders. Callbacks call this."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from dashboard import queries
from dashboard.db import Store
from dashboard.figures import charts, maps
from dashboard.filters import Filters
from dashboard.i18n import euros, number, percent, t
from dashboard.ids import CHARTS

# The main view's outputs, in the order :func:`dashboard` returns them: (component id, property).
MAIN_OUTPUTS = (
    ("kpi-partnerships", "children"), ("kpi-authorities", "children"), ("kpi-countries", "children"),
    ("kpi-budget", "children"), ("kpi-budget-note", "children"), ("empty-state", "children"),
    ("map-world", "figure"), ("map-world-summary", "children"), ("map-france", "figure"),
    ("map-france-summary", "children"),
    *[pair for c in CHARTS for pair in ((c, "figure"), (f"{c}-summary", "children"))],
    ("csv-link", "href"), ("permalink", "data"), ("lang-link", "href"), ("region-link", "href"),
    ("region-link", "hidden"),
)
EMBEDDABLE = ("map-world", "map-france", *CHARTS)


@dataclass(frozen=True)
class Reference:
    """Reference data read once at start-up."""

    countries: pd.DataFrame
    regions: pd.DataFrame  # with label_lon / label_lat of the inset layout
    frames: list
    france_centre: tuple[float, float]
    world_url: str
    regions_url: str


def kpis(store: Store, f: Filters) -> dict[str, str]:
    k = queries.kpis(store, f)
    n = int(k["partnerships"] or 0)
    known = int(k["budget_known"] or 0)
    return {
        "partnerships": number(n, f.lang),
        "authorities": number(k["authorities"] or 0, f.lang),
        "countries": number(k["countries"] or 0, f.lang),
        "budget": euros(k["budget"] or 0, f.lang),
        "budget_note": t("kpi_budget_note", f.lang, share=percent(known / n if n else None, f.lang)),
        "count": n,
        "known": known,
        "budget_total": float(k["budget"] or 0),
    }


def maps_for(store: Store, f: Filters, ref: Reference):
    stats = queries.by_country(store, f)
    origin = ref.france_centre
    if f.region:
        r = ref.regions[ref.regions["code"] == f.region]
        if len(r):
            origin = (float(r["centre_lon"].iloc[0]), float(r["centre_lat"].iloc[0]))
    world = maps.world_map(ref.countries, stats, f.mesure, f.lang, f.pays, ref.world_url, origin)
    rstats = queries.by_region(store, f)
    france = maps.france_map(ref.regions, rstats, f.mesure, f.lang, f.region, ref.regions_url, ref.frames)
    return (world, maps.summary_world(stats, ref.countries, f.mesure, f.lang),
            france, maps.summary_france(ref.regions, rstats, f.mesure, f.lang))


def charts_for(store: Store, f: Filters, ref: Reference, count: int, known: int,
               budget: float) -> list[tuple]:
    """The eight charts, in the order of :data:`dashboard.ids.CHARTS`."""
    lang = f.lang
    years = queries.by_year_continent(store, f)
    return [
        charts.themes_chart(queries.by_theme(store, f), count, lang),
        charts.odd_chart(queries.by_odd(store, f), count, lang),
        charts.budget_distribution(queries.budget_bins(store, f), known, count, lang),
        charts.budget_by_zone(queries.by_zone(store, f), budget, lang),
        charts.years_chart(years, "partnerships", lang),
        charts.years_chart(years[years["budget_known"] > 0], "budget", lang),
        charts.top_countries(queries.top_countries(store, f), ref.countries, count, lang),
        charts.top_authorities(queries.top_authorities(store, f), count, lang),
    ]


def dashboard(store: Store, f: Filters, ref: Reference) -> tuple:
    """Every output of the main view, in the order of the main callback's outputs."""
    k = kpis(store, f)
    world, world_text, france, france_text = maps_for(store, f, ref)
    figures = charts_for(store, f, ref, k["count"], k["known"], k["budget_total"])
    query = f.to_query()
    other = replace(f, lang="en" if f.lang == "fr" else "fr").to_query()
    return (k["partnerships"], k["authorities"], k["countries"], k["budget"], k["budget_note"],
            "" if k["count"] else t("empty", f.lang), world, world_text, france, france_text,
            *[x for fig_and_text in figures for x in fig_and_text],
            f"/telecharger.csv?{query}" if query else "/telecharger.csv", query, f"?{other}",
            f"/region/{f.region}" + ("?lang=en" if f.lang == "en" else "") if f.region else "/region/",
            f.region is None)
