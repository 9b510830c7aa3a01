"""Timing helpers: best-of-n in process, and wall time with peak memory of a command."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

PYTHON = sys.executable


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def row(name: str, botu_s: float, plain_s: float) -> dict:
    """A speed-up row without a target: how many times faster botu's way is."""
    return {
        "name": name,
        "botu_s": botu_s,
        "plain_s": plain_s,
        "ratio": plain_s / botu_s if botu_s else float("inf"),
    }


def target(name: str, value: float, limit: float, kind: str, detail: str) -> dict:
    """A row with a target: ``kind`` is ``"at most"`` (value ≤ limit) or ``"at least"``."""
    holds = value <= limit if kind == "at most" else value >= limit
    return {
        "name": name,
        "value": value,
        "limit": limit,
        "kind": kind,
        "holds": holds,
        "detail": detail,
    }


def run(
    command: Sequence[str],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> tuple[float, int]:
    """Run ``command``; its wall time in seconds and its peak resident memory in bytes (the
    largest of the process and its children, as the kernel reports it to ``wait4``).

    Raises:
        RuntimeError: the command failed (its output is shown).
    """
    start = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    output = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed ({process.returncode}):\n{output.decode()[-3000:]}"
        )
    return seconds, usage.ru_maxrss * 1024


def best_run(command: Sequence[str], repeat: int = 3, **kwargs) -> tuple[float, int]:
    """The fastest of ``repeat`` runs, and the largest peak memory among them."""
    runs = [run(command, **kwargs) for _ in range(repeat)]
    return min(s for s, _ in runs), max(m for _, m in runs)
