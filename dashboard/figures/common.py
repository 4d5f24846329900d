"""Shared look of every figure: fonts, margins, French number separators, colour-blind-safe palettes."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard.i18n import plotly_separators

# ColorBrewer YlGnBu: sequential and safe for colour-blind readers.
SEQUENTIAL = [[0.0, "#edf8b1"], [0.25, "#7fcdbb"], [0.5, "#41b6c4"], [0.75, "#1d91c0"], [1.0, "#0c2c84"]]
# Okabe–Ito: categorical and safe for colour-blind readers.
CATEGORICAL = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
CONTINENT_COLOURS = {"afrique": "#E69F00", "europe": "#0072B2", "asie": "#009E73", "ameriques": "#CC79A7",
                     "oceanie": "#56B4E9", "antarctique": "#999999"}
BAR = "#1d6fa5"
NO_DATA = "#e6e6e6"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def base_layout(fig: go.Figure, lang: str) -> go.Figure:
    """The graph's box (set in the layout) gives the height; the figure fills it."""
    fig.update_layout(
        autosize=True,
        separators=plotly_separators(lang),
        font={"family": FONT, "size": 13, "color": "#1f2933"},
        margin={"l": 8, "r": 8, "t": 8, "b": 8},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        hoverlabel={"font": {"family": FONT}},
        showlegend=False,
    )
    return fig


def empty_figure(message: str, lang: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                       font={"size": 14, "color": "#52606d"})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return base_layout(fig, lang)
