"""The region page and its exports: a 16:9 PNG slide and an A4 PDF rendered by Debian's Chromium, each opened
and checked (size, pages, the title, the figures and the source line)."""

from __future__ import annotations

import io
import time
import urllib.request

import pytest
from selenium.webdriver.common.by import By

from tests.browser.conftest import console_errors, wait_for

pytestmark = pytest.mark.browser


def fetch(url: str) -> tuple[int, dict, bytes, float]:
    t = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as r:
        return r.status, dict(r.headers), r.read(), time.perf_counter() - t


def test_png_slide_is_16_9_with_content(browser, live_server):
    from PIL import Image

    status, headers, body, _seconds = fetch(live_server + "/export/region/53.png")
    assert status == 200 and headers["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(body)).convert("RGB")
    assert image.size == (1600, 900)
    colours = image.resize((160, 90)).getcolors(maxcolors=100_000)
    assert len(colours) > 200  # a drawn map and charts, not a blank page


def test_pdf_is_one_a4_page_with_title_figures_and_source(live_server, sql):
    from pypdf import PdfReader

    status, headers, body, _seconds = fetch(live_server + "/export/region/53.pdf")
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(body))
    assert len(pdf.pages) == 1
    width, height = float(pdf.pages[0].mediabox.width), float(pdf.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = pdf.pages[0].extract_text()
    assert "Bretagne\u00a0: l'action internationale des collectivités" in text
    assert "Source\u00a0: Atlas français de la coopération décentralisée (CNCD)" in text
    n = sql("SELECT count(*) FROM partnerships WHERE fr_region_code = '53'")
    assert f"{n}\npartenariats" in text or f"{n} partenariats" in text


def test_region_page_from_the_map_and_its_figures(browser, live_server, sql):
    browser.get(live_server + "/?region=53")
    # the link is in the layout at once ("/region/"); the main callback then points it at the region
    link = wait_for(lambda: (href := browser.find_element(By.ID, "region-link").get_attribute("href") or "")
                    .endswith("/region/53") and href)
    browser.get(link)
    wait_for(lambda: browser.find_elements(By.ID, "export-pdf"))
    assert browser.find_element(By.TAG_NAME, "h2").text == "Bretagne"
    kpi = browser.find_element(By.CSS_SELECTOR, ".kpis .kpi-value").text
    assert kpi == str(sql("SELECT count(*) FROM partnerships WHERE fr_region_code = '53'"))
    assert console_errors(browser) == []


def fetch_when_ready(url: str, tries: int = 12) -> tuple[int, dict, bytes, float]:
    """An export, asking again after ``Retry-After`` while the render queue is busy (503)."""
    import urllib.error

    for _ in range(tries):
        try:
            return fetch(url)
        except urllib.error.HTTPError as exc:
            if exc.code != 503:
                raise
            time.sleep(float(exc.headers.get("Retry-After", "5")))
    raise AssertionError(f"{url} still busy after {tries} tries")


@pytest.mark.slow
@pytest.mark.parametrize("code, lang", [("53", "fr"), ("84", "fr"), ("11", "fr"), ("04", "fr"), ("94", "fr"),
                                        ("84", "en")])
def test_every_region_pdf_holds_on_one_a4_page(demo_server, code, lang):
    from pypdf import PdfReader

    status, _headers, body, _seconds = fetch_when_ready(demo_server + f"/export/region/{code}.pdf"
                                                        + ("?lang=en" if lang == "en" else ""))
    pdf = PdfReader(io.BytesIO(body))
    assert status == 200 and len(pdf.pages) == 1
    text = pdf.pages[0].extract_text()
    assert ("Source\u00a0: Atlas" if lang == "fr" else "Source: French Atlas") in text  # the source line is on it
