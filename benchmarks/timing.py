"""Best-of-n wall-clock timing."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def row(name: str, botu_s: float, plain_s: float) -> dict:
    return {
        "name": name,
        "botu_s": botu_s,
        "plain_s": plain_s,
        "ratio": plain_s / botu_s if botu_s else float("inf"),
    }
