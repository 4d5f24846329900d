"""The view's state: a :class:`Filters` value that round-trips through the URL query string.

Only non-default values go in the URL, with short stable codes (``?region=84&pays=MLI~BFA&odd=6~13``). Each
parameter parses as valid, invalid (logged and ignored) or missing; a link never leads to an error page.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from urllib.parse import urlencode

log = logging.getLogger(__name__)
SEP = "~"
PARAMETERS = ("region", "departement", "type", "pays", "zone", "theme", "odd", "debut", "fin", "action", "budget",
              "rrma", "collectivite", "mesure", "lang")
METRICS = ("partenariats", "collectivites", "budget")
BUDGET_CHOICES = ("connu", "inconnu")
_CODE = re.compile(r"^[A-Za-z0-9_]{1,40}$")


@dataclass(frozen=True)
class Vocabulary:
    """The codes a URL may use, read from the database at start-up."""

    regions: frozenset[str]
    departements: frozenset[str]
    types: frozenset[str]
    countries: frozenset[str]
    zones: frozenset[str]
    themes: frozenset[str]
    actions: frozenset[str]
    rrmas: frozenset[str]
    authorities: frozenset[str]
    first_year: int
    last_year: int


@dataclass(frozen=True)
class Filters:
    region: str | None = None
    departement: str | None = None
    type: str | None = None
    pays: tuple[str, ...] = ()
    zone: str | None = None
    theme: str | None = None
    odd: tuple[int, ...] = ()
    debut: int | None = None
    fin: int | None = None
    action: str | None = None
    budget: str | None = None  # "connu" | "inconnu"
    rrma: str | None = None
    collectivite: str | None = None  # fr_authority_key, e.g. COM:69123
    mesure: str = "partenariats"
    lang: str = "fr"

    @classmethod
    def from_query(cls, query: Mapping[str, object], vocab: Vocabulary) -> Filters:
        """Parse query parameters; anything unknown or malformed is logged and ignored."""
        return cls.parse(query, vocab)[0]

    @classmethod
    def parse(cls, query: Mapping[str, object], vocab: Vocabulary) -> tuple[Filters, list[str]]:
        """The filters, and the names of the parameters that were ignored (malformed or unknown values)."""
        values: dict[str, object] = {}
        ignored: list[str] = []

        def bad(name: str, raw: object) -> None:
            log.info("paramètre d'URL ignoré : %s=%r", name, str(raw)[:80])
            ignored.append(name)

        def single(name: str) -> str | None:
            raw = query.get(name)
            if isinstance(raw, list | tuple):  # repeated key: the last one wins
                raw = raw[-1] if raw else None
            if raw is None or raw == "":
                return None
            return str(raw).strip()

        def code(name: str, allowed: frozenset[str], upper: bool = False) -> None:
            raw = single(name)
            if raw is None:
                return
            value = raw.upper() if upper else raw
            if _CODE.match(value) and value in allowed:
                values[name] = value
            else:
                bad(name, raw)

        code("region", vocab.regions)
        code("departement", vocab.departements, upper=True)
        code("type", vocab.types)
        code("zone", vocab.zones)
        code("theme", vocab.themes, upper=True)
        code("action", vocab.actions, upper=True)
        code("rrma", vocab.rrmas)
        raw = single("collectivite")
        if raw is not None:
            if len(raw) <= 200 and raw in vocab.authorities:
                values["collectivite"] = raw
            else:
                bad("collectivite", raw)
        raw = single("pays")
        if raw:
            items = [p.strip().upper() for p in raw.split(SEP)][:50]
            good = tuple(sorted({p for p in items if p in vocab.countries}))
            if len(good) != len(items):
                bad("pays", raw)
            values["pays"] = good
        raw = single("odd")
        if raw:
            items = raw.split(SEP)[:17]
            good_odd = tuple(sorted({int(x) for x in items if x.strip().isdigit() and 1 <= int(x) <= 17}))
            if len(good_odd) != len(items):
                bad("odd", raw)
            values["odd"] = good_odd
        for name in ("debut", "fin"):
            raw = single(name)
            if raw is None:
                continue
            if raw.isdigit() and len(raw) == 4 and vocab.first_year <= int(raw) <= vocab.last_year:
                values[name] = int(raw)
            else:
                bad(name, raw)
        for name, allowed in (("budget", BUDGET_CHOICES), ("mesure", METRICS), ("lang", ("fr", "en"))):
            raw = single(name)
            if raw is None:
                continue
            if raw in allowed:
                values[name] = raw
            else:
                bad(name, raw)
        f = cls(**values)
        if f.debut and f.fin and f.debut > f.fin:
            bad("fin", f.fin)
            f = replace(f, fin=None)
        return f, ignored

    def to_query(self) -> str:
        """The query string (without ``?``) holding only what differs from the defaults, in a stable order."""
        default = Filters()
        pairs = []
        for f in fields(self):
            value = getattr(self, f.name)
            if value == getattr(default, f.name) or value in (None, ()):
                continue
            if isinstance(value, tuple):
                value = SEP.join(str(v) for v in value)
            pairs.append((f.name, str(value)))
        return urlencode(pairs, safe=SEP)
