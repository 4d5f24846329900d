"""The app factory: ``create_app(settings)`` opens the database read-only and wires everything; nothing happens
at import time."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import dash
import pandas as pd
import shapely
from dash import Dash, html
from flask import Response, abort, current_app, request

from dashboard import callbacks, queries
from dashboard.db import DatabaseMissing, Store
from dashboard.export import csv_response
from dashboard.filters import Filters
from dashboard.i18n import LANGS
from dashboard.layout import BuildFacts, Options, page
from dashboard.views import Reference
from geo.insets import inset, inset_frames

log = logging.getLogger(__name__)
ASSETS = Path(__file__).with_name("assets")
FRANCE_CENTRE = (2.4, 46.6)


@dataclass(frozen=True)
class Settings:
    """Settings, each documented in the README; from the environment with :meth:`from_env`."""

    db: str
    debug: bool = False

    @classmethod
    def from_env(cls, **overrides) -> Settings:
        values = {"db": os.environ.get("COOPATLAS_DB", "data/built/demo.duckdb"),
                  "debug": os.environ.get("COOPATLAS_DEBUG", "") == "1"}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


class Coopatlas:
    """Everything one app needs, built once from the database."""

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
        version = store.checksum[:12]
        self.reference = Reference(
            countries=queries.countries(store), regions=regions, frames=inset_frames(), france_centre=FRANCE_CENTRE,
            world_url=f"/geo/{version}/countries.geojson", regions_url=f"/geo/{version}/regions.geojson",
        )
        self.options = self._options()
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

    def page(self, query: dict) -> html.Div:
        return page(Filters.from_query(query, self.vocab), self.options, self.facts)


def _home_layout(**query) -> html.Div:
    return current_app.config["coopatlas"].page(query)


def create_app(settings: Settings) -> Dash:
    """A Dash app serving one database. Raises :class:`DatabaseMissing` with the command to fix a missing file."""
    store = Store(settings.db)
    atlas = Coopatlas(store)
    app = Dash(
        __name__, use_pages=True, pages_folder="", assets_folder=str(ASSETS), serve_locally=True,
        title="Atlas de la coopération décentralisée", update_title=None, suppress_callback_exceptions=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"},
                   {"name": "description", "content": "Partenariats des collectivités françaises avec des "
                                                      "collectivités étrangères : cartes, thèmes, ODD, budgets."}],
    )
    app.server.config["coopatlas"] = atlas
    dash.register_page("accueil", path="/", layout=_home_layout, name="Atlas", order=0)
    app.layout = html.Div([dash.page_container])
    _routes(app, atlas)
    callbacks.register(app, store, atlas.vocab, atlas.reference, atlas.options.departements)
    return app


def _routes(app: Dash, atlas: Coopatlas) -> None:
    server = app.server
    version = atlas.store.checksum[:12]

    @server.get("/geo/<build>/<name>.geojson")
    def geometry(build: str, name: str):
        body = {"countries": atlas.countries_geojson, "regions": atlas.regions_geojson}.get(name)
        if body is None or build != version:
            abort(404)
        return Response(body, mimetype="application/geo+json",
                        headers={"Cache-Control": "public, max-age=31536000, immutable"})

    @server.get("/telecharger.csv")
    def download():
        f = Filters.from_query(request.args.to_dict(flat=True), atlas.vocab)
        return csv_response(queries.partnerships_export(atlas.store, f), f)


def serve(db: str, host: str = "127.0.0.1", port: int = 8050, debug: bool = False) -> int:
    """Development server (one process). See the README for serving many readers."""
    import sys

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        app = create_app(Settings(db=db, debug=debug))
    except DatabaseMissing as exc:
        print(f"coopatlas : {exc}", file=sys.stderr)
        return 2
    print(f"coopatlas : tableau de bord sur http://{host}:{port}/", flush=True)
    app.run(host=host, port=port, debug=debug)
    return 0


