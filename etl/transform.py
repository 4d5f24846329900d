"""Records of an export → partnerships and rejected rows, assembled in DuckDB.

The records are staged in DuckDB (:mod:`etl.stage`: DuckDB's own CSV reader for plain files, the careful Python
reader for the others). Each normaliser of :mod:`etl.normalise` is applied in Python to the *distinct* raw values of
its fields only (an export has a few hundred spellings even at a million rows) and its results, or its rejection
reason, go back to DuckDB as a mapping table that is joined to the records. What only compares records (end before
start, duplicate identifiers) is decided in SQL; partnerships are written by one ``INSERT … SELECT``. Every record
ends up in exactly one of the two outputs.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

import duckdb
import pandas as pd

from etl.columns import ColumnMap, map_columns
from etl.normalise import Invalid
from etl.normalise.authorities import normalise_authority
from etl.normalise.budget import normalise_budget
from etl.normalise.countries import normalise_country
from etl.normalise.odd import normalise_odds
from etl.normalise.text import clean
from etl.normalise.themes import normalise_themes
from etl.normalise.years import normalise_year
from etl.read import RawTable, UnreadableInput
from etl.stage import MAYBE_UNCLEAN, Staged, raw_json, stage
from etl.vocab import Matcher, action_types, bit_mask, rrma_for, statuses, theme_bits

PARTNERSHIP_COLUMNS = (
    "partnership_id", "source_file", "source_row", "title", "fr_authority_name", "fr_authority_key", "fr_authority_id",
    "fr_authority_type", "fr_commune_code", "fr_departement_code", "fr_region_code", "rrma",
    "partner_country_iso3", "partner_authority_name", "themes", "theme_bits", "themes_raw", "odds", "odd_bits",
    "action_type", "action_type_raw", "start_year", "end_year", "budget_eur", "funding", "status", "status_raw",
    "extra",
)
REJECTED_COLUMNS = ("source_file", "source_row", "reason", "raw")
# The fields of data/columns.toml a record is read for (the others are extra).
FIELDS = ("partnership_id", "title", "fr_authority_name", "fr_authority_type", "fr_code", "departement", "region",
          "partner_country", "partner_authority_name", "themes", "odds", "action_type", "start_year", "end_year",
          "budget", "funding", "status")
# Rows go to a Python sink (tests, small files) in batches of this many.
BATCH_ROWS = 50_000
# What DuckDB may hold in memory while it assembles (beyond it, it spills to its temporary folder): with Python's
# own share (≈ 170 MB), a build of 1.2M rows peaks at 1.35 GB, under the 1.5 GB it must stay within. Its final
# sort spills less than at 1 GB (1.17 GB peak): 5.15 against 5.31 s.
MEMORY_LIMIT = "1200MB"
# Memory DuckDB's block allocator keeps for itself once it has it instead of giving it back to the system and
# faulting it in again (the build's system time at 1.2M rows: 1.6 → 1.2 s, its wall time 5.03 → 4.93 s).
BLOCK_ALLOCATOR_MEMORY = "1GB"


@dataclass
class FileStats:
    source_file: str
    sha256: str
    encoding: str
    delimiter: str | None
    records: int = 0
    loaded: int = 0
    rejected: int = 0
    blank_rows: int = 0


Batch = dict[str, list[Any]]
Sink = Callable[[str, Batch], None]


@dataclass
class Result:
    """What a transformation did. The rows themselves went to the database or the sink."""

    files: list[FileStats]
    loaded: int = 0
    rejected_count: int = 0
    reasons: Counter = field(default_factory=Counter)  # by kind (the text before " : ")
    sample: list[tuple[str, int, str]] = field(default_factory=list)  # the first rejections
    warnings: list[str] = field(default_factory=list)


def _headers(header: list[str], shown: int = 40) -> str:
    """The headers of a file for a message: the first ``shown``, then how many there are."""
    head = ", ".join(h[:80] for h in header[:shown])
    return head + (f"… ({len(header)} colonnes)" if len(header) > shown else "")


def reason_kind(reason: str) -> str:
    return reason.split(" : ")[0].split(" (")[0]


class Collector:
    """A sink that keeps every batch (tests and small files)."""

    def __init__(self) -> None:
        self.tables: dict[str, Batch] = {"partnerships": {c: [] for c in PARTNERSHIP_COLUMNS},
                                         "rejected_rows": {c: [] for c in REJECTED_COLUMNS}}

    def __call__(self, table: str, batch: Batch) -> None:
        for col, values in batch.items():
            self.tables[table][col].extend(values)

    @property
    def partnerships(self) -> Batch:
        return self.tables["partnerships"]

    @property
    def rejected(self) -> Batch:
        return self.tables["rejected_rows"]


@dataclass(frozen=True)
class Mapping:
    """A normaliser applied to the distinct values of some fields: ``fn(*raw values)`` gives the ``outputs``
    (``(column, SQL type)``; a list type travels as JSON) or raises :class:`Invalid`, whose message becomes the
    mapping's ``reason`` column."""

    name: str
    keys: tuple[str, ...]
    outputs: tuple[tuple[str, str], ...]
    fn: Callable[..., tuple]
    sparse: bool = False  # only the values it changes are kept (one key, one output): the others stand for themselves
    only: str = ""  # SQL: which values of the key ({v}) may change at all (a sparse mapping asks Python about these)


def _authority(*raw: str) -> tuple:
    a = normalise_authority(*raw)
    return (a.name, a.key, a.type, a.commune_code, a.departement_code, a.region_code,
            rrma_for(a.region_code, a.departement_code))


def _themes(raw: str) -> tuple:
    codes, unmatched = normalise_themes(raw)
    bits = theme_bits()
    return json.dumps(codes), bit_mask(bits[c] for c in codes), json.dumps(unmatched, ensure_ascii=False)


def _odds(raw: str) -> tuple:
    odds = normalise_odds(raw)
    return json.dumps(odds), bit_mask(odds)


# The texts kept as written, trimmed: column of partnerships ← field.
TEXTS = (("partnership_id", "partnership_id"), ("title", "title"),
         ("partner_authority_name", "partner_authority_name"), ("themes_raw", "themes"),
         ("action_type_raw", "action_type"), ("funding", "funding"), ("status_raw", "status"))


def mappings() -> tuple[Mapping, ...]:
    actions, status = Matcher(action_types()), Matcher(statuses())
    normalised = (
        Mapping("authority", ("fr_authority_name", "fr_authority_type", "fr_code", "departement", "region"),
                (("name", "VARCHAR"), ("key", "VARCHAR"), ("type", "VARCHAR"), ("commune", "VARCHAR"),
                 ("departement", "VARCHAR"), ("region", "VARCHAR"), ("rrma", "VARCHAR")), _authority),
        Mapping("country", ("partner_country",), (("iso3", "VARCHAR"),), lambda v: (normalise_country(v),)),
        Mapping("odds", ("odds",), (("odds", "INTEGER[]"), ("bits", "INTEGER")), _odds),
        Mapping("budget", ("budget",), (("eur", "DOUBLE"),), lambda v: (normalise_budget(v),)),
        Mapping("start_year", ("start_year",), (("year", "INTEGER"),),
                lambda v: (normalise_year(v, field="année de début"),)),
        Mapping("end_year", ("end_year",), (("year", "INTEGER"),),
                lambda v: (normalise_year(v, field="année de fin"),)),
        Mapping("themes", ("themes",), (("codes", "VARCHAR[]"), ("bits", "BIGINT"), ("unmatched", "VARCHAR")),
                _themes),
        Mapping("action_type", ("action_type",), (("code", "VARCHAR"),), lambda v: (actions.get(v),)),
        Mapping("status", ("status",), (("code", "VARCHAR"),), lambda v: (status.get(v),)),
    )
    # Only the texts that clean() may change go to it: nearly all are clean already. A field another mapping
    # reads has its distinct values found anyway, and clean() takes them all: the SQL test of every record's text
    # was two thirds of the scan for the distinct values (7 texts, 0.45 of 0.68 s at 1.2M rows).
    keyed = {key for m in normalised for key in m.keys}
    return (*normalised, *(Mapping(f"text_{column}", (raw,), (("text", "VARCHAR"),), lambda v: (clean(v),),
                                   sparse=True, only="" if raw in keyed else MAYBE_UNCLEAN)
                           for column, raw in TEXTS))


def _sql_list(names) -> str:
    return ", ".join(names)


class Transformer:
    """Turns :class:`RawTable` objects into one :class:`Result`; identifiers are unique across all inputs.

    The rows go to the ``partnerships`` and ``rejected_rows`` tables of ``con`` when it is given (the database
    being built), else to ``sink`` in batches (``None``: counted only)."""

    def __init__(self, sink: Sink | None = None, progress: Callable[[int], None] | None = None,
                 sample_size: int = 200, con: duckdb.DuckDBPyConnection | None = None):
        self.own = con is None
        self.con = duckdb.connect(config={"temp_directory": tempfile.gettempdir()}) if con is None else con
        self.con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        self.con.execute(f"SET block_allocator_memory = '{BLOCK_ALLOCATOR_MEMORY}'")
        self.sink = sink
        self.progress = progress or (lambda n: None)
        self.sample_size = sample_size
        self.seen_files: dict[str, str] = {}  # sha256 → the name of the first input with that content
        self.inputs: list[tuple[RawTable, ColumnMap, Staged]] = []
        self.result = Result([])
        self.con.execute("CREATE OR REPLACE TEMP TABLE input_files (file_no INTEGER, source_file VARCHAR, "
                         "id_prefix VARCHAR)")

    def add(self, table: RawTable) -> FileStats:
        cols = map_columns(table.header, table.source_file)
        if cols.missing_required:
            raise UnreadableInput(
                f"{table.source_file} : colonne obligatoire absente ({', '.join(cols.missing_required)}) ; "
                f"en-têtes lus : {_headers(table.header)}. Ajoutez l'intitulé dans data/columns.toml s'il est "
                "seulement écrit autrement."
            )
        self.result.warnings += cols.warnings
        # Records without an identifier are named after their file; a file given twice (same content, any
        # name) gives the same names, so that its records are rejected as duplicates instead of counted twice.
        id_prefix = self.seen_files.setdefault(table.sha256, table.source_file)
        if id_prefix != table.source_file:
            self.result.warnings.append(
                f"{table.source_file} a le même contenu (SHA-256) que {id_prefix} : ses enregistrements sans "
                "identifiant y sont reconnus et rejetés comme doublons")
        k = len(self.inputs)
        staged = stage(self.con, table, f"staged_{k}", self.progress)
        # The encoding once staged: a plain file's is checked by the reader that read it.
        stats = FileStats(table.source_file, table.sha256, table.encoding, table.delimiter,
                          blank_rows=staged.blank_rows)
        self.con.execute("INSERT INTO input_files VALUES (?, ?, ?)", [k, table.source_file, id_prefix])
        self.inputs.append((table, cols, staged))
        self.result.warnings += table.warnings
        self.result.files.append(stats)
        return stats

    def finish(self) -> Result:
        try:
            if self.inputs:
                self._assemble()
                self._report()
                self._write()
        finally:
            if self.own:
                self.con.close()
        return self.result

    # -- assembly ------------------------------------------------------------------------------------------------

    def _records_view(self) -> None:
        """``records``: every staged record with its fields by name (``''`` when absent, as a short record's
        missing cells), its file, its order (``ord``, across files) and its extra columns as JSON."""
        selects = []
        for k, (_table, cols, staged) in enumerate(self.inputs):
            fields = ", ".join(
                f"coalesce(s.c{cols.fields[f]}, '') AS {f}" if f in cols.fields else f"'' AS {f}" for f in FIELDS)
            extra, join = "NULL::VARCHAR", ""
            if cols.extra:
                key = "[" + ", ".join(f"coalesce(s.c{i}, '')" for i in cols.extra.values()) + "]"
                self._extra_map(k, key, list(cols.extra), staged.name)
                extra, join = "x.extra", f"LEFT JOIN extra_{k} x ON x.k = {key} AND s.bad IS NULL"
            selects.append(f"SELECT {k} AS file_no, s.source_row, (CAST({k} AS BIGINT) << 32) + s.source_row AS ord, "
                           f"s.bad, {fields}, {extra} AS extra FROM {staged.name} s {join}")
        self.con.execute("CREATE OR REPLACE TEMP VIEW records AS " + " UNION ALL ".join(selects))

    def _extra_map(self, k: int, key: str, labels: list[str], staged: str) -> None:
        values = [v for (v,) in self.con.execute(f"SELECT DISTINCT {key} FROM {staged} s WHERE bad IS NULL").fetchall()]
        extras = [{label: cell for label, cell in zip(labels, cells) if cell.strip()} for cells in values]
        frame = pd.DataFrame({"k": values, "extra": [json.dumps(e, ensure_ascii=False) if e else None
                                                      for e in extras]}, dtype=object)
        self.con.register("extra_frame", frame)
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE extra_{k} AS SELECT CAST(k AS VARCHAR[]) AS k, "
                         "CAST(extra AS VARCHAR) AS extra FROM extra_frame")
        self.con.unregister("extra_frame")

    def _distinct(self, ms: tuple[Mapping, ...]) -> list[list[tuple]]:
        """The distinct values of each mapping's keys among the records (those its ``only`` lets through), in
        one scan: one grouping set per mapping."""
        exprs: list[str] = []
        sets = []
        for m in ms:
            keys = [f"CASE WHEN {m.only.replace('{v}', f)} THEN {f} END" if m.only else f for f in m.keys]
            for e in keys:
                if e not in exprs:
                    exprs.append(e)
            sets.append([exprs.index(e) for e in keys])
        n = len(exprs)
        # GROUPING_ID sets a bit for each expression a row is not grouped by (the first expression, the highest).
        masks = [sum(1 << (n - 1 - i) for i in range(n) if i not in s) for s in sets]
        grouping = ", ".join("(" + _sql_list(f"x{i}" for i in s) + ")" for s in dict.fromkeys(tuple(s) for s in sets))
        found: dict[int, list[tuple]] = {mask: [] for mask in masks}
        for g, *values in self.con.execute(
                f"SELECT GROUPING_ID({_sql_list(f'x{i}' for i in range(n))}), {_sql_list(f'x{i}' for i in range(n))} "
                f"FROM (SELECT {_sql_list(f'{e} AS x{i}' for i, e in enumerate(exprs))} FROM records "
                f"WHERE bad IS NULL) GROUP BY GROUPING SETS ({grouping})").fetchall():
            found[g].append(tuple(values))
        out = []
        for s, mask in zip(sets, masks):
            key = itemgetter(*s) if len(s) > 1 else (lambda v, i=s[0]: (v[i],))
            out.append([k for k in map(key, found[mask]) if None not in k])  # NULL: a value ``only`` left out
        return out

    def _map(self, m: Mapping, distinct: list[tuple]) -> None:
        """The table ``map_<name>``: each distinct value of ``m.keys`` among the records (``distinct``), and what
        ``m.fn`` makes of it or why it cannot."""
        keys = [f"k{i}" for i in range(len(m.keys))]
        out: list[tuple] = []
        empty = (None,) * len(m.outputs)
        for key in distinct:
            try:
                values = m.fn(*key)
                if not m.sparse or values[0] != key[0]:
                    out.append((*key, *values, None))
            except Invalid as exc:
                out.append((*key, *empty, str(exc)))
        names = [*keys, *(c for c, _t in m.outputs), "reason"]
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE map_{m.name} ({_sql_list(f'{k} VARCHAR' for k in keys)}, "
                         f"{_sql_list(f'{c} {t}' for c, t in m.outputs)}, reason VARCHAR)")
        if out:
            frame = pd.DataFrame(out, columns=names, dtype=object)
            casts = [*keys, *(f"CAST(CAST({c} AS JSON) AS {t})" if t.endswith("[]") else f"CAST({c} AS {t})"
                              for c, t in m.outputs), "CAST(reason AS VARCHAR)"]
            self.con.register("map_frame", frame)
            self.con.execute(f"INSERT INTO map_{m.name} SELECT {_sql_list(casts)} FROM map_frame")
            self.con.unregister("map_frame")

    def _assemble(self) -> None:
        self._records_view()
        joins = {}
        ms = mappings()
        for m, distinct in zip(ms, self._distinct(ms)):
            self._map(m, distinct)
            on = " AND ".join(f"{m.name}.k{i} = r.{f}" for i, f in enumerate(m.keys))
            joins[m.name] = f"LEFT JOIN map_{m.name} {m.name} ON {on} AND r.bad IS NULL"
        # Numbers put in the mappings (no join more per record): each authority's key numbered (the dashboard's
        # groups by authority go faster by a number than by its text), and the rank of its region and of the partner
        # country, by which the write sorts (by their text, its sort took 0.55 s more at 1.2M rows).
        self.con.execute("""
            CREATE OR REPLACE TEMP TABLE map_authority AS
            SELECT *, CASE WHEN key IS NOT NULL THEN CAST(dense_rank() OVER (ORDER BY key NULLS LAST) AS INTEGER)
                   END AS id, dense_rank() OVER (ORDER BY region NULLS LAST) AS region_rank
            FROM map_authority""")
        self.con.execute("""CREATE OR REPLACE TEMP TABLE map_country AS
                            SELECT *, dense_rank() OVER (ORDER BY iso3 NULLS LAST) AS iso3_rank FROM map_country""")
        # clean(value) or None: a value the text mapping does not list is already clean.
        texts = {column: f"nullif(coalesce(text_{column}.text, r.{raw}), '')" for column, raw in TEXTS}
        # What decides a record, and the mappings it needs.
        decision = f"""r.ord, r.file_no, r.source_row, r.bad, f.source_file,
                   coalesce({texts['partnership_id']}, f.id_prefix || '#' || r.source_row) AS partnership_id,
                   CASE WHEN r.bad IS NOT NULL THEN [r.bad] ELSE list_filter([
                       authority.reason, country.reason, odds.reason, budget.reason, start_year.reason,
                       end_year.reason,
                       CASE WHEN end_year.year < start_year.year THEN 'fin avant le début : année de fin '
                            || end_year.year || ' < année de début ' || start_year.year END], lambda x: x IS NOT NULL)
                   END AS reasons"""
        deciding = ("authority", "country", "odds", "budget", "start_year", "end_year", "text_partnership_id")
        self.con.execute(f"""
            CREATE OR REPLACE TEMP VIEW assembled AS
            SELECT {decision},
                   {texts['title']} AS title, authority.name AS fr_authority_name, authority.key AS fr_authority_key,
                   authority.id AS fr_authority_id,
                   authority.type AS fr_authority_type, authority.commune AS fr_commune_code,
                   authority.departement AS fr_departement_code, authority.region AS fr_region_code,
                   authority.rrma AS rrma, country.iso3 AS partner_country_iso3,
                   {texts['partner_authority_name']} AS partner_authority_name, themes.codes AS themes,
                   themes.bits AS theme_bits, {texts['themes_raw']} AS themes_raw, odds.odds AS odds,
                   odds.bits AS odd_bits, action_type.code AS action_type,
                   {texts['action_type_raw']} AS action_type_raw, start_year.year AS start_year,
                   end_year.year AS end_year, budget.eur AS budget_eur, {texts['funding']} AS funding,
                   status.code AS status, {texts['status_raw']} AS status_raw, r.extra,
                   authority.region_rank, country.iso3_rank
            FROM records r JOIN input_files f USING (file_no) {' '.join(joins.values())}""")
        # What each record becomes: its reasons, if any (the rows themselves are assembled again when written).
        self.con.execute(f"""
            CREATE OR REPLACE TEMP TABLE verdicts AS
            SELECT {decision} FROM records r JOIN input_files f USING (file_no)
            {' '.join(joins[name] for name in deciding)}""")
        # The first record of an identifier keeps it (rejected or not); the others are rejected as duplicates.
        self.con.execute("""
            CREATE OR REPLACE TEMP TABLE duplicated AS
            SELECT v.ord, 'identifiant en double : « ' || v.partnership_id || ' » (déjà ligne '
                   || (d.first & 4294967295) || ' de ' || f.source_file || ')' AS reason
            FROM verdicts v
            JOIN (SELECT partnership_id, min(ord) AS first FROM verdicts WHERE bad IS NULL
                  GROUP BY partnership_id HAVING count(*) > 1) d USING (partnership_id)
            JOIN input_files f ON f.file_no = d.first >> 32
            WHERE v.bad IS NULL AND v.ord <> d.first""")
        self.con.execute("""
            UPDATE verdicts v SET reasons = list_append(v.reasons, d.reason) FROM duplicated d WHERE v.ord = d.ord""")
        self.con.execute("ALTER TABLE verdicts ADD COLUMN reason VARCHAR")
        self.con.execute("UPDATE verdicts SET reason = array_to_string(reasons, ' ; ') WHERE len(reasons) > 0")

    def _report(self) -> None:
        con, result = self.con, self.result
        counts = {k: (loaded, rejected) for k, loaded, rejected in con.execute(
            "SELECT file_no, count(*) FILTER (WHERE reason IS NULL), count(*) FILTER (WHERE reason IS NOT NULL) "
            "FROM verdicts GROUP BY file_no").fetchall()}
        for k, stats in enumerate(result.files):
            stats.loaded, stats.rejected = counts.get(k, (0, 0))
            stats.records = stats.loaded + stats.rejected
            result.loaded += stats.loaded
            result.rejected_count += stats.rejected
        for reason, n in con.execute("""
                SELECT r, count(*) FROM (SELECT ord * 16 + unnest(generate_series(1, len(reasons))) AS o,
                                                unnest(reasons) AS r FROM verdicts WHERE reason IS NOT NULL)
                GROUP BY r ORDER BY min(o)""").fetchall():
            result.reasons[reason_kind(reason)] += n
        result.sample = con.execute("SELECT source_file, source_row, reason FROM verdicts WHERE reason IS NOT NULL "
                                    "ORDER BY ord LIMIT ?", [self.sample_size]).fetchall()
        unmatched: Counter = Counter()
        for pieces, n in con.execute("""
                SELECT m.unmatched, count(*) FROM verdicts v JOIN records r USING (ord)
                JOIN map_themes m ON m.k0 = r.themes
                WHERE v.reason IS NULL AND m.unmatched <> '[]' GROUP BY m.unmatched ORDER BY min(v.ord)""").fetchall():
            for piece in json.loads(pieces):
                unmatched[piece] += n
        for piece, n in unmatched.most_common(20):
            result.warnings.append(f"thématique non reconnue (gardée en texte brut) : « {piece} » × {n}")

    # -- output --------------------------------------------------------------------------------------------------

    def _write(self) -> None:
        # Only the rejected records' verdicts are kept from here on: the others' memory goes to the sort below.
        self.con.execute("CREATE OR REPLACE TEMP TABLE verdicts AS SELECT * FROM verdicts WHERE reason IS NOT NULL")
        # The other records, assembled again (cheaper than keeping them): every record is in exactly one output.
        # Stored by French region, then partner country and start year: the dashboard's queries filter on these,
        # and DuckDB skips the row groups whose bounds rule them out (file order was ~20 % slower at demo size,
        # an unordered insert ~30 %).
        partnerships = (f"SELECT {_sql_list(PARTNERSHIP_COLUMNS)} FROM assembled "
                        "WHERE ord NOT IN (SELECT ord FROM verdicts) "
                        "ORDER BY region_rank, iso3_rank, start_year, ord")
        if not self.own:
            self.con.execute(f"INSERT INTO partnerships ({_sql_list(PARTNERSHIP_COLUMNS)}) {partnerships}")
        elif self.sink is not None:
            for batch in _batches(self.con.execute(partnerships), PARTNERSHIP_COLUMNS):
                self.sink("partnerships", batch)
        if self.own and self.sink is None:
            return
        for batch in self._rejected():
            if self.own:
                self.sink("rejected_rows", batch)
            else:
                frame = pd.DataFrame(batch, dtype=object)
                self.con.register("rejected_frame", frame)
                self.con.execute("INSERT INTO rejected_rows SELECT source_file, CAST(source_row AS INTEGER), "
                                 "reason, raw FROM rejected_frame")
                self.con.unregister("rejected_frame")

    def _rejected(self) -> Iterator[Batch]:
        """The rejected records with their reason and their cells as read (JSON), file by file, in order; read a
        page at a time (the batch may be written on the same connection in between)."""
        for k, (table, _cols, staged) in enumerate(self.inputs):
            last = 0
            while rows := self.con.execute("""
                    SELECT source_file, source_row, reason FROM verdicts
                    WHERE file_no = ? AND reason IS NOT NULL AND source_row > ?
                    ORDER BY source_row LIMIT ?""", [k, last, BATCH_ROWS]).fetchall():
                last = rows[-1][1]
                raw = staged.rows(self.con, [r[1] for r in rows])
                yield {"source_file": [r[0] for r in rows], "source_row": [r[1] for r in rows],
                       "reason": [r[2] for r in rows],
                       "raw": [raw_json(table.header, raw[r[1]], staged.width) for r in rows]}


def _batches(query: duckdb.DuckDBPyConnection, columns: tuple[str, ...]) -> Iterator[Batch]:
    while rows := query.fetchmany(BATCH_ROWS):
        yield {c: list(values) for c, values in zip(columns, zip(*rows))}
