"""The app through its HTTP interface: page, geometry, CSV download, and callbacks as the browser calls them."""

import csv
import io
import json
import re

import pytest

from dashboard.callback_client import main_inputs, payload
from dashboard.catalogue import CHARTS
from dashboard.ids import Ids


def call(client, app, output_prefix: str, inputs: dict, state: dict | None = None, changed=None):
    r = client.post("/_dash-update-component", json=payload(app, output_prefix, inputs, state, changed))
    assert r.status_code in (200, 204), r.data[:500]
    return r.json["response"] if r.status_code == 200 else None


def test_page_and_assets_are_served_locally(client):
    r = client.get("/")
    assert r.status_code == 200
    html = r.data.decode()
    assert "cdn." not in html and "unpkg" not in html and "googleapis" not in html
    assert client.get("/assets/topojson/world_110m.json").status_code == 200


def test_geometry_is_served_once_with_long_cache(app, client):
    ref = app.server.config["coopatlas"].current().reference
    r = client.get(ref.world_url)
    assert r.status_code == 200 and "immutable" in r.headers["Cache-Control"]
    features = json.loads(r.data)["features"]
    assert len(features) > 200 and {"MLI", "COM", "XKX"} <= {f["id"] for f in features}
    assert len(r.data) <= 400_000  # lightened for the map (dashboard/state.py MAP_LAYERS)
    regions = client.get(ref.regions_url)
    assert len(regions.data) <= 200_000 and len(json.loads(regions.data)["features"]) == 18
    assert client.get("/geo/other-build/countries.geojson").status_code == 404


def test_departements_are_served_per_build_with_long_cache(app, client):
    ref = app.server.config["coopatlas"].current().reference
    assert ref.departements_url == ref.regions_url.replace("regions", "departements")
    r = client.get(ref.departements_url)
    assert r.status_code == 200 and r.mimetype == "application/geo+json"
    assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    features = json.loads(r.data)["features"]
    assert len(features) == 101 and {"29", "2A", "974", "976"} <= {f["id"] for f in features}
    assert len(r.data) <= 400_000  # lightened like the regions (snapshot.MAP_LAYERS)
    reunion = next(f for f in features if f["id"] == "974")["geometry"]
    lon, lat = json.loads(re.search(r"\[-?[0-9.]+,-?[0-9.]+\]", json.dumps(reunion, separators=(",", ":")))[0])
    assert -8.5 < lon < -6.7 and 41.9 < lat < 43.7  # in La Réunion's inset, as its region (geo/insets.py)
    assert client.get(ref.departements_url.replace(ref.departements_url.split("/")[2], "old")).status_code == 404


def _by_input(app, prop_id: str) -> str:
    """The output key of the server callback that ``prop_id`` ("id.prop") triggers (output prefixes are shared)."""
    return next(k for k, spec in app.callback_map.items() if "callback" in spec
                and any(f"{i['id']}.{i['property']}" == prop_id for i in spec["inputs"]))


def _call_by_input(client, app, prop_id: str, inputs: dict, state: dict):
    key = _by_input(app, prop_id)
    body = payload(app, key.strip("."), inputs, state, [prop_id])
    r = client.post("/_dash-update-component", json=body)
    assert r.status_code in (200, 204), r.data[:500]
    return r.json["response"] if r.status_code == 200 else None


def test_a_selected_region_draws_its_departements_and_a_click_sets_one(client, app):
    ref = app.server.config["coopatlas"].current().reference
    resp = call(client, app, Ids.KPI_PARTNERSHIPS, main_inputs(**{Ids.REGION: "53"}), {f"{Ids.LANG}.data": "fr"})
    layer = [tr for tr in resp[Ids.FRANCE]["figure"]["data"] if tr["name"] == "departements"]
    assert len(layer) == 1 and layer[0]["geojson"] == ref.departements_url  # the layer's URL, not its geometry
    assert sorted(layer[0]["locations"]) == ["22", "29", "35", "56"]
    whole = call(client, app, Ids.KPI_PARTNERSHIPS, main_inputs(), {f"{Ids.LANG}.data": "fr"})
    assert "departements" not in [tr["name"] for tr in whole[Ids.FRANCE]["figure"]["data"]]
    click = {f"{Ids.FRANCE}.clickData": {"points": [{"customdata": ["departement", "56"]}]}}
    state = {f"{Ids.REGION}.value": "53", f"{Ids.DEPARTEMENT}.value": None}
    resp = _call_by_input(client, app, f"{Ids.FRANCE}.clickData", click, state)
    assert resp[Ids.DEPARTEMENT]["value"] == "56" and Ids.REGION not in resp
    resp = _call_by_input(client, app, f"{Ids.FRANCE}.clickData", click, {**state, f"{Ids.DEPARTEMENT}.value": "56"})
    assert resp[Ids.DEPARTEMENT]["value"] is None  # a second click clears it
    region = {f"{Ids.FRANCE}.clickData": {"points": [{"customdata": "84"}]}}
    resp = _call_by_input(client, app, f"{Ids.FRANCE}.clickData", region, state)
    assert resp[Ids.REGION]["value"] == "84" and Ids.DEPARTEMENT not in resp


def test_slider_and_typed_years_move_together_and_a_bad_year_says_why(client, app):
    years = {f"{Ids.YEARS}.value": [1960, 2023], "f-debut.value": None, "f-fin.value": None}
    lang = {f"{Ids.LANG}.data": "fr"}
    def sync(changed: str, **typed):
        return call(client, app, Ids.YEARS, {**years, **typed}, lang, changed=[changed])

    resp = sync(f"{Ids.YEARS}.value", **{f"{Ids.YEARS}.value": [2012, 2023]})
    assert resp["f-debut"]["value"] == "2012" and resp["f-fin"]["value"] is None
    assert resp[f"{Ids.YEARS}-problem"]["children"] == "" and Ids.YEARS.value not in resp
    resp = sync("f-fin.value", **{"f-debut.value": "2012", "f-fin.value": "2015"})
    assert resp[Ids.YEARS]["value"] == [2012, 2015]
    for typed, words in ((("2016", "2012"), "L'année de début est après l'année de fin."),
                         (("1950", None), "Année hors de la plage 1960–2023."),
                         (("12", None), "Une année s'écrit avec quatre chiffres (de 1960 à 2023).")):
        resp = sync("f-debut.value", **{"f-debut.value": typed[0], "f-fin.value": typed[1]})
        assert resp == {f"{Ids.YEARS}-problem": {"children": words}}  # neither the slider nor the other year moves
        # …and the view stays as it was: the main callback does not update anything
        body = payload(app, Ids.KPI_PARTNERSHIPS, main_inputs(**{"f-debut": typed[0], "f-fin": typed[1]}), lang)
        assert client.post("/_dash-update-component", json=body).status_code == 204


def test_main_callback_reflects_all_filters(client, app):
    resp = call(client, app, Ids.KPI_PARTNERSHIPS, main_inputs(), {f"{Ids.LANG}.data": "fr"})
    assert resp[Ids.KPI_PARTNERSHIPS]["children"] == "29"
    assert resp[Ids.PERMALINK]["data"] == ""
    assert resp[Ids.CLEAR_COUNTRY]["hidden"] is True  # no country filter to clear
    resp = call(client, app, Ids.KPI_PARTNERSHIPS, main_inputs(**{Ids.REGION: "53", "f-theme": "GOUV"}),
                {f"{Ids.LANG}.data": "fr"})
    assert resp[Ids.KPI_PARTNERSHIPS]["children"] == "2"
    assert resp[Ids.PERMALINK]["data"] == "region=53&theme=GOUV"
    assert resp[Ids.CSV_LINK]["href"] == "/telecharger.csv?region=53&theme=GOUV"
    assert resp[Ids.LANG_LINK]["href"] == "?region=53&theme=GOUV&lang=en"
    world = resp[Ids.WORLD]["figure"]
    assert all(isinstance(tr.get("geojson", ""), str) for tr in world["data"])  # a URL, not the geometry
    assert len(json.dumps(resp)) < 200_000
    for chart in (c.id for c in CHARTS):
        assert resp[f"{chart}-summary"]["children"]


def test_main_callback_in_english_and_empty_state(client, app):
    resp = call(client, app, Ids.KPI_PARTNERSHIPS, main_inputs(**{Ids.PAYS: ["MLI"], "f-theme": "SPORT"}),
                {f"{Ids.LANG}.data": "en"})
    assert resp[Ids.KPI_PARTNERSHIPS]["children"] == "0"
    assert resp[Ids.CLEAR_COUNTRY]["hidden"] is False
    why = resp[Ids.EMPTY]["children"]  # contradictory filters: how many each alone gives
    assert why.startswith("No partnership meets all these filters.") and "Mali (" in why and "Sport (1)" in why


def test_clicking_a_country_toggles_it(client, app):
    click = {"points": [{"customdata": "MLI"}]}
    resp = call(client, app, Ids.PAYS, {f"{Ids.WORLD}.clickData": click, f"{Ids.CLEAR_COUNTRY}.n_clicks": 0},
                {f"{Ids.PAYS}.value": ["SEN"]}, changed=[f"{Ids.WORLD}.clickData"])
    assert resp[Ids.PAYS]["value"] == ["SEN", "MLI"]
    resp = call(client, app, Ids.PAYS, {f"{Ids.WORLD}.clickData": click, f"{Ids.CLEAR_COUNTRY}.n_clicks": 0},
                {f"{Ids.PAYS}.value": ["SEN", "MLI"]}, changed=[f"{Ids.WORLD}.clickData"])
    assert resp[Ids.PAYS]["value"] == ["SEN"]


def count(fixture_db, where: str) -> int:
    import duckdb

    with duckdb.connect(str(fixture_db), read_only=True) as con:
        return con.execute(f"SELECT count(*) FROM partnerships WHERE {where}").fetchone()[0]


def test_grid_rows_follow_the_permalink(client, app, fixture_db):
    resp = call(client, app, Ids.GRID, {f"{Ids.GRID}.getRowsRequest": {"startRow": 0, "endRow": 20, "sortModel": []}},
                {f"{Ids.PERMALINK}.data": "pays=MLI", f"{Ids.SEARCH}.value": None, f"{Ids.LANG}.data": "fr"})
    rows = resp[Ids.GRID]["getRowsResponse"]
    assert rows["rowCount"] == count(fixture_db, "partner_country_iso3 = 'MLI'") >= 2
    assert {r["iso3"] for r in rows["rowData"]} == {"MLI"}


def test_csv_download_is_exactly_the_filtered_rows(client, fixture_db):
    r = client.get("/telecharger.csv?pays=MLI~BFA&debut=2010")
    assert r.status_code == 200 and r.data.startswith(b"\xef\xbb\xbf")
    assert "attachment" in r.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(r.data.decode("utf-8-sig")), delimiter=";"))
    assert {row["Pays partenaire"] for row in rows} == {"Mali", "Burkina Faso"}
    assert all(int(row["Année de début"]) >= 2010 for row in rows)
    assert len(rows) == count(fixture_db, "partner_country_iso3 IN ('MLI', 'BFA') AND start_year >= 2010") >= 3
    junk = client.get("/telecharger.csv?pays=<script>&region=1'--&odd=99")
    assert junk.status_code == 200  # bad parameters are ignored: the whole set
    assert len(list(csv.reader(io.StringIO(junk.data.decode("utf-8-sig")), delimiter=";"))) == 1 + count(
        fixture_db, "TRUE")


def test_security_headers_and_compression(client):
    r = client.get("/", headers={"Accept-Encoding": "gzip"})
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-eval'" not in csp
    assert "sha256-" in csp  # Dash's inline scripts allowed by hash, not by 'unsafe-inline'
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "DENY"
    big = client.get("/telecharger.csv", headers={"Accept-Encoding": "gzip"})
    assert big.headers.get("Content-Encoding") == "gzip"
    html = client.get("/", headers={"Accept-Encoding": "identity"}).get_data(as_text=True)
    bundle = re.search(r'src="(/_dash-component-suites/[^"]*dash_renderer\.v[^"]+)"', html).group(1)
    script = client.get(bundle)
    assert "immutable" in script.headers["Cache-Control"]
    # not a page: the short policy of resources, not the page's with its hashes
    assert script.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert script.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/api/v1/partnerships").headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert "sha256-" in client.get("/404").headers["Content-Security-Policy"]


@pytest.mark.parametrize("path, status", [
    ("/", 200), ("/?region=53", 200), ("/suivi", 200), ("/region/53", 200), ("/pays/MLI", 200),
    ("/collectivite/COM:69123", 200), ("/embed/ch-odd", 200), ("/foo", 404), ("/api", 404), ("/region/99", 404),
    ("/pays/XXX", 404), ("/collectivite/COM:00000", 404), ("/embed/nope", 404), ("/404", 404)])
def test_unknown_addresses_answer_404(client, path, status):
    assert client.get(path).status_code == status


def test_the_404_page_is_translated_with_navigation(app):
    from dashboard.pages import not_found

    snap = app.server.config["coopatlas"].current()
    assert "Page introuvable" in str(not_found.layout(snap)) and "Tableau de bord" in str(not_found.layout(snap))
    assert "Page not found" in str(not_found.layout(snap, lang="en"))


def test_static_bodies_go_out_at_best_brotli_once_compressed(client):
    """Scripts and geometry: compressed once per process in the background, then sent brotli-compressed."""
    import time

    import brotli

    html = client.get("/", headers={"Accept-Encoding": "identity"}).get_data(as_text=True)
    url = re.search(r'src="(/_dash-component-suites/[^"]*dash_core_components\.v[^"]+)"', html).group(1)
    plain = client.get(url, headers={"Accept-Encoding": "identity"}).data
    deadline = time.time() + 30
    while True:
        r = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
        if r.headers.get("Content-Encoding") == "br" or time.time() > deadline:
            break
        time.sleep(0.2)
    assert r.headers["Content-Encoding"] == "br" and brotli.decompress(r.data) == plain
    assert len(r.data) < 0.2 * len(plain) and "immutable" in r.headers["Cache-Control"]
    assert client.get(url, headers={"Accept-Encoding": "gzip"}).headers["Content-Encoding"] == "gzip"


@pytest.mark.parametrize("module, query",
                         [("home", {"region": "53", "theme": "GOUV"}), ("monitor", {"zone": "maghreb"})])
def test_pages_come_with_the_first_view_their_callback_would_give(app, module, query):
    """The dashboard and the monitor draw at once: their layout holds every output of their callback for the
    address's filters (no round trip, no empty chart first)."""
    import importlib

    page = importlib.import_module(f"dashboard.pages.{module}")
    snap = app.server.config["coopatlas"].current()
    tree = page.layout(snap, **query)
    found = {getattr(c, "id", None): c for c in tree._traverse()}
    graphs = [c.id for c in (page.CHARTS if module == "monitor" else CHARTS)]
    for chart in graphs:
        assert found[chart].figure["data"], chart
        assert found[f"{chart}-summary"].children, chart
    permalink = found[Ids.PERMALINK].data
    assert permalink == "&".join(f"{k}={v}" for k, v in query.items())
    if module == "home":
        assert found[Ids.KPI_PARTNERSHIPS].children == "2"
        assert found[Ids.CSV_LINK].href == "/telecharger.csv?region=53&theme=GOUV"
        assert found[Ids.LANG_LINK].href == "?region=53&theme=GOUV&lang=en"


def test_a_page_load_runs_only_the_callbacks_its_view_needs(app):
    """Each callback a page's load runs costs the first view: Dash's renderer dispatches a few store actions per
    callback and each notifies every component of the page (250 on the dashboard). Besides the page router,
    only the address bar's sync, the embed snippets (which need the browser's origin) and the monitor's definitions
    (closed on a phone's width) run then; a click's
    callback (copy a link, a snippet) waits for its click."""
    from dashboard.pages.monitor import CHARTS as MONITOR_CHARTS

    initial = {cb["output"].split("@")[0] for cb in app._callback_list if not cb.get("prevent_initial_call")
               and not cb["output"].startswith("_pages")}  # Dash's page router, once a request has set it up
    snippets = {"...".join(f"{c.id}-embed.value" for c in charts) for charts in (CHARTS, MONITOR_CHARTS)}
    assert initial == {"url-sync.children", "mon-definitions.open", *(f"..{s}.." for s in snippets)}
    clicked = [cb for cb in app._callback_list if all(i["property"] == "n_clicks" for i in cb["inputs"])]
    assert len(clicked) >= 14 and all(cb["prevent_initial_call"] for cb in clicked)
