"""The dashboard (``/``): filters, key figures, the two maps, the charts of :data:`CHARTS`, the table and the CSV.
Its state is the URL; one callback turns the controls into a :class:`Filters` value and returns every output,
keyed by component id."""

from __future__ import annotations

import json
from dataclasses import replace

import dash_ag_grid as dag
from dash import Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import components, links, queries, scripts, years
from dashboard.catalogue import CHARTS, Context, build_all
from dashboard.components import chart_card, filter_controls, filter_summary, frame, range_inputs
from dashboard.filters import FILTERS, MEASURES, Filters, query_dict, ranges
from dashboard.i18n import LOCALES, euros, grid_words, lang_of, number, other, percent, t, tn
from dashboard.ids import Ids
from dashboard.pages.registry import Page
from dashboard.snapshot import pinned_snapshot

PANEL = tuple(spec for spec in FILTERS if spec.control)
RANGES = ranges(PANEL)
PLAY_RANGE = RANGES[0]  # the range the play button steps through (the start years)
PLAY_STEP_MS = 1200  # the play button shows a year at most this often (and never before the last one is shown)
CARD_CLASSES = {"map-world": "card map-card wide", "map-france": "card map-card"}
# The partnerships table: (field, width, extra column options); headers are ``grid.<field>`` in the catalogues.
# "by_lang": the field has a column per language (``country_fr``…); "link": the cell links to the authority's page.
TABLE_COLUMNS = (
    ("fr_authority_name", 210, {"link": True}), ("region_name", 150, {"colId": "region"}),
    ("country", 140, {"by_lang": True}), ("partner_authority_name", 200, {}), ("title", 260, {}),
    ("themes", 200, {"sortable": False, "by_lang": True}), ("odds", 80, {"sortable": False}),
    ("start_year", 80, {}), ("end_year", 80, {}), ("budget_eur", 120, {"type": "rightAligned", "money": True}),
    ("partnership_id", 110, {}),
)
OWN_OPTIONS = ("money", "by_lang", "link")

# Every output of the main view, keyed by "component.property".
KPI_OUTPUTS = (Ids.KPI_PARTNERSHIPS, Ids.KPI_AUTHORITIES, Ids.KPI_COUNTRIES, Ids.KPI_BUDGET, Ids.KPI_BUDGET_NOTE)
OUTPUTS: dict[str, tuple[str, str]] = {
    **{f"{i}.children": (i, "children") for i in KPI_OUTPUTS},
    **{f"{i}-label.children": (f"{i}-label", "children") for i in KPI_OUTPUTS[:3]},
    f"{Ids.EMPTY}.children": (Ids.EMPTY, "children"),
    "active-filters.children": ("active-filters", "children"),
    **{key: pair for c in CHARTS for key, pair in ((f"{c.id}.figure", (c.id, "figure")),
                                                     (f"{c.id}-summary.children", (f"{c.id}-summary", "children")))},
    f"{Ids.CSV_LINK}.href": (Ids.CSV_LINK, "href"), f"{Ids.PERMALINK}.data": (Ids.PERMALINK, "data"),
    f"{Ids.LANG_LINK}.href": (Ids.LANG_LINK, "href"), "region-link.href": ("region-link", "href"),
    "region-link.hidden": ("region-link", "hidden"), f"{Ids.CLEAR_COUNTRY}.hidden": (Ids.CLEAR_COUNTRY, "hidden"),
    f"{Ids.PLAY_YEAR}.children": (Ids.PLAY_YEAR, "children"),
}


def view(snap, f: Filters) -> dict:
    """Every output of the main view for a set of filters (queries composed with figure builders)."""
    v = Context(snap.store, snap.reference, f)
    figures = build_all(CHARTS, v)  # the key figures with them
    lang, n = f.lang, v.count
    out = {
        f"{Ids.KPI_PARTNERSHIPS}.children": number(n, lang),
        f"{Ids.KPI_AUTHORITIES}.children": number(v.kpis["authorities"] or 0, lang),
        f"{Ids.KPI_COUNTRIES}.children": number(v.kpis["countries"] or 0, lang),
        f"{Ids.KPI_BUDGET}.children": euros(v.budget, lang),
        f"{Ids.KPI_BUDGET_NOTE}.children": t("kpi_budget_note", lang, share=percent(v.known / n if n else None,
                                                                                     lang)),
        f"{Ids.EMPTY}.children": "" if n else _why_empty(snap, f),
        "active-filters.children": t("shown", lang, filters=filter_summary(f, snap.vocab, lang)),
        f"{Ids.KPI_PARTNERSHIPS}-label.children": tn("unit_partnerships", n, lang),
        f"{Ids.KPI_AUTHORITIES}-label.children": tn("unit_authorities", int(v.kpis["authorities"] or 0), lang),
        f"{Ids.KPI_COUNTRIES}-label.children": tn("unit_countries", int(v.kpis["countries"] or 0), lang),
    }
    for chart, (figure, summary) in zip(CHARTS, figures):
        out[f"{chart.id}.figure"], out[f"{chart.id}-summary.children"] = figure, summary
    query = f.to_query()
    out[f"{Ids.CSV_LINK}.href"] = links.csv(query)
    out[f"{Ids.PERMALINK}.data"] = query
    out[f"{Ids.LANG_LINK}.href"] = links.switch_language(replace(f, lang=other(lang)).to_query())
    out["region-link.href"] = links.region(f.region, lang) if f.region else "/region/"
    out["region-link.hidden"] = f.region is None
    out[f"{Ids.CLEAR_COUNTRY}.hidden"] = not f.pays  # nothing to clear
    out[f"{Ids.PLAY_YEAR}.children"] = str(f.debut) if f.debut is not None and f.debut == f.fin else ""
    return out


def _why_empty(snap, f: Filters) -> str:
    """Nothing matches: with several filters, how many each alone gives, so contradictory ones show."""
    active = f.active()
    if len(active) < 2:
        return t("empty", f.lang)
    parts = []
    for (spec, value), count in zip(active, queries.counts_alone(snap.store, f)):
        alone = Filters(**{spec.name: value, "lang": f.lang})
        parts.append(f"{filter_summary(alone, snap.vocab, f.lang)} ({number(count, f.lang)})")
    return t("empty_why", f.lang, parts=t("list_sep", f.lang).join(parts))


def controls_to_query(values: dict, metric, lang: str, edition: str = "") -> dict:
    """Control values in the form of URL parameters, so they go through the same validation as a link."""
    return {**{spec.name: spec.from_control(values.get(spec.control_id)) for spec in PANEL},
            "mesure": metric, "lang": lang, "edition": edition}


def _grid(lang: str) -> dag.AgGrid:
    money = ("params.value == null ? '—' : new Intl.NumberFormat('" + LOCALES[lang].replace("_", "-")
             + "', {maximumFractionDigits: 0, style: 'currency', currency: 'EUR'}).format(params.value)")
    column_defs = []
    for name, width, extra in TABLE_COLUMNS:
        col = {"field": f"{name}_{lang}" if extra.get("by_lang") else name, "colId": name,
               "headerName": t(f"grid.{name}", lang), "width": width, "sortable": True,
               **{k: v for k, v in extra.items() if k not in OWN_OPTIONS}}
        if extra.get("money"):
            col["valueFormatter"] = {"function": money}
        if extra.get("link"):
            col["cellRenderer"] = "AuthorityLink"
        column_defs.append(col)
    return dag.AgGrid(
        id=Ids.GRID, rowModelType="infinite", columnDefs=column_defs,
        defaultColDef={"resizable": True, "filter": False},
        dashGridOptions={"pagination": True, "paginationPageSize": 20, "cacheBlockSize": 20, "rowBuffer": 0,
                         "maxBlocksInCache": 20, "infiniteInitialRowCount": 20, "suppressCellFocus": False,
                         "localeText": grid_words(lang)},
        style={"height": "520px", "width": "100%"}, className="ag-theme-quartz",
    )


def layout(snap, **query) -> html.Div:
    """The page with its first view in it (the main callback's outputs for the address's filters): it draws at
    once, and the callback runs only when a control changes."""
    f = Filters.from_query(query, snap.vocab)
    lang = f.lang
    panel = html.Aside([
        html.H2(t("filters", lang)),
        *filter_controls(PANEL, vars(f), snap.vocab, lang),
        html.Button(t("reset", lang), id=Ids.RESET, n_clicks=0, className="secondary"),
    ], className="filters", id="filters-panel", **{"aria-label": t("filters", lang)})
    extras = {
        "map-world": [t("map_hint", lang), " ", html.Button(t("clear_country", lang), id=Ids.CLEAR_COUNTRY,
                                                             n_clicks=0, className="link")],
        "map-france": [t("map_hint_fr", lang), " ", html.A(t("region_link", lang), id="region-link",
                                                            href="/region/")],
    }
    maps = [chart_card(c.id, t(c.title, lang), c.height, lang, extra=extras.get(c.id), heading=html.H2,
                       class_name=CARD_CLASSES[c.id], embed=True) for c in CHARTS if c.kind == "map"]
    cards = [chart_card(c.id, t(c.title, lang), c.height, lang, embed=True) for c in CHARTS if c.kind == "chart"]
    main = html.Main([
        components.kpi_cards([("…", t("kpi_partnerships", lang), Ids.KPI_PARTNERSHIPS),
                              ("…", t("kpi_authorities", lang), Ids.KPI_AUTHORITIES),
                              ("…", t("kpi_countries", lang), Ids.KPI_COUNTRIES),
                              ("…", t("kpi_budget", lang), Ids.KPI_BUDGET, Ids.KPI_BUDGET_NOTE)], live=True),
        html.P(id="active-filters", className="active-filters"),
        html.Div(id=Ids.EMPTY, className="empty", role="status"),
        html.Div([
            html.Fieldset([
                html.Legend(t("metric", lang)),
                dcc.RadioItems(id=Ids.METRIC, value=f.mesure, inline=True,
                               options=[{"label": t(m.label, lang), "value": m.value} for m in MEASURES]),
            ], className="metric"),
            html.Div([
                html.Button(t("play_years", lang), id=Ids.PLAY, n_clicks=0, className="play secondary",
                            **{"aria-pressed": "false", "aria-controls": "main"}),
                html.Span(id=Ids.PLAY_YEAR, className="play-year"),
                dcc.Interval(id=Ids.PLAY_TIMER, interval=PLAY_STEP_MS, disabled=True),
            ], className="play-box"),
            components.share_actions(lang, links.csv(""), snap.facts.built_at),
        ], className="toolbar"),
        html.Div(maps, className="maps"),
        html.Div(cards, className="charts"),
        html.Section([
            html.H2(t("table", lang)),
            html.Div([
                html.Label(t("search_table", lang), htmlFor=Ids.SEARCH, className="visually-hidden"),
                dcc.Input(id=Ids.SEARCH, type="search", debounce=0.4, placeholder=t("search_table", lang),
                          className="search"),
                html.Span(id=Ids.TABLE_COUNT, className="table-count", role="status"),
            ], className="table-tools"),
            _grid(lang),
        ], className="card table-card", **{"data-grid-bundle": scripts.ag_grid_url()}),
    ], id="main", tabIndex="-1")
    body = html.Div([html.Div(id="grid-sync", hidden=True),
                     html.Div([components.filters_toggle(lang), panel, main], className="body")])
    return components.prefill(frame(lang, snap.facts, f.to_query(), body, "/"),
                              kept_view(snap, f))


def popular(snap) -> list[Filters]:
    """The views readers ask for most: the default one and each region's (the links regional councils share)."""
    return [Filters(), *(Filters(region=code) for code in sorted(snap.vocab.codes("region")))]


def kept_view(snap, f: Filters) -> dict:
    """:func:`view`, from the build's memo (made once per worker, however many readers ask at once)."""
    return snap.memo(("home", f), lambda: view(snap, f))


def warm(snap) -> None:
    for f in popular(snap):
        kept_view(snap, f)


def _clicked(click, kind: str | None = None) -> str | None:
    """The code a map click names: a point's plain code, or with ``kind`` the code of a point of that kind
    (``["departement", "29"]``: the départements drawn over the France map)."""
    try:
        data = click["points"][0]["customdata"]
    except (TypeError, KeyError, IndexError):
        return None
    if isinstance(data, list):
        return str(data[1]) if kind and len(data) == 2 and data[0] == kind else None
    return None if kind else str(data)


def _codes(value) -> list[str]:
    """A multi-select's value as a list of strings, whatever the browser sent."""
    return [str(v) for v in value if isinstance(v, str | int)] if isinstance(value, list) else []


def register(app: Dash, atlas) -> None:
    """Every callback reads the atlas's current snapshot, so a new build is picked up without a restart."""
    inputs = {spec.control_id: Input(spec.control_id, "value") for spec in PANEL}

    @app.callback(output={k: Output(*pair) for k, pair in OUTPUTS.items()},
                  inputs={"values": inputs, "metric": Input(Ids.METRIC, "value"), "lang": State(Ids.LANG, "data"),
                          "edition": State(Ids.EDITION, "data")},
                  prevent_initial_call=True)  # the layout comes with the first view
    def update(values, metric, lang, edition):
        snap = pinned_snapshot(atlas, edition)
        if any(years.problem(values.get(low.control_id), values.get(high.control_id), snap.vocab.first_year,
                             snap.vocab.last_year) for _name, low, high in RANGES):
            raise PreventUpdate  # typed years that are not usable leave the view as it is; their message says why
        f = Filters.from_query(controls_to_query(values, metric, lang_of(lang), snap.facts.edition or ""),
                               snap.vocab)
        with links.pinned(snap.facts.edition):
            return kept_view(snap, f)

    @app.callback(Output(Ids.PAYS, "value"), Input(Ids.WORLD, "clickData"), Input(Ids.CLEAR_COUNTRY, "n_clicks"),
                  State(Ids.PAYS, "value"), prevent_initial_call=True)
    def click_country(click, _clear, current):
        if ctx.triggered_id == Ids.CLEAR_COUNTRY:
            return []
        iso3 = _clicked(click)
        if not iso3 or iso3 not in atlas.current().vocab.codes("pays"):
            return no_update
        current = _codes(current)
        return [c for c in current if c != iso3] if iso3 in current else [*current, iso3]

    app.clientside_callback(  # the button hides itself once no country is filtered: focus goes to the countries' box
        f"""function(n) {{
            const box = document.getElementById('{Ids.PAYS}');
            if (n && box) {{ box.focus(); }}
            return window.dash_clientside.no_update;
        }}""",
        Output(Ids.CLEAR_COUNTRY, "title"), Input(Ids.CLEAR_COUNTRY, "n_clicks"),  # an output Dash's protocol needs
        prevent_initial_call=True)

    @app.callback(Output(Ids.REGION, "value"), Output(Ids.DEPARTEMENT, "value", allow_duplicate=True),
                  Input(Ids.FRANCE, "clickData"), State(Ids.REGION, "value"), State(Ids.DEPARTEMENT, "value"),
                  prevent_initial_call=True)
    def click_france(click, region, departement):
        """A region sets the region filter, a département of the selected region the département filter; a
        click on the one already chosen clears it."""
        vocab = atlas.current().vocab
        code = _clicked(click, "departement")
        if code and code in vocab.codes("departement"):
            return no_update, None if code == departement else code
        code = _clicked(click)
        if not code or code not in vocab.codes("region"):
            return no_update, no_update
        return None if isinstance(region, str) and code == region else code, no_update

    for spec in PANEL:
        if spec.depends_on:
            _register_dependent(app, atlas, spec)
    for name, low, high in RANGES:
        _register_range(app, atlas, f"f-{name}", low, high)
    _register_play(app, f"f-{PLAY_RANGE[0]}", *PLAY_RANGE[1:])

    @app.callback({spec.control_id: Output(spec.control_id, "value", allow_duplicate=True) for spec in PANEL},
                  Input(Ids.RESET, "n_clicks"), prevent_initial_call=True)
    def reset(_n):
        return {spec.control_id: "" if spec.control == "radio" else ([] if spec.multi else None) for spec in PANEL}

    @app.callback(Output(Ids.GRID, "getRowsResponse"), Output(Ids.TABLE_COUNT, "children"),
                  Input(Ids.GRID, "getRowsRequest"), State(Ids.PERMALINK, "data"), State(Ids.SEARCH, "value"),
                  State(Ids.LANG, "data"), prevent_initial_call=True)
    def rows(request, query, search, lang):
        if not isinstance(request, dict):
            return no_update, no_update
        lang = lang_of(lang)
        query = query_dict(query)
        snap = pinned_snapshot(atlas, query.get("edition"))
        f = Filters.from_query(query, snap.vocab)
        df, total = queries.partnerships_page(snap.store, f, request.get("startRow", 0), request.get("endRow", 20),
                                              request.get("sortModel"), search)
        records = df.astype(object).where(df.notna(), None).to_dict("records")
        with links.pinned(snap.facts.edition):
            for r in records:
                r["authority_href"] = links.authority(r["fr_authority_key"], lang)
        return {"rowData": records, "rowCount": total}, tn("n_partnerships", total, lang)

    app.clientside_callback(
        """async function(query, search) {
            const grid = window.dash_ag_grid;  // assets/grid-loader.js until the table is first shown
            if (grid.loaded && !grid.loaded()) {
                return window.dash_clientside.no_update;  // not loaded yet: it reads the view when it loads
            }
            const api = await grid.getApiAsync('grid');
            api.purgeInfiniteCache();
            return window.dash_clientside.no_update;
        }""",
        Output("grid-sync", "children"), Input(Ids.PERMALINK, "data"), Input(Ids.SEARCH, "value"),
        prevent_initial_call=True,
    )
    components.register_embeds(app, [c.id for c in CHARTS])  # "Intégrer" under every chart


def _register_range(app: Dash, atlas, slider: str, low, high) -> None:
    """A year range's slider and its two typed inputs move together: the slider fills the inputs; typed years
    move the slider when they are usable (:func:`dashboard.years.problem`), else a message says what is wrong
    and nothing else changes. The inputs stay the filters' controls: the main view follows them."""

    @app.callback(Output(slider, "value"), Output(low.control_id, "value"), Output(high.control_id, "value"),
                  Output(f"{slider}-problem", "children"),
                  Input(slider, "value"), Input(low.control_id, "value"), Input(high.control_id, "value"),
                  State(Ids.LANG, "data"), prevent_initial_call=True)
    def sync(span, start, end, lang):
        vocab = atlas.current().vocab
        first, last = vocab.first_year, vocab.last_year
        if ctx.triggered_id == slider:
            typed = range_inputs(span, first, last)
            return (no_update, no_update, no_update, no_update) if typed is None else (no_update, *typed, "")
        key = years.problem(start, end, first, last)
        if key:
            return no_update, no_update, no_update, t(key, lang_of(lang), first=first, last=last)
        return [years.parse(start) or first, years.parse(end) or last], no_update, no_update, ""


def _register_play(app: Dash, slider: str, low, high) -> None:
    """Play: a year at a time from the first to the last, through the range's typed inputs (so the URL, the key
    figures and the maps follow the normal path); the next year comes only once the view shows the current one
    (never ahead of the server); pause, or the last year, stops on the year shown."""
    names = json.dumps({"low": low.name, "high": high.name, "play": Ids.PLAY.value})
    app.clientside_callback(
        "function(clicks, ticks, query, start, end, stopped, first, last) { const names = " + names + """;
            const nu = window.dash_clientside.no_update;
            const trigger = (window.dash_clientside.callback_context.triggered[0] || {}).prop_id || '';
            const params = new URLSearchParams(query || '');
            const shown = params.get(names.low) !== null && params.get(names.low) === params.get(names.high)
                ? parseInt(params.get(names.low), 10) : null;
            const stop = [true, 'false', nu, nu];
            if (trigger.startsWith(names.play + '.')) {
                if (!stopped) { window.coopatlasPlaying = false; return stop; }
                const year = shown !== null && shown < last ? shown + 1 : first;
                window.coopatlasPlaying = 'start';  // components.register_frame: one step of history
                return [false, 'true', String(year), String(year)];
            }
            if (stopped) { return [nu, nu, nu, nu]; }
            if (start !== end || !start || shown >= last) {  // the reader typed another range, or the end
                window.coopatlasPlaying = false;
                return stop;
            }
            if (shown === null || String(shown) !== start) { return [nu, nu, nu, nu]; }  // not shown yet
            return [nu, nu, String(shown + 1), String(shown + 1)];
        }""",
        Output(Ids.PLAY_TIMER, "disabled"), Output(Ids.PLAY, "aria-pressed"),
        Output(low.control_id, "value", allow_duplicate=True), Output(high.control_id, "value", allow_duplicate=True),
        Input(Ids.PLAY, "n_clicks"), Input(Ids.PLAY_TIMER, "n_intervals"), State(Ids.PERMALINK, "data"),
        State(low.control_id, "value"), State(high.control_id, "value"), State(Ids.PLAY_TIMER, "disabled"),
        State(slider, "min"), State(slider, "max"), prevent_initial_call=True,
    )


def _register_dependent(app: Dash, atlas, spec) -> None:
    """A control whose choices narrow to the value of another (départements of the chosen region)."""
    parent_id = f"f-{spec.depends_on}"

    @app.callback(Output(spec.control_id, "options"), Output(spec.control_id, "value", allow_duplicate=True),
                  Input(parent_id, "value"), State(spec.control_id, "value"), State(Ids.LANG, "data"),
                  prevent_initial_call=True)
    def narrow(parent, current, lang):
        parent = parent if isinstance(parent, str) else None
        options = atlas.current().vocab.choices(spec.name, lang_of(lang), parent)
        keep = current if isinstance(current, str) and current in {o["value"] for o in options} else None
        return options, keep


PAGE = Page("accueil", "title", layout, path="/", order=0, register=register, warm=warm)
