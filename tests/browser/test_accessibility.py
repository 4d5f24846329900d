"""Accessibility: axe-core (PyPI axe-playwright-python ships it; installed without its Playwright dependency)
run in real Chromium over the main views, and a keyboard-only walk through the main journey."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from tests.browser.conftest import console_errors, show_table, wait_for
from tests.browser.test_dashboard import kpi, loaded, query
from tests.conftest import need

pytestmark = pytest.mark.browser


def axe_source() -> str:
    spec = importlib.util.find_spec("axe_playwright_python")
    need(spec is not None, "axe-playwright-python (for its axe-core) is not installed: make install-test installs it")
    return (Path(spec.submodule_search_locations[0]) / "axe.min.js").read_text(encoding="utf-8")


def run_axe(driver) -> list[dict]:
    driver.execute_script(axe_source())
    result = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r.violations)));""")
    return json.loads(result)


@pytest.mark.parametrize("path", ["/", "/?lang=en", "/?region=53&theme=GOUV", "/?pays=XXX", "/suivi",
                                  "/suivi?zone=maghreb&lang=en", "/suivi?zone=prioritaires", "/?mesure=par_habitant",
                                  "/donnees", "/api/v1/", "/recherche?q=lyon",
                                  "/collectivite/COM:69123", "/pays/MLI?lang=en", "/region/84",
                                  "/embed/ch-odd?region=53"])
def test_no_serious_or_critical_violation(browser, live_server, path):
    browser.set_script_timeout(60)
    browser.get(live_server + path)
    if path.startswith("/suivi"):
        wait_for(lambda: browser.execute_script(
            "return document.querySelectorAll('#mon-share .bars path, #mon-share .point').length > 0"))
    elif path.startswith(("/donnees", "/api", "/recherche", "/collectivite", "/pays", "/region", "/embed")):
        wait_for(lambda: browser.execute_script("return document.querySelectorAll('main h2, main h1').length > 0"))
    else:
        wait_for(lambda: loaded(browser))
        show_table(browser)  # the table too (it loads when it comes near the viewport)
    violations = [v for v in run_axe(browser) if v["impact"] in ("serious", "critical")]
    report = [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:5]) for v in violations]
    assert report == []


def test_keyboard_only_journey(browser, live_server):
    """Skip link, then a filter chosen and cleared, the metric changed and the CSV link reached, by keyboard."""
    browser.get(live_server + "/")
    wait_for(lambda: loaded(browser))
    keys = ActionChains(browser)

    def focused() -> str:
        return browser.execute_script("return document.activeElement.id || document.activeElement.className")

    keys.send_keys(Keys.TAB).perform()
    assert "skip" in focused()
    for _ in range(40):  # to the theme filter
        keys.send_keys(Keys.TAB).perform()
        if focused() == "f-theme":
            break
    assert focused() == "f-theme"
    keys.send_keys(Keys.ENTER).perform()
    keys.send_keys("Sant").perform()
    keys.send_keys(Keys.ARROW_DOWN, Keys.ENTER).perform()
    wait_for(lambda: query(browser) == "?theme=SANTE")
    keys.send_keys(Keys.ESCAPE).perform()
    for _ in range(60):  # on to the download link
        keys.send_keys(Keys.TAB).perform()
        if focused() == "csv-link":
            break
    assert focused() == "csv-link"
    assert browser.switch_to.active_element.get_attribute("href").endswith("/telecharger.csv?theme=SANTE")
    assert kpi(browser) != "…"
    assert console_errors(browser) == []
