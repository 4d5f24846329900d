"""Editions end to end: two builds of the fixture export differing by known rows (tests/conftest.py) → two
editions; the "Nouveautés" page, its CSV and ``coopatlas diff`` give those differences; a link pinned to the
older edition keeps showing its numbers (page, callback, embed, CSV, API) after the newer build."""

import csv
import io
import json
import re

import duckdb
import pytest

from dashboard.callback_client import main_inputs, payload
from dashboard.ids import Ids
from etl import editions
from etl.cli import main
from etl.diff import Comparison
from tests.conftest import KNOWN_DIFF, KNOWN_FIELDS, NEW_EDITION, OLD_EDITION, REMOVED_IDS


@pytest.fixture(scope="module")
def fixture_db(editions_db):
    """The app and client of tests/integration/conftest.py, on the database with two editions."""
    return editions_db


def count(path, where: str = "TRUE") -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(f"SELECT count(*) FROM partnerships WHERE {where}").fetchone()[0]
    finally:
        con.close()


def page(client, path: str, search: str = "") -> str:
    """A page as Dash renders it (its pages callback), as JSON text."""
    client.get("/")  # Dash registers its pages callback on the first request
    body = {"output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                       {"id": "_pages_location", "property": "search", "value": search}],
            "state": [], "changedPropIds": ["_pages_location.pathname"]}
    r = client.post("/_dash-update-component", json=body)
    assert r.status_code == 200, r.data[:300]
    return json.dumps(r.json, ensure_ascii=False)


def component(text: str, id_: str) -> dict:
    """The props of the component ``id_`` in a rendered page."""
    def walk(node):
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == id_:
                return node["props"]
            for v in node.values():
                if (found := walk(v)) is not None:
                    return found
        elif isinstance(node, list):
            for v in node:
                if (found := walk(v)) is not None:
                    return found
        return None

    return walk(json.loads(text))


def test_two_builds_keep_two_editions_the_newest_being_the_served_file(editions_db):
    assert editions.kept(editions_db) == [NEW_EDITION, OLD_EDITION]
    assert editions.path_of(editions_db, NEW_EDITION).stat().st_ino == editions_db.stat().st_ino
    old = editions.path_of(editions_db, OLD_EDITION)
    assert count(old, "partnership_id = 'A-004'") == 1 and count(editions_db, "partnership_id = 'A-004'") == 0


def test_the_diff_gives_the_known_differences_and_the_cli_prints_the_same(editions_db, capsys):
    old, new = (editions.path_of(editions_db, d) for d in (OLD_EDITION, NEW_EDITION))
    comparison = Comparison(old, new)
    try:
        assert comparison.totals() == KNOWN_DIFF
        assert dict(comparison.fields().itertuples(index=False)) == KNOWN_FIELDS
        rows = comparison.rows()
        assert set(rows.loc[rows.change == "removed", "partnership_id"]) == set(REMOVED_IDS)
        by_region = comparison.by("region").set_index("key")
        assert by_region[["added", "removed", "changed", "ended"]].sum().to_dict() == KNOWN_DIFF
        assert by_region.loc["53", "ended"] == 1  # A-002, Bretagne
    finally:
        comparison.close()
    assert main(["diff", OLD_EDITION, NEW_EDITION, "--db", str(editions_db)]) == 0
    out = capsys.readouterr().out
    assert "ajoutés : 2 · retirés : 1 · modifiés : 2 · dont terminés : 1" in out
    assert re.search(r"1 × budget_eur", out) and "53 Bretagne : 1, 0, 1, 1" in out
    assert main(["diff", str(old), str(new)]) == 0  # files named by their path
    assert "ajoutés : 2 · retirés : 1" in capsys.readouterr().out
    assert main(["diff", "2026-10-01", NEW_EDITION, "--db", str(editions_db)]) == 2
    assert f"éditions conservées : {NEW_EDITION}, {OLD_EDITION}" in capsys.readouterr().err


def test_the_news_page_and_its_csv_give_the_same_numbers_as_the_cli(client):
    text = page(client, "/nouveautes")
    for change, n in KNOWN_DIFF.items():
        assert component(text, f"news-{change}")["children"] == str(n), change
    assert "Budget (€)" in text and "Bretagne" in text
    assert component(text, "news-csv")["href"] == f"/nouveautes.csv?de={OLD_EDITION}&a={NEW_EDITION}"
    english = page(client, "/nouveautes", "?lang=en")
    assert "What's new" in english and "of which ended" in english
    r = client.get(f"/nouveautes.csv?de={OLD_EDITION}&a={NEW_EDITION}")
    rows = list(csv.DictReader(io.StringIO(r.data.decode("utf-8-sig")), delimiter=";"))
    kinds = [row["Changement"] for row in rows]
    assert (kinds.count("ajouté"), kinds.count("retiré"), kinds.count("modifié")) == (2, 1, 2)
    assert {row["Identifiant"] for row in rows if row["dont terminés"] == "oui"} == {"A-002"}
    assert client.get("/nouveautes.csv?de=2026-10-01").status_code == 404


def test_a_pinned_link_shows_the_old_numbers_after_the_new_build(client, app, editions_db):
    old_n = count(editions.path_of(editions_db, OLD_EDITION))
    new_n = count(editions_db)
    assert old_n != new_n
    latest = page(client, "/")
    assert component(latest, Ids.KPI_PARTNERSHIPS)["children"] == str(new_n)
    assert component(latest, Ids.EDITION_NOTICE)["hidden"] is True
    pinned = page(client, "/", f"?region=84&edition={OLD_EDITION}")
    assert component(pinned, Ids.KPI_PARTNERSHIPS)["children"] == str(
        count(editions.path_of(editions_db, OLD_EDITION), "fr_region_code = '84'"))
    pinned = page(client, "/", f"?edition={OLD_EDITION}")
    assert component(pinned, Ids.KPI_PARTNERSHIPS)["children"] == str(old_n)
    notice = component(pinned, Ids.EDITION_NOTICE)
    assert notice["hidden"] is False and "Édition du 1er novembre 2026" in json.dumps(notice, ensure_ascii=False)
    assert component(pinned, Ids.EDITION_LATEST)["href"] == "?"
    assert component(pinned, Ids.CSV_LINK)["href"] == f"/telecharger.csv?edition={OLD_EDITION}"
    assert f"/suivi?edition={OLD_EDITION}" in pinned and f"edition={OLD_EDITION}&amp;" not in pinned  # nav links
    # the callback of a pinned page keeps to its edition
    r = client.post("/_dash-update-component", json=payload(
        app, Ids.KPI_PARTNERSHIPS, main_inputs(**{Ids.REGION: "53"}),
        {f"{Ids.LANG}.data": "fr", f"{Ids.EDITION}.data": OLD_EDITION}))
    out = r.json["response"]
    assert out[Ids.KPI_PARTNERSHIPS]["children"] == str(
        count(editions.path_of(editions_db, OLD_EDITION), "fr_region_code = '53'"))
    assert out[Ids.PERMALINK]["data"] == f"region=53&edition={OLD_EDITION}"
    # in English, the notice and the language switch keep the edition
    english = page(client, "/", f"?lang=en&edition={OLD_EDITION}")
    assert "Edition of November 1, 2026" in english
    assert component(english, Ids.EDITION_LATEST)["href"] == "?lang=en"


def test_embed_csv_and_api_of_a_pinned_link_keep_the_old_rows(client, editions_db):
    old_n = count(editions.path_of(editions_db, OLD_EDITION))
    embed = page(client, "/embed/ch-odd", f"?edition={OLD_EDITION}")
    assert "1er novembre 2026" in embed and f"/?edition={OLD_EDITION}" in embed
    rows = client.get(f"/telecharger.csv?edition={OLD_EDITION}").data.decode("utf-8-sig").splitlines()
    assert len(rows) == 1 + old_n and any(r.startswith("A-004;") for r in rows)
    api = client.get(f"/api/v1/partnerships?edition={OLD_EDITION}&limit=1000").json
    assert api["total"] == old_n and "A-004" in {i["partnership_id"] for i in api["items"]}
    assert api["filters"] == f"edition={OLD_EDITION}"
    assert client.get("/api/v1/partnerships?limit=1000").json["total"] == count(editions_db)
    agg = client.get(f"/api/v1/aggregates?by=country&edition={OLD_EDITION}").json
    assert agg["total"] == old_n


@pytest.mark.parametrize("edition", ["2026-10-01", "nope", "2026-02-30"])
def test_an_unknown_edition_answers_404_or_400_listing_the_kept_ones(client, edition):
    assert client.get(f"/?edition={edition}").status_code == 404
    assert client.get(f"/region/53?edition={edition}").status_code == 404
    text = page(client, "/", f"?edition={edition}")
    assert component(text, "edition-unknown") and f"/?edition={OLD_EDITION}" in text
    r = client.get(f"/api/v1/partnerships?edition={edition}")
    assert r.status_code == 400 and f"{NEW_EDITION}, {OLD_EDITION}" in r.json["error"]
    assert client.get(f"/telecharger.csv?edition={edition}").status_code == 404


def test_the_latest_edition_by_its_date_is_the_served_build(client, app, editions_db):
    atlas = app.server.config["coopatlas"]
    assert atlas.snapshot(NEW_EDITION) is atlas.current()
    text = page(client, "/", f"?edition={NEW_EDITION}")
    assert component(text, Ids.EDITION_NOTICE)["hidden"] is True  # nothing to warn about, the link still pins
    assert component(text, Ids.CSV_LINK)["href"] == f"/telecharger.csv?edition={NEW_EDITION}"


def test_the_openapi_document_declares_the_edition(client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["components"]["parameters"]["edition"]["schema"] == {"type": "string", "format": "date"}
