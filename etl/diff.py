"""What changed between two editions (two database files): the one query module behind the "Nouveautés" page
and ``coopatlas diff``, so that both give the same numbers.

Both files are attached read-only to a private in-memory DuckDB; the row-level difference is computed once, by
set operations on ``partnership_id``, into a temporary table that the summaries read:

- **added**: an id of the new edition absent from the old one;
- **removed**: an id of the old edition absent from the new one (no longer in the export);
- **changed**: an id of both editions whose compared :data:`FIELDS` differ (``IS DISTINCT FROM``: NULL and a
  value differ); where a record comes from (``source_file``, ``source_row``), the raw texts and the unrecognised
  columns are not compared;
- **ended**, a part of *changed*: its status became ``termine`` or it gained an end year.

A partnership is counted under the region and the country it has in the new edition (the old one for a removed
partnership), and under each of its themes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

FIELDS = ("title", "fr_authority_key", "fr_authority_name", "fr_authority_type", "fr_region_code",
          "fr_departement_code", "rrma", "partner_country_iso3", "partner_authority_name", "themes", "odds",
          "action_type", "start_year", "end_year", "budget_eur", "funding", "status")
CHANGES = ("added", "removed", "changed")
DIMENSIONS = ("region", "country", "theme")


class DiffError(ValueError):
    """A file that is no coopatlas database; the message names it."""


def _differs(name: str) -> str:
    return f"o.{name} IS DISTINCT FROM n.{name}"


def _value(side: str, name: str) -> str:
    """``field : value`` of a changed field, for the row-level table."""
    return f"CASE WHEN {_differs(name)} THEN '{name} : ' || coalesce({side}.{name}::VARCHAR, '—') END"


_COLUMNS = ", ".join(FIELDS)
# Every name below is a constant of this module: no text from a request reaches the SQL.
DIFF_SQL = f"""
CREATE TABLE diff AS
WITH added AS (SELECT partnership_id FROM new.partnerships EXCEPT SELECT partnership_id FROM old.partnerships),
removed AS (SELECT partnership_id FROM old.partnerships EXCEPT SELECT partnership_id FROM new.partnerships),
changed AS (
    SELECT partnership_id FROM (SELECT partnership_id, {_COLUMNS} FROM new.partnerships
                                EXCEPT SELECT partnership_id, {_COLUMNS} FROM old.partnerships)
    EXCEPT SELECT partnership_id FROM added)
SELECT n.partnership_id, 'added' AS change, FALSE AS ended, []::VARCHAR[] AS fields, n.fr_region_code AS region,
       n.partner_country_iso3 AS country, n.themes, n.title, n.fr_authority_name, NULL::VARCHAR AS before,
       NULL::VARCHAR AS after
FROM new.partnerships n SEMI JOIN added USING (partnership_id)
UNION ALL
SELECT o.partnership_id, 'removed', FALSE, []::VARCHAR[], o.fr_region_code, o.partner_country_iso3, o.themes,
       o.title, o.fr_authority_name, NULL, NULL
FROM old.partnerships o SEMI JOIN removed USING (partnership_id)
UNION ALL
SELECT n.partnership_id, 'changed',
       (n.status = 'termine' AND o.status IS DISTINCT FROM 'termine')
           OR (o.end_year IS NULL AND n.end_year IS NOT NULL),
       list_filter([{", ".join(f"CASE WHEN {_differs(c)} THEN '{c}' END" for c in FIELDS)}], lambda x: x IS NOT NULL),
       n.fr_region_code, n.partner_country_iso3, n.themes, n.title, n.fr_authority_name,
       concat_ws(' ; ', {", ".join(_value("o", c) for c in FIELDS)}),
       concat_ws(' ; ', {", ".join(_value("n", c) for c in FIELDS)})
FROM changed c JOIN old.partnerships o ON o.partnership_id = c.partnership_id
JOIN new.partnerships n ON n.partnership_id = c.partnership_id
"""
_COUNTS = ", ".join(f"count(*) FILTER (WHERE d.change = '{c}') AS {c}" for c in CHANGES) + \
    ", count(*) FILTER (WHERE d.ended) AS ended"
# dimension → (key expression over ``diff d``, label table joined as ``l`` on ``l.code = key``, label column)
_BY = {
    "region": ("d.region", "new.fr_regions", {"fr": "l.name", "en": "l.name"}),
    "country": ("d.country", "(SELECT iso3 AS code, name_fr, name_en FROM new.countries)",
                {"fr": "l.name_fr", "en": "l.name_en"}),
    "theme": ("t.theme", "new.themes", {"fr": "l.label_fr", "en": "l.label_en"}),
}


@dataclass(frozen=True)
class Side:
    path: Path
    built_at: object
    loaded: int


class Comparison:
    """Two editions compared; every summary reads the same row-level table."""

    def __init__(self, old: str | Path, new: str | Path):
        self.con = duckdb.connect(":memory:")
        try:
            self.old, self.new = (self._attach(name, Path(p)) for name, p in (("old", old), ("new", new)))
            self.con.execute(DIFF_SQL)
        except BaseException:
            self.con.close()
            raise

    def _attach(self, name: str, path: Path) -> Side:
        try:
            self.con.execute(f"ATTACH ? AS {name} (READ_ONLY)", [str(path)])  # name: "old" or "new"
            built_at, loaded = self.con.execute(f"SELECT built_at, records_loaded FROM {name}.build_info").fetchone()
        except (duckdb.Error, TypeError) as exc:
            raise DiffError(f"{path} n'est pas une base coopatlas lisible ({exc})") from exc
        return Side(path, built_at, int(loaded))

    def _df(self, sql: str) -> pd.DataFrame:
        cur = self.con.cursor()
        try:
            return cur.execute(sql).df()
        finally:
            cur.close()

    def totals(self) -> dict[str, int]:
        """Partnerships added, removed, changed, and ended (a part of changed)."""
        row = self._df(f"SELECT {_COUNTS} FROM diff d").iloc[0]
        return {k: int(row[k]) for k in (*CHANGES, "ended")}

    def fields(self) -> pd.DataFrame:
        """``field, partnerships``: how many changed partnerships changed each field, most changed first."""
        return self._df("SELECT field, count(*) AS partnerships FROM (SELECT unnest(fields) AS field FROM diff) "
                        "GROUP BY field ORDER BY partnerships DESC, field")

    def by(self, dimension: str, lang: str = "fr") -> pd.DataFrame:
        """``key, label, added, removed, changed, ended`` per region, country or theme, most changes first."""
        key, table, label = _BY[dimension]
        source = "diff d CROSS JOIN unnest(d.themes) AS t(theme)" if dimension == "theme" else "diff d"
        return self._df(f"""
            SELECT {key} AS key, any_value({label["en" if lang == "en" else "fr"]}) AS label,
                   {_COUNTS}
            FROM {source} LEFT JOIN {table} l ON l.code = {key}
            GROUP BY {key} ORDER BY added + removed + changed DESC, key""")

    def rows(self) -> pd.DataFrame:
        """The row-level difference: one row per partnership added, removed or changed."""
        return self._df("SELECT partnership_id, change, ended, array_to_string(fields, ', ') AS fields, region, "
                        "country, array_to_string(themes, ', ') AS themes, title, fr_authority_name, before, after "
                        "FROM diff ORDER BY change, partnership_id")

    def close(self) -> None:
        self.con.close()
