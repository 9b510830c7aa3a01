"""Stopping a report half-way (issue 9, part 2): Ctrl-C or SIGTERM ends the queued and running
notebooks, workers and kernels end with the runner (also when it is killed outright), no
hidden notebook or staging folder stays behind, and the site on disk is the last complete one,
never a mix.

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

from tests.conftest import REPO, site_snapshot

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


def _running_notebooks(root: Path) -> list[Path]:
    """The hidden notebooks being written, in the staged site (or, if any, the study's)."""
    return list(root.glob(".botu-site.*/reports/notebooks/**/.*.ipynb")) + list(
        root.glob("reports/notebooks/**/.*.ipynb")
    )


def _report(root: Path, *args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "BOTU_ROOT": str(root), "MPLBACKEND": "Agg"}
    return subprocess.Popen(
        [sys.executable, "-m", "botu", "report", "-j", "2", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def _start_report(root: Path) -> subprocess.Popen:
    if not (root / "data" / "raw").exists():
        shutil.copytree(REPO / "data" / "raw", root / "data" / "raw")
    runner = _report(root)
    for line in runner.stdout:
        if line.startswith("running"):
            break
    deadline = time.monotonic() + 60
    while not _running_notebooks(root) and time.monotonic() < deadline:
        time.sleep(0.1)  # until the workers are inside a notebook
    assert _running_notebooks(root), "no notebook started: nothing to stop"
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
    assert not _running_notebooks(root)
    assert not list(root.glob(".botu-site.*"))  # the staged half site is gone
    assert site_snapshot(root) == {}  # and nothing of it was published


def test_a_report_stopped_after_a_data_change_leaves_the_last_site_whole(tmp_path):
    """The case of the issue: SIGTERM after a data change left the old index beside new
    pages. Now not one file of the published site changes."""
    root = tmp_path / "study"
    shutil.copytree(REPO / "data" / "raw", root / "data" / "raw")
    first = _report(root)
    assert first.wait(timeout=600) == 0, first.stderr.read()
    site = site_snapshot(root)
    assert "reports/index.html" in site and "reports/team-T01.html" in site
    teams = root / "data" / "raw" / "teams.csv"
    teams.write_text(teams.read_text(encoding="utf-8").replace("Demo-team", "Team"), "utf-8")
    runner = _start_report(root)
    runner.send_signal(signal.SIGTERM)
    assert runner.wait(timeout=60) == 130
    assert _gone(root) == []
    assert site_snapshot(root) == site
    assert not list(root.glob(".botu-site.*"))


def test_workers_end_when_the_runner_is_killed(tmp_path):
    root = tmp_path / "study"
    runner = _start_report(root)
    runner.kill()
    runner.wait(timeout=60)
    assert _gone(root) == []
    assert not list(root.glob("reports/notebooks/**/.*.ipynb"))
    assert site_snapshot(root) == {}  # the staging folder may stay: the next run removes it
    assert list(root.glob(".botu-site.*"))
    again = _report(root, "--no-wait")
    assert again.wait(timeout=600) == 0, again.stderr.read()
    assert not list(root.glob(".botu-site.*"))
    assert "reports/index.html" in site_snapshot(root)
