"""What the app serves: a :class:`Snapshot` of one database build, and the :class:`Atlas` that swaps in a new
snapshot when a new build replaces the database file, without a restart and without an error for readers."""

from __future__ import annotations

import functools
import json
import logging
import threading
import time
from pathlib import Path

import pandas as pd
import shapely
from dash import html

from dashboard import datapage, monitor, profiles, queries, views
from dashboard.db import Store
from dashboard.filters import Filters
from dashboard.i18n import LANGS
from dashboard.layout import BuildFacts, Options, page
from dashboard.views import Reference
from geo.insets import inset, inset_frames

log = logging.getLogger(__name__)
FRANCE_CENTRE = (2.4, 46.6)
CHECK_EVERY_S = 1.0
RETIRE_AFTER_S = 60.0  # an old build stays open this long after a new one is served, for requests in flight
RENDER_CACHE = 256  # main views kept per worker (≈ 100 KB each)


class Snapshot:
    """Everything the app needs from one database build, computed once when the build is opened."""

    def __init__(self, store: Store):
        self.store = store
        self.vocab = queries.vocabulary(store)
        self.countries_geojson = json.dumps(
            {"type": "FeatureCollection", "features": queries.geometry_features(store, "countries")},
            separators=(",", ":")).encode()
        region_features = queries.geometry_features(store, "fr_regions")
        inset_features, labels = [], {}
        for feat in region_features:
            geom = shapely.geometry.shape(feat["geometry"])
            moved = inset(feat["id"], geom)
            inset_features.append({**feat, "geometry": shapely.geometry.mapping(moved)})
            label = moved.representative_point()
            centre = geom.representative_point()
            labels[feat["id"]] = (label.x, label.y, centre.x, centre.y)
        self.regions_geojson = json.dumps({"type": "FeatureCollection", "features": inset_features},
                                          separators=(",", ":")).encode()
        regions = queries.regions(store).copy()
        for i, col in enumerate(("label_lon", "label_lat", "centre_lon", "centre_lat")):
            regions[col] = regions["code"].map(lambda c, i=i: labels.get(c, (None,) * 4)[i])
        self.version = version = store.checksum[:12]
        self.reference = Reference(
            countries=queries.countries(store), regions=regions, frames=inset_frames(), france_centre=FRANCE_CENTRE,
            world_url=f"/geo/{version}/countries.geojson", regions_url=f"/geo/{version}/regions.geojson",
        )
        self.options = self._options()
        queries.build_search_index(store)
        reference = self.reference
        self._render = functools.lru_cache(maxsize=RENDER_CACHE)(lambda f: views.dashboard(store, f, reference))
        self.facts = BuildFacts(
            is_demo=store.is_demo, built_at=pd.Timestamp(store.built_at).strftime("%d/%m/%Y %H:%M UTC"),
            built_at_en=pd.Timestamp(store.built_at).strftime("%d %B %Y %H:%M UTC"),
            source_files=store.source_files, loaded=int(store.loaded), rejected=int(store.rejected),
            geometry_sources=store.geometry_sources,
        )

    def _options(self) -> Options:
        s = self.store
        used = set(s.df("SELECT DISTINCT partner_country_iso3 AS iso3 FROM partnerships")["iso3"])
        countries = self.reference.countries
        countries = countries[countries["iso3"].isin(used)]

        def per_lang(df: pd.DataFrame, value: str, fr: str, en: str) -> dict[str, list[dict]]:
            return {lang: [{"label": str(r[fr if lang == "fr" else en]), "value": r[value]}
                           for _, r in df.sort_values(fr if lang == "fr" else en).iterrows()] for lang in LANGS}

        regions = self.reference.regions.copy()
        regions["label"] = [f"{n} — {r}" if isinstance(r, str) else n
                            for n, r in zip(regions["name"], regions["rrma_name"])]
        deps = queries.departements(s)
        odd = s.df("SELECT number, number || '. ' || label_fr AS fr, number || '. ' || label_en AS en FROM odd "
                   "ORDER BY number")
        zones = queries.vocabulary_table(s, "zones")
        return Options(
            regions=per_lang(regions, "code", "label", "label"),
            rrmas=[{"label": r["name"], "value": r["code"]}
                   for _, r in queries.vocabulary_table(s, "rrma").sort_values("name").iterrows()],
            departements=[{"label": f"{r.code} — {r.name}", "value": r.code, "region": r.region_code}
                          for r in deps.itertuples()],
            types=per_lang(queries.vocabulary_table(s, "authority_types"), "code", "label_fr", "label_en"),
            countries=per_lang(countries, "iso3", "name_fr", "name_en"),
            zones={lang: [{"label": r[f"label_{lang}"], "value": r["code"]} for _, r in zones.iterrows()]
                   for lang in LANGS},
            themes=per_lang(queries.vocabulary_table(s, "themes"), "code", "label_fr", "label_en"),
            odds={lang: [{"label": r[lang], "value": int(r["number"])} for _, r in odd.iterrows()] for lang in LANGS},
            actions=per_lang(queries.vocabulary_table(s, "action_types"), "code", "label_fr", "label_en"),
            first_year=self.vocab.first_year, last_year=self.vocab.last_year,
        )

    def render(self, f: Filters) -> tuple:
        """The main view's outputs for a set of filters, memoised for this build: the default view and popular
        links are computed once per worker, not once per reader."""
        return self._render(f)

    def search_page(self, query: dict) -> html.Div:
        return profiles.search_page(self, query)

    def authority_page(self, key: str, query: dict) -> html.Div:
        return profiles.authority_page(self, key, query)

    def embed_page(self, chart: str, query: dict) -> html.Div:
        return profiles.embed_page(self, chart, query)

    def region_page(self, code: str, query: dict) -> html.Div:
        return profiles.region_page(self, code, query)

    def country_page(self, iso3: str, query: dict) -> html.Div:
        return profiles.country_page(self, iso3, query)

    def data_page(self, query: dict) -> html.Div:
        return datapage.page(self.store, self.facts, "en" if query.get("lang") == "en" else "fr")

    def monitor_page(self, query: dict) -> html.Div:
        return monitor.page(monitor.Monitor.from_query(query, self.vocab), self.options, self.facts)

    @functools.cached_property
    def zone_names(self) -> dict[str, dict[str, str]]:
        """Display names of zones and countries, per language, for sentences."""
        names = {lang: {o["value"]: o["label"] for o in self.options.zones[lang] + self.options.countries[lang]}
                 for lang in LANGS}
        return names

    def page(self, query: dict) -> html.Div:
        return page(Filters.from_query(query, self.vocab), self.options, self.facts)


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

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._identity = _identity(self.path)
        self._refused: tuple | None = None
        self._snapshot = Snapshot(Store(self.path))
        self._checked = time.monotonic()
        self._lock = threading.Lock()

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
                store = Store(self.path)
            except Exception as exc:  # whatever the file holds, the request must not see it
                self._refuse(identity, exc)
                return
            try:
                snapshot = Snapshot(store)
            except Exception as exc:
                store.close()
                self._refuse(identity, exc)
                return
            old, self._snapshot, self._identity = self._snapshot, snapshot, identity
            log.info("nouvelle base chargée : %s (build %s)", self.path, snapshot.version)
        finally:
            self._lock.release()
        # A daemon timer: a worker that exits (gunicorn's max_requests) must not wait for it.
        timer = threading.Timer(RETIRE_AFTER_S, old.store.close)
        timer.daemon = True
        timer.start()

    def _refuse(self, identity, exc: Exception) -> None:
        self._refused = identity
        log.warning("nouvelle base refusée, la précédente reste servie : %s", exc)
