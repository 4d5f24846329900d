"""France with its overseas regions brought near the mainland, as insets, for one readable map.

On a true map, France with Guadeloupe, Martinique, Guyane, La Réunion and Mayotte is mostly empty ocean. Each
overseas region is scaled and moved into a box in the Bay of Biscay, west of Brittany, in a column.
"""

from __future__ import annotations

import shapely
from shapely import affinity
from shapely.geometry.base import BaseGeometry

# code → (box centre lon, box centre lat, box size in degrees)
INSET_BOXES = {
    "01": (-7.6, 49.2, 1.7),  # Guadeloupe
    "02": (-7.6, 47.3, 1.4),  # Martinique
    "03": (-7.6, 45.0, 2.4),  # Guyane
    "04": (-7.6, 42.8, 1.4),  # La Réunion
    "06": (-5.5, 42.8, 1.0),  # Mayotte
}


def inset(code: str, geom: BaseGeometry) -> BaseGeometry:
    """The geometry moved and scaled into its inset box (unchanged for mainland regions)."""
    if code not in INSET_BOXES or geom is None or geom.is_empty:
        return geom
    lon, lat, size = INSET_BOXES[code]
    minx, miny, maxx, maxy = geom.bounds
    factor = size / max(maxx - minx, maxy - miny)
    centre = shapely.Point((minx + maxx) / 2, (miny + maxy) / 2)
    scaled = affinity.scale(geom, factor, factor, origin=centre)
    return affinity.translate(scaled, lon - centre.x, lat - centre.y)


def region_layout(code: str, geom: BaseGeometry) -> dict:
    """A region on the France map: its inset shape (``inset_geometry``), where its label goes (``label_lon``,
    ``label_lat``: a point inside the inset shape) and its true place (``centre_lon``, ``centre_lat``: a point
    inside the true shape, where flow lines start)."""
    moved = inset(code, geom)
    label, centre = moved.representative_point(), geom.representative_point()
    return {"inset_geometry": moved, "label_lon": label.x, "label_lat": label.y,
            "centre_lon": centre.x, "centre_lat": centre.y}


def inset_frames() -> list[tuple[float, float, float, float]]:
    """The inset boxes as (min lon, min lat, max lon, max lat), to draw their frames."""
    pad = 0.15
    return [(lon - s / 2 - pad, lat - s / 2 - pad, lon + s / 2 + pad, lat + s / 2 + pad)
            for lon, lat, s in INSET_BOXES.values()]
