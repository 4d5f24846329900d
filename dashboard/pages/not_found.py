"""What an unknown authority, country, region or chart shows: the frame, a title and a way back."""

from __future__ import annotations

from dash import html

from dashboard import links
from dashboard.components import frame, page_main
from dashboard.i18n import lang_of, t
from dashboard.pages.registry import Page


def layout(snap, **query) -> html.Div:
    lang = lang_of(query.get("lang"))
    return frame(lang, snap.facts, "", page_main([html.H2(t("not_found", lang)),
                                                   html.P(html.A(t("nav_home", lang), href=links.page("/", lang)))]),
                 "", title=t("not_found", lang))


# Dash shows the page of a module named "...not_found_404" for any path no page has; the server answers 404.
PAGE = Page("not_found_404", "not_found", layout, path="/404", order=99)
