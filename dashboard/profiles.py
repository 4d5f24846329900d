"""Pages that journalists land on: search results (``/recherche``), a French authority (``/collectivite/<key>``)
with who else works with its partners, and a partner country (``/pays/<iso3>``). Rendered on the server from
the same queries and figure builders as the dashboard; the figures are part of the page."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from dash import dcc, html

from dashboard import queries
from dashboard.figures import charts, maps
from dashboard.filters import Filters
from dashboard.i18n import euros, number, t
from dashboard.layout import GRAPH_CONFIG, data_table, frame

KIND_LABELS = {"collectivite": "kind_authority", "partenaire": "kind_partner", "pays": "kind_country"}


def _link(kind: str, key: str, lang: str) -> str:
    suffix = "?lang=en" if lang == "en" else ""
    if kind == "collectivite":
        return f"/collectivite/{quote(key, safe=':')}{suffix}"
    iso3 = key.split("|", 1)[0]
    return f"/pays/{iso3}{suffix}" + ("#partenaires" if kind == "partenaire" else "")


def _actions(qs: str, lang: str) -> html.P:
    """Download this page's partnerships, or open them in the dashboard."""
    return html.P([html.A(t("download_csv", lang), href=f"/telecharger.csv?{qs}", className="button"), " ",
                   html.A(t("open_dashboard", lang), href=f"/?{qs}")], className="actions")


def _graph(title: str, figure_and_text: tuple, id_: str, height: int = 360) -> html.Figure:
    fig, text = figure_and_text
    return html.Figure([html.H3(title, id=f"{id_}-title"),
                        dcc.Graph(id=id_, figure=fig, config=GRAPH_CONFIG, className="graph",
                                  style={"height": f"{height}px"}),
                        html.Figcaption(text, className="summary")],
                       className="card chart", **{"aria-labelledby": f"{id_}-title"})


def _kpis(k: dict, lang: str) -> html.Section:
    cards = [(number(k["partnerships"] or 0, lang), t("kpi_partnerships", lang)),
             (number(k["authorities"] or 0, lang), t("kpi_authorities", lang)),
             (number(k["countries"] or 0, lang), t("kpi_countries", lang)),
             (euros(k["budget"] or 0, lang), t("kpi_budget", lang))]
    return html.Section([html.Div([html.Div(v, className="kpi-value"), html.Div(label, className="kpi-label")],
                                  className="kpi") for v, label in cards], className="kpis")


def search_page(snap, query: dict) -> html.Div:
    lang = "en" if query.get("lang") == "en" else "fr"
    text = queries.valid_text(query.get("q"))[:100]
    results = queries.search(snap.store, text)
    items = [html.Li([html.A(r.label, href=_link(r.kind, r.key, lang)), " ",
                      html.Span(f"{t(KIND_LABELS[r.kind], lang)} · {r.detail} · {number(r.n, lang)}",
                                className="hint")]) for r in results.itertuples()]
    body = html.Main([
        html.H2(t("search_title", lang)),
        html.P(t("search_count", lang, n=number(len(results), lang), q=text) if text else t("search_help", lang)),
        html.Ol(items, className="results") if items else html.P(t("search_none", lang) if text else ""),
    ], id="main", tabIndex="-1")
    return frame(lang, snap.facts, urlencode({"q": text, **({"lang": "en"} if lang == "en" else {})}),
                 html.Div(body, className="body single"), "/recherche", search=text)


def authority_page(snap, key: str, query: dict) -> html.Div:
    lang = "en" if query.get("lang") == "en" else "fr"
    if key not in snap.vocab.authorities:
        return _not_found(snap, lang)
    store, f = snap.store, Filters(collectivite=key, lang=lang)
    info = store.df("""SELECT mode(fr_authority_name) AS name, any_value(fr_authority_type) AS type,
                              any_value(d.name) AS dep, any_value(r.name) AS region, any_value(rr.name) AS rrma,
                              any_value(p.fr_region_code) AS region_code
                       FROM partnerships p LEFT JOIN fr_departements d ON d.code = p.fr_departement_code
                       LEFT JOIN fr_regions r ON r.code = p.fr_region_code LEFT JOIN rrma rr ON rr.code = p.rrma
                       WHERE fr_authority_key = ?""", [key]).iloc[0]
    k = queries.kpis(store, f)
    ref = snap.reference
    region = ref.regions[ref.regions["code"] == info["region_code"]]
    origin = (float(region["centre_lon"].iloc[0]), float(region["centre_lat"].iloc[0])) if len(region) \
        else ref.france_centre
    stats = queries.by_country(store, f)
    world = maps.world_map(ref.countries, stats, "partenariats", lang, (), ref.world_url, origin)
    rows, _total = queries.partnerships_page(store, f, 0, 500, [{"colId": "start_year", "sort": "desc"}])
    name_col = "country_en" if lang == "en" else "country"
    table = data_table(t("table", lang), [t("year", lang), t("f_pays", lang), t("col_partner", lang),
                                      t("col_title", lang), t("budget_eur", lang)],
                   [[r.start_year if r.start_year == r.start_year else "—", getattr(r, name_col),
                     r.partner_authority_name or "—", r.title or "—", euros(r.budget_eur, lang)]
                    for r in rows.itertuples()])
    others = queries.who_else(store, key)
    who = data_table(t("who_else", lang), [t("col_partner", lang), t("f_pays", lang), t("col_authority", lang),
                                       t("kpi_partnerships", lang)],
                 [[r.partner, r.country, html.A(r.name, href=_link("collectivite", r.key, lang)),
                   number(r.partnerships, lang)] for r in others.itertuples()] or [[t("who_else_none", lang), "", "",
                                                                                    ""]], id_="who-else")
    near = queries.same_country_and_theme(store, key)
    theme_table = data_table(t("same_theme", lang), [t("f_pays", lang), t("f_theme", lang), t("col_authority", lang),
                                                 t("kpi_partnerships", lang)],
                         [[r.country, r.theme, html.A(r.name, href=_link("collectivite", r.key, lang)),
                           number(r.partnerships, lang)] for r in near.itertuples()])
    detail = " · ".join(str(x) for x in (t(f"type_{info['type']}", lang), info["dep"], info["region"], info["rrma"])
                        if isinstance(x, str) and x)
    qs = f.to_query()
    body = html.Main([
        html.H2(info["name"]), html.P(detail, className="subtitle-dark"),
        _kpis(k, lang),
        _actions(qs, lang),
        html.Div([
            html.Figure([html.H3(t("map_world", lang), id="a-map-title"),
                         dcc.Graph(id="a-map", figure=world, config=GRAPH_CONFIG, className="graph",
                                   style={"height": "420px"}),
                         html.Figcaption(maps.summary_world(stats, ref.countries, "partenariats", lang),
                                         className="summary")], className="card chart wide"),
            _graph(t("ch_themes", lang), charts.themes_chart(queries.by_theme(store, f), int(k["partnerships"]), lang),
                   "a-themes"),
            _graph(t("ch_years_count", lang), charts.years_chart(queries.by_year_continent(store, f), "partnerships",
                                                                 lang), "a-timeline"),
            _graph(t("ch_budget_dist", lang), charts.budget_distribution(
                queries.budget_bins(store, f), int(k["budget_known"] or 0), int(k["partnerships"] or 0), lang),
                "a-budget", 340),
        ], className="charts"),
        html.Div([html.Div(who, className="card"), html.Div(theme_table, className="card")], className="charts"),
        html.Div(table, className="card"),
    ], id="main", tabIndex="-1")
    return frame(lang, snap.facts, "lang=en" if lang == "en" else "", html.Div(body, className="body single"),
                 "/collectivite")


def country_page(snap, iso3: str, query: dict) -> html.Div:
    lang = "en" if query.get("lang") == "en" else "fr"
    iso3 = (iso3 or "").upper()
    if iso3 not in snap.vocab.countries:
        return _not_found(snap, lang)
    store, f = snap.store, Filters(pays=(iso3,), lang=lang)
    ref = snap.reference
    row = ref.countries[ref.countries["iso3"] == iso3].iloc[0]
    k = queries.kpis(store, f)
    count = int(k["partnerships"] or 0)
    france = maps.france_map(ref.regions, queries.by_region(store, f), "partenariats", lang, None, ref.regions_url,
                             ref.frames)
    partners = queries.partners_of_country(store, iso3)
    qs = f.to_query()
    body = html.Main([
        html.H2(row["name_en" if lang == "en" else "name_fr"]),
        _kpis(k, lang),
        _actions(qs, lang),
        html.Div([
            html.Figure([html.H3(t("map_france", lang), id="c-map-title"),
                         dcc.Graph(id="c-map", figure=france, config=GRAPH_CONFIG, className="graph",
                                   style={"height": "420px"})], className="card chart"),
            _graph(t("ch_top_authorities", lang),
                   charts.top_authorities(queries.top_authorities(store, f), count, lang), "c-authorities", 440),
            _graph(t("ch_themes", lang), charts.themes_chart(queries.by_theme(store, f), count, lang), "c-themes"),
            _graph(t("ch_years_count", lang), charts.years_chart(queries.by_year_continent(store, f),
                                                                 "partnerships", lang), "c-years"),
        ], className="charts"),
        html.Div(data_table(t("partners_of_country", lang), [t("col_partner", lang), t("kpi_authorities", lang),
                                                         t("col_authority", lang)],
                        [[r.partner, number(r.authorities, lang), r.names] for r in partners.itertuples()],
                        id_="partenaires"), className="card"),
    ], id="main", tabIndex="-1")
    return frame(lang, snap.facts, "lang=en" if lang == "en" else "", html.Div(body, className="body single"),
                 "/pays")


def _not_found(snap, lang: str) -> html.Div:
    return frame(lang, snap.facts, "", html.Div(html.Main([html.H2(t("not_found", lang)),
                                                            html.P(html.A(t("nav_home", lang), href="/"))],
                                                           id="main", tabIndex="-1"), className="body single"), "")


def _region_figures(snap, code: str, lang: str, top: int = 12):
    store, ref = snap.store, snap.reference
    f = Filters(region=code, lang=lang)
    k = queries.kpis(store, f)
    count = int(k["partnerships"] or 0)
    region = ref.regions[ref.regions["code"] == code]
    origin = (float(region["centre_lon"].iloc[0]), float(region["centre_lat"].iloc[0]))
    stats = queries.by_country(store, f)
    world = maps.world_map(ref.countries, stats, "partenariats", lang, (), ref.world_url, origin)
    themes = charts.themes_chart(queries.by_theme(store, f).head(top), count, lang)
    odd = charts.odd_chart(queries.by_odd(store, f), count, lang)
    countries = charts.top_countries(queries.top_countries(store, f, top), ref.countries, count, lang)
    return f, k, stats, world, themes, odd, countries


def _region_headline(summary: dict, k: dict, lang: str) -> list:
    per = summary.get("per_100k")
    return [
        (number(k["partnerships"] or 0, lang), t("kpi_partnerships", lang)),
        (number(k["authorities"] or 0, lang), t("kpi_authorities", lang)),
        (number(k["countries"] or 0, lang), t("kpi_countries", lang)),
        (euros(k["budget"] or 0, lang), t("kpi_budget", lang)),
        (t("rank_value", lang, rank=_ordinal(int(summary["rank"]), lang)), t("rank_label", lang)),
        (number(per, lang, 1) if per is not None else "—", t("per_100k", lang)),
    ]


def _strings(value) -> list[str]:
    """A DuckDB list column's cell (array, list or missing) as a list of strings."""
    if value is None or (isinstance(value, float) and value != value):
        return []
    return [str(v) for v in list(value)]


def _ordinal(n: int, lang: str) -> str:
    if lang == "en":
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10 if n not in (11, 12, 13) else 0, "th")
        return f"{n}{suffix}"
    return "1er" if n == 1 else f"{n}e"


def region_page(snap, code: str, query: dict) -> html.Div:
    lang = "en" if query.get("lang") == "en" else "fr"
    if code not in snap.vocab.regions:
        return _not_found(snap, lang)
    summary = queries.region_summary(snap.store, code)
    f, k, stats, world, themes, odd, countries = _region_figures(snap, code, lang)
    if query.get("vue") in ("diapo", "a4"):
        return _region_print(snap, summary, k, world, themes, countries, lang, query["vue"])
    cards = html.Section([html.Div([html.Div(v, className="kpi-value"), html.Div(label, className="kpi-label")],
                                   className="kpi") for v, label in _region_headline(summary, k, lang)],
                         className="kpis six")
    authorities = queries.region_authorities(snap.store, code)
    table = data_table(t("region_authorities", lang), [t("col_authority", lang), t("f_type", lang),
                                                    t("kpi_partnerships", lang), t("kpi_countries", lang),
                                                    t("ch_themes", lang)],
                   [[html.A(r.name, href=_link("collectivite", r.key, lang)), t(f"type_{r.type}", lang),
                     number(r.partnerships, lang), ", ".join(_strings(r.countries)[:6])
                     + ("…" if len(_strings(r.countries)) > 6 else ""),
                     ", ".join(_strings(r.top_themes))] for r in authorities.itertuples()])
    qs = f.to_query()
    suffix = "&lang=en" if lang == "en" else ""
    body = html.Main([
        html.H2(summary["name"]),
        html.P(" · ".join(x for x in (t("rrma_label", lang) + " : " + summary["rrma"] if summary["rrma"] else "",
                                       t("population", lang, n=number(summary["population"], lang))) if x),
               className="subtitle-dark"),
        cards,
        html.P([html.A(t("export_png", lang), href=f"/export/region/{code}.png?{suffix.lstrip('&')}",
                       className="button", id="export-png"), " ",
                html.A(t("export_pdf", lang), href=f"/export/region/{code}.pdf?{suffix.lstrip('&')}",
                       className="button", id="export-pdf"), " ",
                html.A(t("download_csv", lang), href=f"/telecharger.csv?{qs}"), " · ",
                html.A(t("open_dashboard", lang), href=f"/?{qs}")], className="actions"),
        html.Div([
            html.Figure([html.H3(t("map_world", lang), id="r-map-title"),
                         dcc.Graph(id="r-map", figure=world, config=GRAPH_CONFIG, className="graph",
                                   style={"height": "420px"}),
                         html.Figcaption(maps.summary_world(stats, snap.reference.countries, "partenariats", lang),
                                         className="summary")], className="card chart"),
            _graph(t("ch_top_countries", lang), countries, "r-countries", 420),
            _graph(t("ch_themes", lang), themes, "r-themes", 400),
            _graph(t("ch_odd", lang), odd, "r-odd", 480),
            _graph(t("ch_budget_dist", lang), charts.budget_distribution(
                queries.budget_bins(snap.store, f), int(k["budget_known"] or 0), int(k["partnerships"] or 0), lang),
                "r-budget", 340),
            _graph(t("ch_budget_zone", lang), charts.budget_by_zone(
                queries.by_zone(snap.store, f), float(k["budget"] or 0), lang), "r-budget-zone", 340),
        ], className="charts"),
        html.Div(table, className="card"),
    ], id="main", tabIndex="-1")
    return frame(lang, snap.facts, "lang=en" if lang == "en" else "", html.Div(body, className="body single"),
                 "/region")


def _region_print(snap, summary: dict, k: dict, world, themes, countries, lang: str, view: str) -> html.Div:
    """The view exported as a 16:9 slide or an A4 page: title, date, key figures, map, two charts, source."""
    facts = snap.facts
    date = facts.built_at if lang == "fr" else facts.built_at_en
    source = t("source_line", lang, date=date.split(" ")[0] if lang == "fr" else date, files=", ".join(
        facts.source_files))
    static = {**GRAPH_CONFIG, "staticPlot": True}
    return html.Div([
        html.Header([html.H1(t("region_slide_title", lang, name=summary["name"])),
                     html.P(t("slide_date", lang, date=date))], className="print-head"),
        html.Div(t("demo_banner", lang), className="demo-banner") if facts.is_demo else None,
        html.Section([html.Div([html.Div(v, className="kpi-value"), html.Div(label, className="kpi-label")],
                               className="kpi") for v, label in _region_headline(summary, k, lang)],
                     className="kpis six"),
        html.Div([
            html.Div([html.H3(t("map_world", lang)),
                      dcc.Graph(figure=world, config=static, className="print-graph", id="p-map")],
                     className="print-map"),
            html.Div([html.H3(t("ch_top_countries", lang)),
                      dcc.Graph(figure=countries[0], config=static, className="print-graph", id="p-countries")],
                     className="print-chart"),
            html.Div([html.H3(t("ch_themes", lang)),
                      dcc.Graph(figure=themes[0], config=static, className="print-graph", id="p-themes")],
                     className="print-chart"),
        ], className="print-grid"),
        html.Footer(source, className="print-source"),
    ], className=f"print print-{view}", lang=lang, id="print-ready")


def embed_page(snap, chart: str, query: dict) -> html.Div:
    """One chart of the dashboard with its permalink state and a source line, for an <iframe>."""
    from dashboard.layout import CHART_TITLES, HEIGHTS
    from dashboard.views import EMBEDDABLE, MAIN_OUTPUTS

    f = Filters.from_query(query, snap.vocab)
    lang = f.lang
    if chart not in EMBEDDABLE:
        return _not_found(snap, lang)
    outputs = dict(zip(MAIN_OUTPUTS, snap.render(f)))
    title = t({"map-world": "map_world", "map-france": "map_france"}.get(chart) or CHART_TITLES[chart], lang)
    date = snap.facts.built_at if lang == "fr" else snap.facts.built_at_en
    qs = f.to_query()
    return html.Main([
        html.H1(title, className="embed-title"),
        html.Div(t("demo_banner", lang), className="demo-banner") if snap.facts.is_demo else None,
        dcc.Graph(id="embed-graph", figure=outputs[(chart, "figure")], config=GRAPH_CONFIG,
                  style={"height": f"{min(HEIGHTS[chart], 420)}px"}),
        html.P(outputs[(f"{chart}-summary", "children")], className="summary"),
        html.P(html.A(t("embed_source", lang, date=date.split(" ")[0]), href=f"/?{qs}" if qs else "/",
                      target="_blank", rel="noopener"), className="print-source"),
    ], className="embed-view", lang=lang, id="main")
