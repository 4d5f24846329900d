"""The CSV export written by DuckDB: BOM, headers and separators per language, amounts, formulas neutralised."""

import csv
import io

import pytest

from dashboard.db import Store
from dashboard.downloads import to_csv
from dashboard.filters import Filters


@pytest.fixture(scope="module")
def store(fixture_db):
    s = Store(fixture_db)
    yield s
    s.close()


def rows(body: bytes, delimiter: str) -> list[dict]:
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=delimiter))


def test_french_headers_separators_and_amounts(store):
    out = {r["Identifiant"]: r for r in rows(to_csv(store, Filters()), ";")}
    assert len(out) == 29
    assert out["A-005"]["Budget (€)"] == "15000,5"     # "15 000,50 €"
    assert out["A-001"]["Budget (€)"] == "15000"        # no useless ",0"
    assert out["A-004"]["Budget (€)"] == ""             # unknown stays empty, never 0
    assert out["A-001"]["Thématiques"] == "Eau et assainissement"
    assert out["A-001"]["Type de collectivité"] == "Commune" and out["A-001"]["Pays partenaire"] == "Mali"
    assert out["A-015"]["Intitulé"] == "Numérique"
    assert out["A-001"]["Ligne source"] == "1" and out["A-001"]["Année de début"] == "2015"


def test_english_export(store):
    out = {r["Identifier"]: r for r in rows(to_csv(store, Filters(lang="en")), ",")}
    assert out["A-005"]["Budget (€)"] == "15000.5"
    assert out["A-001"]["Partner country"] == "Mali" and out["A-001"]["Themes"] == "Water and sanitation"


def test_formulas_are_neutralised(hostile_db):
    s = Store(hostile_db)
    out = {r["Identifiant"]: r for r in rows(to_csv(s, Filters()), ";")}
    assert out["H-1"]["Financements"].startswith("'=HYPERLINK")
    assert out["H-2"]["Intitulé"] == "'@SUM(A1:A9)" and out["H-2"]["Financements"] == "'-2+3"
    assert out["H-1"]["Intitulé"] == "<script>alert('intitulé')</script>"
    s.close()


def test_filters_select_exactly_the_rows(store):
    out = rows(to_csv(store, Filters(pays=("MLI", "BFA"), debut=2010)), ";")
    expected = store.df("SELECT count(*) AS n FROM partnerships WHERE partner_country_iso3 IN ('MLI', 'BFA') "
                        "AND start_year >= 2010").iloc[0]["n"]
    assert len(out) == expected
