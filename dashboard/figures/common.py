"""Shared look of every figure: fonts, margins, French number separators, colour-blind-safe palettes.

Figures are plain dicts in plotly's JSON schema, not ``go.Figure`` objects: building graph objects validates
every property in Python and cost most of a filter change's server time. Tests validate the dicts with
``go.Figure(fig)`` instead.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from functools import lru_cache
from numbers import Real
from typing import NamedTuple

from PIL import ImageFont

from dashboard.filters import MEASURE
from dashboard.i18n import amount_affixes, euros, number, plotly_separators

Figure = dict

# ColorBrewer YlGnBu: sequential and safe for colour-blind readers.
SEQUENTIAL = [[0.0, "#edf8b1"], [0.25, "#7fcdbb"], [0.5, "#41b6c4"], [0.75, "#1d91c0"], [1.0, "#0c2c84"]]
# Okabe–Ito colours: categorical and safe for colour-blind readers.
CONTINENT_COLOURS = {"afrique": "#E69F00", "europe": "#0072B2", "asie": "#009E73", "ameriques": "#CC79A7",
                     "oceanie": "#56B4E9", "antarctique": "#999999"}
BAR = "#1d6fa5"
ACCENT = "#D55E00"  # Okabe–Ito vermilion: the selected key among the others, a fall, the zone's share
NO_DATA = "#e6e6e6"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
GRID = "#eceff1"
FONT_SIZE = 13
# Plotly sizes the margins that hold tick labels and legends by drawing a chart, measuring them, and drawing it
# again (``automargin``): up to 2.5 times a chart's drawing time. A figure that comes with margins wide enough
# for its labels is drawn once; ``automargin`` stays on, so a label wider than foreseen still fits (at the
# price of the second drawing). Widths are Pillow's bundled sans serif scaled to DejaVu Sans, the widest of the
# usual UI fonts (Linux's default; Segoe UI, San Francisco and Roboto are narrower).
WIDEST_FONT = 1.1
TICK_PAD = 14  # between a label and the plot, and before the graph's edge
TICK_ROW = 25  # the height of a row of horizontal tick labels, with the graph's edge
TITLE_ROW = 17  # an axis title's line
TICK_OVERHANG = 28  # the last tick label of an axis, centred on its end, passes it by half its width
# A horizontal legend as plotly places it (measured in Chromium): 30 px of margin for one row, 24 px more for each
# further row (:func:`legend_height`), each entry its symbol (40 px) and its name; past the plot's width the
# entries wrap. A phone's card (390 px) leaves a plot of about NARROW_PLOT px: legends are given the rows they
# take there, wherever they are drawn (:func:`legend_rows`).
LEGEND_HEIGHT, LEGEND_NEXT_ROW, LEGEND_SYMBOL = 30, 24, 40
LEGEND_GAP = 8  # between an axis's labels and the legend under them
NARROW_PLOT = 220
COLORBAR_BELOW = 65  # a horizontal colour bar under a map, its title above it and its labels below
COLORBAR_BESIDE = 47  # a vertical colour bar beside a map, before its labels
# Plotly hides the tick labels that pass the graph's edge by default, measuring every label again for each label
# it places (a quadratic number of text measures: 75 ms of the dashboard's first view). The margins above keep
# the labels inside the graph, so the axes and colour bars let them be.
# Plotly writes large ticks in SI short forms ("10k", "80M", "1.5G"), English-looking on a French page and wrong
# for billions in English too: every axis and colour bar writes numbers whole, their thousands separated as the
# language does (``layout.separators``: "10 000", "2 000"), except a years axis (:data:`YEARS_AXIS`); amounts are
# written in their unit (:func:`money_axis`).
TICKS = {"ticklabeloverflow": "allow", "exponentformat": "none", "separatethousands": True}
YEARS_AXIS = {"separatethousands": False}  # "2020", not "2 020"


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size)


def text_width(texts: Iterable, size: int = FONT_SIZE) -> int:
    """The width in pixels of the widest of ``texts`` (HTML-escaped labels are measured as they read)."""
    return max((_width(str(text), size) for text in texts), default=0)


@lru_cache(maxsize=65_536)
def _width(text: str, size: int) -> int:
    """One text's width (labels and formatted values recur from one view to the next)."""
    return round(_font(size).getlength(html.unescape(text)) * WIDEST_FONT)


def axis_room(ticks: Iterable, titled: bool = True) -> int:
    """The margin beside a plot that holds an axis: its widest tick labels ``ticks``, its title's line when it
    has one, and the pad."""
    return text_width(ticks) + (TITLE_ROW if titled else 0) + TICK_PAD


def legend_rows(names: Iterable[str]) -> int:
    """Rows of a horizontal legend of these entries as plotly wraps them in a phone's plot (a desktop's may hold
    them in fewer: their room is left blank, between the axis and the legend, rather than the chart drawn twice
    on a phone: 16–40 px on the demo's charts at 1440 px)."""
    rows, used = 1, 0
    for name in names:
        width = _width(str(name), FONT_SIZE) + LEGEND_SYMBOL
        if used and used + width > NARROW_PLOT:
            rows, used = rows + 1, 0
        used += width
    return rows


def legend_height(rows: int) -> int:
    """The margin a horizontal legend of ``rows`` rows takes."""
    return LEGEND_HEIGHT + LEGEND_NEXT_ROW * (rows - 1)


def legend_below(names: Iterable[str], titled: bool) -> tuple[dict, int]:
    """A horizontal legend of these entries at the foot of the graph (``yref: "container"``), under the x axis's
    tick labels and, when ``titled``, its title: its layout, and the bottom margin that holds them. Both are the
    same whatever the graph's height (a card, a phone, an embed's frame, a slide): placed by a fraction of the
    plot instead, the legend moved away from the axis, or off the graph, in a graph of another height."""
    rows = legend_rows(names)
    return ({"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
            TICK_ROW + (TITLE_ROW if titled else 0) + LEGEND_GAP + legend_height(rows))


def tick_labels(value: float) -> list[str]:
    """The tick labels plotly may write on an axis reaching ``value`` (:data:`TICKS`), the widest foreseen ("0.5"
    and "10" below ten, "630", "4 200"): for :func:`text_width` only."""
    value = abs(float(value)) if value == value else 0.0
    if value < 10:
        return ["0.5", "10"]
    return [f"{round(value * 1.05):,}".replace(",", "\u202f")]


class AxisScale(NamedTuple):
    """How an axis or a colour bar writes a measure's values (:func:`money_axis`, :func:`count_axis`): divided by
    ``divisor``, with ``ticks`` (the axis's or colour bar's properties); ``widest``: the tick labels foreseen, for
    :func:`text_width`; ``unit``: the unit alone (``M €``, ``€M``), for a title where the ticks would be too wide
    with it (a horizontal colour bar on a phone)."""
    divisor: int
    ticks: dict
    widest: list[str]
    unit: str = ""

    def scaled(self, amounts: Iterable) -> list:
        """The amounts in the axis's unit (None and NaN kept as they are)."""
        if self.divisor == 1:
            return list(amounts)
        return [a / self.divisor if isinstance(a, Real) else a for a in amounts]  # numpy's numbers too


def money_axis(top: float, lang: str) -> AxisScale:
    """An axis of amounts reaching ``top`` euros: in the largest power of a thousand under it, so that its ticks
    stay under a thousand of it, each tick with the unit as :func:`dashboard.i18n.euros` writes it (``80 M €``,
    ``€80M``); plotly's own short forms read "80M" on a French page and "1.5G" for billions."""
    top = abs(float(top)) if top == top else 0.0  # NaN: nothing known
    power = max((p for p in (3, 6, 9, 12) if top >= 10 ** p), default=0)
    before, after = amount_affixes(power, lang)
    return AxisScale(10 ** power, {"tickprefix": before, "ticksuffix": after},
                     [before + label + after for label in tick_labels(top / 10 ** power)], (before + after).strip())


def count_axis(top: float) -> AxisScale:
    """An axis of counts reaching ``top``: whole ticks ("0, 1, 2, 3"; plotly steps by 0.5 below five, and a town's
    few partnerships read "0,5, 1,5")."""
    top = float(top) if top == top else 0.0
    return AxisScale(1, {"dtick": 1} if top < 5 else {}, tick_labels(top))


def share_axis(top: float) -> AxisScale:
    """A right-hand axis of shares in % reaching ``top``, with round steps of its own (1, 2 or 5 times a power of
    ten, five or so ticks). An overlaying axis otherwise takes its left axis's number of ticks (plotly's
    ``tickmode: "sync"``), and read "0, 4, 7, 11, 14, 18". Its range ends a little above the last tick, so that
    the tick's label stays inside the plot's height rather than pushing the top margin."""
    top = abs(float(top)) if top == top and top else 0.0
    top = top if math.isfinite(top) and top >= 1e-6 else 1.0  # nothing to show (or nonsense): 0 to 1 %
    power = 10.0 ** math.floor(math.log10(top / 5))
    end = top * 1.05
    step = min((power * m for m in (1, 2, 5, 10, 20)), key=lambda s: abs(end / s - 5))  # ≈ 5 steps
    last = math.floor(end / step + 1e-9) * step
    end = max(end, last / 0.94)  # the last tick at most 94 % of the way up
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    label = f"{last:.{decimals}f}"
    return AxisScale(1, {"tickmode": "linear", "tick0": 0, "dtick": step, "range": [0, float(f"{end:.6g}")],
                         "tickformat": f".{decimals}f"}, [label])


def measure_axis(metric: str, top: float, lang: str) -> AxisScale:
    """The axis or colour bar of a measure (:data:`dashboard.filters.MEASURES`) reaching ``top``: amounts in
    euros, counts in whole ticks, a rate as plotly steps it."""
    m = MEASURE[metric]
    if m.money:
        return money_axis(top, lang)
    return AxisScale(1, {}, tick_labels(top)) if m.decimals else count_axis(top)


def figure(data: list[dict], lang: str, **layout) -> Figure:
    """A figure with the shared layout; the graph's box (set in the page layout) gives the height."""
    base = {
        "autosize": True,
        "separators": plotly_separators(lang),
        "font": {"family": FONT, "size": FONT_SIZE, "color": "#1f2933"},
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"font": {"family": FONT}},
        "showlegend": False,
        "xaxis": {"automargin": True, **TICKS},
        "yaxis": {"automargin": True, **TICKS},
    }
    for key, value in layout.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key] = {**base[key], **value}
        else:
            base[key] = value
    return {"data": data, "layout": base}


def empty_figure(message: str, lang: str) -> Figure:
    return figure([], lang, xaxis={"visible": False}, yaxis={"visible": False}, annotations=[{
        "text": message, "showarrow": False, "x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper",
        "font": {"size": 14, "color": "#52606d"}}])


def records(df, *columns: str) -> list[dict]:
    """A frame's rows as dicts of Python values (``columns``, or all), read column by column: pandas' own row
    iteration, ``to_dict("records")`` and merges of small frames cost a filter change more than its queries."""
    columns = columns or tuple(df.columns)
    return [dict(zip(columns, row)) for row in zip(*(df[c].tolist() for c in columns))]


def values(series) -> list:
    """A pandas column as a JSON-ready list (numpy scalars become Python numbers)."""
    return series.tolist() if hasattr(series, "tolist") else list(series)


def measure_value(metric: str, value, lang: str) -> str:
    """A value of a measure (:data:`dashboard.filters.MEASURES`) as it reads: euros, or a number with the
    measure's decimals."""
    m = MEASURE[metric]
    return euros(value, lang) if m.money else number(value, lang, m.decimals)
