"""Figures of the rebalancing monitor: the zone's share by year, entries and exits, change by zone; and the events
behind the curves, drawn on the yearly series when their countries are in view."""

from __future__ import annotations

import html
import textwrap
from collections.abc import Collection

import pandas as pd

from dashboard.figures.common import (
    ACCENT,
    BAR,
    GRID,
    TICK_OVERHANG,
    TICK_ROW,
    TICKS,
    TITLE_ROW,
    YEARS_AXIS,
    AxisScale,
    Figure,
    axis_room,
    count_axis,
    empty_figure,
    figure,
    legend_below,
    money_axis,
    share_axis,
    values,
)
from dashboard.i18n import date, euros, number, percent, signed, t, tn

EVENT_COLOUR = "#3e4c59"
LABEL_LINE = 18  # characters on a line of a zone's name beside its bar
EVENT_BAND = 175  # px above the plot where the events' labels stand, each over its line


def events_in_view(events: pd.DataFrame | None, in_view: Collection[str], first: int, last: int) -> pd.DataFrame:
    """The events of ``first``–``last`` that concern at least one of the countries in view (the monitored zone's
    countries or the chosen ones). ``events``: :func:`dashboard.queries.events`."""
    if events is None or events.empty or not in_view:
        return pd.DataFrame(columns=[] if events is None else events.columns)
    view = set(in_view)
    keep = [bool(view & set(c)) and first <= y <= last for c, y in zip(events["countries"], events["year"])]
    return events[keep]


def event_marks(shown: pd.DataFrame, lang: str) -> tuple[list[dict], list[dict]]:
    """One dotted vertical line per year with events, through that year's bar and under it, and a short label
    standing on it above the plot, written upwards (the first event of the year, "+n" for the others); its hover
    gives every event of the year with its date and description."""
    shapes, notes = [], []
    for year, group in shown.groupby("year", sort=True):
        labels = [str(x) for x in group[f"label_{lang}"]]
        text = labels[0] if len(labels) == 1 else t("mon_event_more", lang, label=labels[0], n=len(labels) - 1)
        hover = "<br>".join(
            t("pair", lang, label=f"<b>{date(d, lang)}</b>",
              value="<br>".join(textwrap.wrap(html.escape(str(desc), quote=False), 70)))
            for d, desc in zip(group["date"], group[f"description_{lang}"]))
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": int(year), "x1": int(year), "y0": 0,
                       "y1": 1, "layer": "below", "line": {"color": EVENT_COLOUR, "width": 1, "dash": "dot"}})
        notes.append({"x": int(year), "y": 1, "xref": "x", "yref": "paper", "text": html.escape(text, quote=False),
                      "textangle": -90, "xanchor": "center", "yanchor": "bottom", "yshift": 2, "showarrow": False,
                      "font": {"size": 10, "color": EVENT_COLOUR}, "bgcolor": "rgba(255,255,255,0.75)",
                      "hovertext": hover, "captureevents": True,
                      "name": "event"})  # assets/event-labels.js hides those a narrow plot would overlap
    return shapes, notes


def _with_events(fig: Figure, shown: pd.DataFrame, lang: str) -> Figure:
    """The figure with the events' lines, and their labels in a band above the plot, clear of the data."""
    if shown.empty:
        return fig
    shapes, notes = event_marks(shown, lang)
    layout = fig["layout"]
    layout["shapes"], layout["annotations"] = shapes, notes
    layout["margin"] = {**layout["margin"], "t": EVENT_BAND}
    return fig


def _room(fig: Figure, left: list[str], right: list[str] | None) -> Figure:
    """Margins that hold the figure's labels (plotly's ``automargin`` would draw it twice to find them): the left
    axis's widest ticks ``left`` and its title, the right axis's ``right`` and its title (None: no right axis, the
    last year's label passing the plot's end), and its legend at the graph's foot (:func:`legend_below`)."""
    layout = fig["layout"]
    layout["legend"], below = legend_below((trace["name"] for trace in fig["data"]),
                                           titled=bool(layout.get("xaxis", {}).get("title")))
    layout["margin"] = {**layout["margin"], "l": axis_room(left, bool(layout["yaxis"].get("title"))), "b": below,
                        "r": TICK_OVERHANG if right is None else axis_room(right, bool(layout["yaxis2"].get("title")))}
    return fig


def _year_hover(value: str, words: str, lang: str, note: str = "") -> str:
    """A year's value in a hover template (``value``: plotly's placeholder), then ``note`` under it: "2012 : 18,4 %
    des partenariats…" ("2012: 18.4% of…")."""
    return t("pair", lang, label="%{x}", value=f"{value} {words}") + (f"<br>{note}" if note else "") + "<extra></extra>"


def _share_hover(words: str, lang: str) -> str:
    return _year_hover(t("pct", lang, value="%{y:.1f}"), words, lang)


def _share_yaxis(axis: AxisScale) -> dict:
    """The right-hand axis of a chart's share line (:func:`share_axis`)."""
    return {"title": {"text": "%"}, "overlaying": "y", "side": "right", "showgrid": False, "automargin": True,
            **TICKS, **axis.ticks}


def _events_note(shown: pd.DataFrame, lang: str) -> str:
    """The summary's words for the lines (the chart's text alternative names them)."""
    if shown.empty:
        return ""
    first, last = int(shown["year"].min()), int(shown["year"].max())
    return " " + tn("mon_events_note", len(shown), lang, years=f"{first}–{last}" if last > first else str(first))


def share_chart(years: pd.DataFrame, zone_label: str, lang: str, events: pd.DataFrame | None = None,
                in_view: Collection[str] = ()) -> tuple[Figure, str]:
    """Active partnerships in the zone (bars) and the zone's share of all active partnerships (line); the events
    of the years shown whose countries are in view (``in_view``) as dotted lines with short labels."""
    if years.empty or not years["all_active"].sum():
        return empty_figure(t("empty", lang), lang), t("empty", lang)
    definition = t("def_active", lang)
    share = [None if v != v else round(100 * v, 2) for v in years["zone_share"]]
    active, right = count_axis(years["zone_active"].max()), share_axis(max(filter(None, share), default=0))
    fig = figure([
        {"type": "bar", "name": t("mon_active", lang), "x": values(years["year"]), "y": values(years["zone_active"]),
         "marker": {"color": BAR}, "hovertemplate": _year_hover("%{y}", t("mon_active", lang), lang, definition)},
        {"type": "scatter", "mode": "lines+markers", "name": t("mon_share", lang), "x": values(years["year"]),
         "y": share, "yaxis": "y2", "line": {"color": ACCENT, "width": 2.5},
         "hovertemplate": _share_hover(t("mon_share_hover", lang), lang)},
    ], lang, showlegend=True, xaxis=YEARS_AXIS,
        yaxis={"title": {"text": t("mon_active", lang)}, "gridcolor": GRID, **active.ticks},
        yaxis2=_share_yaxis(right))
    shown = events_in_view(events, in_view, int(years["year"].min()), int(years["year"].max()))
    fig = _room(_with_events(fig, shown, lang), active.widest, right.widest)
    valid = years[years["all_active"] > 0]
    first, last = valid.iloc[0], valid.iloc[-1]
    first_year, last_year = int(first["year"]), int(last["year"])
    delta = 100 * (last["zone_share"] - first["zone_share"])
    text = t("mon_share_summary", lang, zone=zone_label, first=percent(first["zone_share"], lang),
             first_year=first_year, last=percent(last["zone_share"], lang), last_year=last_year,
             delta=signed(delta, lang))
    peak = valid.loc[valid["zone_share"].idxmax()]
    if first_year < int(peak["year"]) < last_year:  # a rise then a fall that the two ends alone would hide
        text += " " + t("mon_share_peak", lang, share=percent(peak["zone_share"], lang), year=int(peak["year"]),
                        delta=signed(100 * (last["zone_share"] - peak["zone_share"]), lang))
    return fig, text + _events_note(shown, lang)


def budget_share_chart(years: pd.DataFrame, zone_label: str, lang: str, events: pd.DataFrame | None = None,
                       in_view: Collection[str] = ()) -> tuple[Figure, str]:
    """Known budget of the active partnerships in the zone (bars) and its share of all known budget (line), with
    the events in view as :func:`share_chart` draws them."""
    if years.empty or not years["all_budget"].sum():
        return empty_figure(t("empty", lang), lang), t("empty", lang)
    share = [None if v != v else round(100 * v, 2) for v in years["budget_share"]]
    axis, right = money_axis(years["zone_budget"].max(), lang), share_axis(max(filter(None, share), default=0))
    fig = figure([
        {"type": "bar", "name": t("mon_budget", lang), "x": values(years["year"]),
         "y": axis.scaled(values(years["zone_budget"])),
         "marker": {"color": BAR}, "hovertext": [t("pair", lang, label=y, value=euros(v, lang)) for y, v in
                                                 zip(years["year"], years["zone_budget"])], "hoverinfo": "text"},
        {"type": "scatter", "mode": "lines+markers", "name": t("mon_budget_share", lang), "x": values(years["year"]),
         "y": share, "yaxis": "y2", "line": {"color": ACCENT, "width": 2.5},
         "hovertemplate": _share_hover(t("mon_budget_share_hover", lang), lang)},
    ], lang, showlegend=True, xaxis=YEARS_AXIS,
        yaxis={"gridcolor": GRID, **axis.ticks},  # its ticks name the unit
        yaxis2=_share_yaxis(right))
    shown = events_in_view(events, in_view, int(years["year"].min()), int(years["year"].max()))
    fig = _room(_with_events(fig, shown, lang), axis.widest, right.widest)
    last = years[years["all_budget"] > 0].iloc[-1]
    year = int(last["year"])
    return fig, t("mon_budget_summary", lang, year=year, zone=zone_label, share=percent(last["budget_share"], lang),
                  amount=euros(last["zone_budget"], lang)) + _events_note(shown, lang)


def flows_chart(years: pd.DataFrame, lang: str) -> tuple[Figure, str]:
    """Partnerships entering (start year) and leaving (last active year) the zone each year."""
    if years.empty:
        return empty_figure(t("empty", lang), lang), t("empty", lang)
    flows = count_axis(max(years["entries"].max(), years["exits"].max()))
    fig = figure([
        {"type": "bar", "name": t("mon_entries", lang), "x": values(years["year"]), "y": values(years["entries"]),
         "marker": {"color": "#009E73"}, "hovertemplate": _year_hover("%{y}", t("mon_entries", lang), lang,
                                                                      t("def_entries", lang))},
        {"type": "bar", "name": t("mon_exits", lang), "x": values(years["year"]),
         "y": [-v for v in values(years["exits"])], "marker": {"color": ACCENT},
         "customdata": values(years["exits"]),
         "hovertemplate": _year_hover("%{customdata}", t("mon_exits", lang), lang, t("def_exits", lang))},
    ], lang, barmode="relative", showlegend=True, xaxis=YEARS_AXIS,
        yaxis={"gridcolor": GRID, "zeroline": True, "zerolinecolor": "#52606d", **flows.ticks})
    # the exits' ticks are negative (plotly writes a minus sign)
    fig = _room(fig, [f"\u2212{x}" for x in flows.widest], None)
    entries, exits = int(years["entries"].sum()), int(years["exits"].sum())
    return fig, t("mon_flows_summary", lang, entries=number(entries, lang), exits=number(exits, lang))


def periods_chart(periods: pd.DataFrame, p1: tuple[int, int], p2: tuple[int, int],
                  lang: str) -> tuple[Figure, str]:
    """Change of each zone's share of active partnerships between two periods, in points."""
    if periods.empty or periods["p1_share"].isna().all():
        return empty_figure(t("empty", lang), lang), t("empty", lang)
    labels = [html.escape(x) for x in periods[f"label_{lang}"]]
    # the zones' names on two lines when long, so that the bars keep room on a phone
    lines = [textwrap.wrap(str(x), LABEL_LINE) or [""] for x in periods[f"label_{lang}"]]
    ticks = ["<br>".join(html.escape(line) for line in parts) for parts in lines]
    delta = [round(100 * ((b if b == b else 0) - (a if a == a else 0)), 2)
             for a, b in zip(periods["p1_share"], periods["p2_share"])]
    hover = [t("pair", lang, label=lab,
               value=f"{percent(a, lang)} ({p1[0]}–{p1[1]}) → {percent(b, lang)} ({p2[0]}–{p2[1]})")
             for lab, a, b in zip(labels, periods["p1_share"], periods["p2_share"])]
    text = [signed(d, lang) for d in delta]
    colours = [ACCENT if x.startswith("-") else BAR for x in text]  # as labelled: "+0,0" is no fall
    fig = figure([{"type": "bar", "orientation": "h", "x": delta, "y": ticks, "hovertext": hover,
                   "hoverinfo": "text", "marker": {"color": colours},
                   "text": text, "textposition": "auto", "cliponaxis": False}], lang,
                 yaxis={"autorange": "reversed", "automargin": True},
                 xaxis={"title": {"text": t("mon_points", lang)}, "gridcolor": GRID, "zeroline": True},
                 # the values written past the bars' ends stand in the side margins
                 margin={"l": axis_room((line for parts in lines for line in parts), titled=False),
                         "r": max(TICK_OVERHANG, axis_room(text, titled=False)), "b": TICK_ROW + TITLE_ROW})
    i = max(range(len(delta)), key=lambda k: abs(delta[k]))
    return fig, t("mon_periods_summary", lang, zone=labels[i], delta=signed(delta[i], lang),
                  p1=f"{p1[0]}–{p1[1]}", p2=f"{p2[0]}–{p2[1]}")
