"""The map layers sent to browsers (dashboard/state.py ``map_layer``): lighter than the stored geometry, outer
rings still clockwise (d3/plotly), nothing erased, neighbours of a coverage keeping one border."""

from __future__ import annotations

import json
import math

import shapely
from shapely.geometry import shape

from dashboard.snapshot import map_layer


def wavy(x0: float, x1: float, n: int = 400) -> list[list[float]]:
    """A clockwise ring whose top edge wobbles by far less than a tolerance of 0.05."""
    top = [[x0 + (x1 - x0) * i / n, 10 + 0.001 * math.sin(i)] for i in range(n + 1)]
    return [[x0, 0.0], *top, [x1, 0.0], [x0, 0.0]]


def feature(id_: str, ring: list[list[float]]) -> dict:
    return {"type": "Feature", "id": id_, "properties": {}, "geometry": {"type": "MultiPolygon",
                                                                        "coordinates": [[ring]]}}


def test_lighter_clockwise_and_small_parts_kept():
    tiny = [[50.0, 50.0], [50.0, 50.004], [50.004, 50.004], [50.004, 50.0], [50.0, 50.0]]
    layer = json.loads(map_layer([feature("BIG", wavy(0, 10)), feature("TINY", tiny)], 0.05, 2, False))
    big, small = (shape(f["geometry"]) for f in layer["features"])
    assert shapely.get_num_coordinates(big) < 20 and abs(big.area - 100) < 1
    assert small.area > 0  # rounding to 2 decimals would erase it: its stored outline is kept
    for f in layer["features"]:
        for polygon in shape(f["geometry"]).geoms:
            assert not polygon.exterior.is_ccw


def test_a_coverage_keeps_shared_borders():
    border = [[5.0 + 0.001 * math.sin(i), 10 * i / 300] for i in range(301)]  # bottom to top, wobbling
    left = shapely.Polygon([[0.0, 0.0], *border, [0.0, 10.0]])
    right = shapely.Polygon([[10.0, 0.0], [10.0, 10.0], *border[::-1]])
    feats = [feature(k, shapely.orient_polygons(p, exterior_cw=True).exterior.coords[:])
             for k, p in (("L", left), ("R", right))]
    layer = json.loads(map_layer(feats, 0.05, 3, True))
    a, b = (shape(f["geometry"]) for f in layer["features"])
    assert shapely.get_num_coordinates(a) < 20
    assert a.intersection(b).area < 1e-6 and abs(a.union(b).area - 100) < 1e-3  # no gap, no overlap
