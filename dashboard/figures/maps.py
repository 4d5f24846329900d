"""The two maps: partner countries of the world, French regions with overseas insets; and the flow lines.

Geometry is not in the figures: each choropleth names a GeoJSON URL the app serves once, with long-lived cache
headers, so a filter change sends only codes and values.
"""

from __future__ import annotations

import html

import pandas as pd

from dashboard.figures.common import (
    COLORBAR_BELOW,
    COLORBAR_BESIDE,
    NO_DATA,
    SEQUENTIAL,
    Figure,
    figure,
    measure_value,
    text_width,
    tick_labels,
    values,
)
from dashboard.filters import MEASURE
from dashboard.i18n import euros, number, t, tn

SMALL_KM2 = 12_000
FLOW_LIMIT = 80


def _hovers(names, df: pd.DataFrame, lang: str) -> list[str]:
    """Hover texts: name, partnerships, authorities, known budget (and how many budgets are known), and the
    partnerships per 100,000 inhabitants (or that the population is not known)."""
    part, auth, known = t("kpi_partnerships", lang), t("kpi_authorities", lang), t("kpi_budget", lang)
    rates = df["partnerships_per_100k"] if "partnerships_per_100k" in df else [None] * len(df)
    return [
        f"<b>{html.escape(str(name))}</b><br>{number(p, lang)} {part}<br>{number(a, lang)} {auth}"
        f"<br>{known} : {euros(b, lang) if k else '—'} ({number(k, lang)})"
        f"<br>{_rate(r, lang)}"
        for name, p, a, b, k, r in zip(names, df["partnerships"], df["authorities"], df["budget"],
                                       df["budget_known"], rates)
    ]


def _rate(value, lang: str) -> str:
    if value is None or value != value:
        return t("population_unknown", lang)
    return f"{number(value, lang, 1)} {t('per_100k', lang)}"


def world_map(countries: pd.DataFrame, stats: pd.DataFrame, metric: str, lang: str, selected: tuple[str, ...],
              geojson_url: str, origin: tuple[float, float] | None = None,
              focus: tuple[float, float, float, float] | None = None) -> Figure:
    """Choropleth of partner countries. ``countries``: iso3, name_fr, name_en, area_km2, label_lon, label_lat,
    drawn. ``stats``: :func:`dashboard.queries.by_country`. Countries without partnership stay drawn, in grey.
    ``focus``: the box (lon/lat) to zoom to — the chosen countries or zone; else the inhabited world."""
    col = MEASURE[metric].column
    drawn = countries[countries["drawn"]]
    name_col = f"name_{lang}"
    linked = stats.merge(countries, on="iso3", how="inner")
    data = linked[linked[col] > 0]
    sel = set(selected)
    # drawn in grey: countries without partnership, and those whose value is unknown (per inhabitant: no population);
    # the others only once, in colour (every shape is drawn once: the world map's drawing is most of its cost)
    known = dict(zip(linked["iso3"], _hovers(linked[name_col], linked, lang)))  # each country's text, once
    drawn = drawn[~drawn["iso3"].isin(set(data["iso3"]))]
    traces = [{
        "type": "choropleth", "name": "base", "geojson": geojson_url, "featureidkey": "id",
        "locations": values(drawn["iso3"]), "z": [0] * len(drawn), "showscale": False,
        "colorscale": [[0, NO_DATA], [1, NO_DATA]], "marker": {"line": {"color": "#ffffff", "width": 0.3}},
        "customdata": values(drawn["iso3"]), "hoverinfo": "text",
        "hovertext": [known.get(i) or f"<b>{html.escape(n)}</b><br>{t('no_partnership', lang)}"
                      for i, n in zip(drawn["iso3"], drawn[name_col])],
    }, {
        "type": "choropleth", "name": "data", "geojson": geojson_url, "featureidkey": "id",
        "locations": values(data["iso3"]), "z": values(data[col]), "coloraxis": "coloraxis",
        "marker": {"line": {"color": ["#d1495b" if i in sel else "#ffffff" for i in data["iso3"]],
                            "width": [2.5 if i in sel else 0.3 for i in data["iso3"]]}},
        "customdata": values(data["iso3"]), "hoverinfo": "text",
        "hovertext": [known[i] for i in data["iso3"]],
    }]
    small = data[(data["area_km2"].fillna(0) < SMALL_KM2) & data["label_lon"].notna()]
    if len(small):  # island partners (Comores, Cap-Vert…) stay visible and clickable
        traces.append({
            "type": "scattergeo", "name": "small", "mode": "markers", "lon": values(small["label_lon"]),
            "lat": values(small["label_lat"]), "customdata": values(small["iso3"]), "hoverinfo": "text",
            "marker": {"size": 9, "color": values(small[col]), "coloraxis": "coloraxis",
                       "line": {"width": 1, "color": "#333"}},
            "hovertext": [known[i] for i in small["iso3"]],
        })
    if origin is not None and len(data):
        top = data.nlargest(FLOW_LIMIT, "partnerships").dropna(subset=["label_lon"])
        lons, lats = [], []
        for r in top.itertuples():
            lons += [origin[0], round(r.label_lon, 2), None]
            lats += [origin[1], round(r.label_lat, 2), None]
        traces.append({"type": "scattergeo", "name": "flows", "mode": "lines", "lon": lons, "lat": lats,
                       "hoverinfo": "skip", "line": {"width": 0.8, "color": "rgba(209,73,91,0.45)"}})
    lon, lat = [-180, 180], [-58, 84]
    if focus is not None:  # a margin of a quarter of the box (at least 4°) around it
        pad_lon, pad_lat = max(4, (focus[2] - focus[0]) / 4), max(4, (focus[3] - focus[1]) / 4)
        lon = [max(-180, focus[0] - pad_lon), min(180, focus[2] + pad_lon)]
        lat = [max(-60, focus[1] - pad_lat), min(85, focus[3] + pad_lat)]
    return figure(
        traces, lang,
        coloraxis={"colorscale": SEQUENTIAL, "colorbar": {
            "title": {"text": t(MEASURE[metric].label, lang), "side": "top"}, "orientation": "h", "thickness": 10,
            "len": 0.5, "x": 0.5, "xanchor": "center", "y": 0, "yanchor": "top"}},
        margin={"l": 0, "r": 0, "t": 0, "b": COLORBAR_BELOW},
        geo={"visible": False, "showframe": False, "projection": {"type": "natural earth"},
             "lonaxis": {"range": lon}, "lataxis": {"range": lat}, "bgcolor": "rgba(0,0,0,0)",
             "domain": {"x": [0, 1], "y": [0, 1]}},
    )


def france_map(regions: pd.DataFrame, stats: pd.DataFrame, metric: str, lang: str, selected: str | None,
               geojson_url: str, frames: list[tuple[float, float, float, float]],
               departements: pd.DataFrame | None = None, selected_departement: str | None = None,
               departements_url: str = "", focus: tuple[float, float, float, float] | None = None) -> Figure:
    """The 18 regions (overseas as insets) coloured by the metric and labelled with their names (their network in
    the hover), in dark or white text as their colour needs. ``regions``: code, name, rrma_name, label_lon,
    label_lat. ``stats``: :func:`dashboard.queries.by_region`. ``departements`` (those of the selected region:
    code, name and :func:`dashboard.queries.by_departement`'s columns) are outlined over it, the selected one
    tinted; their points say ``["departement", code]`` so a click tells them from regions. ``focus``: the box
    (on the map's layout) to zoom to — the selected region, so that its départements are big enough to click."""
    col = MEASURE[metric].column
    data = regions.merge(stats.drop(columns="population", errors="ignore"), on="code", how="left").fillna(
        {"partnerships": 0, "authorities": 0, "budget": 0, "budget_known": 0})
    if "partnerships_per_100k" in data:  # a region without partnership has a rate of 0, not an unknown one
        data["partnerships_per_100k"] = data["partnerships_per_100k"].where(
            data["partnerships"] > 0, 0.0).where(data["population"] > 0)
    names = [f"{n} — {r}" if isinstance(r, str) else n for n, r in zip(data["name"], data["rrma_name"])]
    top = max(float(data[col].max() or 0), 1.0)
    ink = ["#ffffff" if v / top > 0.55 else "#1f2933" for v in data[col]]  # the labels' colour on each region
    drawn = departements is not None and not departements.empty
    renamed = drawn and len(departements) > 1  # the selected region's name gives way to its départements'
    lons, lats = [], []
    for x0, y0, x1, y1 in frames:
        lons += [x0, x1, x1, x0, x0, None]
        lats += [y0, y0, y1, y1, y0, None]
    traces = [{
        "type": "choropleth", "name": "regions", "geojson": geojson_url, "featureidkey": "id",
        "locations": values(data["code"]), "z": values(data[col]), "coloraxis": "coloraxis",
        "marker": {"line": {"color": ["#d1495b" if c == selected else "#ffffff" for c in data["code"]],
                            "width": [3 if c == selected else 0.8 for c in data["code"]]}},
        "customdata": values(data["code"]), "hoverinfo": "text",
        "hovertext": _hovers(names, data, lang),
    }, *(_departements(departements, selected_departement, departements_url, lang,
                       dict(zip(data["code"], ink)).get(selected, "#1f2933")) if drawn else []), {
        "type": "scattergeo", "name": "labels", "mode": "text", "lon": values(data["label_lon"]),
        "lat": values(data["label_lat"]),
        "text": ["" if renamed and c == selected else _short(n) for c, n in zip(data["code"], data["name"])],
        "textfont": {"size": 9, "color": ink},
        "hoverinfo": "skip",
    }, {
        "type": "scattergeo", "name": "frames", "mode": "lines", "lon": lons, "lat": lats, "hoverinfo": "skip",
        "line": {"width": 0.6, "color": "#9aa5b1"},
    }]
    return figure(
        traces, lang,
        coloraxis={"colorscale": SEQUENTIAL, "colorbar": {"thickness": 10, "len": 0.6, "title": {"text": ""}}},
        margin={"r": text_width(tick_labels(top)) + COLORBAR_BESIDE},
        geo={"visible": False, "projection": {"type": "mercator"}, "bgcolor": "rgba(0,0,0,0)",
             **({"fitbounds": "locations"} if focus is None else _zoom(focus))},
    )


def _zoom(box: tuple[float, float, float, float]) -> dict:
    """Geo axes ranges around a box, with a margin of a fifth of it (at least 0.5°), as wide as the map card is
    (about 4:5 once projected at France's latitudes, where a degree of latitude draws 1.5 times a longitude's)."""
    side = max(box[2] - box[0], (box[3] - box[1]) * 1.5) / 2 * 1.2 + 0.5
    lon, lat = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return {"fitbounds": False, "lonaxis": {"range": [lon - side, lon + side]},
            "lataxis": {"range": [lat - side * 0.85, lat + side * 0.85]}}


def _departements(df: pd.DataFrame, selected: str | None, geojson_url: str, lang: str, ink: str) -> list[dict]:
    """The départements of the selected region as one clickable layer: outlines over the region's colour, the
    selected one tinted and outlined in red, their names in ``ink``; the hover gives their figures."""
    data = df.fillna({"partnerships": 0, "authorities": 0, "budget": 0, "budget_known": 0})
    codes = list(data["code"])
    named = data if len(data) > 1 else data.iloc[0:0]
    return [{
        "type": "choropleth", "name": "departements", "geojson": geojson_url, "featureidkey": "id",
        "locations": codes, "z": [1 if c == selected else 0 for c in codes], "zmin": 0, "zmax": 1,
        "showscale": False, "colorscale": [[0, "rgba(255,255,255,0)"], [1, "rgba(209,73,91,0.35)"]],
        "marker": {"line": {"color": ["#d1495b" if c == selected else "#334e68" for c in codes],
                            "width": [2.5 if c == selected else 0.8 for c in codes]}},
        "customdata": [["departement", c] for c in codes], "hoverinfo": "text",
        "hovertext": _hovers([f"{n} ({c})" for n, c in zip(data["name"], codes)], data, lang),
    }, {  # their names, where a region has several (an overseas one is its region, already named)
        "type": "scattergeo", "name": "departement-labels", "mode": "text", "hoverinfo": "skip",
        "lon": values(named["label_lon"]), "lat": values(named["label_lat"]),
        "text": [html.escape(n) for n in named["name"]], "textfont": {"size": 10, "color": ink},
    }]


def _short(name: str) -> str:
    """A region's name on two lines where it is long ("Auvergne-<br>Rhône-Alpes"), escaped."""
    text = html.escape(name)
    if len(name) > 14 and "-" in name:
        head, _, tail = text.partition("-")
        return f"{head}-<br>{tail}"
    return text


def summary_world(stats: pd.DataFrame, countries: pd.DataFrame, metric: str, lang: str) -> str:
    col = MEASURE[metric].column
    data = stats[stats[col] > 0]
    if data.empty:
        return t("empty", lang)
    top = data.nlargest(1, col).merge(countries, on="iso3").iloc[0]
    return tn("world_summary", len(data), lang, name=top[f"name_{lang}"], value=_summary_value(metric, top[col], lang))


def _summary_value(metric: str, value, lang: str) -> str:
    """A map summary's figure; a rate says what it is a rate of."""
    text = measure_value(metric, value, lang)
    return f"{text} ({t(MEASURE[metric].label, lang)})" if MEASURE[metric].per_capita else text


def summary_france(regions: pd.DataFrame, stats: pd.DataFrame, metric: str, lang: str) -> str:
    col = MEASURE[metric].column
    data = stats[stats[col] > 0].merge(regions, on="code")
    if data.empty:
        return t("empty", lang)
    top = data.nlargest(1, col).iloc[0]
    return tn("france_summary", len(data), lang, name=top["name"], value=_summary_value(metric, top[col], lang))
