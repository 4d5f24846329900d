"""Read-only access to the DuckDB file built by the ETL.

One connection per build, attaching the file read-only to a private in-memory instance (``duckdb.connect(path)``
would share DuckDB's per-process instance of that path, and keep reading the replaced file after a rebuild).
Each query runs on its own cursor, which DuckDB makes safe to use from the threads of a WSGI server. Results are
cached per (query, parameters) for the life of the build. A file is accepted only when it holds every table and
column of the schema contract (``etl/schema.sql``) with its type, its themes with the bits ``data/themes.csv``
gives them, one ``build_info`` row, and every partnership's partner country in ``countries``.
"""

from __future__ import annotations

import functools
import importlib.resources
import threading
from collections import OrderedDict
from pathlib import Path

import duckdb
import pandas as pd

from etl.vocab import theme_bits


class DatabaseMissing(RuntimeError):
    """The database file is missing or is not a coopatlas database; the message says how to build one."""


@functools.cache
def contract() -> dict[str, dict[str, str]]:
    """Table → column → type, as ``etl/schema.sql`` declares them (DuckDB itself reads the file)."""
    schema = importlib.resources.files("etl").joinpath("schema.sql").read_text(encoding="utf-8")
    con = duckdb.connect(":memory:")
    try:
        con.execute(schema)
        rows = con.execute("SELECT table_name, column_name, data_type FROM duckdb_columns() "
                           "WHERE database_name = 'memory' AND schema_name = 'main'").fetchall()
    finally:
        con.close()
    tables: dict[str, dict[str, str]] = {}
    for table, column, kind in rows:
        tables.setdefault(table, {})[column] = kind
    return tables


def contract_problems(con: duckdb.DuckDBPyConnection, database: str = "atlas") -> list[str]:
    """What the attached ``database`` lacks of the contract: missing tables, missing or retyped columns."""
    found: dict[str, dict[str, str]] = {}
    for table, column, kind in con.execute(
            "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE database_name = ? "
            "AND schema_name = 'main'", [database]).fetchall():
        found.setdefault(table, {})[column] = kind
    problems = []
    for table, columns in contract().items():
        if table not in found:
            problems.append(f"table {table} absente")
            continue
        for column, kind in columns.items():
            have = found[table].get(column)
            if have is None:
                problems.append(f"colonne {table}.{column} absente")
            elif have != kind:
                problems.append(f"colonne {table}.{column} de type {have} au lieu de {kind}")
    return problems


class Store:
    def __init__(self, path: str | Path, cache_size: int = 512, threads: int = 1):
        """``threads``: DuckDB threads per query (``COOPATLAS_QUERY_THREADS``)."""
        self.path = Path(path)
        if not self.path.is_file():
            raise DatabaseMissing(
                f"base introuvable : {self.path}. Construisez-la avec « coopatlas demo --db {self.path} » "
                f"ou « coopatlas build --input EXPORT.csv --db {self.path} »."
            )
        try:
            self.con = duckdb.connect(":memory:", config={"threads": threads})
            self.con.execute("ATTACH ? AS atlas (READ_ONLY)", [str(self.path)])
            self.con.execute("USE atlas")
            problems = contract_problems(self.con)
            if problems:
                raise DatabaseMissing(
                    f"{self.path} ne respecte pas le schéma de coopatlas ({', '.join(problems[:5])}"
                    f"{'…' if len(problems) > 5 else ''}). Reconstruisez-la avec "
                    f"« coopatlas build --input EXPORT.csv --db {self.path} ».")
            # The theme filter tests the bits of data/themes.csv (etl.vocab.theme_mask).
            bits = theme_bits()
            other = [code for code, bit in self.con.execute("SELECT code, bit FROM themes ORDER BY code").fetchall()
                     if bits.get(code) != bit]
            if other:
                raise DatabaseMissing(
                    f"{self.path} : thème(s) {', '.join(other[:5])} sans le bit que leur donne data/themes.csv. "
                    f"Reconstruisez-la avec « coopatlas build --input EXPORT.csv --db {self.path} ».")
            orphans = self.con.execute("SELECT count(*) FROM partnerships p ANTI JOIN countries c "
                                       "ON c.iso3 = p.partner_country_iso3").fetchone()[0]
            if orphans:  # the queries leave the countries out when they need none of their columns
                raise DatabaseMissing(
                    f"{self.path} : {orphans} partenariat(s) dont le pays manque à la table countries. "
                    f"Reconstruisez-la avec « coopatlas build --input EXPORT.csv --db {self.path} ».")
            rows = self.con.execute("SELECT checksum, source_kind, built_at, records_loaded, records_rejected, "
                                    "geometry_sources FROM build_info").fetchall()
            if len(rows) != 1:
                raise DatabaseMissing(
                    f"{self.path} : build_info a {len(rows)} lignes au lieu d'une. Reconstruisez-la avec "
                    f"« coopatlas build --input EXPORT.csv --db {self.path} ».")
        except DatabaseMissing:
            self.con.close()
            raise
        except duckdb.Error as exc:
            self.con.close()
            raise DatabaseMissing(
                f"{self.path} n'est pas une base coopatlas lisible ({exc}). Reconstruisez-la avec "
                f"« coopatlas build --input EXPORT.csv --db {self.path} »."
            ) from exc
        self.checksum, self.source_kind, self.built_at, self.loaded, self.rejected, self.geometry_sources = rows[0]
        self.source_files = [r[0] for r in self.con.execute("SELECT source_file FROM build_inputs").fetchall()]
        self._cache: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    @property
    def is_demo(self) -> bool:
        return self.source_kind == "demo"

    def df(self, sql: str, params: list | tuple = ()) -> pd.DataFrame:
        """Run a query with bound parameters; the result is cached (never mutate it)."""
        key = (sql, tuple(tuple(p) if isinstance(p, list) else p for p in params))
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        cur = self.con.cursor()
        try:
            cur.execute("USE atlas")
            result = cur.execute(sql, list(params)).df()
        finally:
            cur.close()
        with self._lock:
            self._cache[key] = result
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return result

    def close(self) -> None:
        self.con.close()
