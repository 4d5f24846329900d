"""Which zones (``data/zones.toml``) a country belongs to."""

from __future__ import annotations

from etl.vocab import zones


def country_zones(iso3: str, continent: str | None, subregion: str | None) -> list[str]:
    out = []
    for code, z in zones().items():
        if "members" in z:
            inside = iso3 in z["members"]
        else:
            inside = (
                continent in z.get("continents", [])
                and subregion not in z.get("subregions_excluded", [])
                and iso3 not in z.get("excluded", [])
            )
        if inside:
            out.append(code)
    return out
