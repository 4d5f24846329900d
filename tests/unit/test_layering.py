"""Dependency direction: ``etl`` uses ``geo``, never the other way round."""

import subprocess
import sys

from tests.conftest import ROOT

IMPORT_ALL_OF_GEO = """
import importlib, pkgutil, sys
import geo
names = sorted(m.name for m in pkgutil.iter_modules(geo.__path__, "geo."))
for name in names:
    importlib.import_module(name)
print(" ".join(names))
print(" ".join(sorted(m for m in sys.modules if m == "etl" or m.startswith("etl."))))
"""


def test_geo_imports_nothing_of_etl():
    p = subprocess.run([sys.executable, "-c", IMPORT_ALL_OF_GEO], cwd=ROOT, capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 0, p.stderr
    imported, etl_modules = (p.stdout.splitlines() + ["", ""])[:2]
    assert {"geo.prepare", "geo.zones", "geo.insets"} <= set(imported.split())
    assert etl_modules == "", f"geo imports {etl_modules}"
