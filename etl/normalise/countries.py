"""Partner country → ISO 3166-1 alpha-3, from French or English names in any common spelling.

Names come from pycountry (English names and their French translations) and from ``data/country_aliases.csv``,
which decides the ambiguous ones and adds short forms (RDC, Corée du Sud…). Kosovo, absent from ISO 3166, is XKX.
France and its overseas territories are not partner countries.
"""

from __future__ import annotations

import csv
import gettext
import re
from collections import defaultdict
from functools import cache
from pathlib import Path

import pycountry

from etl.normalise import Invalid
from etl.normalise.text import clean, fold
from etl.paths import DATA_DIR

FRENCH_TERRITORIES = frozenset(
    {"FRA", "GLP", "MTQ", "GUF", "REU", "MYT", "SPM", "PYF", "NCL", "WLF", "BLM", "MAF", "ATF", "CPT"}
)
KOSOVO = "XKX"
_PARENS = re.compile(r"^(.*?)\s*\((.*)\)\s*$")
_ARTICLES = ("le ", "la ", "les ", "l ", "the ")


def iso_codes() -> set[str]:
    """Every code a partner country may carry."""
    return {c.alpha_3 for c in pycountry.countries} | {KOSOVO}


def _iso_names() -> dict[str, set[str]]:
    fr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    names: dict[str, set[str]] = defaultdict(set)
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            en = getattr(c, attr, None)
            if not en:
                continue
            for name in (en, fr.gettext(en)):
                names[fold(name)].add(c.alpha_3)
                if "," in name:  # "Corée, République de" → "République de Corée" and "Corée"
                    head, tail = (p.strip() for p in name.split(",", 1))
                    names[fold(f"{tail} {head}")].add(c.alpha_3)
                    names[fold(head)].add(c.alpha_3)
        names[fold(c.alpha_3)].add(c.alpha_3)
    names[fold("Kosovo")].add(KOSOVO)
    names[fold(KOSOVO)].add(KOSOVO)
    return names


def read_aliases(path: Path) -> dict[str, str]:
    """``alias → iso3`` from a CSV file with ``#`` comment lines; an empty iso3 marks a French territory."""
    with path.open(encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return {fold(r["alias"]): (r["iso3"] or "").strip().upper() for r in rows}


@cache
def country_index() -> dict[str, str]:
    """Folded name → ISO3 (``""`` for French territories). Names shared by two countries are left out."""
    index = {key: next(iter(codes)) for key, codes in _iso_names().items() if len(codes) == 1}
    index.update(read_aliases(DATA_DIR / "country_aliases.csv"))
    return index


def _lookup(key: str, index: dict[str, str]) -> str | None:
    if key in index:
        return index[key]
    for article in _ARTICLES:
        if key.startswith(article) and key[len(article):] in index:
            return index[key[len(article):]]
    return None


def normalise_country(raw: str | None) -> str:
    """ISO3 of a partner country name; raises :class:`Invalid` with the reason when it can't.

    ``"Québec (Canada)"`` resolves through the part in parentheses when the whole is unknown.
    """
    text = clean(raw)
    if not text:
        raise Invalid("pays partenaire manquant")
    index = country_index()
    code = _lookup(fold(text), index)
    if code is None:
        m = _PARENS.match(text)
        if m:
            code = _lookup(fold(m.group(1)), index)
            if code is None:
                code = _lookup(fold(m.group(2)), index)
    if code is None:
        raise Invalid(f"pays partenaire inconnu : « {text} »")
    if code == "" or code in FRENCH_TERRITORIES:
        raise Invalid(
            f"pays partenaire en France : « {text} » (la France et ses territoires ne sont pas des pays partenaires)"
        )
    return code
