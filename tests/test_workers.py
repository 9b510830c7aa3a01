"""The report's workers (botu.workers): only as many start as the pages need."""

from __future__ import annotations

from pathlib import Path

import pytest

from botu import workers


class _Pool:
    def __init__(self) -> None:
        self.shut = False

    def shutdown(self, *args, **kwargs) -> None:
        self.shut = True


def _recording(monkeypatch) -> list[Path | None]:
    """The workers started (each by its study root), none for real."""
    started: list[Path | None] = []

    def start(root: Path | None = None) -> _Pool:
        started.append(root)
        return _Pool()

    monkeypatch.setattr(workers, "start_worker", start)
    return started


@pytest.mark.parametrize(
    ("pages", "count", "expected"),
    [(1, 2, 1), (2, 2, 1), (3, 2, 2), (10, 2, 2), (10, 4, 4), (10, 1, 1)],
)
def test_only_as_many_workers_start_as_the_pages_need(pages, count, expected, monkeypatch):
    started = _recording(monkeypatch)
    with workers.Workers(count) as crew:
        crew.start()
        crew.start_for(pages)
    assert len(started) == expected


def test_the_first_worker_starts_once_and_all_end_with_the_report(monkeypatch):
    started = _recording(monkeypatch)
    study = Path("/study")
    with workers.Workers(2, study) as crew:
        crew.start()  # the build's callback
        crew.start()
        crew.start_for(10)  # the pages: a second one
        pools = list(crew.pools)
    assert started == [study, study]
    assert all(pool.shut for pool in pools) and crew.pools == []


def test_leaving_waits_for_the_workers_to_end():
    import time

    with workers.Workers(2) as crew:
        crew.start(2)
        for pool in crew.pools:
            pool.submit(time.sleep, 0.5)
        processes = [p for pool in crew.pools for p in pool._processes.values()]
    assert len(processes) == 2
    assert not any(process.is_alive() for process in processes)


def test_a_first_report_starts_every_worker_with_the_build(tmp_path):
    from botu import config
    from botu.report import workers_at_build

    paths = config.paths(tmp_path)
    assert workers_at_build(paths, 2) == 2  # nothing run yet: every page will run
    (paths.reports / ".build").mkdir(parents=True)
    (paths.reports / ".build" / "overview.json").write_text("{}")
    assert workers_at_build(paths, 2) == 1  # a rerun: the pages to run decide
