"""Years from "2019", "01/03/2019", "2019-03-01" (or a date cell of a spreadsheet), within a plausible range."""

from __future__ import annotations

import datetime as dt
import re

from etl.normalise import Invalid
from etl.normalise.text import clean

FIRST_YEAR = 1945
_PATTERNS = (
    re.compile(r"^(\d{4})(?:\.0)?$"),
    re.compile(r"^\d{1,2}[/.\-]\d{1,2}[/.\-](\d{4})(?:\s.*)?$"),
    re.compile(r"^(\d{4})[/.\-]\d{1,2}(?:[/.\-]\d{1,2})?(?:[ T].*)?$"),
    re.compile(r"^(?:[a-zéû]+\.?\s+)?(\d{4})$", re.IGNORECASE),  # "mars 2019", "janv. 2019"
)


def last_plausible_year(today: dt.date | None = None) -> int:
    return (today or dt.date.today()).year + 10


def normalise_year(raw: str | None, *, field: str = "année", today: dt.date | None = None) -> int | None:
    """The year, or ``None`` when empty. Raises :class:`Invalid` when unreadable or outside 1945 – (this year + 10)."""
    text = clean(raw)
    if not text or text.lower() in {"nc", "n/c", "?", "-", "en cours"}:
        return None
    for pattern in _PATTERNS:
        m = pattern.match(text)
        if m:
            year = int(m.group(1))
            break
    else:
        raise Invalid(f"{field} illisible : « {text} »")
    if not FIRST_YEAR <= year <= last_plausible_year(today):
        raise Invalid(f"{field} hors de la plage {FIRST_YEAR}–{last_plausible_year(today)} : {year}")
    return year
