"""The measure "per 100,000 inhabitants", declared once in MEASURES: its figures cross-checked against plain SQL
(maps' statistics, rankings, the region footprint, the API) and its reach (the URL, the measure selector, the main
callback's maps and rankings)."""

import json

import duckdb
import plotly.utils
import pytest

from dashboard import queries
from dashboard.callback_client import main_inputs, payload
from dashboard.db import Store
from dashboard.filters import MEASURE, Filters
from dashboard.i18n import ordinal
from dashboard.ids import Ids
from dashboard.pages import home, region

PER = MEASURE["par_habitant"]


@pytest.fixture(scope="module")
def con(fixture_db):
    c = duckdb.connect(str(fixture_db), read_only=True)
    yield c
    c.close()


def _rates(con, key: str, table: str, on: str, where: str = "TRUE") -> dict:
    """Partnerships per 100,000 inhabitants per key, in plain SQL."""
    return {k: (n, pop, 100_000 * n / pop) for k, n, pop in con.execute(f"""
        SELECT p.{key}, count(*), t.population FROM partnerships p JOIN {table} t ON t.{on} = p.{key}
        WHERE {where} GROUP BY p.{key}, t.population""").fetchall()}


def test_map_statistics_match_sql(snap, con):
    expected = _rates(con, "partner_country_iso3", "countries", "iso3")
    stats = queries.by_country(snap.store, Filters()).set_index("iso3")
    assert set(stats.index) == set(expected)
    for iso3, (n, pop, rate) in expected.items():
        assert stats.loc[iso3, "partnerships"] == n and stats.loc[iso3, "population"] == pop
        assert stats.loc[iso3, "partnerships_per_100k"] == pytest.approx(rate), iso3
    assert expected["MLI"] == (2, 19658031, pytest.approx(100_000 * 2 / 19658031))
    regions = queries.by_region(snap.store, Filters(region="53", theme="EAU")).set_index("code")  # region ignored
    expected = _rates(con, "fr_region_code", "fr_regions", "code", "list_contains(p.themes, 'EAU')")
    for code, (n, pop, rate) in expected.items():
        assert regions.loc[code, "partnerships"] == n and regions.loc[code, "population"] == pop
        assert regions.loc[code, "partnerships_per_100k"] == pytest.approx(rate), code


def test_rankings_per_inhabitant_match_sql(demo_db):
    store = Store(demo_db)
    try:
        top = queries.top_countries(store, Filters(mesure="par_habitant"), 10)
        with duckdb.connect(str(demo_db), read_only=True) as c:
            sql = c.execute(f"""
                SELECT p.partner_country_iso3, 100000.0 * count(*) / any_value(c.population) AS rate
                FROM partnerships p JOIN countries c ON c.iso3 = p.partner_country_iso3
                GROUP BY 1 HAVING count(*) >= {PER.rank_min} AND any_value(c.population) > 0
                ORDER BY rate DESC, count(*) DESC, 1 LIMIT 10""").fetchall()
        assert list(top["iso3"]) == [r[0] for r in sql]
        assert list(top["partnerships_per_100k"]) == pytest.approx([r[1] for r in sql])
        assert (top["partnerships"] >= PER.rank_min).all()
        by_count = queries.top_countries(store, Filters(), 5)  # the default measure ranks by partnerships
        assert list(by_count["partnerships"]) == sorted(by_count["partnerships"], reverse=True)
    finally:
        store.close()


def test_region_footprint_ranks_per_inhabitant(snap, con):
    rows = con.execute("""SELECT r.code, r.population, count(p.partnership_id) AS n FROM fr_regions r
                          LEFT JOIN partnerships p ON p.fr_region_code = r.code GROUP BY 1, 2""").fetchall()
    rate = {code: n / pop for code, pop, n in rows}
    for code in ("84", "53", "06", "04"):
        summary = queries.region_summary(snap.store, code)
        assert summary["rank_per_capita"] == 1 + sum(r > rate[code] for r in rate.values()), code
        assert summary["per_100k"] == pytest.approx(100_000 * rate[code])
    page = str(region.layout(snap, code="53"))
    rank = queries.region_summary(snap.store, "53")["rank_per_capita"]
    assert f"{ordinal(int(rank), 'fr')} / 18" in page and "rang des régions (par habitant)" in page
    assert "rank among regions (per inhabitant)" in str(region.layout(snap, code="53", lang="en"))
    assert queries.region_summary(snap.store, "06")["population"] == 256518  # Mayotte has its inhabitants


@pytest.mark.parametrize("by, key, table, on", [("country", "partner_country_iso3", "countries", "iso3"),
                                                ("region", "fr_region_code", "fr_regions", "code"),
                                                ("departement", "fr_departement_code", "fr_departements", "code")])
def test_api_aggregates_carry_population_and_rate(client, con, by, key, table, on):
    body = client.get(f"/api/v1/aggregates?by={by}&zone=afrique").json
    expected = _rates(con, key, table, on, "p.partner_country_iso3 IN (SELECT iso3 FROM countries "
                                           "WHERE list_contains(zones, 'afrique'))")
    assert {i["key"] for i in body["items"] if i["key"] is not None} == set(expected)
    for item in body["items"]:
        if item["key"] is None:  # partnerships of regions have no département
            assert item["population"] is None and item["partnerships_per_100k"] is None
            continue
        _n, pop, rate = expected[item["key"]]
        assert item["population"] == pop and item["partnerships_per_100k"] == pytest.approx(rate), item["key"]
    theme = client.get("/api/v1/aggregates?by=theme").json["items"][0]
    assert "population" not in theme and "partnerships_per_100k" not in theme
    doc = client.get("/api/v1/openapi.json").json
    item = doc["components"]["schemas"]["Aggregates"]["properties"]["items"]["items"]["properties"]
    assert "100\u202f000" in item["partnerships_per_100k"]["description"] and "Natural Earth" in item["population"][
        "description"]


def test_measure_in_the_url_the_selector_and_the_main_callback(client, app, snap, con):
    f = Filters.from_query({"mesure": "par_habitant"}, snap.vocab)
    assert f.mesure == "par_habitant" and f.to_query() == "mesure=par_habitant"
    layout = json.dumps(home.layout(snap, mesure="par_habitant").to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder,
                        ensure_ascii=False)
    assert "Partenariats pour 100\u202f000 habitants" in layout and '"par_habitant"' in layout
    body = payload(app, Ids.KPI_PARTNERSHIPS, {**main_inputs(), f"{Ids.METRIC}.value": "par_habitant"},
                   {f"{Ids.LANG}.data": "fr"})
    out = client.post("/_dash-update-component", json=body).json["response"]
    world = next(tr for tr in out["map-world"]["figure"]["data"] if tr["name"] == "data")
    expected = _rates(con, "partner_country_iso3", "countries", "iso3")
    assert dict(zip(world["locations"], world["z"])) == pytest.approx({k: v[2] for k, v in expected.items()})
    colorbar = out["map-world"]["figure"]["layout"]["coloraxis"]["colorbar"]
    assert colorbar["title"]["text"] == "Partenariats pour 100\u202f000 habitants"
    france = out["map-france"]["figure"]["data"][0]
    regional = _rates(con, "fr_region_code", "fr_regions", "code")
    z = dict(zip(france["locations"], france["z"]))
    assert {k: z[k] for k in regional} == pytest.approx({k: v[2] for k, v in regional.items()})
    assert z["94"] == 0  # Corse: no partnership, a rate of 0
    assert "pour 100\u202f000 habitants" in out["map-world-summary"]["children"]
    ranked = out["ch-regions"]["figure"]["data"][0]
    kept = {k: v for k, v in regional.items() if v[0] >= PER.rank_min}
    assert ranked["customdata"] == sorted(kept, key=lambda k: -kept[k][2])
    assert out["permalink"]["data"] == "mesure=par_habitant"
