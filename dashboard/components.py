"""Pieces every page is built from: the frame (header, navigation, search, banner, footer), key-figure cards,
chart cards, plain tables, embed snippets and filter controls. Pure layout: data comes in as arguments."""

from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Collection
from dataclasses import dataclass

from dash import Dash, Input, Output, State, dcc, html

from dashboard import i18n, links
from dashboard.filters import Filter, Vocabulary, ranges
from dashboard.i18n import DASH, date, number, t, timestamp
from dashboard.ids import Ids

# showSendToCloud: plotly.js 3 adds by default a "Share chart..." button that uploads the chart to Plotly Cloud (an
# outside host; here it would only log an error), a button its French locale does not word either.
GRAPH_CONFIG = {"displaylogo": False, "responsive": True, "topojsonURL": "/assets/topojson/",
                "modeBarButtonsToRemove": ["select2d", "lasso2d"], "toImageButtonOptions": {"scale": 2},
                "showSendToCloud": False}


def graph_config(lang: str, static: bool = False) -> dict:
    """Plotly's configuration in the page's language: its toolbar speaks French with Plotly's own French locale
    (assets/plotly-locale-fr.js), English is Plotly's default."""
    return {**GRAPH_CONFIG, **({"locale": "fr"} if lang == "fr" else {}), **({"staticPlot": True} if static else {})}
# Dash's dropdown words (its ``labels`` keys), ``dropdown.<key>`` in the catalogues.
DROPDOWN_WORDS = ("select_all", "deselect_all", "selected_count", "search", "clear_search", "clear_selection",
                  "no_options_found")


@dataclass(frozen=True)
class BuildFacts:
    """What every page says about the database it shows."""

    is_demo: bool
    built_at: object  # datetime, UTC
    source_files: tuple[str, ...]
    loaded: int
    rejected: int
    geometry_sources: str
    edition: str | None = None  # the date of the kept edition shown, None for the latest build

    @property
    def built_on(self) -> str:
        """The build's date, ``YYYY-MM-DD``: the name of its edition."""
        return f"{self.built_at:%Y-%m-%d}"

    def source_line(self, lang: str) -> str:
        return t("source_line", lang, date=timestamp(self.built_at, lang), files=", ".join(self.source_files))


def filter_summary(f, vocab: Vocabulary, lang: str) -> str:
    """The view's filters in words ("Région : Bretagne · Pays partenaire : Mali, Niger · de : 2012"), so a chart
    shown elsewhere (an embed, a slide) says what it shows; the whole Atlas when nothing is set."""
    parts = []
    for spec, value in f.active():
        if spec.choices:
            text = t(dict(spec.choices)[value], lang)
        elif spec.control == "year":
            text = str(value)
        else:
            values = value if spec.multi else (value,)
            text = ", ".join(_short_label(v, vocab.label(spec.name, v, lang)) for v in values)
        parts.append(t(spec.summary, lang, value=text) if spec.summary
                     else t("filter_part", lang, label=t(spec.label, lang), value=text))
    return " · ".join(parts) if parts else t("all_partnerships", lang)


def _short_label(value, label: str) -> str:
    """A choice's label without its detail: "Bretagne" of "Bretagne — Réseau Bretagne Solidaire", "Finistère" of
    "29 — Finistère" (a label that starts with its code keeps the name)."""
    head, _, tail = label.partition(" — ")
    return tail if tail and head == str(value) else head


def _capital(node):
    """A header with a capital: its text, or a copy of the link it is (a sort link) with its first words so."""
    if isinstance(node, str):
        return node[:1].upper() + node[1:]
    children = getattr(node, "children", None)
    if isinstance(children, str) or (isinstance(children, list) and children and isinstance(children[0], str)):
        node = copy.copy(node)
        node.children = _capital(children) if isinstance(children, str) else [_capital(children[0]), *children[1:]]
    return node


def _text(node) -> str:
    """A header's words: its text, or the text of the link it is (a sort link, its arrow left out)."""
    if isinstance(node, list | tuple):
        return _text(node[0]) if node else ""
    return node if isinstance(node, str) else _text(getattr(node, "children", "") or "")


_NUMBER = r"\d{1,3}(?:[\s.,]\d{3})*(?:[.,]\d+)?|\d+(?:[.,]\d+)?"  # "12 028", "4,2", "2025" (\s: no-break too)
_FIGURE = re.compile(rf"[+\-\u2212]?(?:€(?:{_NUMBER})[KMB]?|(?:{_NUMBER})(?:\s?%|\s?€|\s?(?:k|M|Md)\s?€)?)")
"""A written figure: a count, a share, an amount ("12 028", "-4,2 %", "1,2 M €", "-€5,000", "€3.4B")."""


def _figures(rows: list[list], column: int) -> bool:
    """A column of written numbers (the unknown ones "—"), to align on the right as figures are."""
    cells = [row[column] for row in rows if len(row) > column and row[column] != DASH]
    return bool(cells) and all(isinstance(c, int | float) or (isinstance(c, str) and _FIGURE.fullmatch(c))
                               for c in cells)


def data_table(caption: str, headers: list, rows: list[list], id_: str | None = None,
               sort: list[str | None] | None = None, caption_shown: bool = True) -> html.Table:
    """A plain, accessible table (caption, column headers) for figures that read best as text. A sortable table
    (its headers are sort links) has ``sort``, each column's ``aria-sort`` (``ascending``, ``descending`` or None);
    ``caption_shown=False`` keeps the caption for screen readers only (a heading above says it). Columns of
    figures are aligned on the right, words on the left.

    On a phone each row is a block of its own, each cell after its column's name (``data-label``, style.css):
    the columns no longer run off the screen. The explicit roles keep it a table for screen readers, which
    drop a table's semantics once its parts are not displayed as table parts."""
    sortable = sort is not None
    sort = sort or [None] * len(headers)
    headers = [_capital(h) for h in headers]  # "partenariats" is a unit's word: a header starts with a capital
    labels = [_text(h) for h in headers]
    align = ["num" if _figures(rows, i) else None for i in range(len(headers))]
    return html.Table([
        html.Caption(caption, className=None if caption_shown else "visually-hidden"),
        html.Thead(html.Tr([html.Th(h, scope="col", role="columnheader", className=a,
                                    **({"aria-sort": s} if s else {})) for h, s, a in zip(headers, sort, align)],
                           role="row"), role="rowgroup"),
        html.Tbody([html.Tr([html.Td(c, role="cell", className=a, **{"data-label": label})
                             for c, label, a in zip(row, labels, align)], role="row") for row in rows],
                   role="rowgroup"),
    ], className="data-table sortable" if sortable else "data-table", role="table",
        **({"id": id_} if id_ else {}))


def prefill(tree, out: dict):
    """A page's layout with its first view filled in from its callback's outputs ("component.property" → value),
    so the page draws at once and its callback runs only when a control changes. Every output must find its
    component: a layout and a callback that drift apart fail here rather than show a half-empty page."""
    wanted: dict[str, dict[str, object]] = {}
    for key, value in out.items():
        component_id, prop = key.rsplit(".", 1)
        wanted.setdefault(component_id, {})[prop] = value
    for component in (tree, *tree._traverse()):
        for prop, value in wanted.pop(getattr(component, "id", None), {}).items():
            setattr(component, prop, value)
    if wanted:
        raise ValueError(f"outputs without a component in the layout: {sorted(wanted)}")
    return tree


def kpi_cards(cards: list[tuple], class_name: str = "kpis", live: bool = False) -> html.Section:
    """Key figures: ``(value, label)`` or ``(value, label, id, note_id)`` where the callback fills the value (and
    the label, at ``<id>-label``, whose plural follows the value)."""
    items = []
    for value, label, *ids in cards:
        value_id, note_id = (ids + [None, None])[:2]
        children = [html.Div(value, className="kpi-value", **({"id": value_id} if value_id else {})),
                    html.Div(label, className="kpi-label", **({"id": f"{value_id}-label"} if value_id else {}))]
        if note_id:
            children.append(html.Div(id=note_id, className="kpi-note"))
        items.append(html.Div(children, className="kpi"))
    return html.Section(items, className=class_name, **({"aria-live": "polite"} if live else {}))


def embed_box(id_: str, lang: str) -> html.Details:
    """"Intégrer": the <iframe> snippet of this chart's embed view, kept in step with the view's URL."""
    return html.Details([
        html.Summary(t("embed", lang)),
        html.Label(t("embed_help", lang), htmlFor=f"{id_}-embed", className="hint"),
        dcc.Textarea(id=f"{id_}-embed", readOnly=True, className="embed-code", rows=4),
        html.Button(t("copy_code", lang), id=f"{id_}-embed-copy", n_clicks=0, className="secondary"),
        html.Span(id=f"{id_}-embed-status", role="status", className="copy-status"),
    ], className="embed")


def share_actions(lang: str, csv_href: str | None = None, built_at=None) -> html.Div:
    """"Copier le lien" (the view's address), "Copier le lien citable" (pinned to the edition shown, built at
    ``built_at``) and, when given, the view's CSV link: the same on every page that has a view to share (the
    callbacks are :func:`register_frame`'s)."""
    return html.Div([
        html.Button(t("copy_link", lang), id=Ids.COPY_LINK, n_clicks=0),
        html.Button(t("copy_citable", lang), id=Ids.COPY_CITABLE, n_clicks=0, className="secondary",
                    title=t("copy_citable_hint", lang, date=date(built_at, lang))) if built_at else None,
        html.Span(id=Ids.COPY_STATUS, role="status", className="copy-status"),
        html.A(t("download_csv", lang), id=Ids.CSV_LINK, href=csv_href, download="", className="button")
        if csv_href is not None else None,
    ], className="actions")


def filters_toggle(lang: str) -> html.Button:
    """Phones and tablets: the button opening the filters (``#filters-panel``) as a drawer."""
    return html.Button(t("filters", lang), id="filters-toggle", n_clicks=0, className="filters-toggle secondary",
                       **{"aria-controls": "filters-panel", "aria-expanded": "false"})


def register_embeds(app: Dash, ids: list[str]) -> None:
    """"Intégrer" under the charts ``ids``: each chart's <iframe> snippet follows the current view, and "Copier
    le code" copies it."""
    app.clientside_callback(
        "function(query, words) { const ids = " + json.dumps(list(ids)) + """;
            const base = window.location.origin + '/embed/';
            return ids.map(id => '<iframe src="' + base + id + (query ? '?' + query : '') +
                '" width="100%" height="480" style="border:0" loading="lazy" title="' + words.title +
                '"></iframe>');
        }""",
        [Output(f"{i}-embed", "value") for i in ids], Input(Ids.PERMALINK, "data"), State(Ids.WORDS, "data"))
    for i in ids:
        app.clientside_callback(
            """async function(n, code, words) {
                if (!n) { return window.dash_clientside.no_update; }
                try { await navigator.clipboard.writeText(code); return words.code_copied; }
                catch (e) { return ''; }
            }""",
            Output(f"{i}-embed-status", "children"), Input(f"{i}-embed-copy", "n_clicks"),
            State(f"{i}-embed", "value"), State(Ids.WORDS, "data"), prevent_initial_call=True,
        )


def chart_card(id_: str, title: str, height: int, lang: str, figure=None, summary=None, extra=None,
               class_name: str = "card chart", heading=html.H3, embed: bool = False) -> html.Figure:
    """A graph with its title, an optional hint or control line, its one-sentence summary and, on the
    dashboard, its embed snippet. Without ``figure`` a callback fills the graph and the summary."""
    graph = dcc.Graph(id=id_, config=graph_config(lang), className="graph", style={"height": f"{height}px"},
                      **({"figure": figure} if figure is not None else {}))
    return html.Figure([
        heading(title, id=f"{id_}-title"),
        html.P(extra, className="hint") if extra else None,
        # the graph's height is kept from the start: Dash's placeholder, until the graph's code has loaded, has
        # no height, and the page below it would jump (and AG Grid, assets/grid-loader.js, seem near the top)
        html.Div(graph, className="graph-box", style={"minHeight": f"{height}px"}),
        html.Figcaption(summary, id=f"{id_}-summary", className="summary"),
        embed_box(id_, lang) if embed else None,
    ], className=class_name, **{"aria-labelledby": f"{id_}-title", "aria-describedby": f"{id_}-summary"})


def dropdown(id_: str, options: list[dict], value, lang: str, multi: bool = False, clearable: bool = True):
    labels = {k: t(f"dropdown.{k}", lang) for k in DROPDOWN_WORDS}
    return dcc.Dropdown(id=id_, options=options, value=value, multi=multi, clearable=clearable,
                        placeholder=t("all", lang), searchable=True, optionHeight=40, labels=labels)


def year_input(id_: str, value, first: int, last: int, hint: int | None = None) -> dcc.Input:
    """A typed four-digit year (a text box, not a number spinner: Dash's spinner buttons are labelled in English
    only and its box clipped four digits)."""
    return dcc.Input(id=id_, type="text", inputMode="numeric", pattern="[0-9]{4}", maxLength=4, minLength=4,
                     value=None if value is None else str(value), placeholder=str(hint or first), debounce=True,
                     className="year", autoComplete="off", min=first, max=last)


def year_marks(first: int, last: int) -> dict[int, str]:
    """The marks of a year slider: its two ends and a few round years between, spaced so that four-digit labels
    never touch in a 250 px wide panel (at most five marks, none within an eighth of the span of another)."""
    span = max(last - first, 1)
    step = 10 * max(1, -(-span // 40))  # a round step: at most about four marks across the span
    inner = [y for y in range(first - first % step + step, last, step)
             if y - first >= span / 8 and last - y >= span / 8]
    return {y: str(y) for y in [first, *inner, last]} if last > first else {first: str(first)}


def year_range(id_: str, low, high, first: int, last: int) -> dcc.RangeSlider:
    """The slider of a year range, kept in step with its two typed inputs (the dashboard's callbacks); its own
    input boxes are off (the typed inputs are the filters' controls) and its value is sent on release."""
    return dcc.RangeSlider(id=id_, min=first, max=last, step=1, value=[low or first, high or last],
                           marks=year_marks(first, last), allowCross=False, allow_direct_input=False,
                           updatemode="mouseup", className="year-range")


def range_inputs(span, first: int, last: int) -> tuple[str | None, str | None] | None:
    """What a year slider's value writes in its two typed inputs: an end at the data's bound leaves its input
    empty (no filter, the URL stays short; the placeholder shows the bound). ``None`` for anything but two
    ordered years (whatever a browser sent)."""
    if not (isinstance(span, list | tuple) and len(span) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in span)):
        return None
    low, high = (min(max(round(v), first), last) for v in span)
    if low > high:
        return None
    return (None if low == first else str(low)), (None if high == last else str(high))


def field(label: str, control, control_id: str) -> html.Div:
    return html.Div([html.Label(label, htmlFor=control_id), control], className="field")


def filter_controls(specs: tuple[Filter, ...], values: dict, vocab: Vocabulary, lang: str,
                    prefix: str = "f-", labels: dict[str, str] | None = None, required: Collection[str] = ()) -> list:
    """The controls of a set of filters, in order; consecutive filters of one ``group`` share a fieldset, which
    holds their range slider when they name one (with the place of its message, ``<id>-problem``).
    ``labels`` replaces some filters' label keys (the monitor words its controls its own way); the dropdowns of
    ``required`` filters cannot be emptied (the monitor always follows a zone: emptied, its box read "Tous" while
    its charts still showed the Sahel)."""
    labels = labels or {}
    highs = {high.name: (name, low) for name, low, high in ranges(specs)}
    out: list = []
    group: list = []
    slider: list = []

    def close_group(legend: str | None) -> None:
        if group:
            out.append(html.Fieldset([html.Legend(t(legend, lang)), html.Div(list(group), className="years"),
                                      *slider], className="year-fieldset" if slider else None))
            group.clear()
            slider.clear()

    current = None
    for spec in specs:
        if spec.group != current:
            close_group(current)
            current = spec.group
        id_ = f"{prefix}{spec.name}"
        value = values.get(spec.name, spec.default)
        if spec.control == "year":
            hint = vocab.last_year if group else vocab.first_year  # "from" shows the first year, "to" the last
            group.extend([html.Label(t(spec.label, lang), htmlFor=id_),
                          year_input(id_, value, vocab.first_year, vocab.last_year, hint)])
            if spec.name in highs:  # the range's high end: its slider follows the two inputs
                range_name, low = highs[spec.name]
                range_id = f"{prefix}{range_name}"
                slider.extend([year_range(range_id, values.get(low.name), value, vocab.first_year, vocab.last_year),
                               html.P(id=f"{range_id}-problem", className="year-problem", role="alert")])
        elif spec.control == "radio":
            choices = [{"label": t("budget_all", lang), "value": ""}] + [
                {"label": t(label, lang), "value": v} for v, label in spec.choices]
            out.append(html.Fieldset([html.Legend(t(spec.label, lang)),
                                      dcc.RadioItems(id=id_, value=value or "", inline=True, options=choices)]))
        else:
            parent = values.get(spec.depends_on) if spec.depends_on else None
            options = vocab.choices(spec.name, lang, parent)
            current_value = list(value) if spec.multi else value
            out.append(field(t(labels.get(spec.name, spec.label), lang),
                             dropdown(id_, options, current_value, lang, multi=spec.multi,
                                      clearable=spec.name not in required), id_))
    close_group(current)
    return out


NAV = (("/", "nav_home"), ("/suivi", "nav_monitor"), ("/donnees", "nav_data"), ("/nouveautes", "news_title"),
       ("/api/v1/", "nav_api"))


def frame(lang: str, facts: BuildFacts, permalink: str, body, current: str, search: str = "",
          title: str | None = None) -> html.Div:
    """What every page shares: skip link, header with navigation, search and language, demo banner, the state
    stores, the footer with the build's facts. ``title`` names the page in the browser's tab (in its language)."""
    tab = f"{title} — {t('title', lang)}" if title else t("title", lang)
    banner = html.Div(t("demo_banner", lang), className="demo-banner", role="status", id="demo-banner") \
        if facts.is_demo else None
    # a pinned edition says so, with the same view in the latest edition (always there, hidden when not pinned,
    # so that the frame's callback finds it on every page)
    notice = html.P([t("edition_notice", lang, date=i18n.date(facts.built_at, lang)), " ",
                     html.A(t("edition_latest", lang), id=Ids.EDITION_LATEST, href=links.latest(permalink))],
                    id=Ids.EDITION_NOTICE, className="edition-notice", role="status", hidden=not facts.edition)
    footer_text = t("footer", lang, date=timestamp(facts.built_at, lang), files=", ".join(facts.source_files),
                    loaded=number(facts.loaded, lang), rejected=number(facts.rejected, lang),
                    geo=facts.geometry_sources)
    nav = html.Nav([html.A(t(key, lang), href=path if path.startswith("/api") else links.page(path, lang),
                           className="current" if path == current else None,
                           **({"aria-current": "page"} if path == current else {}))
                    for path, key in NAV], className="nav", **{"aria-label": t("nav_label", lang)})
    other = i18n.other(lang)
    return html.Div([
        html.A(t("skip", lang), href="#main", className="skip"),
        html.Header([
            html.Div([html.H1(t("title", lang)),
                      html.P(t("subtitle", lang), className="subtitle"), nav]),
            html.Form([
                html.Label(t("search_label", lang), htmlFor="site-search", className="visually-hidden"),
                dcc.Input(id="site-search", name="q", type="search", value=search, placeholder=t("search_label", lang),
                          className="search", minLength=2, maxLength=100),
                *[dcc.Input(type="hidden", name=k, value=v) for k, v in links.lang_params(lang).items()],
                html.Button(t("search_button", lang), type="submit"),
            ], action="/recherche", method="get", role="search", className="site-search"),
            # the page's view in the other language (a search keeps its words); the dashboard's and the
            # monitor's callbacks set it again as their filters change
            html.A(t("language", lang), id=Ids.LANG_LINK, hrefLang=other, className="lang",
                   href=links.switch_language(links.in_language(permalink, other))),
        ], className="top"),
        banner,
        notice,
        dcc.Store(id=Ids.LANG, data=lang),
        dcc.Store(id=Ids.EDITION, data=facts.edition or ""),
        dcc.Store(id=Ids.PERMALINK, data=permalink),
        dcc.Store(id=Ids.WORDS, data={"title": t("title", lang), "copied": t("link_copied", lang), "tab": tab,
                                      "code_copied": t("code_copied", lang), "edition": facts.built_on,
                                      "citable_copied": t("citable_copied", lang)}),
        html.Div(id="url-sync", hidden=True),
        body,
        html.Footer(html.P(footer_text), className="footer"),
    ], lang=lang, className="page")


def register_frame(app: Dash) -> None:
    """The frame's one callback: the address bar and the document's language follow the view without a reload;
    each new view is a step of the browser's history, so Back and Forward walk through the filter states (Dash's
    location re-renders the page from the address)."""
    app.clientside_callback(
        """function(query, lang, synced, words) {
            document.documentElement.lang = lang || 'fr';
            if (words && words.tab) { document.title = words.tab; }
            const url = window.location.pathname + (query ? '?' + query : '');
            if (url !== window.location.pathname + window.location.search) {
                // the page's first view only tidies its own address; later views are new steps of history, but
                // a play through the years is one step (its first year), each next year replacing the last
                const playing = window.coopatlasPlaying;
                if (playing === 'start') { window.coopatlasPlaying = true; }
                if (synced && playing !== true) { window.history.pushState(null, '', url); }
                else { window.history.replaceState(null, '', url); }
            }
            window.coopatlasView = url;  // assets/history.js: which view the address bar shows
            return url;
        }""",
        Output("url-sync", "children"), Input(Ids.PERMALINK, "data"), State(Ids.LANG, "data"),
        State("url-sync", "children"), State(Ids.WORDS, "data"),
    )
    app.clientside_callback(  # share_actions: "Copier le lien" copies the view's address
        """async function(n, words) {
            if (!n) { return window.dash_clientside.no_update; }
            try {
                await navigator.clipboard.writeText(window.location.href);
                return words.copied;
            } catch (e) {
                return window.location.href;
            }
        }""",
        Output(Ids.COPY_STATUS, "children"), Input(Ids.COPY_LINK, "n_clicks"), State(Ids.WORDS, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(  # filters_toggle: on phones the filters open and close as a drawer
        """function(n) {
            const open = (n || 0) % 2 === 1;
            document.getElementById('filters-toggle').setAttribute('aria-expanded', open ? 'true' : 'false');
            return open ? 'filters open' : 'filters';
        }""",
        Output("filters-panel", "className"), Input("filters-toggle", "n_clicks"), prevent_initial_call=True,
    )
    app.clientside_callback(  # share_actions: "Copier le lien citable", the address pinned to the edition shown
        r"""async function(n, words) {
            if (!n) { return window.dash_clientside.no_update; }
            const kept = window.location.search.replace(/^\?/, '').split('&')
                .filter(p => p && !p.startsWith('edition='));
            kept.push('edition=' + words.edition);
            const url = window.location.origin + window.location.pathname + '?' + kept.join('&');
            try {
                await navigator.clipboard.writeText(url);
                return words.citable_copied;
            } catch (e) {
                return url;
            }
        }""",
        Output(Ids.COPY_STATUS, "children", allow_duplicate=True), Input(Ids.COPY_CITABLE, "n_clicks"),
        State(Ids.WORDS, "data"), prevent_initial_call=True,
    )
    app.clientside_callback(  # the pinned edition's notice links to the view shown, in the latest edition
        """function(query) {
            const kept = (query || '').split('&').filter(p => p && !p.startsWith('edition='));
            return '?' + kept.join('&');
        }""",
        Output(Ids.EDITION_LATEST, "href"), Input(Ids.PERMALINK, "data"), prevent_initial_call=True,
    )


def page_main(children: list, class_name: str | None = None) -> html.Div:
    """The main landmark of a single-column page."""
    return html.Div(html.Main(children, id="main", tabIndex="-1", **({"className": class_name} if class_name
                                                                          else {})), className="body single")
