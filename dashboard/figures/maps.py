"""The two maps: partner countries of the world, French regions with overseas insets; and the flow lines.

Geometry is not in the figures: each choropleth names a GeoJSON URL the app serves once, with long-lived cache
headers, so a filter change sends only codes and values.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.common import NO_DATA, SEQUENTIAL, base_layout
from dashboard.i18n import euros, number, t

METRIC_COLUMNS = {"partenariats": "partnerships", "collectivites": "authorities", "budget": "budget"}
SMALL_KM2 = 12_000
FLOW_LIMIT = 80


def _metric_label(metric: str, lang: str) -> str:
    return t({"partenariats": "m_partnerships", "collectivites": "m_authorities", "budget": "m_budget"}[metric], lang)


def _hover(name: str, row, lang: str) -> str:
    known = int(row["budget_known"])
    return (f"<b>{html.escape(name)}</b><br>{number(row['partnerships'], lang)} {t('kpi_partnerships', lang)}"
            f"<br>{number(row['authorities'], lang)} {t('kpi_authorities', lang)}"
            f"<br>{t('kpi_budget', lang)} : {euros(row['budget'], lang) if known else '—'}"
            f" ({number(known, lang)})")


def world_map(countries: pd.DataFrame, stats: pd.DataFrame, metric: str, lang: str, selected: tuple[str, ...],
              geojson_url: str, origin: tuple[float, float] | None = None) -> go.Figure:
    """Choropleth of partner countries. ``countries``: iso3, name_fr, name_en, area_km2, label_lon, label_lat,
    drawn. ``stats``: :func:`dashboard.queries.by_country`. Countries without partnership stay drawn, in grey."""
    col = METRIC_COLUMNS[metric]
    drawn = countries[countries["drawn"]]
    name_col = "name_en" if lang == "en" else "name_fr"
    data = stats.merge(countries, on="iso3", how="inner")
    data = data[data[col] > 0]
    fig = go.Figure()
    fig.add_trace(go.Choropleth(
        geojson=geojson_url, featureidkey="id", locations=drawn["iso3"], z=[0] * len(drawn),
        colorscale=[[0, NO_DATA], [1, NO_DATA]], showscale=False, marker_line_color="#ffffff",
        marker_line_width=0.3, customdata=drawn["iso3"],
        hovertext=[f"<b>{html.escape(n)}</b><br>{t('no_partnership', lang)}" for n in drawn[name_col]],
        hoverinfo="text", name="base",
    ))
    hover = [_hover(r[name_col], r, lang) for _, r in data.iterrows()]
    sel = set(selected)
    fig.add_trace(go.Choropleth(
        geojson=geojson_url, featureidkey="id", locations=data["iso3"], z=data[col], coloraxis="coloraxis",
        marker_line_color=["#d1495b" if i in sel else "#ffffff" for i in data["iso3"]],
        marker_line_width=[2.5 if i in sel else 0.3 for i in data["iso3"]],
        customdata=data["iso3"], hovertext=hover, hoverinfo="text", name="data",
    ))
    small = data[(data["area_km2"].fillna(0) < SMALL_KM2) & data["label_lon"].notna()]
    if len(small):  # island partners (Comores, Cap-Vert…) stay visible and clickable
        fig.add_trace(go.Scattergeo(
            lon=small["label_lon"], lat=small["label_lat"], mode="markers", customdata=small["iso3"],
            marker={"size": 9, "color": small[col], "coloraxis": "coloraxis", "line": {"width": 1, "color": "#333"}},
            hovertext=[_hover(r[name_col], r, lang) for _, r in small.iterrows()], hoverinfo="text", name="small",
        ))
    if origin is not None and len(data):
        top = data.nlargest(FLOW_LIMIT, "partnerships").dropna(subset=["label_lon"])
        lons, lats = [], []
        for r in top.itertuples():
            lons += [origin[0], r.label_lon, None]
            lats += [origin[1], r.label_lat, None]
        fig.add_trace(go.Scattergeo(lon=lons, lat=lats, mode="lines", hoverinfo="skip", name="flows",
                                    line={"width": 0.8, "color": "rgba(209,73,91,0.45)"}))
    fig.update_layout(coloraxis={"colorscale": SEQUENTIAL, "colorbar": {
        "title": {"text": _metric_label(metric, lang), "side": "right"}, "thickness": 10, "len": 0.7}})
    fig.update_geos(visible=False, showframe=False, projection_type="natural earth",
                    lataxis_range=[-58, 84], bgcolor="rgba(0,0,0,0)")
    return base_layout(fig, lang)


def france_map(regions: pd.DataFrame, stats: pd.DataFrame, metric: str, lang: str, selected: str | None,
               geojson_url: str, frames: list[tuple[float, float, float, float]]) -> go.Figure:
    """The 18 regions (overseas as insets) coloured by the metric and labelled with their network.
    ``regions``: code, name, rrma_name, label_lon, label_lat. ``stats``: :func:`dashboard.queries.by_region`."""
    col = METRIC_COLUMNS[metric]
    data = regions.merge(stats, on="code", how="left").fillna({"partnerships": 0, "authorities": 0, "budget": 0,
                                                                "budget_known": 0})
    fig = go.Figure()
    fig.add_trace(go.Choropleth(
        geojson=geojson_url, featureidkey="id", locations=data["code"], z=data[col], coloraxis="coloraxis",
        marker_line_color=["#d1495b" if c == selected else "#ffffff" for c in data["code"]],
        marker_line_width=[3 if c == selected else 0.8 for c in data["code"]], customdata=data["code"],
        hovertext=[_hover(f"{r['name']}" + (f" — {r['rrma_name']}" if isinstance(r["rrma_name"], str) else ""), r,
                          lang) for _, r in data.iterrows()], hoverinfo="text", name="regions",
    ))
    labelled = data[data["rrma_name"].notna()]
    fig.add_trace(go.Scattergeo(
        lon=labelled["label_lon"], lat=labelled["label_lat"], mode="text", text=labelled["rrma_name"],
        textfont={"size": 9, "color": "#1f2933"}, hoverinfo="skip", name="labels",
    ))
    lons, lats = [], []
    for x0, y0, x1, y1 in frames:
        lons += [x0, x1, x1, x0, x0, None]
        lats += [y0, y0, y1, y1, y0, None]
    fig.add_trace(go.Scattergeo(lon=lons, lat=lats, mode="lines", line={"width": 0.6, "color": "#9aa5b1"},
                                hoverinfo="skip", name="frames"))
    fig.update_layout(coloraxis={"colorscale": SEQUENTIAL, "colorbar": {"thickness": 10, "len": 0.6, "title": ""}})
    fig.update_geos(visible=False, fitbounds="locations", projection_type="mercator", bgcolor="rgba(0,0,0,0)")
    return base_layout(fig, lang)


def summary_world(stats: pd.DataFrame, countries: pd.DataFrame, metric: str, lang: str) -> str:
    col = METRIC_COLUMNS[metric]
    data = stats[stats[col] > 0]
    if data.empty:
        return t("empty", lang)
    top = data.nlargest(1, col).merge(countries, on="iso3").iloc[0]
    name = top["name_en" if lang == "en" else "name_fr"]
    value = euros(top[col], lang) if metric == "budget" else number(top[col], lang)
    if lang == "en":
        return f"{number(len(data), lang)} partner countries; {name} leads with {value}."
    return f"{number(len(data), lang)} pays partenaires ; {name} arrive en tête avec {value}."


def summary_france(regions: pd.DataFrame, stats: pd.DataFrame, metric: str, lang: str) -> str:
    col = METRIC_COLUMNS[metric]
    data = stats[stats[col] > 0].merge(regions, on="code")
    if data.empty:
        return t("empty", lang)
    top = data.nlargest(1, col).iloc[0]
    value = euros(top[col], lang) if metric == "budget" else number(top[col], lang)
    if lang == "en":
        return f"{number(len(data), lang)} regions with partnerships; {top['name']} leads with {value}."
    return f"{number(len(data), lang)} régions ont des partenariats ; {top['name']} arrive en tête avec {value}."
