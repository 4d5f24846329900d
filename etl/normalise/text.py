"""Folding text for matching: case, accents, apostrophes, hyphens and punctuation do not matter."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


def fold(text: str) -> str:
    """Lower-case, accent-free, words separated by one space: ``"Côte d’Ivoire"`` → ``"cote d ivoire"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("ß", "ss")
    return _NON_ALNUM.sub(" ", bare.lower()).strip()


def fold_compact(text: str) -> str:
    """Like :func:`fold` with no spaces at all, for matching column headers (``"Budget (€)"`` → ``"budget"``)."""
    return fold(text).replace(" ", "")


def clean(text: str | None) -> str:
    """Trim and collapse white space (including no-break spaces); ``None`` becomes ``""``."""
    if text is None:
        return ""
    return _SPACES.sub(" ", str(text)).strip()


# C0 and C1 controls (ESC, NUL, BEL, line breaks…), zero-width and bidirectional formatting characters, the BOM.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def printable(text: str) -> str:
    """``text`` safe to print on a terminal, on one line: control and bidirectional characters from a file (an
    ESC that recolours the terminal, a NUL, a right-to-left override) are shown as escapes (``\\x1b``,
    ``\\u202e``), never sent raw."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)
