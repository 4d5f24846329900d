"""A partner country (``/pays/<iso3>``): the French regions and authorities involved, themes, years, and each
partner authority with the French authorities working with it."""

from __future__ import annotations

from dash import html

from dashboard import links, queries
from dashboard.catalogue import Context
from dashboard.components import data_table, frame, page_main
from dashboard.filters import Filters
from dashboard.i18n import lang_of, number, t
from dashboard.pages import common, not_found
from dashboard.pages.registry import Page

CHARTS = (("c-map", "map-france", 420, "card chart"), ("c-authorities", "ch-top-authorities", 440, "card chart"),
          ("c-themes", "ch-themes", None, "card chart"), ("c-years", "ch-years-count", 360, "card chart"))


def known(snap, iso3: str = "") -> bool:
    return (iso3 or "").upper() in snap.vocab.codes("pays")


def layout(snap, iso3: str = "", **query) -> html.Div:
    lang = lang_of(query.get("lang"))
    iso3 = (iso3 or "").upper()
    if not known(snap, iso3):
        return not_found.layout(snap, **query)
    f = Filters(pays=(iso3,), lang=lang)
    v = Context(snap.store, snap.reference, f)
    partners = queries.partners_of_country(snap.store, iso3)
    body = page_main([
        html.H2(snap.vocab.label("pays", iso3, lang)),
        common.headline(v),
        common.actions(f.to_query(), lang),
        html.Div(common.cards(v, CHARTS), className="charts"),
        html.Div(data_table(t("partners_of_country", lang), [t("col_partner", lang), t("kpi_authorities", lang),
                                                             t("col_authority", lang)],
                            [[r.partner, number(r.authorities, lang), r.names] for r in partners.itertuples()],
                            id_="partenaires"), className="card"),
    ])
    return frame(lang, snap.facts, links.lang_query(lang), body, "/pays", title=snap.vocab.label("pays", iso3, lang))


PAGE = Page("pays", "page_country", layout, template="/pays/<iso3>", order=5, known=known,
            name_of=lambda snap, lang, iso3: snap.vocab.label("pays", iso3.upper(), lang)
            if known(snap, iso3) else None)
