"""The per-build memo of views (dashboard/snapshot.py): bounded, and a view asked for by several readers at once is
computed once (a server that starts, a link shared widely), its error given to each of them and not kept."""

from __future__ import annotations

import threading
import time

from dashboard.snapshot import Memo


def test_readers_asking_at_once_wait_for_one_computation():
    memo, calls, got = Memo(), [], []
    start = threading.Barrier(8)

    def compute():
        calls.append(1)
        time.sleep(0.3)
        return {"view": len(calls)}

    def read():
        start.wait()
        got.append(memo(("home", "default"), compute))

    readers = [threading.Thread(target=read) for _ in range(8)]
    for r in readers:
        r.start()
    for r in readers:
        r.join(timeout=10)
    assert len(calls) == 1 and got == [{"view": 1}] * 8
    assert memo(("home", "default"), compute) == {"view": 1} and len(calls) == 1  # kept


def test_an_error_reaches_every_waiter_and_is_not_kept():
    memo, errors = Memo(), []
    start = threading.Barrier(4)

    def failing():
        time.sleep(0.3)
        raise RuntimeError("base fermée")

    def read():
        start.wait()
        try:
            memo("k", failing)
        except RuntimeError as exc:
            errors.append(str(exc))

    readers = [threading.Thread(target=read) for _ in range(4)]
    for r in readers:
        r.start()
    for r in readers:
        r.join(timeout=10)
    assert errors == ["base fermée"] * 4
    assert memo("k", lambda: "computed again") == "computed again"


def test_the_oldest_view_goes_first():
    memo = Memo(size=2)
    for key in "abc":
        memo(key, lambda key=key: key.upper())
    assert memo("c", lambda: "recomputed") == "C"  # kept
    assert memo("a", lambda: "recomputed") == "recomputed"  # dropped when "c" came
