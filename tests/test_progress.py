"""Progress a person can read (issue 10, part 5): each notebook's line shows its time, a running
count and what remains; a notebook running long is named while it runs. No speed is asserted:
the waits here only pace the fake notebooks."""

from __future__ import annotations

import time

import pytest

from botu import config, report
from botu.report import Job, JobResult, Progress
from botu.workers import Workers


def _job(name: str) -> Job:
    return Job(name, config.TEAM_NOTEBOOK, name, {"team_id": "T01", "lang": "nl"})


def test_each_line_counts_times_and_says_what_remains():
    lines: list[str] = []
    progress = Progress(3, lines.append)
    progress.done(JobResult(_job("overview"), "skipped"))
    progress.done(JobResult(_job("team-T01"), "ran", seconds=3.21), ["team-T02", "compare"])
    progress.done(JobResult(_job("team-T02"), "failed", "team T02: cell 4", seconds=1.0), [])
    assert lines[0] == "  [1/3] overview: up to date"
    assert lines[1] == "  [2/3] team-T01: ran in 3.2 s; 2 to go (team-T02, compare)"
    assert lines[2].startswith("  [3/3] team-T02: failed in 1.0 s — team T02: cell 4; all done in")


def test_what_remains_names_a_few_and_counts_the_rest():
    lines: list[str] = []
    Progress(9, lines.append).done(
        JobResult(_job("a"), "ran", seconds=1), ["b", "c", "d", "e", "f"]
    )
    assert lines == ["  [1/9] a: ran in 1.0 s; 5 to go (b, c, d, …)"]


def test_a_slow_notebook_is_named_once_while_it_runs(monkeypatch):
    monkeypatch.setattr(report, "SLOW_NOTEBOOK", 0.05)
    lines: list[str] = []
    progress = Progress(2, lines.append)
    progress.running({"team-T01"})
    assert lines == []  # just started
    time.sleep(0.1)
    progress.running({"team-T01", "team-T02"})
    progress.running({"team-T01", "team-T02"})
    assert lines == ["  team-T01: still running after 0 s ..."]


def _slow_notebook(job, root, key, frame, output=None):  # stands in for a real notebook
    time.sleep(0.6 if job.name == "team-T01" else 0.05)
    return JobResult(job, "ran", seconds=0.6 if job.name == "team-T01" else 0.05)


@pytest.mark.skipif(
    __import__("multiprocessing").get_start_method() != "fork",
    reason="the fake notebook reaches the workers only when they fork",
)
def test_the_runner_reports_as_notebooks_finish(built, monkeypatch):
    monkeypatch.setattr(report, "_run_job_in_worker", _slow_notebook)
    monkeypatch.setattr(report, "SLOW_NOTEBOOK", 0.2)
    monkeypatch.setattr(report, "PROGRESS_POLL", 0.05)
    jobs = [_job("team-T01"), _job("team-T02")]
    lines: list[str] = []
    with Workers(2) as crew:
        crew.start(2)  # two pages alone would run one after the other in one worker
        results = report.run_jobs(
            jobs, config.paths(built), frames={"nl": {}}, echo=lines.append, crew=crew
        )
    assert [r.status for r in results] == ["ran", "ran"]
    assert lines[0] == "  [1/2] team-T02: ran in 0.1 s; 1 to go (team-T01)"
    assert "  team-T01: still running after" in "\n".join(lines[1:-1])
    assert lines[-1].startswith("  [2/2] team-T01: ran in 0.6 s; all done in")


def _dies_first(job, root, key, frame, output=None):  # the worker dies the first time only
    import os
    from pathlib import Path

    marker = Path(root) / f".died-{job.name}"
    if job.name == "team-T01" and not marker.exists():
        marker.touch()
        os._exit(1)
    return JobResult(job, "ran", seconds=0.01)


def _always_dies(job, root, key, frame, output=None):
    import os

    if job.name == "team-T01":
        os._exit(1)
    return JobResult(job, "ran", seconds=0.01)


@pytest.mark.skipif(
    __import__("multiprocessing").get_start_method() != "fork",
    reason="the fake notebook reaches the workers only when they fork",
)
@pytest.mark.parametrize(("fake", "expected"), [(_dies_first, "ran"), (_always_dies, "failed")])
def test_a_job_whose_worker_died_is_given_once_more(built, monkeypatch, fake, expected):
    monkeypatch.setattr(report, "_run_job_in_worker", fake)
    monkeypatch.setattr(report, "PROGRESS_POLL", 0.05)
    jobs = [_job("team-T01"), _job("team-T02"), _job("team-T03")]
    lines: list[str] = []
    with Workers(1) as crew:  # one worker: the others wait behind the one that dies
        results = report.run_jobs(
            jobs, config.paths(built), frames={"nl": {}}, echo=lines.append, crew=crew
        )
    assert [r.status for r in results] == [expected, "ran", "ran"]
    assert len(lines) == 3 and lines[-1].startswith("  [3/3]")  # each job reported once
