"""Which zones a country belongs to, given the zone definitions (``data/zones.toml``, read by ``etl.vocab``)."""

from __future__ import annotations

from collections.abc import Mapping


def country_zones(iso3: str, continent: str | None, subregion: str | None,
                  zones: Mapping[str, Mapping]) -> list[str]:
    """The codes of ``zones`` (code → definition, in display order) that hold the country: a zone lists its
    ``members``, or takes ``continents`` minus ``subregions_excluded`` and ``excluded`` countries."""
    out = []
    for code, z in zones.items():
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
