"""The report's workers (botu.workers): started before the report loads pandas, and only
when the tables will be rebuilt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from botu import workers


class _Pool:
    def __init__(self) -> None:
        self.shut = False

    def shutdown(self, *args, **kwargs) -> None:
        self.shut = True


def _recording(monkeypatch) -> list[tuple[int, Path]]:
    started: list[tuple[int, Path]] = []

    def start(count: int, root: Path | None = None) -> _Pool:
        started.append((count, root))
        return _Pool()

    monkeypatch.setattr(workers, "start_workers", start)
    return started


def test_the_workers_start_early_only_when_the_tables_will_be_rebuilt(built, monkeypatch):
    started = _recording(monkeypatch)
    with workers.EarlyWorkers(2, built) as early:
        early.start_if_rebuilding(["nl"])  # as the report builds: nothing changed
    assert started == []

    segments = built / "data" / "raw" / "segments.csv"
    segments.write_text(segments.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with workers.EarlyWorkers(2, built) as early:
        early.start_if_rebuilding(["nl"])
        pool = early.pool
        early.start()  # the build's callback: started once
    assert started == [(2, built)]
    assert pool.shut and early.pool is None


def test_a_report_in_another_language_rebuilds_and_starts_them(built, monkeypatch):
    started = _recording(monkeypatch)
    with workers.EarlyWorkers(1, built) as early:
        early.start_if_rebuilding(["nl", "en"])  # the English workbook is not built yet
    assert started == [(1, built)]


def test_a_study_without_raw_data_starts_nothing(tmp_path, monkeypatch):
    started = _recording(monkeypatch)
    with workers.EarlyWorkers(2, tmp_path) as early:
        early.start_if_rebuilding(["nl"])
    assert started == []


def test_the_command_line_decides_before_it_loads_pandas():
    code = (
        "import sys, botu.cli, botu.keys, botu.workers\n"
        "botu.cli.parser().parse_args(['report', '--lang', 'nl,en'])\n"
        "print(sorted(m for m in ('pandas', 'numpy', 'matplotlib') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
