"""One chart for an <iframe> (``/embed/<chart>?<state>``): a chart of the dashboard with its filters, or of the
monitor with its state, its summary and a source line linking to the full view. The only pages other sites may
frame."""

from __future__ import annotations

from dash import dcc, html

from dashboard import links
from dashboard.catalogue import CHART
from dashboard.components import filter_summary, graph_config
from dashboard.filters import Filters
from dashboard.i18n import date, t
from dashboard.pages import home, monitor, not_found
from dashboard.pages.registry import Page


def known(_snap, chart: str = "") -> bool:
    return chart in CHART or chart in monitor.CHART


def _dashboard(snap, chart: str, query: dict) -> tuple[str, str, dict, str]:
    f = Filters.from_query(query, snap.vocab)
    out = home.kept_view(snap, f)  # the dashboard's own view of these filters
    return f.lang, filter_summary(f, snap.vocab, f.lang), out, links.home(f.to_query())


def _monitor(snap, chart: str, query: dict) -> tuple[str, str, dict, str]:
    m = monitor.Monitor.from_query(query, snap.vocab)
    out = snap.memo(("monitor", m), lambda: monitor.view(snap.store, m, snap.vocab))  # the monitor's own view
    lang = m.filters.lang
    return lang, monitor.describe(m, snap.vocab, lang), out, links.monitor(m.to_query())


def layout(snap, chart: str = "", **query) -> html.Div:
    if not known(snap, chart):
        return not_found.layout(snap, **query)
    spec = CHART.get(chart) or monitor.CHART[chart]
    lang, shown, out, full = (_dashboard if chart in CHART else _monitor)(snap, chart, query)
    return html.Main([
        html.H1(t(spec.title, lang), className="embed-title"),
        html.P(shown, className="embed-filters", id="embed-filters"),
        html.Div(t("demo_banner", lang), className="demo-banner") if snap.facts.is_demo else None,
        dcc.Graph(id="embed-graph", figure=out[f"{chart}.figure"], config=graph_config(lang), className="embed-graph",
                  style={"minHeight": "160px"}),
        html.P(out[f"{chart}-summary.children"], className="summary"),
        html.P(html.A(t("embed_source", lang, date=date(snap.facts.built_at, lang)), href=full,
                      target="_blank", rel="noopener"), className="print-source"),
    ], className="embed-view", lang=lang, id="main")


PAGE = Page("embed", "title", layout, template="/embed/<chart>", order=7, known=known)
