"""Figures of the rebalancing monitor: the zone's share by year, entries and exits, change by zone."""

from __future__ import annotations

import html

import pandas as pd

from dashboard.figures.common import BAR, GRID, Figure, empty_figure, figure, values
from dashboard.i18n import euros, number, percent, signed, t

ACCENT = "#D55E00"


def share_chart(years: pd.DataFrame, zone_label: str, lang: str) -> tuple[Figure, str]:
    """Active partnerships in the zone (bars) and the zone's share of all active partnerships (line)."""
    if years.empty or not years["all_active"].sum():
        return empty_figure(t("empty", lang), lang), t("empty", lang)
    definition = t("def_active", lang)
    share = [None if v != v else round(100 * v, 2) for v in years["zone_share"]]
    fig = figure([
        {"type": "bar", "name": t("mon_active", lang), "x": values(years["year"]), "y": values(years["zone_active"]),
         "marker": {"color": BAR}, "hovertemplate": f"%{{x}} : %{{y}} {t('mon_active', lang)}<br>{definition}"
                                                     "<extra></extra>"},
        {"type": "scatter", "mode": "lines+markers", "name": t("mon_share", lang), "x": values(years["year"]),
         "y": share, "yaxis": "y2", "line": {"color": ACCENT, "width": 2.5},
         "hovertemplate": f"%{{x}} : %{{y:.1f}} % {t('mon_share_hover', lang)}<extra></extra>"},
    ], lang, showlegend=True, legend={"orientation": "h", "y": -0.2},
        yaxis={"title": {"text": t("mon_active", lang)}, "gridcolor": GRID},
        yaxis2={"title": {"text": "%"}, "overlaying": "y", "side": "right", "rangemode": "tozero",
                "showgrid": False, "automargin": True, "tickformat": ".0f"})
    valid = years[years["all_active"] > 0]
    first, last = valid.iloc[0], valid.iloc[-1]
    first_year, last_year = int(first["year"]), int(last["year"])
    delta = 100 * (last["zone_share"] - first["zone_share"])
    return fig, t("mon_share_summary", lang, zone=zone_label, first=percent(first["zone_share"], lang),
                  first_year=first_year, last=percent(last["zone_share"], lang), last_year=last_year,
                  delta=signed(delta, lang))


def budget_share_chart(years: pd.DataFrame, zone_label: str, lang: str) -> tuple[Figure, str]:
    if years.empty or not years["all_budget"].sum():
        return empty_figure(t("empty", lang), lang), t("empty", lang)
    share = [None if v != v else round(100 * v, 2) for v in years["budget_share"]]
    fig = figure([
        {"type": "bar", "name": t("mon_budget", lang), "x": values(years["year"]), "y": values(years["zone_budget"]),
         "marker": {"color": BAR}, "hovertext": [f"{y} : {euros(v, lang)}" for y, v in
                                                 zip(years["year"], years["zone_budget"])], "hoverinfo": "text"},
        {"type": "scatter", "mode": "lines+markers", "name": t("mon_budget_share", lang), "x": values(years["year"]),
         "y": share, "yaxis": "y2", "line": {"color": ACCENT, "width": 2.5},
         "hovertemplate": f"%{{x}} : %{{y:.1f}} % {t('mon_budget_share_hover', lang)}<extra></extra>"},
    ], lang, showlegend=True, legend={"orientation": "h", "y": -0.2},
        yaxis={"title": {"text": "€"}, "gridcolor": GRID},
        yaxis2={"title": {"text": "%"}, "overlaying": "y", "side": "right", "rangemode": "tozero",
                "showgrid": False, "automargin": True, "tickformat": ".0f"})
    last = years[years["all_budget"] > 0].iloc[-1]
    year = int(last["year"])
    return fig, t("mon_budget_summary", lang, year=year, zone=zone_label, share=percent(last["budget_share"], lang),
                  amount=euros(last["zone_budget"], lang))


def flows_chart(years: pd.DataFrame, lang: str) -> tuple[Figure, str]:
    """Partnerships entering (start year) and leaving (last active year) the zone each year."""
    if years.empty:
        return empty_figure(t("empty", lang), lang), t("empty", lang)
    fig = figure([
        {"type": "bar", "name": t("mon_entries", lang), "x": values(years["year"]), "y": values(years["entries"]),
         "marker": {"color": "#009E73"}, "hovertemplate": f"%{{x}} : %{{y}} {t('mon_entries', lang)}<br>"
                                                          f"{t('def_entries', lang)}<extra></extra>"},
        {"type": "bar", "name": t("mon_exits", lang), "x": values(years["year"]),
         "y": [-v for v in values(years["exits"])], "marker": {"color": ACCENT},
         "customdata": values(years["exits"]),
         "hovertemplate": f"%{{x}} : %{{customdata}} {t('mon_exits', lang)}<br>{t('def_exits', lang)}"
                          "<extra></extra>"},
    ], lang, barmode="relative", showlegend=True, legend={"orientation": "h", "y": -0.2},
        yaxis={"gridcolor": GRID, "zeroline": True, "zerolinecolor": "#52606d"})
    entries, exits = int(years["entries"].sum()), int(years["exits"].sum())
    return fig, t("mon_flows_summary", lang, entries=number(entries, lang), exits=number(exits, lang))


def periods_chart(periods: pd.DataFrame, p1: tuple[int, int], p2: tuple[int, int],
                  lang: str) -> tuple[Figure, str]:
    """Change of each zone's share of active partnerships between two periods, in points."""
    if periods.empty or periods["p1_share"].isna().all():
        return empty_figure(t("empty", lang), lang), t("empty", lang)
    labels = [html.escape(x) for x in periods[f"label_{lang}"]]
    delta = [round(100 * ((b if b == b else 0) - (a if a == a else 0)), 2)
             for a, b in zip(periods["p1_share"], periods["p2_share"])]
    hover = [f"{lab} : {percent(a, lang)} ({p1[0]}–{p1[1]}) → {percent(b, lang)} ({p2[0]}–{p2[1]})"
             for lab, a, b in zip(labels, periods["p1_share"], periods["p2_share"])]
    fig = figure([{"type": "bar", "orientation": "h", "x": delta, "y": labels, "hovertext": hover,
                   "hoverinfo": "text", "marker": {"color": [BAR if d >= 0 else ACCENT for d in delta]},
                   "text": [signed(d, lang) for d in delta], "textposition": "auto"}], lang,
                 yaxis={"autorange": "reversed", "automargin": True},
                 xaxis={"title": {"text": t("mon_points", lang)}, "gridcolor": GRID, "zeroline": True})
    i = max(range(len(delta)), key=lambda k: abs(delta[k]))
    return fig, t("mon_periods_summary", lang, zone=labels[i], delta=signed(delta[i], lang),
                  p1=f"{p1[0]}–{p1[1]}", p2=f"{p2[0]}–{p2[1]}")
