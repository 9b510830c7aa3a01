"""The report's worker processes, each running its notebooks one at a time in one warm
kernel (:mod:`botu.kernel`), started only as the pages need them (:class:`Workers`)."""

from __future__ import annotations

import os
import signal
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from botu import config
from botu.kernel import WarmKernel


def skip_unused_schema_formats() -> None:
    """Spare this process 4-5 s of imports: ``jsonschema``, which ``nbformat`` imports, builds
    38 Lark grammars of ``rfc3987-syntax`` at import time, only to check the IRI formats of a
    schema, which no notebook schema uses. Left out, jsonschema skips those two formats (it
    imports the package under ``suppress(ImportError)``). Nothing changes once it is loaded."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def kernel_environ(paths: config.Paths) -> dict[str, str | None]:
    """The environment variables a page's kernel gets (``None``: left out): the project
    root, and the staged site its figures go to."""
    return {
        config.ROOT_ENV_VAR: str(paths.root),
        config.OUTPUT_ENV_VAR: str(paths.output) if paths.output is not None else None,
    }


STOP_GRACE = 1.0  # seconds a stopped worker gets to clean up before it is killed


def _worker_start() -> None:
    """Set up a pool worker: it ends with the runner however the runner ends (Linux), and at
    once when stopped (SIGTERM). Ctrl-C is the runner's to handle: it stops the workers."""
    skip_unused_schema_formats()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_stopped)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG: SIGTERM when the parent dies
    except (OSError, AttributeError):  # not Linux: the pool notices its parent is gone
        pass


RUNNING: dict[str, Path] = {}  # in a worker: the hidden notebook being written
_KERNEL: list[WarmKernel] = []  # in a worker: its kernel (botu.kernel)


def worker_kernel() -> WarmKernel:
    """The worker's kernel (started by :func:`_warm_worker` or its first job); shut down
    when the worker ends."""
    if not _KERNEL:
        from multiprocessing import util

        kernel = WarmKernel()
        _KERNEL.append(kernel)
        util.Finalize(kernel, kernel.close, kwargs={"now": True}, exitpriority=10)
    return _KERNEL[0]


def _warm_worker(root: str) -> None:
    """Start this worker's kernel ahead of its first notebook (while the tables are built);
    while it boots, load what the worker itself runs a notebook and renders a page with."""
    kernel = worker_kernel()
    if kernel.alive:
        return
    kernel.launch(kernel_environ(config.paths(root)))
    # meanwhile, what this worker runs and renders a notebook with
    import papermill  # noqa: F401

    from botu import site

    site.warm_page_exporter()
    kernel.finish_start()


def _worker_stopped(signum: int, frame: object) -> None:
    """A stopped worker leaves at once (an exception could be swallowed by the notebook
    machinery and the run go on), taking its hidden notebook along; its kernel, orphaned,
    ends itself."""
    for partial in RUNNING.values():
        partial.unlink(missing_ok=True)
    for kernel in _KERNEL:
        kernel.kill()
    os._exit(128 + signum)


def worker_count(workers: int | None = None) -> int:
    """How many notebooks run at a time: ``workers``, by default one per core."""
    return max(1, workers or os.cpu_count() or 1)


# a kernel starts in about the time two pages take to run: a report with fewer pages than
# that per worker starts fewer workers (a corrected quote reruns one page: one worker)
PAGES_PER_KERNEL_START = 2


def start_worker(root: Path | None = None) -> ProcessPoolExecutor:
    """One worker process (a pool of one, so that the report chooses which worker runs what);
    given the study's ``root``, it starts its kernel at once (:func:`_warm_worker`), else with
    its first notebook."""
    pool = ProcessPoolExecutor(max_workers=1, initializer=_worker_start)
    if root is not None:
        pool.submit(_warm_worker, str(root))
    return pool


def _processes(pools: list[ProcessPoolExecutor]) -> list:
    """The worker processes of ``pools`` (a pool shut down already has none)."""
    return [
        process for pool in pools for process in (getattr(pool, "_processes", None) or {}).values()
    ]


def stop_workers(pools: list[ProcessPoolExecutor]) -> None:
    """Cancel what is queued and end the running workers (and so their kernels): a stop
    first, a kill for whatever still runs after :data:`STOP_GRACE` seconds."""
    processes = _processes(pools)
    for pool in pools:
        pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    deadline = time.monotonic() + STOP_GRACE
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join(1.0)


class Workers:
    """The report's workers, at most ``count``, each a process with its own kernel.

    Started as the work needs them: the first while the tables are built (:meth:`start`,
    the build's callback), the others once the report knows how many notebooks it runs
    (:meth:`start_for`). Each is forked from the report with what it has loaded (pandas, the
    page modules); a worker started before that would load them again, which on two cores
    costs more than its head start gains (measured). At the end they are shut down and
    waited for, or stopped at once when the report fails or is interrupted.
    """

    def __init__(self, count: int, root: Path | None = None):
        self.count, self.root = max(1, count), root
        self.pools: list[ProcessPoolExecutor] = []

    def start(self, needed: int = 1) -> None:
        """Have ``needed`` workers (at most ``count``), each starting its kernel."""
        while len(self.pools) < min(needed, self.count):
            self.pools.append(start_worker(self.root))

    def start_for(self, pages: int) -> None:
        """Have the workers ``pages`` notebooks need: one per :data:`PAGES_PER_KERNEL_START`
        of them (a new kernel would be ready only when the others are nearly done)."""
        self.start(-(-pages // PAGES_PER_KERNEL_START))

    def replace(self, pool: ProcessPoolExecutor) -> ProcessPoolExecutor:
        """A new worker in place of ``pool``, whose process died."""
        pool.shutdown(wait=True, cancel_futures=True)  # its manager has ended or is ending
        new = start_worker(self.root)
        self.pools[self.pools.index(pool)] = new
        return new

    def stop(self) -> None:
        """End the workers at once (:func:`stop_workers`)."""
        pools, self.pools = self.pools, []
        stop_workers(pools)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        pools, self.pools = self.pools, []  # once, whoever leaves first
        if kind is not None:
            stop_workers(pools)
            return
        # all asked to end (each closes its kernel), then waited for: each pool's manager
        # thread joins its process (a second waiter on the process could miss its end)
        managers = [getattr(pool, "_executor_manager_thread", None) for pool in pools]
        for pool in pools:
            pool.shutdown(wait=False)
        for manager in managers:
            if manager is not None:
                manager.join()
