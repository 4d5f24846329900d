"""Hostile input: every URL parameter and every value a browser can post, tried with SQL injection, path
traversal, huge values, unicode oddities, wrong types and repeated keys. Answers are 200 (the value ignored) or
4xx, never a 500 and never a leak."""

from urllib.parse import quote

import pytest

from dashboard.callback_client import main_inputs, payload
from dashboard.ids import Ids
from dashboard.pages import authority, country, home, monitor, region, search
from dashboard.pages.home import PANEL

PARAMS = ["region", "departement", "type", "pays", "zone", "theme", "odd", "debut", "fin", "action", "budget",
          "rrma", "mesure", "lang", "nimporte"]
NASTY = [
    "' OR 1=1 --", "84'; DROP TABLE partnerships; --", "\"; SELECT * FROM rejected_rows; --", "../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd", "%00", "\u0000", "A" * 100_000, "9" * 400, "-1", "1e309", "NaN", "∞", "８４",
    "ＭＬＩ", "\u202eILM", "<script>alert(1)</script>", "{{7*7}}", "${jndi:ldap://x}", "~~~~", "~" * 5000,
    "MLI~" * 2000, "🇲🇱", "\ud800", "null", "[]", "{}",
]
CONTROL_VALUES = [None, "", 0, -1, 10**30, 1.5, True, [], {}, ["x"] * 1000, {"$ne": 1}, "' OR 1=1 --",
                  "<img src=x onerror=alert(1)>", [None, {"a": 1}], "A" * 100_000]


def q(value: str) -> str:
    """Percent-encoded as a browser would, lone surrogates included (as their raw, invalid UTF-8 bytes)."""
    return quote(value, safe="", errors="surrogatepass")


def assert_clean(response):
    assert response.status_code < 500, response.data[:300]
    body = response.get_data(as_text=True)
    for leak in ("Traceback", "duckdb", "Binder Error", "Parser Error", "/work/", "site-packages"):
        assert leak not in body


@pytest.mark.parametrize("value", NASTY)
def test_every_url_parameter_of_the_csv_download_and_the_api(client, value):
    for name in PARAMS:
        assert_clean(client.get(f"/telecharger.csv?{name}={q(value)}"))
        assert_clean(client.get(f"/api/v1/partnerships?{name}={q(value)}&limit=5"))
        assert_clean(client.get(f"/api/v1/aggregates?by=country&{name}={q(value)}"))
    for name in ("limit", "offset", "format", "by"):
        assert_clean(client.get(f"/api/v1/partnerships?{name}={q(value)}"))
        assert_clean(client.get(f"/api/v1/aggregates?by={q(value)}&{name}={q(value)}"))


@pytest.mark.parametrize("value", NASTY[:12])
def test_geometry_and_page_paths(client, value):
    assert_clean(client.get(f"/geo/{q(value)}/countries.geojson"))
    assert_clean(client.get(f"/geo/x/{q(value)}.geojson"))
    assert_clean(client.get(f"/?region={q(value)}"))
    assert_clean(client.get(f"/{q(value)}"))


def test_repeated_keys_take_the_last_value(client):
    r = client.get("/telecharger.csv?pays=MLI&pays=XXX&pays=BFA")
    assert r.status_code == 200
    assert {line.split(";")[8] for line in r.get_data(as_text=True).splitlines()[1:]} <= {"Burkina Faso", "Mali"}


@pytest.mark.parametrize("value", NASTY)
def test_page_layout_with_nasty_query(app, value):
    snap = app.server.config["coopatlas"].current()
    for name in [*PARAMS, "p1", "p2"]:
        home.layout(snap, **{name: value})  # the layout of a permalink never raises
        monitor.layout(snap, **{name: value})


@pytest.mark.parametrize("value", CONTROL_VALUES)
def test_main_callback_with_any_control_value(client, app, value):
    for control in [s.control_id for s in PANEL] + [Ids.METRIC]:
        body = payload(app, Ids.KPI_PARTNERSHIPS, main_inputs(**{control: value}), {f"{Ids.LANG}.data": value})
        assert_clean(client.post("/_dash-update-component", json=body))


@pytest.mark.parametrize("value", CONTROL_VALUES)
def test_table_and_clicks_with_any_value(client, app, value):
    requests = [
        payload(app, Ids.GRID, {f"{Ids.GRID}.getRowsRequest": {"startRow": value, "endRow": value, "sortModel": value}},
                {f"{Ids.PERMALINK}.data": value, f"{Ids.SEARCH}.value": value, f"{Ids.LANG}.data": value}),
        payload(app, Ids.GRID, {f"{Ids.GRID}.getRowsRequest": value},
                {f"{Ids.PERMALINK}.data": "pays=MLI", f"{Ids.SEARCH}.value": value, f"{Ids.LANG}.data": "fr"}),
        payload(app, Ids.PAYS, {f"{Ids.WORLD}.clickData": {"points": [{"customdata": value}]},
                                f"{Ids.CLEAR_COUNTRY}.n_clicks": 0}, {f"{Ids.PAYS}.value": value},
                changed=[f"{Ids.WORLD}.clickData"]),
        payload(app, Ids.PAYS, {f"{Ids.WORLD}.clickData": value, f"{Ids.CLEAR_COUNTRY}.n_clicks": 0},
                {f"{Ids.PAYS}.value": None}, changed=[f"{Ids.WORLD}.clickData"]),
        payload(app, Ids.REGION, {f"{Ids.FRANCE}.clickData": value}, {f"{Ids.REGION}.value": value}),
    ]
    for body in requests:
        assert_clean(client.post("/_dash-update-component", json=body))


@pytest.mark.parametrize("value", CONTROL_VALUES)
def test_monitor_callback_with_any_value(client, app, value):
    from dashboard.pages.monitor import INPUTS

    for control in INPUTS:
        inputs = {f"{i}.value": None for i in INPUTS}
        inputs[f"{control}.value"] = value
        assert_clean(client.post("/_dash-update-component", json=payload(app, "mon-share", inputs,
                                                                         {"lang-store.data": value})))
    for path in ("/suivi", "/suivi?p1=2016-2012&p2=%00&debut=99999"):
        assert_clean(client.get(path))


@pytest.mark.parametrize("value", NASTY)
def test_search_and_profile_pages(app, client, value):
    snap = app.server.config["coopatlas"].current()
    search.layout(snap, **{"q": value})
    authority.layout(snap, code=value, **{"lang": value})
    country.layout(snap, iso3=value, **{})
    region.layout(snap, code=value, **{"vue": value})
    for path in (f"/recherche?q={q(value)}", f"/collectivite/{q(value)}", f"/pays/{q(value)}",
                 f"/region/{q(value)}", f"/export/region/{q(value)}.png", f"/export/region/84.{q(value)}"):
        assert_clean(client.get(path))


def test_malformed_callback_bodies(client):
    for body in (b"", b"{", b"[]", b'{"output": 1}', b"\xff\xfe"):
        r = client.post("/_dash-update-component", data=body, content_type="application/json")
        assert r.status_code != 500 or "Traceback" not in r.get_data(as_text=True)
