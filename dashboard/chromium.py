"""A headless Chromium kept running between renders, driven over its DevTools pipe.

Starting Chromium for each render cost about a second of CPU and a burst of process creations (browser, zygote,
renderer, GPU and utility processes). Measured on a 2-core machine, renders in a loop doubled the filter-change
time of the serving process even with Chromium at the idle priority: creating and tearing down processes is
kernel work that the idle priority does not hold back. In a kept browser a render is a new tab, with a fraction
of that cost. The browser:

- is driven over ``--remote-debugging-pipe`` (its file descriptors 3 and 4): no port, so no other local process
  can drive it; every host but the loopback is unresolvable for it;
- runs at the lowest CPU priority there is (:func:`lowest_priority`), in a process group of its own but in the
  session of the process that starts it (:data:`OWN_GROUP`);
- opens each render in a new tab, closed afterwards; waits as ``--virtual-time-budget`` does (virtual time runs
  while no fetch is pending, up to a budget), checks that the page is drawn, then prints or takes the screenshot;
- is closed after :data:`IDLE_S` seconds without a render, when a render fails (the next one starts another),
  and when the process that started it exits (its end of the pipe closes, and Chromium quits).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time

from etl.settings import Settings

NICE = 19          # Chromium's nice value where chrt is missing (else SCHED_IDLE: it waits for idle CPU)
IDLE_S = 60.0      # a browser without a render for this long is closed (its memory given back)
START_S = 30.0     # the browser's start, at the idle priority on a busy machine
BUDGET_MS = 30_000  # virtual time a page has to settle (it does not run while a fetch is pending)
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
         "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-quic", "--run-all-compositor-stages-before-draw", "--remote-debugging-pipe",
         "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost")


class ExportUnavailable(RuntimeError):
    """No Chromium on this machine; the message says how to install it."""


class RenderError(RuntimeError):
    """A page that could not be rendered: Chromium's answer, a page that did not draw, or no answer in time."""


def executable() -> str:
    found = Settings.from_env().chromium or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise ExportUnavailable("exports need Chromium: apt-get install chromium (or set COOPATLAS_CHROMIUM)")
    return found


def lowest_priority(cmd: list[str]) -> list[str]:
    """``cmd`` run at the lowest CPU priority there is: the ``SCHED_IDLE`` policy (``chrt --idle``), which its
    threads keep whatever nice values they set themselves (Chromium, run as root, sets -8 to 5 on its own threads,
    undoing ``nice``), and ``nice 19`` where ``chrt`` is missing."""
    chrt, nice = shutil.which("chrt"), shutil.which("nice")
    if chrt:
        cmd = [chrt, "--idle", "0", *cmd]
    if nice:
        cmd = [nice, "-n", str(NICE), *cmd]
    return cmd


# Popen's arguments for a helper process (Chromium, the exports' page server): a process group of its own, so that
# it can be killed with all its children, and not a session of its own. Linux gives each session its own CPU
# share (the "autogroup" of sched(7)) and SCHED_IDLE only yields within a share: started with setsid, Chromium at
# the idle priority took half of a 2-core machine from the serving workers during a burst of exports.
OWN_GROUP = {"process_group": 0}


def kill_group(proc: subprocess.Popen) -> None:
    """``proc`` and every process of its process group killed, and waited for."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


class Browser:
    """One kept Chromium; :meth:`render` may be called from any thread (renders run one at a time)."""

    def __init__(self, idle_s: float = IDLE_S):
        self.idle_s = idle_s
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._profile: str | None = None
        self._send_fd = self._recv_fd = -1
        self._buffer, self._scanned = bytearray(), 0  # what Chromium sent, and how far it holds no message end
        self._events: list[dict] = []
        self._next_id = 0
        self._used = 0.0
        self._timer: threading.Timer | None = None

    @property
    def pid(self) -> int | None:
        """The browser's process id while it runs."""
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    # the protocol --------------------------------------------------------------------------------------------
    def _start(self, deadline: float) -> None:
        self._profile = tempfile.mkdtemp(prefix="coopatlas-chromium-")
        commands_r, commands_w = os.pipe()
        answers_r, answers_w = os.pipe()
        # The pipes reach the shell as its standard input and output; it moves them to the descriptors 3
        # (commands) and 4 (answers) Chromium reads and writes, then becomes Chromium.
        script = 'exec "$@" 3<&0 4>&1 0</dev/null 1>/dev/null'
        cmd = lowest_priority(["/bin/sh", "-c", script, "sh", executable(), *FLAGS,
                               f"--user-data-dir={self._profile}", "about:blank"])
        try:
            self._proc = subprocess.Popen(cmd, stdin=commands_r, stdout=answers_w, stderr=subprocess.DEVNULL,
                                          **OWN_GROUP)
        finally:
            os.close(commands_r)
            os.close(answers_w)
        self._send_fd, self._recv_fd = commands_w, answers_r
        self._buffer, self._scanned, self._events = bytearray(), 0, []
        self.call("Browser.getVersion", deadline=min(deadline, time.monotonic() + START_S))

    def call(self, method: str, params: dict | None = None, *, session: str | None = None,
             deadline: float) -> dict:
        """One DevTools command and its result; the events read meanwhile are kept for :meth:`_event`."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self._send_fd, data):]
        while True:
            answer = self._read(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise RenderError(f"{method}: {answer['error'].get('message', answer['error'])}")
                return answer.get("result", {})
            if "method" in answer:
                self._events.append(answer)

    def _event(self, method: str, session: str, deadline: float) -> dict:
        """The first event ``method`` of the tab ``session``, read or waited for."""
        while True:
            for event in self._events:
                if event["method"] == method and event.get("sessionId") == session:
                    self._events.remove(event)
                    return event
            self._events.append(self._read(deadline))

    def _read(self, deadline: float) -> dict:
        """The next message from Chromium; RenderError when it closes its pipe or says nothing in time."""
        # A PDF's answer is megabytes long: each chunk is added in place and searched once for the message's end.
        while (end := self._buffer.find(b"\0", self._scanned)) < 0:
            self._scanned = len(self._buffer)
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._recv_fd], [], [], left)[0]:
                raise RenderError("Chromium did not answer in time")
            chunk = os.read(self._recv_fd, 1 << 20)
            if not chunk:
                raise RenderError("Chromium closed its pipe")
            self._buffer += chunk
        message = bytes(self._buffer[:end])
        del self._buffer[:end + 1]
        self._scanned = 0
        return json.loads(message)

    # renders -------------------------------------------------------------------------------------------------
    def render(self, url: str, fmt: str, width: int, height: int, timeout: float, ready: str = "true") -> bytes:
        """``url`` as a PNG screenshot of ``width`` × ``height`` or as a PDF (the page's CSS size), once the page
        has settled and the JavaScript expression ``ready`` is true; RenderError otherwise."""
        with self._lock:
            deadline = time.monotonic() + timeout
            try:
                kept = self.pid is not None
                if not kept:
                    self.close_now()
                    self._start(deadline)
                try:
                    return self._tab(url, fmt, width, height, ready, deadline)
                except RenderError:
                    if not (kept and self._died()):
                        raise
                self.close_now()  # the kept browser had died since the last render: once more, in a new one
                self._start(deadline)
                return self._tab(url, fmt, width, height, ready, deadline)
            except Exception:
                self.close_now()  # a browser in an unknown state: the next render starts another
                raise
            finally:
                self._used = time.monotonic()
                self._arm()

    def _died(self) -> bool:
        try:
            self._proc.wait(timeout=2)
            return True
        except subprocess.TimeoutExpired:
            return False

    def _tab(self, url: str, fmt: str, width: int, height: int, ready: str, deadline: float) -> bytes:
        self._events.clear()  # one tab at a time: what earlier tabs and the browser said is of no use
        target = self.call("Target.createTarget", {"url": "about:blank"}, deadline=deadline)["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True},
                            deadline=deadline)["sessionId"]

        def tab(method: str, params: dict | None = None) -> dict:
            return self.call(method, params, session=session, deadline=deadline)

        tab("Page.enable")
        tab("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1,
                                                   "mobile": False})
        navigation = tab("Page.navigate", {"url": url})
        if navigation.get("errorText"):
            raise RenderError(f"{url}: {navigation['errorText']}")
        tab("Emulation.setVirtualTimePolicy", {"policy": "pauseIfNetworkFetchesPending", "budget": BUDGET_MS})
        self._event("Emulation.virtualTimeBudgetExpired", session, deadline)
        drawn = tab("Runtime.evaluate", {"expression": ready, "returnByValue": True}).get("result", {})
        if drawn.get("value") is not True:
            raise RenderError(f"{url}: the page is not drawn")
        if fmt == "png":
            data = tab("Page.captureScreenshot", {"format": "png"})["data"]
        else:
            data = tab("Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True,
                                           "displayHeaderFooter": False})["data"]
        self.call("Target.closeTarget", {"targetId": target}, deadline=deadline)
        return base64.b64decode(data)

    # the browser's end ---------------------------------------------------------------------------------------
    def _arm(self) -> None:
        """The idle timer, (re)started after each render; a daemon, so that it never keeps a process alive."""
        if self._timer is not None:
            self._timer.cancel()
        self._timer = threading.Timer(self.idle_s, self._close_if_idle)
        self._timer.daemon = True
        self._timer.start()

    def _close_if_idle(self) -> None:
        if self._lock.acquire(blocking=False):  # a render under way re-arms the timer when it ends
            try:
                if time.monotonic() - self._used >= self.idle_s * 0.99:
                    self.close_now()
            finally:
                self._lock.release()

    def close_now(self) -> None:
        """The browser stopped (killed with its processes) and its profile deleted; the caller holds the lock or
        knows no render runs."""
        if self._proc is not None:
            kill_group(self._proc)
            self._proc = None
        for fd in (self._send_fd, self._recv_fd):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._send_fd = self._recv_fd = -1
        if self._profile:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = None

    def close(self) -> None:
        """Stopped once the render under way, if any, is done."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self.close_now()
