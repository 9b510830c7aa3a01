"""The batch rebuild: validate, build processed tables, execute notebooks, render HTML.

Notebooks run through papermill, teams in parallel; each job is skipped when its inputs
(notebook, parameters, processed tables, the ``botu`` sources) are unchanged since its last
successful run. The new site is built in a staging folder beside ``reports/`` (a copy of the
last one, so what is up to date is kept) and takes the place of ``reports/`` and ``figures/``
only when every page is done: the site on disk is always the last complete one, never a mix.
A failing notebook stops the report with a message naming the team and the cell; its partial
output is kept under ``reports/failed/``.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from botu import config, i18n, site
from botu.config import git_commit
from botu.errors import BotuError, InputError
from botu.i18n import parse_languages
from botu.io import (
    make_shareable,
    refuse_replacing,
    replace_directory,
    write_json,
    write_problem,
)
from botu.kernel import WarmKernel
from botu.keys import file_sha256, files_digest, package_digest, raw_checksums, raw_digest
from botu.pages import compare, overview
from botu.pages import reliability as reliability_page
from botu.pages.team import TEAM_TABLES
from botu.pipeline import build, load_table, workbook_names
from botu.privacy import PrivacyError, check_outputs
from botu.workers import (
    RUNNING,
    Workers,
    kernel_environ,
    skip_unused_schema_formats,
    worker_count,
    worker_kernel,
)

# what each page reads of data/processed (the team page: its rows, see team_digests)
PAGE_INPUTS = {
    config.OVERVIEW_NOTEBOOK: overview.INPUTS,
    config.RELIABILITY_NOTEBOOK: reliability_page.INPUTS,
    config.COMPARE_NOTEBOOK: compare.INPUTS,
}
# the notebooks by how long a page of each takes (the comparison's figures and QCA, the
# reliability's forest plot, a team's two figures, the overview's tables)
HEAVIEST_FIRST = (
    config.COMPARE_NOTEBOOK,
    config.RELIABILITY_NOTEBOOK,
    config.TEAM_NOTEBOOK,
    config.OVERVIEW_NOTEBOOK,
)
COLOPHON_PACKAGES = (
    "botu",
    "pandas",
    "numpy",
    "matplotlib",
    "seaborn",
    "papermill",
    "nbconvert",
    "krippendorff",
)


class NotebookError(BotuError):
    """A notebook raised while executing; names the job and the cell."""

    exit_code = 1


@dataclass(frozen=True)
class Job:
    """One notebook execution: source notebook, parameters, and the page it becomes."""

    name: str  # e.g. "team-T03", "en/team-T03": the page's path in reports/, no suffix
    notebook: str  # file name in notebooks/
    title: str
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def page(self) -> str:
        """The page's name within its site (``team-T03``): also the figures' prefix."""
        return self.name.rsplit("/", 1)[-1]

    @property
    def site(self) -> str:
        """The folder of the page's site under reports/ (``""``: the main site)."""
        return self.name.rpartition("/")[0]

    @property
    def lang(self) -> str:
        return str(self.parameters.get("lang", i18n.DEFAULT_LANG))

    @property
    def figure_prefix(self) -> str:
        return f"{self.page}-"


@dataclass
class JobResult:
    job: Job
    status: str  # "ran", "skipped", "rendered" (frame changed, not rerun), "failed"
    message: str = ""
    figures: list[str] = field(default_factory=list)
    seconds: float | None = None  # how long the notebook ran (in its worker)


# --- jobs and change detection ---------------------------------------------------------


def jobs_for(
    team_ids: list[str],
    *,
    lang: str = i18n.DEFAULT_LANG,
    team_names: dict[str, str] | None = None,
    site_dir: str = "",
) -> list[Job]:
    """Every notebook job of a report in ``lang``: overview, one per team, reliability, the
    comparison; their pages in ``reports/<site_dir>/`` (``""``: reports/ itself)."""
    names = team_names or {}
    prefix = f"{site_dir}/" if site_dir else ""

    def job(name: str, notebook: str, title: str, **parameters: Any) -> Job:
        return Job(prefix + name, notebook, title, {**parameters, "lang": lang})

    jobs = [job("overview", config.OVERVIEW_NOTEBOOK, site.page_title("overview", lang))]
    jobs += [
        job(f"team-{t}", config.TEAM_NOTEBOOK, site.team_title(names.get(t) or t), team_id=t)
        for t in team_ids
    ]
    jobs.append(
        job("reliability", config.RELIABILITY_NOTEBOOK, site.page_title("reliability", lang))
    )
    jobs.append(job("compare", config.COMPARE_NOTEBOOK, site.page_title("compare", lang)))
    return jobs


def site_dirs(languages: list[str]) -> dict[str, str]:
    """Where each language's site goes: the first in reports/, each other in reports/<lang>/."""
    return {lang: "" if i == 0 else lang for i, lang in enumerate(languages)}


def site_frame(
    paths: config.Paths, jobs: list[Job], lang: str = i18n.DEFAULT_LANG, sites: dict | None = None
) -> dict[str, Any]:
    """The frame every page of one language's site is drawn in (navigation, title, colophon,
    the switch to the other languages' sites in ``sites``: language → folder)."""
    pages = [
        site.Page(
            job.page,
            job.title,
            "team" if "team_id" in job.parameters else job.page,
            job.parameters.get("team_id", ""),
        )
        for job in jobs
        if job.lang == lang
    ]
    info = colophon(paths.root)
    info.pop("inputs")  # listed on the downloads page: a data change does not touch the frame
    sites = sites or {lang: ""}
    return site.build_frame(
        pages,
        lang=lang,
        title=site.study_title(paths.raw),
        colophon=info,
        sites=sites,
    )


def _frame_for_job(job: Job, paths: config.Paths) -> dict[str, Any]:
    """The frame of a job run on its own: its language's jobs from the processed teams."""
    teams = load_table("teams", paths.root)
    names = dict(zip(teams["team_id"], teams["name"], strict=True))
    jobs = jobs_for(sorted(names), lang=job.lang, team_names=names, site_dir=job.site)
    return site_frame(paths, jobs, job.lang, {job.lang: job.site})


def input_digest(processed_dir: Path) -> str:
    """Digest of all processed tables and the summary."""
    return files_digest([p for p in Path(processed_dir).glob("*") if p.suffix in {".csv", ".json"}])


def team_digests(processed_dir: Path, team_ids: list[str]) -> dict[str, str]:
    """Digest of what each team's notebook reads: its own rows of the team tables, the
    codebook; one pass over each table for all the teams.

    A change in one team's material therefore reruns that team's page only.
    """
    digests = {team: hashlib.sha256() for team in team_ids}
    for name in (*TEAM_TABLES, "codebook"):
        path = Path(processed_dir) / f"{name}.csv"
        for digest in digests.values():
            digest.update(name.encode())
        if not path.exists():
            continue
        with open(path, encoding="utf-8", newline="") as handle:
            rows = csv.reader(handle)
            header = next(rows, [])
            column = header.index("team_id") if "team_id" in header else None
            for digest in digests.values():
                digest.update(",".join(header).encode())
            for row in rows:
                line = "\x1f".join(row).encode() + b"\n"
                if column is None:  # every team reads all of it
                    for digest in digests.values():
                        digest.update(line)
                elif (digest := digests.get(row[column])) is not None:
                    digest.update(line)
    return {team: digest.hexdigest() for team, digest in digests.items()}


def page_inputs(processed_dir: Path, notebook: str) -> str:
    """Digest of what the page of ``notebook`` reads of data/processed (its module's
    ``INPUTS``; a notebook without a page module: every table and the summary)."""
    inputs = PAGE_INPUTS.get(notebook)
    if inputs is None:
        return input_digest(processed_dir)
    files = [
        Path(processed_dir) / ("summary.json" if n == "summary" else f"{n}.csv") for n in inputs
    ]
    return files_digest([path for path in files if path.exists()], Path(processed_dir))


def job_inputs(
    job: Job, paths: config.Paths, code: str, teams: dict[str, str] | None = None
) -> str:
    """Digest of everything a job reads besides its notebook (``teams``: the
    :func:`team_digests` of the report's teams, if computed already)."""
    if "team_id" in job.parameters:
        team = job.parameters["team_id"]
        if teams is not None and team in teams:
            return code + teams[team]
        return code + team_digests(paths.processed, [team])[team]
    inputs = code + page_inputs(paths.processed, job.notebook)
    if job.notebook == config.OVERVIEW_NOTEBOOK:  # reads data/raw itself: its validation
        # all of data/raw but what the page does not show, and the problems the build found
        # (they may be about what it does not show)
        inputs += raw_digest(paths.raw, overview.RAW_NOT_SHOWN)
        validation = paths.processed / "validation.csv"
        inputs += file_sha256(validation) if validation.exists() else ""
    return inputs


def job_key(job: Job, inputs: str) -> str:
    notebook = config.NOTEBOOKS_DIR / job.notebook
    payload = json.dumps(
        {"nb": file_sha256(notebook), "params": job.parameters, "in": inputs}, sort_keys=True
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _stamp_path(paths: config.Paths, job: Job) -> Path:
    return paths.reports / ".build" / f"{job.name}.json"


def is_up_to_date(paths: config.Paths, job: Job, key: str) -> bool:
    stamp = _stamp_path(paths, job)
    if not stamp.exists():
        return False
    recorded = json.loads(stamp.read_text(encoding="utf-8"))
    outputs = [
        paths.reports / f"{job.name}.html",
        paths.reports / "notebooks" / f"{job.name}.ipynb",
    ] + [paths.figures / f for f in recorded.get("figures", [])]
    return recorded.get("key") == key and all(p.exists() for p in outputs)


# --- execution -------------------------------------------------------------------------


def render_html(
    notebook_path: Path,
    target: Path,
    frame: dict[str, Any] | None = None,
    name: str | None = None,
) -> Path:
    """Render an executed notebook as a page of the site (:mod:`botu.site`), code hidden.

    ``frame`` is the report's :func:`site_frame`; without it the page gets a frame of its own
    (the study's default title, no navigation beyond the index and downloads).
    """
    if frame is None:
        frame = site.build_frame([], title=site.DEFAULT_TITLE)
    return site.render_notebook(notebook_path, target, frame, name)


def _job_figures(paths: config.Paths, job: Job) -> list[str]:
    """The figures a job wrote, relative to figures/ (``en/team-T01-profiel.png``)."""
    folder = paths.figures if job.lang == i18n.DEFAULT_LANG else paths.figures / job.lang
    if not folder.is_dir():
        return []
    return sorted(
        p.relative_to(paths.figures).as_posix()
        for p in folder.iterdir()
        if p.is_file() and p.name.startswith(job.figure_prefix)
    )


def _remove_partial_notebooks(paths: config.Paths) -> None:
    """The hidden notebooks of runs that did not finish (``reports/notebooks/.team-T01.*``)."""
    folder = paths.reports / "notebooks"
    if folder.is_dir():
        for partial in folder.rglob(".*.ipynb"):
            partial.unlink(missing_ok=True)


def _run_job_in_worker(
    job: Job, root: str, key: str, frame: dict[str, Any], output: str | None = None
) -> JobResult:
    """:func:`run_job` in a pool worker, its (and its kernel's) stderr to a log file.

    Kernels chatter on stderr (transport warnings, shutdown notices); the log keeps that
    out of the researcher's terminal: ``reports/.build/<job>.log``.
    """
    log = _stamp_path(config.paths(root, output), job).with_suffix(".log")
    log.parent.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    kernel = worker_kernel()
    mark = kernel.log_position()
    with open(log, "w", encoding="utf-8") as handle:
        saved = os.dup(2)
        os.dup2(handle.fileno(), 2)
        try:
            result = run_job(job, root, key, frame, output, kernel=kernel)
            result.seconds = time.monotonic() - began
            return result
        finally:
            os.write(2, kernel.messages_since(mark))  # what the kernel said meanwhile
            os.dup2(saved, 2)
            os.close(saved)


def run_job(
    job: Job,
    root: str,
    key: str,
    frame: dict[str, Any] | None = None,
    output: str | None = None,
    kernel: WarmKernel | None = None,
) -> JobResult:
    """Execute one notebook with papermill and render it into ``frame``; runs in a worker.

    Without ``frame`` (a job run on its own) the report's frame is built from the processed
    teams. ``output``: the staged site the page and figures go to (default: the study's own);
    a failed notebook is kept in the study's ``reports/failed/`` either way. ``kernel``: the
    worker's kernel, reset for this notebook (:mod:`botu.kernel`); without it the job starts
    a kernel of its own and shuts it down afterwards.
    """
    skip_unused_schema_formats()
    import nbformat
    from papermill.exceptions import PapermillExecutionError

    paths = config.paths(root, output)
    source = i18n.localise(
        nbformat.read(config.NOTEBOOKS_DIR / job.notebook, as_version=4), job.lang
    )
    executed = paths.reports / "notebooks" / f"{job.name}.ipynb"
    failed_dir = config.Paths(paths.root).reports / "failed"
    executed.parent.mkdir(parents=True, exist_ok=True)
    for old in _job_figures(paths, job):
        (paths.figures / old).unlink()
    fd, tmp_name = tempfile.mkstemp(prefix=f".{job.page}.", suffix=".ipynb", dir=executed.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    RUNNING[job.name] = tmp
    own_kernel = kernel is None
    kernel = kernel if kernel is not None else WarmKernel()
    try:
        kernel.execute(source, tmp, dict(job.parameters), kernel_environ(paths))
    except PapermillExecutionError as exc:
        failed_dir.mkdir(parents=True, exist_ok=True)
        kept = failed_dir / f"{job.name}.ipynb"
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(tmp, kept)
        for stale in (executed, paths.reports / f"{job.name}.html", _stamp_path(paths, job)):
            stale.unlink(missing_ok=True)
        what = f"team {job.parameters['team_id']}" if "team_id" in job.parameters else job.name
        first_line = (exc.source or "").strip().splitlines()[:1]
        return JobResult(
            job,
            "failed",
            f"{what}: notebook {job.notebook} failed in cell {exc.cell_index} "
            f"(In [{exc.exec_count}]: {first_line[0] if first_line else ''}) — "
            f"{exc.ename}: {exc.evalue}. Partial output: {kept}",
        )
    except Exception as exc:  # kernel died, papermill could not start, ...
        tmp.unlink(missing_ok=True)
        kernel.close()  # the next job starts a new one
        reason = _reason(exc, paths)
        return JobResult(job, "failed", f"{job.name}: could not run {job.notebook}: {reason}")
    except BaseException:  # stopped (SIGTERM in a worker, Ctrl-C when run alone)
        tmp.unlink(missing_ok=True)
        raise
    finally:
        if own_kernel:
            kernel.close()
    settle_notebook(tmp, job)
    os.replace(make_shareable(tmp), executed)
    RUNNING.pop(job.name, None)
    (failed_dir / f"{job.name}.ipynb").unlink(missing_ok=True)
    try:
        frame = frame if frame is not None else _frame_for_job(job, paths)
        render_html(executed, paths.reports / f"{job.name}.html", frame, job.page)
    except Exception as exc:  # nbconvert or its template: report, do not crash the run
        _stamp_path(paths, job).unlink(missing_ok=True)
        return JobResult(job, "failed", f"{job.name}: could not render HTML: {_reason(exc, paths)}")
    figures = _job_figures(paths, job)
    write_json(
        {"key": key, "figures": figures, "frame": site.frame_key(frame)}, _stamp_path(paths, job)
    )
    return JobResult(job, "ran", figures=figures)


def _reason(exc: Exception, paths: config.Paths) -> str:
    """Why a job failed: a write the system refused (disk full, ...) as the file, the reason
    and what to do; anything else as it says."""
    if isinstance(exc, OSError):
        return str(write_problem(exc, paths.root, paths.output))
    return str(exc)


# what papermill and the kernel record about one run (clock times, durations, where it ran)
_RUN_KEYS = ("start_time", "end_time", "duration")


def settle_notebook(path: Path, job: Job) -> None:
    """Take out of an executed notebook what differs between two runs of the same inputs:
    clock times and durations, the paths it ran from, the random id papermill gives the
    cell it injects. Same commit and data, same bytes."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    run = nb.metadata.get("papermill", {})
    for key in _RUN_KEYS:
        run.pop(key, None)
    run["input_path"] = f"notebooks/{job.notebook}"
    run["output_path"] = f"reports/notebooks/{job.name}.ipynb"
    run["environment_variables"] = {}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        for key in _RUN_KEYS:
            cell.metadata.get("papermill", {}).pop(key, None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
    nbformat.write(nb, path)


def rerender_job(job: Job, paths: config.Paths, frame: dict[str, Any]) -> JobResult:
    """Draw an up-to-date page again in a changed frame, from its executed notebook."""
    stamp = _stamp_path(paths, job)
    try:
        render_html(
            paths.reports / "notebooks" / f"{job.name}.ipynb",
            paths.reports / f"{job.name}.html",
            frame,
            job.page,
        )
    except Exception as exc:
        stamp.unlink(missing_ok=True)
        return JobResult(job, "failed", f"{job.name}: could not render HTML: {_reason(exc, paths)}")
    recorded = json.loads(stamp.read_text(encoding="utf-8"))
    write_json({**recorded, "frame": site.frame_key(frame)}, stamp)
    return JobResult(job, "rendered", figures=recorded.get("figures", []))


def _frame_is_current(paths: config.Paths, job: Job, frame: dict[str, Any]) -> bool:
    recorded = json.loads(_stamp_path(paths, job).read_text(encoding="utf-8"))
    return recorded.get("frame") == site.frame_key(frame)


PROGRESS_POLL = 1.0  # seconds between looks at the running notebooks
SLOW_NOTEBOOK = 60.0  # seconds after which a running notebook is said to be slow
_SHOWN_LEFT = 3  # notebooks named in "what remains"


class Progress:
    """The runner's lines for a person watching: per notebook its result and time, a running
    count (``[4/10]``) and what remains; a notebook running longer than
    :data:`SLOW_NOTEBOOK` is named while it runs (once)."""

    def __init__(self, total: int, echo: Callable[[str], None]):
        self.total, self.count, self.echo = total, 0, echo
        self.began = time.monotonic()
        self.seen: dict[str, float] = {}  # running notebook → when it was first seen running
        self.warned: set[str] = set()

    def done(self, result: JobResult, left: list[str] | None = None) -> None:
        self.count += 1
        self.seen.pop(result.job.name, None)
        what = {
            "skipped": "up to date",
            "rendered": "up to date, page redrawn in the changed site frame",
        }.get(result.status, result.status)
        if result.seconds is not None:
            what += f" in {result.seconds:.1f} s"
        if result.status == "failed":
            what += f" — {result.message}"
        line = f"  [{self.count}/{self.total}] {result.job.name}: {what}"
        if left:
            names = ", ".join(left[:_SHOWN_LEFT]) + (", …" if len(left) > _SHOWN_LEFT else "")
            line += f"; {len(left)} to go ({names})"
        elif left is not None:
            line += f"; all done in {time.monotonic() - self.began:.1f} s"
        self.echo(line)

    def running(self, names: set[str]) -> None:
        now = time.monotonic()
        for name in names:
            since = self.seen.setdefault(name, now)
            if now - since >= SLOW_NOTEBOOK and name not in self.warned:
                self.warned.add(name)
                self.echo(f"  {name}: still running after {now - since:.0f} s ...")


def run_jobs(
    jobs: list[Job],
    paths: config.Paths,
    *,
    workers: int | None = None,
    force: bool = False,
    frames: dict[str, dict[str, Any]] | None = None,
    echo: Callable[[str], None] = print,
    crew: Workers | None = None,
) -> list[JobResult]:
    """Run every job that is not up to date, in parallel (default: one worker per core).

    ``frames`` gives each language's site frame (default: one per language of the jobs). A
    job that is up to date but whose page was drawn in another frame (say the team list
    changed) is only rendered again, from its executed notebook. ``crew``: the report's
    workers, some perhaps started already; the caller shuts them down. The workers take the
    jobs one at a time, the longest first, and only as many start as the jobs need
    (:meth:`Workers.start_for`).
    """
    code = package_digest()
    _remove_partial_notebooks(paths)  # left by a run that was killed outright
    if frames is None:
        sites = {job.lang: job.site for job in jobs}
        frames = {lang: site_frame(paths, jobs, lang, sites) for lang in sites}
    team_ids = sorted({j.parameters["team_id"] for j in jobs if "team_id" in j.parameters})
    teams = team_digests(paths.processed, team_ids)  # one pass over each table
    keys = {job.name: job_key(job, job_inputs(job, paths, code, teams)) for job in jobs}
    results: list[JobResult] = []
    progress = Progress(len(jobs), echo)
    pending = []
    for job in jobs:
        if not force and is_up_to_date(paths, job, keys[job.name]):
            frame = frames[job.lang]
            if _frame_is_current(paths, job, frame):
                results.append(JobResult(job, "skipped"))
            else:
                results.append(rerender_job(job, paths, frame))
            progress.done(results[-1])
        else:
            pending.append(job)
    if not pending:
        return results
    # the longest notebooks first, so none is left running alone at the end
    pending.sort(key=lambda job: HEAVIEST_FIRST.index(job.notebook))
    with contextlib.ExitStack() as own:
        if crew is None:
            crew = own.enter_context(Workers(worker_count(workers)))  # kernels: with a job
        crew.start_for(len(pending))
        queue = list(pending)
        running: dict[Future, tuple[Job, ProcessPoolExecutor]] = {}
        retried: set[str] = set()  # jobs whose worker died: each is given once more

        def give(pool: ProcessPoolExecutor) -> JobResult | None:
            """The next job to this worker (a new one if it died); a job that cannot be
            given (no worker could be started) comes back as failed."""
            if not queue:
                return None
            job = queue.pop(0)
            output = str(paths.output) if paths.output is not None else None
            arguments = (job, str(paths.root), keys[job.name], frames[job.lang], output)
            try:
                try:
                    future = pool.submit(_run_job_in_worker, *arguments)
                except BrokenProcessPool:  # its process died with the job before
                    pool = crew.replace(pool)
                    future = pool.submit(_run_job_in_worker, *arguments)
            except OSError as exc:  # no process to be had (out of memory, ...)
                return JobResult(job, "failed", f"{job.name}: no worker could be started: {exc}")
            running[future] = (job, pool)
            return None

        def finished(result: JobResult) -> None:
            results.append(result)
            busy = {j.name for j, _ in running.values()}
            progress.done(result, [j.name for j in pending if j in queue or j.name in busy])

        try:
            for pool in list(crew.pools):
                if (failed := give(pool)) is not None:
                    finished(failed)
            while running:
                done, _ = wait(running, timeout=PROGRESS_POLL, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=lambda f: pending.index(running[f][0])):
                    job, pool = running.pop(future)
                    result = None
                    try:
                        result = future.result()
                    except BrokenProcessPool as exc:  # the worker died: while starting its
                        # kernel, or killed (out of memory, ...), perhaps by this very job
                        if job.name in retried:
                            result = JobResult(job, "failed", f"{job.name}: {exc}")
                        else:
                            retried.add(job.name)
                            queue.insert(0, job)
                    except Exception as exc:
                        result = JobResult(job, "failed", f"{job.name}: {exc}")
                    if result is not None:
                        finished(result)
                    if (failed := give(pool)) is not None:
                        finished(failed)
                progress.running({job.name for f, (job, _) in running.items() if f.running()})
            while queue:  # no worker could be started for them
                job = queue.pop(0)
                finished(JobResult(job, "failed", f"{job.name}: not run: no worker to run it"))
        except BaseException:  # Ctrl-C, SIGTERM: stop the queued and the running notebooks now
            crew.stop()
            _remove_partial_notebooks(paths)
            raise
    order = {job.name: i for i, job in enumerate(jobs)}
    return sorted(results, key=lambda r: order[r.job.name])


# --- colophon and index ----------------------------------------------------------------


def colophon(root: Path | None = None) -> dict[str, Any]:
    """What a report was built from: commit, Python and package versions, input checksums."""
    versions = {}
    for name in COLOPHON_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {
        "commit": git_commit(),
        "python": sys.version.split()[0],
        "packages": versions,
        "inputs": raw_checksums(config.paths(root).raw),
    }


def write_site_pages(paths: config.Paths, frame: dict[str, Any], summary: dict[str, Any]) -> Path:
    """Write one language's own site pages in its frame: ``index.html`` (every page) and
    ``downloads.html`` (tables, workbook, figures, input checksums); and the stylesheet."""
    folder = paths.reports / frame["site_dir"] if frame["site_dir"] else paths.reports
    figures = paths.figures if frame["lang"] == i18n.DEFAULT_LANG else paths.figures / frame["lang"]
    workbooks = set(workbook_names(frame["languages"]).values())
    own = workbook_names(frame["languages"])[frame["lang"]]
    site.write_stylesheet(paths.reports)
    site.write_downloads(
        folder,
        paths.processed,
        figures,
        frame,
        raw_checksums(paths.raw),
        leave_out=workbooks - {own},
        published=paths.published,
    )
    return site.write_index(folder, frame, summary)


def write_index(
    paths: config.Paths,
    jobs: list[Job],
    summary: dict[str, Any],
    frame: dict[str, Any] | None = None,
) -> Path:
    """The site pages of ``jobs``' language (see :func:`write_site_pages`)."""
    if frame is None:
        lang = jobs[0].lang if jobs else i18n.DEFAULT_LANG
        frame = site_frame(paths, jobs, lang, {lang: jobs[0].site if jobs else ""})
    return write_site_pages(paths, frame, summary)


SITE_STAGING = ".botu-site."  # prefix of the folder a new site is built in, beside reports/


def stage_site(paths: config.Paths, languages: list[str]) -> config.Paths:
    """A staging folder holding a copy of the current site (``reports/``, ``figures/``) for
    the new one to be built in; returns its paths. Left out of the copy: the pages and
    figures of languages this build does not make (they would no longer match the data),
    and ``reports/failed/``. Staging folders of runs killed outright are removed first."""
    for target in (paths.reports, paths.figures):
        refuse_replacing(target)  # before any notebook runs, not after
    for stale in paths.root.glob(f"{SITE_STAGING}*"):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
    try:
        stage = Path(tempfile.mkdtemp(prefix=SITE_STAGING, dir=paths.root))
    except OSError as exc:
        raise InputError(write_problem(exc, paths.reports)) from None
    staged = config.Paths(paths.root, stage)
    others = {lang for lang in i18n.LANGUAGES if lang not in languages}
    # another language's pages, executed notebooks and stamps; its figures
    left_out = {
        paths.reports: {"failed", *others},
        paths.reports / "notebooks": others,
        paths.reports / ".build": others,
        paths.figures: others,
    }
    try:
        for source, target in ((paths.reports, staged.reports), (paths.figures, staged.figures)):
            if source.is_dir():
                shutil.copytree(
                    source,
                    target,
                    symlinks=True,
                    ignore=lambda folder, names: set(names) & left_out.get(Path(folder), set()),
                )
            else:
                target.mkdir()
    except OSError as exc:
        shutil.rmtree(stage, ignore_errors=True)
        raise InputError(write_problem(exc, paths.reports, stage)) from None
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return staged


def publish_site(staged: config.Paths, paths: config.Paths) -> None:
    """Put a finished staged site in place of ``figures/`` and ``reports/``. Ctrl-C and
    SIGTERM wait until both are in place (a stop between the two would mix sites)."""
    on_main_thread = threading.current_thread() is threading.main_thread()
    stops = {signal.SIGINT, signal.SIGTERM}
    if on_main_thread:
        signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    try:
        replace_directory(staged.figures, paths.figures)
        replace_directory(staged.reports, paths.reports)
    except OSError as exc:
        raise InputError(write_problem(exc, paths.root, staged.output)) from None
    finally:
        if on_main_thread:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, stops)


def _keep_logs(failed: list[JobResult], staged: config.Paths, paths: config.Paths) -> None:
    """The kernel logs of failed notebooks, beside their partial output in reports/failed/."""
    for result in failed:
        log = _stamp_path(staged, result.job).with_suffix(".log")
        if log.is_file():
            kept = paths.reports / "failed" / f"{result.job.name}.log"
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(log, kept)


def workers_at_build(paths: config.Paths, count: int) -> int:
    """How many of ``count`` workers start while the tables are rebuilt: all for a study's
    first report (every page will run), else one (the others once the pages to run are
    known, :meth:`Workers.start_for`)."""
    return count if not any((paths.reports / ".build").glob("*.json")) else 1


def make_report(
    root: Path | None = None,
    *,
    workers: int | None = None,
    force: bool = False,
    lang: str | list[str] = i18n.DEFAULT_LANG,
    echo: Callable[[str], None] = print,
    crew: Workers | None = None,
) -> list[JobResult]:
    """Build the whole report of the project at ``root``, in each language of ``lang``
    (``"nl,en"``: the Dutch site in reports/, the English one in reports/en/, each page with
    a switch to the other). ``crew``: the workers, if the caller started one already
    (the command line, see :class:`botu.workers.Workers`); shut down here.

    The new site is built in a staging folder and replaces ``reports/`` and ``figures/`` only
    when every page is done and the privacy check passed; whatever stops the run (invalid
    data, a failing notebook, Ctrl-C) leaves the last complete site as it was.

    Raises:
        InputError: the raw data are invalid (nothing is built).
        NotebookError: naming each job and cell that failed.
    """
    paths = config.Paths(config.paths(root).root)  # the study's own site, never a staged one
    languages = parse_languages(lang)
    sites = site_dirs(languages)
    echo(f"validating and building {paths.processed} ...")
    crew = crew or Workers(worker_count(workers), paths.root)
    with crew:
        # content-keyed: reused when unchanged; when not, the kernels start meanwhile
        early = workers_at_build(paths, crew.count)
        built = build(paths.root, lang=languages, rebuilding=lambda: crew.start(early))
        if built.is_reused:
            echo("  data/raw unchanged: processed tables reused")
        teams = load_table("teams", paths.root)
        names = dict(zip(teams["team_id"], teams["name"], strict=True))
        jobs = [
            job
            for language, folder in sites.items()
            for job in jobs_for(built.team_ids, lang=language, team_names=names, site_dir=folder)
        ]
        frames = {language: site_frame(paths, jobs, language, sites) for language in languages}
        staged = stage_site(paths, languages)
        try:
            echo(f"running {len(jobs)} notebooks ...")
            results = run_jobs(
                jobs,
                staged,
                workers=workers,
                force=force,
                frames=frames,
                echo=echo,
                crew=crew,
            )
            failed = [r for r in results if r.status == "failed"]
            if failed:
                _keep_logs(failed, staged, paths)
                raise NotebookError(
                    "\n".join(r.message for r in failed)
                    + "\nthe site in reports/ is still the last complete one"
                )
            for frame in frames.values():
                write_site_pages(staged, frame, built.summary)
            try:
                checked = check_outputs(staged)
            except PrivacyError as exc:
                raise PrivacyError(
                    str(exc).replace(str(staged.output), str(paths.root))
                    + "\nnothing was published: the site in reports/ is still the last complete one"
                ) from None
            publish_site(staged, paths)
        finally:
            if staged.output is not None and staged.output.exists():
                shutil.rmtree(staged.output, ignore_errors=True)
    if checked:
        echo(f"privacy: {checked} real names checked, none in the outputs")
    for folder in sites.values():
        echo(
            f"report ready: {(paths.reports / folder if folder else paths.reports) / 'index.html'}"
        )
    return results
