"""The app factory: ``create_app(settings)`` opens the database read-only and wires everything; nothing happens
at import time."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import dash
from dash import Dash, html
from flask import Response, abort, current_app, request

from dashboard import api, callbacks
from dashboard.db import DatabaseMissing
from dashboard.export import csv_response
from dashboard.exports import Exporter, bounded
from dashboard.filters import Filters
from dashboard.http import harden
from dashboard.state import Atlas

log = logging.getLogger(__name__)
ASSETS = Path(__file__).with_name("assets")
# Dash's page, with the document language set (the app updates it for English) and without Dash's own <footer>,
# which would make a second "contentinfo" landmark beside the page's footer.
INDEX = """<!DOCTYPE html>
<html lang="fr">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <div class="dash-scripts">
            {%config%}
            {%scripts%}
            {%renderer%}
        </div>
    </body>
</html>"""


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


def _home_layout(**query) -> html.Div:
    return current_app.config["coopatlas"].current().page(query)


def _monitor_layout(**query) -> html.Div:
    return current_app.config["coopatlas"].current().monitor_page(query)


def _search_layout(**query) -> html.Div:
    return current_app.config["coopatlas"].current().search_page(query)


def _authority_layout(code: str = "", **query) -> html.Div:
    return current_app.config["coopatlas"].current().authority_page(code, query)


def _country_layout(iso3: str = "", **query) -> html.Div:
    return current_app.config["coopatlas"].current().country_page(iso3, query)


def _region_layout(code: str = "", **query) -> html.Div:
    return current_app.config["coopatlas"].current().region_page(code, query)


def _embed_layout(chart: str = "", **query) -> html.Div:
    return current_app.config["coopatlas"].current().embed_page(chart, query)


def _data_layout(**query) -> html.Div:
    return current_app.config["coopatlas"].current().data_page(query)


def create_app(settings: Settings) -> Dash:
    """A Dash app serving one database. Raises :class:`DatabaseMissing` with the command to fix a missing file."""
    atlas = Atlas(settings.db)
    app = Dash(
        __name__, use_pages=True, pages_folder="", assets_folder=str(ASSETS), serve_locally=True,
        title="Atlas de la coopération décentralisée", update_title=None, suppress_callback_exceptions=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"},
                   {"name": "description", "content": "Partenariats des collectivités françaises avec des "
                                                      "collectivités étrangères : cartes, thèmes, ODD, budgets."}],
    )
    app.index_string = INDEX
    app.server.config["coopatlas"] = atlas
    dash.register_page("accueil", path="/", layout=_home_layout, name="Atlas", order=0)
    dash.register_page("suivi", path="/suivi", layout=_monitor_layout, name="Suivi des rééquilibrages", order=1,
                       title="Suivi des rééquilibrages — Atlas de la coopération décentralisée")
    dash.register_page("recherche", path="/recherche", layout=_search_layout, name="Recherche", order=3,
                       title="Recherche — Atlas de la coopération décentralisée")
    dash.register_page("collectivite", path_template="/collectivite/<code>", layout=_authority_layout,
                       name="Collectivité", order=4, title="Collectivité — Atlas de la coopération décentralisée")
    dash.register_page("pays", path_template="/pays/<iso3>", layout=_country_layout, name="Pays", order=5,
                       title="Pays — Atlas de la coopération décentralisée")
    dash.register_page("region", path_template="/region/<code>", layout=_region_layout, name="Région", order=6,
                       title="Région — Atlas de la coopération décentralisée")
    dash.register_page("embed", path_template="/embed/<chart>", layout=_embed_layout, name="Intégration", order=7,
                       title="Atlas de la coopération décentralisée")
    dash.register_page("donnees", path="/donnees", layout=_data_layout, name="Les données", order=2,
                       title="Les données — Atlas de la coopération décentralisée")
    app.layout = html.Div([dash.page_container])
    _routes(app, atlas)
    api.register(app.server, atlas)
    callbacks.register(app, atlas)
    callbacks.register_monitor(app, atlas)
    harden(app)
    return app


def _routes(app: Dash, atlas: Atlas) -> None:
    server = app.server

    @server.get("/geo/<build>/<name>.geojson")
    def geometry(build: str, name: str):
        snap = atlas.current()
        body = {"countries": snap.countries_geojson, "regions": snap.regions_geojson}.get(name)
        if body is None or build != snap.version:
            abort(404)
        return Response(body, mimetype="application/geo+json",
                        headers={"Cache-Control": "public, max-age=31536000, immutable"})

    exporter = Exporter(atlas, server)

    @server.get("/export/region/<code>.<fmt>")
    def export_region(code: str, fmt: str):
        return exporter.response(code, fmt, request.args.get("lang"))

    @server.get("/telecharger.csv")
    def download():
        snap = atlas.current()
        f = Filters.from_query(request.args.to_dict(flat=True), snap.vocab)
        return bounded(lambda: csv_response(snap.store, f))


def serve(db: str, host: str = "127.0.0.1", port: int = 8050, debug: bool = False, workers: int = 0,
          threads: int = 4) -> int:
    """``workers`` = 0: Flask's development server (one process, for a desk). ``workers`` ≥ 1: gunicorn, the
    production mode (see the README)."""
    import sys

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        app = create_app(Settings(db=db, debug=debug))  # also checks the database before any worker starts
    except DatabaseMissing as exc:
        print(f"coopatlas : {exc}", file=sys.stderr)
        return 2
    print(f"coopatlas : tableau de bord sur http://{host}:{port}/", flush=True)
    if workers:
        from dashboard import production

        app.server.config["coopatlas"].current().store.close()
        production.run(db, host, port, workers, threads)
        return 0
    app.run(host=host, port=port, debug=debug)
    return 0
