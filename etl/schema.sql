-- The contract between the ETL and the app: every table and column the dashboard may read.
-- Documented in README.md ("Data model"); tests/integration/test_schema.py checks keys, not-nulls and codes.

-- One row per partnership (project record) that passed every check.
CREATE TABLE partnerships (
    -- the export's Identifiant, or "<file>#<row>" when it had none; unique (the build rejects the duplicates and
    -- tests/integration/test_schema.py checks), without a key's index: no query looks a partnership up by it,
    -- and keeping the index up to date cost a build of 1.2M rows 0.75 s of its 6.5 s
    partnership_id         VARCHAR NOT NULL,
    source_file            VARCHAR NOT NULL,      -- file name the record came from
    source_row             INTEGER NOT NULL,      -- 1-based record number in that file, header excluded
    title                  VARCHAR,
    fr_authority_name      VARCHAR NOT NULL,      -- as written in the export (trimmed)
    fr_authority_key       VARCHAR NOT NULL,      -- COM:<insee>, DEP:<code>, REG:<code>, EPCI:<siren> or NOM:<dep|reg>:<name>
    fr_authority_id        INTEGER NOT NULL,      -- the key as a number of this build (one per key): the dashboard groups by it
    fr_authority_type      VARCHAR NOT NULL,      -- commune, departement, region, epci, metropole, syndicat_mixte, autre
    fr_commune_code        VARCHAR,               -- INSEE code of the commune (communes only)
    fr_departement_code    VARCHAR,               -- INSEE code of the département (NULL for a region)
    fr_region_code         VARCHAR NOT NULL,      -- INSEE code of the 2016 region (01–06 overseas)
    rrma                   VARCHAR,               -- code of the regional multi-actor network (rrma.code)
    partner_country_iso3   VARCHAR NOT NULL,      -- ISO 3166-1 alpha-3 (Kosovo: XKX)
    partner_authority_name VARCHAR,
    themes                 VARCHAR[] NOT NULL,    -- codes of themes.code, sorted
    theme_bits             BIGINT NOT NULL,       -- the same as a mask: bit themes.bit set for each theme
    themes_raw             VARCHAR,
    odds                   INTEGER[] NOT NULL,    -- ODD numbers 1–17, sorted
    odd_bits               INTEGER NOT NULL,      -- the same as a mask: bit n set for ODD n (the filters test it)
    action_type            VARCHAR,               -- action_types.code, NULL when absent or not recognised
    action_type_raw        VARCHAR,
    start_year             INTEGER,
    end_year               INTEGER,
    budget_eur             DOUBLE,                -- NULL = unknown, distinct from 0
    funding                VARCHAR,               -- Financements, as written
    status                 VARCHAR,               -- statuses.code, NULL when absent or not recognised
    status_raw             VARCHAR,
    extra                  VARCHAR                -- JSON object of the columns the ETL did not recognise
);

-- Every record that was not loaded, with why. loaded + rejected = records read.
CREATE TABLE rejected_rows (
    source_file VARCHAR NOT NULL,
    source_row  INTEGER NOT NULL,
    reason      VARCHAR NOT NULL,
    raw         VARCHAR NOT NULL                  -- JSON object header → cell, as read
);

CREATE TABLE countries (
    iso3      VARCHAR PRIMARY KEY,
    name_fr   VARCHAR NOT NULL,
    name_en   VARCHAR NOT NULL,
    continent VARCHAR,                            -- afrique, ameriques, asie, europe, oceanie, antarctique
    subregion VARCHAR,                            -- Natural Earth SUBREGION
    zones     VARCHAR[] NOT NULL,                 -- zones.code
    area_km2  DOUBLE,
    label_lon DOUBLE,                             -- where to put a label or a marker (small islands)
    label_lat DOUBLE,
    population      BIGINT,                       -- Natural Earth POP_EST (mostly World Bank 2019); NULL if unknown
    population_year INTEGER,                      -- the year of that estimate (Natural Earth POP_YEAR)
    geometry  GEOMETRY                            -- simplified for the web, outer rings clockwise; NULL if none
);

-- Every spelling of a partner country the ETL recognises (ISO names in French and English, aliases such as
-- "RDC"), folded; the dashboard's search finds countries by them.
CREATE TABLE country_names (
    name VARCHAR NOT NULL,                        -- folded: lower case, no accents, words separated by a space
    iso3 VARCHAR NOT NULL
);

CREATE TABLE zones (
    code     VARCHAR PRIMARY KEY,
    label_fr VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL,
    position INTEGER NOT NULL
);

-- Events that move the monitor's curves (data/events.csv): drawn on its yearly series when one of their countries
-- is in view, listed on the data page.
CREATE TABLE events (
    id             VARCHAR PRIMARY KEY,
    date           DATE NOT NULL,                 -- the day it happened or was announced
    countries      VARCHAR[] NOT NULL,            -- countries.iso3
    label_fr       VARCHAR NOT NULL,              -- short, for the charts
    label_en       VARCHAR NOT NULL,
    description_fr VARCHAR NOT NULL,              -- one sentence, for the hovers and the data page
    description_en VARCHAR NOT NULL,
    source         VARCHAR NOT NULL               -- where it was checked: publisher, date, URL (several: " ; ")
);

-- Members of country groups, with dates (data/memberships.csv: the G5 Sahel).
CREATE TABLE memberships (
    group_code VARCHAR NOT NULL,
    iso3       VARCHAR NOT NULL,                  -- countries.iso3
    joined_on  DATE NOT NULL,
    left_on    DATE,                              -- when the withdrawal took effect; NULL: still a member
    left_event VARCHAR,                           -- events.id recording the departure
    note       VARCHAR,
    source     VARCHAR NOT NULL,
    PRIMARY KEY (group_code, iso3)
);

CREATE TABLE rrma (
    code             VARCHAR PRIMARY KEY,
    name             VARCHAR NOT NULL,
    region_code      VARCHAR NOT NULL,
    departement_code VARCHAR                      -- set when the network covers one département only (YCID)
);

CREATE TABLE fr_regions (
    code           VARCHAR PRIMARY KEY,
    name           VARCHAR NOT NULL,
    rrma           VARCHAR,                       -- the region-wide network, if any
    population     BIGINT NOT NULL,               -- population municipale (COG)
    geometry       GEOMETRY NOT NULL,             -- the true shape
    inset_geometry GEOMETRY NOT NULL,             -- on the France map: overseas moved and scaled into their inset
                                                  -- box (geo/insets.py); mainland regions: the same as geometry
    label_lon      DOUBLE NOT NULL,               -- where the map label goes: a point inside inset_geometry
    label_lat      DOUBLE NOT NULL,
    centre_lon     DOUBLE NOT NULL,               -- where flow lines start: a point inside geometry
    centre_lat     DOUBLE NOT NULL
);

CREATE TABLE fr_departements (
    code        VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL,
    population  BIGINT NOT NULL,
    geometry    GEOMETRY NOT NULL,
    label_lon   DOUBLE NOT NULL,                  -- where a label goes: a point inside geometry
    label_lat   DOUBLE NOT NULL
);

CREATE TABLE themes (code VARCHAR PRIMARY KEY, label_fr VARCHAR NOT NULL, label_en VARCHAR NOT NULL,
                     odds INTEGER[] NOT NULL,
                     bit INTEGER NOT NULL UNIQUE);            -- 0–62: its bit in partnerships.theme_bits
CREATE TABLE odd (number INTEGER PRIMARY KEY, label_fr VARCHAR NOT NULL, label_en VARCHAR NOT NULL,
                  colour VARCHAR NOT NULL);
CREATE TABLE action_types (code VARCHAR PRIMARY KEY, label_fr VARCHAR NOT NULL, label_en VARCHAR NOT NULL);
CREATE TABLE statuses (code VARCHAR PRIMARY KEY, label_fr VARCHAR NOT NULL, label_en VARCHAR NOT NULL);
CREATE TABLE authority_types (code VARCHAR PRIMARY KEY, label_fr VARCHAR NOT NULL, label_en VARCHAR NOT NULL);

-- One row: what this database was built from.
CREATE TABLE build_info (
    source_kind    VARCHAR NOT NULL,              -- 'demo' or 'import'
    built_at       TIMESTAMP NOT NULL,            -- UTC
    code_version   VARCHAR NOT NULL,
    records_read   INTEGER NOT NULL,
    records_loaded INTEGER NOT NULL,
    records_rejected INTEGER NOT NULL,
    checksum       VARCHAR NOT NULL,              -- build id (etl.load.build_id): inputs, data/, schema, geometry, version
    geometry_sources VARCHAR NOT NULL
);

-- One row per input file.
CREATE TABLE build_inputs (
    source_file VARCHAR NOT NULL,
    sha256      VARCHAR NOT NULL,
    encoding    VARCHAR NOT NULL,
    delimiter   VARCHAR,
    records     INTEGER NOT NULL,
    loaded      INTEGER NOT NULL,
    rejected    INTEGER NOT NULL,
    blank_rows  INTEGER NOT NULL
);
