"""The monitor in a real browser: a wrong period says so next to its boxes, on a phone too (in the filters'
drawer, without sideways scrolling); its charts come with the room their labels and legends take."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard.pages.monitor import this_year
from tests.browser.conftest import console_errors, pushed_margins, viewport, wait_for


def test_a_wrong_period_shows_its_message_and_a_phone_does_not_scroll_sideways(browser, live_server):
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    browser.get(live_server + "/suivi?p1=2010-2005")

    def message(group: str) -> str:
        return browser.execute_script("var e = document.getElementById(arguments[0]);"
                                      "return e && e.offsetParent !== null ? e.textContent : ''", f"m-{group}-problem")

    wait_for(lambda: browser.find_elements(By.ID, "filters-toggle"))
    # the definitions' seven sentences start closed on a phone, where they pushed the first chart a screen down
    wait_for(lambda: browser.execute_script("return document.getElementById('mon-definitions').open === false"))
    assert message("p1") == ""  # in the closed drawer
    browser.find_element(By.ID, "filters-toggle").click()
    wait_for(lambda: message("p1").startswith("L'année de début est après l'année de fin."))
    assert "2010–2012" in message("p1")  # the years shown instead
    assert browser.find_element(By.ID, "m-p1b").get_attribute("value") == "2005"  # what was given stays
    start, end = (browser.find_element(By.ID, i).get_attribute("value") for i in ("m-p2a", "m-p2b"))
    box = browser.find_element(By.ID, "m-p2b")
    box.clear()
    box.send_keys(str(this_year() + 4), Keys.ENTER)  # a future year
    wait_for(lambda: message("p2") == f"Année hors de la plage 1945–{this_year()}. "
                                      f"Affichées à la place\u00a0: {start}–{end}.")
    wait_for(lambda: f"p2={start}-{this_year() + 4}" in browser.execute_script("return window.location.search"))
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
    snippet = browser.find_element(By.ID, "mon-share-embed").get_attribute("value")  # "Intégrer" follows the state
    assert f'/embed/mon-share?p1=2010-2005&p2={start}-{this_year() + 4}"' in snippet
    browser.find_element(By.ID, "copy-link").click()  # "Copier le lien": copied, or the address shown
    wait_for(lambda: browser.find_element(By.ID, "copy-status").get_attribute("textContent"))
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert console_errors(browser) == []


@pytest.mark.parametrize(("path", "width", "events"), [
    ("/suivi", 1440, True), ("/suivi?zone=maghreb&lang=en", 1440, True), ("/suivi?zone=europe", 1440, False),
    ("/suivi", 390, True), ("/suivi?pays=MLI&lang=en", 390, True), ("/suivi?zone=europe&lang=en", 390, False)])
def test_charts_come_with_room_for_their_labels_and_legends(browser, live_server, path, width, events):
    """No monitor chart is drawn twice by plotly's ``automargin`` (its margins, legend below included, are
    computed with it), on a desktop and on a phone, with and without the events' band above the plot."""
    with viewport(browser, width):
        browser.get(live_server + path)
        wait_for(lambda: browser.execute_script(
            "return ['mon-share', 'mon-budget', 'mon-flows', 'mon-periods'].every(id => {"
            " const g = document.querySelector('#' + id + ' .js-plotly-plot');"
            " return g && g._fullLayout && g.querySelectorAll('.bars path').length > 0; })"))
        band = browser.execute_script(
            "return document.querySelector('#mon-share .js-plotly-plot')._fullLayout.annotations.length > 0")
        assert band is events  # the case this path stands for
        assert pushed_margins(browser) == {}
    assert console_errors(browser) == []


EVENT_LABELS = """return ['mon-share', 'mon-budget'].map(id => {
    const gd = document.querySelector('#' + id + ' .js-plotly-plot');
    const all = gd._fullLayout.annotations || [], notes = all.filter(a => a.name === 'event').length;
    const shown = [...gd.querySelectorAll('.annotation')]
        .filter(g => (all[Number(g.getAttribute('data-index'))] || {}).name === 'event' && g.style.display !== 'none')
        .map(g => g.getBoundingClientRect()).filter(b => b.width > 0);
    const overlaps = shown.slice(1).filter((b, i) => b.left < shown[i].right - 2).length;
    return {id, notes, shown: shown.length, overlaps};
});"""


@pytest.mark.parametrize("width", [1440, 390])
def test_event_labels_never_overlap_and_a_wide_plot_shows_them_all(browser, live_server, width):
    """The events' labels stand side by side above the plot, one per year: on a phone (about 9 px a year) those
    that would overlap the one before are hidden (assets/event-labels.js), their dotted lines kept; a desktop's
    plot shows every one."""
    with viewport(browser, width):
        browser.get(live_server + "/suivi")
        wait_for(lambda: browser.execute_script(
            "return ['mon-share', 'mon-budget'].every(id => {"
            " const g = document.querySelector('#' + id + ' .js-plotly-plot');"
            " return g && g._fullLayout && g.querySelectorAll('.annotation').length > 0; })"))

        def settled():  # the labels as they stand once every overlap has been hidden
            charts = browser.execute_script(EVENT_LABELS)
            return charts if all(c["overlaps"] == 0 for c in charts) else None

        seen = wait_for(settled, timeout=10)
    assert all(c["notes"] >= 5 for c in seen), seen  # the Sahel's events since 2012 are in view
    if width == 1440:
        assert all(c["shown"] == c["notes"] for c in seen), seen
    else:
        assert all(0 < c["shown"] < c["notes"] for c in seen), seen
    assert console_errors(browser) == []


def test_the_monitored_zone_cannot_be_emptied(browser, live_server):
    """The monitor always follows a zone (the Sahel by default): its box offers no "clear" and Enter on the chosen
    zone keeps it. Emptied, the box read "Tous" while every chart and summary still showed the Sahel. The
    dashboard's zone filter, which may be empty, keeps its "clear"."""
    browser.get(live_server + "/suivi")
    wait_for(lambda: browser.find_elements(By.ID, "mon-share-summary")
             and browser.find_element(By.ID, "mon-share-summary").text.startswith("Sahel"))
    assert browser.find_element(By.ID, "mon-definitions").get_attribute("open")  # open on a wide screen
    zone = browser.find_element(By.ID, "m-zone")
    assert not browser.execute_script("return arguments[0].parentElement.querySelector('.dash-dropdown-clear')", zone)
    zone.click()
    # the options show before the focus moves to the chosen one: Enter on the box itself would reopen it
    wait_for(lambda: browser.execute_script("return document.activeElement.closest('[role=option]') !== null"))
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    wait_for(lambda: not browser.find_elements(By.CSS_SELECTOR, "[role=option]"))
    assert browser.find_element(By.ID, "m-zone").text == "Sahel"
    assert browser.find_element(By.ID, "mon-share-summary").text.startswith("Sahel")
    browser.get(live_server + "/?zone=sahel")
    wait_for(lambda: browser.execute_script("const z = document.getElementById('f-zone');"
                                            "return z && z.parentElement.querySelector('.dash-dropdown-clear')"))
