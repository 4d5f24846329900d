"""A region's international footprint (``/region/<code>``): headline figures with its rank among the 18 by
partnerships, its partnerships per 100,000 inhabitants and its rank by that rate, its network, partner map, top
partners, themes, ODD, budget and its authorities; and the same view laid out as a 16:9 slide or an A4 page
(``?vue=diapo|a4``) for the PNG and PDF exports."""

from __future__ import annotations

from dash import dcc, html

from dashboard import links, queries
from dashboard.catalogue import CHART, Context
from dashboard.components import data_table, frame, graph_config, page_main
from dashboard.filters import Filters
from dashboard.i18n import lang_of, number, ordinal, t, timestamp, tn
from dashboard.pages import common, not_found
from dashboard.pages.registry import Page

TOP = 12  # partners and themes shown
AUTHORITIES = 25  # authorities listed before "see all"
CHARTS = (("r-map", "map-world", 420, "card chart"), ("r-countries", "ch-top-countries", 420, "card chart"),
          ("r-themes", "ch-themes", 400, "card chart"), ("r-odd", "ch-odd", 480, "card chart"),
          ("r-budget", "ch-budget-dist", 340, "card chart"), ("r-budget-zone", "ch-budget-zone", 340, "card chart"))
PRINT_CHARTS = (("p-map", "map-world", "print-map"), ("p-countries", "ch-top-countries", "print-chart"),
                ("p-themes", "ch-themes", "print-chart"))
VIEWS = ("diapo", "a4")


def _extra(summary: dict, lang: str) -> list[tuple[str, str]]:
    """The region among the 18: its rank by partnerships, its partnerships per 100,000 inhabitants and its rank by
    that rate."""
    per, rank = summary.get("per_100k"), summary.get("rank_per_capita")
    return [(t("rank_value", lang, rank=ordinal(int(summary["rank"]), lang)), t("rank_label", lang)),
            (number(per, lang, 1) if per is not None else "—", t("per_100k", lang)),
            (t("rank_value", lang, rank=ordinal(int(rank), lang)) if per is not None else "—",
             t("rank_per_capita_label", lang))]


def known(snap, code: str = "") -> bool:
    return code in snap.vocab.codes("region")


def layout(snap, code: str = "", **query) -> html.Div:
    lang = lang_of(query.get("lang"))
    if not known(snap, code):
        return not_found.layout(snap, **query)
    summary = queries.region_summary(snap.store, code)
    f = Filters(region=code, lang=lang)
    v = Context(snap.store, snap.reference, f, top=TOP)
    if query.get("vue") in VIEWS:
        return _print(snap, v, summary, query["vue"])
    every = queries.region_authorities(snap.store, code)
    everything = query.get("toutes") == "1"
    authorities = every if everything else every.head(AUTHORITIES)
    table = data_table(t("region_authorities", lang), [t("col_authority", lang), t("f_type", lang),
                                                        t("kpi_partnerships", lang), t("kpi_countries", lang),
                                                        t("ch_themes", lang)],
                       [[html.A(r.name, href=links.authority(r.key, lang)), snap.vocab.label("type", r.type, lang),
                         number(r.partnerships, lang), ", ".join(_strings(getattr(r, f"countries_{lang}"))[:6])
                         + ("…" if len(_strings(r.countries_fr)) > 6 else ""),
                         ", ".join(_strings(getattr(r, f"top_themes_{lang}")))] for r in authorities.itertuples()],
                       id_="region-authorities")
    network = t("pair", lang, label=t("rrma_label", lang), value=summary["rrma"]) if summary["rrma"] else ""
    exports = [html.A(t("export_png", lang), href=links.export(code, "png", lang), className="button",
                      id="export-png"), " ",
               html.A(t("export_pdf", lang), href=links.export(code, "pdf", lang), className="button",
                      id="export-pdf"), " "]
    body = page_main([
        html.H2(summary["name"]),
        html.P(" · ".join(x for x in (network, t("population", lang, n=number(summary["population"], lang))) if x),
               className="subtitle-dark"),
        common.headline(v, _extra(summary, lang), "kpis seven"),
        common.actions(f.to_query(), lang, before=exports),
        html.Div(common.cards(v, CHARTS), className="charts"),
        html.Div([table, html.P(html.A(tn("region_all_authorities", len(every), lang),
                                       href=links.region(code, lang, everything=True), id="all-authorities"))
                  if len(every) > len(authorities) else None], className="card"),
    ])
    return frame(lang, snap.facts, links.lang_query(lang), body, "/region", title=summary["name"])


def _strings(value) -> list[str]:
    """A DuckDB list column's cell (array, list or missing) as a list of strings."""
    if value is None or (isinstance(value, float) and value != value):
        return []
    return [str(v) for v in list(value)]


def _print(snap, v: Context, summary: dict, view: str) -> html.Div:
    """The view exported as a 16:9 slide or an A4 page: title, date, key figures, map, two charts, source."""
    facts, lang = snap.facts, v.lang
    graphs = []
    for graph_id, chart_id, class_name in PRINT_CHARTS:
        chart = CHART[chart_id]
        graphs.append(html.Div([html.H3(t(chart.title, lang)),
                                dcc.Graph(figure=chart.build(v)[0], config=graph_config(lang, static=True),
                                          className="print-graph", id=graph_id)], className=class_name))
    return html.Div([
        html.Header([html.H1(t("region_slide_title", lang, name=summary["name"])),
                     html.P(t("slide_date", lang, date=timestamp(facts.built_at, lang)))], className="print-head"),
        html.Div(t("demo_banner", lang), className="demo-banner") if facts.is_demo else None,
        common.headline(v, _extra(summary, lang), "kpis seven"),
        html.Div(graphs, className="print-grid"),
        html.Footer(facts.source_line(lang), className="print-source"),
    ], className=f"print print-{view}", lang=lang, id="print-ready")


PAGE = Page("region", "page_region", layout, template="/region/<code>", order=6, known=known,
            name_of=lambda snap, lang, code: snap.vocab.label("region", code, lang).split(" — ")[0]
            if known(snap, code) else None)
