"""What an unknown authority, country, region or chart shows: the frame, a title and a way back."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from dash import html

from dashboard import links
from dashboard.components import frame, page_main
from dashboard.i18n import date, lang_of, t
from dashboard.pages.registry import Page
from etl.editions import UnknownEdition


def layout(snap, unknown_edition: UnknownEdition | None = None, **query) -> html.Div:
    """``unknown_edition``: the address pins an edition that is not kept; the page lists those that are."""
    lang = lang_of(query.get("lang"))
    body = [html.H2(t("not_found", lang))]
    if unknown_edition is not None:
        kept = unknown_edition.kept
        body += [html.P(t("edition_unknown", lang, value=unknown_edition.value), id="edition-unknown"),
                 html.P(t("editions_kept", lang) if kept else t("editions_none", lang)),
                 html.Ul([html.Li(html.A(date(dt.date.fromisoformat(e), lang),
                                         href=links.home(urlencode({**links.lang_params(lang), "edition": e}))))
                          for e in kept], id="editions-kept") if kept else None]
    body.append(html.P(html.A(t("nav_home", lang), href=links.page("/", lang))))
    return frame(lang, snap.facts, "", page_main(body), "", title=t("not_found", lang))


# Dash shows the page of a module named "...not_found_404" for any path no page has; the server answers 404.
PAGE = Page("not_found_404", "not_found", layout, path="/404", order=99)
