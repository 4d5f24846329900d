"""Records of a :class:`~etl.rawtable.RawTable` into a DuckDB table, for the SQL assembly of :mod:`etl.transform`.

A staged table has one row per record that is not blank: ``source_row`` (numbered from 1, header excluded, blank
records counted), the cells ``c0`` … ``c<width - 1>`` (``NULL`` past the end of a short record), ``n_cells`` (how
many cells the record had), ``more`` (the cells past the header's width, as a JSON list) and ``bad`` (why the
record cannot be taken, when the reader or the width says so).

A plain UTF-8 CSV file (:class:`etl.read_csv.PlainBytes`) is read by DuckDB's own ``read_csv``, strictly: any
record it cannot read as :mod:`etl.read_csv` would (a quote out of place, a record wider than the header, a line
longer than DuckDB takes), or a cell over the limits, sends the file back to the careful Python reader, which reads
everything else (other encodings, XLSX, odd lines) and names what it finds.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pandas as pd

from etl.limits import limits
from etl.rawtable import BadRecord, RawTable

# Batches of the Python reader go to DuckDB every 50,000 records, or sooner once they hold this many characters:
# records of long cells (up to cells.max_chars each) must not pile up gigabytes before they are written.
BATCH_ROWS = 50_000
FLUSH_CHARS = 16_000_000
# Wider files are read by the Python reader (DuckDB's reader is not worth its set-up there).
DUCKDB_MAX_COLUMNS = 1_000
# Characters that may be white space to Python's str.split() (a superset, as an RE2 class): a record made only of
# these is asked to Python whether it is blank.
WHITE = r"\s\x0b\x1c-\x1f\x85\p{Z}"
# A text clean() may change (a superset: white space at an end, two spaces, any other white space, [^\P{Z} ] being
# the separators but the space): only these are asked to clean().
MAYBE_UNCLEAN = r"regexp_matches({v}, '^ | $|  |[\t-\r\x1c-\x1f\x85]|[^\P{Z} ]')"


@dataclass
class Staged:
    name: str  # the DuckDB table (or view) of the records
    width: int  # cells c0 … c<width - 1>
    blank_rows: int
    reader: str  # "duckdb" or "python"

    def rows(self, con: duckdb.DuckDBPyConnection, source_rows: list[int]) -> dict[int, tuple]:
        """The cells, ``n_cells`` and ``more`` of the records numbered ``source_rows``, by number. A file read by
        DuckDB is looked up by ``rowid`` (DuckDB fetches those rows without scanning the others)."""
        cols = ", ".join([*cells(self.width), "n_cells", "more"])
        where = (f"{self.name}_csv WHERE rowid IN (SELECT unnest(?) - 1)" if self.reader == "duckdb"
                 else f"{self.name} WHERE source_row IN (SELECT unnest(?))")
        select = (f"CAST(rowid + 1 AS INTEGER), {', '.join(cells(self.width))}, {self.width}, NULL::VARCHAR"
                  if self.reader == "duckdb" else f"source_row, {cols}")
        return {r[0]: r[1:] for r in con.execute(f"SELECT {select} FROM {where}", [source_rows]).fetchall()}


def cells(width: int) -> list[str]:
    return [f"c{i}" for i in range(width)]


def malformed(n: int, width: int) -> str:
    return f"ligne mal formée : {n} champs au lieu de {width} (séparateur ou guillemet mal placé ?)"


def stage(con: duckdb.DuckDBPyConnection, table: RawTable, name: str,
          progress: Callable[[int], None] = lambda n: None) -> Staged:
    """The records of ``table`` in the DuckDB table ``name``."""
    width = max(len(table.header), 1)
    staged = _stage_duckdb(con, table, name, width) if table.plain_path else None
    if staged is None:
        staged = _stage_python(con, table, name, width, progress)
    else:
        progress(table.size)
    return staged


def _stage_duckdb(con: duckdb.DuckDBPyConnection, table: RawTable, name: str, width: int) -> Staged | None:
    if width > DUCKDB_MAX_COLUMNS or table.delimiter is None:
        return None
    lim = limits()
    cols = cells(width)
    spec = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in cols) + "}"
    try:
        con.execute(f"""CREATE TEMP TABLE {name}_csv AS SELECT * FROM read_csv(?, auto_detect = false, delim = ?,
                        quote = '"', escape = '"', header = true, columns = {spec}, strict_mode = true,
                        null_padding = false, nullstr = '\x01', max_line_size = ?)""",
                    [table.plain_path, table.delimiter, 4 * lim.csv_max_line_chars])
    except duckdb.Error:
        con.execute(f"DROP TABLE IF EXISTS {name}_csv")
        return None
    lengths = [f"strlen({c})" for c in cols]  # bytes: at least as many as characters
    longest, widest = con.execute(
        f"SELECT max(greatest({', '.join(lengths)})), max({' + '.join(lengths)}) FROM {name}_csv").fetchone()
    if (longest or 0) > lim.cell_max_chars or (widest or 0) + 3 * width > lim.csv_max_line_chars:
        con.execute(f"DROP TABLE {name}_csv")  # the Python reader cuts and names what is too long
        return None
    # A filter (WHERE) stops at a record's first cell that is not blank; an aggregate's FILTER did not (3× slower).
    # A cell that starts with a visible ASCII character is not blank, and that test spares most cells the
    # expression (at 1.2M records 0.10 → 0.03 s).
    maybe_blank = " AND ".join(
        f"(coalesce(ascii({c}), 0) NOT BETWEEN 33 AND 126 AND NOT regexp_matches({c}, '[^{WHITE}]'))" for c in cols)
    blank = [row for row, *values in con.execute(
        f"SELECT rowid + 1, {', '.join(cols)} FROM {name}_csv WHERE {maybe_blank}").fetchall()
        if not any(v.strip() for v in values)]
    keep = f"WHERE rowid + 1 NOT IN ({', '.join(map(str, blank))})" if blank else ""
    con.execute(f"""CREATE TEMP VIEW {name} AS SELECT CAST(rowid + 1 AS INTEGER) AS source_row, {', '.join(cols)},
                    {width} AS n_cells, NULL::VARCHAR AS more, NULL::VARCHAR AS bad FROM {name}_csv {keep}""")
    return Staged(name, width, len(blank), "duckdb")


def _stage_python(con: duckdb.DuckDBPyConnection, table: RawTable, name: str, width: int,
                  progress: Callable[[int], None]) -> Staged:
    cols = cells(width)
    names = ["source_row", *cols, "n_cells", "more", "bad"]
    con.execute(f"CREATE TEMP TABLE {name} (source_row INTEGER, {', '.join(f'{c} VARCHAR' for c in cols)}, "
                "n_cells INTEGER, more VARCHAR, bad VARCHAR)")
    rows: list[tuple] = []
    held = blank = done = 0
    pad = (None,) * width

    def flush() -> None:
        frame = pd.DataFrame(rows, columns=names, dtype=object)
        con.register("staged_frame", frame)
        con.execute(f"INSERT INTO {name} SELECT * FROM staged_frame")
        con.unregister("staged_frame")
        rows.clear()

    for i, record in enumerate(table.records(), start=1):
        if isinstance(record, BadRecord):  # the reader could not take it whole: rejected, never dropped
            bad = record.reason
        elif not any(c.strip() for c in record):
            blank += 1
            continue
        elif len(record) > width and any(c.strip() for c in record[width:]):
            bad = malformed(len(record), width)
        else:
            bad = None
        n = len(record)
        more = json.dumps(record[width:], ensure_ascii=False) if n > width else None
        rows.append((i, *record[:width], *pad[:max(width - n, 0)], n, more, bad))
        held += sum(map(len, record))
        if len(rows) >= BATCH_ROWS or held > FLUSH_CHARS:
            flush()
            held = 0
            pos = table.position()
            progress(pos - done)
            done = pos
    if rows:
        flush()
    progress(table.size - done)
    return Staged(name, width, blank, "python")


def raw_json(header: list[str], row: tuple, width: int) -> str:
    """A rejected record as the JSON object ``header → cell`` it was read as (``row``: the cells, ``n_cells`` and
    ``more`` of its staged row); cells past the header are named ``colonne <n>``."""
    *values, n, more = row
    record = list(values[:min(n, width)]) + (json.loads(more) if more else [])
    names = header + [f"colonne {k + 1}" for k in range(len(header), len(record))]
    return json.dumps(dict(zip(names, record)), ensure_ascii=False)
