"""The page: header, honesty banner, filters, key figures, maps, charts, table, footer. Pure layout, no queries
(options come in as data)."""

from __future__ import annotations

from dataclasses import dataclass

import dash_ag_grid as dag
from dash import dcc, html

from dashboard.filters import Filters
from dashboard.i18n import DROPDOWN_LABELS, number, t
from dashboard.ids import CHARTS, Ids

GRAPH_CONFIG = {"displaylogo": False, "responsive": True, "topojsonURL": "/assets/topojson/",
                "modeBarButtonsToRemove": ["select2d", "lasso2d"], "toImageButtonOptions": {"scale": 2}}
# Height of each graph's box (the figures fill it); bar charts get room for all their bars.
HEIGHTS = {"map-world": 460, "map-france": 460, "ch-themes": 560, "ch-odd": 500, "ch-budget-dist": 340,
           "ch-budget-zone": 300, "ch-years-count": 380, "ch-years-budget": 380, "ch-top-countries": 440,
           "ch-top-authorities": 440}
CHART_TITLES = {"ch-themes": "ch_themes", "ch-odd": "ch_odd", "ch-budget-dist": "ch_budget_dist",
                "ch-budget-zone": "ch_budget_zone", "ch-years-count": "ch_years_count",
                "ch-years-budget": "ch_years_budget", "ch-top-countries": "ch_top_countries",
                "ch-top-authorities": "ch_top_authorities"}


@dataclass(frozen=True)
class Options:
    """Choices of the filter controls, per language: lists of ``{"label", "value"}``."""

    regions: dict[str, list[dict]]
    rrmas: list[dict]
    departements: list[dict]  # with "region" for the dependent list
    types: dict[str, list[dict]]
    countries: dict[str, list[dict]]
    zones: dict[str, list[dict]]
    themes: dict[str, list[dict]]
    odds: dict[str, list[dict]]
    actions: dict[str, list[dict]]
    first_year: int
    last_year: int


@dataclass(frozen=True)
class BuildFacts:
    is_demo: bool
    built_at: str
    built_at_en: str
    source_files: list[str]
    loaded: int
    rejected: int
    geometry_sources: str


def data_table(caption: str, headers: list[str], rows: list[list], id_: str | None = None) -> html.Table:
    """A plain, accessible table (caption, column headers) for figures that read best as text."""
    return html.Table([
        html.Caption(caption),
        html.Thead(html.Tr([html.Th(h, scope="col") for h in headers])),
        html.Tbody([html.Tr([html.Td(c) for c in row]) for row in rows]),
    ], className="data-table", **({"id": id_} if id_ else {}))


def _field(label: str, control, control_id: str) -> html.Div:
    return html.Div([html.Label(label, htmlFor=control_id), control], className="field")


def _dropdown(id_: str, options: list[dict], value, lang: str, multi: bool = False) -> dcc.Dropdown:
    return dcc.Dropdown(id=id_, options=options, value=value, multi=multi, clearable=True,
                        placeholder=t("all", lang), searchable=True, optionHeight=40, labels=DROPDOWN_LABELS[lang])


def filters_panel(f: Filters, o: Options) -> html.Aside:
    lang = f.lang
    deps = [d for d in o.departements if not f.region or d["region"] == f.region]
    return html.Aside([
        html.H2(t("filters", lang)),
        _field(t("f_region", lang), _dropdown(Ids.REGION, o.regions[lang], f.region, lang), Ids.REGION),
        _field(t("f_rrma", lang), _dropdown(Ids.RRMA, o.rrmas, f.rrma, lang), Ids.RRMA),
        _field(t("f_departement", lang), _dropdown(Ids.DEPARTEMENT, [{"label": d["label"], "value": d["value"]}
                                                                     for d in deps], f.departement, lang),
               Ids.DEPARTEMENT),
        _field(t("f_type", lang), _dropdown(Ids.TYPE, o.types[lang], f.type, lang), Ids.TYPE),
        _field(t("f_pays", lang), _dropdown(Ids.PAYS, o.countries[lang], list(f.pays), lang, multi=True), Ids.PAYS),
        _field(t("f_zone", lang), _dropdown(Ids.ZONE, o.zones[lang], f.zone, lang), Ids.ZONE),
        _field(t("f_theme", lang), _dropdown(Ids.THEME, o.themes[lang], f.theme, lang), Ids.THEME),
        _field(t("f_odd", lang), _dropdown(Ids.ODD, o.odds[lang], list(f.odd), lang, multi=True), Ids.ODD),
        _field(t("f_action", lang), _dropdown(Ids.ACTION, o.actions[lang], f.action, lang), Ids.ACTION),
        html.Fieldset([
            html.Legend(t("f_years", lang)),
            html.Div([
                html.Label(t("f_from", lang), htmlFor=Ids.DEBUT),
                dcc.Input(id=Ids.DEBUT, type="number", min=o.first_year, max=o.last_year, step=1, value=f.debut,
                          placeholder=str(o.first_year), debounce=True, className="year"),
                html.Label(t("f_to", lang), htmlFor=Ids.FIN),
                dcc.Input(id=Ids.FIN, type="number", min=o.first_year, max=o.last_year, step=1, value=f.fin,
                          placeholder=str(o.last_year), debounce=True, className="year"),
            ], className="years"),
        ]),
        html.Fieldset([
            html.Legend(t("f_budget", lang)),
            dcc.RadioItems(id=Ids.BUDGET, value=f.budget or "", inline=True, options=[
                {"label": t("budget_all", lang), "value": ""}, {"label": t("budget_known", lang), "value": "connu"},
                {"label": t("budget_unknown", lang), "value": "inconnu"}]),
        ]),
        html.Button(t("reset", lang), id=Ids.RESET, n_clicks=0, className="secondary"),
    ], className="filters", **{"aria-label": t("filters", lang)})


def _kpi(id_: str, label: str, note_id: str | None = None) -> html.Div:
    children = [html.Div("…", id=id_, className="kpi-value"), html.Div(label, className="kpi-label")]
    if note_id:
        children.append(html.Div(id=note_id, className="kpi-note"))
    return html.Div(children, className="kpi")


def embed_box(id_: str, lang: str) -> html.Details:
    """"Intégrer": the <iframe> snippet of this chart's embed view, kept in step with the view's URL."""
    return html.Details([
        html.Summary(t("embed", lang)),
        html.Label(t("embed_help", lang), htmlFor=f"{id_}-embed", className="hint"),
        dcc.Textarea(id=f"{id_}-embed", readOnly=True, className="embed-code", rows=3),
    ], className="embed")


def _map_card(id_: str, title: str, hint: list, lang: str, class_name: str) -> html.Figure:
    """A map with its title, how to use it, its one-sentence summary and its embed snippet."""
    return html.Figure([
        html.H2(title, id=f"{id_}-title"),
        html.P(hint, className="hint"),
        dcc.Graph(id=id_, config=GRAPH_CONFIG, className="graph map", style={"height": f"{HEIGHTS[id_]}px"}),
        html.Figcaption(id=f"{id_}-summary", className="summary"),
        embed_box(id_, lang),
    ], className=class_name, **{"aria-labelledby": f"{id_}-title", "aria-describedby": f"{id_}-summary"})


def _chart(id_: str, lang: str) -> html.Figure:
    return html.Figure([
        html.H3(t(CHART_TITLES[id_], lang), id=f"{id_}-title"),
        dcc.Graph(id=id_, config=GRAPH_CONFIG, className="graph", style={"height": f"{HEIGHTS[id_]}px"}),
        html.Figcaption(id=f"{id_}-summary", className="summary"),
        embed_box(id_, lang),
    ], className="card chart", **{"aria-labelledby": f"{id_}-title", "aria-describedby": f"{id_}-summary"})


def _grid(lang: str) -> dag.AgGrid:
    fr = lang == "fr"
    money = ("params.value == null ? '—' : new Intl.NumberFormat('" + ("fr-FR" if fr else "en-GB")
             + "', {maximumFractionDigits: 0}).format(params.value) + ' €'")
    cols = [
        ("partnership_id", "Identifiant" if fr else "Identifier", 120, {}),
        ("fr_authority_name", "Collectivité française" if fr else "French authority", 210, {}),
        ("country", "Pays" if fr else "Country", 140, {} if fr else {"field": "country_en"}),
        ("partner_authority_name", "Partenaire" if fr else "Partner", 200, {}),
        ("title", "Intitulé" if fr else "Title", 260, {}),
        ("themes", "Thématiques" if fr else "Themes", 150, {"sortable": False}),
        ("odds", "ODD" if fr else "SDG", 90, {"sortable": False}),
        ("start_year", "Début" if fr else "Start", 90, {}),
        ("end_year", "Fin" if fr else "End", 80, {}),
        ("budget_eur", "Budget", 130, {"valueFormatter": {"function": money}, "type": "rightAligned"}),
    ]
    column_defs = [{"field": f, "colId": f, "headerName": h, "width": w, "sortable": True, **extra}
                   for f, h, w, extra in cols]
    return dag.AgGrid(
        id=Ids.GRID, rowModelType="infinite", columnDefs=column_defs,
        defaultColDef={"resizable": True, "filter": False},
        dashGridOptions={"pagination": True, "paginationPageSize": 20, "cacheBlockSize": 20, "rowBuffer": 0,
                         "maxBlocksInCache": 20, "infiniteInitialRowCount": 20, "suppressCellFocus": False,
                         "localeText": {"page": "Page", "of": "sur", "to": "à", "next": "Suivante",
                                        "previous": "Précédente", "first": "Première", "last": "Dernière",
                                        "loadingOoo": "Chargement…", "noRowsToShow": t("empty", lang)}
                         if fr else {}},
        style={"height": "520px", "width": "100%"}, className="ag-theme-quartz",
    )


NAV = (("/", "nav_home"), ("/suivi", "nav_monitor"), ("/donnees", "nav_data"), ("/api/v1/", "nav_api"))


def frame(lang: str, facts: BuildFacts, permalink: str, body, current: str, search: str = "") -> html.Div:
    """What every page shares: skip link, header with navigation and language, demo banner, the state stores,
    the footer with the build's facts."""
    banner = html.Div(t("demo_banner", lang), className="demo-banner", role="status", id="demo-banner") \
        if facts.is_demo else None
    footer_text = t("footer", lang, date=facts.built_at if lang == "fr" else facts.built_at_en,
                    files=", ".join(facts.source_files),
                    loaded=number(facts.loaded, lang), rejected=number(facts.rejected, lang),
                    geo=facts.geometry_sources)
    suffix = "?lang=en" if lang == "en" else ""
    nav = html.Nav([html.A(t(key, lang), href=path + ("" if path.startswith("/api") else suffix),
                           className="current" if path == current else None,
                           **({"aria-current": "page"} if path == current else {}))
                    for path, key in NAV], className="nav", **{"aria-label": "Navigation"})
    return html.Div([
        html.A(t("skip", lang), href="#main", className="skip"),
        html.Header([
            html.Div([html.H1(t("title", lang)), html.P(t("subtitle", lang), className="subtitle"), nav]),
            html.Form([
                html.Label(t("search_label", lang), htmlFor="site-search", className="visually-hidden"),
                dcc.Input(id="site-search", name="q", type="search", value=search, placeholder=t("search_label", lang),
                          className="search", minLength=2, maxLength=100),
                *([dcc.Input(type="hidden", name="lang", value="en")] if lang == "en" else []),
                html.Button(t("search_button", lang), type="submit"),
            ], action="/recherche", method="get", role="search", className="site-search"),
            html.A(t("language", lang), id=Ids.LANG_LINK, href="?lang=en" if lang == "fr" else "?",
                   hrefLang="en" if lang == "fr" else "fr", className="lang"),
        ], className="top"),
        banner,
        dcc.Store(id=Ids.LANG, data=lang),
        dcc.Store(id=Ids.PERMALINK, data=permalink),
        html.Div(id="url-sync", hidden=True),
        body,
        html.Footer(html.P(footer_text), className="footer"),
    ], lang=lang, className="page")


def page(f: Filters, o: Options, facts: BuildFacts) -> html.Div:
    lang = f.lang
    metric_options = [{"label": t("m_partnerships", lang), "value": "partenariats"},
                      {"label": t("m_authorities", lang), "value": "collectivites"},
                      {"label": t("m_budget", lang), "value": "budget"}]
    return frame(lang, facts, f.to_query(), html.Div([
        html.Div(id="grid-sync", hidden=True),
        html.Div([
            filters_panel(f, o),
            html.Main([
                html.Section([
                    _kpi(Ids.KPI_PARTNERSHIPS, t("kpi_partnerships", lang)),
                    _kpi(Ids.KPI_AUTHORITIES, t("kpi_authorities", lang)),
                    _kpi(Ids.KPI_COUNTRIES, t("kpi_countries", lang)),
                    _kpi(Ids.KPI_BUDGET, t("kpi_budget", lang), Ids.KPI_BUDGET_NOTE),
                ], className="kpis", **{"aria-live": "polite"}),
                html.Div(id=Ids.EMPTY, className="empty", role="status"),
                html.Div([
                    html.Fieldset([
                        html.Legend(t("metric", lang)),
                        dcc.RadioItems(id=Ids.METRIC, options=metric_options, value=f.mesure, inline=True),
                    ], className="metric"),
                    html.Div([
                        html.Button(t("copy_link", lang), id=Ids.COPY_LINK, n_clicks=0),
                        html.Span(id=Ids.COPY_STATUS, role="status", className="copy-status"),
                        html.A(t("download_csv", lang), id=Ids.CSV_LINK, href="/telecharger.csv", download="",
                               className="button"),
                    ], className="actions"),
                ], className="toolbar"),
                html.Div([
                    _map_card(Ids.WORLD, t("map_world", lang), [t("map_hint", lang), " ", html.Button(
                        t("clear_country", lang), id=Ids.CLEAR_COUNTRY, n_clicks=0, className="link")], lang,
                        "card map-card wide"),
                    _map_card(Ids.FRANCE, t("map_france", lang), [t("map_hint_fr", lang), " ", html.A(
                        t("region_link", lang), id="region-link", href="/region/", hidden=f.region is None)], lang,
                        "card map-card"),
                ], className="maps"),
                html.Div([_chart(c, lang) for c in CHARTS], className="charts"),
                html.Section([
                    html.H2(t("table", lang)),
                    html.Div([
                        html.Label(t("search_table", lang), htmlFor=Ids.SEARCH, className="visually-hidden"),
                        dcc.Input(id=Ids.SEARCH, type="search", debounce=0.4, placeholder=t("search_table", lang),
                                  className="search"),
                        html.Span(id=Ids.TABLE_COUNT, className="table-count", role="status"),
                    ], className="table-tools"),
                    _grid(lang),
                ], className="card table-card"),
            ], id="main", tabIndex="-1"),
        ], className="body"),
    ]), "/")
