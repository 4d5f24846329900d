"""The app factory: ``create_app(settings)`` opens the database read-only and registers every page of
:data:`dashboard.pages.PAGES`, the downloads and the API; nothing happens at import time."""

from __future__ import annotations

import functools
import re
from html import escape
from pathlib import Path

import dash
from dash import Dash, html
from flask import Response, abort, current_app, request

from dashboard import api, components, downloads, links, pages, scripts
from dashboard.filters import query_dict
from dashboard.http import harden
from dashboard.i18n import lang_of, t
from dashboard.pages import PAGES
from dashboard.snapshot import Atlas
from etl.editions import UnknownEdition
from etl.settings import Settings

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

__all__ = ["Settings", "create_app"]


def _layout(page, **kwargs) -> html.Div:
    """A page's layout for the current build, or for the kept edition its address pins (Dash passes path
    variables and query parameters); an edition that is not kept shows the 404 page, listing those that are."""
    atlas = current_app.config["coopatlas"]
    edition = kwargs.get("edition")
    try:
        snap = atlas.snapshot(edition if isinstance(edition, str) else None)
    except UnknownEdition as exc:
        return pages.not_found.layout(atlas.current(), unknown_edition=exc, **kwargs)
    with links.pinned(snap.facts.edition):
        return page.layout(snap, **kwargs)


def _request_lang() -> str:
    """The language of the page being served, or of the page a navigation callback renders."""
    if request.path.endswith("/_dash-update-component"):
        search = (dash.callback_context.inputs or {}).get("_pages_location.search") or ""
        return lang_of(query_dict(str(search).lstrip("?")).get("lang"))
    return lang_of(request.args.get("lang"))


def _title(page, **variables) -> str:
    """The browser tab's title, in the page's language, with the page's own name (a region's, a country's)
    when it has one (Dash asks for it when it renders a page)."""
    lang = _request_lang()
    name = None
    if page.name_of and variables:
        name = page.name_of(current_app.config["coopatlas"].current(), lang, **variables)
    if name is None and page.title != "title":
        name = t(page.title, lang)
    return f"{name} — {t('title', lang)}" if name else t("title", lang)


def create_app(settings: Settings) -> Dash:
    """A Dash app serving one database. Raises :class:`DatabaseMissing` with the command to fix a missing file."""
    atlas = Atlas(settings.db, threads=settings.query_threads, cache_dir=settings.cache_dir)
    scripts.defer_ag_grid()
    scripts.drop_data_table()
    scripts.drop_babel_polyfill()
    app = Dash(
        __name__, use_pages=True, pages_folder="", assets_folder=str(ASSETS), serve_locally=True,
        title=t("title"), update_title=None, suppress_callback_exceptions=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"},
                   {"name": "description", "content": t("meta_description")}],
    )
    app.index_string = INDEX
    _index_in_the_request_language(app)
    app.server.config["coopatlas"] = atlas
    app.server.config["coopatlas.settings"] = settings
    for page in PAGES:
        dash.register_page(page.name, path=page.path, path_template=page.template, name=t(page.title),
                           title=functools.partial(_title, page), order=page.order,
                           layout=functools.partial(_layout, page))
        if page.register:
            page.register(app, atlas)
    app.layout = html.Div([dash.page_container])
    _not_found_status(app, atlas)
    components.register_frame(app)
    _geometry(app, atlas)
    downloads.register(app.server, atlas)
    api.register(app.server, atlas)
    harden(app)
    return app


def _index_in_the_request_language(app: Dash) -> None:
    """The page Dash serves carries the language of the address (``lang=en``) in ``<html lang>`` before any
    script runs (screen readers, search engines); its title comes from :func:`_title`."""
    interpolate = app.interpolate_index

    def interpolate_index(**kwargs):
        html_text = interpolate(**kwargs)
        lang = lang_of(request.args.get("lang"))
        page, variables = next(((p, v) for p in PAGES if (v := p.match(request.path)) is not None),
                               (pages.not_found.PAGE, {}))
        title = escape(_title(page, **variables))
        html_text = re.sub(r"<title>.*?</title>", lambda _m: f"<title>{title}</title>", html_text, count=1,
                           flags=re.S)
        return html_text if lang == "fr" else html_text.replace('<html lang="fr">', f'<html lang="{lang}">', 1)

    app.interpolate_index = interpolate_index


def _not_found_status(app: Dash, atlas: Atlas) -> None:
    """Dash serves its page for every path; an address that is no page (or names a code the build does not
    have) answers 404, so links checkers and search engines see it, while the page shows why."""
    @app.server.after_request
    def status(response: Response) -> Response:
        if request.method == "GET" and response.status_code == 200 and response.mimetype == "text/html" \
                and request.endpoint in ("/", "/<path:path>") \
                and (not pages.known(atlas.current(), request.path) or not _kept(atlas, request.args.get("edition"))):
            response.status_code = 404
        return response


def _kept(atlas: Atlas, edition: str | None) -> bool:
    """Whether an address's ``edition`` (none: the latest) is one the app can show."""
    if not edition:
        return True
    try:
        atlas.snapshot(edition)
    except UnknownEdition:
        return False
    return True


def _geometry(app: Dash, atlas: Atlas) -> None:
    @app.server.get("/geo/<build>/<name>.geojson")
    def geometry(build: str, name: str):
        snap = atlas.current()
        if build != snap.geometry_version:  # an edition's layers (the latest's are found without a lock)
            snap = next((s for s in atlas.loaded() if s.geometry_version == build), None)
        layers = {} if snap is None else {"countries": snap.countries_geojson, "regions": snap.regions_geojson,
                                           "departements": snap.departements_geojson}
        body = layers.get(name)
        if body is None:
            abort(404)
        return Response(body, mimetype="application/geo+json",
                        headers={"Cache-Control": "public, max-age=31536000, immutable"})
