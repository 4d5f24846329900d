"""Geometry helpers shared by the country and France layers: winding, rounding, hole filling, simplification."""

from __future__ import annotations

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry


def polygons(geom: BaseGeometry) -> list[Polygon]:
    """The polygon parts of a geometry (a polygon, a multipolygon or a collection)."""
    if geom is None or geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    return [p for g in getattr(geom, "geoms", []) for p in polygons(g)]


def as_multipolygon(parts: list[Polygon]) -> MultiPolygon:
    return MultiPolygon([p for p in parts if not p.is_empty])


def for_plotly(geom: BaseGeometry, decimals: int) -> MultiPolygon:
    """Round coordinates, repair, and orient outer rings clockwise as d3/plotly expect.

    RFC 7946 says counter-clockwise, but d3-geo treats a counter-clockwise outer ring as "the whole globe
    minus this shape", which floods a choropleth: plotly needs clockwise outer rings.
    """
    grid = 10.0 ** -decimals
    g = shapely.set_precision(shapely.make_valid(geom), grid)
    g = shapely.make_valid(g)
    parts = [p for p in polygons(g) if p.area > 0]
    return shapely.orient_polygons(as_multipolygon(parts), exterior_cw=True)


def fill_gaps(units: dict[str, BaseGeometry]) -> dict[str, BaseGeometry]:
    """Fill interior holes that no other unit covers.

    Dissolving communes leaves slivers between them (holes inside a département that belong to nobody);
    a real enclave (the Enclave des Papes, Vaucluse inside Drôme) is a hole covered by another unit and stays.
    """
    tree_keys = list(units)
    tree = shapely.STRtree([units[k] for k in tree_keys])
    filled: dict[str, BaseGeometry] = {}
    for key, geom in units.items():
        parts = []
        for poly in polygons(geom):
            keep = []
            for ring in poly.interiors:
                hole = Polygon(ring)
                others = [tree_keys[i] for i in tree.query(hole) if tree_keys[i] != key]
                covered = sum(units[o].intersection(hole).area for o in others)
                if covered > 0.5 * hole.area:
                    keep.append(ring)
            parts.append(Polygon(poly.exterior, keep))
        filled[key] = shapely.union_all(parts)
    return filled
