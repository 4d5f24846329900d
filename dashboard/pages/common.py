"""What the profile pages (authority, country, region) share: their charts taken from the catalogue, and the
actions row (download this page's partnerships, open them in the dashboard)."""

from __future__ import annotations

from dash import html

from dashboard import links
from dashboard.catalogue import CHART, Context, build_all
from dashboard.components import chart_card, kpi_cards
from dashboard.figures.charts import rows_height
from dashboard.i18n import euros, number, t, tn


def cards(v: Context, items: tuple[tuple[str, str, int | None, str], ...]) -> list[html.Figure]:
    """``items``: (graph id on this page, chart id in the catalogue, height or None for the chart's own, class)."""
    out, charts = [], [CHART[chart_id] for _, chart_id, _, _ in items]
    built = build_all(charts, v)
    for (graph_id, _, height, class_name), chart, (figure, summary) in zip(items, charts, built):
        height = max(height or chart.height, rows_height(figure))  # a long ranking takes the room it needs
        out.append(chart_card(graph_id, t(chart.title, v.lang), height, v.lang, figure=figure,
                              summary=summary, class_name=class_name))
    return out


def headline(v: Context, extra: list[tuple[str, str]] = (), class_name: str = "kpis") -> html.Section:
    """The four key figures of a profile (and ``extra`` ones)."""
    k, lang = v.kpis, v.lang
    n, authorities, countries = (int(k[c] or 0) for c in ("partnerships", "authorities", "countries"))
    return kpi_cards([(number(n, lang), tn("unit_partnerships", n, lang)),
                      (number(authorities, lang), tn("unit_authorities", authorities, lang)),
                      (number(countries, lang), tn("unit_countries", countries, lang)),
                      (euros(k["budget"] or 0, lang), t("kpi_budget", lang)), *extra], class_name=class_name)


def actions(query: str, lang: str, before: list = ()) -> html.P:
    """Download this page's partnerships, or open them in the dashboard."""
    return html.P([*before, html.A(t("download_csv", lang), href=links.csv(query), className="button"), " ",
                   html.A(t("open_dashboard", lang), href=links.home(query))], className="actions")
