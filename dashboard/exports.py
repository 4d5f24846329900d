"""Exports of a region's view as a 16:9 PNG slide and an A4 PDF, rendered offline by a real headless Chromium
(Debian's ``chromium``) from the app's own print views; every other host is unresolvable for it."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from dashboard import links

FORMATS = {"png": ("diapo", (1600, 900)), "pdf": ("a4", (794, 1123))}


class ExportUnavailable(RuntimeError):
    """No Chromium on this machine; the message says how to install it."""


def chromium() -> str:
    found = os.environ.get("COOPATLAS_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise ExportUnavailable("exports need Chromium: apt-get install chromium (or set COOPATLAS_CHROMIUM)")
    return found


class Exporter:
    """Renders and keeps exports per (build, region, format, language)."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="coopatlas-exports-"))
        self._lock = threading.Lock()

    def render(self, base_url: str, build: str, code: str, fmt: str, lang: str, timeout: float = 60) -> Path:
        view, (width, height) = FORMATS[fmt]
        out = self.folder / f"{build}-{code}-{lang}.{fmt}"
        if out.exists():
            return out
        url = base_url.rstrip("/") + links.region(code, lang, view)
        with self._lock, tempfile.TemporaryDirectory(prefix="coopatlas-chromium-") as profile:
            tmp = out.with_suffix(f".tmp.{fmt}")
            target = [f"--screenshot={tmp}"] if fmt == "png" else [f"--print-to-pdf={tmp}", "--no-pdf-header-footer"]
            cmd = [chromium(), "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                   "--hide-scrollbars", "--no-first-run", "--disable-background-networking",
                   "--disable-component-update", "--disable-sync", "--disable-quic", f"--user-data-dir={profile}",
                   "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost",
                   f"--window-size={width},{height}", "--virtual-time-budget=30000", "--run-all-compositor-stages"
                   "-before-draw", *target, url]
            subprocess.run(cmd, check=True, timeout=timeout, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if not tmp.exists() or tmp.stat().st_size == 0:
                raise RuntimeError(f"Chromium produced no {fmt} for {url}")
            os.replace(tmp, out)
        return out
