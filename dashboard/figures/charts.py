"""Charts of partnerships by theme, ODD, budget, start year, country and French authority.

Each builder returns ``(figure, summary)``: the summary is the chart's text alternative, one sentence computed
from the same data.
"""

from __future__ import annotations

import html
import textwrap

import pandas as pd

from dashboard.figures.common import (
    ACCENT,
    BAR,
    CONTINENT_COLOURS,
    GRID,
    TICK_OVERHANG,
    TICK_ROW,
    YEARS_AXIS,
    Figure,
    axis_room,
    count_axis,
    empty_figure,
    figure,
    legend_below,
    measure_axis,
    measure_value,
    money_axis,
    records,
    text_width,
    values,
)
from dashboard.filters import MEASURE, MEASURES
from dashboard.i18n import euros, missing, number, percent, t

LABEL_SIZE = 12
NOTE_LINE, NOTE_ROW = 44, 16  # a note above a plot: characters on a line, its line's height (12 px font)
# A bar fills the lower half of its row (the y axis is reversed: the offset goes down from the row's middle),
# its label the upper half.
BAR_WIDTH, BAR_OFFSET = 0.42, 0.08
YEARS_TOP = 14  # the year charts' top margin (their legend stands at their foot, :func:`legend_below`)


BAR_ROW = 30  # px a horizontal bar takes with its label above it (a card of 640 px holds the twenty themes)


def rows_height(fig: Figure) -> int:
    """The height a horizontal bar chart (:func:`_hbar`) needs for its bars and their labels; 0 for another figure.
    A profile's card is given at least that: 18 themes in a 360 px card wrote their labels over each other."""
    bars = [tr for tr in fig["data"] if tr.get("type") == "bar" and tr.get("orientation") == "h"]
    if not bars:
        return 0
    margin = fig["layout"]["margin"]
    return len(bars[0]["y"]) * BAR_ROW + margin["t"] + margin["b"]


def _hbar(labels: list[str], amounts: list[float], lang: str, colours=None, money: bool = False,
          customdata=None, metric: str | None = None) -> Figure:
    """Horizontal bars, each with its label written above it across the plot: long names stay whole on a phone
    (where labels beside the bars would leave them no room) and the figure needs no margin for them."""
    text = [measure_value(metric, v, lang) if metric else euros(v, lang) if money else number(v, lang)
            for v in amounts]
    labels = [html.escape(str(lab)) for lab in labels]  # plotly renders a subset of HTML in labels: data is text
    top = max((a for a in amounts if not missing(a)), default=0)
    axis = money_axis(top, lang) if money else measure_axis(metric or MEASURES[0].value, top, lang)
    bar = {"type": "bar", "orientation": "h", "x": axis.scaled(amounts), "y": labels,
           "marker": {"color": colours or BAR}, "width": BAR_WIDTH, "offset": BAR_OFFSET, "text": text,
           "textposition": "outside", "textangle": 0, "textfont": {"size": LABEL_SIZE}, "constraintext": "none",
           "cliponaxis": False, "hoverinfo": "text",
           "hovertext": [t("pair", lang, label=lab, value=tx) for lab, tx in zip(labels, text)]}
    names = {"type": "scatter", "mode": "text", "x": [0] * len(labels), "y": labels, "text": labels,
             "textposition": "top right", "textfont": {"size": LABEL_SIZE}, "cliponaxis": False,
             "hoverinfo": "skip"}
    if customdata is not None:
        bar["customdata"] = names["customdata"] = customdata
    return figure([bar, names], lang, yaxis={"autorange": "reversed", "showticklabels": False},
                  # the unit on the last tick only ("0 20 40 60 80 M €"): five side by side fill a phone's plot
                  xaxis={"showgrid": True, "gridcolor": GRID, "zeroline": False,
                         **axis.ticks, "showtickprefix": "last", "showticksuffix": "last"},
                  margin={"r": TICK_OVERHANG + text_width(text, LABEL_SIZE), "b": TICK_ROW})


def _lead(label: str, value: float, total: float, lang: str) -> str:
    """Who comes first, with how many partnerships and what share of all."""
    return t("lead", lang, label=label, value=number(value, lang), share=percent(value / total if total else None,
                                                                               lang))


def ranking(df, label: str, key: str, total: int, lang: str, metric: str = MEASURES[0].value,
            colours=None) -> tuple[Figure, str]:
    """Horizontal bars of a measure (partnerships by default), largest first, and who leads: with what share of
    all partnerships, or with what value of the measure (a rate among the keys with at least its ``rank_min``
    partnerships). ``df``: a frame, or its :func:`records`."""
    m = MEASURE[metric]
    rows = records(df) if isinstance(df, pd.DataFrame) else df
    if m.rank_min:
        keep = [r["partnerships"] >= m.rank_min for r in rows]
        rows = [r for r, k in zip(rows, keep) if k]
        colours = [c for c, k in zip(colours, keep) if k] if isinstance(colours, list) else colours
    if not rows:
        return empty_figure(t("empty", lang), lang), t("empty", lang)
    col = m.column
    labels = [r[label] for r in rows]
    fig = _hbar(labels, [r[col] for r in rows], lang, customdata=[r[key] for r in rows], metric=metric,
                colours=colours)
    if metric == MEASURES[0].value:
        return fig, _lead(labels[0], rows[0]["partnerships"], total, lang)
    summary = t("lead_measure", lang, label=labels[0], measure=t(m.label, lang),
                value=measure_value(metric, rows[0][col], lang))
    return fig, summary + (" " + t("rank_min_note", lang, n=m.rank_min) if m.rank_min else "")


def themes_chart(df: pd.DataFrame, total: int, lang: str) -> tuple[Figure, str]:
    return ranking(df, f"label_{lang}", "code", total, lang)


def odd_chart(df: pd.DataFrame, total: int, lang: str) -> tuple[Figure, str]:
    """All 17 goals in their official colours, with their French (or English) short names."""
    labels = [f"{n}. {lab}" for n, lab in zip(df["number"], df[f"label_{lang}"])]
    labels = [lab if len(lab) <= 42 else lab[:40] + "…" for lab in labels]
    fig = _hbar(labels, values(df["partnerships"]), lang, colours=values(df["colour"]),
                customdata=values(df["number"]))
    rows = records(df, "number", "partnerships")
    top = max(rows, key=lambda r: r["partnerships"], default=None)  # the first of the largest
    if top is None or not top["partnerships"]:
        return fig, t("empty", lang)
    return fig, _lead(t("odd_short", lang, n=top["number"]), top["partnerships"], total, lang)


def _bin_label(low: float, high: float | None, lang: str) -> str:
    if missing(high):
        return f"≥ {euros(low, lang)}"
    if low == 0:
        return f"< {euros(high, lang)}"
    return f"{euros(low, lang)} – {euros(high, lang)}"


def budget_distribution(bins: pd.DataFrame, known: int, count: int, lang: str) -> tuple[Figure, str]:
    """The known budgets counted in bins, smallest first, as horizontal bars with their bin written above them: a
    phone's plot leaves a column of seven bins about 40 px, where "100 k € – 250 k €" slanted ran into its
    neighbours."""
    unknown_note = t("unknown_budget_share", lang, share=percent((count - known) / count if count else None, lang),
                     n=number(count - known, lang))
    if not known:
        return empty_figure(unknown_note, lang), unknown_note
    rows = records(bins, "low", "high", "partnerships")
    fig = _hbar([_bin_label(r["low"], r["high"], lang) for r in rows], [r["partnerships"] for r in rows], lang)
    note = textwrap.wrap(unknown_note, NOTE_LINE)  # above the plot, within a phone's card
    layout = fig["layout"]
    layout["margin"] = {**layout["margin"], "t": NOTE_ROW * len(note) + 8}
    layout["annotations"] = [{"text": "<br>".join(note), "xref": "paper", "yref": "paper", "x": 0, "y": 1,
                              "yanchor": "bottom", "yshift": 4, "align": "left", "showarrow": False,
                              "xanchor": "left", "font": {"size": 12, "color": "#52606d"}}]
    top = max(rows, key=lambda r: r["partnerships"])  # the first of the largest
    lead = _bin_label(top["low"], top["high"], lang)
    return fig, f"{t('budget_mode', lang, bin=lead)} {unknown_note}"


def budget_by_zone(df: pd.DataFrame, total_budget: float, lang: str) -> tuple[Figure, str]:
    """Known budget per zone. Zones overlap, so the bars are not stacked and need not add up."""
    if not df["budget_known"].sum():
        return empty_figure(t("empty", lang), lang), t("empty", lang)
    rows = records(df, "code", f"label_{lang}", "budget")
    labels = [r[f"label_{lang}"] for r in rows]
    fig = _hbar(labels, [r["budget"] for r in rows], lang, money=True, customdata=[r["code"] for r in rows])
    zones = {r["code"]: (r[f"label_{lang}"], r["budget"] / total_budget if total_budget else None) for r in rows}
    parts = [f"{zones[code][0]} {percent(zones[code][1], lang)}" for code in ("sahel", "maghreb", "afrique")
             if code in zones]
    return fig, t("zone_budget_summary", lang, parts=", ".join(parts))


def years_chart(df: pd.DataFrame, value: str, continents: dict[str, str], lang: str) -> tuple[Figure, str]:
    """Stacked bars by start year and continent; ``value`` is ``partnerships`` or ``budget``; ``continents``:
    code → name in ``lang`` (from the zones table)."""
    if df.empty:
        return empty_figure(t("empty", lang), lang), t("empty", lang)
    fmt = (lambda v: euros(v, lang)) if value == "budget" else (lambda v: number(v, lang))
    rows = records(df, "year", "continent", value)
    per_year: dict[int, float] = {}
    for r in rows:
        per_year[r["year"]] = per_year.get(r["year"], 0) + r[value]
    most = max(per_year.values())
    axis = money_axis(most, lang) if value == "budget" else count_axis(most)
    traces = []
    for continent in [c for c in CONTINENT_COLOURS if c in {r["continent"] for r in rows}]:
        part = [r for r in rows if r["continent"] == continent]
        name = continents.get(continent) or t("other", lang)
        traces.append({"type": "bar", "name": name, "x": [r["year"] for r in part],
                       "y": axis.scaled(r[value] for r in part),
                       "marker": {"color": CONTINENT_COLOURS[continent]}, "hoverinfo": "text",
                       "hovertext": [t("pair", lang, label=f"{name} {r['year']}", value=fmt(r[value]))
                                      for r in part]})
    legend, below = legend_below((trace["name"] for trace in traces), titled=True)
    fig = figure(traces, lang, barmode="stack", bargap=0.1, showlegend=True, legend=legend,
                 yaxis={"gridcolor": GRID, "title": {"text": t("budget_eur" if value == "budget" else "count", lang)},
                        **axis.ticks},
                 # the last year's label, centred on its bar, may pass the graph's edge: plotly hides it then (its
                 # default) rather than narrowing the plot, which would slant the labels of a desktop card
                 xaxis={"title": {"text": t("year", lang)}, "ticklabeloverflow": "hide past div", **YEARS_AXIS},
                 margin={"l": axis_room(axis.widest), "t": YEARS_TOP, "b": below})
    peak = int(min(y for y, v in per_year.items() if v == most))  # the first year of the largest
    amount = euros(most, lang) if value == "budget" else number(most, lang)
    return fig, t("years_summary", lang, first=int(min(per_year)), last=int(max(per_year)), peak=peak,
                  amount=amount)


def top_countries(stats: pd.DataFrame, countries: pd.DataFrame, total: int, lang: str, n: int = 15,
                  metric: str = MEASURES[0].value) -> tuple[Figure, str]:
    """The first ``n`` partner countries by the measure (``stats``: :func:`dashboard.queries.top_countries`, in
    its order)."""
    col, name = MEASURE[metric].column, f"name_{lang}"
    names = dict(zip(countries["iso3"].tolist(), countries[name].tolist()))
    rows = [r for r in records(stats) if not missing(r[col])][:n]  # known values, in order
    return ranking([{**r, name: names[r["iso3"]]} for r in rows if r["iso3"] in names], name, "iso3", total, lang,
                   metric)


def regions_ranking(stats: pd.DataFrame, regions: pd.DataFrame, total: int, lang: str, selected: str | None = None,
                    metric: str = MEASURES[0].value) -> tuple[Figure, str]:
    """The 18 French regions by the measure, the selected one highlighted (``stats``:
    :func:`dashboard.queries.by_region`, which keeps every region in view whatever the region filter)."""
    col = MEASURE[metric].column
    names = dict(zip(regions["code"].tolist(), regions["name"].tolist()))
    rows = sorted(({**r, "name": names[r["code"]]} for r in records(stats)
                   if r["code"] in names and not missing(r[col]) and r[col] > 0), key=lambda r: r["name"])
    rows.sort(key=lambda r: r[col], reverse=True)  # by the measure, then by name
    return ranking(rows, "name", "code", total, lang, metric,
                   colours=[ACCENT if r["code"] == selected else BAR for r in rows])


def top_authorities(df: pd.DataFrame, total: int, lang: str) -> tuple[Figure, str]:
    return ranking(df, "name", "key", total, lang)
