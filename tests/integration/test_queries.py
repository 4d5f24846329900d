"""Queries on the fixture database, cross-checked against plain SQL."""

import shutil

import duckdb
import pytest

from dashboard import queries
from dashboard.db import DatabaseMissing, Store
from dashboard.filters import Filters, where


@pytest.fixture(scope="module")
def store(fixture_db):
    s = Store(fixture_db)
    yield s
    s.close()


@pytest.fixture(scope="module")
def con(fixture_db):
    c = duckdb.connect(str(fixture_db), read_only=True)
    yield c
    c.close()


def test_kpis_match_direct_sql(store, con):
    k = queries.kpis(store, Filters())
    direct = con.execute("SELECT count(*), count(DISTINCT fr_authority_key), count(DISTINCT partner_country_iso3), "
                         "sum(budget_eur), count(budget_eur) FROM partnerships").fetchone()
    assert (k["partnerships"], k["authorities"], k["countries"], k["budget"], k["budget_known"]) == direct


@pytest.mark.parametrize("f, sql", [
    (Filters(region="53"), "fr_region_code = '53'"),
    (Filters(pays=("MLI", "BFA")), "partner_country_iso3 IN ('MLI', 'BFA')"),
    (Filters(zone="sahel"), "partner_country_iso3 IN ('MLI', 'BFA', 'NER', 'TCD', 'MRT')"),
    (Filters(theme="EAU"), "list_contains(themes, 'EAU')"),
    (Filters(odd=(6, 13)), "list_contains(odds, 6) OR list_contains(odds, 13)"),
    (Filters(debut=2015, fin=2019), "start_year BETWEEN 2015 AND 2019"),
    (Filters(budget="inconnu"), "budget_eur IS NULL"),
    (Filters(type="region"), "fr_authority_type = 'region'"),
    (Filters(action="JUMELAGE"), "action_type = 'JUMELAGE'"),
    (Filters(rrma="ycid"), "rrma = 'ycid'"),
    (Filters(region="84", theme="EAU", budget="connu"),
     "fr_region_code = '84' AND list_contains(themes, 'EAU') AND budget_eur IS NOT NULL"),
])
def test_every_filter_narrows_like_sql(store, con, f, sql):
    expected = con.execute(f"SELECT count(*) FROM partnerships WHERE {sql}").fetchone()[0]
    assert expected > 0
    assert queries.kpis(store, f)["partnerships"] == expected
    rows, total = queries.partnerships_page(store, f, 0, 100)
    assert total == expected == len(rows)
    assert len(queries.partnerships_export(store, f)) == expected


def test_theme_and_odd_masks_select_the_rows_of_the_lists(con):
    """Every theme, every goal and pairs of goals: the filters' bit tests keep the rows ``list_contains`` keeps."""
    def ids(sql, params=()):
        return {r[0] for r in con.execute(f"SELECT partnership_id FROM partnerships p WHERE {sql}", params).fetchall()}

    for (code,) in con.execute("SELECT code FROM themes").fetchall():
        assert ids(*where(Filters(theme=code))) == ids("list_contains(themes, ?)", [code]), code
    for odds in [(n,) for n in range(1, 18)] + [(6, 13), (1, 17), (4, 5, 16)]:
        expected = ids(" OR ".join(["list_contains(odds, ?)"] * len(odds)), list(odds))
        assert ids(*where(Filters(odd=odds))) == expected, odds
    assert ids(*where(Filters(odd=(6,)))) and ids(*where(Filters(theme="EAU")))


def _themes_rewritten(tmp_path, fixture_db, select: str, *statements: str):
    """A copy of the fixture database whose ``themes`` table is ``SELECT {select} FROM themes``."""
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(fixture_db, copy)
    with duckdb.connect(str(copy)) as c:
        for sql in (*statements, f"CREATE TABLE t AS SELECT {select} FROM themes", "DROP TABLE themes",
                    "ALTER TABLE t RENAME TO themes"):
            c.execute(sql)
    return copy


@pytest.mark.parametrize("select, statements, message", [
    # as built before the masks existed
    ("* EXCLUDE (bit)", ("ALTER TABLE partnerships DROP COLUMN odd_bits",
                         "ALTER TABLE partnerships DROP COLUMN theme_bits"),
     r"colonne partnerships\.theme_bits absente.*coopatlas build"),
    # the theme filter tests the bit data/themes.csv gives a theme: other bits would select another theme
    ("* REPLACE (CASE code WHEN 'EAU' THEN 62 ELSE bit END AS bit)", (),
     r"thème\(s\) EAU sans le bit que leur donne data/themes.csv.*coopatlas build"),
])
def test_a_database_without_the_masks_of_this_code_is_refused(tmp_path, fixture_db, select, statements, message):
    with pytest.raises(DatabaseMissing, match=message):
        Store(_themes_rewritten(tmp_path, fixture_db, select, *statements))


def test_maps_drop_their_own_dimension(store):
    f = Filters(pays=("MLI",), region="84")
    by_country = queries.by_country(store, f)
    assert set(by_country["iso3"]) > {"MLI"}  # other countries still shown around the selection
    by_region = queries.by_region(store, f)
    assert len(by_region) > 1


def test_odd_has_all_17_and_counts(store, con):
    df = queries.by_odd(store, Filters())
    assert list(df["number"]) == list(range(1, 18))
    six = con.execute("SELECT count(*) FROM partnerships WHERE list_contains(odds, 6)").fetchone()[0]
    assert df.set_index("number").loc[6, "partnerships"] == six


def test_budget_bins_add_up(store, con):
    df = queries.budget_bins(store, Filters())
    assert df["partnerships"].sum() == con.execute("SELECT count(budget_eur) FROM partnerships").fetchone()[0]
    assert df["budget"].sum() == pytest.approx(con.execute("SELECT sum(budget_eur) FROM partnerships").fetchone()[0])


def test_page_sorting_and_search(store):
    rows, total = queries.partnerships_page(store, Filters(), 0, 5, [{"colId": "budget_eur", "sort": "desc"}])
    budgets = [b for b in rows["budget_eur"] if b == b]
    assert budgets == sorted(budgets, reverse=True)
    rows, total = queries.partnerships_page(store, Filters(), 0, 50, None, "besancon")  # accents ignored
    assert total == 2 and set(rows["fr_authority_name"]) == {"Ville de Besançon"}
    rows, _ = queries.partnerships_page(store, Filters(), 0, 5, [{"colId": "1; DROP TABLE x", "sort": "asc"}])
    assert len(rows) == 5  # unknown sort columns are ignored, never spliced into SQL


def test_export_has_labels_not_codes(store):
    df = queries.partnerships_export(store, Filters(pays=("MLI",)))
    assert set(df["country_name"]) == {"Mali"}
    assert "Eau et assainissement" in set(df["themes"])
    assert list(df.columns)[:3] == ["partnership_id", "title", "fr_authority_name"]


def test_missing_or_corrupt_database_says_how_to_fix(tmp_path):
    with pytest.raises(DatabaseMissing, match="coopatlas demo --db"):
        Store(tmp_path / "absent.duckdb")
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"not a database")
    with pytest.raises(DatabaseMissing, match="coopatlas build"):
        Store(bad)


def test_top_countries_obey_the_country_filter(store):
    df = queries.top_countries(store, Filters(pays=("MAR",)))
    assert list(df["iso3"]) == ["MAR"]


def test_counts_alone_are_each_filters_own_count_from_one_query(store):
    f = Filters(region="53", zone="sahel", theme="EAU", odd=(6, 13), budget="inconnu")
    assert queries.counts_alone(store, f) == [queries.kpis(store, Filters(**{spec.name: value}))["partnerships"]
                                              for spec, value in f.active()]
    assert queries.counts_alone(store, Filters()) == []
