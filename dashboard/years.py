"""Typed years: what is wrong with a pair of years a person typed or a link gave, as a locale key.

Pure (no Dash, no database): the monitor's year boxes and the dashboard's year range share it. ``problem``
returns the key of the message to show next to the inputs, or ``None`` when the pair is usable; every key takes
the fields ``{first}`` and ``{last}`` (the accepted range), so a caller always formats it with
``t(key, lang, first=first, last=last)``."""

from __future__ import annotations

import re

FIRST = 1945  # no partnership of the Atlas starts before (the ETL's lower bound)
NOT_FOUR_DIGITS = "year_not_four_digits"
OUT_OF_RANGE = "year_out_of_range"
START_AFTER_END = "year_start_after_end"
KEYS = (NOT_FOUR_DIGITS, OUT_OF_RANGE, START_AFTER_END)
_FOUR_DIGITS = re.compile(r"[0-9]{4}")  # ASCII digits only: "２０１０" or "٢٠١٠" are not typed years here


def parse(value: object) -> int | None:
    """A year from a text box or a URL (``"2012"``, ``" 2012 "``, ``2012``), else ``None`` (missing or
    malformed: ``problem`` tells which)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1000 <= value <= 9999 else None
    if isinstance(value, float) and value.is_integer():
        return parse(int(value))
    if isinstance(value, str) and _FOUR_DIGITS.fullmatch(value.strip()):
        return int(value.strip())
    return None


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def problem(start: object, end: object, first: int, last: int) -> str | None:
    """The locale key saying what is wrong with the years ``start``–``end`` in the accepted range
    ``first``–``last``, or ``None``. A missing side (``None`` or blank) is not a problem: the caller applies
    its default. Checked in order: each side written as four digits, each side within the range, the start not
    after the end."""
    sides = [v for v in (start, end) if not _missing(v)]
    if any(parse(v) is None for v in sides):
        return NOT_FOUR_DIGITS
    if any(not first <= parse(v) <= last for v in sides):
        return OUT_OF_RANGE
    if len(sides) == 2 and parse(start) > parse(end):
        return START_AFTER_END
    return None
