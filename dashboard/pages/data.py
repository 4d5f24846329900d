"""The data page (``/donnees``): what the database was built from, what was rejected and why, how complete the
records are per region, and the events drawn on the monitor's curves with their sources. Everything is computed
from the database itself."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from dash import html

from dashboard import links, queries
from dashboard.components import data_table, frame, page_main
from dashboard.i18n import date, lang_of, number, percent, t, timestamp
from dashboard.pages.registry import Page

_URL = re.compile(r"https?://[^\s;]+")


def _share(value) -> float | None:
    return None if value is None or value != value else float(value)


def _source(text: str) -> list:
    """A source cell: its references (separated by " ; "), each URL as a link named by its site."""
    out: list = []
    for i, part in enumerate(p.strip() for p in str(text).split(" ; ")):
        if i:
            out.append(" ; ")
        pos = 0
        for m in _URL.finditer(part):
            out.append(part[pos:m.start()])
            out.append(html.A(urlsplit(m.group(0)).netloc.removeprefix("www."), href=m.group(0), rel="noopener"))
            pos = m.end()
        out.append(part[pos:])
    return [x for x in out if x != ""]


def _countries(row, lang: str) -> str:
    zone = getattr(row, f"zone_{lang}")
    return zone if isinstance(zone, str) else ", ".join(str(c) for c in getattr(row, f"countries_{lang}"))


def events_table(store, lang: str) -> html.Table:
    """The events of ``data/events.csv``: date, event, countries, source."""
    rows = [[date(r.date, lang), html.Span([html.Strong(getattr(r, f"label_{lang}")), " — ",
                                            getattr(r, f"description_{lang}")]),
             _countries(r, lang), html.Span(_source(r.source))] for r in queries.events_listed(store).itertuples()]
    return data_table(t("data_events", lang), [t("data_date", lang), t("data_event", lang), t("data_countries", lang),
                                               t("data_source", lang)], rows, id_="data-events")


def layout(snap, **query) -> html.Div:
    lang = lang_of(query.get("lang"))
    store, facts = snap.store, snap.facts
    inputs = queries.build_inputs(store)
    kinds = queries.rejection_kinds(store)
    coverage = queries.coverage_by_region(store)
    intro = t("data_intro", lang, read=number(int(inputs["records"].sum()), lang), loaded=number(facts.loaded, lang),
              rejected=number(facts.rejected, lang), date=timestamp(facts.built_at, lang))
    body = page_main([
        html.H2(t("data_title", lang)),
        html.P(intro),
        html.Div(data_table(t("data_inputs", lang), [t("data_file", lang), t("data_records", lang),
                                                     t("data_loaded", lang), t("data_rejected", lang),
                                                     t("data_encoding", lang), "SHA-256"],
                            [[r.source_file, number(r.records, lang), number(r.loaded, lang),
                              number(r.rejected, lang), f"{r.encoding} {r.delimiter or ''}".strip(),
                              html.Code(r.sha256[:16] + "…", title=r.sha256)] for r in inputs.itertuples()]),
                 className="card"),
        html.Div(data_table(t("data_reasons", lang), [t("data_reason", lang), t("data_count", lang)],
                            [[r.kind, number(r.n, lang)] for r in kinds.itertuples()]
                            or [[t("data_none", lang), "0"]]), className="card"),
        html.Div(data_table(t("data_coverage", lang), [t("col_region", lang), t("kpi_partnerships", lang),
                                                       t("data_with_budget", lang), t("data_with_odd", lang),
                                                       t("data_with_themes", lang), t("data_with_start", lang)],
                            [[r.name, number(r.partnerships, lang), percent(_share(r.with_budget), lang),
                              percent(_share(r.with_odd), lang), percent(_share(r.with_themes), lang),
                              percent(_share(r.with_start), lang)] for r in coverage.itertuples()]),
                 className="card"),
        html.Div([events_table(store, lang), html.P(t("data_events_note", lang), className="hint")],
                 className="card"),
        html.P([t("data_api", lang), " ", html.A("/api/v1/", href="/api/v1/")]),
    ], class_name="data-page")
    return frame(lang, facts, links.lang_query(lang), body, "/donnees", title=t("nav_data", lang))


PAGE = Page("donnees", "nav_data", layout, path="/donnees", order=2)
