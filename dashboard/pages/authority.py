"""A French authority (``/collectivite/<key>``): its partnerships, partners on a map, timeline, themes and
budget, and who else works with the same partner authorities or in the same countries on the same themes."""

from __future__ import annotations

from urllib.parse import unquote

from dash import html

from dashboard import links, queries
from dashboard.catalogue import Context
from dashboard.components import data_table, frame, page_main
from dashboard.filters import Filters
from dashboard.i18n import euros, lang_of, number, t
from dashboard.pages import common, not_found
from dashboard.pages.registry import Page

CHARTS = (("a-map", "map-world", 420, "card chart wide"), ("a-themes", "ch-themes", 360, "card chart"),
          ("a-timeline", "ch-years-count", 360, "card chart"), ("a-budget", "ch-budget-dist", 340, "card chart"))


def known(snap, code: str = "") -> bool:
    return unquote(code or "") in snap.vocab.codes("collectivite")


def layout(snap, code: str = "", **query) -> html.Div:
    lang = lang_of(query.get("lang"))
    key = unquote(code or "")
    if not known(snap, code):
        return not_found.layout(snap, **query)
    store, f = snap.store, Filters(collectivite=key, lang=lang)
    info = queries.authority_info(store, key)
    v = Context(store, snap.reference, f, origin_region=info["region_code"])
    rows, _total = queries.partnerships_page(store, f, 0, 500, [{"colId": "start_year", "sort": "desc"}])
    table = data_table(t("table", lang), [t("year", lang), t("f_pays", lang), t("col_partner", lang),
                                          t("col_title", lang), t("budget_eur", lang)],
                       [[r.start_year if r.start_year == r.start_year else "—",
                         html.A(getattr(r, f"country_{lang}"), href=links.country(r.iso3, lang)),
                         r.partner_authority_name or "—", r.title or "—", euros(r.budget_eur, lang)]
                        for r in rows.itertuples()])
    others = queries.who_else(store, key)
    who = data_table(t("who_else", lang), [t("col_partner", lang), t("f_pays", lang), t("col_authority", lang),
                                           t("kpi_partnerships", lang)],
                     [[r.partner, getattr(r, f"country_{lang}"), html.A(r.name, href=links.authority(r.key, lang)),
                       number(r.partnerships, lang)] for r in others.itertuples()]
                     or [[t("who_else_none", lang), "", "", ""]], id_="who-else")
    near = queries.same_country_and_theme(store, key)
    theme_table = data_table(t("same_theme", lang), [t("f_pays", lang), t("f_theme", lang),
                                                     t("col_authority", lang), t("kpi_partnerships", lang)],
                             [[getattr(r, f"country_{lang}"), getattr(r, f"theme_{lang}"),
                               html.A(r.name, href=links.authority(r.key, lang)), number(r.partnerships, lang)]
                              for r in near.itertuples()])
    detail = " · ".join(x for x in (snap.vocab.label("type", info["type"], lang), info["dep"], info["region"],
                                    info["rrma"]) if isinstance(x, str) and x)
    body = page_main([
        html.H2(info["name"]), html.P(detail, className="subtitle-dark"),
        common.headline(v),
        common.actions(f.to_query(), lang),
        html.Div(common.cards(v, CHARTS), className="charts"),
        html.Div([html.Div(who, className="card"), html.Div(theme_table, className="card")], className="charts"),
        html.Div(table, className="card"),
    ])
    return frame(lang, snap.facts, links.lang_query(lang), body, "/collectivite", title=info["name"])


PAGE = Page("collectivite", "page_authority", layout, template="/collectivite/<code>", order=4, known=known,
            name_of=lambda snap, lang, code: snap.vocab.label("collectivite", unquote(code), lang)
            if known(snap, code) else None)
