"""What changed between two editions (``/nouveautes?de=YYYY-MM-DD&a=YYYY-MM-DD``, the two newest by default):
partnerships added, removed, changed (and which fields), ended, by region, country and theme, and the row-level
difference as CSV (``/nouveautes.csv``). The numbers come from :mod:`etl.diff`, as ``coopatlas diff``'s do.
A plain GET form chooses the editions: no callback."""

from __future__ import annotations

import datetime as dt

from dash import dcc, html
from flask import Response, current_app, request

from dashboard import links
from dashboard.components import data_table, frame, kpi_cards, page_main
from dashboard.downloads import table_response
from dashboard.i18n import date, lang_of, number, t, tn
from dashboard.pages.registry import Page
from etl.diff import DIMENSIONS
from etl.editions import UnknownEdition

COUNTS = (("added", "news_added"), ("removed", "news_removed"), ("changed", "news_changed"),
          ("ended", "news_ended"))
# Fields of etl.diff.FIELDS named by another key than their CSV header's (csv.<field>)
FIELD_WORDS = {"fr_region_code": "csv.region_name", "rrma": "csv.rrma_name",
               "fr_authority_key": "news_authority_key"}
DIMENSION_WORDS = {"region": ("news_by_region", "col_region"), "country": ("news_by_country", "f_pays"),
                   "theme": ("news_by_theme", "f_theme")}  # (caption, column header)
COUNTRY_ROWS = 25  # the country table's length on the page (the CSV has every row)
# Row-level CSV: column → header key
CSV_COLUMNS = {"partnership_id": "csv.partnership_id", "change": "news_col_change", "ended": "news_ended",
               "fields": "news_fields", "region": "csv.region_name", "country": "csv.partner_country_iso3",
               "themes": "csv.themes", "title": "csv.title", "fr_authority_name": "csv.fr_authority_name",
               "before": "news_col_before", "after": "news_col_after"}
CHANGE_WORDS = {"added": "news_one_added", "removed": "news_one_removed", "changed": "news_one_changed"}


def field_label(field: str, lang: str) -> str:
    return t(FIELD_WORDS.get(field, f"csv.{field}"), lang)


def pair(kept: list[str], old, new) -> tuple[str, str]:
    """The editions compared: those asked for, else the two newest (:class:`UnknownEdition` for one not kept)."""
    old = old if isinstance(old, str) and old else (kept[1] if len(kept) > 1 else "")
    new = new if isinstance(new, str) and new else (kept[0] if kept else "")
    for value in (old, new):
        if value not in kept:
            raise UnknownEdition(value, kept)
    return old, new


def _label(value: str, lang: str) -> str:
    return date(dt.date.fromisoformat(value), lang)


def _chooser(kept: list[str], old: str, new: str, lang: str) -> html.Form:
    def select(name: str, label: str, value: str):
        return html.Div([html.Label(t(label, lang), htmlFor=f"news-{name}"),
                         html.Select([html.Option(_label(e, lang), value=e, selected=e == value) for e in kept],
                                     id=f"news-{name}", name=name)], className="field")

    return html.Form([select("de", "news_from", old), select("a", "news_to", new),
                      *[dcc.Input(type="hidden", name=k, value=v) for k, v in links.lang_params(lang).items()],
                      html.Button(t("news_compare", lang), type="submit")],
                     action="/nouveautes", method="get", className="news-form")


def _breakdown(table, dimension: str, lang: str) -> html.Div:
    caption, header = DIMENSION_WORDS[dimension]
    head = [t(header, lang), *(t(word, lang) for _, word in COUNTS)]
    shown = table.head(COUNTRY_ROWS) if dimension == "country" else table
    rows = [[r.label or r.key or "—", *(number(getattr(r, c), lang) for c, _ in COUNTS)]
            for r in shown.itertuples()]
    more = html.P(t("news_more", lang, n=number(len(table) - len(shown), lang)), className="hint") \
        if len(shown) < len(table) else None
    return html.Div([data_table(t(caption, lang), head, rows, id_=f"news-{dimension}"), more],
                    className="card")


def layout(snap, de=None, a=None, **query) -> html.Div:
    lang = lang_of(query.get("lang"))
    atlas = current_app.config["coopatlas"]
    kept = atlas.editions()
    body: list = [html.H2(t("news_title", lang)), html.P(t("news_intro", lang))]
    if len(kept) < 2:
        body.append(html.P(tn("news_empty", len(kept), lang), id="news-empty", className="empty"))
    else:
        try:
            old, new = pair(kept, de, a)
        except UnknownEdition as exc:
            body += [_chooser(kept, kept[1], kept[0], lang),
                     html.P(t("edition_unknown", lang, value=exc.value), id="edition-unknown", className="empty")]
        else:
            body += [_chooser(kept, old, new, lang), *_comparison(atlas.news(old, new), old, new, lang)]
    return frame(lang, snap.facts, links.lang_query(lang), page_main(body, class_name="news-page"), "/nouveautes",
                 title=t("news_title", lang))


def _comparison(news: dict, old: str, new: str, lang: str) -> list:
    totals = news["totals"]
    fields = news["fields"]
    return [
        html.P(t("news_between", lang, old=_label(old, lang), new=_label(new, lang),
                 before=number(news["old"].loaded, lang), after=number(news["new"].loaded, lang)), id="news-between"),
        kpi_cards([(number(totals[c], lang), t(word, lang), f"news-{c}") for c, word in COUNTS]),
        html.P(t("news_definitions", lang), className="hint"),
        html.P(html.A(t("news_csv", lang), href=links.news_csv(old, new, lang), className="button",
                      id="news-csv")),
        html.Div(data_table(t("news_fields", lang), [t("news_field", lang), t("kpi_partnerships", lang)],
                            [[field_label(r.field, lang), number(r.partnerships, lang)]
                             for r in fields.itertuples()] or [[t("data_none", lang), "0"]], id_="news-fields"),
                 className="card"),
        *[_breakdown(news["by"][(d, lang)], d, lang) for d in DIMENSIONS],
    ]


def rows_csv(news: dict, lang: str):
    """The row-level difference with the page's words (headers, kinds of change, fields)."""
    df = news["rows"].copy()
    df["change"] = df["change"].map(lambda c: t(CHANGE_WORDS[c], lang))
    df["ended"] = df["ended"].map(lambda e: t("news_yes", lang) if e else "")
    df["fields"] = df["fields"].map(lambda text: ", ".join(field_label(f, lang) for f in text.split(", ") if f))
    return df.rename(columns={c: t(key, lang) for c, key in CSV_COLUMNS.items()})


def register(app, atlas) -> None:
    @app.server.get("/nouveautes.csv")
    def news_download():
        lang = lang_of(request.args.get("lang"))
        try:
            old, new = pair(atlas.editions(), request.args.get("de"), request.args.get("a"))
            news = atlas.news(old, new)
        except UnknownEdition as exc:
            return Response(str(exc), status=404, content_type="text/plain; charset=utf-8")
        return table_response(rows_csv(news, lang), lang, f"coopatlas-nouveautes-{old}-{new}")


PAGE = Page("nouveautes", "news_title", layout, path="/nouveautes", order=8, register=register)
