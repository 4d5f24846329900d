"""A link pinned to an older edition in a real browser: the notice shows, and its link opens the same view in the
latest edition."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.browser.conftest import _serve, console_errors, wait_for
from tests.conftest import OLD_EDITION

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def editions_server(editions_db):
    server = _serve(editions_db)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def kpi(driver) -> str:
    return driver.execute_script("var e = document.getElementById('kpi-partnerships'); "
                                 "return e ? e.textContent : null")


def test_the_pinned_notice_shows_and_links_to_the_latest_edition(browser, editions_server, editions_db):
    import duckdb

    from etl.editions import path_of

    def n(path) -> str:
        con = duckdb.connect(str(path), read_only=True)
        try:
            return str(con.execute("SELECT count(*) FROM partnerships WHERE fr_region_code = '84'").fetchone()[0])
        finally:
            con.close()

    browser.get(f"{editions_server}/?region=84&edition={OLD_EDITION}")
    wait_for(lambda: kpi(browser) not in (None, "…"))
    assert kpi(browser) == n(path_of(editions_db, OLD_EDITION))
    notice = browser.find_element(By.ID, "edition-notice")
    assert notice.is_displayed() and "1er novembre 2026" in notice.text
    notice.find_element(By.ID, "edition-latest").click()
    wait_for(lambda: "edition=" not in browser.current_url and kpi(browser) not in (None, "…"))
    assert browser.current_url.endswith("/?region=84")
    wait_for(lambda: kpi(browser) == n(editions_db))
    assert not browser.find_element(By.ID, "edition-notice").is_displayed()
    assert console_errors(browser) == []


def test_a_pinned_region_pdf_shows_the_old_edition(editions_server, editions_db):
    """The export of a pinned region page is rendered from that edition (its date, its figures)."""
    import io
    import urllib.request

    from pypdf import PdfReader

    with urllib.request.urlopen(f"{editions_server}/export/region/53.pdf?edition={OLD_EDITION}", timeout=120) as r:
        assert r.status == 200
        text = PdfReader(io.BytesIO(r.read())).pages[0].extract_text()
    assert "1er novembre 2026" in text and "1er décembre 2026" not in text
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{editions_server}/export/region/53.pdf?edition=2026-10-01", timeout=30)
    assert missing.value.code == 404
