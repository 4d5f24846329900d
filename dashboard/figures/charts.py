"""Charts of partnerships by theme, ODD, budget, start year, country and French authority.

Each builder returns ``(figure, summary)``: the summary is the chart's text alternative, one sentence computed
from the same data.
"""

from __future__ import annotations

import html

import pandas as pd

from dashboard.figures.common import BAR, CONTINENT_COLOURS, GRID, Figure, empty_figure, figure, values
from dashboard.i18n import euros, number, percent, t


def _hbar(labels: list[str], amounts: list[float], lang: str, colours=None, money: bool = False,
          customdata=None) -> Figure:
    text = [euros(v, lang) if money else number(v, lang) for v in amounts]
    labels = [html.escape(str(lab)) for lab in labels]  # plotly renders a subset of HTML in labels: data is text
    bar = {"type": "bar", "orientation": "h", "x": amounts, "y": labels, "marker": {"color": colours or BAR},
           "text": text, "textposition": "auto", "textangle": 0, "cliponaxis": False, "hoverinfo": "text",
           "hovertext": [f"{lab} : {tx}" for lab, tx in zip(labels, text)]}
    if customdata is not None:
        bar["customdata"] = customdata
    return figure([bar], lang, yaxis={"autorange": "reversed", "automargin": True, "ticklabelstandoff": 4},
                  xaxis={"showgrid": True, "gridcolor": GRID, "zeroline": False})


def _lead(label: str, value: float, total: float, lang: str) -> str:
    """Who comes first, with how many partnerships and what share of all."""
    return t("lead", lang, label=label, value=number(value, lang), share=percent(value / total if total else None,
                                                                               lang))


def ranking(df: pd.DataFrame, label: str, key: str, total: int, lang: str) -> tuple[Figure, str]:
    """Horizontal bars of partnerships, largest first, and who leads with what share."""
    if df.empty:
        return empty_figure(t("empty", lang), lang), t("empty", lang)
    labels = list(df[label])
    fig = _hbar(labels, values(df["partnerships"]), lang, customdata=values(df[key]))
    return fig, _lead(labels[0], df["partnerships"].iloc[0], total, lang)


def themes_chart(df: pd.DataFrame, total: int, lang: str) -> tuple[Figure, str]:
    return ranking(df, f"label_{lang}", "code", total, lang)


def odd_chart(df: pd.DataFrame, total: int, lang: str) -> tuple[Figure, str]:
    """All 17 goals in their official colours, with their French (or English) short names."""
    labels = [f"{n}. {lab}" for n, lab in zip(df["number"], df[f"label_{lang}"])]
    labels = [lab if len(lab) <= 42 else lab[:40] + "…" for lab in labels]
    fig = _hbar(labels, values(df["partnerships"]), lang, colours=values(df["colour"]),
                customdata=values(df["number"]))
    if df["partnerships"].sum() == 0:
        return fig, t("empty", lang)
    top = df.nlargest(1, "partnerships").iloc[0]
    return fig, _lead(t("odd_short", lang, n=top["number"]), top["partnerships"], total, lang)


def _bin_label(low: float, high: float | None, lang: str) -> str:
    if high is None or pd.isna(high):
        return f"≥ {euros(low, lang)}"
    if low == 0:
        return f"< {euros(high, lang)}"
    return f"{euros(low, lang)} – {euros(high, lang)}"


def budget_distribution(bins: pd.DataFrame, known: int, count: int, lang: str) -> tuple[Figure, str]:
    unknown_note = t("unknown_budget_share", lang, share=percent((count - known) / count if count else None, lang),
                     n=number(count - known, lang))
    if not known:
        return empty_figure(unknown_note, lang), unknown_note
    labels = [_bin_label(r.low, r.high, lang) for r in bins.itertuples()]
    counts = values(bins["partnerships"])
    fig = figure([{"type": "bar", "x": labels, "y": counts, "marker": {"color": BAR}, "textposition": "auto",
                   "text": [number(v, lang) for v in counts], "hoverinfo": "text",
                   "hovertext": [f"{lab} : {number(v, lang)}" for lab, v in zip(labels, counts)]}], lang,
                 yaxis={"title": {"text": t("count", lang)}, "gridcolor": GRID}, margin={"t": 36},
                 annotations=[{"text": unknown_note, "xref": "paper", "yref": "paper", "x": 0, "y": 1.12,
                               "showarrow": False, "xanchor": "left", "font": {"size": 12, "color": "#52606d"}}])
    top = bins.nlargest(1, "partnerships").iloc[0]
    lead = _bin_label(top["low"], top["high"], lang)
    return fig, f"{t('budget_mode', lang, bin=lead)} {unknown_note}"


def budget_by_zone(df: pd.DataFrame, total_budget: float, lang: str) -> tuple[Figure, str]:
    """Known budget per zone. Zones overlap, so the bars are not stacked and need not add up."""
    if not df["budget_known"].sum():
        return empty_figure(t("empty", lang), lang), t("empty", lang)
    labels = values(df[f"label_{lang}"])
    fig = _hbar(labels, values(df["budget"]), lang, money=True, customdata=values(df["code"]))
    shares = {code: (b / total_budget if total_budget else None) for code, b in zip(df["code"], df["budget"])}
    parts = []
    for code in ("sahel", "maghreb", "afrique"):
        if code in shares:
            label = df.loc[df["code"] == code, f"label_{lang}"].iloc[0]
            parts.append(f"{label} {percent(shares[code], lang)}")
    return fig, t("zone_budget_summary", lang, parts=", ".join(parts))


def years_chart(df: pd.DataFrame, value: str, continents: dict[str, str], lang: str) -> tuple[Figure, str]:
    """Stacked bars by start year and continent; ``value`` is ``partnerships`` or ``budget``; ``continents``:
    code → name in ``lang`` (from the zones table)."""
    if df.empty:
        return empty_figure(t("empty", lang), lang), t("empty", lang)
    fmt = (lambda v: euros(v, lang)) if value == "budget" else (lambda v: number(v, lang))
    traces = []
    for continent in [c for c in CONTINENT_COLOURS if c in set(df["continent"])]:
        part = df[df["continent"] == continent]
        name = continents.get(continent) or t("other", lang)
        traces.append({"type": "bar", "name": name, "x": values(part["year"]), "y": values(part[value]),
                       "marker": {"color": CONTINENT_COLOURS[continent]}, "hoverinfo": "text",
                       "hovertext": [f"{name} {y} : {fmt(v)}" for y, v in zip(part["year"], part[value])]})
    fig = figure(traces, lang, barmode="stack", bargap=0.1, showlegend=True,
                 legend={"orientation": "h", "y": -0.25},
                 yaxis={"gridcolor": GRID, "title": {"text": t("budget_eur" if value == "budget" else "count", lang)}},
                 xaxis={"title": {"text": t("year", lang)}})
    per_year = df.groupby("year")[value].sum()
    peak = int(per_year.idxmax())
    amount = euros(per_year.max(), lang) if value == "budget" else number(per_year.max(), lang)
    first, last = int(per_year.index.min()), int(per_year.index.max())
    return fig, t("years_summary", lang, first=first, last=last, peak=peak, amount=amount)


def top_countries(stats: pd.DataFrame, countries: pd.DataFrame, total: int, lang: str,
                  n: int = 15) -> tuple[Figure, str]:
    data = stats.nlargest(n, "partnerships").merge(countries, on="iso3")
    return ranking(data, f"name_{lang}", "iso3", total, lang)


def top_authorities(df: pd.DataFrame, total: int, lang: str) -> tuple[Figure, str]:
    return ranking(df, "name", "key", total, lang)
