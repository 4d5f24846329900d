"""Charts of partnerships by theme, ODD, budget, start year, country and French authority.

Each builder returns ``(figure, summary)``: the summary is the chart's text alternative, one sentence computed
from the same data.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.common import BAR, CONTINENT_COLOURS, base_layout, empty_figure
from dashboard.i18n import CONTINENTS, euros, number, percent, t


def _hbar(labels: list[str], values: list[float], lang: str, colours=None, money: bool = False,
          customdata=None) -> go.Figure:
    text = [euros(v, lang) if money else number(v, lang) for v in values]
    fig = go.Figure(go.Bar(
        x=values, y=labels, orientation="h", marker_color=colours or BAR, text=text, textposition="auto",
        cliponaxis=False, customdata=customdata,
        hovertext=[f"{html.escape(lab)} : {tx}" for lab, tx in zip(labels, text)], hoverinfo="text",
    ))
    fig.update_yaxes(autorange="reversed", automargin=True, ticklabelstandoff=4)
    fig.update_xaxes(showgrid=True, gridcolor="#eceff1", zeroline=False)
    return base_layout(fig, lang)


def _lead(label: str, value: float, total: float, lang: str, what: str) -> str:
    share = percent(value / total if total else None, lang)
    if lang == "en":
        return f"{label} comes first with {number(value, lang)} {what} ({share})."
    return f"{label} arrive en tête avec {number(value, lang)} {what} ({share})."


def themes_chart(df: pd.DataFrame, total: int, lang: str) -> tuple[go.Figure, str]:
    if df.empty:
        return empty_figure(t("empty", lang), lang), t("empty", lang)
    labels = list(df["label_en" if lang == "en" else "label_fr"])
    fig = _hbar(labels, list(df["partnerships"]), lang, customdata=list(df["code"]))
    return fig, _lead(labels[0], df["partnerships"].iloc[0], total, lang, t("kpi_partnerships", lang))


def odd_chart(df: pd.DataFrame, total: int, lang: str) -> tuple[go.Figure, str]:
    """All 17 goals in their official colours, with their French (or English) short names."""
    labels = [f"{n}. {lab}" for n, lab in zip(df["number"], df["label_en" if lang == "en" else "label_fr"])]
    labels = [lab if len(lab) <= 42 else lab[:40] + "…" for lab in labels]
    fig = _hbar(labels, list(df["partnerships"]), lang, colours=list(df["colour"]), customdata=list(df["number"]))
    if df["partnerships"].sum() == 0:
        return fig, t("empty", lang)
    top = df.nlargest(1, "partnerships").iloc[0]
    with_odd = f" {'ODD' if lang == 'fr' else 'SDG'} {top['number']}"
    return fig, _lead(with_odd.strip(), top["partnerships"], total, lang, t("kpi_partnerships", lang))


def _bin_label(low: float, high: float | None, lang: str) -> str:
    if high is None or pd.isna(high):
        return f"≥ {euros(low, lang)}"
    if low == 0:
        return f"< {euros(high, lang)}"
    return f"{euros(low, lang)} – {euros(high, lang)}"


def budget_distribution(bins: pd.DataFrame, known: int, count: int, lang: str) -> tuple[go.Figure, str]:
    unknown_note = t("unknown_budget_share", lang, share=percent((count - known) / count if count else None, lang),
                     n=number(count - known, lang))
    if not known:
        return empty_figure(unknown_note, lang), unknown_note
    labels = [_bin_label(r.low, r.high, lang) for r in bins.itertuples()]
    fig = go.Figure(go.Bar(x=labels, y=bins["partnerships"], marker_color=BAR,
                           text=[number(v, lang) for v in bins["partnerships"]], textposition="auto",
                           hovertext=[f"{lab} : {number(v, lang)}" for lab, v in zip(labels, bins["partnerships"])],
                           hoverinfo="text"))
    fig.update_yaxes(title=t("count", lang), gridcolor="#eceff1")
    fig.add_annotation(text=unknown_note, xref="paper", yref="paper", x=0, y=1.12, showarrow=False, xanchor="left",
                       font={"size": 12, "color": "#52606d"})
    fig = base_layout(fig, lang)
    fig.update_layout(margin={"t": 36})
    top = bins.nlargest(1, "partnerships").iloc[0]
    lead = _bin_label(top["low"], top["high"], lang)
    sentence = (f"Most known budgets are {lead}. " if lang == "en" else f"La tranche la plus fréquente est {lead}. ")
    return fig, sentence + unknown_note


def budget_by_continent(df: pd.DataFrame, lang: str) -> tuple[go.Figure, str]:
    df = df[df["budget_known"] > 0]
    if df.empty:
        return empty_figure(t("empty", lang), lang), t("empty", lang)
    labels = [CONTINENTS.get(c, {}).get(lang, c or t("unknown", lang)) for c in df["continent"]]
    colours = [CONTINENT_COLOURS.get(c, "#999999") for c in df["continent"]]
    fig = _hbar(labels, list(df["budget"]), lang, colours=colours, money=True)
    total = df["budget"].sum()
    share = percent(df["budget"].iloc[0] / total if total else None, lang)
    if lang == "en":
        return fig, f"{labels[0]} receives {share} of the known budget ({euros(df['budget'].iloc[0], lang)})."
    return fig, f"{labels[0]} reçoit {share} du budget connu ({euros(df['budget'].iloc[0], lang)})."


def years_chart(df: pd.DataFrame, value: str, lang: str) -> tuple[go.Figure, str]:
    """Stacked bars by start year and continent; ``value`` is ``partnerships`` or ``budget``."""
    if df.empty:
        return empty_figure(t("empty", lang), lang), t("empty", lang)
    fig = go.Figure()
    for continent in [c for c in CONTINENT_COLOURS if c in set(df["continent"])]:
        part = df[df["continent"] == continent]
        name = CONTINENTS[continent][lang]
        fmt = (lambda v: euros(v, lang)) if value == "budget" else (lambda v: number(v, lang))
        fig.add_trace(go.Bar(x=part["year"], y=part[value], name=name, marker_color=CONTINENT_COLOURS[continent],
                             hovertext=[f"{name} {y} : {fmt(v)}" for y, v in zip(part["year"], part[value])],
                             hoverinfo="text"))
    fig.update_layout(barmode="stack", bargap=0.1)
    fig.update_yaxes(gridcolor="#eceff1", title=t("budget_eur" if value == "budget" else "count", lang))
    fig.update_xaxes(title=t("year", lang))
    fig = base_layout(fig, lang)
    fig.update_layout(showlegend=True, legend={"orientation": "h", "y": -0.25})
    per_year = df.groupby("year")[value].sum()
    peak = int(per_year.idxmax())
    amount = euros(per_year.max(), lang) if value == "budget" else number(per_year.max(), lang)
    first, last = int(per_year.index.min()), int(per_year.index.max())
    if lang == "en":
        return fig, f"From {first} to {last}; the peak is {peak} with {amount}."
    return fig, f"De {first} à {last} ; le maximum est atteint en {peak} avec {amount}."


def top_countries(stats: pd.DataFrame, countries: pd.DataFrame, total: int, lang: str,
                  n: int = 15) -> tuple[go.Figure, str]:
    data = stats.nlargest(n, "partnerships").merge(countries, on="iso3")
    if data.empty:
        return empty_figure(t("empty", lang), lang), t("empty", lang)
    labels = list(data["name_en" if lang == "en" else "name_fr"])
    fig = _hbar(labels, list(data["partnerships"]), lang, customdata=list(data["iso3"]))
    return fig, _lead(labels[0], data["partnerships"].iloc[0], total, lang, t("kpi_partnerships", lang))


def top_authorities(df: pd.DataFrame, total: int, lang: str) -> tuple[go.Figure, str]:
    if df.empty:
        return empty_figure(t("empty", lang), lang), t("empty", lang)
    labels = list(df["name"])
    fig = _hbar(labels, list(df["partnerships"]), lang, customdata=list(df["key"]))
    return fig, _lead(labels[0], df["partnerships"].iloc[0], total, lang, t("kpi_partnerships", lang))
