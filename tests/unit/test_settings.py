"""Every COOPATLAS_* variable the code reads is a field of the one Settings object and a row of the README."""

import re
from pathlib import Path

from etl.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_settings_from_the_environment():
    s = Settings.from_env({"COOPATLAS_DB": "x.duckdb", "COOPATLAS_DEBUG": "1"}, cache_dir="/tmp/c")
    assert (s.db, s.debug, s.cache_dir) == ("x.duckdb", True, "/tmp/c")
    assert Settings.from_env({}).debug is False


def test_every_variable_is_declared_once_and_documented():
    declared = set(Settings.variables())
    used = set()
    for folder in ("etl", "geo", "dashboard"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name != "settings.py":
                used |= set(re.findall(r"COOPATLAS_[A-Z_]+", path.read_text(encoding="utf-8")))
    assert used <= declared, f"read outside Settings: {used - declared}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(f"`{v}`" in readme for v in declared), [v for v in declared if f"`{v}`" not in readme]


def test_settings_handed_to_a_child_process_through_its_environment_read_back_the_same():
    s = Settings(db="/srv/atlas.duckdb", debug=True, cache_dir="/tmp/c", export_slots=3, export_wait=7.5,
                 export_warm=False, editions_keep=0)
    assert Settings.from_env(s.to_env()) == s
