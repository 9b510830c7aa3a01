"""The report: from scratch against the kernel floor and the plain command-line loop, the
incremental reruns, 7 teams against 100, and where a team page spends its time.

Everything runs in one go on generated studies in a temporary folder (the repository is not
touched), each side a fresh process:

- **report from scratch**: ``python -m botu --root STUDY report`` on a study with nothing
  built (validation, tables, every notebook, the site);
- **kernel floor** (the median of three runs): the least any notebook report of these pages
  can take on this machine:
  as many fresh Jupyter kernels as the report has notebooks, as many at a time as the report
  runs (one per core), each doing only its notebook's imports and nothing else (its import
  line and the drawing modules its page module imports when it first draws);
- **plain loop**: what one would write by hand: ``python -m botu build``, then for each
  notebook ``papermill`` and ``jupyter nbconvert --to html`` on the command line, one after
  another;
- **reruns**: the report again with nothing changed, and after editing one quote of one team
  (from scratch and both reruns: the median of three rounds);
- **100 teams**: the report from scratch on a generated study of 100 teams, against the
  7-team time scaled linearly (× 100 / 7);
- **team page**: one team notebook as the report runs it, in a kernel that ran another
  team's page before; the time of each cell, the kernel's reset and papermill as the rest,
  and the kernel's start once per worker.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmarks import scale
from benchmarks.timing import PYTHON, run, target
from botu import config, report
from botu.kernel import DRAWING_MODULES, KERNEL_ENVIRON, KERNEL_NAME

MAX_FLOOR_RATIO = 1.5  # report from scratch ≤ 1.5 × the kernel floor
MIN_PLAIN_RATIO = 5.0  # ≥ 5 × faster than the plain loop
MAX_ONE_TEAM = 0.35  # one-team edit ≤ 35 % of from scratch
MAX_EXTRAPOLATION = 1.1  # 100 teams ≤ 1.1 × the linear extrapolation from 7


def _report(root: Path) -> float:
    seconds, _ = run([PYTHON, "-m", "botu", "--root", str(root), "report"])
    return seconds


def _jobs(root: Path) -> list[report.Job]:
    with open(root / "data" / "raw" / "teams.csv", encoding="utf-8", newline="") as handle:
        teams = sorted(row["team_id"] for row in csv.DictReader(handle))
    return report.jobs_for(teams)


def import_line(notebook: str) -> str:
    """The line of ``notebook`` that imports its page module (``from botu.pages import …``)."""
    cells = json.loads((config.NOTEBOOKS_DIR / notebook).read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        for line in "".join(cell["source"]).splitlines():
            if line.startswith("from botu.pages import"):
                return line
    raise ValueError(f"{notebook} imports no page module")


def notebook_imports(notebook: str) -> str:
    """What a page of ``notebook`` imports: its import line, and the drawing modules a page
    module imports when it first draws (``botu.plots``: matplotlib, seaborn)."""
    return "\n".join([import_line(notebook), *(f"import {m}" for m in DRAWING_MODULES)])


def kernel_floor(root: Path, jobs: list[report.Job], workers: int) -> float:
    """Fresh kernels, ``workers`` at a time, each doing only its notebook's imports
    (:func:`notebook_imports`)."""
    from jupyter_client.manager import start_new_kernel

    env = {**os.environ, **KERNEL_ENVIRON, config.ROOT_ENV_VAR: str(root)}

    def one(job: report.Job) -> None:
        manager, client = start_new_kernel(
            kernel_name=KERNEL_NAME, cwd=str(config.NOTEBOOKS_DIR), env=env
        )
        try:
            reply = client.execute_interactive(notebook_imports(job.notebook), timeout=300)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"the import of {job.notebook} failed: {reply['content']}")
        finally:
            client.stop_channels()
            manager.shutdown_kernel()

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, jobs))
    return time.perf_counter() - start


def plain_loop(root: Path, jobs: list[report.Job]) -> float:
    """``botu build``, then papermill and nbconvert on the command line, one at a time."""
    out = root / "plain"
    out.mkdir()
    env = {**KERNEL_ENVIRON, config.ROOT_ENV_VAR: str(root)}
    start = time.perf_counter()
    run([PYTHON, "-m", "botu", "--root", str(root), "build"])
    for job in jobs:
        executed = out / f"{job.page}.ipynb"
        parameters = [arg for k, v in job.parameters.items() for arg in ("-p", k, str(v))]
        run(
            [
                PYTHON,
                "-m",
                "papermill",
                str(config.NOTEBOOKS_DIR / job.notebook),
                str(executed),
                *parameters,
                "-k",
                KERNEL_NAME,
                "--cwd",
                str(config.NOTEBOOKS_DIR),
                "--no-progress-bar",
            ],
            env=env,
        )
        run([PYTHON, "-m", "jupyter", "nbconvert", "--to", "html", str(executed)], env=env)
    return time.perf_counter() - start


def _edit_one_team(root: Path, team: str) -> None:
    """Correct one quote of one team, as a researcher would."""
    path = root / "data" / "raw" / "segments.csv"
    documents = root / "data" / "raw" / "documents.csv"
    with open(documents, encoding="utf-8", newline="") as handle:
        ours = {r["document_id"] for r in csv.DictReader(handle) if r["team_id"] == team}
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    index = next(i for i, r in enumerate(rows) if r[1] in ours)
    rows[index][2] += " (gecorrigeerd)"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


ROUNDS = 3  # from scratch, nothing changed, one quote corrected: the median of each


def _reruns(root: Path, rounds: int) -> tuple[float, float, float]:
    """The report from scratch, again with nothing changed, and after correcting one quote of
    one team: the median of ``rounds`` rounds (single runs on a shared 2-core machine vary
    by about 15 %)."""
    times: list[tuple[float, float, float]] = []
    for _ in range(rounds):
        for built in ("data/processed", "reports", "figures"):
            shutil.rmtree(root / built, ignore_errors=True)
        scratch = _report(root)
        noop = _report(root)
        _edit_one_team(root, "T03")
        times.append((scratch, noop, _report(root)))
    scratch, noop, one_team = (statistics.median(column) for column in zip(*times, strict=True))
    return scratch, noop, one_team


def team_page_cells(root: Path, team: str, warm_up: str) -> list[tuple[str, float]]:
    """One team notebook as the report runs it, in a worker's kernel (botu.kernel) that ran
    ``warm_up``'s page before: (first line of the cell, seconds) per code cell, slowest
    first; the kernel's reset and papermill as the rest of the wall time, and the kernel's
    start (with the page imports) once per worker."""
    from botu.kernel import WarmKernel

    environ = report.kernel_environ(config.paths(root))
    kernel = WarmKernel()
    try:
        start = time.perf_counter()
        kernel.start(environ)
        started = time.perf_counter() - start
        executed = root / "team-page.ipynb"
        for which in (warm_up, team):
            start = time.perf_counter()
            kernel.execute(
                str(config.NOTEBOOKS_DIR / config.TEAM_NOTEBOOK),
                executed,
                {"team_id": which, "lang": "nl"},
                environ,
            )
            wall = time.perf_counter() - start
    finally:
        kernel.close()
    cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
    timed = [
        (
            ("".join(c["source"]).strip().splitlines() or [""])[0][:60],
            float(c["metadata"].get("papermill", {}).get("duration") or 0.0),
        )
        for c in cells
        if c["cell_type"] == "code"
    ]
    timed.append(("(kernel reset and papermill)", wall - sum(s for _, s in timed)))
    timed.append(("(kernel start and page imports, once per worker)", started))
    return sorted(timed, key=lambda t: -t[1])


def run_bench(quick: bool = False) -> tuple[list[dict], list[tuple[str, float]]]:
    workers = os.cpu_count() or 1
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="botu-bench-") as tmp:
        parent = Path(tmp)
        seven = parent / "seven"
        scale.generate(seven, teams=7)
        jobs = _jobs(seven)
        scratch, noop, one_team = _reruns(seven, ROUNDS)
        cells = team_page_cells(seven, "T02", warm_up="T01")
        floor = statistics.median(kernel_floor(seven, jobs, workers) for _ in range(ROUNDS))
        plain_root = parent / "plain"
        scale.generate(plain_root, teams=7)
        plain = plain_loop(plain_root, jobs)
        n = len(jobs)
        rows.append(
            target(
                f"report from scratch / kernel floor ({n} notebooks, {workers} at a time)",
                scratch / floor,
                MAX_FLOOR_RATIO,
                "at most",
                f"report {scratch:.1f} s, floor {floor:.1f} s",
            )
        )
        rows.append(
            target(
                "plain papermill + nbconvert loop / report from scratch",
                plain / scratch,
                MIN_PLAIN_RATIO,
                "at least",
                f"plain loop {plain:.1f} s, report {scratch:.1f} s",
            )
        )
        rows.append(
            target(
                "report after editing one team's quote / from scratch",
                one_team / scratch,
                MAX_ONE_TEAM,
                "at most",
                f"{one_team:.1f} s against {scratch:.1f} s",
            )
        )
        rows.append(
            {
                "name": "report rerun, nothing changed / from scratch",
                "value": noop / scratch,
                "detail": f"{noop:.1f} s against {scratch:.1f} s",
            }
        )
        if not quick:
            hundred = parent / "hundred"
            scale.generate(hundred, teams=100)
            big = _report(hundred)
            linear = scratch * 100 / 7
            rows.append(
                target(
                    "report of 100 teams / 7 teams scaled linearly (x 100/7)",
                    big / linear,
                    MAX_EXTRAPOLATION,
                    "at most",
                    f"100 teams {big:.1f} s, 7 teams {scratch:.1f} s (x 100/7 = {linear:.1f} s)",
                )
            )
            shutil.rmtree(hundred)
    return rows, cells
