"""The filters, declared once: each :class:`Filter` says its URL parameter, its control, its SQL clause, where its
choices come from and its words. The view's state (:data:`Filters`), URL parsing and writing, the ``WHERE``
clause, the filter panel (in this order), reset, the API parameters and the OpenAPI document all loop over
:data:`FILTERS`.

Only non-default values go in the URL, with short stable codes (``?region=84&pays=MLI~BFA&odd=6~13``). Each
parameter parses as valid, invalid (logged and ignored) or missing; a link never leads to an error page.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

from etl.editions import is_date
from etl.normalise.text import fold_name
from etl.vocab import bit_mask, theme_mask

log = logging.getLogger(__name__)
SEP = "~"
_CODE = re.compile(r"^[A-Za-z0-9_]{1,40}$")


class Invalid(ValueError):
    """A parameter's value is malformed or unknown."""


@dataclass(frozen=True)
class Filter:
    """One filter of the partnerships.

    ``sql`` is the clause with one ``?`` for the value (for ``choices``: a clause per choice, without ``?``; for
    ``multi``: the clause of one value, repeated with OR; with ``bits``: the clause of the value's bit mask, one
    ``?``). A list column is tested through its mask (``partnerships.theme_bits``, ``odd_bits``): at a million rows
    ``list_contains`` adds 10–30 ms to a scan of 5 ms, ``list_has_any`` six times more, and a mask read from the
    database by a subquery (a nested-loop join) 1.5–2 ms.
    ``options`` is the SQL of its vocabulary: ``value, label_fr, label_en`` (and ``parent`` for a list that
    depends on another filter, ``alias`` for one more name); it gives the codes a URL may use, the labels shown
    and the names a URL may use instead of a code when they are unambiguous (``region=Bretagne``).
    """

    name: str
    label: str  # key of the control's label in the catalogues
    sql: str | Mapping[str, str]
    options: str | None = None
    control: str | None = "dropdown"  # dropdown | multi | year | radio | None (URL and API only)
    multi: bool = False
    bits: Callable[[object], int] | None = None  # the value as the bit mask ``sql`` tests (several: one mask)
    integer: bool = False
    upper: bool = False
    ordered: bool = False  # keep the SQL's order in the control (else sorted by label)
    choices: tuple[tuple[str, str], ...] = ()  # (value, label key) of a fixed choice
    group: str | None = None  # key of the legend of a fieldset holding consecutive controls
    # a range slider (``f-<range>``) shared by two consecutive year filters: the first is its low end, the second
    # its high end; the typed inputs stay the filters' controls (and the URL's), the slider moves with them
    range: str | None = None
    depends_on: str | None = None  # another filter whose value narrows this one's options (by ``parent``)
    keys: bool = False  # values are keys holding names (``NOM:73:syndicat des eaux``), not short codes
    summary: str | None = None  # key of the words stating the value in a subtitle ({value}); else "label : value"
    example: str = ""

    @property
    def control_id(self) -> str:
        return f"f-{self.name}"

    @property
    def api_key(self) -> str:
        """Key of the API's description of this parameter in the catalogues."""
        return f"api.{self.name}"

    @property
    def default(self):
        return () if self.multi else None

    def parse(self, raw: str, vocab: Vocabulary) -> object:
        """The value of a non-empty URL parameter; :class:`Invalid` when malformed or unknown. A list keeps its
        valid items (and is reported as invalid if any was dropped)."""
        if self.choices:
            if raw in {v for v, _ in self.choices}:
                return raw
            raise Invalid(raw)
        if self.control == "year":
            if raw.isascii() and raw.isdigit() and len(raw) == 4 and vocab.first_year <= int(raw) <= vocab.last_year:
                return int(raw)
            raise Invalid(raw)
        allowed = vocab.codes(self.name)
        if self.multi:
            items = [p.strip() for p in raw.split(SEP)][:50]
            good = sorted({v for v in (self._code(p, allowed) or vocab.by_name(self.name, p) for p in items)
                           if v is not None})
            value = tuple(good)
            if len(good) != len(items):
                raise Invalid(raw, value)
            return value
        value = self._code(raw, allowed)
        if value is None:
            value = vocab.by_name(self.name, raw)
        if value is None:
            raise Invalid(raw)
        return value

    def _code(self, raw: str, allowed: frozenset) -> object:
        text = raw.upper() if self.upper else raw
        if self.integer:
            return int(text) if text.isascii() and text.isdigit() and int(text) in allowed else None
        if self.keys:
            return text if len(text) <= 200 and text in allowed else None
        return text if _CODE.match(text) and text in allowed else None

    def clause(self, value) -> tuple[str, list]:
        if self.choices:
            return self.sql[value], []
        if self.bits:
            return self.sql, [self.bits(value)]
        if self.multi:
            return "(" + " OR ".join([self.sql] * len(value)) + ")", list(value)
        return self.sql, [value]

    def encode(self, value) -> str:
        return SEP.join(str(v) for v in value) if self.multi else str(value)

    def from_control(self, value) -> str | None:
        """A control's value (as the browser sends it) in the form of a URL parameter."""
        if isinstance(value, list | tuple):
            return SEP.join(str(v) for v in value if isinstance(v, str | int)) or None
        if isinstance(value, bool) or value in (None, ""):
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value) if isinstance(value, str | int) else None


VOCABULARY = "SELECT code AS value, label_fr, label_en FROM {table} ORDER BY code"

FILTERS: tuple[Filter, ...] = (
    Filter("region", "f_region", "p.fr_region_code = ?", summary="sum_region", options="""
        SELECT r.code AS value, r.name || coalesce(' — ' || rr.name, '') AS label_fr,
               r.name || coalesce(' — ' || rr.name, '') AS label_en, r.name AS alias
        FROM fr_regions r LEFT JOIN rrma rr ON rr.code = r.rrma ORDER BY r.name""", example="84"),
    Filter("rrma", "f_rrma", "p.rrma = ?", example="resacoop", summary="sum_rrma",
           options="SELECT code AS value, name AS label_fr, name AS label_en FROM rrma ORDER BY name"),
    Filter("departement", "f_departement", "p.fr_departement_code = ?", upper=True, ordered=True,
           depends_on="region", example="69", options="""
        SELECT code AS value, code || ' — ' || name AS label_fr, code || ' — ' || name AS label_en,
               region_code AS parent, name AS alias FROM fr_departements ORDER BY code"""),
    Filter("type", "f_type", "p.fr_authority_type = ?", VOCABULARY.format(table="authority_types"),
           example="commune"),
    Filter("pays", "f_pays", "p.partner_country_iso3 = ?", multi=True, upper=True,
           control="multi", example="MLI~BFA", options="""
        SELECT iso3 AS value, name_fr AS label_fr, name_en AS label_en FROM countries
        WHERE iso3 IN (SELECT DISTINCT partner_country_iso3 FROM partnerships)"""),
    Filter("zone", "f_zone", "p.partner_country_iso3 IN (SELECT iso3 FROM countries WHERE list_contains(zones, ?))",
           ordered=True, example="sahel",
           options="SELECT code AS value, label_fr, label_en FROM zones ORDER BY position"),
    Filter("theme", "f_theme", "(p.theme_bits & ?) <> 0", VOCABULARY.format(table="themes"), bits=theme_mask,
           upper=True, example="EAU"),
    Filter("odd", "f_odd", "(p.odd_bits & ?) <> 0", multi=True, bits=bit_mask, integer=True, control="multi",
           ordered=True, example="6~13", options="""
        SELECT number AS value, number || '. ' || label_fr AS label_fr, number || '. ' || label_en AS label_en
        FROM odd ORDER BY number"""),
    Filter("action", "f_action", "p.action_type = ?", VOCABULARY.format(table="action_types"), upper=True,
           example="COOP_DEC"),
    Filter("debut", "f_from", "p.start_year >= ?", control="year", group="f_years", range="years", example="2012",
           summary="sum_debut"),
    Filter("fin", "f_to", "p.start_year <= ?", control="year", group="f_years", range="years", example="2020",
           summary="sum_fin"),
    Filter("budget", "f_budget", {"connu": "p.budget_eur IS NOT NULL", "inconnu": "p.budget_eur IS NULL"},
           control="radio", choices=(("connu", "budget_known"), ("inconnu", "budget_unknown")), example="connu"),
    Filter("statut", "f_statut", "p.status = ?", VOCABULARY.format(table="statuses"), example="en_cours"),
    Filter("collectivite", "f_collectivite", "p.fr_authority_key = ?", control=None, keys=True,
           example="COM:69123",
           options="""SELECT fr_authority_key AS value, mode(fr_authority_name) AS label_fr,
                             mode(fr_authority_name) AS label_en FROM partnerships GROUP BY 1"""),
)

BY_NAME: dict[str, Filter] = {f.name: f for f in FILTERS}


def ranges(specs: tuple[Filter, ...]) -> list[tuple[str, Filter, Filter]]:
    """The range sliders of a set of filters: ``(range, low end, high end)``, from the filters naming it."""
    named: dict[str, list[Filter]] = {}
    for spec in specs:
        if spec.range:
            named.setdefault(spec.range, []).append(spec)
    for name, ends in named.items():
        if len(ends) != 2 or ends[0].control != "year" or ends[1].control != "year":
            raise ValueError(f"range {name!r} needs two year filters, has {[s.name for s in ends]}")
    return [(name, low, high) for name, (low, high) in named.items()]


@dataclass(frozen=True)
class Measure:
    """What the maps colour by and the rankings sort by: a URL value, its label and the column of the per-key
    statistics (per country, per region), and how its values read (euros, decimals)."""

    value: str
    label: str
    column: str
    money: bool = False
    decimals: int = 0
    per_capita: bool = False  # a rate per inhabitants
    rank_min: int = 0  # rankings leave out keys with fewer partnerships (a rate of one partnership is noise)


MEASURES: tuple[Measure, ...] = (
    Measure("partenariats", "m_partnerships", "partnerships"),
    Measure("collectivites", "m_authorities", "authorities"),
    Measure("budget", "m_budget", "budget", money=True),
    # partnerships per 100,000 inhabitants of the partner country, or of the French region
    Measure("par_habitant", "m_per_100k", "partnerships_per_100k", decimals=1, per_capita=True,
            rank_min=5),
)
MEASURE: dict[str, Measure] = {m.value: m for m in MEASURES}
# Parameters of the view that do not select partnerships: (name, allowed values or a test of a value, default).
# ``edition`` pins the view to a kept edition (etl/editions.py; the app resolves the date to a database before
# the filters are parsed, and answers 404/400 for a date it does not keep); empty: the latest.
VIEW_PARAMETERS = (("mesure", tuple(MEASURE), MEASURES[0].value), ("lang", ("fr", "en"), "fr"),
                   ("edition", is_date, ""))
PARAMETERS = tuple(f.name for f in FILTERS) + tuple(name for name, _, _ in VIEW_PARAMETERS)


@dataclass(frozen=True)
class Vocabulary:
    """The choices of each filter, read from the database once per build: ``options[name]`` is a tuple of
    ``(value, label_fr, label_en, parent)`` in the SQL's order."""

    options: Mapping[str, tuple[tuple, ...]]
    first_year: int
    last_year: int
    aliases: Mapping[str, tuple[tuple, ...]] = field(default_factory=dict)  # (value, other name)
    _codes: dict = field(default_factory=dict, compare=False, repr=False)
    _names: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, first_year: int = 1945, last_year: int = 2036, **codes) -> Vocabulary:
        """A vocabulary from bare codes (labels ``name <code>``), for tests and tools."""
        return cls({name: tuple((c, f"name {c}", f"name {c}", None) for c in sorted(values))
                    for name, values in codes.items()}, first_year, last_year)

    def codes(self, name: str) -> frozenset:
        if name not in self._codes:
            self._codes[name] = frozenset(o[0] for o in self.options.get(name, ()))
        return self._codes[name]

    def by_name(self, name: str, text: str):
        """The code whose label (either language) or other name folds to ``text``, if only one does."""
        if name not in self._names:
            index: dict[str, set] = {}
            for value, fr, en, _parent in self.options.get(name, ()):
                for label in (fr, en):
                    index.setdefault(fold_name(label), set()).add(value)
            for value, alias in self.aliases.get(name, ()):
                index.setdefault(fold_name(alias), set()).add(value)
            self._names[name] = {k: next(iter(v)) for k, v in index.items() if len(v) == 1}
        return self._names[name].get(fold_name(text)) if len(text) <= 100 else None

    def label(self, name: str, value, lang: str) -> str:
        for o in self.options.get(name, ()):
            if o[0] == value:
                return o[1 if lang == "fr" else 2]
        return str(value)

    def choices(self, name: str, lang: str, parent: str | None = None) -> list[dict]:
        """``{"label", "value"}`` for a control, in the SQL's order or by label, narrowed to ``parent``."""
        spec = BY_NAME[name]
        rows = [o for o in self.options.get(name, ()) if parent is None or o[3] == parent]
        items = [{"label": o[1 if lang == "fr" else 2], "value": o[0]} for o in rows]
        return items if spec.ordered else sorted(items, key=lambda i: i["label"])


class _State:
    """Methods of :data:`Filters`; its fields are generated from :data:`FILTERS` and :data:`VIEW_PARAMETERS`."""

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

        for spec in FILTERS:
            raw = _single(query, spec.name)
            if raw is None:
                continue
            try:
                values[spec.name] = spec.parse(raw, vocab)
            except Invalid as exc:
                bad(spec.name, raw)
                if len(exc.args) > 1:  # a list keeps its valid part
                    values[spec.name] = exc.args[1]
        for name, allowed, _default in VIEW_PARAMETERS:
            raw = _single(query, name)
            if raw is None:
                continue
            if allowed(raw) if callable(allowed) else raw in allowed:
                values[name] = raw
            else:
                bad(name, raw)
        f = cls(**values)
        if f.debut and f.fin and f.debut > f.fin:
            bad("fin", f.fin)
            f = dataclasses.replace(f, fin=None)
        return f, ignored

    def to_query(self) -> str:
        """The query string (without ``?``) holding only what differs from the defaults, in a stable order."""
        pairs = []
        for spec in FILTERS:
            value = getattr(self, spec.name)
            if value not in (None, ()):
                pairs.append((spec.name, spec.encode(value)))
        for name, _allowed, default in VIEW_PARAMETERS:
            value = getattr(self, name)
            if value != default:
                pairs.append((name, value))
        return urlencode(pairs, safe=SEP)

    def active(self) -> list[tuple[Filter, object]]:
        """The filters that are set, with their values, in the catalogue's order."""
        return [(spec, getattr(self, spec.name)) for spec in FILTERS if getattr(self, spec.name) not in (None, ())]

    def without(self, *names: str) -> Filters:
        """The same view with some filters cleared (a map drops its own dimension to keep the rest visible)."""
        return dataclasses.replace(self, **{n: BY_NAME[n].default for n in names})


Filters = dataclasses.make_dataclass(
    "Filters",
    [(s.name, object, field(default=s.default)) for s in FILTERS]
    + [(name, str, field(default=default)) for name, _allowed, default in VIEW_PARAMETERS],
    bases=(_State,), frozen=True,
)
Filters.__module__ = __name__
Filters.__doc__ = "The view's state: every filter's value, the measure, the language and the edition."


def query_dict(query) -> dict[str, str]:
    """A query string as a dict; a repeated key keeps its last value; anything but a string is empty."""
    return {k: v[-1] for k, v in parse_qs(query if isinstance(query, str) else "").items()}


def _single(query: Mapping[str, object], name: str) -> str | None:
    raw = query.get(name)
    if isinstance(raw, list | tuple):  # repeated key: the last one wins
        raw = raw[-1] if raw else None
    if raw is None or raw == "":
        return None
    return str(raw).strip() or None


def where(f: Filters, skip: tuple[str, ...] = ()) -> tuple[str, list]:
    """The WHERE clause (with ``?`` placeholders) and its parameters; ``skip`` names filters left out."""
    clauses, params = ["TRUE"], []
    for spec, value in f.active():
        if spec.name in skip:
            continue
        sql, values = spec.clause(value)
        clauses.append(sql)
        params.extend(values)
    return " AND ".join(clauses), params
