"""Geometries: the 18 regions against IGN outlines, the world layer's size, winding and small islands."""

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from etl.settings import Settings
from geo.prepare import load_layers
from tests.conftest import OLD_EDITION


@pytest.fixture(scope="module")
def layers():
    return load_layers(Path(Settings.from_env().cache_dir))


def test_regions_match_ign_outlines_within_3_percent(layers, shared_dir):
    ref = gpd.read_file(shared_dir / "reference" / "regions-avec-outre-mer.geojson").set_index("code")
    mine = layers.regions.set_index("code")
    assert sorted(mine.index) == sorted(ref.index) and len(mine) == 18
    ratio = mine.geometry.to_crs(6933).area / ref.geometry.to_crs(6933).area
    off = ratio[(ratio - 1).abs() > 0.03]
    assert off.empty, f"regions off by more than 3 %: {off.round(4).to_dict()}"


def test_departements_match_ign_outlines(layers, shared_dir):
    ref = gpd.read_file(shared_dir / "reference" / "departements-avec-outre-mer.geojson").set_index("code")
    mine = layers.departements.set_index("code")
    assert len(mine) == 101 and sorted(mine.index) == sorted(ref.index)
    ratio = mine.geometry.to_crs(6933).area / ref.geometry.to_crs(6933).area
    assert ((ratio - 1).abs() <= 0.05).all(), ratio[(ratio - 1).abs() > 0.05].to_dict()


def _outer_rings_clockwise(geom) -> bool:
    parts = getattr(geom, "geoms", [geom])
    return all(not p.exterior.is_ccw for p in parts)


def test_outer_rings_are_clockwise_for_plotly(layers):
    for gdf in (layers.countries, layers.regions, layers.departements):
        assert all(_outer_rings_clockwise(g) for g in gdf.geometry if g is not None and not g.is_empty)


def test_world_layer_is_light_and_complete(layers):
    world = layers.countries
    size = len(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": r.iso3, "geometry": shapely.geometry.mapping(r.geometry)}
        for r in world.itertuples()]}, separators=(",", ":")))
    assert size <= 1_000_000, size
    codes = set(world["iso3"])
    assert {"FRA", "NOR", "XKX", "MLI", "BFA", "SEN", "COM", "CPV", "HTI", "MUS", "STP", "SYC"} <= codes
    assert not world.geometry.is_empty.any() and world.geometry.is_valid.all()
    small = world[world["iso3"].isin(["COM", "CPV", "STP", "SYC", "MUS"])]
    assert small[["label_lon", "label_lat"]].notna().all().all()


def test_a_new_worker_reads_the_map_layers_a_first_one_made(fixture_db, tmp_path, monkeypatch):
    """The lightened layers of a build are kept in the cache folder: a worker that starts or recycles reads them
    (it spent seconds simplifying them again), and gets the same bytes at the same address."""
    from dashboard import snapshot
    from dashboard.db import Store

    first = snapshot.Snapshot(Store(fixture_db), cache_dir=tmp_path)
    kept = sorted(p.name.split("-")[0] for p in (tmp_path / "map-layers").iterdir())
    assert kept == ["countries", "departements", "regions"]

    def made_again(*args, **kwargs):
        raise AssertionError("the layer was made again")

    monkeypatch.setattr(snapshot, "map_layer", made_again)
    second = snapshot.Snapshot(Store(fixture_db), cache_dir=tmp_path)
    assert second.geometry_version == first.geometry_version
    assert (second.countries_geojson, second.regions_geojson, second.departements_geojson) == \
        (first.countries_geojson, first.regions_geojson, first.departements_geojson)


def test_a_rebuild_over_the_same_outlines_reads_the_layers_of_the_previous_build(editions_db, tmp_path, monkeypatch):
    """The layers are kept under what they are made of: a new build of other partnerships (every rebuild but a new
    geometry source) is opened without simplifying the geometry again, under an address of its own."""
    from dashboard import snapshot
    from dashboard.db import Store
    from etl.editions import path_of

    older = snapshot.Snapshot(Store(path_of(editions_db, OLD_EDITION)), cache_dir=tmp_path)

    def made_again(*args, **kwargs):
        raise AssertionError("the layer was made again")

    monkeypatch.setattr(snapshot, "map_layer", made_again)
    newer = snapshot.Snapshot(Store(editions_db), cache_dir=tmp_path)
    assert newer.version != older.version and newer.geometry_version != older.geometry_version
    assert (newer.countries_geojson, newer.regions_geojson, newer.departements_geojson) == \
        (older.countries_geojson, older.regions_geojson, older.departements_geojson)
