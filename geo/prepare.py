"""Prepared geometry layers, computed once from the registry packages and cached on disk.

The cache key holds the source package versions and this module's parameters, so upgrading a package or
changing a tolerance prepares the layers again. Layers are stored as GeoJSON (text, diffable, no extra driver).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from geo import cog, countries, france


@dataclass
class Layers:
    countries: gpd.GeoDataFrame
    regions: gpd.GeoDataFrame
    departements: gpd.GeoDataFrame
    sources: str
    key: str  # cache_key(): what the layers were prepared from and how


def sources() -> str:
    return f"{countries.source_version()}; COG {cog.cog_version()}"


# The layers' format: bumped when they gain or lose a column (3: the countries' population and its year).
LAYER_FORMAT = 3


def cache_key() -> str:
    """The source package versions, the simplification parameters and the layers' format: the layers are a
    function of these."""
    params = json.dumps([sources(), countries.SIMPLIFY_DEGREES, countries.MIN_PART_KM2, countries.DECIMALS,
                         france.SIMPLIFY_DEGREES, france.DECIMALS, LAYER_FORMAT])
    return hashlib.sha256(params.encode()).hexdigest()[:16]


def load_layers(cache: Path) -> Layers:
    """The three layers, from the cache folder when it holds them, else prepared (≈ 10 s) and cached there."""
    key = cache_key()
    folder = Path(cache) / f"geo-{key}"
    names = ("countries", "regions", "departements")
    paths = {n: folder / f"{n}.geojson" for n in names}
    if all(p.exists() for p in paths.values()):
        layers = {n: gpd.read_file(p) for n, p in paths.items()}
    else:
        regions, departements = france.load_france()
        layers = {"countries": countries.load_countries(), "regions": regions, "departements": departements}
        folder.mkdir(parents=True, exist_ok=True)
        for n, gdf in layers.items():
            tmp = paths[n].with_suffix(f".tmp{os.getpid()}")
            tmp.write_text(gdf.to_json(drop_id=True), encoding="utf-8")
            os.replace(tmp, paths[n])
    return Layers(layers["countries"], layers["regions"], layers["departements"], sources(), key)
