"""The schema is the contract: keys, not-nulls and accepted values, on the fixture and the demo databases."""

import duckdb
import pytest

from etl.normalise.countries import iso_codes


@pytest.fixture(params=["fixture_db", "demo_db"])
def con(request):
    c = duckdb.connect(str(request.getfixturevalue(request.param)), read_only=True)
    yield c
    c.close()


def values(con, sql):
    return {r[0] for r in con.execute(sql).fetchall()}


def test_codes_are_known(con):
    assert values(con, "SELECT partner_country_iso3 FROM partnerships") <= iso_codes()
    assert values(con, "SELECT partner_country_iso3 FROM partnerships") <= values(con, "SELECT iso3 FROM countries")
    assert values(con, "SELECT fr_region_code FROM partnerships") <= values(con, "SELECT code FROM fr_regions")
    assert values(con, "SELECT fr_departement_code FROM partnerships WHERE fr_departement_code IS NOT NULL") <= \
        values(con, "SELECT code FROM fr_departements")
    assert values(con, "SELECT fr_authority_type FROM partnerships") <= values(con, "SELECT code FROM authority_types")
    assert values(con, "SELECT unnest(themes) FROM partnerships") <= values(con, "SELECT code FROM themes")
    assert values(con, "SELECT unnest(odds) FROM partnerships") <= set(range(1, 18))
    assert values(con, "SELECT action_type FROM partnerships WHERE action_type IS NOT NULL") <= \
        values(con, "SELECT code FROM action_types")
    assert values(con, "SELECT status FROM partnerships WHERE status IS NOT NULL") <= \
        values(con, "SELECT code FROM statuses")
    assert values(con, "SELECT rrma FROM partnerships WHERE rrma IS NOT NULL") <= values(con, "SELECT code FROM rrma")
    assert values(con, "SELECT unnest(zones) FROM countries") <= values(con, "SELECT code FROM zones")


def test_each_authority_key_has_one_number_and_each_number_one_key(con):
    """``fr_authority_id`` numbers the keys of the build: the dashboard counts and ranks authorities by it."""
    keys, ids, pairs = con.execute("""
        SELECT count(DISTINCT fr_authority_key), count(DISTINCT fr_authority_id),
               count(DISTINCT (fr_authority_key, fr_authority_id)) FROM partnerships""").fetchone()
    assert keys == ids == pairs > 10


def test_bit_masks_agree_with_the_lists(con):
    """``odd_bits`` has bit n for each ODD n of ``odds``; ``theme_bits`` the bit of each theme of ``themes``: the
    filters and the theme and ODD charts read the masks, the table and the exports the lists."""
    from etl.vocab import theme_bits

    assert dict(con.execute("SELECT code, bit FROM themes").fetchall()) == theme_bits()
    bad = con.execute("""
        SELECT partnership_id, odds, odd_bits, themes, theme_bits FROM partnerships p
        WHERE odd_bits IS DISTINCT FROM (SELECT coalesce(bit_or(1 << o.number), 0) FROM odd o
                                         WHERE list_contains(p.odds, o.number))
           OR theme_bits IS DISTINCT FROM (SELECT coalesce(bit_or(1::BIGINT << t.bit), 0) FROM themes t
                                           WHERE list_contains(p.themes, t.code))""").fetchall()
    assert bad == []
    assert con.execute("SELECT count(*) FROM partnerships WHERE odd_bits <> 0 AND theme_bits <> 0").fetchone()[0] > 0


def test_partnership_rows_are_consistent(con):
    assert con.execute("SELECT count(*) - count(DISTINCT partnership_id) FROM partnerships").fetchone() == (0,)
    bad = con.execute("""
        SELECT count(*) FROM partnerships p LEFT JOIN fr_departements d ON d.code = p.fr_departement_code
        WHERE (p.fr_departement_code IS NOT NULL AND d.region_code <> p.fr_region_code)
           OR (p.fr_authority_type = 'commune' AND p.fr_commune_code IS NULL)
           OR p.budget_eur < 0 OR p.end_year < p.start_year
           OR p.start_year NOT BETWEEN 1945 AND year(current_date) + 10
    """).fetchone()
    assert bad == (0,)


def test_reference_tables(con):
    assert con.execute("SELECT count(*) FROM fr_regions").fetchone() == (18,)
    assert con.execute("SELECT count(*) FROM fr_departements").fetchone() == (101,)
    assert con.execute("SELECT count(*) FROM odd").fetchone() == (17,)
    assert values(con, "SELECT iso3 FROM countries WHERE 'sahel' = ANY(zones)") == {"MLI", "BFA", "NER", "TCD", "MRT"}
    assert values(con, "SELECT iso3 FROM countries WHERE 'maghreb' = ANY(zones)") >= {"MAR", "DZA", "TUN"}
    assert con.execute("SELECT count(*) FROM countries WHERE continent IS NULL").fetchone() == (0,)
    assert values(con, "SELECT rrma FROM fr_regions WHERE code = '84'") == {"resacoop"}
    assert con.execute("SELECT count(*) FROM build_info").fetchone() == (1,)


def _shapes(con, sql):
    import shapely

    return {r[0]: [shapely.from_wkb(bytes(g)) if isinstance(g, bytes | bytearray) else g for g in r[1:]]
            for r in con.execute(sql).fetchall()}


def test_france_map_layout_is_prepared_by_the_build(con):
    """Inset shapes and label points of the France map: computed once by the build, as the app used to at
    every start (geo.insets.inset, representative points of the inset and of the true shape)."""
    from shapely import Point

    from geo.insets import INSET_BOXES, inset

    regions = _shapes(con, "SELECT code, ST_AsWKB(geometry), ST_AsWKB(inset_geometry), label_lon, label_lat, "
                           "centre_lon, centre_lat FROM fr_regions")
    assert len(regions) == 18
    for code, (geom, moved, lon, lat, clon, clat) in regions.items():
        assert moved.equals_exact(inset(code, geom), 1e-9), code
        assert (code in INSET_BOXES) == (not moved.equals(geom)), code
        assert moved.contains(Point(lon, lat)) and geom.contains(Point(clon, clat)), code
        label, centre = moved.representative_point(), geom.representative_point()
        assert (lon, lat, clon, clat) == pytest.approx((label.x, label.y, centre.x, centre.y), abs=1e-9), code
    lon, lat = regions["03"][2:4]  # Guyane sits in its box west of Brittany, its centre in South America
    assert -9 < lon < -6 and 44 < lat < 46 and regions["03"][5] < 10
    deps = _shapes(con, "SELECT code, ST_AsWKB(geometry), label_lon, label_lat FROM fr_departements")
    assert len(deps) == 101
    assert all(geom.contains(Point(lon, lat)) for geom, lon, lat in deps.values())


def test_events_and_memberships(con):
    assert values(con, "SELECT unnest(countries) FROM events") <= values(con, "SELECT iso3 FROM countries")
    assert values(con, "SELECT iso3 FROM memberships") <= values(con, "SELECT iso3 FROM countries")
    assert values(con, "SELECT left_event FROM memberships WHERE left_event IS NOT NULL") <= \
        values(con, "SELECT id FROM events")
    assert con.execute("SELECT count(*) FROM events WHERE source = '' OR len(countries) = 0").fetchone() == (0,)
    # zone:prioritaires in events.csv is expanded to the zone's 19 countries
    assert values(con, "SELECT unnest(countries) FROM events WHERE id = 'cicid_2018'") == \
        values(con, "SELECT iso3 FROM countries WHERE 'prioritaires' = ANY(zones)")
    assert con.execute("SELECT date FROM events WHERE id = 'serval_2013'").fetchone()[0].isoformat() == "2013-01-11"


def test_populations(con):
    """French populations: COG (populations légales 2017) with Mayotte supplied by data/populations.csv (INSEE,
    2017 census), regions the sum of their départements; partner countries: Natural Earth's estimate and its year."""
    assert con.execute("SELECT population FROM fr_regions WHERE code = '06'").fetchone() == (256518,)
    assert con.execute("SELECT population FROM fr_departements WHERE code = '976'").fetchone() == (256518,)
    assert con.execute("SELECT count(*) FROM fr_regions WHERE population <= 0").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM fr_departements WHERE population <= 0").fetchone() == (0,)
    assert con.execute("""SELECT count(*) FROM fr_regions r JOIN (SELECT region_code, sum(population) AS p
                          FROM fr_departements GROUP BY 1) d ON d.region_code = r.code
                          WHERE d.p <> r.population""").fetchone() == (0,)
    assert con.execute("SELECT population FROM fr_regions WHERE code = '11'").fetchone() == (12174880,)
    known, drawn = con.execute("SELECT count(population), count(geometry) FROM countries").fetchone()
    assert known >= drawn - 2 and known > 230
    assert con.execute("SELECT count(*) FROM countries WHERE (population IS NULL) <> (population_year IS NULL) "
                       "OR population <= 0 OR population_year NOT BETWEEN 2000 AND 2030").fetchone() == (0,)
    assert con.execute("SELECT population, population_year FROM countries WHERE iso3 = 'MLI'").fetchone() == \
        (19658031, 2019)
