"""Callbacks: thin glue between controls and :mod:`dashboard.views`. Registered by a function that receives its
dependencies, so that every app (and every test) has its own."""

from __future__ import annotations

import json
from dataclasses import replace
from urllib.parse import parse_qs

from dash import Dash, Input, Output, State, ctx, no_update

from dashboard import monitor, queries
from dashboard.filters import SEP, Filters, Vocabulary
from dashboard.i18n import number, t
from dashboard.ids import FILTER_INPUTS, Ids
from dashboard.state import Atlas
from dashboard.views import EMBEDDABLE, MAIN_OUTPUTS


def controls_to_query(values: dict, lang: str) -> dict:
    """Control values in the form of URL parameters, so they go through the same validation as a link."""
    def joined(v):
        return SEP.join(str(x) for x in v) if isinstance(v, list | tuple) else v

    return {
        "region": values[Ids.REGION], "rrma": values[Ids.RRMA], "departement": values[Ids.DEPARTEMENT],
        "type": values[Ids.TYPE],
        "pays": joined(values[Ids.PAYS] or []), "zone": values[Ids.ZONE], "theme": values[Ids.THEME],
        "odd": joined(values[Ids.ODD] or []), "debut": values[Ids.DEBUT], "fin": values[Ids.FIN],
        "action": values[Ids.ACTION], "budget": values[Ids.BUDGET], "mesure": values[Ids.METRIC], "lang": lang,
    }


def register_monitor(app: Dash, atlas: Atlas) -> None:
    outputs = [o for c in monitor.CHARTS for o in (Output(c, "figure"), Output(f"{c}-summary", "children"))]
    outputs += [Output("mon-regions", "children"), Output("mon-movers", "children"),
                Output(Ids.PERMALINK, "data", allow_duplicate=True), Output(Ids.LANG_LINK, "href",
                                                                            allow_duplicate=True)]

    @app.callback(outputs, [Input(i, "value") for i in monitor.INPUTS], State(Ids.LANG, "data"),
                  prevent_initial_call="initial_duplicate")
    def update_monitor(*args):
        *values, lang = args
        snap = atlas.current()
        m = monitor.state_from_controls(dict(zip(monitor.INPUTS, values)), _lang(lang), snap.vocab)
        out = monitor.view(snap.store, m, snap.zone_names[m.filters.lang])
        other = replace(m, filters=replace(m.filters, lang="en" if m.filters.lang == "fr" else "fr"))
        return (*[out[k] for c in monitor.CHARTS for k in (c, f"{c}-summary")], out["mon-regions"],
                out["mon-movers"], m.to_query(), f"?{other.to_query()}")


def parse_qs_single(query) -> dict:
    """A query string as a dict; a repeated key keeps its last value; anything but a string is empty."""
    return {k: v[-1] for k, v in parse_qs(query if isinstance(query, str) else "").items()}


def _lang(value) -> str:
    return value if value in ("fr", "en") else "fr"


def _codes(value) -> list[str]:
    """A multi-select's value as a list of strings, whatever the browser sent."""
    return [str(v) for v in value if isinstance(v, str | int)] if isinstance(value, list) else []


def filters_from_permalink(query: str, vocab: Vocabulary) -> Filters:
    return Filters.from_query(parse_qs_single(query), vocab)


def register(app: Dash, atlas: Atlas) -> None:
    """Every callback reads the atlas's current snapshot, so a new build is picked up without a restart."""
    outputs = [Output(component, prop) for component, prop in MAIN_OUTPUTS]

    @app.callback(outputs, [Input(i, "value") for i in FILTER_INPUTS], State(Ids.LANG, "data"))
    def update(*args):
        *values, lang = args
        snap = atlas.current()
        return snap.render(Filters.from_query(controls_to_query(dict(zip(FILTER_INPUTS, values)), lang), snap.vocab))

    @app.callback(Output(Ids.PAYS, "value"), Input(Ids.WORLD, "clickData"), Input(Ids.CLEAR_COUNTRY, "n_clicks"),
                  State(Ids.PAYS, "value"), prevent_initial_call=True)
    def click_country(click, _clear, current):
        if ctx.triggered_id == Ids.CLEAR_COUNTRY:
            return []
        iso3 = _clicked(click)
        if not iso3 or iso3 not in atlas.current().vocab.countries:
            return no_update
        current = _codes(current)
        return [c for c in current if c != iso3] if iso3 in current else [*current, iso3]

    @app.callback(Output(Ids.REGION, "value"), Input(Ids.FRANCE, "clickData"), State(Ids.REGION, "value"),
                  prevent_initial_call=True)
    def click_region(click, current):
        code = _clicked(click)
        if not code or code not in atlas.current().vocab.regions:
            return no_update
        return None if isinstance(current, str) and code == current else code

    @app.callback(Output(Ids.DEPARTEMENT, "options"), Output(Ids.DEPARTEMENT, "value", allow_duplicate=True),
                  Input(Ids.REGION, "value"), State(Ids.DEPARTEMENT, "value"), prevent_initial_call=True)
    def departements_of_region(region, current):
        options = [{"label": d["label"], "value": d["value"]} for d in atlas.current().options.departements
                   if not region or d["region"] == region]
        keep = current if isinstance(current, str) and current in {o["value"] for o in options} else None
        return options, keep

    @app.callback([Output(i, "value", allow_duplicate=True) for i in FILTER_INPUTS if i != Ids.METRIC],
                  Input(Ids.RESET, "n_clicks"), prevent_initial_call=True)
    def reset(_n):
        return [None, None, None, None, [], None, None, [], None, None, None, ""]

    @app.callback(Output(Ids.GRID, "getRowsResponse"), Output(Ids.TABLE_COUNT, "children"),
                  Input(Ids.GRID, "getRowsRequest"), State(Ids.PERMALINK, "data"), State(Ids.SEARCH, "value"),
                  State(Ids.LANG, "data"), prevent_initial_call=True)
    def rows(request, query, search, lang):
        if not isinstance(request, dict):
            return no_update, no_update
        lang = _lang(lang)
        snap = atlas.current()
        f = filters_from_permalink(query, snap.vocab)
        df, total = queries.partnerships_page(snap.store, f, request.get("startRow", 0), request.get("endRow", 20),
                                              request.get("sortModel"), search)
        records = df.astype(object).where(df.notna(), None).to_dict("records")
        label = f"{number(total, lang)} {t('kpi_partnerships', lang)}"
        return {"rowData": records, "rowCount": total}, label

    # The address bar follows the view without a page reload, and the table restarts from its first page.
    app.clientside_callback(
        """function(query, lang) {
            document.documentElement.lang = lang || 'fr';
            const url = window.location.pathname + (query ? '?' + query : '');
            if (url !== window.location.pathname + window.location.search) {
                window.history.replaceState(null, '', url);
            }
            return '';
        }""",
        Output("url-sync", "children"), Input(Ids.PERMALINK, "data"), State(Ids.LANG, "data"),
    )
    app.clientside_callback(
        """async function(query, search) {
            const api = await dash_ag_grid.getApiAsync('grid');
            api.purgeInfiniteCache();
            return window.dash_clientside.no_update;
        }""",
        Output("grid-sync", "children"), Input(Ids.PERMALINK, "data"), Input(Ids.SEARCH, "value"),
        prevent_initial_call=True,
    )
    # "Intégrer": every chart's <iframe> snippet follows the current view.
    snippet_js = ("function(query, lang) { const ids = " + json.dumps(list(EMBEDDABLE)) + """;
            const base = window.location.origin + '/embed/';
            return ids.map(id => '<iframe src="' + base + id + (query ? '?' + query : '') +
                '" width="100%" height="480" style="border:0" loading="lazy" title="' +
                (lang === 'en' ? 'Atlas of French decentralised cooperation' :
                 'Atlas de la coopération décentralisée') + '"></iframe>');
        }""")
    app.clientside_callback(snippet_js, [Output(f"{c}-embed", "value") for c in EMBEDDABLE],
                            Input(Ids.PERMALINK, "data"), State(Ids.LANG, "data"))
    app.clientside_callback(
        """async function(n, lang) {
            if (!n) { return ''; }
            try {
                await navigator.clipboard.writeText(window.location.href);
                return lang === 'en' ? 'Link copied' : 'Lien copié';
            } catch (e) {
                return window.location.href;
            }
        }""",
        Output(Ids.COPY_STATUS, "children"), Input(Ids.COPY_LINK, "n_clicks"), State(Ids.LANG, "data"),
    )


def _clicked(click) -> str | None:
    try:
        return str(click["points"][0]["customdata"])
    except (TypeError, KeyError, IndexError):
        return None
