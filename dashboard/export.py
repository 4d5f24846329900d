"""CSV downloads for spreadsheets: UTF-8 with BOM so Excel shows accents, French separators, readable headers,
and cells that a spreadsheet would run as formulas neutralised."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from flask import Response

from dashboard.filters import Filters
from dashboard.queries import EXPORT_COLUMNS

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell starting like a formula gets a leading apostrophe (OWASP's advice for CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(df: pd.DataFrame, lang: str) -> bytes:
    out = df.rename(columns=EXPORT_COLUMNS[lang]).copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    for col in out.select_dtypes("number").columns:  # whole numbers without ".0"
        if (out[col].dropna() % 1 == 0).all():
            out[col] = out[col].astype("Int64")
    sep, decimal = (";", ",") if lang == "fr" else (",", ".")
    return out.to_csv(index=False, sep=sep, decimal=decimal, lineterminator="\r\n").encode("utf-8-sig")


def csv_response(df: pd.DataFrame, f: Filters) -> Response:
    name = f"coopatlas-partenariats-{dt.date.today():%Y-%m-%d}.csv"
    return Response(to_csv(df, f.lang), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
