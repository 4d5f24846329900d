"""Data holding HTML or JavaScript is text everywhere (figures, hovers, tables); formulas are neutralised."""

import csv
import io
import json

import pytest

from dashboard.app import Settings, create_app
from dashboard.callback_client import main_inputs, payload
from dashboard.ids import Ids


@pytest.fixture(scope="module")
def app(hostile_db):
    return create_app(Settings(db=str(hostile_db)))


def test_both_hostile_records_load(hostile_db):
    import duckdb

    with duckdb.connect(str(hostile_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM partnerships").fetchone() == (2,)


def test_figures_escape_markup(app):
    client = app.server.test_client()
    r = client.post("/_dash-update-component",
                    json=payload(app, Ids.KPI_PARTNERSHIPS, main_inputs(), {f"{Ids.LANG}.data": "fr"}))
    text = json.dumps(r.json)
    for raw in ("<img src=x", "<script>", "<b onmouseover", "<a href=javascript"):
        assert raw not in text
    authorities = r.json["response"]["ch-top-authorities"]["figure"]["data"][0]
    assert "&lt;img src=x onerror=alert(1)&gt;" in authorities["y"]


def test_csv_neutralises_formulas_and_keeps_text(app):
    body = app.server.test_client().get("/telecharger.csv").data.decode("utf-8-sig")
    rows = {r["Identifiant"]: r for r in csv.DictReader(io.StringIO(body), delimiter=";")}
    assert rows["H-1"]["Financements"].startswith("'=HYPERLINK")
    assert rows["H-2"]["Intitulé"] == "'@SUM(A1:A9)"
    assert rows["H-2"]["Financements"] == "'-2+3"
    assert rows["H-2"]["Collectivité partenaire"].startswith("'+33")
    assert rows["H-1"]["Intitulé"] == "<script>alert('intitulé')</script>"  # text, as typed
