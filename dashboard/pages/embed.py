"""One chart of the dashboard for an <iframe> (``/embed/<chart>?<filters>``): the chart, its summary and a
source line linking to the full view. The only pages other sites may frame."""

from __future__ import annotations

from dash import dcc, html

from dashboard import links
from dashboard.catalogue import CHART
from dashboard.components import filter_summary, graph_config
from dashboard.filters import Filters
from dashboard.i18n import date, t
from dashboard.pages import home, not_found
from dashboard.pages.registry import Page


def known(_snap, chart: str = "") -> bool:
    return chart in CHART


def layout(snap, chart: str = "", **query) -> html.Div:
    f = Filters.from_query(query, snap.vocab)
    lang = f.lang
    if not known(snap, chart):
        return not_found.layout(snap, **query)
    spec = CHART[chart]
    out = snap.memo(("home", f), lambda: home.view(snap, f))  # the dashboard's own view of these filters
    return html.Main([
        html.H1(t(spec.title, lang), className="embed-title"),
        html.P(filter_summary(f, snap.vocab, lang), className="embed-filters", id="embed-filters"),
        html.Div(t("demo_banner", lang), className="demo-banner") if snap.facts.is_demo else None,
        dcc.Graph(id="embed-graph", figure=out[f"{chart}.figure"], config=graph_config(lang), className="embed-graph",
                  style={"minHeight": "160px"}),
        html.P(out[f"{chart}-summary.children"], className="summary"),
        html.P(html.A(t("embed_source", lang, date=date(snap.facts.built_at, lang)), href=links.home(f.to_query()),
                      target="_blank", rel="noopener"), className="print-source"),
    ], className="embed-view", lang=lang, id="main")


PAGE = Page("embed", "title", layout, template="/embed/<chart>", order=7, known=known)
