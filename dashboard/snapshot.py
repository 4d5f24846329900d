"""What the app serves: a :class:`Snapshot` of one database build, and the :class:`Atlas` that swaps in a new
snapshot when a new build replaces the database file, without a restart and without an error for readers."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

import pandas as pd
import shapely
from shapely.geometry import mapping, shape

from dashboard import links, queries
from dashboard.catalogue import Reference
from dashboard.components import BuildFacts
from dashboard.db import DatabaseMissing, Store
from dashboard.i18n import LANGS
from etl import editions
from etl.diff import DIMENSIONS, Comparison
from geo import insets as insets_module
from geo import shapes as shapes_module
from geo.insets import inset, inset_frames
from geo.shapes import for_plotly

log = logging.getLogger(__name__)
FRANCE_CENTRE = (2.4, 46.6)
CHECK_EVERY_S = 1.0
RETIRE_AFTER_S = 60.0  # an old build stays open this long after a new one is served, for requests in flight
MEMO_SIZE = 256  # views kept per worker (≈ 100 KB each)
NEWS_SIZE = 4  # comparisons of two editions kept per worker
EDITION_SNAPSHOTS = 3  # older editions kept open per worker, besides the latest (each its memo and caches)
# The map layers as browsers get them, lighter than the geometry the build stores (which the exports and the
# geometry tests read): the world map draws about 0.3° a pixel, the France map about 0.02° of its layout a pixel.
# Tolerances in degrees (of the France map's layout for the regions, overseas ones moved and scaled into insets);
# regions are simplified as a coverage (neighbours keep one border), countries one by one, as the build did.
# Départements are drawn on the France map over their region (overseas ones moved into the region's inset).
MAP_LAYERS = {"countries": {"tolerance": 0.15, "decimals": 2, "coverage": False},
              "regions": {"tolerance": 0.01, "decimals": 3, "coverage": True},
              "departements": {"tolerance": 0.01, "decimals": 3, "coverage": True}}


class Memo:
    """A bounded, thread-safe memo of computed views for one build: the default view and popular links are
    computed once per worker, not once per reader, even when readers ask for one at the same moment (a server
    that starts, or a link shared widely): the first computes it, the others wait for it."""

    def __init__(self, size: int = MEMO_SIZE):
        self._items: OrderedDict = OrderedDict()
        self._running: dict[object, Future] = {}  # views being computed, for the readers asking for them too
        self._size = size
        self._lock = threading.Lock()

    def __call__(self, key, compute: Callable[[], object]):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            running = self._running.get(key)
            if running is None:
                self._running[key] = mine = Future()
        if running is not None:
            return running.result()
        try:
            value = compute()
        except BaseException as exc:  # each waiter gets the error; the next reader tries again
            with self._lock:
                del self._running[key]
            mine.set_exception(exc)
            raise
        with self._lock:
            del self._running[key]
            self._items[key] = value
            if len(self._items) > self._size:
                self._items.popitem(last=False)
        mine.set_result(value)
        return value


class Snapshot:
    """Everything the app needs from one database build, computed once when the build is opened. ``edition``:
    the date of the kept edition it was opened as, None for the latest build (the served file)."""

    def __init__(self, store: Store, edition: str | None = None, cache_dir: str | Path | None = None):
        """``cache_dir``: where the lightened map layers of a build are kept once made (a worker that starts,
        or recycles, then reads them instead of simplifying the geometry again); None: made every time."""
        self.store = store
        self.edition = edition
        self.vocab = queries.vocabulary(store)
        self.version = version = store.checksum[:12]
        countries = queries.geometry_features(store, "countries")
        bounds = {f["id"]: shapely.bounds(shapely.geometry.shape(f["geometry"])).tolist() for f in countries}
        # the layers' address follows the build and the way they are lightened (cached for a year)
        lightening = _digest([MAP_LAYERS, LAYER_CODE])
        self.geometry_version = geometry_version = f"{version}-{lightening}"

        def layer(name: str, made_of: list, make: Callable[[], list[dict]]) -> bytes:
            # kept under what it is made of, not under the build: a rebuild of new partnerships over the same
            # outlines (every rebuild but a new geometry source) reads the layers instead of simplifying them
            # again in each worker while readers wait
            return _cached_layer(cache_dir, f"{name}-{_content(made_of)}-{lightening}",
                                 lambda: map_layer(make(), **MAP_LAYERS[name]))

        self.countries_geojson = layer("countries", countries, lambda: countries)
        region_features = queries.geometry_features(store, "fr_regions", "inset_geometry")
        self.regions_geojson = layer("regions", region_features, lambda: region_features)
        departements = queries.departements(store)
        departement_features = queries.geometry_features(store, "fr_departements")
        region_of = dict(zip(departements["code"], departements["region_code"]))
        self.departements_geojson = layer("departements", [departement_features, region_of],
                                          lambda: _in_insets(departement_features, region_of))
        regions = queries.regions(store)
        zones = queries.vocabulary_table(store, "zones")
        self.reference = Reference(
            countries=queries.countries(store), regions=regions, frames=inset_frames(), france_centre=FRANCE_CENTRE,
            bounds={k: tuple(v) for k, v in bounds.items()},
            region_bounds={f["id"]: tuple(shapely.bounds(shape(f["geometry"])).tolist()) for f in region_features},
            continents={lang: dict(zip(zones["code"], zones[f"label_{lang}"])) for lang in LANGS},
            world_url=links.geometry(geometry_version, "countries"),
            regions_url=links.geometry(geometry_version, "regions"), departements=departements,
            departements_url=links.geometry(geometry_version, "departements"),
        )
        queries.build_search_index(store)
        self.memo = Memo()
        self.facts = BuildFacts(
            is_demo=store.is_demo, built_at=pd.Timestamp(store.built_at).to_pydatetime(),
            source_files=tuple(store.source_files), loaded=int(store.loaded), rejected=int(store.rejected),
            geometry_sources=store.geometry_sources, edition=edition,
        )


def _in_insets(features: list[dict], region_of: dict[str, str]) -> list[dict]:
    """Départements laid out as the France map lays out their regions: an overseas one (its region's only
    département) moved and scaled into its region's inset, a mainland one where it is."""
    return [{**f, "geometry": mapping(inset(region_of.get(f["id"], ""), shape(f["geometry"])))} for f in features]


def _cached_layer(cache_dir, name: str, make) -> bytes:
    """A map layer read from ``cache_dir/map-layers/<name>.geojson``, else made and written there (atomically;
    a cache that cannot be written is only a slower start)."""
    if cache_dir is None:
        return make()
    path = Path(cache_dir) / "map-layers" / f"{name}.geojson"
    try:
        return path.read_bytes()
    except OSError:
        pass
    body = make()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(body)
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("couche de carte non mise en cache (%s) : %s", path, exc)
    return body


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:6]


def _content(value: list) -> str:
    """A digest of what a layer is made of, as read from the build (a few hundredths of a second for the world)."""
    return hashlib.sha256(json.dumps(value, separators=(",", ":")).encode()).hexdigest()[:16]


# the code that makes the layers: a change of it gives them a new address (and a new cached file)
LAYER_CODE = hashlib.sha256(b"".join(Path(m.__file__).read_bytes() for m in (sys.modules[__name__], insets_module,
                                                                               shapes_module))).hexdigest()[:12]


def map_layer(features: list[dict], tolerance: float, decimals: int, coverage: bool) -> bytes:
    """A FeatureCollection of ``features`` simplified by ``tolerance`` degrees, rounded to ``decimals``, outer
    rings clockwise; a feature that simplification would erase or shrink by more than a tenth keeps its stored
    outline (micro-states, small islands)."""
    stored = [shape(f["geometry"]) for f in features]
    simple = shapely.coverage_simplify(stored, tolerance) if coverage else \
        shapely.simplify(stored, tolerance, preserve_topology=True)
    out = []
    for feature, before, after in zip(features, stored, simple):
        after = for_plotly(after, decimals)
        geometry = feature["geometry"] if after.is_empty or after.area < 0.9 * before.area \
            else _rounded(mapping(after), decimals)
        out.append({**feature, "geometry": geometry})
    return json.dumps({"type": "FeatureCollection", "features": out}, separators=(",", ":")).encode()


def _rounded(geometry: dict, decimals: int) -> dict:
    def r(x):
        return round(x, decimals) if isinstance(x, float) else [r(v) for v in x]

    return {"type": geometry["type"], "coordinates": r(geometry["coordinates"])}


def _compare(old: Path, new: Path) -> dict:
    comparison = Comparison(old, new)
    try:
        return {"old": comparison.old, "new": comparison.new, "totals": comparison.totals(),
                "fields": comparison.fields(), "rows": comparison.rows(),
                "by": {(d, lang): comparison.by(d, lang) for d in DIMENSIONS for lang in LANGS}}
    finally:
        comparison.close()


def pinned_snapshot(atlas: Atlas, edition) -> Snapshot:
    """The snapshot a callback serves: the edition its page pinned (a store's value, "" for the latest); an edition
    deleted since the page was served stops the callback (the page keeps what it shows)."""
    from dash.exceptions import PreventUpdate

    try:
        return atlas.snapshot(edition if isinstance(edition, str) else None)
    except editions.UnknownEdition as exc:
        raise PreventUpdate from exc


def _retire(snap: Snapshot) -> None:
    """Close a snapshot's database once the requests in flight on it are done. A daemon timer: a worker that
    exits (gunicorn's max_requests) must not wait for it."""
    timer = threading.Timer(RETIRE_AFTER_S, snap.store.close)
    timer.daemon = True
    timer.start()


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


class Atlas:
    """The current snapshot. A new build replaces the file with ``os.replace`` (a new inode); at most once a
    second, a request notices it, opens the new file and swaps the snapshot. Requests already running keep the
    old connection, whose file stays readable until closed. A new file that cannot be opened, breaks the schema
    contract or fails to load is logged once and never tried again (until the file changes again); the previous
    snapshot keeps serving and the request never sees the failure."""

    def __init__(self, path: str | Path, threads: int = 1, cache_dir: str | Path | None = None):
        self.path = Path(path)
        self._threads = threads  # DuckDB threads per query of every store it opens
        self._cache_dir = cache_dir  # where its snapshots keep their map layers
        self._identity = _identity(self.path)
        self._refused: tuple | None = None
        self._snapshot = Snapshot(Store(self.path, threads=threads), cache_dir=cache_dir)
        self._checked = time.monotonic()
        self._lock = threading.Lock()
        self._editions: OrderedDict[str, tuple[tuple, Snapshot]] = OrderedDict()  # date → (file identity, snapshot)
        self._editions_lock = threading.Lock()  # held only to read or change the dict
        self._opening = threading.Lock()
        self._news = Memo(NEWS_SIZE)

    def editions(self) -> list[str]:
        """The dates of the kept editions, newest first (a listing of their folder: only pinned views ask)."""
        return editions.kept(self.path)

    def snapshot(self, edition: str | None = None) -> Snapshot:
        """The snapshot of a view: the current one without ``edition`` (nothing more is done for the latest's
        pages), else the kept edition of that date, opened read-only on its first request and kept among the
        :data:`EDITION_SNAPSHOTS` most recently used; the current snapshot when the date is the latest build's
        (the edition of that day is the served build). :class:`UnknownEdition` when not kept."""
        current = self.current()
        if not edition:
            return current
        if edition == current.facts.built_on:
            return current
        path = editions.path_of(self.path, edition)
        identity = _identity(path)
        hit = self._open_edition(edition, identity)
        if hit is not None:
            return hit
        with self._opening:  # one edition opened at a time; the dict's lock is never held meanwhile
            hit = self._open_edition(edition, identity)  # opened by another request while this one waited
            if hit is not None:
                return hit
            try:
                snap = Snapshot(Store(path, threads=self._threads), edition=edition, cache_dir=self._cache_dir)
            except DatabaseMissing as exc:  # a broken file in the folder: unknown for the reader
                log.warning("édition refusée : %s", exc)
                raise editions.UnknownEdition(edition, [e for e in self.editions() if e != edition]) from exc
            with self._editions_lock:
                replaced = self._editions.pop(edition, None)
                self._editions[edition] = (identity, snap)
                retired = [self._editions.pop(k)[1] for k in list(self._editions)[:-EDITION_SNAPSHOTS]]
        for old in retired + ([replaced[1]] if replaced else []):
            _retire(old)
        return snap

    def _open_edition(self, edition: str, identity) -> Snapshot | None:
        """The edition's snapshot if it is open on the same file, else None."""
        with self._editions_lock:
            hit = self._editions.get(edition)
            if hit is not None and hit[0] == identity:
                self._editions.move_to_end(edition)
                return hit[1]
        return None

    def news(self, old: str, new: str) -> dict:
        """What changed from edition ``old`` to edition ``new`` (:class:`etl.diff.Comparison`: totals, fields,
        per region, country and theme in both languages, the row-level table), computed once per pair of files
        per worker. :class:`UnknownEdition` when either is not kept."""
        paths = editions.path_of(self.path, old), editions.path_of(self.path, new)
        key = tuple((str(p), _identity(p)) for p in paths)
        return self._news(key, lambda: _compare(*paths))

    def loaded(self) -> list[Snapshot]:
        """The current snapshot and the editions open now (the geometry route serves any of them)."""
        current = self.current()
        with self._editions_lock:
            return [current, *(snap for _identity, snap in self._editions.values())]

    def current(self) -> Snapshot:
        now = time.monotonic()
        if now - self._checked >= CHECK_EVERY_S:
            self._checked = now
            identity = _identity(self.path)
            if identity is not None and identity not in (self._identity, self._refused):
                self._reload(identity)
        return self._snapshot

    def _reload(self, identity) -> None:
        if not self._lock.acquire(blocking=False):
            return  # another request is loading it: this one is served by the current build meanwhile
        try:
            if identity in (self._identity, self._refused):
                return
            try:
                store = Store(self.path, threads=self._threads)
            except Exception as exc:  # whatever the file holds, the request must not see it
                self._refuse(identity, exc)
                return
            try:
                snapshot = Snapshot(store, cache_dir=self._cache_dir)
            except Exception as exc:
                store.close()
                self._refuse(identity, exc)
                return
            old, self._snapshot, self._identity = self._snapshot, snapshot, identity
            log.info("nouvelle base chargée : %s (build %s)", self.path, snapshot.version)
        finally:
            self._lock.release()
        _retire(old)

    def _refuse(self, identity, exc: Exception) -> None:
        self._refused = identity
        log.warning("nouvelle base refusée, la précédente reste servie : %s", exc)
