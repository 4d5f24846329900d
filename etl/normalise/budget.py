"""Budgets in euros, from French-formatted amounts. Unknown (empty, "N/C") is ``None``, distinct from 0.

A budget above the ceiling of ``data/limits.toml`` (``budget.max_eur``, one billion euros: more than any
partnership of decentralised cooperation) is a typing or export error, not a figure to add up: it is rejected,
and an amount too long to be a float (400 digits: infinity) never reaches the database.
"""

from __future__ import annotations

import math
import re
import unicodedata

from etl.limits import limits, number, where
from etl.normalise import Invalid
from etl.normalise.text import clean, fold

UNKNOWN = frozenset({"", "nc", "n c", "non communique", "inconnu", "nd", "n d", "non disponible", "na", "sans objet"})
_AMOUNT = re.compile(
    r"^(?:€\s*)?(?P<sign>[-−])?\s*(?P<num>\d[\d\s.,']*)\s*(?P<mult>k|m|md|mds|millions?|milliers?|mille)?\s*"
    r"(?:€|eur|euros?)?\s*(?P<mult2>k|m)?\s*(?:€|eur|euros?)?\s*(?:ht|ttc)?$",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(r"[?\-–—/ ]+")  # "?", "??", "-", "—", "/": the cell was left unfilled
# Arabic decimal and thousands separators, as "," and a space of French amounts.
_SEPARATORS = str.maketrans({"\u066b": ",", "\u066c": " "})
_MULTIPLIERS = {"k": 1e3, "mille": 1e3, "millier": 1e3, "milliers": 1e3, "m": 1e6, "million": 1e6,
                "millions": 1e6, "md": 1e9, "mds": 1e9}


def _number(num: str) -> float:
    """French or English number text → float. Spaces and apostrophes group thousands; of ``.`` and ``,`` the
    last one is the decimal mark when both appear; a lone ``.`` followed by exactly three digits groups thousands
    (``15.000``), otherwise it is decimal."""
    s = re.sub(r"[\s']", "", num)
    if "," in s and "." in s:
        dec = max(s.rfind(","), s.rfind("."))
        s = re.sub(r"[.,]", "", s[:dec]) + "." + s[dec + 1 :]
    elif s.count(",") == 1:
        s = s.replace(",", ".")
    elif s.count(",") > 1:
        s = s.replace(",", "")
    elif s.count(".") > 1 or re.fullmatch(r"\d{1,3}\.\d{3}", s):
        s = s.replace(".", "")
    return float(s)


def normalise_budget(raw: str | None) -> float | None:
    """Euros as a float, or ``None`` when unknown. Raises :class:`Invalid` for negative or unreadable amounts.

    ``"15 000 €"`` (space, no-break or narrow no-break space), ``"15 000,50 €"``, ``"15000"``, ``"250 k€"``,
    ``"1,2 M€"``, ``"5000 EUR"``; digits of any script (``"٣٠٠"``). Text that only looks empty once folded
    (``"€"``, ``"三百"``) is unreadable, not unknown: only an empty cell, a placeholder mark or a word of
    :data:`UNKNOWN` says the budget is not known.
    """
    shown = clean(raw)
    text = ascii_digits(shown)
    folded = fold(text)
    if not text or (folded and folded in UNKNOWN) or _PLACEHOLDER.fullmatch(text):
        return None
    m = _AMOUNT.match(text.replace("\u202f", " ").replace("\u00a0", " "))
    if not m:
        raise Invalid(f"budget illisible : « {_short(shown)} »")
    try:
        value = _number(m.group("num"))
    except ValueError:
        raise Invalid(f"budget illisible : « {_short(shown)} »") from None
    mult = (m.group("mult") or m.group("mult2") or "").lower()
    value *= _MULTIPLIERS.get(mult, 1.0)
    if m.group("sign"):
        raise Invalid(f"budget négatif : « {_short(shown)} »")
    if math.isnan(value):
        raise Invalid(f"budget illisible : « {_short(shown)} »")
    ceiling = limits().budget_max_eur
    if value > ceiling:
        raise Invalid(f"budget invraisemblable : « {_short(shown)} » (plus de {number(ceiling)} € pour un "
                      f"partenariat, {where('budget.max_eur')})")
    return round(value, 2)


def ascii_digits(text: str) -> str:
    """Decimal digits of any script as ASCII digits: ``"٣٠٠"`` (Arabic-Indic) → ``"300"``, ``"१५००"`` →
    ``"1500"``. An amount typed with Arabic-Indic digits is an amount: read, never taken for an empty cell."""
    if text.isascii():
        return text
    text = text.translate(_SEPARATORS)
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def _short(text: str, keep: int = 40) -> str:
    """A 400-digit amount is named by its start and its length, not printed whole."""
    return text if len(text) <= keep else f"{text[:keep]}… ({len(text)} caractères)"
