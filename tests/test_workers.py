"""The report's workers (botu.workers): the first started before the report loads pandas
when the tables will be rebuilt, the others only when the pages need them."""

from __future__ import annotations

import subprocess
import sys
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


def test_a_worker_starts_early_only_when_the_tables_will_be_rebuilt(built, monkeypatch):
    started = _recording(monkeypatch)
    with workers.Workers(2, built) as crew:
        crew.start_if_rebuilding(["nl"])  # as the report builds: nothing changed
    assert started == []

    segments = built / "data" / "raw" / "segments.csv"
    segments.write_text(segments.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with workers.Workers(2, built) as crew:
        crew.start_if_rebuilding(["nl"])
        crew.start()  # the build's callback: the first worker is there already
        pools = list(crew.pools)
    assert started == [built]
    assert all(pool.shut for pool in pools) and crew.pools == []


def test_a_report_in_another_language_rebuilds_and_starts_one(built, monkeypatch):
    started = _recording(monkeypatch)
    with workers.Workers(2, built) as crew:
        crew.start_if_rebuilding(["nl", "en"])  # the English workbook is not built yet
    assert started == [built]


def test_a_study_without_raw_data_starts_none(tmp_path, monkeypatch):
    started = _recording(monkeypatch)
    with workers.Workers(2, tmp_path) as crew:
        crew.start_if_rebuilding(["nl"])
    assert started == []


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


def test_the_command_line_decides_before_it_loads_pandas():
    code = (
        "import sys, botu.cli, botu.keys, botu.workers\n"
        "botu.cli.parser().parse_args(['report', '--lang', 'nl,en'])\n"
        "print(sorted(m for m in ('pandas', 'numpy', 'matplotlib') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
