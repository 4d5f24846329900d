"""Themes → codes of the controlled vocabulary (``data/themes.csv``); the raw text is kept beside them."""

from __future__ import annotations

import re
from functools import cache

from etl.normalise.text import clean, fold
from etl.vocab import themes

_SEPARATORS = re.compile(r"[;|/\n•]+")


@cache
def _aliases() -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    exact: dict[str, str] = {}
    words: list[tuple[str, str]] = []
    for t in themes():
        for name in (t.code, t.label_fr, t.label_en, *t.aliases):
            exact.setdefault(fold(name), t.code)
        for alias in t.aliases:
            words.append((f" {fold(alias)} ", t.code))
    return exact, tuple(sorted(words, key=lambda kv: -len(kv[0])))


def _match(piece: str) -> list[str]:
    exact, words = _aliases()
    key = fold(piece)
    if not key:
        return []
    if key in exact:
        return [exact[key]]
    padded = f" {key} "
    return [code for alias, code in words if alias in padded]


def normalise_themes(raw: str | None) -> tuple[list[str], list[str]]:
    """``(codes, unmatched pieces)``: codes sorted and distinct. Pieces are split on ``;``, ``|``, ``/`` and
    line breaks, then, if a piece matches nothing whole, on commas (labels such as "Culture, patrimoine"
    hold commas themselves)."""
    codes: set[str] = set()
    unmatched: list[str] = []
    for piece in _SEPARATORS.split(raw or ""):
        piece = clean(piece)
        if not piece:
            continue
        found = _match(piece)
        if not found and "," in piece:
            for sub in piece.split(","):
                sub_found = _match(sub)
                if sub_found:
                    found += sub_found
                elif clean(sub):
                    unmatched.append(clean(sub))
        elif not found:
            unmatched.append(piece)
        codes.update(found)
    return sorted(codes), unmatched
