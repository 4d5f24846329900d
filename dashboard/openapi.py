"""The OpenAPI 3.1 document of the open data API (its schemas are JSON Schema 2020-12, used by the contract
tests). Its parameters come from :data:`dashboard.filters.FILTERS`, its words from the catalogues."""

from __future__ import annotations

from dashboard.filters import FILTERS
from dashboard.i18n import LANGS, t
from dashboard.queries import AGGREGATE_BY, POPULATION

PARTNERSHIP = {
    "type": "object",
    "required": ["partnership_id", "fr_authority_name", "fr_authority_key", "fr_authority_type", "fr_region_code",
                 "partner_country_iso3", "themes", "odds", "source_file", "source_row"],
    "properties": {
        "partnership_id": {"type": "string"},
        "title": {"type": ["string", "null"]},
        "fr_authority_name": {"type": "string"},
        "fr_authority_key": {"type": "string", "description": "COM:<insee>, DEP:<code>, REG:<code>, EPCI:<siren> "
                                                              "ou NOM:<dép.>:<nom>"},
        "fr_authority_type": {"type": "string"},
        "fr_commune_code": {"type": ["string", "null"]},
        "fr_departement_code": {"type": ["string", "null"]},
        "fr_region_code": {"type": "string"},
        "rrma": {"type": ["string", "null"]},
        "partner_country_iso3": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "partner_country_name_fr": {"type": "string"},
        "partner_country_name_en": {"type": "string"},
        "partner_authority_name": {"type": ["string", "null"]},
        "themes": {"type": "array", "items": {"type": "string"}},
        "odds": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 17}},
        "action_type": {"type": ["string", "null"]},
        "start_year": {"type": ["integer", "null"]},
        "end_year": {"type": ["integer", "null"]},
        "budget_eur": {"type": ["number", "null"], "minimum": 0, "description": "null : budget inconnu (≠ 0)"},
        "funding": {"type": ["string", "null"]},
        "status": {"type": ["string", "null"]},
        "source_file": {"type": "string"},
        "source_row": {"type": "integer", "minimum": 1},
    },
    "additionalProperties": False,
}

def aggregate_item(lang: str) -> dict:
    """One item of ``/api/v1/aggregates``; ``by=country``, ``region`` and ``departement`` (:data:`POPULATION`) add
    the key's population and its partnerships per 100,000 inhabitants."""
    by = ", ".join(POPULATION)
    return {
        "type": "object",
        "required": ["key", "partnerships", "authorities", "budget_known_eur", "budget_known_count"],
        "properties": {
            "key": {"type": ["string", "null"]},
            "label_fr": {"type": ["string", "null"]},
            "label_en": {"type": ["string", "null"]},
            "partnerships": {"type": "integer", "minimum": 1},
            "authorities": {"type": "integer", "minimum": 1},
            "budget_known_eur": {"type": "number", "minimum": 0},
            "budget_known_count": {"type": "integer", "minimum": 0},
            "population": {"type": ["integer", "null"], "minimum": 1, "description": t("api.population", lang, by=by)},
            "partnerships_per_100k": {"type": ["number", "null"], "minimum": 0,
                                      "description": t("api.partnerships_per_100k", lang, by=by)},
        },
        "additionalProperties": False,
    }

COMMON = {
    "filters": {"type": "string", "description": "les filtres retenus, sous forme de query string"},
    "ignored": {"type": "array", "items": {"type": "string"},
                "description": "paramètres ignorés (inconnus ou mal formés)"},
    "build": {"type": "string", "description": "identifiant de la construction de la base"},
}


def _parameter(name: str, lang: str, schema: dict, required: bool = False, description: str | None = None) -> dict:
    return {"name": name, "in": "query", "required": required,
            "description": description or t(f"api.{name}", lang), "schema": schema}


def document(lang: str = "fr") -> dict:
    """The document, its descriptions in ``lang``. Its server is this site (a relative URL): the document is
    cached publicly and must not depend on the request's Host."""
    params = {spec.name: _parameter(spec.name, lang, {"type": "integer" if spec.control == "year" else "string"})
              for spec in FILTERS}
    params["lang"] = _parameter("lang", lang, {"type": "string", "enum": list(LANGS)})
    params["edition"] = _parameter("edition", lang, {"type": "string", "format": "date"},
                                   description=t("api.edition", lang))
    params["limit"] = _parameter("limit", lang, {"type": "integer", "minimum": 1, "maximum": 1000})
    params["offset"] = _parameter("offset", lang, {"type": "integer", "minimum": 0})
    params["format"] = _parameter("format", lang, {"type": "string", "enum": ["json", "csv"]})
    params["by"] = _parameter("by", lang, {"type": "string", "enum": list(AGGREGATE_BY)}, required=True)
    filters = [spec.name for spec in FILTERS] + ["lang", "edition"]
    refs = [{"$ref": f"#/components/parameters/{n}"} for n in filters]
    error = {"description": "paramètre invalide", "content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/Error"}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": t("api.title", lang), "version": "1", "description": t("api.description", lang)},
        "servers": [{"url": "/"}],
        "paths": {
            "/api/v1/partnerships": {"get": {
                "operationId": "listPartnerships",
                "description": t("api.partnerships", lang),
                "parameters": [*refs, {"$ref": "#/components/parameters/limit"},
                               {"$ref": "#/components/parameters/offset"}, {"$ref": "#/components/parameters/format"}],
                "x-examples": ["/api/v1/partnerships?zone=sahel&limit=5",
                               "/api/v1/partnerships?region=84&format=csv"],
                "responses": {
                    "200": {"description": "une page de partenariats", "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/PartnershipPage"}},
                        "text/csv": {"schema": {"type": "string"}}}},
                    "304": {"description": "inchangé (ETag)"},
                    "400": error}}},
            "/api/v1/aggregates": {"get": {
                "operationId": "aggregate",
                "description": t("api.aggregates", lang),
                "parameters": [{"$ref": "#/components/parameters/by"}, *refs],
                "x-examples": ["/api/v1/aggregates?by=country&zone=sahel", "/api/v1/aggregates?by=year&pays=MLI",
                               "/api/v1/aggregates?by=region&zone=prioritaires"],
                "responses": {
                    "200": {"description": "agrégats", "content": {"application/json": {"schema": {
                        "$ref": "#/components/schemas/Aggregates"}}}},
                    "304": {"description": "inchangé (ETag)"},
                    "400": error}}},
        },
        "components": {
            "parameters": params,
            "schemas": {
                "Partnership": PARTNERSHIP,
                "PartnershipPage": {"type": "object", "required": ["total", "items", "next"], "properties": {
                    "total": {"type": "integer", "minimum": 0}, "offset": {"type": "integer"},
                    "limit": {"type": "integer"},
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/Partnership"}},
                    "next": {"type": ["string", "null"], "description": "adresse de la page suivante"},
                    **COMMON}, "additionalProperties": False},
                "Aggregates": {"type": "object", "required": ["by", "total", "items"], "properties": {
                    "by": {"type": "string"}, "total": {"type": "integer", "minimum": 0},
                    "items": {"type": "array", "items": aggregate_item(lang)}, **COMMON},
                    "additionalProperties": False},
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
            },
        },
    }
