"""The rebalancing monitor: its figures recomputed in plain Python from the partnerships, by the documented
definition of an active partnership; its URL state; its callback."""

import duckdb
import pandas as pd
import pytest

from dashboard import queries
from dashboard.callback_client import payload
from dashboard.filters import Filters
from dashboard.pages.monitor import Monitor, this_year

YEAR = 2026


@pytest.fixture(scope="module")
def rows(fixture_db) -> pd.DataFrame:
    with duckdb.connect(str(fixture_db), read_only=True) as con:
        return con.execute("SELECT p.*, c.zones FROM partnerships p JOIN countries c "
                           "ON c.iso3 = p.partner_country_iso3").df()


def last_active(r) -> int:
    if pd.notna(r.end_year):
        return int(r.end_year)
    return int(r.start_year) if r.status in ("termine", "suspendu") else YEAR


@pytest.fixture(scope="module")
def store(fixture_db):
    from dashboard.db import Store

    s = Store(fixture_db)
    yield s
    s.close()


@pytest.mark.parametrize("zone", ["sahel", "afrique", "europe"])
def test_active_series_follows_the_definition(store, rows, zone):
    df = queries.monitor_years(store, Filters(zone=zone), 2005, 2025, YEAR).set_index("year")
    dated = rows[rows["start_year"].notna()]
    for year in range(2005, 2026):
        active = dated[[r.start_year <= year <= last_active(r) for r in dated.itertuples()]]
        in_zone = active[[zone in list(z) for z in active["zones"]]]
        assert df.loc[year, "all_active"] == len(active), year
        assert df.loc[year, "zone_active"] == len(in_zone), year
        assert df.loc[year, "zone_budget"] == pytest.approx(in_zone["budget_eur"].sum()), year
        assert df.loc[year, "entries"] == int((in_zone["start_year"] == year).sum())
        exits = [last_active(r) == year < YEAR for r in in_zone.itertuples()]
        assert df.loc[year, "exits"] == sum(exits)
        if len(active):
            assert df.loc[year, "zone_share"] == pytest.approx(len(in_zone) / len(active))


def test_periods_and_regions(store, rows):
    p1, p2 = (2010, 2015), (2018, 2023)
    periods = queries.monitor_periods(store, Filters(), p1, p2, YEAR).set_index("code")
    dated = rows[rows["start_year"].notna()]

    def active(lo, hi):
        return dated[[r.start_year <= hi and last_active(r) >= lo for r in dated.itertuples()]]

    for (lo, hi), col in ((p1, "p1"), (p2, "p2")):
        a = active(lo, hi)
        in_africa = sum("afrique" in list(z) for z in a["zones"])
        assert periods.loc["afrique", f"{col}_active"] == in_africa
        assert periods.loc["afrique", f"{col}_share"] == pytest.approx(in_africa / len(a))
    regions = queries.monitor_regions(store, Filters(zone="afrique"), p1, p2, YEAR).set_index("code")
    a2 = active(*p2)
    africa = pd.Series([("afrique" in list(z)) for z in a2["zones"]], index=a2.index)
    brittany = a2[(a2["fr_region_code"] == "53") & africa]
    assert regions.loc["53", "p2_zone"] == len(brittany)
    assert len(regions) == 18


def test_movers_enter_and_leave(store, rows):
    df = queries.monitor_movers(store, Filters(zone="sahel"), 2010, 2025, YEAR)
    in_sahel = pd.Series([("sahel" in list(z)) for z in rows["zones"]], index=rows.index)
    sahel = rows[in_sahel & rows["start_year"].notna()]
    firsts = sahel.groupby("fr_authority_key")["start_year"].min()
    expected = {k for k, v in firsts.items() if 2010 <= v <= 2025}
    assert expected <= set(df["key"])


def test_url_state_round_trip(store):
    vocab = queries.vocabulary(store)
    m = Monitor.from_query({"zone": "maghreb", "p1": "2005-2010", "debut": "1990", "lang": "en"}, vocab)
    assert (m.filters.zone, m.p1, m.first, m.last, m.filters.lang) == ("maghreb", (2005, 2010), 1990, this_year(),
                                                                       "en")
    assert m.to_query() == "zone=maghreb&lang=en&debut=1990&p1=2005-2010"
    assert Monitor.from_query({"p1": "2016-2012", "p2": "abc", "debut": "1800"}, vocab) == Monitor.default()


def test_monitor_callback(client, app):
    from dashboard.pages.monitor import INPUTS

    values = {"m-zone": "afrique", "m-pays": [], "m-region": None, "m-debut": 2000, "m-fin": 2024,
              "m-p1a": 2012, "m-p1b": 2016, "m-p2a": 2019, "m-p2b": 2023}
    body = payload(app, "mon-share", {f"{i}.value": values[i] for i in INPUTS}, {"lang-store.data": "fr"})
    r = client.post("/_dash-update-component", json=body)
    assert r.status_code == 200
    out = r.json["response"]
    assert out["permalink"]["data"] == "zone=afrique&fin=2024"
    assert out["mon-share-summary"]["children"].startswith("Afrique : ")
    assert out["mon-regions"]["children"]["props"]["children"]
    assert client.get("/suivi?zone=maghreb").status_code == 200


def test_data_page_counts_every_rejection_by_reason(client, store):
    from etl.normalise.years import last_plausible_year

    page = client.get("/donnees")
    assert page.status_code == 200
    kinds = queries.rejection_kinds(store).set_index("kind")["n"].to_dict()
    assert kinds == {f"année de début hors de la plage 1945–{last_plausible_year()}": 1,
                     "année de début illisible": 1, "budget illisible": 1, "budget négatif": 1,
                     "collectivité française manquante": 1, "identifiant en double": 1, "ligne mal formée": 1,
                     "nom ambigu": 1, "ODD hors de 1–17": 1, "pays partenaire en France": 1,
                     "pays partenaire inconnu": 1}
    coverage = queries.coverage_by_region(store)
    assert len(coverage) == 18 and coverage["partnerships"].sum() == 29
    assert coverage.set_index("code").loc["84", "with_budget"] == pytest.approx(
        store.df("SELECT avg((budget_eur IS NOT NULL)::INT) AS s FROM partnerships WHERE fr_region_code = '84'")
        .iloc[0]["s"])
