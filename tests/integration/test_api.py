"""The open data API: responses checked against its own OpenAPI document, figures against plain SQL."""

import csv
import io

import duckdb
import pytest
from jsonschema import Draft202012Validator

from dashboard.filters import Filters
from dashboard.openapi import document
from dashboard.queries import AGGREGATE_BY, AGGREGATES, FROM, where


@pytest.fixture(scope="module")
def sql(fixture_db):
    """A count straight from the fixture database (SQL text, with optional bound parameters)."""
    con = duckdb.connect(str(fixture_db), read_only=True)
    yield lambda q, params=(): con.execute(q, list(params)).fetchone()[0]
    con.close()


def validator(schema_name: str) -> Draft202012Validator:
    """A validator of one schema of the OpenAPI document, its references resolved inside the document."""
    doc = document()
    return Draft202012Validator({"$ref": f"#/components/schemas/{schema_name}", "components": doc["components"]})


def test_openapi_document_is_served_and_valid(client):
    from jsonschema.validators import validator_for

    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.1") and set(doc["paths"]) == {"/api/v1/partnerships", "/api/v1/aggregates"}
    for schema in doc["components"]["schemas"].values():
        validator_for(schema).check_schema(schema)
    page = client.get("/api/v1/")
    assert page.status_code == 200 and "/api/v1/openapi.json" in page.get_data(as_text=True)
    assert "zone=sahel" in page.get_data(as_text=True)  # examples come from the document


@pytest.mark.parametrize("query, f", [
    ("", Filters()), ("zone=sahel", Filters(zone="sahel")),
    ("pays=MLI~BFA&debut=2010", Filters(pays=("BFA", "MLI"), debut=2010)),
    ("region=53&theme=GOUV", Filters(region="53", theme="GOUV")),
    ("odd=6~13&budget=connu", Filters(odd=(6, 13), budget="connu")),
    ("type=region&lang=en", Filters(type="region", lang="en")),
])
def test_partnerships_contract_and_counts(client, sql, query, f):
    r = client.get(f"/api/v1/partnerships?{query}&limit=7")
    assert r.status_code == 200
    validator("PartnershipPage").validate(r.json)
    w, params = where(f)
    assert r.json["filters"] == f.to_query()
    assert r.json["total"] == sql(f"SELECT count(*) {FROM} WHERE {w}", params)
    assert len(r.json["items"]) == min(7, r.json["total"])


def test_pagination_visits_every_row_once(client, sql):
    seen, url = [], "/api/v1/partnerships?limit=4"
    while url:
        body = client.get(url).json
        seen += [i["partnership_id"] for i in body["items"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == sql("SELECT count(*) FROM partnerships")


@pytest.mark.parametrize("by", AGGREGATE_BY)
def test_aggregates_contract_and_sums(client, sql, by):
    body = client.get(f"/api/v1/aggregates?by={by}&zone=afrique").json
    validator("Aggregates").validate(body)
    total = sql("SELECT count(*) FROM partnerships p JOIN countries c ON c.iso3 = p.partner_country_iso3 "
                "WHERE list_contains(c.zones, 'afrique')")
    assert body["total"] == total
    if by in AGGREGATES:  # a partition: the parts add up
        assert sum(i["partnerships"] for i in body["items"]) == total
    if by == "odd":
        six = next((i for i in body["items"] if i["key"] == "6"), None)
        assert six["partnerships"] == sql(
            "SELECT count(*) FROM partnerships p JOIN countries c ON c.iso3 = p.partner_country_iso3 "
            "WHERE list_contains(c.zones, 'afrique') AND list_contains(p.odds, 6)")


def test_csv_format_equals_the_download(client):
    api = client.get("/api/v1/partnerships?format=csv&pays=MLI~BFA")
    download = client.get("/telecharger.csv?pays=MLI~BFA")
    assert api.status_code == 200 and api.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert api.data == download.data
    rows = list(csv.DictReader(io.StringIO(api.data.decode("utf-8-sig")), delimiter=";"))
    assert {r["Pays partenaire"] for r in rows} == {"Mali", "Burkina Faso"}


def test_caching_follows_the_build(client, app):
    r = client.get("/api/v1/aggregates?by=country")
    assert r.headers["Cache-Control"] == "public, max-age=300" and r.headers["ETag"]
    again = client.get("/api/v1/aggregates?by=country", headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304
    other = client.get("/api/v1/aggregates?by=region")
    assert other.headers["ETag"] != r.headers["ETag"]


@pytest.mark.parametrize("query, status", [
    ("/api/v1/aggregates", 400), ("/api/v1/aggregates?by=pays", 400), ("/api/v1/partnerships?limit=0", 400),
    ("/api/v1/partnerships?limit=1001", 400), ("/api/v1/partnerships?offset=-1", 400),
    ("/api/v1/partnerships?format=xml", 400), ("/api/v1/partnerships?limit=abc", 400)])
def test_invalid_parameters_are_400_with_a_message(client, query, status):
    r = client.get(query)
    assert r.status_code == status and r.json["error"]


def test_unknown_or_unmatched_filters_are_400_naming_them(client):
    r = client.get("/api/v1/partnerships?region=99&pays=MLI&couleur=bleu&limit=1")
    assert r.status_code == 400
    assert "couleur" in r.json["error"] and "region" in r.json["error"] and "99" in r.json["error"]
    assert "unknown parameter" in client.get("/api/v1/aggregates?by=country&couleur=1&lang=en").json["error"]


def test_names_are_accepted_where_unambiguous(client, sql):
    by_name = client.get("/api/v1/partnerships?region=Bretagne&pays=Mali&limit=1").json
    by_code = client.get("/api/v1/partnerships?region=53&pays=MLI&limit=1").json
    assert by_name["total"] == by_code["total"] == sql(
        "SELECT count(*) FROM partnerships WHERE fr_region_code = '53' AND partner_country_iso3 = 'MLI'")
    assert by_name["filters"] == "region=53&pays=MLI"
    assert client.get("/api/v1/partnerships?region=bretagne&pays=sénégal").status_code == 200


def test_aggregates_as_csv(client):
    r = client.get("/api/v1/aggregates?by=region&format=csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    head = r.data.decode("utf-8-sig").splitlines()[0]
    assert head.startswith("key;label_fr;label_en;partnerships")
