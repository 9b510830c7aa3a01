"""Stopping a report half-way (issue 9, part 2): Ctrl-C or SIGTERM ends the queued and running
notebooks, workers and kernels end with the runner (also when it is killed outright), no
hidden notebook stays behind, and no index presents a half-new site as complete.

The waits below only guard against a hang; they assert no speed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc"),
]


def _processes_of(root: Path) -> list[int]:
    """Processes (runner, workers, kernels) that work on the study at ``root``."""
    marker = f"BOTU_ROOT={root}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:  # gone meanwhile, or not ours
            continue
    return found


def _gone(root: Path, seconds: float = 30.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while _processes_of(root) and time.monotonic() < deadline:
        time.sleep(0.2)
    return _processes_of(root)


def _start_report(root: Path) -> subprocess.Popen:
    shutil.copytree(REPO / "data" / "raw", root / "data" / "raw")
    env = {**os.environ, "BOTU_ROOT": str(root), "MPLBACKEND": "Agg"}
    runner = subprocess.Popen(
        [sys.executable, "-m", "botu", "report", "-j", "2"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in runner.stdout:
        if line.startswith("running"):
            break
    deadline = time.monotonic() + 60
    notebooks = root / "reports" / "notebooks"
    while not list(notebooks.glob(".*.ipynb")) and time.monotonic() < deadline:
        time.sleep(0.1)  # until the workers are inside a notebook
    assert list(notebooks.glob(".*.ipynb")), "no notebook started: nothing to stop"
    assert len(_processes_of(root)) > 1  # the runner, and its workers
    return runner


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_stopped_report_leaves_nothing_running_and_no_half_site(tmp_path, stop):
    root = tmp_path / "study"
    runner = _start_report(root)
    runner.send_signal(stop)
    assert runner.wait(timeout=60) == 130
    assert "interrupted" in runner.stderr.read()
    assert _gone(root) == []
    assert not list((root / "reports" / "notebooks").rglob(".*.ipynb"))
    assert not (root / "reports" / "index.html").exists()


def test_workers_end_when_the_runner_is_killed(tmp_path):
    root = tmp_path / "study"
    runner = _start_report(root)
    runner.kill()
    runner.wait(timeout=60)
    assert _gone(root) == []
    assert not list((root / "reports" / "notebooks").rglob(".*.ipynb"))
