"""The rebalancing monitor (``/suivi``): how a zone's share of active partnerships and budget moves year by
year, who enters and leaves, and a comparison of two periods. Its state lives in the URL like the dashboard's:
the dashboard's filters plus ``debut``/``fin`` (the years of the series), ``p1`` and ``p2`` (``2010-2012``), and the
order and page of the authorities' table (``tri``, ``page``).

The current year is unfinished: by default the series ends with the last complete year (:func:`last_complete`),
and no year after the current one is accepted. The default comparison sets the Sahel's peak years before the 2012
crisis (:data:`BASELINE`) against the last three complete years, so that the trend shows at first sight. A year
that cannot be used is not replaced silently: the boxes keep what was typed, a message next to them says what was
wrong (:mod:`dashboard.years`) and which years are shown instead."""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd
from dash import Dash, Input, Output, State, html
from flask import Response, request

from dashboard import components, links, queries, years
from dashboard.catalogue import Chart
from dashboard.components import chart_card, data_table, filter_controls, frame, prefill, year_input
from dashboard.db import Store
from dashboard.downloads import table_response
from dashboard.figures import monitor as figures
from dashboard.filters import BY_NAME, Filters, Vocabulary, query_dict
from dashboard.i18n import lang_of, number, other, percent, signed, t, tn
from dashboard.ids import Ids
from dashboard.pages.registry import Page
from dashboard.snapshot import pinned_snapshot
from etl.editions import UnknownEdition

log = logging.getLogger(__name__)
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
CHART = {c.id: c for c in CHARTS}
CONTROLS = tuple(BY_NAME[name] for name in ("zone", "pays", "region"))  # filters the monitor offers
LABELS = {"zone": "mon_zone", "pays": "mon_countries"}
# The typed years: (group, legend key, URL parameters, control ids). A group is checked as one pair.
GROUPS = (("years", "mon_years", ("debut", "fin"), ("m-debut", "m-fin")),
          ("p1", "mon_p1", ("p1",), ("m-p1a", "m-p1b")),
          ("p2", "mon_p2", ("p2",), ("m-p2a", "m-p2b")))
YEARS = tuple(i for *_, ids in GROUPS for i in ids)
INPUTS = (*(f"m-{spec.name}" for spec in CONTROLS), *YEARS)
OWN = ("debut", "fin", "p1", "p2", "tri", "page")  # the monitor's own URL parameters (not the dashboard's)
FIRST_YEAR = 2000  # the series' default start
DEFINITIONS = "mon-definitions"  # the definitions' box: open, but closed at a phone's width
PHONE = "(max-width: 600px)"  # style.css's phone width
BASELINE = (2010, 2012)  # default period 1: the Sahel's peak share, before the 2012 crisis in Mali
RECENT = 3  # default period 2: the last RECENT complete years
PAGE_SIZE = 25  # authorities per page
# Sortable columns of the authorities' table: URL word → (query column, header key, first direction).
MOVER_COLUMNS = (("nom", "name", "col_authority", ""), ("entree", "entered", "mon_entered", "-"),
                 ("sortie", "exited", "mon_left", "-"), ("partenariats", "partnerships", "kpi_partnerships", "-"))
SORTS = frozenset(w for c, *_ in MOVER_COLUMNS for w in (c, f"-{c}"))


def this_year() -> int:
    return dt.date.today().year


def last_complete(data_last: int) -> int:
    """The default last year: the last complete one (this year is unfinished), capped by the data's last."""
    return min(this_year() - 1, data_last)


@dataclass(frozen=True)
class Monitor:
    filters: Filters
    first: int
    last: int
    p1: tuple[int, int]
    p2: tuple[int, int]
    complete: int  # the last complete year (default end, and the year before which an authority has left)
    sort: str = ""  # authorities' order: "" = latest movement first, else a word of SORTS
    page: int = 1
    typed: tuple[tuple[str, str], ...] = ()  # refused URL parameters, as given: kept in the URL and the boxes
    problems: tuple[tuple[str, str], ...] = ()  # (group, locale key of dashboard.years)

    @property
    def zone_label(self) -> str:
        return "~".join(self.filters.pays) if self.filters.pays else (self.filters.zone or "sahel")

    def problem(self, group: str) -> str | None:
        return dict(self.problems).get(group)

    def to_query(self) -> str:
        """Only what differs from the defaults; a refused value stays as it was given."""
        parts = [p for p in self.filters.to_query().split("&") if p]
        default = Monitor.default(self.filters.lang, self.complete)
        typed = dict(self.typed)
        values = {"debut": (self.first, default.first), "fin": (self.last, default.last),
                  "p1": (self.p1, default.p1), "p2": (self.p2, default.p2)}
        for name, (value, base) in values.items():
            if name in typed:
                parts.append(links.param(name, typed[name]))
            elif value != base and not any(name in names for g, _, names, _ in GROUPS if self.problem(g)):
                parts.append(links.param(name, value if isinstance(value, int) else f"{value[0]}-{value[1]}"))
        if self.sort:
            parts.append(links.param("tri", self.sort))
        if self.page > 1:
            parts.append(links.param("page", self.page))
        return "&".join(parts)

    def control_values(self) -> dict[str, str]:
        """What each year box shows: the years in use, or the text refused."""
        typed = dict(self.typed)
        shown = {"m-debut": typed.get("debut", self.first), "m-fin": typed.get("fin", self.last)}
        for name, (a, b) in (("p1", ("m-p1a", "m-p1b")), ("p2", ("m-p2a", "m-p2b"))):
            if name in typed:
                start, _, end = typed[name].partition("-")
                shown[a], shown[b] = start, end
            else:
                shown[a], shown[b] = getattr(self, name)
        return {k: str(v) for k, v in shown.items()}

    @classmethod
    def default(cls, lang: str = "fr", complete: int | None = None) -> Monitor:
        complete = this_year() - 1 if complete is None else complete
        return cls(Filters(lang=lang), min(FIRST_YEAR, complete), complete, BASELINE,
                   (complete - RECENT + 1, complete), complete)

    @classmethod
    def from_query(cls, query: Mapping[str, object], vocab: Vocabulary) -> Monitor:
        """The dashboard's filters, except that ``debut``/``fin`` frame the yearly series here (they do not
        select partnerships); ``p1``/``p2`` are the periods compared. Each pair of years is checked by
        :func:`dashboard.years.problem` within 1945–this year; a refused pair keeps its default and says why."""
        f = Filters.from_query({k: v for k, v in query.items() if k not in OWN}, vocab)
        base = cls.default(f.lang, last_complete(vocab.last_year))

        def raw(name: str) -> str | None:
            value = query.get(name)
            value = value[-1] if isinstance(value, list | tuple) and value else value
            text = queries.valid_text(value).strip()[:40]  # kept as typed: without what a URL cannot carry
            return text or None

        typed, problems, pairs = [], [], {}
        for group, _, names, _ in GROUPS:
            given = {n: raw(n) for n in names if raw(n) is not None}
            fallback = (base.first, base.last) if group == "years" else getattr(base, group)
            if group == "years":
                start, end = given.get("debut"), given.get("fin")
            else:
                start, _, end = (given.get(group) or "").partition("-")
            start = start or str(fallback[0])
            end = end or str(fallback[1])
            key = years.problem(start, end, years.FIRST, this_year())
            if key:
                log.info("paramètre d'URL refusé (%s) : %s", key, given)
                typed += given.items()
                problems.append((group, key))
                pairs[group] = fallback
            else:
                pairs[group] = (years.parse(start), years.parse(end))
        sort = raw("tri") or ""
        if sort not in SORTS:
            if sort:
                log.info("paramètre d'URL ignoré : tri=%r", sort)
            sort = ""
        page = raw("page") or "1"
        page = int(page) if page.isascii() and page.isdigit() and 0 < int(page) < 100_000 else 1
        (first, last), p1, p2 = pairs["years"], pairs["p1"], pairs["p2"]
        return cls(f, first, last, p1, p2, base.complete, sort, page, tuple(typed), tuple(problems))


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


def zone_label(m: Monitor, vocab: Vocabulary, lang: str) -> str:
    f = m.filters
    return (", ".join(vocab.label("pays", c, lang) for c in f.pays) if f.pays
            else vocab.label("zone", f.zone or "sahel", lang))


def describe(m: Monitor, vocab: Vocabulary, lang: str) -> str:
    """The state in words, for an embed: zone, years, periods (and the region filter)."""
    parts = [t("filter_part", lang, label=t(LABELS["pays" if m.filters.pays else "zone"], lang),
               value=zone_label(m, vocab, lang)),
             t("filter_part", lang, label=t("mon_years", lang), value=f"{m.first}–{m.last}"),
             t("mon_compared", lang, p1=_span(m.p1), p2=_span(m.p2))]
    if m.filters.region:
        parts.insert(1, t("filter_part", lang, label=t(BY_NAME["region"].label, lang),
                          value=vocab.label("region", m.filters.region, lang)))
    return " · ".join(parts)


def _span(pair: tuple[int, int]) -> str:
    return f"{pair[0]}–{pair[1]}"


def problem_text(m: Monitor, group: str, lang: str) -> str:
    """What was wrong with a pair of years, and which years are shown instead."""
    key = m.problem(group)
    if not key:
        return ""
    shown = (m.first, m.last) if group == "years" else getattr(m, group)
    return (f"{t(key, lang, first=years.FIRST, last=this_year())} "
            f"{t('year_shown_instead', lang, first=shown[0], last=shown[1])}")


def view(store: Store, m: Monitor, vocab: Vocabulary) -> dict:
    """Every output of the monitor for one state (queries then figures), keyed by "component.property"."""
    lang, year = m.filters.lang, this_year()
    f = m.filters
    data = _Data(queries.monitor_years(store, f, m.first, m.last, year),
                 queries.monitor_periods(store, f, m.p1, m.p2, year), zone_label(m, vocab, lang), m,
                 queries.events(store), queries.countries_in_view(store, f))
    out = {}
    for chart in CHARTS:
        out[f"{chart.id}.figure"], out[f"{chart.id}-summary.children"] = chart.build(data)
    for group, *_ in GROUPS:
        out[f"m-{group}-problem.children"] = problem_text(m, group, lang)
        out[f"m-{group}.className"] = "invalid" if m.problem(group) else ""
    query = m.to_query()
    out["mon-regions.children"] = regions_table(queries.monitor_regions(store, f, m.p1, m.p2, year), m, lang)
    out["mon-movers.children"] = movers_table(store, m, lang)
    out[f"{Ids.PERMALINK}.data"] = query
    out[f"{Ids.LANG_LINK}.href"] = links.switch_language(replace(m, filters=replace(f, lang=other(lang))).to_query())
    return out


def regions_frame(df: pd.DataFrame, m: Monitor, lang: str) -> pd.DataFrame:
    """The regions' table as data (the CSV): counts in the zone, the zone's share of each region's active
    partnerships in both periods (%) and its change in points, in the table's order."""
    p1, p2 = _span(m.p1), _span(m.p2)
    return pd.DataFrame({
        t("col_region", lang): df["name"],
        t("mon_in_zone", lang, period=p1): df["p1_zone"], t("mon_in_zone", lang, period=p2): df["p2_zone"],
        t("mon_share_in", lang, period=p1): (100 * df["p1_share"]).round(1),
        t("mon_share_in", lang, period=p2): (100 * df["p2_share"]).round(1),
        t("mon_points", lang): df["change_points"].round(1)})


def regions_table(df: pd.DataFrame, m: Monitor, lang: str) -> list:
    """French regions ranked by the change of the zone's share of their partnerships (points), largest first."""
    data = regions_frame(df, m, lang)
    rows = [[r.name, number(r.p1_zone, lang), number(r.p2_zone, lang), percent(r.p1_share, lang, 1),
             percent(r.p2_share, lang, 1), signed(r.change_points, lang)] for r in df.itertuples()]
    return [data_table(t("mon_regions", lang), list(data.columns), rows, id_="mon-regions-table"),
            html.P(t("mon_regions_hint", lang), className="hint"),
            html.A(t("download_csv", lang), href=links.monitor_csv("regions", m.to_query()), download="",
                   className="button secondary", id="mon-regions-csv")]


def movers(store: Store, m: Monitor, limit: int | None = None, offset: int = 0):
    return queries.monitor_movers(store, m.filters, m.first, m.last, this_year(), m.sort, offset, limit)


def movers_frame(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The authorities' table as data (the CSV)."""
    return pd.DataFrame({t("col_authority", lang): df["name"], t("col_code", lang): df["key"],
                         t("mon_entered", lang): df["entered_in"].astype("Int64"),
                         t("mon_left", lang): df["exited"].astype("Int64"),
                         t("kpi_partnerships", lang): df["partnerships"]})


def _sort_link(m: Monitor, word: str, header: str, first_direction: str) -> tuple[html.A, str | None]:
    current = m.sort.lstrip("-") == word
    descending = m.sort.startswith("-")
    target = (word if descending else f"-{word}") if current else f"{first_direction}{word}"
    arrow = [html.Span(" ▼" if descending else " ▲", **{"aria-hidden": "true"})] if current else []  # aria-sort says it
    href = links.monitor(replace(m, sort=target, page=1).to_query(), "#mon-movers")
    return (html.A([header, *arrow], href=href, className="sort"),
            ("descending" if descending else "ascending") if current else None)


def movers_table(store: Store, m: Monitor, lang: str) -> list:
    """Every authority that entered the zone or left it in the years shown, a page at a time, sortable by
    each column, with the totals and the CSV."""
    totals = queries.monitor_movers_totals(store, m.filters, m.first, m.last, this_year())
    pages = max(1, math.ceil(totals["authorities"] / PAGE_SIZE))
    page = min(m.page, pages)
    df = movers(store, m, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    headers, sorts = [], []
    for word, _, key, direction in MOVER_COLUMNS:
        link, sort = _sort_link(m, word, t(key, lang), direction)
        headers.append(link)
        sorts.append(sort)
    rows = [[html.A(r.name, href=links.authority(r.key, lang)),
             "—" if pd.isna(r.entered_in) else str(int(r.entered_in)),
             "—" if pd.isna(r.exited) else str(int(r.exited)), number(r.partnerships, lang)]
            for r in df.itertuples()]
    summary = t("mon_movers_totals", lang, first=m.first, last=m.last,
                entries=tn("mon_n_entries", totals["entries"], lang),
                exits=tn("mon_n_exits", totals["exits"], lang))
    pager = []
    if pages > 1:
        def to(n: int, key: str):
            return html.A(t(key, lang), href=links.monitor(replace(m, page=n).to_query(), "#mon-movers"),
                          className="button secondary", rel="prev" if n < page else "next")
        pager = [to(page - 1, "mon_prev") if page > 1 else None,
                 html.Span(t("mon_page", lang, page=number(page, lang), pages=number(pages, lang))),
                 to(page + 1, "mon_next") if page < pages else None]
    return [html.H3(t("mon_movers", lang)),
            html.P(summary, className="table-count", id="mon-movers-totals", role="status"),
            html.P(t("mon_movers_hint", lang, year=this_year()), className="hint"),
            data_table(t("mon_movers", lang), headers, rows, id_="mon-movers-table", sort=sorts,
                       caption_shown=False),
            html.Nav(pager, className="pager", **{"aria-label": t("mon_pages", lang)}) if pager else None,
            html.A(t("download_csv", lang), href=links.monitor_csv("collectivites", m.to_query()), download="",
                   className="button secondary", id="mon-movers-csv")]


def _years(group: str, legend: str, ids: tuple[str, str], values: dict, lang: str) -> html.Fieldset:
    """Two year inputs (from, to) under one legend, and the message saying what was wrong with them."""
    cells = []
    for id_, word in zip(ids, ("f_from", "f_to")):
        cells += [html.Label(t(word, lang), htmlFor=id_),
                  year_input(id_, values[id_], years.FIRST, this_year(), values[id_])]
    return html.Fieldset([html.Legend(t(legend, lang)), html.Div(cells, className="years"),
                          html.P(id=f"m-{group}-problem", className="year-problem", role="status")],
                         id=f"m-{group}")


def layout(snap, **query) -> html.Div:
    """The page with its first view in it (the callback's outputs): the callback runs when a control changes."""
    m = Monitor.from_query(query, snap.vocab)
    if m.filters.zone == "sahel":  # the default zone stays out of the URL, as in state_from_controls
        m = replace(m, filters=replace(m.filters, zone=None))
    lang = m.filters.lang
    f = m.filters
    values = {"zone": f.zone or "sahel", "pays": f.pays, "region": f.region}
    shown = m.control_values()
    controls = html.Aside([
        html.H2(t("filters", lang)),
        *filter_controls(CONTROLS, values, snap.vocab, lang, prefix="m-", labels=LABELS, required=("zone",)),
        *(_years(group, legend, ids, shown, lang) for group, legend, _, ids in GROUPS),
    ], className="filters", id="filters-panel", **{"aria-label": t("filters", lang)})
    definitions = html.Details([
        html.Summary(t("mon_definitions", lang)),
        html.Ul([html.Li(t(k, lang)) for k in ("def_active", "def_share", "def_entries", "def_exits",
                                                 "def_periods", "def_defaults", "def_events")]),
    ], className="card definitions", id=DEFINITIONS, open=True)
    main = html.Main([
        html.H2(t("mon_title", lang)), html.P(t("mon_intro", lang), className="subtitle-dark"),
        html.Div(components.share_actions(lang, built_at=snap.facts.built_at), className="toolbar"),
        definitions,
        html.Div([chart_card(c.id, t(c.title, lang), c.height, lang, embed=True) for c in CHARTS],
                 className="charts"),
        html.Div([html.Div(id="mon-regions", className="card"), html.Div(id="mon-movers", className="card")],
                 className="charts tables"),
    ], id="main", tabIndex="-1")
    body = html.Div([components.filters_toggle(lang), controls, main], className="body")
    page = frame(lang, snap.facts, m.to_query(), body, "/suivi", title=t("nav_monitor", lang))
    return prefill(page, snap.memo(("monitor", m), lambda: view(snap.store, m, snap.vocab)))


def state_from_controls(values: dict, lang: str, vocab: Vocabulary, current: str | None = None,
                        edition: str = "") -> Monitor:
    """Control values → the same parsing as a link (what was typed is checked, never dropped); the table's
    order is kept from the current view (``current``, its query), its page starts again at 1."""
    def text(v) -> str:
        if isinstance(v, bool) or v is None:
            return ""
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        return str(v).strip()[:40]

    pays = values["m-pays"] if isinstance(values["m-pays"], list) else []
    query = {"zone": values["m-zone"], "pays": "~".join(str(p) for p in pays), "region": values["m-region"],
             "debut": text(values["m-debut"]), "fin": text(values["m-fin"]), "lang": lang,
             "p1": f"{text(values['m-p1a'])}-{text(values['m-p1b'])}".strip("-") if any(
                 text(values[i]) for i in ("m-p1a", "m-p1b")) else "",
             "p2": f"{text(values['m-p2a'])}-{text(values['m-p2b'])}".strip("-") if any(
                 text(values[i]) for i in ("m-p2a", "m-p2b")) else "",
             "tri": query_dict(current).get("tri"), "edition": edition}
    m = Monitor.from_query({k: v for k, v in query.items() if v not in (None, "")}, vocab)
    if m.filters.zone == "sahel":  # the default zone stays out of the URL
        m = replace(m, filters=replace(m.filters, zone=None))
    return m


def _regions_table(store: Store, m: Monitor) -> pd.DataFrame:
    return regions_frame(queries.monitor_regions(store, m.filters, m.p1, m.p2, this_year()), m, m.filters.lang)


def _authorities_table(store: Store, m: Monitor) -> pd.DataFrame:
    return movers_frame(movers(store, m), m.filters.lang)


TABLES = {"regions": _regions_table, "collectivites": _authorities_table}  # /suivi/<name>.csv: every row


def register(app: Dash, atlas) -> None:
    @app.server.get("/suivi/<table>.csv")
    def monitor_table(table: str):
        if table not in TABLES:
            return Response("not found", status=404, content_type="text/plain; charset=utf-8")
        try:
            snap = atlas.snapshot(request.args.get("edition"))  # a pinned view downloads its edition's rows
        except UnknownEdition as exc:
            return Response(str(exc), status=404, content_type="text/plain; charset=utf-8")
        m = Monitor.from_query(request.args.to_dict(flat=True), snap.vocab)
        return table_response(TABLES[table](snap.store, m), m.filters.lang, f"coopatlas-suivi-{table}")

    outputs = {f"{i}.{prop}": Output(i, prop) for c in CHARTS
               for i, prop in ((c.id, "figure"), (f"{c.id}-summary", "children"))}
    for group, *_ in GROUPS:
        outputs[f"m-{group}-problem.children"] = Output(f"m-{group}-problem", "children")
        outputs[f"m-{group}.className"] = Output(f"m-{group}", "className")
    outputs.update({"mon-regions.children": Output("mon-regions", "children"),
                    "mon-movers.children": Output("mon-movers", "children"),
                    f"{Ids.PERMALINK}.data": Output(Ids.PERMALINK, "data", allow_duplicate=True),
                    f"{Ids.LANG_LINK}.href": Output(Ids.LANG_LINK, "href", allow_duplicate=True)})

    @app.callback(output=outputs, inputs={"values": {i: Input(i, "value") for i in INPUTS},
                                          "lang": State(Ids.LANG, "data"), "current": State(Ids.PERMALINK, "data"),
                                          "edition": State(Ids.EDITION, "data")},
                  prevent_initial_call=True)  # the layout comes with the first view
    def update_monitor(values, lang, current, edition):
        snap = pinned_snapshot(atlas, edition)
        m = state_from_controls(values, lang_of(lang), snap.vocab, current, snap.facts.edition or "")
        return snap.memo(("monitor", m), lambda: view(snap.store, m, snap.vocab))

    components.register_embeds(app, [c.id for c in CHARTS])
    app.clientside_callback(  # open on a wide screen; on a phone its seven sentences would push the charts away
        f"""function(_id) {{
            return window.matchMedia('{PHONE}').matches ? false : window.dash_clientside.no_update;
        }}""",
        Output(DEFINITIONS, "open"), Input(DEFINITIONS, "id"))


PAGE = Page("suivi", "nav_monitor", layout, path="/suivi", order=1, register=register)
