"""ODD (UN Sustainable Development Goals 1–17) from the many ways exports write them."""

from __future__ import annotations

import re
from functools import cache

from etl.normalise import Invalid
from etl.normalise.text import clean, fold

# A number that stands for a goal: at the start of a piece, or right after "ODD", "SDG", "Objectif", "#".
_PREFIXED = re.compile(r"(?:\bodd|\bsdg|\bobjectifs?|\bgoals?|#)\s*(?:n\s*°?|no\.?)?\s*(\d{1,3})\b")
_LEADING = re.compile(r"^\s*(\d{1,3})\b")
_PIECES = re.compile(r"[;/|\n]")
_PARTS = re.compile(r"[,+&]|\bet\b|\band\b")
# "5 - Égalité entre les sexes", "Objectif 5 : …": a number then its label, which may hold commas and "et".
_LABELLED = re.compile(r"^\s*(?:(?:odd|sdg|objectifs?|goals?)\s*(?:n\s*°?|#)?\s*)?(\d{1,3})\s*[-–—:.)]\s*[^\d\s]")
_NOTHING = frozenset({"odd", "aucun", "nc", "n c", "sans objet", "na"})


@cache
def _goal_names() -> dict[str, int]:
    from etl.vocab import odd_labels

    return {fold(label): n for n, (label, _colour) in odd_labels().items()}


def normalise_odds(raw: str | None) -> list[int]:
    """Sorted distinct goal numbers; ``[]`` when empty. Raises :class:`Invalid` for a number outside 1–17
    or a piece of text that names no goal.

    Understands ``"6, 7"``, ``"ODD 6 ; ODD 13"``, ``"ODD6 / ODD7"``, ``"5 - Égalité entre les sexes | 10 - …"``,
    ``"Objectif 5 : …"`` and the official French short names.
    """
    text = clean(raw)
    if not text:
        return []
    goals: set[int] = set()
    names = _goal_names()
    for piece in _PIECES.split(text.lower()):
        if fold(piece) in names:  # a whole official name, which may hold "et"
            goals.add(names[fold(piece)])
            continue
        labelled = _LABELLED.match(piece)
        if labelled:
            goals.update(_checked([int(labelled.group(1))], text))
            continue
        for part in _PARTS.split(piece):
            goals.update(_goals_in(part.strip(" -:.()"), text, names))
    return sorted(goals)


def _goals_in(part: str, text: str, names: dict[str, int]) -> list[int]:
    if not part or fold(part) in _NOTHING:
        return []
    numbers = [int(n) for n in _PREFIXED.findall(part) or _LEADING.findall(part)]
    if not numbers:
        if fold(part) in names:
            return [names[fold(part)]]
        raise Invalid(f"ODD illisible : « {part} » (dans « {text} »)")
    return _checked(numbers, text)


def _checked(numbers: list[int], text: str) -> list[int]:
    for n in numbers:
        if not 1 <= n <= 17:
            raise Invalid(f"ODD hors de 1–17 : {n} (dans « {text} »)")
    return numbers
