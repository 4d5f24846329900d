"""The controlled vocabularies in ``data/`` (themes, ODD, types of action, statuses, authority types, RRMA, zones)
and the reference lists beside them (events, group memberships, population supplements)."""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from etl.normalise.text import fold
from etl.paths import data_file


def read_csv(name: str) -> list[dict[str, str]]:
    """Rows of a mapping file of ``data/``; lines starting with ``#`` are comments."""
    with data_file(name).open(encoding="utf-8") as f:
        return [
            {k: (v or "").strip() for k, v in row.items()}
            for row in csv.DictReader(line for line in f if not line.startswith("#"))
        ]


@dataclass(frozen=True)
class Term:
    code: str
    label_fr: str
    label_en: str
    aliases: tuple[str, ...]


def _terms(name: str) -> tuple[Term, ...]:
    return tuple(
        Term(r["code"], r["label_fr"], r["label_en"], tuple(a for a in r.get("aliases", "").split("|") if a))
        for r in read_csv(name)
    )


@cache
def themes() -> tuple[Term, ...]:
    return _terms("themes.csv")


@cache
def theme_odds() -> dict[str, tuple[int, ...]]:
    return {r["code"]: tuple(int(x) for x in r["odds"].split("|") if x) for r in read_csv("themes.csv")}


# The highest bit of a theme in ``partnerships.theme_bits`` (a BIGINT: bit 63 is its sign).
MAX_THEME_BIT = 62


@cache
def theme_bits() -> dict[str, int]:
    """``code → bit`` of each theme in ``partnerships.theme_bits`` (``data/themes.csv``'s ``bit``): unique, 0–62."""
    bits: dict[str, int] = {}
    for row in read_csv("themes.csv"):
        raw = row.get("bit", "")
        bit = int(raw) if raw.isascii() and raw.isdigit() else -1
        if not 0 <= bit <= MAX_THEME_BIT or bit in bits.values():
            raise ValueError(f"data/themes.csv, thème {row['code']} : bit « {raw} » invalide (un entier de 0 à "
                             f"{MAX_THEME_BIT} qu'aucun autre thème n'a)")
        bits[row["code"]] = bit
    return bits


def bit_mask(bits: Iterable[int]) -> int:
    """The integer with these bits set: a partnership's ``odd_bits`` (bit n for ODD n) or ``theme_bits``."""
    return sum(1 << b for b in set(bits))


def theme_mask(code: str) -> int:
    """The bit of a theme in ``partnerships.theme_bits``, as a mask."""
    return 1 << theme_bits()[code]


@cache
def action_types() -> tuple[Term, ...]:
    return _terms("action_types.csv")


@cache
def statuses() -> tuple[Term, ...]:
    return _terms("statuses.csv")


@cache
def authority_types() -> tuple[Term, ...]:
    return _terms("authority_types.csv")


@cache
def authority_name_prefixes() -> tuple[tuple[str, str], ...]:
    """``(folded prefix, type code)``, longest prefix first, to read a type off a name."""
    pairs = [
        (fold(p) + (" " if p.endswith(" ") else ""), r["code"])
        for r in read_csv("authority_types.csv")
        for p in r["name_prefixes"].split("|")
        if p
    ]
    return tuple(sorted(pairs, key=lambda kv: -len(kv[0])))


@cache
def odd_labels() -> dict[int, tuple[str, str]]:
    """``number → (French short name, official colour)``."""
    return {int(r["number"]): (r["label_fr"], r["colour"]) for r in read_csv("odd.csv")}


@cache
def odd_rows() -> tuple[dict[str, str], ...]:
    return tuple(read_csv("odd.csv"))


@cache
def rrma_rows() -> tuple[dict[str, str], ...]:
    return tuple(read_csv("rrma.csv"))


def rrma_for(region_code: str | None, departement_code: str | None) -> str | None:
    """The RRMA code covering an authority: a departmental network first (YCID), else its region's."""
    rows = rrma_rows()
    for r in rows:
        if r["departement_code"] and r["departement_code"] == departement_code:
            return r["code"]
    for r in rows:
        if not r["departement_code"] and r["region_code"] == region_code:
            return r["code"]
    return None


@cache
def zones() -> dict[str, dict]:
    """Zone definitions from ``data/zones.toml`` in display order."""
    with data_file("zones.toml").open("rb") as f:
        return tomllib.load(f)


@cache
def events() -> tuple[dict[str, str], ...]:
    """Events that move the monitor's curves (``data/events.csv``): ``id``, ``date`` (ISO), ``countries`` (ISO3
    separated by ``|``), short ``label_fr``/``label_en``, ``description_fr``/``description_en``, ``source``."""
    return tuple(read_csv("events.csv"))


@cache
def memberships() -> tuple[dict[str, str], ...]:
    """Country groups and their members with dates (``data/memberships.csv``: G5 Sahel)."""
    return tuple(read_csv("memberships.csv"))


@cache
def population_supplements() -> dict[str, int]:
    """Département code → population, for the départements whose COG figure is missing (``data/populations.csv``:
    Mayotte, from INSEE's 2017 census)."""
    return {r["departement"]: int(r["population"]) for r in read_csv("populations.csv")}


class Matcher:
    """Folded label or alias → code, for a vocabulary matched on whole cells."""

    def __init__(self, terms: tuple[Term, ...]):
        self._index: dict[str, str] = {}
        for t in terms:
            for name in (t.code, t.label_fr, t.label_en, *t.aliases):
                self._index.setdefault(fold(name), t.code)

    def get(self, text: str) -> str | None:
        return self._index.get(fold(text))
