"""The OpenAPI 3.1 document of the open data API (its schemas are JSON Schema 2020-12, used by the contract
tests)."""

from __future__ import annotations

FILTER_PARAMETERS = [
    ("region", "Code INSEE de la région française (2016), ex. 84", "string"),
    ("rrma", "Code du réseau régional multi-acteurs, ex. resacoop", "string"),
    ("collectivite", "Clé d'une collectivité française (fr_authority_key), ex. COM:69123", "string"),
    ("departement", "Code INSEE du département, ex. 69, 2A, 974", "string"),
    ("type", "Type de collectivité française : commune, departement, region, epci, metropole, syndicat_mixte, "
             "autre", "string"),
    ("pays", "Pays partenaires, codes ISO 3166-1 alpha-3 joints par ~, ex. MLI~BFA", "string"),
    ("zone", "Zone : sahel, maghreb, afrique_subsaharienne, afrique, europe, ameriques, moyen_orient, asie, "
             "oceanie", "string"),
    ("theme", "Code de thématique, ex. EAU", "string"),
    ("odd", "ODD (1 à 17) joints par ~ ; un partenariat qui en vise au moins un est retenu, ex. 6~13", "string"),
    ("debut", "Année de début minimale", "integer"),
    ("fin", "Année de début maximale", "integer"),
    ("action", "Code de type d'action, ex. COOP_DEC, JUMELAGE", "string"),
    ("budget", "connu ou inconnu", "string"),
    ("lang", "fr (défaut) ou en : langue des libellés de l'export CSV", "string"),
]

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
        "fr_authority_type": {"type": "string", "enum": ["commune", "departement", "region", "epci", "metropole",
                                                         "syndicat_mixte", "autre"]},
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

AGGREGATE_ITEM = {
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
    },
    "additionalProperties": False,
}

COMMON = {
    "filters": {"type": "string", "description": "les filtres retenus, sous forme de query string"},
    "ignored": {"type": "array", "items": {"type": "string"},
                "description": "paramètres ignorés (inconnus ou mal formés)"},
    "build": {"type": "string", "description": "identifiant de la construction de la base"},
}


def document(server: str = "") -> dict:
    params = {name: {"name": name, "in": "query", "required": False, "description": desc,
                     "schema": {"type": kind}} for name, desc, kind in FILTER_PARAMETERS}
    params["limit"] = {"name": "limit", "in": "query", "required": False, "description": "taille de page (1–1000, "
                       "défaut 100)", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}
    params["offset"] = {"name": "offset", "in": "query", "required": False, "description": "rang du premier "
                        "élément (défaut 0)", "schema": {"type": "integer", "minimum": 0}}
    params["format"] = {"name": "format", "in": "query", "required": False, "description": "json (défaut) ou "
                        "csv (toutes les lignes filtrées, UTF-8 avec BOM, formules neutralisées)",
                        "schema": {"type": "string", "enum": ["json", "csv"]}}
    params["by"] = {"name": "by", "in": "query", "required": True, "description": "dimension : country, region, "
                    "theme, odd ou year", "schema": {"type": "string",
                                                     "enum": ["country", "region", "theme", "odd", "year"]}}
    refs = [{"$ref": f"#/components/parameters/{n}"} for n, _d, _k in FILTER_PARAMETERS]
    error = {"description": "paramètre invalide", "content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/Error"}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "API de l'Atlas de la coopération décentralisée", "version": "1",
                 "description": "Données ouvertes des partenariats des collectivités françaises avec des "
                                "collectivités étrangères, avec les mêmes filtres que le tableau de bord. "
                                "Lecture seule ; réponses en cache cinq minutes, ETag lié à la base."},
        "servers": [{"url": server or "/"}],
        "paths": {
            "/api/v1/partnerships": {"get": {
                "operationId": "listPartnerships",
                "description": "Les partenariats filtrés, par pages (JSON) ou tous (CSV).",
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
                "description": "Partenariats, collectivités françaises distinctes et budget connu par pays, "
                               "région, thématique, ODD ou année de début (un partenariat à deux thématiques compte "
                               "dans les deux).",
                "parameters": [{"$ref": "#/components/parameters/by"}, *refs],
                "x-examples": ["/api/v1/aggregates?by=country&zone=sahel", "/api/v1/aggregates?by=year&pays=MLI"],
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
                    "items": {"type": "array", "items": AGGREGATE_ITEM}, **COMMON}, "additionalProperties": False},
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
            },
        },
    }
