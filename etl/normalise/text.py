"""Folding text for matching: case, accents, apostrophes, hyphens and punctuation do not matter."""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


# Every combining mark (accents…) → removed; ligatures spelt out.
_BARE = {cp: None for cp in range(sys.maxunicode + 1) if unicodedata.combining(chr(cp))}
_BARE.update({ord("œ"): "oe", ord("Œ"): "oe", ord("æ"): "ae", ord("ß"): "ss"})


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower-case, accent-free, words separated by one space: ``"Côte d’Ivoire"`` → ``"cote d ivoire"``."""
    bare = unicodedata.normalize("NFKD", text).translate(_BARE)
    return _NON_ALNUM.sub(" ", bare.lower()).strip()


def fold_compact(text: str) -> str:
    """Like :func:`fold` with no spaces at all, for matching column headers (``"Budget (€)"`` → ``"budget"``)."""
    return fold(text).replace(" ", "")


def clean(text: str | None) -> str:
    """Trim and collapse white space (including no-break spaces); ``None`` becomes ``""``."""
    if text is None:
        return ""
    return " ".join(str(text).split())  # str.split() splits on every Unicode space, no-break ones included


# Abbreviations of place names, spelt out after folding: "St-Jean", "Ste-Sigolène", "Stes-Maries", "Boulogne-s/-Mer".
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_SUR = re.compile(r"(?<![^\W\d_])s/\s*-?", re.IGNORECASE)


@lru_cache(maxsize=4096)
def fold_name(text: str) -> str:
    """:func:`fold` for place and country names, with "St", "Ste", "Sts", "Stes" and "s/" spelt out:
    ``"St-Jean-de-Monts"`` → ``"saint jean de monts"``, ``"Boulogne-s/-Mer"`` → ``"boulogne sur mer"``."""
    words = fold(_SUR.sub(" sur ", text)).split(" ")
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


# C0 and C1 controls (ESC, NUL, BEL, line breaks…), zero-width and bidirectional formatting characters, the BOM.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def printable(text: str) -> str:
    """``text`` safe to print on a terminal, on one line: control and bidirectional characters from a file (an
    ESC that recolours the terminal, a NUL, a right-to-left override) are shown as escapes (``\\x1b``,
    ``\\u202e``), never sent raw."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)
