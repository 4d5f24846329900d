"""The dashboard in a real browser: permalinks, map clicks, filters, the CSV download, offline, no console error."""

from __future__ import annotations

import csv
import re
import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.conftest import (
    console_errors,
    pushed_margins,
    requested_hosts,
    requested_urls,
    show_table,
    viewport,
    wait_for,
)

pytestmark = pytest.mark.browser


def kpi(driver, name="kpi-partnerships") -> str:
    return driver.execute_script(f"var e = document.getElementById('{name}'); return e ? e.textContent : null")


def loaded(driver) -> bool:
    value = kpi(driver)
    paths = driver.execute_script("return document.querySelectorAll('#map-world path.choroplethlocation').length")
    return bool(value) and value != "…" and paths > 100


def choose(driver, dropdown: str, typed: str, option: str) -> None:
    """Open a dropdown, type to narrow it, pick an option, as a user does."""
    driver.find_element(By.ID, dropdown).click()
    search = wait_for(lambda: driver.find_elements(By.CSS_SELECTOR,
                                                   ".dash-dropdown-content input.dash-dropdown-search"))
    search[0].send_keys(typed)
    def pick() -> bool:
        items = [o for o in driver.find_elements(By.CSS_SELECTOR, ".dash-dropdown-content [role=option]")
                 if o.text.strip() == option]
        if items:
            items[0].click()
        return bool(items)

    wait_for(pick)
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)


def query(driver) -> str:
    return driver.execute_script("return window.location.search")


def test_home_renders_offline_without_console_errors(browser, live_server, sql):
    browser.get(live_server + "/")
    wait_for(lambda: loaded(browser))
    assert kpi(browser) == str(sql("SELECT count(*) FROM partnerships"))
    assert kpi(browser, "kpi-countries") == str(sql("SELECT count(DISTINCT partner_country_iso3) FROM partnerships"))
    assert "€" in kpi(browser, "kpi-budget")
    regions = browser.execute_script("return document.querySelectorAll('#map-france path.choroplethlocation').length")
    assert regions == 18
    assert browser.find_element(By.CSS_SELECTOR, "footer").text.startswith("Base construite le")
    assert not browser.find_elements(By.ID, "demo-banner")  # the fixture database is an import, not demo data
    hosts = requested_hosts(browser)
    assert hosts and all(h.startswith("127.0.0.1") for h in hosts), hosts
    assert console_errors(browser) == []


def test_permalink_reproduces_the_view(browser, live_server):
    browser.get(live_server + "/?region=53&theme=GOUV&lang=en")
    wait_for(lambda: loaded(browser))
    assert kpi(browser) == "2"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Atlas of French decentralised cooperation"
    assert query(browser) == "?region=53&theme=GOUV&lang=en"
    assert console_errors(browser) == []


def test_malformed_parameters_are_ignored_not_an_error_page(browser, live_server, sql):
    browser.get(live_server + "/?region=99&pays=ATL~MLI&odd=42&debut=abc&x=<script>alert(1)</script>")
    wait_for(lambda: loaded(browser))
    assert kpi(browser) == str(sql("SELECT count(*) FROM partnerships WHERE partner_country_iso3 = 'MLI'"))
    assert query(browser) == "?pays=MLI"
    assert console_errors(browser) == []


def test_clicking_a_country_filters_every_view(browser, live_server, sql):
    browser.get(live_server + "/")
    wait_for(lambda: loaded(browser))
    assert not browser.find_element(By.ID, "clear-country").is_displayed()  # no country filter to clear
    path = wait_for(lambda: browser.execute_script("""
        return Array.from(document.querySelectorAll('#map-world .choroplethlocation'))
            .find(p => p.__data__ && p.__data__.loc === 'MAR' && p.__data__.z > 0);"""))
    ActionChains(browser).move_to_element(path).click().perform()
    wait_for(lambda: query(browser) == "?pays=MAR")
    wait_for(lambda: kpi(browser) == str(sql("SELECT count(*) FROM partnerships WHERE partner_country_iso3 = 'MAR'")))
    wait_for(lambda: browser.find_element(By.ID, "ch-top-countries-summary").text.startswith("Maroc arrive en tête"))
    browser.find_element(By.ID, "clear-country").click()
    wait_for(lambda: kpi(browser) == str(sql("SELECT count(*) FROM partnerships")))
    assert query(browser) == ""
    wait_for(lambda: not browser.find_element(By.ID, "clear-country").is_displayed())
    assert browser.switch_to.active_element.get_attribute("id") == "f-pays"  # not lost with the hidden button
    assert console_errors(browser) == []


def test_back_and_forward_walk_through_filter_states(browser, live_server, sql):
    browser.get(live_server + "/?theme=GOUV")
    wait_for(lambda: loaded(browser))
    total_gouv = str(sql("SELECT count(*) FROM partnerships WHERE list_contains(themes, 'GOUV')"))
    wait_for(lambda: kpi(browser) == total_gouv)
    choose(browser, "f-region", "Bretagne", "Bretagne — Réseau Bretagne Solidaire")
    wait_for(lambda: query(browser) == "?region=53&theme=GOUV")
    wait_for(lambda: kpi(browser) == "2")
    browser.back()
    wait_for(lambda: query(browser) == "?theme=GOUV")
    wait_for(lambda: kpi(browser) == total_gouv)
    browser.forward()
    wait_for(lambda: query(browser) == "?region=53&theme=GOUV")
    wait_for(lambda: kpi(browser) == "2")
    assert console_errors(browser) == []


def test_filters_update_url_kpis_and_table(browser, live_server, sql):
    browser.get(live_server + "/")
    wait_for(lambda: loaded(browser))
    choose(browser, "f-theme", "Eau et", "Eau et assainissement")
    water = sql("SELECT count(*) FROM partnerships WHERE list_contains(themes, 'EAU')")
    wait_for(lambda: query(browser) == "?theme=EAU")
    wait_for(lambda: kpi(browser) == str(water))
    show_table(browser)
    wait_for(lambda: browser.find_element(By.ID, "table-count").text == f"{water} partenariats")
    cells = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#grid .ag-row [col-id='fr_authority_name']"))
    assert len(cells) == water
    start = browser.find_element(By.ID, "f-debut")
    start.send_keys("2014", Keys.TAB)
    wait_for(lambda: query(browser) == "?theme=EAU&debut=2014")
    wait_for(lambda: kpi(browser) == str(sql(
        "SELECT count(*) FROM partnerships WHERE list_contains(themes, 'EAU') AND start_year >= 2014")))
    assert console_errors(browser) == []


def test_csv_download_holds_exactly_the_filtered_rows(browser, live_server, downloads, sql):
    browser.get(live_server + "/?pays=MLI~BFA")
    wait_for(lambda: loaded(browser))
    wait_for(lambda: browser.find_element(By.ID, "csv-link").get_attribute("href").endswith("pays=BFA~MLI"))
    before = set(downloads.iterdir())
    browser.find_element(By.ID, "csv-link").click()
    new = wait_for(lambda: [p for p in downloads.iterdir() if p not in before and p.suffix == ".csv"])
    time.sleep(0.5)
    raw = new[0].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert len(rows) == int(kpi(browser)) == sql(
        "SELECT count(*) FROM partnerships WHERE partner_country_iso3 IN ('MLI', 'BFA')")
    assert {r["Pays partenaire"] for r in rows} == {"Mali", "Burkina Faso"}


def test_usable_at_375_px(browser, live_server):
    browser.set_window_size(375, 800)
    browser.get(live_server + "/")
    wait_for(lambda: loaded(browser))
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 380, width
    assert console_errors(browser) == []


def test_markup_in_data_is_shown_as_text(browser, hostile_server):
    from selenium.common.exceptions import NoAlertPresentException

    browser.get(hostile_server + "/")
    wait_for(lambda: kpi(browser) == "2")
    show_table(browser)
    cells = wait_for(lambda: [c.text for c in browser.find_elements(
        By.CSS_SELECTOR, "#grid .ag-row [col-id='fr_authority_name']")])
    assert "<img src=x onerror=alert(1)>" in cells
    ticks = browser.execute_script(
        "return Array.from(document.querySelectorAll('#ch-top-authorities .textpoint text')).map(t => t.textContent)")
    assert "<img src=x onerror=alert(1)>" in ticks
    assert not browser.find_elements(By.CSS_SELECTOR, "img[src='x']")
    time.sleep(0.5)
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 — no script from the data ever ran
    assert console_errors(browser) == []


def test_monitor_permalink_and_zone_change(browser, live_server):
    browser.get(live_server + "/suivi?zone=afrique&p1=2008-2012")
    def summary() -> str:
        return browser.execute_script("var e = document.getElementById('mon-share-summary');"
                                      "return e ? e.textContent : ''")

    wait_for(lambda: summary().startswith("Afrique\u00a0: "))
    assert query(browser) == "?zone=afrique&p1=2008-2012"
    choose(browser, "m-zone", "Europe", "Europe")
    wait_for(lambda: query(browser) == "?zone=europe&p1=2008-2012")
    wait_for(lambda: summary().startswith("Europe\u00a0: "))
    rows = browser.find_elements(By.CSS_SELECTOR, "#mon-regions tbody tr")
    assert len(rows) == 18
    assert console_errors(browser) == []


def test_monitor_draws_the_events_of_the_priority_countries(browser, live_server):
    browser.get(live_server + "/suivi?zone=prioritaires&lang=en")

    def labels(graph: str) -> list[str]:
        return browser.execute_script(
            "return Array.from(document.querySelectorAll(arguments[0] + ' .annotation-text'))"
            ".map(e => e.textContent)", f"#{graph}")

    wait_for(lambda: "Coup in Mali" in labels("mon-share"))
    assert labels("mon-share")[:3] == ["Coup in Mali", "Operation Serval", "G5 Sahel founded (+1)"]
    assert "CICID: 19 priority countries" in labels("mon-budget")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#mon-share .shapelayer path")) == len(labels("mon-share"))
    assert not labels("mon-flows")
    choose(browser, "m-zone", "Europe", "Europe")
    wait_for(lambda: query(browser) == "?zone=europe&lang=en")
    wait_for(lambda: not labels("mon-share"))  # no event concerns Europe
    assert console_errors(browser) == []


def test_measure_per_inhabitant_colours_the_maps(browser, live_server):
    browser.get(live_server + "/?mesure=par_habitant")
    wait_for(lambda: loaded(browser))
    wait_for(lambda: "pour 100\u202f000 habitants" in browser.find_element(By.ID, "map-world-summary").text)
    checked = browser.find_element(By.CSS_SELECTOR, "#f-metric input:checked")
    assert checked.get_attribute("value") == "par_habitant"
    assert "Partenariats pour 100\u202f000 habitants" in browser.find_element(By.ID, "map-world").text
    assert console_errors(browser) == []


def test_search_from_any_page_to_an_authority_and_who_else(browser, live_server):
    browser.get(live_server + "/suivi")
    box = wait_for(lambda: browser.find_elements(By.ID, "site-search"))[0]
    box.send_keys("besanson", Keys.ENTER)  # a typo, no accent
    link = wait_for(lambda: [a for a in browser.find_elements(By.CSS_SELECTOR, ".results a")
                             if a.text == "Ville de Besançon"])[0]
    link.click()
    wait_for(lambda: "/collectivite/COM:25056" in browser.current_url)
    wait_for(lambda: browser.find_elements(By.ID, "who-else"))
    assert browser.find_element(By.TAG_NAME, "h2").text == "Ville de Besançon"
    assert console_errors(browser) == []


def test_embed_snippet_follows_the_view_and_renders(browser, live_server):
    browser.get(live_server + "/?theme=EAU")
    wait_for(lambda: loaded(browser))
    snippet = wait_for(lambda: browser.find_element(By.ID, "ch-themes-embed").get_attribute("value"))
    assert f'src="{live_server}/embed/ch-themes?theme=EAU"' in snippet
    browser.execute_script("""
        const box = document.createElement('div'); box.id = 'host'; box.innerHTML = arguments[0];
        document.body.prepend(box);""", snippet)
    frame = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#host iframe"))[0]
    browser.switch_to.frame(frame)
    wait_for(lambda: browser.execute_script("return document.querySelectorAll('#embed-graph .bars path').length > 0"))
    assert "Source : Atlas" in browser.find_element(By.CSS_SELECTOR, ".print-source").text
    browser.switch_to.default_content()
    assert console_errors(browser) == []


@pytest.mark.parametrize("chart", ["map-world", "ch-odd", "ch-years-count"])
def test_an_embed_fits_a_480_px_frame_and_states_its_filters(browser, live_server, chart):
    browser.set_window_size(600, 480 + 120)  # the window's chrome takes some of it: the page gets ≈ 480 px
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 600, "height": 480, "deviceScaleFactor": 1, "mobile": False})
    browser.get(live_server + f"/embed/{chart}?pays=MLI&debut=2005")
    wait_for(lambda: browser.execute_script("return document.querySelectorAll('#embed-graph .main-svg').length"))
    box = browser.execute_script("""
        const r = e => document.querySelector(e).getBoundingClientRect();
        const g = document.querySelector('#embed-graph'), strip = parseFloat(getComputedStyle(g).paddingTop);
        return {source: r('.print-source').bottom, graph: r('#embed-graph').height - strip,
                width: document.documentElement.scrollWidth,
                filters: document.querySelector('#embed-filters').innerText};""")
    assert box["source"] <= 480 and box["graph"] >= 160 and box["width"] <= 600
    assert "Mali" in box["filters"] and "2005" in box["filters"]
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


LEGEND_PLACE = """const gd = document.querySelector('#embed-graph .js-plotly-plot');
    const legend = gd.querySelector('.legend').getBoundingClientRect();
    const ticks = Math.max(...[...gd.querySelectorAll('.xtick text, .g-xtitle text')]
        .map(t => t.getBoundingClientRect().bottom));
    return [Math.round(legend.top - ticks), Math.round(gd.getBoundingClientRect().bottom - legend.bottom),
            Math.round(gd._fullLayout._size.h)];"""


def steady(driver, script: str, timeout: float = 10.0):
    """What ``script`` returns once two readings in a row agree (a responsive graph may be drawn again once it has
    its size)."""
    last, deadline = driver.execute_script(script), time.time() + timeout
    while time.time() < deadline:
        time.sleep(0.3)
        now = driver.execute_script(script)
        if now == last:
            return now
        last = now
    raise AssertionError(f"still changing after {timeout} s: {last!r}")


@pytest.mark.parametrize("chart", ["ch-years-count", "mon-flows"])
def test_an_embeds_legend_stands_under_its_axis_in_any_frame(browser, live_server, chart):
    """The legend under a chart stands at the graph's foot, right under the axis's labels, however high the frame
    the embed is given (it used to be placed by a fraction of the plot's height computed for the dashboard's
    card: far under the axis in a tall frame, off the graph in a taller one), and no margin is pushed."""
    seen = []
    for height in (480, 900):
        with viewport(browser, 600, height):
            browser.get(live_server + f"/embed/{chart}")
            wait_for(lambda: browser.execute_script(
                "return document.querySelectorAll('#embed-graph .legend').length"))
            seen.append(steady(browser, LEGEND_PLACE))
            assert pushed_margins(browser) == {}
    (gap_low, foot_low, plot_low), (gap_high, foot_high, plot_high) = seen
    assert plot_high > plot_low + 300, seen  # the plot took the taller frame's room
    assert 0 <= gap_low <= 20 and abs(gap_high - gap_low) <= 2 and 0 <= foot_low <= 12 and foot_high == foot_low, seen


def test_sahel_zooms_the_world_map(browser, live_server):
    browser.set_window_size(1440, 1000)
    browser.get(live_server + "/?zone=sahel")
    wait_for(lambda: loaded(browser))
    width = wait_for(lambda: browser.execute_script("""
        const p = Array.from(document.querySelectorAll('#map-world .choroplethlocation'))
            .find(p => p.__data__ && p.__data__.loc === 'MLI' && p.__data__.z > 0);
        return p ? p.getBoundingClientRect().width : 0;"""))
    assert width >= 80  # Mali fills a good part of the card (it was ≈ 20 px on the whole world)


@pytest.mark.parametrize("path", ["/", "/suivi", "/region/53", "/collectivite/COM:69123", "/pays/MLI", "/donnees",
                                  "/recherche?q=lyon"])
def test_phone_pages_do_not_scroll_sideways(browser, live_server, path):
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    browser.get(live_server + path)
    wait_for(lambda: browser.find_elements(By.TAG_NAME, "footer"))
    time.sleep(1.5)
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
    # nor does a table hide columns in a box of its own: each row is a block, each value after its column's name
    tables = browser.execute_script("""return Array.from(document.querySelectorAll('.data-table')).map(t => ({
        id: t.id, overflow: t.scrollWidth - t.clientWidth,
        unnamed: Array.from(t.querySelectorAll('tbody td:not(:first-child)')).filter(td =>
            getComputedStyle(td, '::before').content !== JSON.stringify(td.dataset.label || '-')).length}))""")
    assert all(table["overflow"] <= 1 and table["unnamed"] == 0 for table in tables), tables
    if path == "/":
        top = browser.execute_script("return document.getElementById('kpi-partnerships').getBoundingClientRect().top")
        assert top < 844  # the first key figure is on the first screen, the filters are a drawer
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_pages_load_only_the_scripts_they_need(browser, live_server):
    """The partial plotly bundle, never Dash's full plotly.min.js nor its @babel/polyfill (the bundle brings the
    regenerator runtime Dash's scripts call, and the browser's own functions stay); AG Grid's bundle only once the
    dashboard's table comes near the viewport, fingerprinted (cached for a year)."""
    browser.get(live_server + "/embed/ch-odd")
    wait_for(lambda: browser.execute_script("return document.querySelectorAll('#embed-graph .bars path').length > 0"))
    urls = requested_urls(browser)
    assert any("/assets/vendor/plotly-coopatlas.min.js?m=" in u for u in urls), urls
    assert not [u for u in urls if "package_data/plotly" in u or "dash_ag_grid" in u or "dash_table" in u
                or "polyfill" in u]
    assert browser.execute_script("return typeof regeneratorRuntime.mark === 'function'"
                                  " && String.prototype.trim.toString().includes('[native code]')")
    browser.get(live_server + "/")
    wait_for(lambda: loaded(browser))
    time.sleep(0.5)
    assert not [u for u in requested_urls(browser) if "dash_ag_grid" in u or "package_data/plotly" in u]
    assert browser.execute_script("return window.dash_ag_grid.loaded()") is False
    show_table(browser)
    grid = [u for u in requested_urls(browser) if "/dash_ag_grid/" in u]
    assert any(re.search(r"/dash_ag_grid/dash_ag_grid\.v[0-9_]+m[0-9]+\.min\.js$", u) for u in grid), grid
    assert console_errors(browser) == []


def thumbs(driver) -> list[str]:
    return driver.execute_script("return Array.from(document.querySelectorAll('#f-years [role=slider]'))"
                                 ".map(t => t.getAttribute('aria-valuenow'))")


def test_year_slider_and_typed_years_move_together(browser, live_server, sql):
    browser.get(live_server + "/")
    wait_for(lambda: loaded(browser))
    assert thumbs(browser) == ["1960", "2023"]  # the data's first and last start years
    low = browser.find_element(By.CSS_SELECTOR, "#f-years .dash-slider-thumb-1")
    assert browser.execute_script(  # named in French by the fieldset's words, not Radix's "Minimum"
        "return arguments[0].getAttribute('aria-labelledby').split(' ')"
        ".map(i => document.getElementById(i).textContent).join(' ')", low) == "Année de début de"
    low.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)  # the keyboard moves the slider
    wait_for(lambda: query(browser) == "?debut=1962")
    assert browser.find_element(By.ID, "f-debut").get_attribute("value") == "1962"
    browser.find_element(By.ID, "f-fin").send_keys("2015", Keys.TAB)
    wait_for(lambda: thumbs(browser) == ["1962", "2015"])
    wait_for(lambda: query(browser) == "?debut=1962&fin=2015")
    wait_for(lambda: kpi(browser) == str(sql(
        "SELECT count(*) FROM partnerships WHERE start_year BETWEEN 1962 AND 2015")))
    start = browser.find_element(By.ID, "f-debut")
    start.send_keys(Keys.CONTROL, "a")
    start.send_keys("2020", Keys.TAB)  # after the end year
    wait_for(lambda: browser.find_element(By.ID, "f-years-problem").text
             == "L'année de début est après l'année de fin.")
    assert query(browser) == "?debut=1962&fin=2015" and thumbs(browser) == ["1962", "2015"]
    assert browser.find_element(By.ID, "f-fin").get_attribute("value") == "2015"  # the other bound stays
    start.send_keys(Keys.CONTROL, "a")
    start.send_keys("20", Keys.TAB)
    wait_for(lambda: "quatre chiffres" in browser.find_element(By.ID, "f-years-problem").text)
    start.send_keys(Keys.CONTROL, "a")
    start.send_keys("2012", Keys.TAB)
    wait_for(lambda: query(browser) == "?debut=2012&fin=2015")
    wait_for(lambda: not browser.find_element(By.ID, "f-years-problem").text and thumbs(browser) == ["2012", "2015"])
    assert console_errors(browser) == []


def test_play_steps_the_map_and_key_figures_through_the_years_then_pauses(browser, live_server, sql):
    browser.get(live_server + "/")
    wait_for(lambda: loaded(browser))
    play = browser.find_element(By.ID, "play-years")
    assert play.tag_name == "button" and play.get_attribute("aria-pressed") == "false"
    steps = browser.execute_script("return window.history.length")
    play.send_keys(Keys.ENTER)  # a real button: the keyboard starts it
    wait_for(lambda: play.get_attribute("aria-pressed") == "true")
    for year in (1960, 1961):  # the first two years, each shown in the URL, the key figures and the map
        count = str(sql(f"SELECT count(*) FROM partnerships WHERE start_year = {year}"))
        wait_for(lambda y=year, n=count: query(browser) == f"?debut={y}&fin={y}" and kpi(browser) == n
                 and browser.find_element(By.ID, "play-year").text == str(y))
    wait_for(lambda: query(browser) not in ("?debut=1960&fin=1960", "?debut=1961&fin=1961"), timeout=30)
    play.click()  # pause
    wait_for(lambda: play.get_attribute("aria-pressed") == "false")
    year = browser.find_element(By.ID, "f-debut").get_attribute("value")
    wait_for(lambda: query(browser) == f"?debut={year}&fin={year}")  # the view stays on the year it reached
    assert browser.find_element(By.ID, "f-fin").get_attribute("value") == year and int(year) >= 1962
    assert browser.find_element(By.ID, "play-year").text == year
    assert browser.execute_script("return window.history.length") == steps + 1  # the play is one step of history
    assert console_errors(browser) == []


def test_clicking_a_departement_of_the_selected_region_sets_the_filter(browser, live_server, sql):
    browser.set_window_size(1440, 1000)
    browser.get(live_server + "/?region=53")
    wait_for(lambda: loaded(browser))

    def morbihan():
        return browser.execute_script("""
            return Array.from(document.querySelectorAll('#map-france .choroplethlocation'))
                .find(p => p.__data__ && p.__data__.loc === '56');""")

    path = wait_for(morbihan)
    assert path.rect["width"] >= 30  # the map zooms to the region: its départements are big enough to click
    ActionChains(browser).move_to_element(path).click().perform()
    wait_for(lambda: query(browser) == "?region=53&departement=56")
    wait_for(lambda: kpi(browser) == str(sql("SELECT count(*) FROM partnerships WHERE fr_departement_code = '56'")))
    wait_for(lambda: "Morbihan" in browser.find_element(By.ID, "f-departement").text)
    ActionChains(browser).move_to_element(wait_for(morbihan)).click().perform()  # again: cleared
    wait_for(lambda: query(browser) == "?region=53")
    assert console_errors(browser) == []


@pytest.mark.parametrize("width", [1440, 1024])
def test_years_show_four_digits_at_desktop_widths(browser, live_server, width):
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False})
    browser.get(live_server + "/?debut=2012&fin=2019")
    wait_for(lambda: loaded(browser))
    seen = browser.execute_script("""
        const box = e => e.getBoundingClientRect();
        const inputs = ['f-debut', 'f-fin'].map(i => document.getElementById(i));
        const marks = Array.from(document.querySelectorAll('#f-years .dash-slider-mark'));
        const panel = box(document.getElementById('filters-panel'));
        return {values: inputs.map(i => i.value), clipped: inputs.map(i => i.scrollWidth > i.clientWidth),
                marks: marks.map(m => m.textContent),
                overlap: marks.slice(1).some((m, i) => box(m).left < box(marks[i]).right),
                outside: marks.some(m => box(m).left < panel.left || box(m).right > panel.right)};""")
    assert seen["values"] == ["2012", "2019"] and seen["clipped"] == [False, False]
    assert seen["marks"][0] == "1960" and seen["marks"][-1] == "2023" and all(len(m) == 4 for m in seen["marks"])
    assert not seen["overlap"] and not seen["outside"]
    assert thumbs(browser) == ["2012", "2019"]
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_phone_year_range_fits_without_sideways_scroll(browser, live_server):
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    browser.get(live_server + "/?region=53&debut=2012")
    wait_for(lambda: loaded(browser))
    browser.find_element(By.ID, "filters-toggle").click()
    wait_for(lambda: browser.find_element(By.ID, "f-years").is_displayed())
    seen = browser.execute_script("""
        const marks = Array.from(document.querySelectorAll('#f-years .dash-slider-mark'));
        return {width: document.documentElement.scrollWidth,
                right: Math.max(...marks.map(m => m.getBoundingClientRect().right)),
                play: document.getElementById('play-years').getBoundingClientRect().right};""")
    assert seen["width"] <= 390 and seen["right"] <= 390 and seen["play"] <= 390, seen
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.parametrize("path", ["/", "/?region=53&mesure=budget", "/?zone=sahel&lang=en"])
def test_desktop_charts_come_with_room_for_their_labels(browser, live_server, path):
    """Each chart's margins, given by the server, already hold its labels, legend and colour bar: plotly's
    ``automargin`` has nothing to push, so no chart is drawn a second time (twice the drawing time)."""
    with viewport(browser, 1440):
        browser.get(live_server + path)
        wait_for(lambda: loaded(browser) and browser.execute_script(
            "return document.querySelectorAll('.js-plotly-plot .main-svg').length >= 24"))
        assert pushed_margins(browser) == {}


def test_phone_year_charts_come_with_room_for_their_legend(browser, live_server):
    """On a phone the continents' legend wraps to more rows than on a desktop, and the budget bins' labels are
    slanted: the margins are counted for a phone's plot too, so that these charts are not drawn twice there."""
    with viewport(browser, 390):
        browser.get(live_server + "/")
        wait_for(lambda: loaded(browser) and browser.execute_script(
            "return document.querySelectorAll('.js-plotly-plot .main-svg').length >= 24"))
        pushed = pushed_margins(browser)
        rows = browser.execute_script(
            "const l = document.querySelector('#ch-years-count .js-plotly-plot')._fullLayout.legend;"
            "return Math.round(l._effHeight)")
    assert rows > 30  # the legend takes more than one row there
    assert not [k for k, sides in pushed.items() if k.startswith("ch-years") and sides[0].startswith("b:")], pushed
    assert "ch-budget-dist" not in pushed, pushed


def test_phone_maps_leave_no_empty_band_below_them(browser, live_server):
    """On a phone the maps are shorter than on a desktop, and so are their boxes (no blank band below)."""
    with viewport(browser, 390):
        browser.get(live_server + "/")
        wait_for(lambda: loaded(browser))
        boxes = browser.execute_script("""
            return Array.from(document.querySelectorAll('.map-card .graph-box')).map(b => [
                Math.round(b.getBoundingClientRect().height - parseFloat(getComputedStyle(b).paddingTop)),
                Math.round(b.querySelector('.graph').getBoundingClientRect().height)]);""")
    assert len(boxes) == 2 and all(box == graph < 400 for box, graph in boxes), boxes  # the toolbar's strip aside


TOOLBARS = """return Array.from(document.querySelectorAll('.js-plotly-plot')).map(g => {
    const bar = g.querySelector('.modebar'), holder = g.closest('.graph-box') || g.closest('.embed-graph');
    if (!bar || !holder) { return [g.parentElement.id, bar ? 'no box around it' : 'no toolbar']; }
    const b = bar.getBoundingClientRect(), box = holder.getBoundingClientRect();
    const plot = g.querySelector('.main-svg').getBoundingClientRect();
    return [g.parentElement.id, b.bottom <= plot.top + 1 && b.top >= box.top - 1 && b.right <= box.right + 1];
});"""


@pytest.mark.parametrize("path", ["/", "/suivi", "/embed/ch-odd"])
def test_a_touch_screen_shows_the_chart_toolbar_above_the_chart_not_over_it(browser, live_server, path):
    """Where nothing hovers, plotly shows its toolbar all the time (headless Chromium, like a phone, matches
    ``(hover: none)``): it stands in a strip of its own above each chart, inside the chart's box, and covers
    neither a bar's label nor a corner of the map."""
    with viewport(browser, 390):
        assert browser.execute_script("return matchMedia('(hover: none)').matches")
        browser.get(live_server + path)
        wait_for(lambda: browser.execute_script(
            "return document.querySelectorAll('.js-plotly-plot .modebar').length"
            " === document.querySelectorAll('.js-plotly-plot').length"
            " && document.querySelectorAll('.js-plotly-plot').length > 0"))
        placed = browser.execute_script(TOOLBARS)
    assert placed and all(ok is True for _id, ok in placed), placed
