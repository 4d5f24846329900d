"""Search results (``/recherche?q=…``): French authorities, partner authorities and countries in one box. A plain
GET form, so it works without JavaScript."""

from __future__ import annotations

from dash import html

from dashboard import links, queries
from dashboard.components import frame, page_main
from dashboard.i18n import lang_of, number, t, tn
from dashboard.pages.registry import Page

KIND_LABELS = {"collectivite": "kind_authority", "partenaire": "kind_partner", "pays": "kind_country"}
FIRST, ALL = 25, 500  # results shown, then with "show all"


def result_link(kind: str, key: str, lang: str) -> str:
    if kind == "collectivite":
        return links.authority(key, lang)
    return links.country(key.split("|", 1)[0], lang, "partenaires" if kind == "partenaire" else "")


def layout(snap, **query) -> html.Div:
    lang = lang_of(query.get("lang"))
    text = queries.valid_text(query.get("q"))[:100]
    everything = query.get("tout") == "1"
    results, total = queries.search(snap.store, text, ALL if everything else FIRST)
    items = [html.Li([html.A(r.label, href=result_link(r.kind, r.key, lang)), " ",
                      html.Span(f"{t(KIND_LABELS[r.kind], lang)} · {r.detail} · {number(r.n, lang)}",
                                className="hint")]) for r in results.itertuples()]
    body = page_main([
        html.H2(t("search_title", lang)),
        html.P(tn("search_count", total, lang, q=text) if text else t("search_help", lang), id="search-count"),
        html.Ol(items, className="results") if items else html.P(t("search_none", lang) if text else ""),
        html.P(html.A(tn("search_all", total, lang), href=links.search(text, lang, everything=True)))
        if total > len(results) else None,
    ])
    return frame(lang, snap.facts, links.search(text, lang, everything).partition("?")[2], body,
                 "/recherche", search=text,
                 title=t("search_title", lang))


PAGE = Page("recherche", "search_title", layout, path="/recherche", order=3)
