"""The events of ``data/events.csv``, through the database: drawn on the monitor's yearly series over HTTP when
their countries are in view, absent otherwise, and listed on the data page with their sources."""

import duckdb
import pytest

from dashboard.callback_client import payload
from dashboard.pages.monitor import INPUTS


@pytest.fixture(scope="module")
def events(fixture_db):
    with duckdb.connect(str(fixture_db), read_only=True) as con:
        return con.execute("SELECT id, year(date) AS year, countries, label_fr, label_en, source FROM events "
                           "ORDER BY date").df()


def _monitor(client, app, lang="fr", **values):
    base = {"m-zone": None, "m-pays": [], "m-region": None, "m-debut": 2000, "m-fin": 2024, "m-p1a": 2012,
            "m-p1b": 2016, "m-p2a": 2019, "m-p2b": 2023, **values}
    body = payload(app, "mon-share", {f"{i}.value": base[i] for i in INPUTS}, {"lang-store.data": lang})
    return client.post("/_dash-update-component", json=body).json["response"]


def _years(figure) -> list[int]:
    return [s["x0"] for s in figure["layout"].get("shapes", [])]


def test_sahel_series_carry_the_sahel_events(client, app, events):
    out = _monitor(client, app)  # the default zone: Sahel
    sahel = {"MLI", "BFA", "NER", "TCD", "MRT"}
    expected = sorted({int(y) for y, c in zip(events["year"], events["countries"]) if sahel & set(c)})
    assert expected[:3] == [2012, 2013, 2014] and 2023 in expected
    for chart in ("mon-share", "mon-budget"):
        figure = out[chart]["figure"]
        assert _years(figure) == expected, chart
        labels = [a["text"] for a in figure["layout"]["annotations"]]
        assert labels[0] == "Putsch au Mali" and labels[1] == "Opération Serval"
        assert "pointillées" in out[f"{chart}-summary"]["children"]
    assert not out["mon-flows"]["figure"]["layout"].get("shapes")  # only the yearly share and budget series


def test_chosen_countries_and_other_zones(client, app, events):
    niger = _monitor(client, app, lang="en", **{"m-pays": ["NER"]})["mon-share"]["figure"]
    assert _years(niger) == [2014, 2018, 2021, 2023]  # G5, CICID, the 2021 law, the coup and what followed
    assert niger["layout"]["annotations"][-1]["text"].startswith("Coup in Niger (+")
    haiti = _monitor(client, app, **{"m-pays": ["HTI"]})["mon-share"]["figure"]
    assert _years(haiti) == [2018, 2021]  # a priority country: only the policy events
    europe = _monitor(client, app, **{"m-zone": "europe"})
    assert not europe["mon-share"]["figure"]["layout"].get("shapes")
    assert not europe["mon-share"]["figure"]["layout"].get("annotations")
    assert "pointill" not in europe["mon-share-summary"]["children"]
    short = _monitor(client, app, **{"m-debut": 2015, "m-fin": 2019})["mon-share"]["figure"]
    assert _years(short) == [2018]  # only the years shown


def _texts(component) -> list:
    """Every string and link of a rendered layout, depth first."""
    if isinstance(component, str | int | float):
        return [str(component)]
    if isinstance(component, list | tuple):
        return [x for c in component for x in _texts(c)]
    out = [("href", component.href)] if getattr(component, "href", None) else []
    return out + _texts(getattr(component, "children", None) or [])


def test_the_data_page_lists_every_event_with_its_source(client, app, events):
    from dashboard.pages import data

    snap = app.server.config["coopatlas"].current()
    assert client.get("/donnees").status_code == 200
    table = data.events_table(snap.store, "fr")
    assert table.id == "data-events"
    texts = _texts(table)
    assert texts[0] == "Événements repères des courbes du suivi"
    assert texts[1:5] == ["Date", "Événement", "Pays", "Source"]
    for r in events.itertuples():
        assert r.label_fr in texts, r.id
    assert "22 mars 2012" in texts and "11 janvier 2013" in texts
    assert ("href", "https://www.legifrance.gouv.fr/loda/id/JORFTEXT000043898536") in texts
    assert "legifrance.gouv.fr" in texts
    assert "Pays prioritaires (CICID 2018)" in texts  # the 19 countries of an event named by their zone
    rows = table.children[2].children
    assert len(rows) == len(events) and all(len(row.children) == 4 for row in rows)
    assert all(any(isinstance(t, tuple) for t in _texts(row.children[3])) for row in rows), "a link per source"
    assert "data-events" in str(data.layout(snap))
    en = _texts(data.events_table(snap.store, "en"))
    assert "Events behind the monitor's curves" in en and "Operation Serval" in en and "January 11, 2013" in en
