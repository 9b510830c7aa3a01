"""The report runner: incremental and parallel vs rebuilding everything one at a time.

Runs on a copy of the demo project in a temporary folder (the repository is not touched).
"""

from __future__ import annotations

import csv
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.timing import row
from botu import config, report


def _timed(root: Path, **kwargs) -> float:
    start = time.perf_counter()
    report.make_report(root, echo=lambda _: None, **kwargs)
    return time.perf_counter() - start


def _touch_one_team(root: Path, team_prefix: str = "D-T03-") -> None:
    """Edit one segment of one team, as a researcher correcting a quote would."""
    path = root / "data" / "raw" / "segments.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    index = next(i for i, r in enumerate(rows) if r[1].startswith(team_prefix))
    rows[index][2] += " (gecorrigeerd)"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _fresh(parent: Path, name: str) -> Path:
    root = parent / name
    shutil.copytree(config.PROJ_ROOT / "data" / "raw", root / "data" / "raw")
    return root


def run() -> list[dict]:
    """Cold builds (validation, tables, reliability bootstrap, every notebook) against the
    incremental reruns a researcher gets after no change or after editing one team."""
    with tempfile.TemporaryDirectory() as tmp:
        serial = _timed(_fresh(Path(tmp), "serial"), workers=1)
        root = _fresh(Path(tmp), "parallel")
        parallel = _timed(root)
        noop = _timed(root)
        _touch_one_team(root)
        one_team = _timed(root)
    return [
        row("report from scratch, parallel (1 worker per core) vs serial", parallel, serial),
        row("report rerun, nothing changed vs from scratch", noop, parallel),
        row("report rerun, one team's quote edited vs from scratch", one_team, parallel),
    ]
