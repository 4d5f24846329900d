"""Queries: ``(store, filters) -> DataFrame``, SQL with bound parameters only.

Every view reads the same filtered set of partnerships (:func:`where`); the maps drop their own dimension
(the world map ignores the country filter, the France map the region filters) so that the selection stays
visible among the rest.
"""

from __future__ import annotations

import re

import pandas as pd

from dashboard.db import Store
from dashboard.filters import FILTERS, MEASURE, Filters, Vocabulary, where
from dashboard.i18n import t
from etl.normalise.text import fold_name

FROM = "FROM partnerships p JOIN countries c ON c.iso3 = p.partner_country_iso3"
READS_COUNTRY = re.compile(r"\bc\.\w")
BUDGET_BINS = (0, 10_000, 50_000, 100_000, 250_000, 500_000, 1_000_000)


def source(*sql: str) -> str:
    """:data:`FROM`, or the partnerships alone when none of ``sql`` reads the partner country (``c.``): the join
    is a third of a simple count's time, and every partnership has its country (:mod:`dashboard.db` checks)."""
    return FROM if any(READS_COUNTRY.search(part) for part in sql) else "FROM partnerships p"


def _q(store: Store, select: str, f: Filters, tail: str = "", extra: list | None = None,
       join: str = "") -> pd.DataFrame:
    w, params = where(f)
    return store.df(f"SELECT {select} {source(select, w, tail)} {join} WHERE {w} {tail}", params + (extra or []))


def kpis(store: Store, f: Filters) -> dict:
    """The key figures of the filtered partnerships. The authorities are counted as the groups of a first
    aggregation by authority: DuckDB's distinct count beside other aggregates took twice as long at 100×."""
    w, params = where(f)
    row = store.df(f"""
        SELECT CAST(coalesce(sum(a.n), 0) AS BIGINT) AS partnerships, count(*) AS authorities,
               (SELECT count(DISTINCT p.partner_country_iso3) {source(w)} WHERE {w}) AS countries,
               sum(a.budget) AS budget, CAST(coalesce(sum(a.known), 0) AS BIGINT) AS budget_known
        FROM ({_by_authority(w)}) a""", params + params).iloc[0]
    return {k: (None if pd.isna(v) else v) for k, v in row.items()}


def counts_alone(store: Store, f: Filters) -> list[int]:
    """How many partnerships each active filter of ``f`` gives alone, in its order, from one scan (why a view with
    several filters is empty)."""
    counts, params = [], []
    for i, (spec, value) in enumerate(f.active()):
        w, values = where(Filters(**{spec.name: value}))
        counts.append(f"count(*) FILTER (WHERE {w}) AS n{i:d}")
        params += values
    if not counts:
        return []
    return [int(n) for n in store.df(f"SELECT {', '.join(counts)} {source(*counts)}", params).iloc[0]]


def _by_authority(w: str, key: str = "") -> str:
    """The filtered partnerships' counts per French authority (and per ``key``, an expression then named ``k``):
    the distinct authorities are counted as its groups, in about half the time at 100× of DuckDB's distinct count
    beside other aggregates; grouped by the authority's number (``fr_authority_id``), in about half the time of its
    key's text (per country at 100×: 84 → 47 ms)."""
    return f"""SELECT {f"{key} AS k, " if key else ""}p.fr_authority_id, count(*) AS n,
                      sum(p.budget_eur) AS budget, count(p.budget_eur) AS known
               {source(w)} WHERE {w} GROUP BY ALL"""


# A group's measures; counting distinct authorities is most of a group's cost, so groups that never show it
# (years, one authority) leave it out.
COUNT_SQL = "count(*) AS partnerships, coalesce(sum(p.budget_eur), 0) AS budget, count(p.budget_eur) AS budget_known"
METRIC_SQL = f"{COUNT_SQL}, count(DISTINCT p.fr_authority_key) AS authorities"
# The table where a dimension's key finds its names and, for a dimension with inhabitants (the measure "per
# 100,000 inhabitants"), its population: the partner country's (Natural Earth's estimate), the French region's and
# département's (COG, Mayotte from INSEE's census). It is joined after the aggregation, on one row per key: joined
# to every partnership, it cost a per-key query at 100× half its time.
KEY_TABLES = {"country": ("countries", "iso3", "name_fr", "name_en"), "region": ("fr_regions", "code", "name", "name"),
              "departement": ("fr_departements", "code", "name", "name"),
              "type": ("authority_types", "code", "label_fr", "label_en")}
POPULATION = ("country", "region", "departement")
PER_CAPITA_SQL = ("k.population AS population, CASE WHEN k.population > 0 THEN 100000.0 * x.partnerships / "
                  "k.population END AS partnerships_per_100k")


def per_key(store: Store, f: Filters, expr: str, name: str, dimension: str, measures: str = METRIC_SQL,
            tail: str = "", extra: list | None = None) -> pd.DataFrame:
    """The measures of the filtered partnerships per key (``expr``, named ``name``), with the key's population
    and partnerships per 100,000 inhabitants (NULL when unknown); ``tail`` orders and cuts the keys (``x.`` are the
    measures, ``k.`` the key's table)."""
    w, params = where(f)
    table, key = KEY_TABLES[dimension][:2]
    if measures == METRIC_SQL:  # the same measures, the authorities counted as groups (:func:`_by_authority`)
        keyed = f"""SELECT k AS {name}, CAST(sum(n) AS BIGINT) AS partnerships, coalesce(sum(budget), 0) AS budget,
                           CAST(sum(known) AS BIGINT) AS budget_known, count(*) AS authorities
                    FROM ({_by_authority(w, expr)}) GROUP BY 1"""
    else:
        keyed = f"SELECT {expr} AS {name}, {measures} {source(w)} WHERE {w} GROUP BY 1"
    return store.df(f"""SELECT x.*, {PER_CAPITA_SQL}
        FROM ({keyed}) x
        LEFT JOIN {table} k ON k.{key} = x.{name} {tail}""", params + (extra or []))  # names from our constants


def by_country(store: Store, f: Filters) -> pd.DataFrame:
    """Per partner country, ignoring the country filter itself."""
    return per_key(store, f.without("pays"), "p.partner_country_iso3", "iso3", "country",
                   tail="ORDER BY partnerships DESC, iso3")


def top_countries(store: Store, f: Filters, n: int = 15) -> pd.DataFrame:
    """Per partner country under every filter, the country filter included; the first ``n`` by the view's
    measure (among the countries with at least the measure's ``rank_min`` partnerships)."""
    measure = MEASURE[f.mesure]
    counts = METRIC_SQL if measure.column == "authorities" else COUNT_SQL  # a ranking shows its measure only
    return per_key(store, f, "p.partner_country_iso3", "iso3", "country", counts,
                   f"WHERE x.partnerships >= {measure.rank_min:d} "
                   f"ORDER BY {measure.column} DESC NULLS LAST, partnerships DESC, iso3 LIMIT ?",
                   [n])  # the column is a measure's, from the catalogue


def by_region(store: Store, f: Filters) -> pd.DataFrame:
    """Per French region, ignoring the region, département and network filters."""
    return per_key(store, f.without("region", "departement", "rrma"), "p.fr_region_code", "code", "region")


def by_departement(store: Store, f: Filters) -> pd.DataFrame:
    """Per French département (of the selected region, when one is), ignoring the département filter."""
    return per_key(store, f.without("departement"), "p.fr_departement_code", "code", "departement")


def _masks(column: str, w: str) -> str:
    """The filtered partnerships counted per bit mask (``n``): a few hundred masks, each then counted in the themes
    or goals it holds. At 100×, 8 times faster unfiltered than counting the unnested lists (78.6 → 10.3 ms)."""
    return f"SELECT p.{column} AS bits, count(*) AS n {source(w)} WHERE {w} GROUP BY 1"


def by_theme(store: Store, f: Filters) -> pd.DataFrame:
    """The themes that have partnerships (one with two themes counts in both), the most first."""
    w, params = where(f)
    return store.df(f"""
        SELECT t.code, t.label_fr, t.label_en, CAST(sum(m.n) AS BIGINT) AS partnerships
        FROM ({_masks("theme_bits", w)}) m JOIN themes t ON (m.bits & (CAST(1 AS BIGINT) << t.bit)) <> 0
        GROUP BY t.code, t.label_fr, t.label_en
        ORDER BY partnerships DESC, t.code""", params)


def by_odd(store: Store, f: Filters) -> pd.DataFrame:
    """All 17 goals, zero included, in order (bit n of ``odd_bits`` is goal n)."""
    w, params = where(f)
    return store.df(f"""
        SELECT o.number, o.label_fr, o.label_en, o.colour, CAST(coalesce(sum(m.n), 0) AS BIGINT) AS partnerships
        FROM odd o LEFT JOIN ({_masks("odd_bits", w)}) m ON (m.bits & (1 << o.number)) <> 0
        GROUP BY o.number, o.label_fr, o.label_en, o.colour
        ORDER BY o.number""", params)


def budget_bins(store: Store, f: Filters) -> pd.DataFrame:
    """Known budgets counted in bins: ``bin``, ``low``, ``high`` (None for the last), ``partnerships``, ``budget``."""
    w, params = where(f)
    edges = list(BUDGET_BINS)
    cases = " ".join(f"WHEN p.budget_eur < {hi:d} THEN {i:d}" for i, hi in enumerate(edges[1:]))  # our constants
    df = store.df(f"""SELECT CASE {cases} ELSE {len(edges) - 1:d} END AS bin, count(*) AS partnerships,
                             sum(p.budget_eur) AS budget
                      {source(w)} WHERE {w} AND p.budget_eur IS NOT NULL GROUP BY 1 ORDER BY 1""", params)
    found = dict(zip(df["bin"].tolist(), zip(df["partnerships"].tolist(), df["budget"].tolist())))
    counts = [found.get(i, (0, 0.0)) for i in range(len(edges))]  # every bin, empty ones included
    return pd.DataFrame({"bin": range(len(edges)), "low": edges, "high": [*edges[1:], None],
                         "partnerships": [c[0] for c in counts], "budget": [c[1] for c in counts]})


def _per_country(w: str, keys: str = "") -> str:
    """The filtered partnerships' counts per partner country (and ``keys``), for groups of countries (zones,
    continents) joined after it: 250 rows to join instead of every partnership."""
    return f"""SELECT p.partner_country_iso3 AS iso3{keys}, count(*) AS partnerships, sum(p.budget_eur) AS budget,
                      count(p.budget_eur) AS budget_known
               {source(w)} WHERE {w} GROUP BY ALL"""


def by_zone(store: Store, f: Filters) -> pd.DataFrame:
    """Per zone (zones overlap: Mauritanie counts in the Sahel and the Maghreb), in the zones' display order."""
    w, params = where(f)
    return store.df(f"""
        SELECT z.code, z.label_fr, z.label_en, coalesce(x.partnerships, 0) AS partnerships,
               coalesce(x.budget, 0) AS budget, coalesce(x.budget_known, 0) AS budget_known
        FROM zones z LEFT JOIN (
            SELECT unnest(c.zones) AS code, CAST(sum(x.partnerships) AS BIGINT) AS partnerships,
                   sum(x.budget) AS budget, CAST(sum(x.budget_known) AS BIGINT) AS budget_known
            FROM ({_per_country(w)}) x JOIN countries c ON c.iso3 = x.iso3
            GROUP BY 1) x USING (code)
        ORDER BY z.position""", params)


def by_year_continent(store: Store, f: Filters) -> pd.DataFrame:
    w, params = where(f)
    return store.df(f"""
        SELECT x.start_year AS year, c.continent AS continent, CAST(sum(x.partnerships) AS BIGINT) AS partnerships,
               coalesce(sum(x.budget), 0) AS budget, CAST(sum(x.budget_known) AS BIGINT) AS budget_known
        FROM ({_per_country(w + " AND p.start_year IS NOT NULL", ", p.start_year")}) x
        JOIN countries c ON c.iso3 = x.iso3
        GROUP BY 1, 2 ORDER BY 1, 2""", params)


def top_authorities(store: Store, f: Filters, n: int = 15) -> pd.DataFrame:
    """The French authorities with the most filtered partnerships (grouped by their number, :func:`_by_authority`)."""
    w, params = where(f)
    return store.df(f"""
        SELECT any_value(p.fr_authority_key) AS key, any_value(p.fr_authority_name) AS name,
               any_value(p.fr_authority_type) AS type, {COUNT_SQL}
        {source(w)} WHERE {w} GROUP BY p.fr_authority_id ORDER BY partnerships DESC, key LIMIT ?""", params + [n])


SORTABLE = {"partnership_id": "p.partnership_id", "title": "p.title", "fr_authority_name": "p.fr_authority_name",
            "region": "(SELECT name FROM fr_regions r WHERE r.code = p.fr_region_code)", "country": "c.name_fr",
            "partner_authority_name": "p.partner_authority_name", "start_year": "p.start_year",
            "end_year": "p.end_year", "budget_eur": "p.budget_eur"}
TABLE_SELECT = """p.partnership_id, p.title, p.fr_authority_name, p.fr_authority_key, p.fr_authority_type,
    p.fr_region_code AS region, (SELECT name FROM fr_regions r WHERE r.code = p.fr_region_code) AS region_name,
    c.name_fr AS country_fr, c.name_en AS country_en, p.partner_country_iso3 AS iso3, p.partner_authority_name,
    (SELECT string_agg(t.label_fr, ', ' ORDER BY t.label_fr) FROM themes t WHERE list_contains(p.themes, t.code))
        AS themes_fr,
    (SELECT string_agg(t.label_en, ', ' ORDER BY t.label_en) FROM themes t WHERE list_contains(p.themes, t.code))
        AS themes_en,
    array_to_string(p.odds, ', ') AS odds, p.action_type, p.start_year, p.end_year, p.budget_eur, p.status"""


def valid_text(text) -> str:
    """Text a browser sent, without what cannot be encoded (lone surrogates)."""
    return str(text or "").encode("utf-8", "ignore").decode("utf-8")


def _search_clause(search: str | None) -> tuple[str, list]:
    search = valid_text(search)
    if not search.strip():
        return "", []
    term = f"%{search.strip()[:100].lower()}%"
    return ("AND (strip_accents(lower(p.fr_authority_name)) LIKE strip_accents(?) OR "
            "strip_accents(lower(coalesce(p.partner_authority_name, ''))) LIKE strip_accents(?) OR "
            "strip_accents(lower(coalesce(p.title, ''))) LIKE strip_accents(?) OR "
            "strip_accents(lower(c.name_fr)) LIKE strip_accents(?))", [term] * 4)


def _row_index(value, ceiling: int = 10_000_000) -> int:
    """A row number from a browser request: anything not a small non-negative integer becomes 0."""
    try:
        return min(max(int(value), 0), ceiling)
    except (TypeError, ValueError, OverflowError):
        return 0


def partnerships_page(store: Store, f: Filters, start: int, end: int, sort: list[dict] | None = None,
                      search: str | None = None) -> tuple[pd.DataFrame, int]:
    """Rows ``start``–``end`` of the filtered partnerships, sorted by whitelisted columns; and the total."""
    order = []
    for s in sort if isinstance(sort, list) else []:
        col_id = s.get("colId") if isinstance(s, dict) else None
        col = SORTABLE.get(col_id) if isinstance(col_id, str) else None
        if col:
            order.append(f"{col} {'DESC' if s.get('sort') == 'desc' else 'ASC'} NULLS LAST")
    order.append("p.partnership_id")
    clause, sparams = _search_clause(search if isinstance(search, str) else None)
    start, end = _row_index(start), _row_index(end)
    limit = min(max(end - start, 1), 500)
    rows = _q(store, TABLE_SELECT, f, f"{clause} ORDER BY {', '.join(order)} LIMIT ? OFFSET ?",
              sparams + [limit, start])
    total = int(_q(store, "count(*) AS n", f, clause, sparams).iloc[0]["n"])
    return rows, total


EXPORT_FIELDS = ("partnership_id", "title", "fr_authority_name", "fr_authority_type", "fr_commune_code",
                 "fr_departement_code", "region_name", "rrma_name", "country_name", "partner_country_iso3",
                 "partner_authority_name", "themes", "odds", "action_type", "start_year", "end_year", "budget_eur",
                 "funding", "status", "source_file", "source_row")
NUMBER_FIELDS = frozenset({"start_year", "end_year", "budget_eur", "source_row"})
# A text cell starting like a formula gets a leading apostrophe (OWASP's advice against CSV injection).
NEUTRALISED = "CASE WHEN left({c}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN chr(39) || {c} ELSE {c} END"


def _export_rows(f: Filters) -> tuple[str, list]:
    w, params = where(f)
    en = f.lang == "en"
    label = "label_en" if en else "label_fr"
    return f"""
        WITH sel AS (SELECT p.*, c.{"name_en" if en else "name_fr"} AS country_name {FROM} WHERE {w}),
        th AS (SELECT x.partnership_id, string_agg(t.{label}, ' ; ' ORDER BY t.code) AS themes
               FROM (SELECT partnership_id, unnest(themes) AS code FROM sel) x JOIN themes t USING (code)
               GROUP BY 1)
        SELECT p.partnership_id, p.title, p.fr_authority_name, aty.{label} AS fr_authority_type, p.fr_commune_code,
               p.fr_departement_code, r.name AS region_name, rr.name AS rrma_name, p.country_name,
               p.partner_country_iso3, p.partner_authority_name, th.themes, array_to_string(p.odds, ', ') AS odds,
               a.{label} AS action_type, p.start_year, p.end_year, p.budget_eur, p.funding, s.{label} AS status,
               p.source_file, p.source_row
        FROM sel p
        LEFT JOIN th ON th.partnership_id = p.partnership_id
        LEFT JOIN fr_regions r ON r.code = p.fr_region_code
        LEFT JOIN rrma rr ON rr.code = p.rrma
        LEFT JOIN authority_types aty ON aty.code = p.fr_authority_type
        LEFT JOIN action_types a ON a.code = p.action_type
        LEFT JOIN statuses s ON s.code = p.status
        ORDER BY p.source_file, p.source_row""", params  # labels and names from our constants


def partnerships_export(store: Store, f: Filters) -> pd.DataFrame:
    """Exactly the filtered partnerships, with readable labels, in a stable order."""
    sql, params = _export_rows(f)
    return store.df(sql, params)


def export_select(f: Filters) -> tuple[str, list]:
    """The export as spreadsheets want it, computed by DuckDB: readable headers, formula-like text neutralised,
    amounts with a decimal comma in French and without a useless ``.0``."""
    rows, params = _export_rows(f)
    columns = []
    for col in EXPORT_FIELDS:
        header = t(f"csv.{col}", f.lang).replace('"', '""')
        if col not in NUMBER_FIELDS:
            expr = NEUTRALISED.format(c=col)
        elif col == "budget_eur":
            text = f"CAST({col} AS VARCHAR)"
            decimal = f"replace({text}, '.', ',')" if f.lang == "fr" else text
            whole = f"{col} = trunc({col}) AND abs({col}) < 1e15"  # beyond, BIGINT would overflow: keep the text
            expr = f"CASE WHEN {whole} THEN CAST(CAST({col} AS BIGINT) AS VARCHAR) ELSE {decimal} END"
        else:
            expr = col
        columns.append(f'{expr} AS "{header}"')
    return f"SELECT {', '.join(columns)} FROM ({rows}) e", params


# Rebalancing monitor -----------------------------------------------------------------------------------------
# A partnership is *active* in year Y when it started in or before Y and had not ended before Y: its end year
# when given; with no end year, until today when its status is ongoing, planned or not stated, and in its start
# year only when its status says it ended or is suspended (the year it stopped is not known). Partnerships
# without a start year are left out of the yearly series (they are counted apart).

# The last year a partnership is active (the one ``?`` is this year): the definition above, written once.
LAST_ACTIVE = """CASE WHEN p.end_year IS NOT NULL THEN p.end_year
                WHEN p.status IN ('termine', 'suspendu') THEN p.start_year ELSE ? END"""
# A partnership has left (an exit) when its last active year is before this year (the ``?``): one still going
# is active until this year. The monitor's yearly exits and its authorities' table both say so here.
ENDED = "{last} < ?"

ACTIVE = """WITH base AS (
    SELECT p.partnership_id, p.fr_authority_key, any_value(p.fr_authority_name) OVER w AS fr_authority_name,
           p.fr_region_code, p.budget_eur, p.start_year, {last_active} AS last_year, {in_zone} AS in_zone
    {FROM} WHERE {where} AND p.start_year IS NOT NULL
    WINDOW w AS (PARTITION BY p.fr_authority_key))"""


MONITORED_ZONE = "sahel"  # the monitor's zone when none is chosen


def _zone_test(f: Filters) -> tuple[str, list]:
    """SQL telling whether a partnership is in the monitored zone (the zone, or the chosen countries)."""
    if f.pays:
        return "list_contains(?::VARCHAR[], p.partner_country_iso3)", [list(f.pays)]
    return "list_contains(c.zones, ?)", [f.zone or MONITORED_ZONE]


def _active_base(f: Filters, this_year: int) -> tuple[str, list]:
    zone_sql, zone_params = _zone_test(f)
    w, params = where(f.without("zone", "pays"))
    return ACTIVE.format(last_active=LAST_ACTIVE, in_zone=zone_sql, FROM=FROM, where=w), \
        [this_year, *zone_params, *params]


def monitor_years(store: Store, f: Filters, first: int, last: int, this_year: int) -> pd.DataFrame:
    """Per year: active partnerships and their known budget in the zone and in all (the other filters applied),
    and the zone's entries (start year) and exits (last active year, before this year)."""
    base, params = _active_base(f, this_year)
    df = store.df(f"""{base}
        SELECT y.range AS year,
               count(b.partnership_id) FILTER (WHERE b.in_zone) AS zone_active,
               count(b.partnership_id) AS all_active,
               coalesce(sum(b.budget_eur) FILTER (WHERE b.in_zone), 0) AS zone_budget,
               coalesce(sum(b.budget_eur), 0) AS all_budget,
               count(b.partnership_id) FILTER (WHERE b.in_zone AND b.start_year = y.range) AS entries,
               count(b.partnership_id) FILTER (WHERE b.in_zone AND b.last_year = y.range
                                                     AND {ENDED.format(last="b.last_year")}) AS exits
        FROM range(?, ? + 1) y LEFT JOIN base b ON b.start_year <= y.range AND b.last_year >= y.range
        GROUP BY 1 ORDER BY 1""", [*params, this_year, first, last])
    df["zone_share"] = df["zone_active"] / df["all_active"].where(df["all_active"] > 0)
    df["budget_share"] = df["zone_budget"] / df["all_budget"].where(df["all_budget"] > 0)
    return df


# The authorities' table of the monitor: each authority's first year in the zone and its last active year there;
# it "entered" when its first year is within the years shown, it "left" when its last active year is within them
# and it has ended (:data:`ENDED`).
_MOVERS = """{base},
    movers AS (SELECT fr_authority_key AS key, any_value(fr_authority_name) AS name, min(start_year) AS entered,
                      max(last_year) AS last_active, count(*) AS partnerships
               FROM base WHERE in_zone GROUP BY 1),
    flagged AS (SELECT key, name, partnerships,
                       CASE WHEN entered BETWEEN ? AND ? THEN entered END AS entered_in,
                       CASE WHEN last_active BETWEEN ? AND ? AND {ended} THEN last_active END AS exited
                FROM movers)
    SELECT * FROM flagged WHERE entered_in IS NOT NULL OR exited IS NOT NULL"""
# Orders of the monitor's authorities' table (URL word → SQL); the default is the latest movement first.
MOVER_ORDER = {"nom": "name {d}, key", "entree": "entered_in {d} NULLS LAST, name, key",
               "sortie": "exited {d} NULLS LAST, name, key", "partenariats": "partnerships {d}, name, key"}
MOVER_DEFAULT_ORDER = "greatest(entered_in, exited) DESC, name, key"


def _movers(f: Filters, first: int, last: int, this_year: int) -> tuple[str, list]:
    base, params = _active_base(f, this_year)
    return _MOVERS.format(base=base, ended=ENDED.format(last="last_active")), \
        [*params, first, last, first, last, this_year]


def monitor_movers(store: Store, f: Filters, first: int, last: int, this_year: int, sort: str = "",
                   offset: int = 0, limit: int | None = None) -> pd.DataFrame:
    """French authorities that entered the zone (first active year there, ``entered_in``) or left it (last
    active year there, ``exited``, once ended) within ``first``–``last``; ``sort`` is a word of
    :data:`MOVER_ORDER`, ``-`` first for descending; a page of ``limit`` rows from ``offset`` (all when None)."""
    sql, params = _movers(f, first, last, this_year)
    word = sort.lstrip("-")
    order = MOVER_ORDER[word].format(d="DESC" if sort.startswith("-") else "ASC") if word in MOVER_ORDER \
        else MOVER_DEFAULT_ORDER
    tail = " LIMIT ? OFFSET ?" if limit is not None else ""
    return store.df(f"{sql} ORDER BY {order}{tail}",
                    [*params, *((int(limit), max(0, int(offset))) if limit is not None else ())])


def monitor_movers_totals(store: Store, f: Filters, first: int, last: int, this_year: int) -> dict[str, int]:
    """How many authorities :func:`monitor_movers` lists, and how many of them entered and left."""
    sql, params = _movers(f, first, last, this_year)
    row = store.df(f"""SELECT count(*) AS authorities, count(entered_in) AS entries, count(exited) AS exits
                       FROM ({sql})""", params).iloc[0]
    return {k: int(row[k]) for k in ("authorities", "entries", "exits")}


def monitor_periods(store: Store, f: Filters, p1: tuple[int, int], p2: tuple[int, int],
                    this_year: int) -> pd.DataFrame:
    """Per zone: the share of partnerships active during each period (active at any time in it), and the change
    in points. The other filters apply; the monitored zone itself does not restrict this table."""
    w, params = where(f.without("zone", "pays"))
    return store.df(f"""
        WITH base AS (
            SELECT p.partnership_id, c.zones, p.start_year, {LAST_ACTIVE} AS last_year
            {FROM} WHERE {w} AND p.start_year IS NOT NULL),
        periods AS (SELECT 1 AS period, ? AS lo, ? AS hi UNION ALL SELECT 2, ?, ?),
        active AS (SELECT pe.period, b.* FROM periods pe JOIN base b ON b.start_year <= pe.hi
                                                                   AND b.last_year >= pe.lo),
        totals AS (SELECT period, count(*) AS n FROM active GROUP BY 1)
        SELECT z.code, z.label_fr, z.label_en,
               count(*) FILTER (WHERE a.period = 1) AS p1_active, count(*) FILTER (WHERE a.period = 2) AS p2_active,
               count(*) FILTER (WHERE a.period = 1) / any_value(t1.n) AS p1_share,
               count(*) FILTER (WHERE a.period = 2) / any_value(t2.n) AS p2_share
        FROM zones z
        LEFT JOIN active a ON list_contains(a.zones, z.code)
        CROSS JOIN (SELECT n FROM totals WHERE period = 1) t1 CROSS JOIN (SELECT n FROM totals WHERE period = 2) t2
        GROUP BY z.code, z.label_fr, z.label_en, z.position ORDER BY z.position""",
                    [this_year, *params, p1[0], p1[1], p2[0], p2[1]])


def monitor_regions(store: Store, f: Filters, p1: tuple[int, int], p2: tuple[int, int],
                    this_year: int) -> pd.DataFrame:
    """Per French region: its partnerships active in the zone during each period, the zone's share of all its
    active partnerships then (``p1_share``, ``p2_share``) and the change in points (``change_points``). Ranked by
    the size of that change (a region can add partnerships in the zone while turning away from it), regions
    without any partnership in either period last."""
    base, params = _active_base(f, this_year)
    return store.df(f"""{base},
        periods AS (SELECT 1 AS period, ? AS lo, ? AS hi UNION ALL SELECT 2, ?, ?),
        active AS (SELECT pe.period, b.* FROM periods pe JOIN base b ON b.start_year <= pe.hi
                                                                   AND b.last_year >= pe.lo),
        counts AS (
            SELECT r.code, r.name,
                   count(*) FILTER (WHERE a.period = 1 AND a.in_zone) AS p1_zone,
                   count(*) FILTER (WHERE a.period = 2 AND a.in_zone) AS p2_zone,
                   count(*) FILTER (WHERE a.period = 1) AS p1_all, count(*) FILTER (WHERE a.period = 2) AS p2_all
            FROM fr_regions r LEFT JOIN active a ON a.fr_region_code = r.code
            GROUP BY 1, 2)
        SELECT *, p1_zone / nullif(p1_all, 0) AS p1_share, p2_zone / nullif(p2_all, 0) AS p2_share,
               100 * (coalesce(p2_zone / nullif(p2_all, 0), 0) - coalesce(p1_zone / nullif(p1_all, 0), 0))
                   AS change_points
        FROM counts
        ORDER BY (p1_all + p2_all = 0), abs(change_points) DESC, change_points, name""",
                    [*params, p1[0], p1[1], p2[0], p2[1]])


def events(store: Store) -> pd.DataFrame:
    """The events that move the curves (``data/events.csv``), in date order, with their year."""
    return store.df("SELECT *, year(date) AS year FROM events ORDER BY date, id")


def countries_in_view(store: Store, f: Filters) -> frozenset[str]:
    """The countries the monitor looks at: the chosen countries, else the monitored zone's (Sahel by default)."""
    if f.pays:
        return frozenset(f.pays)
    df = store.df("SELECT iso3 FROM countries WHERE list_contains(zones, ?)", [f.zone or MONITORED_ZONE])
    return frozenset(df["iso3"])


# Search ------------------------------------------------------------------------------------------------------

# Words a search may put before a name, as people write them ("ville de Lyon", "département du Nord"), folded;
# the same words are taken off the names searched, so "st etienne" finds "Ville de Saint-Étienne".
GENERIC_WORDS = ("mairie", "ville", "commune", "conseil departemental", "conseil general",
                 "departement", "conseil regional", "region")
ARTICLES = ("de la ", "de l ", "du ", "des ", "de ", "d ")


def search_form(text: str) -> str:
    """The form names are matched in: folded (case, accents, punctuation), St/Ste spelt out, the generic words
    and their article taken off the front."""
    form = fold_name(text)
    for word in GENERIC_WORDS:
        if form.startswith(word + " "):
            rest = form[len(word) + 1:] + " "
            article = next((a for a in ARTICLES if rest.startswith(a)), "")
            return rest[len(article):].strip() or form
    return form


def build_search_index(store: Store) -> None:
    """French authorities (by their names and, for départements and regions, their official name), partner
    authorities and countries (by every spelling the ETL recognises, such as "RDC"), in the connection's
    private in-memory catalogue (the database file itself stays read-only)."""
    rows = store.con.execute("""
        WITH a AS (
            SELECT p.fr_authority_key AS key, mode(p.fr_authority_name) AS label,
                   any_value(coalesce(d.name, r.name)) AS detail, count(*) AS n,
                   any_value(CASE WHEN p.fr_authority_key = 'DEP:' || d.code THEN d.name
                                  WHEN p.fr_authority_key = 'REG:' || r.code THEN r.name END) AS official
            FROM partnerships p LEFT JOIN fr_departements d ON d.code = p.fr_departement_code
            LEFT JOIN fr_regions r ON r.code = p.fr_region_code GROUP BY 1)
        SELECT 'collectivite' AS kind, key, label, detail, n, label AS name FROM a
        UNION ALL SELECT 'collectivite', key, label, detail, n, official FROM a WHERE official IS NOT NULL
        UNION ALL
        SELECT 'partenaire', p.partner_country_iso3 || '|' || p.partner_authority_name, p.partner_authority_name,
               any_value(c.name_fr), count(DISTINCT p.fr_authority_key), p.partner_authority_name
        FROM partnerships p JOIN countries c ON c.iso3 = p.partner_country_iso3
        WHERE p.partner_authority_name IS NOT NULL GROUP BY p.partner_country_iso3, p.partner_authority_name
        UNION ALL
        SELECT 'pays', c.iso3, c.name_fr, c.name_en, x.n, nm.name
        FROM (SELECT partner_country_iso3 AS iso3, count(*) AS n FROM partnerships GROUP BY 1) x
        JOIN countries c USING (iso3)
        JOIN (SELECT iso3, name FROM country_names UNION SELECT iso3, name_fr FROM countries
              UNION SELECT iso3, name_en FROM countries) nm USING (iso3)""").df()
    rows["folded"] = [search_form(str(n)) for n in rows.pop("name")]
    cur = store.con.cursor()
    try:
        cur.register("search_rows", rows.drop_duplicates(["kind", "key", "folded"]))
        cur.execute("CREATE OR REPLACE TABLE memory.main.search_index AS SELECT * FROM search_rows")
    finally:
        cur.close()


SEARCH_COLUMNS = ["kind", "key", "label", "detail", "n", "rank"]


def search(store: Store, text: str, limit: int = 25) -> tuple[pd.DataFrame, int]:
    """Accent- and case-insensitive, typo-tolerant: exact, then prefix, then substring, then close spellings
    (Jaro–Winkler ≥ 0.88 on the whole name or one of its words); countries first, busier entries first within
    a rank; each entry once. The first ``limit`` results and how many there are in all."""
    query = search_form(valid_text(text).strip()[:100])
    if len(query) < 2:
        return pd.DataFrame(columns=SEARCH_COLUMNS), 0
    df = store.df("""
        WITH query AS (SELECT ?::VARCHAR AS q),
        scored AS (
            SELECT s.kind, s.key, s.label, s.detail, s.n,
                   CASE WHEN s.folded = query.q THEN 4
                        WHEN starts_with(s.folded, query.q) THEN 3
                        WHEN contains(s.folded, query.q) THEN 2
                        WHEN greatest(jaro_winkler_similarity(s.folded, query.q),
                                      list_max(list_transform(string_split(s.folded, ' '),
                                                              lambda w: jaro_winkler_similarity(w, query.q)))) >= 0.88
                        THEN 1 ELSE 0 END AS rank
            FROM memory.main.search_index s, query),
        best AS (SELECT kind, key, any_value(label) AS label, any_value(detail) AS detail, any_value(n) AS n,
                        max(rank) AS rank FROM scored WHERE rank > 0 GROUP BY kind, key)
        SELECT *, count(*) OVER () AS total FROM best
        ORDER BY rank DESC, CASE kind WHEN 'pays' THEN 0 WHEN 'collectivite' THEN 1 ELSE 2 END, n DESC, label
        LIMIT ?""", [query, limit])
    total = int(df["total"].iloc[0]) if len(df) else 0
    return df[SEARCH_COLUMNS], total


def who_else(store: Store, key: str) -> pd.DataFrame:
    """For each partner of a French authority, the other French authorities working with the same partner
    authority (same country and name) — the Atlas's "mutualisation et synergies"."""
    return store.df("""
        WITH mine AS (SELECT DISTINCT partner_country_iso3, partner_authority_name FROM partnerships
                      WHERE fr_authority_key = ? AND partner_authority_name IS NOT NULL)
        SELECT m.partner_authority_name AS partner, c.name_fr AS country_fr, c.name_en AS country_en,
               p.fr_authority_key AS key,
               any_value(p.fr_authority_name) AS name, count(*) AS partnerships
        FROM mine m JOIN partnerships p ON p.partner_country_iso3 = m.partner_country_iso3
             AND p.partner_authority_name = m.partner_authority_name AND p.fr_authority_key <> ?
        JOIN countries c ON c.iso3 = m.partner_country_iso3
        GROUP BY ALL ORDER BY 1, partnerships DESC, name""", [key, key])


def same_country_and_theme(store: Store, key: str, limit: int = 30) -> pd.DataFrame:
    """Other French authorities working in the same country on the same theme as this one."""
    return store.df("""
        WITH mine AS (SELECT DISTINCT partner_country_iso3 AS iso3, unnest(themes) AS theme FROM partnerships
                      WHERE fr_authority_key = ?)
        SELECT c.name_fr AS country_fr, c.name_en AS country_en, t.label_fr AS theme_fr, t.label_en AS theme_en,
               p.fr_authority_key AS key, any_value(p.fr_authority_name) AS name, count(*) AS partnerships
        FROM mine m JOIN partnerships p ON p.partner_country_iso3 = m.iso3 AND list_contains(p.themes, m.theme)
             AND p.fr_authority_key <> ?
        JOIN countries c ON c.iso3 = m.iso3 JOIN themes t ON t.code = m.theme
        GROUP BY ALL ORDER BY partnerships DESC, country_fr, theme_fr, name LIMIT ?""", [key, key, limit])


def authority_info(store: Store, key: str) -> dict:
    """Name, type, département, region and network of a French authority."""
    return store.df("""SELECT mode(fr_authority_name) AS name, any_value(fr_authority_type) AS type,
                              any_value(d.name) AS dep, any_value(r.name) AS region, any_value(rr.name) AS rrma,
                              any_value(p.fr_region_code) AS region_code
                       FROM partnerships p LEFT JOIN fr_departements d ON d.code = p.fr_departement_code
                       LEFT JOIN fr_regions r ON r.code = p.fr_region_code LEFT JOIN rrma rr ON rr.code = p.rrma
                       WHERE fr_authority_key = ?""", [key]).iloc[0].to_dict()


def partners_of_country(store: Store, iso3: str, limit: int = 60) -> pd.DataFrame:
    """Partner authorities of a country with the French authorities working with each."""
    return store.df("""
        SELECT partner_authority_name AS partner, count(DISTINCT fr_authority_key) AS authorities,
               string_agg(DISTINCT fr_authority_name, ', ' ORDER BY fr_authority_name) AS names, count(*) AS n
        FROM partnerships WHERE partner_country_iso3 = ? AND partner_authority_name IS NOT NULL
        GROUP BY 1 ORDER BY authorities DESC, n DESC, partner LIMIT ?""", [iso3, limit])


# Region footprint -------------------------------------------------------------------------------------------

def region_summary(store: Store, code: str) -> dict:
    """Headline figures of a region's authorities, its rank among the 18 (by partnerships) and per 100,000
    inhabitants (population municipale of the COG)."""
    df = store.df("""
        WITH per AS (
            SELECT r.code, r.name, r.population, rr.name AS rrma, count(p.partnership_id) AS partnerships,
                   count(DISTINCT p.fr_authority_key) AS authorities,
                   count(DISTINCT p.partner_country_iso3) AS countries, coalesce(sum(p.budget_eur), 0) AS budget,
                   count(p.budget_eur) AS budget_known
            FROM fr_regions r LEFT JOIN partnerships p ON p.fr_region_code = r.code
            LEFT JOIN rrma rr ON rr.code = r.rrma GROUP BY 1, 2, 3, 4)
        SELECT *, rank() OVER (ORDER BY partnerships DESC) AS rank,
               rank() OVER (ORDER BY CASE WHEN population > 0 THEN partnerships / population END DESC NULLS LAST)
                   AS rank_per_capita,
               CASE WHEN population > 0 THEN 100000.0 * partnerships / population END AS per_100k
        FROM per""")
    row = df[df["code"] == code]
    return {k: (None if pd.isna(v) else v) for k, v in row.iloc[0].items()} if len(row) else {}


def region_authorities(store: Store, code: str) -> pd.DataFrame:
    """The region's French authorities and what each does: partnerships, countries and main themes (names in
    both languages)."""
    return store.df("""
        WITH a AS (
            SELECT p.fr_authority_key AS key, mode(p.fr_authority_name) AS name, any_value(p.fr_authority_type) AS type,
                   count(*) AS partnerships, coalesce(sum(p.budget_eur), 0) AS budget,
                   list(DISTINCT c.name_fr ORDER BY c.name_fr) AS countries_fr,
                   list(DISTINCT c.name_en ORDER BY c.name_en) AS countries_en,
                   flatten(list(p.themes)) AS all_themes
            FROM partnerships p JOIN countries c ON c.iso3 = p.partner_country_iso3
            WHERE p.fr_region_code = ? GROUP BY 1),
        th AS (
            SELECT a.key, x.th, count(*) AS n FROM a, unnest(a.all_themes) AS x(th) GROUP BY 1, 2)
        SELECT a.key, a.name, a.type, a.partnerships, a.budget, a.countries_fr, a.countries_en,
               (list(t.label_fr ORDER BY th.n DESC, t.label_fr) FILTER (WHERE t.code IS NOT NULL))[1:3]
                   AS top_themes_fr,
               (list(t.label_en ORDER BY th.n DESC, t.label_fr) FILTER (WHERE t.code IS NOT NULL))[1:3]
                   AS top_themes_en
        FROM a LEFT JOIN th ON th.key = a.key LEFT JOIN themes t ON t.code = th.th
        GROUP BY a.key, a.name, a.type, a.partnerships, a.budget, a.countries_fr, a.countries_en
        ORDER BY CASE a.type WHEN 'region' THEN 0 WHEN 'departement' THEN 1 WHEN 'metropole' THEN 2
                             WHEN 'epci' THEN 3 WHEN 'commune' THEN 4 ELSE 5 END, a.partnerships DESC, a.name""",
                    [code])


# The data page ---------------------------------------------------------------------------------------------

def build_inputs(store: Store) -> pd.DataFrame:
    return store.df("SELECT source_file, sha256, encoding, delimiter, records, loaded, rejected, blank_rows "
                    "FROM build_inputs ORDER BY source_file")


def rejection_kinds(store: Store) -> pd.DataFrame:
    """Rejected records counted by kind of reason (a record may have several)."""
    return store.df(r"""
        SELECT regexp_replace(trim(r), ' : .*$| \(.*$', '') AS kind, count(*) AS n
        FROM (SELECT unnest(string_split(reason, ' ; ')) AS r FROM rejected_rows)
        GROUP BY 1 ORDER BY n DESC, kind""")


def coverage_by_region(store: Store) -> pd.DataFrame:
    """Per region, how complete the records are: share with a known budget, with ODD, with themes, with years."""
    return store.df("""
        SELECT r.code, r.name, count(p.partnership_id) AS partnerships,
               avg((p.budget_eur IS NOT NULL)::INT) AS with_budget, avg((len(p.odds) > 0)::INT) AS with_odd,
               avg((len(p.themes) > 0)::INT) AS with_themes, avg((p.start_year IS NOT NULL)::INT) AS with_start
        FROM fr_regions r LEFT JOIN partnerships p ON p.fr_region_code = r.code
        GROUP BY 1, 2 ORDER BY r.name""")


def events_listed(store: Store) -> pd.DataFrame:
    """The events with their countries' names in both languages, and the zone whose countries they are exactly,
    if any (an event of the 19 priority countries is listed under that zone, not as 19 names)."""
    return store.df("""
        WITH members AS (SELECT z.code, any_value(z.label_fr) AS zone_fr, any_value(z.label_en) AS zone_en,
                                list(c.iso3 ORDER BY c.iso3) AS iso3s
                         FROM zones z JOIN countries c ON list_contains(c.zones, z.code) GROUP BY z.code)
        SELECT e.id, e.date, e.label_fr, e.label_en, e.description_fr, e.description_en, e.source,
               any_value(m.zone_fr) AS zone_fr, any_value(m.zone_en) AS zone_en,
               (SELECT list(c.name_fr ORDER BY c.name_fr) FROM countries c WHERE list_contains(e.countries, c.iso3))
                   AS countries_fr,
               (SELECT list(c.name_en ORDER BY c.name_en) FROM countries c WHERE list_contains(e.countries, c.iso3))
                   AS countries_en
        FROM events e LEFT JOIN members m ON m.iso3s = list_sort(e.countries)
        GROUP BY ALL ORDER BY e.date, e.id""")


# Open data API ----------------------------------------------------------------------------------------------

API_SELECT = """p.partnership_id, p.title, p.fr_authority_name, p.fr_authority_key, p.fr_authority_type,
    p.fr_commune_code, p.fr_departement_code, p.fr_region_code, p.rrma, p.partner_country_iso3,
    c.name_fr AS partner_country_name_fr, c.name_en AS partner_country_name_en, p.partner_authority_name,
    p.themes, p.odds, p.action_type, p.start_year, p.end_year, p.budget_eur, p.funding, p.status, p.source_file,
    p.source_row"""


def api_page(store: Store, f: Filters, offset: int, limit: int) -> tuple[pd.DataFrame, int]:
    """A page of the filtered partnerships in a stable order (by identifier), and the total."""
    rows = _q(store, API_SELECT, f, "ORDER BY p.partnership_id LIMIT ? OFFSET ?", [limit, offset])
    total = int(_q(store, "count(*) AS n", f).iloc[0]["n"])
    return rows, total


# The dimensions of /api/v1/aggregates (and of the charts that use them): a column of partnerships (its names
# and population in :data:`KEY_TABLES`, when it has them), and the order of the result…
AGGREGATES = {"country": ("p.partner_country_iso3", "partnerships"), "region": ("p.fr_region_code", "partnerships"),
              "departement": ("p.fr_departement_code", "partnerships"), "year": ("p.start_year", "key"),
              "type": ("p.fr_authority_type", "partnerships")}
# …or a list column whose items are counted (a partnership with two themes counts in both): (vocabulary table,
# list column, its key).
LIST_AGGREGATES = {"theme": ("themes", "themes", "code"), "odd": ("odd", "odds", "number")}
AGGREGATE_BY = (*AGGREGATES, *LIST_AGGREGATES)


def aggregate(store: Store, f: Filters, by: str, authorities: bool = True) -> pd.DataFrame:
    """Partnerships, distinct French authorities (unless ``authorities`` is false: a chart that never shows them
    spares their distinct count, most of the query's time) and known budget per ``by`` (one of
    :data:`AGGREGATE_BY`); for a dimension with inhabitants (:data:`POPULATION`), the population and the
    partnerships per 100,000."""
    w, params = where(f)
    distinct = "count(DISTINCT p.fr_authority_key) AS authorities, " if authorities else ""
    measures = f"""count(*) AS partnerships, {distinct}
                  coalesce(sum(p.budget_eur), 0) AS budget_known_eur, count(p.budget_eur) AS budget_known_count"""
    if by in LIST_AGGREGATES:
        table, col, key = LIST_AGGREGATES[by]
        return store.df(f"""
            SELECT CAST(v.{key} AS VARCHAR) AS key, v.label_fr, v.label_en, x.* EXCLUDE (k)
            FROM (SELECT p.k, {measures}
                  FROM (SELECT unnest(p.{col}) AS k, p.fr_authority_key, p.budget_eur {source(w)} WHERE {w}) p
                  GROUP BY 1) x
            JOIN {table} v ON v.{key} = x.k
            ORDER BY partnerships DESC, key""", params)  # names from the constants above
    expr, order = AGGREGATES[by]
    keyed = f"SELECT {expr} AS k, {measures} {source(w)} WHERE {w} GROUP BY 1"
    if by in KEY_TABLES:
        table, key, fr, en = KEY_TABLES[by]
        names, join = f"k.{fr} AS label_fr, k.{en} AS label_en", f"LEFT JOIN {table} k ON k.{key} = x.k"
    else:
        names, join = "NULL AS label_fr, NULL AS label_en", ""
    population = f", {PER_CAPITA_SQL}" if by in POPULATION else ""
    return store.df(f"""
        SELECT CAST(x.k AS VARCHAR) AS key, {names}, x.* EXCLUDE (k){population} FROM ({keyed}) x {join}
        ORDER BY {"key" if order == "key" else "partnerships DESC, key"}""",
                    params)  # expressions from the whitelist above


# Reference data -----------------------------------------------------------------------------------------------

def countries(store: Store) -> pd.DataFrame:
    return store.df("SELECT iso3, name_fr, name_en, continent, zones, area_km2, label_lon, label_lat, "
                    "geometry IS NOT NULL AS drawn FROM countries ORDER BY name_fr")


def regions(store: Store) -> pd.DataFrame:
    return store.df("SELECT r.code, r.name, r.rrma, rr.name AS rrma_name, r.population, r.label_lon, r.label_lat, "
                    "r.centre_lon, r.centre_lat FROM fr_regions r LEFT JOIN rrma rr ON rr.code = r.rrma "
                    "ORDER BY r.name")


def departements(store: Store) -> pd.DataFrame:
    return store.df("SELECT code, name, region_code, label_lon, label_lat FROM fr_departements ORDER BY code")


def vocabulary_table(store: Store, table: str) -> pd.DataFrame:
    tables = {"themes": "themes", "action_types": "action_types", "authority_types": "authority_types",
              "zones": "zones", "statuses": "statuses", "rrma": "rrma"}
    order = "position" if table == "zones" else "code"
    return store.df(f"SELECT * FROM {tables[table]} ORDER BY {order}")  # table name from the whitelist above


def vocabulary(store: Store) -> Vocabulary:
    """Every filter's choices (codes and labels in both languages), from the SQL its declaration gives."""
    options, aliases = {}, {}
    for spec in FILTERS:
        if spec.options:
            df = store.df(spec.options)
            values = [int(v) if spec.integer else str(v) for v in df["value"]]
            parents = df["parent"] if "parent" in df else [None] * len(df)
            options[spec.name] = tuple((v, str(fr), str(en), None if p is None else str(p))
                                       for v, fr, en, p in zip(values, df["label_fr"], df["label_en"], parents))
            if "alias" in df:
                aliases[spec.name] = tuple((v, str(a)) for v, a in zip(values, df["alias"]) if a is not None)
    years = store.df("SELECT min(start_year) AS lo, max(start_year) AS hi FROM partnerships").iloc[0]
    return Vocabulary(options, aliases=aliases, first_year=int(years["lo"]) if pd.notna(years["lo"]) else 1945,
                      last_year=int(years["hi"]) if pd.notna(years["hi"]) else 2036)


def geometry_features(store: Store, table: str, column: str = "geometry") -> list[dict]:
    """GeoJSON features (id = code) of ``countries``, ``fr_regions`` or ``fr_departements``, as stored by the ETL
    (``column="inset_geometry"``: the regions laid out for the France map, overseas in insets)."""
    key = {"countries": "iso3", "fr_regions": "code", "fr_departements": "code"}[table]
    column = {"geometry": "geometry", "inset_geometry": "inset_geometry"}[column]
    df = store.df(f"SELECT {key} AS id, ST_AsGeoJSON({column}) AS g FROM {table} WHERE {column} IS NOT NULL "
                  f"ORDER BY 1")  # table, key and column from the whitelists above
    import json

    return [{"type": "Feature", "id": r.id, "properties": {}, "geometry": json.loads(r.g)} for r in df.itertuples()]
