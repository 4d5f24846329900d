"""How fast the machine is right now: the same fixed piece of pure-Python work, timed.

Every benchmark prints it before and after its runs (``machine_probe_s``). On a machine shared with other work the
same code's wall times move with it (on 2 December 2026 it read 0.21 to 0.33 s within an hour, and a first view of
the same code took 1.96 s in the morning and 2.9 s at noon): figures compare only within similar probes,
and an A/B compares runs interleaved in the same minutes.
"""

from __future__ import annotations

import statistics
import time

WORK = 10_000_000  # about 0.2–0.3 s on this project's 2-core machine


def machine_probe(repeat: int = 3) -> float:
    """Seconds for ``sum(range(WORK))``, the median of ``repeat`` runs (one core, the GIL held)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        sum(range(WORK))
        times.append(time.perf_counter() - start)
    return round(statistics.median(times), 3)
