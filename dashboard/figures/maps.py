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
    TICKS,
    Figure,
    figure,
    measure_axis,
    measure_value,
    records,
    text_width,
)
from dashboard.filters import MEASURE
from dashboard.i18n import euros, missing, number, t, tn

SMALL_KM2 = 12_000
ZERO = {"partnerships": 0, "authorities": 0, "budget": 0, "budget_known": 0}  # a key without partnership
FLOW_LIMIT = 80


def _hovers(names, rows: list[dict], lang: str) -> list[str]:
    """Hover texts: name, partnerships, authorities, known budget (and how many budgets are known), and the
    partnerships per 100,000 inhabitants (or that the population is not known). ``rows``: :func:`records` of a
    per-key statistics frame."""
    part, auth, known = t("kpi_partnerships", lang), t("kpi_authorities", lang), t("kpi_budget", lang)
    return [
        "<br>".join((f"<b>{html.escape(str(name))}</b>", f"{number(r['partnerships'], lang)} {part}",
                     f"{number(r['authorities'], lang)} {auth}",
                     t("pair", lang, label=known, value=f"{euros(r['budget'], lang) if r['budget_known'] else '—'} "
                                                        f"({number(r['budget_known'], lang)})"),
                     _rate(r.get("partnerships_per_100k"), lang)))
        for name, r in zip(names, rows)
    ]


def _rate(value, lang: str) -> str:
    if missing(value):
        return t("population_unknown", lang)
    return f"{number(value, lang, 1)} {t('per_100k', lang)}"


def _known(value) -> bool:
    """A measure's value that colours a key: more than zero (unknown values, NaN or None, do not)."""
    return not missing(value) and value > 0


def world_map(countries: pd.DataFrame, stats: pd.DataFrame, metric: str, lang: str, selected: tuple[str, ...],
              geojson_url: str, origin: tuple[float, float] | None = None,
              focus: tuple[float, float, float, float] | None = None) -> Figure:
    """Choropleth of partner countries. ``countries``: iso3, name_fr, name_en, area_km2, label_lon, label_lat,
    drawn. ``stats``: :func:`dashboard.queries.by_country`. Countries without partnership stay drawn, in grey.
    ``focus``: the box (lon/lat) to zoom to — the chosen countries or zone; else the inhabited world."""
    col = MEASURE[metric].column
    name_col = f"name_{lang}"
    info = {c["iso3"]: c for c in records(countries, "iso3", name_col, "area_km2", "label_lon", "label_lat",
                                          "drawn")}
    linked = [r for r in records(stats) if r["iso3"] in info]  # the stats' order
    data = [r for r in linked if _known(r[col])]
    sel = set(selected)
    # drawn in grey: countries without partnership, and those whose value is unknown (per inhabitant: no population);
    # the others only once, in colour (every shape is drawn once: the world map's drawing is most of its cost)
    known = dict(zip([r["iso3"] for r in linked], _hovers([info[r["iso3"]][name_col] for r in linked], linked,
                                                          lang)))  # each country's text, once
    coloured = {r["iso3"] for r in data}
    grey = [c for c in info.values() if c["drawn"] and c["iso3"] not in coloured]
    codes = [r["iso3"] for r in data]
    scale = measure_axis(metric, max([r[col] for r in data if _known(r[col])], default=0), lang)
    traces = [{
        "type": "choropleth", "name": "base", "geojson": geojson_url, "featureidkey": "id",
        "locations": [c["iso3"] for c in grey], "z": [0] * len(grey), "showscale": False,
        "colorscale": [[0, NO_DATA], [1, NO_DATA]], "marker": {"line": {"color": "#ffffff", "width": 0.3}},
        "customdata": [c["iso3"] for c in grey], "hoverinfo": "text",
        "hovertext": [known.get(c["iso3"]) or f"<b>{html.escape(c[name_col])}</b><br>{t('no_partnership', lang)}"
                      for c in grey],
    }, {
        "type": "choropleth", "name": "data", "geojson": geojson_url, "featureidkey": "id",
        "locations": codes, "z": scale.scaled(r[col] for r in data), "coloraxis": "coloraxis",
        "marker": {"line": {"color": ["#d1495b" if i in sel else "#ffffff" for i in codes],
                            "width": [2.5 if i in sel else 0.3 for i in codes]}},
        "customdata": codes, "hoverinfo": "text",
        "hovertext": [known[i] for i in codes],
    }]
    placed = [(r, info[r["iso3"]]) for r in data if not missing(info[r["iso3"]]["label_lon"])]
    small = [(r, c) for r, c in placed if missing(c["area_km2"]) or c["area_km2"] < SMALL_KM2]
    if small:  # island partners (Comores, Cap-Vert…) stay visible and clickable
        traces.append({
            "type": "scattergeo", "name": "small", "mode": "markers", "lon": [c["label_lon"] for _, c in small],
            "lat": [c["label_lat"] for _, c in small], "customdata": [c["iso3"] for _, c in small],
            "hoverinfo": "text",
            "marker": {"size": 9, "color": scale.scaled(r[col] for r, _ in small), "coloraxis": "coloraxis",
                       "line": {"width": 1, "color": "#333"}},
            "hovertext": [known[c["iso3"]] for _, c in small],
        })
    if origin is not None and data:
        top = sorted(data, key=lambda r: -r["partnerships"])[:FLOW_LIMIT]  # the largest, ties in the stats' order
        lons, lats = [], []
        for r in top:
            c = info[r["iso3"]]
            if not missing(c["label_lon"]):
                lons += [origin[0], round(c["label_lon"], 2), None]
                lats += [origin[1], round(c["label_lat"], 2), None]
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
            # the unit in the title: on a phone the bar is too short for ticks that each carry it
            "title": {"text": t(MEASURE[metric].label, lang) + (f" ({scale.unit})" if scale.unit else ""),
                      "side": "top"}, "orientation": "h", "thickness": 10,
            "len": 0.5, "x": 0.5, "xanchor": "center", "y": 0, "yanchor": "top", **TICKS,
            **{k: v for k, v in scale.ticks.items() if k not in ("tickprefix", "ticksuffix")}}},
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
    stat = {r["code"]: r for r in records(stats.drop(columns="population", errors="ignore"))}
    absent = {**dict.fromkeys(stats.columns), **ZERO}  # a region without partnership
    data = []
    for region in records(regions, "code", "name", "rrma_name", "label_lon", "label_lat", "population"):
        row = {**absent, **stat.get(region["code"], {}), **region}
        if "partnerships_per_100k" in row:  # a region without partnership has a rate of 0, not an unknown one
            rate = row["partnerships_per_100k"] if row["partnerships"] > 0 else 0.0
            row["partnerships_per_100k"] = rate if row["population"] > 0 else None
        data.append(row)
    codes = [r["code"] for r in data]
    names = [f"{r['name']} — {r['rrma_name']}" if isinstance(r["rrma_name"], str) else r["name"] for r in data]
    top = max([r[col] for r in data if _known(r[col])] + [1.0])
    scale = measure_axis(metric, top, lang)
    ink = ["#ffffff" if _known(r[col]) and r[col] / top > 0.55 else "#1f2933" for r in data]  # labels' colour
    drawn = departements is not None and not departements.empty
    renamed = drawn and len(departements) > 1  # the selected region's name gives way to its départements'
    lons, lats = [], []
    for x0, y0, x1, y1 in frames:
        lons += [x0, x1, x1, x0, x0, None]
        lats += [y0, y0, y1, y1, y0, None]
    traces = [{
        "type": "choropleth", "name": "regions", "geojson": geojson_url, "featureidkey": "id",
        "locations": codes, "z": scale.scaled(r[col] for r in data), "coloraxis": "coloraxis",
        "marker": {"line": {"color": ["#d1495b" if c == selected else "#ffffff" for c in codes],
                            "width": [3 if c == selected else 0.8 for c in codes]}},
        "customdata": codes, "hoverinfo": "text",
        "hovertext": _hovers(names, data, lang),
    }, *(_departements(departements, selected_departement, departements_url, lang,
                       dict(zip(codes, ink)).get(selected, "#1f2933")) if drawn else []), {
        "type": "scattergeo", "name": "labels", "mode": "text", "lon": [r["label_lon"] for r in data],
        "lat": [r["label_lat"] for r in data],
        "text": ["" if renamed and r["code"] == selected else _short(r["name"]) for r in data],
        "textfont": {"size": 9, "color": ink},
        "hoverinfo": "skip",
    }, {
        "type": "scattergeo", "name": "frames", "mode": "lines", "lon": lons, "lat": lats, "hoverinfo": "skip",
        "line": {"width": 0.6, "color": "#9aa5b1"},
    }]
    return figure(
        traces, lang,
        coloraxis={"colorscale": SEQUENTIAL, "colorbar": {"thickness": 10, "len": 0.6, "title": {"text": ""}, **TICKS,
                                                         **scale.ticks}},
        margin={"r": text_width(scale.widest) + COLORBAR_BESIDE},
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
    data = [{**r, **{k: 0 for k in ZERO if missing(r[k])}} for r in records(df)]
    codes = [r["code"] for r in data]
    named = data if len(data) > 1 else []
    return [{
        "type": "choropleth", "name": "departements", "geojson": geojson_url, "featureidkey": "id",
        "locations": codes, "z": [1 if c == selected else 0 for c in codes], "zmin": 0, "zmax": 1,
        "showscale": False, "colorscale": [[0, "rgba(255,255,255,0)"], [1, "rgba(209,73,91,0.35)"]],
        "marker": {"line": {"color": ["#d1495b" if c == selected else "#334e68" for c in codes],
                            "width": [2.5 if c == selected else 0.8 for c in codes]}},
        "customdata": [["departement", c] for c in codes], "hoverinfo": "text",
        "hovertext": _hovers([f"{r['name']} ({r['code']})" for r in data], data, lang),
    }, {  # their names, where a region has several (an overseas one is its region, already named)
        "type": "scattergeo", "name": "departement-labels", "mode": "text", "hoverinfo": "skip",
        "lon": [r["label_lon"] for r in named], "lat": [r["label_lat"] for r in named],
        "text": [html.escape(r["name"]) for r in named], "textfont": {"size": 10, "color": ink},
    }]


def _short(name: str) -> str:
    """A region's name on two lines where it is long ("Auvergne-<br>Rhône-Alpes"), escaped."""
    text = html.escape(name)
    if len(name) > 14 and "-" in name:
        head, _, tail = text.partition("-")
        return f"{head}-<br>{tail}"
    return text


def _first(rows: list[dict], col: str) -> tuple[int, dict | None]:
    """How many of these keys have a value of the measure, and the first with the largest (None: none has)."""
    rows = [r for r in rows if _known(r[col])]
    return len(rows), max(rows, key=lambda r: r[col], default=None)


def summary_world(stats: pd.DataFrame, countries: pd.DataFrame, metric: str, lang: str) -> str:
    col = MEASURE[metric].column
    n, top = _first(records(stats), col)
    if top is None:
        return t("empty", lang)
    name = dict(zip(countries["iso3"].tolist(), countries[f"name_{lang}"].tolist()))[top["iso3"]]
    return tn("world_summary", n, lang, name=name, value=_summary_value(metric, top[col], lang))


def _summary_value(metric: str, value, lang: str) -> str:
    """A map summary's figure; a rate says what it is a rate of."""
    text = measure_value(metric, value, lang)
    return f"{text} ({t(MEASURE[metric].label, lang)})" if MEASURE[metric].per_capita else text


def summary_france(regions: pd.DataFrame, stats: pd.DataFrame, metric: str, lang: str) -> str:
    col = MEASURE[metric].column
    names = dict(zip(regions["code"].tolist(), regions["name"].tolist()))
    n, top = _first([r for r in records(stats) if r["code"] in names], col)
    if top is None:
        return t("empty", lang)
    return tn("france_summary", n, lang, name=names[top["code"]], value=_summary_value(metric, top[col], lang))
