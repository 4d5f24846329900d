"""The priority countries of French development policy, declared once as a zone in ``data/zones.toml``, reach every
place zones appear: the countries table, the filter panel and the URL, the main callback, the API's ``zone=``, the
monitor's zone list, its yearly series and its comparison of periods."""

import duckdb
import pytest

from dashboard import queries
from dashboard.callback_client import main_inputs, payload
from dashboard.filters import Filters
from dashboard.ids import Ids
from dashboard.pages import home
from dashboard.pages import monitor as monitor_page

PRIORITY = {"BEN", "BFA", "BDI", "COM", "DJI", "ETH", "GMB", "GIN", "HTI", "LBR", "MDG", "MLI", "MRT", "NER", "CAF",
            "COD", "SEN", "TCD", "TGO"}
IN_PRIORITY = f"partner_country_iso3 IN ({', '.join(repr(c) for c in sorted(PRIORITY))})"


@pytest.fixture(scope="module")
def sql(fixture_db):
    con = duckdb.connect(str(fixture_db), read_only=True)
    yield lambda q, params=(): con.execute(q, list(params)).fetchone()[0]
    con.close()


def test_the_19_countries_form_the_zone(sql):
    assert sql("SELECT list(iso3 ORDER BY iso3) FROM countries WHERE list_contains(zones, 'prioritaires')") == \
        sorted(PRIORITY)
    assert sql("SELECT label_fr FROM zones WHERE code = 'prioritaires'") == "Pays prioritaires (CICID 2018)"
    assert sql("SELECT count(*) FROM partnerships WHERE " + IN_PRIORITY) > 0  # the fixture has some


def test_in_the_filter_panel_the_url_and_the_main_callback(client, app, snap, sql):
    assert {"label": "Pays prioritaires (CICID 2018)", "value": "prioritaires"} in snap.vocab.choices("zone", "fr")
    assert {"label": "Priority countries (CICID 2018)", "value": "prioritaires"} in snap.vocab.choices("zone", "en")
    f = Filters.from_query({"zone": "prioritaires"}, snap.vocab)
    assert f.zone == "prioritaires" and f.to_query() == "zone=prioritaires"
    assert "Pays prioritaires (CICID 2018)" in str(home.layout(snap, zone="prioritaires"))
    body = payload(app, Ids.KPI_PARTNERSHIPS, main_inputs(**{"f-zone": "prioritaires"}), {f"{Ids.LANG}.data": "fr"})
    out = client.post("/_dash-update-component", json=body).json["response"]
    assert out[Ids.KPI_PARTNERSHIPS]["children"] == str(sql("SELECT count(*) FROM partnerships WHERE " + IN_PRIORITY))
    assert out[Ids.PERMALINK]["data"] == "zone=prioritaires"


def test_in_the_api(client, sql):
    page = client.get("/api/v1/partnerships?zone=prioritaires&limit=1000").json
    assert page["ignored"] == [] and page["filters"] == "zone=prioritaires"
    assert page["total"] == sql("SELECT count(*) FROM partnerships WHERE " + IN_PRIORITY)
    assert {item["partner_country_iso3"] for item in page["items"]} <= PRIORITY
    by_country = client.get("/api/v1/aggregates?by=country&zone=prioritaires").json
    assert {item["key"] for item in by_country["items"]} <= PRIORITY
    assert sum(item["partnerships"] for item in by_country["items"]) == page["total"]


def test_in_the_monitor_zone_list_series_and_periods(client, app, snap, sql):
    page = str(monitor_page.layout(snap, zone="prioritaires"))
    assert "'m-zone'" in page and "Pays prioritaires (CICID 2018)" in page
    assert client.get("/suivi?zone=prioritaires").status_code == 200
    f = Filters(zone="prioritaires")
    years = queries.monitor_years(snap.store, f, 2010, 2025, 2026).set_index("year")
    active_2016 = sql(f"""SELECT count(*) FROM partnerships WHERE {IN_PRIORITY} AND start_year <= 2016 AND
                          CASE WHEN end_year IS NOT NULL THEN end_year WHEN status IN ('termine', 'suspendu')
                               THEN start_year ELSE 2026 END >= 2016""")
    assert years.loc[2016, "zone_active"] == active_2016 > 0
    periods = queries.monitor_periods(snap.store, Filters(), (2010, 2015), (2018, 2023), 2026).set_index("code")
    assert "prioritaires" in periods.index and periods.loc["prioritaires", "p2_active"] > 0
    fig, _summary = monitor_page.CHARTS[3].build(monitor_page._Data(
        years.reset_index(), periods.reset_index(), "x", monitor_page.Monitor.default()))
    assert "Pays prioritaires<br>(CICID 2018)" in fig["data"][0]["y"]  # its name on two lines beside its bar
    assert any(h.startswith("Pays prioritaires (CICID 2018)\u00a0: ") for h in fig["data"][0]["hovertext"])
    values = {"m-zone": "prioritaires", "m-pays": [], "m-region": None, "m-debut": 2000, "m-fin": 2024,
              "m-p1a": 2012, "m-p1b": 2016, "m-p2a": 2019, "m-p2b": 2023}
    body = payload(app, "mon-share", {f"{i}.value": values[i] for i in monitor_page.INPUTS}, {"lang-store.data": "fr"})
    out = client.post("/_dash-update-component", json=body).json["response"]
    assert out["permalink"]["data"] == "zone=prioritaires&fin=2024&p1=2012-2016&p2=2019-2023"
    assert out["mon-share-summary"]["children"].startswith("Pays prioritaires (CICID 2018)\u00a0: ")
