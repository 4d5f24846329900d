"""Every page in both languages: the chrome (toolbar titles, table pager, labels, tab title, document language)
speaks the page's language — no English word on French pages, no French word on English pages."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import console_errors, show_table, wait_for

pytestmark = pytest.mark.browser

PAGES = ["/", "/suivi", "/donnees", "/recherche?q=lyon", "/region/53", "/pays/MLI", "/collectivite/COM:69123",
         "/embed/ch-odd", "/nulle-part"]
# Words of the chrome as the libraries write them by default, and as our French pages write them.
ENGLISH = ["Download plot as a PNG", "Share chart", "Zoom in", "Zoom out", "Reset axes", "Autoscale", "Page Size",
           "First Page", "Last Page", "Next Page", "Previous Page", "Increase value", "Decrease value",
           "Page not found", "Filters", "Search"]
FRENCH = ["Télécharger le graphique", "Zoom intérieur", "Réinitialiser", "Taille de la page", "Première page",
          "Page suivante", "Filtres", "Rechercher", "Tableau de bord", "Aller au contenu", "Page introuvable"]

CHROME = """
    const texts = [document.title];
    for (const e of document.querySelectorAll('[data-title],[aria-label],[title],[placeholder]')) {
        for (const a of ['data-title', 'aria-label', 'title', 'placeholder']) {
            if (e.getAttribute(a)) { texts.push(e.getAttribute(a)); }
        }
    }
    for (const e of document.querySelectorAll('.ag-paging-panel, nav, header, label, legend, button')) {
        texts.push(e.innerText);
    }
    return {lang: document.documentElement.lang, texts: texts, graphs: document.querySelectorAll('.modebar').length};
"""


def _found(words: list[str], texts: list[str]) -> list[str]:
    """The words that stand as words (not inside another: "Zoom in" is not in "Zoom intérieur")."""
    return sorted({w for w in words for text in texts if text and re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)})


def _chrome(browser, url: str, lang: str) -> dict:
    browser.get(url)
    wait_for(lambda: browser.find_elements("css selector", "main"))
    wait_for(lambda: browser.execute_script("return document.documentElement.lang") == lang)
    path = urlsplit(url).path
    if path.startswith("/embed/") or path.endswith(("/", "/suivi", "53", "MLI", "69123")):
        wait_for(lambda: browser.execute_script("return document.querySelectorAll('.modebar').length") > 0)
    if path == "/":
        show_table(browser)  # the table's pager and words
    return browser.execute_script(CHROME)


@pytest.mark.parametrize("path", PAGES)
def test_french_pages_speak_french(browser, live_server, path):
    seen = _chrome(browser, live_server + path, "fr")
    found = _found(ENGLISH, seen["texts"])
    assert not found, f"English on {path}: {found}"
    assert [e for e in console_errors(browser) if "404" not in e or "/nulle-part" not in e] == []


@pytest.mark.parametrize("path", PAGES)
def test_english_pages_speak_english(browser, live_server, path):
    url = live_server + path + ("&" if "?" in path else "?") + "lang=en"
    seen = _chrome(browser, url, "en")
    found = _found(FRENCH, seen["texts"])
    assert not found, f"French on {path}?lang=en: {found}"
    assert "Atlas of French decentralised cooperation" in seen["texts"][0]


def test_every_toolbar_button_of_a_french_page_says_plotlys_french(browser, live_server):
    """Each button of each graph's mode bar is titled with a word of Plotly's French dictionary
    (assets/plotly-locale-fr.js); none is left in English (plotly.js 3's "Share chart..." is not offered)."""
    browser.get(live_server + "/?region=53")
    wait_for(lambda: browser.execute_script("return document.querySelectorAll('.modebar').length") > 0)
    source = (Path(__file__).parents[2] / "dashboard/assets/plotly-locale-fr.js").read_text(encoding="utf-8")
    french = set(json.loads(source[source.index("push(") + 5:source.rindex(")")])["dictionary"].values())
    titles = set(browser.execute_script(
        "return Array.from(document.querySelectorAll('.modebar-btn')).map(b => b.getAttribute('data-title'))"))
    assert len(titles) >= 6 and titles - french == set()


TICK_TEXTS = """
    const out = {};
    for (const g of document.querySelectorAll('.js-plotly-plot')) {
        const id = g.closest('[id]') ? g.closest('[id]').id : '';
        const texts = selector => [...g.querySelectorAll(selector)].map(t => t.textContent);
        out[id] = {x: texts('g.xtick text'), other: texts('g.ytick text, g.y2tick text, .colorbar text')};
    }
    return out;
"""
SHORT_FORM = re.compile(r"^[\d.,\u202f\u00a0 ]+[kMGTP]$")  # plotly's "10k", "80M", "1.5G": no unit of ours
YEARS_GRAPHS = ("ch-years-count", "ch-years-budget", "mon-share", "mon-budget", "mon-flows")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_axes_write_counts_whole_amounts_in_euros_and_years_as_years(browser, demo_server, lang):
    """On the demo's sizes (10 000 partnerships by type, 80 M € by country): no tick in plotly's short forms,
    the amounts' ticks as the bars' labels write them ("80 M €", "€80M"), the years' ticks four digits."""
    suffix = "lang=en" if lang == "en" else ""
    seen = {}
    for path, graphs in (("/?mesure=budget", 12), ("/suivi", 4)):
        browser.get(demo_server + path + ("&" if "?" in path else "?") + suffix)

        def drawn(graphs=graphs):
            ticks = browser.execute_script(TICK_TEXTS)
            return ticks if len(ticks) >= graphs and all(v["x"] or v["other"] for v in ticks.values()) else None
        seen.update(wait_for(drawn, timeout=40))
    short = {g: [x for x in v["x"] + v["other"] if SHORT_FORM.match(x)] for g, v in seen.items()}
    assert {g: v for g, v in short.items() if v} == {}
    euro = "\u00a0M\u00a0€" if lang == "fr" else "M"
    for graph in ("ch-top-countries", "ch-budget-zone", "ch-years-budget", "mon-budget", "map-france"):
        amounts = [x for x in seen[graph]["x" if graph in ("ch-top-countries", "ch-budget-zone") else "other"]
                   if "€" in x]
        assert amounts and all(x.endswith(euro) for x in amounts), (graph, amounts)
    counts = seen["ch-types"]["x"]
    assert "10\u202f000" in counts or "10\u00a0000" in counts or "10,000" in counts, counts
    for graph in YEARS_GRAPHS:
        assert seen[graph]["x"] and all(re.fullmatch(r"(19|20)\d\d", x) for x in seen[graph]["x"]), seen[graph]
