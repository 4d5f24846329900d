"""Exports of a region's view as a 16:9 PNG slide and an A4 PDF, rendered offline by a real headless Chromium
(Debian's ``chromium``) from the app's own print views; every other host is unresolvable for it.

Exports never take the serving threads from the pages:

- Chromium loads the print view from a **private loopback server** (an ephemeral port on 127.0.0.1 serving the
  same app, in a process of its own at the idle priority: :class:`_Pages`), never through the public server's
  threads and never at an address taken from the request (a ``Host`` header cannot steer it, nor the cache,
  keyed by build, region, format and language).
- Chromium is **kept running** between renders (:mod:`dashboard.chromium`, one per process, closed after a minute
  without a render): starting one per render cost far more than the render and slowed the pages down even at the
  idle priority. A render whose print view does not draw (:data:`PRINT_DRAWN`) fails: nothing is cached.
- Renders run **one at a time** (per export folder: all the workers of ``serve --workers`` share one folder and
  one lock), at the lowest CPU priority (``SCHED_IDLE``), from a **bounded queue**: when it is full, or when
  every slot of the process is taken, the answer is an immediate ``503`` with ``Retry-After``; a request waits
  for its render at most ``COOPATLAS_EXPORT_WAIT`` seconds (then 503 + Retry-After; the render goes on and the
  next try is served from the cache).
- Heavy downloads of any kind (CSV of the dashboard and of the API, PNG/PDF) share a per-process limit of
  concurrent requests (:func:`bounded`, :func:`limiter`).
- Optionally (``COOPATLAS_EXPORT_WARM=1``, the default under ``serve --workers``) the French exports of every
  region are rendered in the background after a build is loaded, so that readers find them in the cache.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import http.client
import json
import logging
import os
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from flask import Flask, Response, abort, request, send_file
from markupsafe import escape

from dashboard import links
from dashboard.chromium import OWN_GROUP, Browser, ExportUnavailable, kill_group, lowest_priority
from dashboard.i18n import lang_of, t
from etl.editions import UnknownEdition
from etl.settings import Settings

log = logging.getLogger(__name__)
FORMATS = {"png": ("diapo", (1600, 900)), "pdf": ("a4", (794, 1123))}
SECONDS_PER_RENDER = 5     # for Retry-After: about what one render takes on a loaded 2-core machine
CSV_RETRY_AFTER_S = 5
WARM_POLL_S = 5.0          # how often the warm-up looks for a new build when idle
WARM_DELAY_S = 10.0        # the warm-up of a build starts this long after the worker sees it (readers first)
PRUNE_AFTER_S = 600        # exports of another build are deleted once this old
CHROMIUM_TIMEOUT_S = 60
PAGES_START_S = 60         # the page server's start (at the idle priority), or its catching up with a rebuild
WAITERS = 1                # serving threads of a process that may wait for a render (the others: 503 at once)


class _Superseded(RuntimeError):
    """The build of a queued export was replaced before its render."""


# --- the per-process limit of heavy downloads -----------------------------------------------------------------

class Limiter:
    """At most ``slots`` heavy requests at once in this process; never waits."""

    def __init__(self, slots: int):
        self.slots = slots
        self._free = threading.Semaphore(slots)

    def try_acquire(self) -> bool:
        return self._free.acquire(blocking=False)

    def release(self) -> None:
        self._free.release()


DRAINING = threading.Event()  # set when this process stops serving: nobody waits for a render any more


def drain() -> None:
    """This process is about to exit (a gunicorn worker recycled by max_requests): requests waiting for a render
    are answered 503 + Retry-After at once, so that they do not hold up the exit (another worker renders)."""
    DRAINING.set()


_LIMITER: Limiter | None = None
_LIMITER_LOCK = threading.Lock()


def limiter() -> Limiter:
    """This process's limiter (``COOPATLAS_EXPORT_SLOTS``), made at first use."""
    global _LIMITER
    with _LIMITER_LOCK:
        if _LIMITER is None:
            _LIMITER = Limiter(Settings.from_env().export_slots)
        return _LIMITER


def busy(retry_after: int, lang: str, text_key: str = "busy_text") -> Response:
    """503 with Retry-After, never cached. A browser following a download link gets a page in its language that
    reloads itself after that delay (``Refresh``), so that the download starts once the file is ready; another
    client gets the sentence as plain text."""
    text = t(text_key, lang, seconds=retry_after)
    headers = {"Retry-After": str(retry_after), "Cache-Control": "no-store"}
    if request.accept_mimetypes.best_match(["text/plain", "text/html"]) != "text/html":
        return Response(text + "\n", status=503, mimetype="text/plain", headers=headers)
    page = (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{escape(t("busy_title", lang))}</title><link rel="stylesheet" href="/assets/style.css"></head>'
            f'<body><main class="busy-page"><h1>{escape(t("busy_title", lang))}</h1><p>{escape(text)}</p>'
            f'<p>{escape(t("busy_refresh", lang))}</p></main></body></html>')
    return Response(page, status=503, mimetype="text/html", headers={**headers, "Refresh": str(retry_after)})


def bounded(make: Callable[[], Response], lang: str) -> Response:
    """``make()`` in one of this process's heavy-download slots, or an immediate 503 + Retry-After."""
    slots = limiter()
    if not slots.try_acquire():
        return busy(CSV_RETRY_AFTER_S, lang)
    try:
        return make()
    finally:
        slots.release()


# --- Chromium ---------------------------------------------------------------------------------------------------

_RUNNING: set[subprocess.Popen] = set()  # page servers of this process, killed if it exits
_BROWSER = Browser()  # this process's kept Chromium (started at the first render, closed when idle)
# The print view is drawn: its root is there and every graph has its SVG (a page that failed is not exported).
PRINT_DRAWN = """document.getElementById('print-ready') !== null
    && [...document.querySelectorAll('.print-graph')].every(g => g.querySelector('.main-svg') !== null)"""


_OWN_FOLDERS: dict[Path, int] = {}  # exporters' own folders of cached files, with the process that made each


@atexit.register
def _kill_running() -> None:
    """At exit: the page servers and the kept Chromium stopped, then the exporters' own folders removed (those
    of this process, not of a forked child's), nothing rendering into them any more."""
    for proc in list(_RUNNING):
        kill_group(proc)
    _BROWSER.close_now()
    for folder, pid in list(_OWN_FOLDERS.items()):
        if os.getpid() == pid:
            shutil.rmtree(folder, ignore_errors=True)


def run_chromium(url: str, out: Path, fmt: str, width: int, height: int, timeout: float) -> None:
    """The print view at ``url`` written to ``out`` by this process's kept Chromium (:mod:`dashboard.chromium`);
    RenderError when it is not drawn within ``timeout`` seconds."""
    out.write_bytes(_BROWSER.render(url, fmt, width, height, timeout, ready=PRINT_DRAWN))


# --- the private server Chromium reads the print views from -----------------------------------------------------

def _uncompressed(app: Flask):
    """The app for Chromium on loopback: nothing to gain from compressing 5 MB of scripts for each render."""
    def wsgi(environ, start_response):
        environ.pop("HTTP_ACCEPT_ENCODING", None)
        return app(environ, start_response)
    return wsgi


def serve_pages() -> None:
    """The page server's process (:class:`_Pages`): the app, with the settings of the worker that started it, on
    an ephemeral loopback port written on stdout; it exits when that worker closes its stdin (or dies)."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    from dashboard.app import create_app

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args, **kwargs) -> None:
            pass

    app = create_app(Settings.from_env())
    server = make_server("127.0.0.1", 0, _uncompressed(app.server), threaded=True, request_handler=Quiet)
    threading.Thread(target=server.serve_forever, name="coopatlas-export-pages", daemon=True).start()
    print(server.server_port, flush=True)
    sys.stdin.buffer.read()
    os._exit(0)


class _Pages:
    """The private server Chromium reads the print views from: a process of its own, started with the first
    render, at the idle priority like Chromium, so that rendering a print view (its layout, its figures, 5 MB of
    scripts) takes neither CPU nor the GIL from the serving threads of the worker. One per worker, which it
    follows: it reads the same files with the same settings, and exits with it (its stdin closes)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._proc: subprocess.Popen | None = None
        self.port = 0

    def start(self) -> None:
        """Started, or started again if it died; RuntimeError when it does not answer in time."""
        if self._proc is not None and self._proc.poll() is None:
            return
        env = {**os.environ, **self.settings.to_env(), "COOPATLAS_EXPORT_WARM": "0"}
        cmd = lowest_priority([sys.executable, "-c", "from dashboard.exports import serve_pages; serve_pages()"])
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, **OWN_GROUP)
        _RUNNING.add(proc)
        deadline = time.monotonic() + PAGES_START_S
        line = b""
        while not line.strip().isdigit():
            ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
            line = proc.stdout.readline() if ready else b""
            if not ready or not line:
                self._stop(proc)
                raise RuntimeError("the page server of the exports did not start")
        self._proc, self.port = proc, int(line)

    def latest(self) -> str | None:
        """The build it serves as the latest (its own Atlas notices a rebuild within a second), None if it does
        not answer."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=PAGES_START_S)
        try:
            conn.request("GET", links.aggregates("odd"))
            return json.loads(conn.getresponse().read()).get("build")
        except (OSError, ValueError, http.client.HTTPException):
            return None
        finally:
            conn.close()

    @staticmethod
    def _stop(proc: subprocess.Popen) -> None:
        _RUNNING.discard(proc)
        kill_group(proc)

    def close(self) -> None:
        if self._proc is not None:
            self._stop(self._proc)
            self._proc = None


# --- renders --------------------------------------------------------------------------------------------------

@dataclass
class _Job:
    key: tuple[str, str, str, str]  # build, region, format, language
    out: Path
    edition: str = ""  # the kept edition whose build it is ("" for the latest)
    done: threading.Event = field(default_factory=threading.Event)
    error: Exception | None = None


class Exporter:
    """Renders and keeps exports per (build, region, format, language); see the module's docstring."""

    def __init__(self, atlas, server: Flask, settings: Settings | None = None):
        self.atlas, self.server = atlas, server
        self.settings = settings or Settings.from_env()
        self._folder = Path(self.settings.export_dir) if self.settings.export_dir else None
        self._cond = threading.Condition()
        self._pending: OrderedDict[tuple, _Job] = OrderedDict()
        self._running: _Job | None = None
        self._thread: threading.Thread | None = None
        # the private page server, started with the first render, with the app's settings and database
        self._pages = _Pages(replace(server.config.get("coopatlas.settings", self.settings), db=str(atlas.path)))
        self._closed = False
        self._waiter = threading.Semaphore(WAITERS)
        self._warmed = self._warming = None  # builds whose warm-up is done / under way
        self._warm_from = 0.0
        server.extensions["coopatlas.exports"] = self
        if self.settings.export_warm:
            server.before_request(self._start)  # in the serving process only (not in gunicorn's master)

    @property
    def folder(self) -> Path:
        if self._folder is None:  # no folder given: one of its own, removed with the process that made it
            self._folder = Path(tempfile.mkdtemp(prefix="coopatlas-exports-"))
            _OWN_FOLDERS[self._folder] = os.getpid()
        self._folder.mkdir(parents=True, exist_ok=True)
        return self._folder

    def path(self, build: str, code: str, fmt: str, lang: str) -> Path:
        return self.folder / f"{build}-{code}-{lang}.{fmt}"

    # the route ---------------------------------------------------------------------------------------------
    def response(self, code: str, fmt: str, lang: str | None, edition: str | None = None) -> Response:
        """``/export/region/<code>.<fmt>``: the cached file, or a render in the queue, or 503 + Retry-After;
        ``edition``: that of a kept edition (its build's file, cached like the latest's)."""
        try:
            snap = self.atlas.snapshot(edition)
        except UnknownEdition:
            abort(404)
        if fmt not in FORMATS or code not in snap.vocab.codes("region"):
            abort(404)
        lang = lang_of(lang)
        out = self.path(snap.version, code, fmt, lang)
        name = f"coopatlas-region-{code}-{lang}.{fmt}"
        sent = self._send(out, fmt, name)
        if sent is not None:
            return sent
        job = self.submit(snap.version, code, fmt, lang, snap.facts.edition or "")  # queued even if not awaited
        if job is None:
            return busy(self.retry_after(), lang)
        # One serving thread at most waits, and only for a render that has nothing ahead of it: a thread held
        # longer would be missing for the pages (and would hold up a worker recycled by max_requests).
        if self._place(job) > 0 or not self._waiter.acquire(blocking=False):
            return busy(self.retry_after(job), lang)
        try:
            slots = limiter()
            if not slots.try_acquire():
                return busy(self.retry_after(job), lang)
            try:
                deadline = time.monotonic() + self.settings.export_wait
                while not job.done.wait(0.2):
                    if DRAINING.is_set() or time.monotonic() > deadline:
                        return busy(self.retry_after(job), lang)
            finally:
                slots.release()
        finally:
            self._waiter.release()
        if isinstance(job.error, _Superseded):
            return busy(self.retry_after(), lang)
        if isinstance(job.error, ExportUnavailable):
            log.warning("%s", job.error)
            return Response(t("export_unavailable", lang) + "\n", status=503, mimetype="text/plain")
        if job.error is not None:
            log.warning("export impossible : %s", job.error)
            return busy(self.retry_after(), lang, "export_failed")
        return self._send(job.out, fmt, name) or busy(self.retry_after(), lang)

    @staticmethod
    def _send(path: Path, fmt: str, name: str) -> Response | None:
        try:
            return send_file(path, mimetype="image/png" if fmt == "png" else "application/pdf",
                             as_attachment=True, download_name=name, max_age=300)
        except FileNotFoundError:
            return None

    def _place(self, job: _Job | None) -> int:
        """Renders of this process ahead of ``job`` (else of a new job)."""
        with self._cond:
            pending = list(self._pending.values())
            ahead = pending.index(job) if job in pending else len(pending) if job is None else 0
            return ahead + (self._running is not None and self._running is not job)

    def queued(self) -> int:
        """Renders of this process queued or running."""
        return self._place(None)

    def retry_after(self, job: _Job | None = None) -> int:
        """Seconds until ``job`` (else a new job) is likely rendered."""
        return min(120, SECONDS_PER_RENDER * (self._place(job) + 1))

    # the queue ---------------------------------------------------------------------------------------------
    def submit(self, build: str, code: str, fmt: str, lang: str, edition: str = "") -> _Job | None:
        """The job rendering this export (a new one, or the one already queued); None when the queue is full."""
        key = (build, code, fmt, lang)
        with self._cond:
            self._ensure_thread()
            if self._running is not None and self._running.key == key:
                return self._running
            job = self._pending.get(key)
            if job is None:
                if len(self._pending) >= self.settings.export_queue:
                    return None
                job = self._pending[key] = _Job(key, self.path(*key), edition=edition)
                self._cond.notify_all()
            return job

    def _start(self) -> None:
        if self._thread is None:
            with self._cond:
                self._ensure_thread()

    def _ensure_thread(self) -> None:  # with self._cond held
        if self._thread is None and not self._closed:
            self._thread = threading.Thread(target=self._loop, name="coopatlas-exports", daemon=True)
            self._thread.start()

    def _loop(self) -> None:
        while True:
            with self._cond:
                if self._closed:
                    return
                job = self._pending.popitem(last=False)[1] if self._pending else None
                self._running = job
            warm_up = job is None and self.settings.export_warm
            if warm_up:
                job = self._next_warm_up()
            if job is None:
                with self._cond:
                    if not self._pending and not self._closed:
                        self._cond.wait(WARM_POLL_S if self.settings.export_warm else None)
                continue
            try:
                self._render(job)
            finally:
                with self._cond:
                    self._running = None
            if warm_up and job.error is not None and not isinstance(job.error, _Superseded):
                self._warmed = job.key[0]  # no retrying in a loop: readers' requests will try again
                log.warning("préparation des exports du build %s abandonnée : %s", job.key[0], job.error)

    def _render(self, job: _Job) -> None:
        build, code, fmt, lang = job.key
        tmp = job.out.with_name(f".{job.out.stem}.{os.getpid()}.{threading.get_ident()}.tmp.{fmt}")
        try:
            with self._one_chromium():
                if build != self._served(job.edition):
                    raise _Superseded(build)  # queued before a rebuild: its page is no longer served
                if not job.out.exists():  # another worker may have rendered it meanwhile
                    view, (width, height) = FORMATS[fmt]
                    self._catch_up(job)
                    if self._closed:  # closed while its page server started: nobody serves its answer any more
                        raise _Superseded(build)
                    with links.pinned(job.edition):
                        url = f"http://127.0.0.1:{self._pages.port}" + links.region(code, lang, view)
                    started = time.perf_counter()
                    run_chromium(url, tmp, fmt, width, height, CHROMIUM_TIMEOUT_S)
                    if not tmp.exists() or tmp.stat().st_size == 0:
                        raise RuntimeError(f"Chromium produced no {fmt} for {url}")
                    os.replace(tmp, job.out)
                    log.info("export %s rendu en %.1f s", job.out.name, time.perf_counter() - started)
        except Exception as exc:  # reported to the waiting request, never raised in this thread
            job.error = exc
        finally:
            tmp.unlink(missing_ok=True)
            job.done.set()

    def _catch_up(self, job: _Job) -> None:
        """The page server started, serving the job's build (an edition's is opened by its date)."""
        self._pages.start()
        deadline = time.monotonic() + PAGES_START_S
        while not job.edition and self._pages.latest() != job.key[0]:
            if job.key[0] != self._served(""):
                raise _Superseded(job.key[0])
            if time.monotonic() > deadline:
                raise RuntimeError(f"the page server of the exports does not serve build {job.key[0]}")
            time.sleep(0.2)

    def _served(self, edition: str) -> str | None:
        """The build served as ``edition`` now (the latest's for ""), None when that edition is no longer kept."""
        try:
            return self.atlas.snapshot(edition or None).version
        except UnknownEdition:
            return None

    @contextlib.contextmanager
    def _one_chromium(self) -> Iterator[None]:
        """One render at a time for every process sharing this folder (the workers of one server)."""
        with open(self.folder / ".render.lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    # the warm-up -------------------------------------------------------------------------------------------
    def _next_warm_up(self) -> _Job | None:
        """The next French export of the current build missing from the cache, or None when all are there."""
        try:
            snap = self.atlas.current()
        except Exception:  # a database that just vanished: try later
            return None
        build = snap.version
        if build == self._warmed:
            return None
        if build != self._warming:
            self._warming, self._warm_from = build, time.monotonic() + WARM_DELAY_S
            self._prune(build)
            log.info("préparation des exports du build %s dans %.0f s", build, WARM_DELAY_S)
        if time.monotonic() < self._warm_from:
            return None
        for code in sorted(snap.vocab.codes("region")):
            for fmt in FORMATS:
                out = self.path(build, code, fmt, "fr")
                if not out.exists():
                    return _Job((build, code, fmt, "fr"), out)
        self._warmed = build
        log.info("exports du build %s prêts", build)
        return None

    def _prune(self, build: str) -> None:
        old = time.time() - PRUNE_AFTER_S
        # the dot files are renders (or CSV files, in csv/) a process left unfinished
        for path in [*self.folder.glob("*.p[dn][fg]"), *self.folder.glob("csv/*.gz"), *self.folder.glob("csv/.*")]:
            with contextlib.suppress(OSError):
                if (path.name.startswith(".") or not path.name.startswith(f"{build}-")) and path.stat().st_mtime < old:
                    path.unlink()

    def close(self) -> None:
        """Stop the render thread and the private server (tests; a worker's exit needs nothing)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._pages.close()
        _BROWSER.close()
