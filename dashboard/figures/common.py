"""Shared look of every figure: fonts, margins, French number separators, colour-blind-safe palettes.

Figures are plain dicts in plotly's JSON schema, not ``go.Figure`` objects: building graph objects validates
every property in Python and cost most of a filter change's server time. Tests validate the dicts with
``go.Figure(fig)`` instead.
"""

from __future__ import annotations

from dashboard.filters import MEASURE
from dashboard.i18n import euros, number, plotly_separators

Figure = dict

# ColorBrewer YlGnBu: sequential and safe for colour-blind readers.
SEQUENTIAL = [[0.0, "#edf8b1"], [0.25, "#7fcdbb"], [0.5, "#41b6c4"], [0.75, "#1d91c0"], [1.0, "#0c2c84"]]
# Okabe–Ito colours: categorical and safe for colour-blind readers.
CONTINENT_COLOURS = {"afrique": "#E69F00", "europe": "#0072B2", "asie": "#009E73", "ameriques": "#CC79A7",
                     "oceanie": "#56B4E9", "antarctique": "#999999"}
BAR = "#1d6fa5"
NO_DATA = "#e6e6e6"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
GRID = "#eceff1"


def figure(data: list[dict], lang: str, **layout) -> Figure:
    """A figure with the shared layout; the graph's box (set in the page layout) gives the height."""
    base = {
        "autosize": True,
        "separators": plotly_separators(lang),
        "font": {"family": FONT, "size": 13, "color": "#1f2933"},
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"font": {"family": FONT}},
        "showlegend": False,
        "xaxis": {"automargin": True},
        "yaxis": {"automargin": True},
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


def values(series) -> list:
    """A pandas column as a JSON-ready list (numpy scalars become Python numbers)."""
    return series.tolist() if hasattr(series, "tolist") else list(series)


def measure_value(metric: str, value, lang: str) -> str:
    """A value of a measure (:data:`dashboard.filters.MEASURES`) as it reads: euros, or a number with the
    measure's decimals."""
    m = MEASURE[metric]
    return euros(value, lang) if m.money else number(value, lang, m.decimals)
