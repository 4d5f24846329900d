"""The data page (``/donnees``): what the database was built from, what was rejected and why, and how complete
the records are per region. Everything is computed from the database itself."""

from __future__ import annotations

from dash import html

from dashboard import queries
from dashboard.db import Store
from dashboard.i18n import number, percent, t
from dashboard.layout import BuildFacts, data_table, frame


def page(store: Store, facts: BuildFacts, lang: str) -> html.Div:
    inputs = queries.build_inputs(store)
    kinds = queries.rejection_kinds(store)
    coverage = queries.coverage_by_region(store)
    read = int(inputs["records"].sum())
    intro = t("data_intro", lang, read=number(read, lang), loaded=number(facts.loaded, lang),
              rejected=number(facts.rejected, lang), date=facts.built_at if lang == "fr" else facts.built_at_en)
    body = html.Main([
        html.H2(t("data_title", lang)),
        html.P(intro),
        html.Div([
            data_table(t("data_inputs", lang), [t("data_file", lang), t("data_records", lang), t("data_loaded", lang),
                                            t("data_rejected", lang), t("data_encoding", lang), "SHA-256"],
                   [[r.source_file, number(r.records, lang), number(r.loaded, lang), number(r.rejected, lang),
                     f"{r.encoding} {r.delimiter or ''}".strip(), html.Code(r.sha256[:16] + "…", title=r.sha256)]
                    for r in inputs.itertuples()]),
        ], className="card"),
        html.Div([
            data_table(t("data_reasons", lang), [t("data_reason", lang), t("data_count", lang)],
                   [[r.kind, number(r.n, lang)] for r in kinds.itertuples()] or [[t("data_none", lang), "0"]]),
        ], className="card"),
        html.Div([
            data_table(t("data_coverage", lang), [t("col_region", lang), t("kpi_partnerships", lang),
                                              t("data_with_budget", lang), t("data_with_odd", lang),
                                              t("data_with_themes", lang), t("data_with_start", lang)],
                   [[r.name, number(r.partnerships, lang), percent(_share(r.with_budget), lang),
                     percent(_share(r.with_odd), lang), percent(_share(r.with_themes), lang),
                     percent(_share(r.with_start), lang)] for r in coverage.itertuples()]),
        ], className="card"),
        html.P([t("data_api", lang), " ", html.A("/api/v1/", href="/api/v1/")]),
    ], id="main", tabIndex="-1", className="data-page")
    return frame(lang, facts, "lang=en" if lang == "en" else "", html.Div(body, className="body single"),
                 "/donnees")


def _share(value) -> float | None:
    return None if value is None or value != value else float(value)
