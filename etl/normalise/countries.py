"""Partner country → ISO 3166-1 alpha-3, from French or English names in any common spelling.

Names come from pycountry (English short, official and common names and their French translations) and from
``data/country_aliases.csv``, which decides the ambiguous ones and adds usual forms (RDC, Corée du Sud, Burkina…).
A state's title before a known name is read through ("République de Moldavie", "Royaume du Maroc", "Republic of
Rwanda"). Kosovo, absent from ISO 3166, is XKX. France and its overseas territories are not partner countries.
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
from etl.normalise.text import clean, fold_name
from etl.paths import data_file

FRENCH_TERRITORIES = frozenset(
    {"FRA", "GLP", "MTQ", "GUF", "REU", "MYT", "SPM", "PYF", "NCL", "WLF", "BLM", "MAF", "ATF", "CPT"}
)
KOSOVO = "XKX"
_PARENS = re.compile(r"^(.*?)\s*\((.*)\)\s*$")
_ARTICLES = ("le ", "la ", "les ", "l ", "the ")
# Titles of states, folded, before a name: "République de Moldavie", "Royaume du Maroc", "Republic of Rwanda".
# Only titles that add nothing to the name: "République démocratique du Congo" is not "Congo".
_STATE_TITLES = tuple(sorted({
    "republique", "republique federale", "republique federative", "republique islamique", "royaume", "principaute",
    "grand duche", "etat", "sultanat", "emirat", "federation", "commonwealth",
    "republic", "federal republic", "federative republic", "islamic republic", "kingdom", "principality",
    "grand duchy", "state", "sultanate", "emirate",
}, key=lambda t: (-len(t), t)))
_STATE_LINKS = ("de la ", "de l ", "du ", "des ", "de ", "d ", "of the ", "of ")


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
                forms = [name]
                if "," in name:  # "Corée, République de" → "République de Corée" and "Corée"
                    head, tail = (p.strip() for p in name.split(",", 1))
                    forms += [f"{tail} {head}", head]
                m = _PARENS.match(name)
                if m:  # "Holy See (Vatican City State)" → "Holy See"
                    forms.append(m.group(1))
                for form in forms:
                    key = fold_name(form)
                    names[key].add(c.alpha_3)
                    for article in _ARTICLES:  # "The Democratic Republic of the Congo" without "the"
                        if key.startswith(article):
                            names[key[len(article):]].add(c.alpha_3)
        names[fold_name(c.alpha_3)].add(c.alpha_3)
    names[fold_name("Kosovo")].add(KOSOVO)
    names[fold_name(KOSOVO)].add(KOSOVO)
    return names


def read_aliases(path: Path) -> dict[str, str]:
    """``alias → iso3`` from a CSV file with ``#`` comment lines; an empty iso3 marks a French territory."""
    with path.open(encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return {fold_name(r["alias"]): (r["iso3"] or "").strip().upper() for r in rows}


@cache
def country_index() -> dict[str, str]:
    """Folded name → ISO3 (``""`` for French territories). Names shared by two countries are left out."""
    index = {key: next(iter(codes)) for key, codes in _iso_names().items() if len(codes) == 1}
    index.update(read_aliases(data_file("country_aliases.csv")))
    return index


def _lookup(key: str, index: dict[str, str]) -> str | None:
    if key in index:
        return index[key]
    for article in _ARTICLES:
        if key.startswith(article) and key[len(article):] in index:
            return index[key[len(article):]]
    for title in _STATE_TITLES:  # "République de Moldavie" → "Moldavie"
        if key.startswith(title + " "):
            rest = key[len(title) + 1:]
            for link in _STATE_LINKS:
                if rest.startswith(link) and rest[len(link):] in index:
                    return index[rest[len(link):]]
            break
    return None


def normalise_country(raw: str | None) -> str:
    """ISO3 of a partner country name; raises :class:`Invalid` with the reason when it can't.

    ``"Québec (Canada)"`` resolves through the part in parentheses when the whole is unknown.
    """
    text = clean(raw)
    if not text:
        raise Invalid("pays partenaire manquant")
    index = country_index()
    code = _lookup(fold_name(text), index)
    if code is None:
        m = _PARENS.match(text)
        if m:
            code = _lookup(fold_name(m.group(1)), index)
            if code is None:
                code = _lookup(fold_name(m.group(2)), index)
    if code is None:
        raise Invalid(f"pays partenaire inconnu : « {text} »")
    if code == "" or code in FRENCH_TERRITORIES:
        raise Invalid(
            f"pays partenaire en France : « {text} » (la France et ses territoires ne sont pas des pays partenaires)"
        )
    return code
