"""The rebalancing monitor (``/suivi``): how a zone's share of active partnerships and budget moves year by
year, who enters and leaves, and a comparison of two periods. Its state lives in the URL like the dashboard's:
the dashboard's filters plus ``p1`` and ``p2`` (``2012-2016``)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import urlencode

import pandas as pd
from dash import Dash, Input, Output, State, html

from dashboard import queries
from dashboard.catalogue import Chart
from dashboard.components import chart_card, data_table, filter_controls, frame, prefill, year_input
from dashboard.db import Store
from dashboard.figures import monitor as figures
from dashboard.filters import BY_NAME, Filters, Vocabulary
from dashboard.i18n import lang_of, number, other, percent, signed, t
from dashboard.ids import Ids
from dashboard.pages.registry import Page
from dashboard.snapshot import pinned_snapshot

log = logging.getLogger(__name__)
_PERIOD = re.compile(r"^(\d{4})-(\d{4})$")
# The monitor's charts; ``build`` takes the view's data: (years, periods, zone label, monitor state, events and
# the countries in view).
CHARTS = (
    Chart("mon-share", "mon_ch_share", 500,
          lambda d: figures.share_chart(d.years, d.label, d.lang, d.events, d.in_view)),
    Chart("mon-budget", "mon_ch_budget", 500,
          lambda d: figures.budget_share_chart(d.years, d.label, d.lang, d.events, d.in_view)),
    Chart("mon-flows", "mon_ch_flows", 380, lambda d: figures.flows_chart(d.years, d.lang)),
    Chart("mon-periods", "mon_ch_periods", 380,
          lambda d: figures.periods_chart(d.periods, d.m.p1, d.m.p2, d.lang)),
)
CONTROLS = tuple(BY_NAME[name] for name in ("zone", "pays", "region"))  # filters the monitor offers
LABELS = {"zone": "mon_zone", "pays": "mon_countries"}
YEARS = ("m-debut", "m-fin", "m-p1a", "m-p1b", "m-p2a", "m-p2b")
INPUTS = (*(f"m-{spec.name}" for spec in CONTROLS), *YEARS)


def this_year() -> int:
    return dt.date.today().year


@dataclass(frozen=True)
class Monitor:
    filters: Filters
    first: int
    last: int
    p1: tuple[int, int]
    p2: tuple[int, int]

    @property
    def zone_label(self) -> str:
        return "~".join(self.filters.pays) if self.filters.pays else (self.filters.zone or "sahel")

    def to_query(self) -> str:
        parts = [p for p in self.filters.to_query().split("&") if p]
        default = Monitor.default()
        for name, value, base in (("debut", self.first, default.first), ("fin", self.last, default.last)):
            if value != base:
                parts.append(f"{name}={value}")
        for name, value, base in (("p1", self.p1, default.p1), ("p2", self.p2, default.p2)):
            if value != base:
                parts.append(urlencode({name: f"{value[0]}-{value[1]}"}))
        return "&".join(parts)

    @classmethod
    def default(cls, lang: str = "fr") -> Monitor:
        year = this_year()
        return cls(Filters(lang=lang), 2000, year, (2012, 2016), (2019, min(2023, year)))

    @classmethod
    def from_query(cls, query: Mapping[str, object], vocab: Vocabulary) -> Monitor:
        """The dashboard's filters, except that ``debut``/``fin`` frame the yearly series here (they do not
        select partnerships); ``p1``/``p2`` are the periods compared."""
        f = Filters.from_query({k: v for k, v in query.items() if k not in ("debut", "fin")}, vocab)
        base = cls.default(f.lang)

        def year(name: str, fallback: int) -> int:
            raw = query.get(name)
            raw = raw[-1] if isinstance(raw, list | tuple) and raw else raw
            if raw in (None, ""):
                return fallback
            if str(raw).isdigit() and 1945 <= int(raw) <= base.last + 10:
                return int(raw)
            log.info("paramètre d'URL ignoré : %s=%r", name, str(raw)[:40])
            return fallback

        periods = []
        for name, fallback in (("p1", base.p1), ("p2", base.p2)):
            raw = query.get(name)
            raw = raw[-1] if isinstance(raw, list | tuple) and raw else raw
            m = _PERIOD.match(str(raw)) if raw else None
            if m and 1945 <= int(m.group(1)) <= int(m.group(2)) <= base.last + 10:
                periods.append((int(m.group(1)), int(m.group(2))))
            else:
                if raw:
                    log.info("paramètre d'URL ignoré : %s=%r", name, str(raw)[:40])
                periods.append(fallback)
        first, last = year("debut", base.first), year("fin", base.last)
        return cls(f, first, max(first, last), periods[0], periods[1])


@dataclass(frozen=True)
class _Data:
    years: pd.DataFrame
    periods: pd.DataFrame
    label: str
    m: Monitor
    events: pd.DataFrame | None = None  # queries.events: drawn on the yearly series when their countries are in view
    in_view: frozenset[str] = frozenset()  # the monitored zone's countries, or the chosen ones

    @property
    def lang(self) -> str:
        return self.m.filters.lang


def view(store: Store, m: Monitor, vocab: Vocabulary) -> dict:
    """Every output of the monitor for one state (queries then figures), keyed by "component.property"."""
    lang, year = m.filters.lang, this_year()
    f = m.filters
    label = (", ".join(vocab.label("pays", c, lang) for c in f.pays) if f.pays
             else vocab.label("zone", f.zone or "sahel", lang))
    data = _Data(queries.monitor_years(store, f, m.first, m.last, year),
                 queries.monitor_periods(store, f, m.p1, m.p2, year), label, m,
                 queries.events(store), queries.countries_in_view(store, f))
    out = {}
    for chart in CHARTS:
        out[f"{chart.id}.figure"], out[f"{chart.id}-summary.children"] = chart.build(data)
    out["mon-regions.children"] = regions_table(queries.monitor_regions(store, f, m.p1, m.p2, year), m, lang)
    out["mon-movers.children"] = movers_table(queries.monitor_movers(store, f, m.first, m.last, year), lang)
    out[f"{Ids.PERMALINK}.data"] = m.to_query()
    out[f"{Ids.LANG_LINK}.href"] = f"?{replace(m, filters=replace(f, lang=other(lang))).to_query()}"
    return out


def regions_table(df: pd.DataFrame, m: Monitor, lang: str) -> html.Table:
    p1, p2 = f"{m.p1[0]}–{m.p1[1]}", f"{m.p2[0]}–{m.p2[1]}"
    rows = []
    for r in df.itertuples():
        s1 = r.p1_zone / r.p1_all if r.p1_all else None
        s2 = r.p2_zone / r.p2_all if r.p2_all else None
        rows.append([r.name, number(r.p1_zone, lang), number(r.p2_zone, lang),
                     signed(r.p2_zone - r.p1_zone, lang, 0), percent(s1, lang), percent(s2, lang)])
    headers = [t("col_region", lang), p1, p2, "Δ", f"% {p1}", f"% {p2}"]
    return data_table(t("mon_regions", lang), headers, rows)


def movers_table(df: pd.DataFrame, lang: str, limit: int = 40) -> html.Table:
    year = this_year()
    rows = [[r.name, str(r.entered), str(r.last_active) if r.last_active < year else "—", number(r.partnerships, lang)]
            for r in df.head(limit).itertuples()]
    headers = [t("col_authority", lang), t("mon_entered", lang), t("mon_left", lang), t("kpi_partnerships", lang)]
    return data_table(t("mon_movers", lang), headers, rows)


def _years(legend: str, first: tuple[str, int], last: tuple[str, int], lang: str) -> html.Fieldset:
    """Two year inputs (from, to) under one legend."""
    cells = []
    for (id_, value), word in ((first, "f_from"), (last, "f_to")):
        cells += [html.Label(t(word, lang), htmlFor=id_), year_input(id_, value, 1945, this_year() + 10, value)]
    return html.Fieldset([html.Legend(legend), html.Div(cells, className="years")])


def layout(snap, **query) -> html.Div:
    """The page with its first view in it (the callback's outputs): the callback runs when a control changes."""
    m = Monitor.from_query(query, snap.vocab)
    if m.filters.zone == "sahel":  # the default zone stays out of the URL, as in state_from_controls
        m = replace(m, filters=replace(m.filters, zone=None))
    lang = m.filters.lang
    f = m.filters
    values = {"zone": f.zone or "sahel", "pays": f.pays, "region": f.region}
    controls = html.Aside([
        html.H2(t("filters", lang)),
        *filter_controls(CONTROLS, values, snap.vocab, lang, prefix="m-", labels=LABELS),
        _years(t("mon_years", lang), ("m-debut", m.first), ("m-fin", m.last), lang),
        _years(t("mon_p1", lang), ("m-p1a", m.p1[0]), ("m-p1b", m.p1[1]), lang),
        _years(t("mon_p2", lang), ("m-p2a", m.p2[0]), ("m-p2b", m.p2[1]), lang),
    ], className="filters", **{"aria-label": t("filters", lang)})
    definitions = html.Details([
        html.Summary(t("mon_definitions", lang)),
        html.Ul([html.Li(t(k, lang)) for k in ("def_active", "def_share", "def_entries", "def_exits",
                                                 "def_periods", "def_events")]),
    ], className="card definitions", open=True)
    main = html.Main([
        html.H2(t("mon_title", lang)), html.P(t("mon_intro", lang), className="subtitle-dark"),
        definitions,
        html.Div([chart_card(c.id, t(c.title, lang), c.height, lang) for c in CHARTS], className="charts"),
        html.Div([html.Div(id="mon-regions", className="card"), html.Div(id="mon-movers", className="card")],
                 className="charts tables"),
    ], id="main", tabIndex="-1")
    page = frame(lang, snap.facts, m.to_query(), html.Div([controls, main], className="body"), "/suivi",
                 title=t("nav_monitor", lang))
    return prefill(page, snap.memo(("monitor", m), lambda: view(snap.store, m, snap.vocab)))


def state_from_controls(values: dict, lang: str, vocab: Vocabulary, edition: str = "") -> Monitor:
    """Control values → the same parsing as a link."""
    def year(v):
        if isinstance(v, str) and v.strip().isascii() and v.strip().isdigit():
            return v.strip()
        return str(int(v)) if isinstance(v, int | float) and not isinstance(v, bool) and v == v else None

    pays = values["m-pays"] if isinstance(values["m-pays"], list) else []
    query = {"zone": values["m-zone"], "pays": "~".join(str(p) for p in pays), "region": values["m-region"],
             "debut": year(values["m-debut"]), "fin": year(values["m-fin"]), "lang": lang, "edition": edition,
             "p1": f"{year(values['m-p1a'])}-{year(values['m-p1b'])}",
             "p2": f"{year(values['m-p2a'])}-{year(values['m-p2b'])}"}
    m = Monitor.from_query({k: v for k, v in query.items() if v not in (None, "", "None-None")}, vocab)
    if m.filters.zone == "sahel":  # the default zone stays out of the URL
        m = replace(m, filters=replace(m.filters, zone=None))
    return m


def register(app: Dash, atlas) -> None:
    outputs = {f"{i}.{prop}": Output(i, prop) for c in CHARTS
               for i, prop in ((c.id, "figure"), (f"{c.id}-summary", "children"))}
    outputs.update({"mon-regions.children": Output("mon-regions", "children"),
                    "mon-movers.children": Output("mon-movers", "children"),
                    f"{Ids.PERMALINK}.data": Output(Ids.PERMALINK, "data", allow_duplicate=True),
                    f"{Ids.LANG_LINK}.href": Output(Ids.LANG_LINK, "href", allow_duplicate=True)})

    @app.callback(output=outputs, inputs={"values": {i: Input(i, "value") for i in INPUTS},
                                          "lang": State(Ids.LANG, "data"), "edition": State(Ids.EDITION, "data")},
                  prevent_initial_call=True)  # the layout comes with the first view
    def update_monitor(values, lang, edition):
        snap = pinned_snapshot(atlas, edition)
        m = state_from_controls(values, lang_of(lang), snap.vocab, snap.facts.edition or "")
        return snap.memo(("monitor", m), lambda: view(snap.store, m, snap.vocab))


PAGE = Page("suivi", "nav_monitor", layout, path="/suivi", order=1, register=register)
