"""Building the DuckDB database: schema, vocabularies, geometries, partnerships and rejected rows, swapped in
atomically so that a failed or interrupted build leaves the previous database serving."""

from __future__ import annotations

import datetime as dt
import gettext
import hashlib
import json
import os
import shutil
import sys
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pycountry
import shapely

from etl import __version__, editions
from etl.normalise import countries as _countries_module
from etl.normalise import text as _text_module
from etl.normalise.countries import KOSOVO, country_index
from etl.paths import SCHEMA, mapping_files
from etl.read import RawTable, read_table, source_labels
from etl.settings import Settings
from etl.target import UnwritableTarget, check_target
from etl.transform import Result, Sink, Transformer
from etl.vocab import (
    action_types,
    authority_types,
    events,
    memberships,
    odd_rows,
    population_supplements,
    rrma_rows,
    statuses,
    theme_bits,
    theme_odds,
    themes,
    zones,
)
from geo import insets as _insets_module
from geo import zones as _zones_module
from geo.insets import INSET_BOXES, region_layout
from geo.prepare import Layers, cache_key, load_layers, sources
from geo.zones import country_zones

# Continents of the few ISO entries Natural Earth does not draw.
CONTINENT_FALLBACK = {"BES": "ameriques", "BVT": "antarctique", "CCK": "oceanie", "CXR": "oceanie",
                      "SJM": "europe", "TKL": "oceanie", "GLP": "ameriques", "MTQ": "ameriques",
                      "GUF": "ameriques", "REU": "afrique", "MYT": "afrique"}


@dataclass
class BuildReport:
    db_path: Path
    result: Result
    source_kind: str
    edition: Path | None = None  # the dated copy kept of this build (etl/editions.py)
    edition_problem: str = ""  # why it could not be kept (the build itself is served all the same)

    @property
    def read(self) -> int:
        return self.result.loaded + self.result.rejected_count


class _Progress:
    """A progress bar on stderr (plain lines when stderr is not a terminal)."""

    def __init__(self, total: int, enabled: bool):
        self.bar = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="o", unit_scale=True, file=sys.stderr, desc="lecture et normalisation",
                            leave=True, mininterval=0.5, disable=None)

    def __call__(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def open_tables(paths: Sequence[Path]) -> list[RawTable]:
    """Every input opened (checksum, encoding, separator, header): an unreadable one fails before any work."""
    return [read_table(p, label) for p, label in zip(paths, source_labels(paths))]


def transform_files(paths: Sequence[Path], sink: Sink | None = None, progress: bool = False,
                    con: duckdb.DuckDBPyConnection | None = None,
                    tables: list[RawTable] | None = None) -> tuple[list[RawTable], Result]:
    """Read and normalise export files (``tables``: already opened by :func:`open_tables`), writing the rows to
    the database of ``con`` when given, else sending them in batches to ``sink`` (``None``: count only)."""
    tables = open_tables(paths) if tables is None else tables
    bar = _Progress(sum(t.size for t in tables), progress)
    transformer = Transformer(sink, bar, con=con)
    try:
        for t in tables:
            transformer.add(t)
    finally:
        bar.close()
    return tables, transformer.finish()


def _oriented(geom):
    """Outer rings clockwise, as stored (d3/plotly)."""
    return None if geom is None or geom.is_empty else shapely.orient_polygons(geom, exterior_cw=True)


def _wkb(geom) -> bytes | None:
    geom = _oriented(geom)
    return None if geom is None else shapely.to_wkb(geom)


def _countries_frame(layers: Layers) -> pd.DataFrame:
    drawn = layers.countries.set_index("iso3")
    fr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    rows = []
    zone_defs = zones()
    codes = sorted({c.alpha_3 for c in pycountry.countries} | {KOSOVO} | set(drawn.index))
    for iso3 in codes:
        if iso3 in drawn.index:
            d = drawn.loc[iso3]
            row = dict(iso3=iso3, name_fr=d["name_fr"], name_en=d["name_en"], continent=d["continent"],
                       subregion=d["subregion"], area_km2=d["area_km2"], label_lon=d["label_lon"],
                       label_lat=d["label_lat"], population=d["population"], population_year=d["population_year"],
                       geometry=_wkb(d["geometry"]))
        else:
            c = pycountry.countries.get(alpha_3=iso3)
            name = getattr(c, "common_name", None) or c.name
            row = dict(iso3=iso3, name_fr=fr.gettext(c.name), name_en=name, continent=CONTINENT_FALLBACK.get(iso3),
                       subregion=None, area_km2=None, label_lon=None, label_lat=None, population=None,
                       population_year=None, geometry=None)
        row["zones"] = country_zones(iso3, row["continent"], row["subregion"], zone_defs)
        rows.append(row)
    return pd.DataFrame(rows).astype({"population": "Int64", "population_year": "Int32"})


def _insert(con: duckdb.DuckDBPyConnection, table: str, df: pd.DataFrame, geometry: Collection[str] = ()) -> None:
    """Append a frame to a table; the columns named in ``geometry`` hold WKB."""
    cols = ", ".join(df.columns)
    select = ", ".join(f"ST_GeomFromWKB({c})" if c in geometry else c for c in df.columns)
    con.register("frame", df)
    con.execute(f"INSERT INTO {table} ({cols}) SELECT {select} FROM frame")  # table/columns are our constants
    con.unregister("frame")


def _write_reference(con: duckdb.DuckDBPyConnection, layers: Layers) -> None:
    con.execute(SCHEMA.read_text(encoding="utf-8"))
    _insert(con, "zones", pd.DataFrame(
        [(code, z["label_fr"], z["label_en"], i) for i, (code, z) in enumerate(zones().items())],
        columns=["code", "label_fr", "label_en", "position"]))
    _insert(con, "rrma", pd.DataFrame(rrma_rows()).replace({"": None}))
    odds, bits = theme_odds(), theme_bits()
    _insert(con, "themes", pd.DataFrame(
        [(t.code, t.label_fr, t.label_en, list(odds[t.code]), bits[t.code]) for t in themes()],
        columns=["code", "label_fr", "label_en", "odds", "bit"]))
    _insert(con, "odd", pd.DataFrame(odd_rows()).astype({"number": int}))
    for name, terms in (("action_types", action_types()), ("statuses", statuses()),
                        ("authority_types", authority_types())):
        _insert(con, name, pd.DataFrame([(t.code, t.label_fr, t.label_en) for t in terms],
                                        columns=["code", "label_fr", "label_en"]))
    countries = _countries_frame(layers)
    _insert(con, "events", _events_frame(countries))
    _insert(con, "memberships", pd.DataFrame(
        [{**m, "joined_on": dt.date.fromisoformat(m["joined_on"]),
          "left_on": dt.date.fromisoformat(m["left_on"]) if m["left_on"] else None,
          "left_event": m["left_event"] or None, "note": m["note"] or None} for m in memberships()]))
    _insert(con, "countries", countries, geometry=["geometry"])
    _insert(con, "country_names", pd.DataFrame(sorted((name, iso3) for name, iso3 in country_index().items() if iso3),
                                               columns=["name", "iso3"]))
    deps = pd.DataFrame(layers.departements.drop(columns="geometry"))
    supplements = population_supplements()
    deps["population"] = [supplements.get(c, p) for c, p in zip(deps["code"], deps["population"])]
    _insert(con, "fr_regions", _regions_frame(layers, deps), geometry=["geometry", "inset_geometry"])
    shapes = [_oriented(g) for g in layers.departements.geometry]
    points = [g.representative_point() for g in shapes]
    deps["label_lon"], deps["label_lat"] = [p.x for p in points], [p.y for p in points]
    deps["geometry"] = [shapely.to_wkb(g) for g in shapes]
    _insert(con, "fr_departements", deps, geometry=["geometry"])


def _events_frame(countries: pd.DataFrame) -> pd.DataFrame:
    """``data/events.csv`` with dates and lists of ISO3 codes; ``zone:<code>`` stands for the zone's countries, so
    that a list declared in ``zones.toml`` is not written again."""
    rows = []
    for e in events():
        codes: list[str] = []
        for token in e["countries"].split("|"):
            if token.startswith("zone:"):
                zone = token.removeprefix("zone:")
                codes += [c for c, z in zip(countries["iso3"], countries["zones"]) if zone in z]
            else:
                codes.append(token)
        rows.append({**e, "date": dt.date.fromisoformat(e["date"]), "countries": codes})
    return pd.DataFrame(rows)


def _regions_frame(layers: Layers, departements: pd.DataFrame) -> pd.DataFrame:
    """The 18 regions with their network, their population (the sum of their départements', supplements
    included) and their layout on the France map (overseas as insets), computed here once rather than by every
    app process at start."""
    regional_rrma = {r["region_code"]: r["code"] for r in rrma_rows() if not r["departement_code"]}
    regions = pd.DataFrame(layers.regions.drop(columns="geometry"))
    regions["rrma"] = regions["code"].map(regional_rrma)
    regions["population"] = regions["code"].map(departements.groupby("region_code")["population"].sum()).astype(
        "int64")
    shapes = [_oriented(g) for g in layers.regions.geometry]
    layout = pd.DataFrame([region_layout(c, g) for c, g in zip(regions["code"], shapes)], index=regions.index)
    regions["geometry"] = [shapely.to_wkb(g) for g in shapes]
    regions["inset_geometry"] = [_wkb(g) for g in layout.pop("inset_geometry")]
    return pd.concat([regions, layout], axis=1)


def build_id(input_sha256: Sequence[str], geometry_key: str) -> str:
    """The id of a build's content (``build_info.checksum``; its first 12 characters key the app's geometry URLs,
    export cache and API ETags): a sha256 over the package version, ``schema.sql``, every mapping file of the
    data folder (names and contents), the geometry sources and parameters (``geo.prepare.cache_key``, the inset
    boxes) and the input files' checksums, in order. Anything else changing must bump the version."""
    h = _content_hash(geometry_key)
    for sha in input_sha256:
        _part(h, "input", sha.encode())
    return h.hexdigest()


def _part(h, label: str, content: bytes) -> None:
    h.update(f"{label}\0{len(content)}\0".encode())
    h.update(content)


def _content_hash(geometry_key: str):
    """A sha256 fed with what every build's content depends on besides its inputs (see :func:`build_id`)."""
    h = hashlib.sha256()
    _part(h, "version", __version__.encode())
    _part(h, "schema.sql", SCHEMA.read_bytes())
    for f in mapping_files():
        _part(h, f"data/{f.name}", f.read_bytes())
    _part(h, "geometry", geometry_key.encode())
    _part(h, "insets", json.dumps(INSET_BOXES, sort_keys=True).encode())
    return h


# The code that writes the reference tables: a change to any of these makes a new reference database.
REFERENCE_CODE = (Path(__file__), Path(_countries_module.__file__), Path(_text_module.__file__),
                  Path(_insets_module.__file__), Path(_zones_module.__file__))


def reference_key(geometry_key: str) -> str:
    """What the reference tables (the schema, the vocabularies, the countries, the regions and départements with
    their geometries) are made of: the content hash of :func:`build_id` without the inputs, the code that writes
    them, and the versions of DuckDB (the file's format) and pycountry (the countries' names)."""
    h = _content_hash(geometry_key)
    _part(h, "versions", f"{sys.version_info[:2]} duckdb {duckdb.__version__} pycountry "
                         f"{_package_version('pycountry')}".encode())
    for f in REFERENCE_CODE:
        _part(h, f.name, f.read_bytes())
    return h.hexdigest()[:16]


def _package_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


def reference_db(cache: Path, geometry_key: str) -> Path | None:
    """A database holding only the reference tables, made once per :func:`reference_key` in the cache folder
    (``reference-<key>.duckdb``): a build starts from a copy of it instead of loading the geometries and writing
    some fifteen tables again (≈ 0.4 s, a third of a demo build). ``None`` when the cache folder cannot hold it
    (the build then writes them itself)."""
    path = cache / f"reference-{reference_key(geometry_key)}.duckdb"
    if path.is_file():
        return path
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        cache.mkdir(parents=True, exist_ok=True)
        _discard(tmp)
        with duckdb.connect(str(tmp)) as con:
            _write_reference(con, load_layers(cache))
            con.execute("CHECKPOINT")
        os.replace(tmp, path)
    except (OSError, duckdb.IOException):
        return None
    finally:
        _discard(tmp)
    return path


def _discard(db: Path) -> None:
    """A database file and its WAL removed, if they are there."""
    for f in (db, Path(f"{db}.wal")):
        try:
            f.unlink(missing_ok=True)
        except OSError:
            pass


def _open_build(tmp: Path, cache: Path, geometry_key: str) -> duckdb.DuckDBPyConnection:
    """The database being built, its reference tables written: copied from the cache folder's reference database
    when there is one (made there if need be), else written here."""
    for _attempt in range(2):  # a damaged reference database is made again once
        reference = reference_db(cache, geometry_key)
        if reference is None:
            break
        try:
            shutil.copyfile(reference, tmp)
            con = duckdb.connect(str(tmp))
            if con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'fr_departements'").fetchone()[0]:
                return con
            con.close()
        except duckdb.Error:
            pass
        except OSError:
            break
        _discard(tmp)
        _discard(reference)
    _discard(tmp)
    con = duckdb.connect(str(tmp))
    _write_reference(con, load_layers(cache))
    return con


def _write_build_info(con: duckdb.DuckDBPyConnection, tables: list[RawTable], result: Result, geometry_key: str,
                      source_kind: str, built_at: dt.datetime) -> None:
    _insert(con, "build_inputs", pd.DataFrame([vars(f) for f in result.files]))
    checksum = build_id([t.sha256 for t in tables], geometry_key)
    _insert(con, "build_info", pd.DataFrame([{
        "source_kind": source_kind,
        "built_at": built_at,
        "code_version": __version__,
        "records_read": result.loaded + result.rejected_count,
        "records_loaded": result.loaded,
        "records_rejected": result.rejected_count,
        "checksum": checksum,
        "geometry_sources": sources(),
    }]))


def _remove_abandoned(db_path: Path) -> None:
    """Delete temporary files of builds whose process is gone (killed, machine restarted)."""
    for leftover in db_path.parent.glob(f".{db_path.name}.building-*"):
        pid = leftover.name.rsplit("-", 1)[-1].split(".")[0]
        if pid.isdigit() and not _alive(int(pid)):
            leftover.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def build(inputs: Sequence[str | Path], db_path: str | Path, source_kind: str = "import",
          progress: bool = False, keep_editions: int = 0, built_at: dt.datetime | None = None) -> BuildReport:
    """Build the database at ``db_path`` from export files. The new file replaces the old one only once it is
    complete; on any failure the previous database is left as it was. ``keep_editions`` > 0 then keeps it as
    the edition of its build date and the newest so many editions (:mod:`etl.editions`; ``coopatlas build``
    passes ``COOPATLAS_EDITIONS_KEEP``). ``built_at`` (UTC, naive) stands for now (tests)."""
    built_at = (built_at or dt.datetime.now(dt.UTC).replace(tzinfo=None)).replace(microsecond=0)
    db_path = Path(db_path)
    paths = [Path(p) for p in inputs]
    tables = open_tables(paths)  # an unreadable file or target fails before any work
    check_target(db_path, paths)
    cache, geometry_key = Path(Settings.from_env().cache_dir), cache_key()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(db_path)
    tmp = db_path.with_name(f".{db_path.name}.building-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        con = _open_build(tmp, cache, geometry_key)
        try:
            con.execute("SET enable_progress_bar = false")
            tables, result = transform_files(paths, progress=progress, con=con, tables=tables)
            _write_build_info(con, tables, result, geometry_key, source_kind, built_at)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, db_path)
    except duckdb.IOException as exc:  # disk full, folder gone: the previous database is intact
        raise UnwritableTarget(f"{db_path} : écriture de la base impossible ({exc}) ; "
                               "la base précédente est intacte") from exc
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
    try:
        edition, problem = editions.record(db_path, built_at.date(), keep_editions), ""
    except OSError as exc:  # the new database is in place and served; only its dated copy is missing
        edition, problem = None, f"édition du {built_at:%Y-%m-%d} non conservée ({exc})"
    return BuildReport(db_path, result, source_kind, edition, problem)
