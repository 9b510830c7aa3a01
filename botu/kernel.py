"""One Jupyter kernel per report worker, reset between the notebooks it runs.

Starting a kernel and importing pandas, matplotlib, seaborn and the page modules takes a
page about as long as its own work. A worker of the report (:mod:`botu.report`) therefore
starts one kernel, imports the page modules once (:func:`prepare`), and runs its notebooks
in that kernel one after another, putting the kernel back before each (:func:`fresh`) in the
state a new kernel is in after those imports:

- the user namespace, input history and output cache are emptied and the execution count
  starts again at 1 (IPython's ``reset(new_session=True)``);
- open figures are closed and matplotlib's rcParams restored;
- the working folder, environment variables, ``sys.path``, numpy's error and print options,
  pandas' options and the warning filters (and which warnings were already shown) are put
  back;
- botu's own per-page state (the numbering of a page's tables, ...) starts again: a module
  that keeps such state registers how to put it back with :func:`on_reset`.

What stays is only what an import leaves: loaded modules and their caches of fonts and
templates. A page comes out byte for byte as from a new kernel, whichever pages ran before it
in the same kernel (``tests/test_kernel.py`` holds it to that).

:class:`WarmKernel` is the worker's side: start, reset, run a notebook through papermill,
the kernel's own messages (stderr) per notebook, and shut down.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from botu import config

KERNEL_NAME = "python3"
START_TIMEOUT = 60  # seconds a kernel gets to start and to answer
RESET_TIMEOUT = 60  # seconds the reset between two notebooks may take
ENGINE = "botu-warm"  # the papermill engine that runs a notebook in a warm kernel
# the kernel's environment: figures render inline, into the executed notebook and its page
KERNEL_ENVIRON = {"MPLBACKEND": "module://matplotlib_inline.backend_inline"}

# the page modules every notebook imports from (one each)
PAGE_MODULES = ("overview", "team", "reliability", "compare")
# what the page modules import only when they draw (botu.report reads them without it)
DRAWING_MODULES = ("botu.plots",)

# run in the kernel: at its start (before it answers; again once it answers, which only
# checks that it ran), and before each notebook
PREPARE_CODE = "__import__('botu.kernel').kernel.prepare()"
FRESH_CODE = "__import__('botu.kernel').kernel.fresh({environ!r})"


def _changed(environ: dict[str, str], changes: dict[str, str | None]) -> dict[str, str]:
    """``environ`` with ``changes`` made: a value set, ``None`` left out."""
    out = dict(environ)
    for name, value in changes.items():
        if value is None:
            out.pop(name, None)
        else:
            out[name] = value
    return out


# --- in the kernel ----------------------------------------------------------------------

_FRESH: dict[str, Any] | None = None  # the kernel's state after prepare()
_RESETS: list[Callable[[], None]] = []  # botu's own per-page state, see on_reset()


def on_reset(function: Callable[[], None]) -> Callable[[], None]:
    """Register ``function`` to put back a module's own per-page state (a counter, a record)
    before the next notebook in a reused kernel; usable as a decorator."""
    _RESETS.append(function)
    return function


def prepare() -> None:
    """In a new kernel: import what the notebooks import, then note the state :func:`fresh`
    puts back. Runs as the kernel starts (:meth:`WarmKernel.launch`); once it has run,
    again does nothing."""
    global _FRESH
    if _FRESH is not None:
        return
    import importlib
    import warnings

    import matplotlib
    import matplotlib.pyplot  # the inline backend takes over here, as in a page
    import numpy as np

    for name in (*(f"botu.pages.{page}" for page in PAGE_MODULES), *DRAWING_MODULES):
        importlib.import_module(name)

    _FRESH = {
        "rc": dict(matplotlib.rcParams),
        "cwd": os.getcwd(),
        "environ": dict(os.environ),
        "path": list(sys.path),
        "np_err": np.geterr(),
        "np_print": np.get_printoptions(),
        "warnings": list(warnings.filters),
    }


def fresh(environ: dict[str, str | None] | None = None) -> None:
    """Put this kernel back as :func:`prepare` left it (see the module's description), its
    environment variables changed by ``environ`` (``None``: left out) for the next page."""
    import warnings

    import matplotlib
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd
    from IPython import get_ipython

    if _FRESH is None:
        raise RuntimeError("botu.kernel.prepare() has not run in this kernel")
    for reset in _RESETS:
        reset()
    plt.close("all")
    # rcParams as they were, unvalidated as matplotlib's own rc_context restores them
    dict.update(matplotlib.rcParams, _FRESH["rc"])
    os.chdir(_FRESH["cwd"])
    wanted = _changed(_FRESH["environ"], environ or {})
    if dict(os.environ) != wanted:
        os.environ.clear()
        os.environ.update(wanted)
    sys.path[:] = _FRESH["path"]
    np.seterr(**_FRESH["np_err"])
    np.set_printoptions(**_FRESH["np_print"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pd.reset_option("all")
    warnings.filters[:] = _FRESH["warnings"]
    warnings.onceregistry.clear()
    warnings._filters_mutated()  # every module forgets which warnings it showed
    shell = get_ipython()
    if shell is not None:
        shell.reset(new_session=True)


# --- in the worker ----------------------------------------------------------------------


class KernelError(RuntimeError):
    """The kernel could not be started or put back; the worker starts a new one."""


class WarmKernel:
    """A kernel that runs notebooks one after another (see the module's description).

    Started in the notebooks' folder, in this process's environment changed by
    :data:`KERNEL_ENVIRON` and the first notebook's ``environ``; its stderr goes to a private
    file, handed out per notebook by :meth:`messages_since`.
    """

    def __init__(self) -> None:
        self.manager: Any = None
        self.client: Any = None
        # appended to by the kernel, read by position; closed with the object
        self._log = tempfile.TemporaryFile(mode="a+b")  # noqa: SIM115

    @property
    def alive(self) -> bool:
        return self.manager is not None and _sync(self.manager.is_alive)()

    def start(self, environ: dict[str, str | None] | None = None) -> None:
        """Start the kernel and import what the pages import (:func:`prepare`)."""
        self.launch(environ)
        self.finish_start()

    def launch(self, environ: dict[str, str | None] | None = None) -> None:
        """Start the kernel's process; :meth:`finish_start` waits for it (the caller can do
        other work while it boots)."""
        # asynchronous, as nbclient's own: a blocking client would wait forever for the
        # messages of a kernel that died
        from jupyter_client import AsyncKernelManager

        env = _changed(dict(os.environ), {**KERNEL_ENVIRON, **(environ or {})})
        manager = AsyncKernelManager(kernel_name=KERNEL_NAME)
        saved = os.dup(2)
        os.dup2(self._log.fileno(), 2)  # the kernel's stderr: inherited at its start
        try:
            _sync(manager.start_kernel)(
                cwd=str(config.NOTEBOOKS_DIR),
                env=env,
                # the page imports start with the kernel, not when the worker gets to them
                extra_arguments=[f"--IPKernelApp.exec_lines={PREPARE_CODE}"],
            )
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        self.manager = manager

    def finish_start(self) -> None:
        """Wait for the launched kernel and import what the pages import."""
        try:
            self.client = self.manager.client()
            self.client.start_channels()
            _sync(self.client.wait_for_ready)(timeout=START_TIMEOUT)
            self.client.allow_stdin = False
            self._run(PREPARE_CODE, "prepare")
        except BaseException:
            self.close()
            raise

    def _run(self, code: str, what: str) -> None:
        """Run ``code`` in the kernel silently (no execution count, no history)."""
        try:
            reply = _sync(self.client.execute_interactive)(
                code,
                silent=True,
                store_history=False,
                allow_stdin=False,
                timeout=RESET_TIMEOUT,
                output_hook=lambda msg: None,
            )
        except Exception as exc:  # timed out, kernel gone
            raise KernelError(f"the kernel did not {what}: {exc}") from exc
        content = reply["content"]
        if content.get("status") != "ok":
            raise KernelError(
                f"the kernel could not {what}: {content.get('ename')}: {content.get('evalue')}"
            )

    def ready(self, environ: dict[str, str | None] | None = None) -> None:
        """A kernel ready for the next notebook: this one reset (:func:`fresh`), or a new one
        started when it died or cannot be reset."""
        if not self.alive:
            self.close()
            self.start(environ)
        try:
            self._run(FRESH_CODE.format(environ=dict(environ or {})), "reset")
        except KernelError:
            self.close()
            self.start(environ)
            self._run(FRESH_CODE.format(environ=dict(environ or {})), "reset")

    def execute(
        self,
        notebook: Any,
        output: Path,
        parameters: dict[str, Any],
        environ: dict[str, str | None] | None = None,
    ) -> None:
        """Run ``notebook`` (a notebook node or path) through papermill into ``output``, in
        this kernel put back as new, with the environment variables ``environ`` (``None``:
        left out)."""
        import papermill as pm

        _register_engine()
        self.ready(environ)
        pm.execute_notebook(
            notebook,
            str(output),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            engine_name=ENGINE,
            progress_bar=False,
            log_output=False,
            start_timeout=START_TIMEOUT,
            # written once at the end (and on failure), not after every cell
            request_save_on_cell_execute=False,
            warm=self,
        )

    def messages_since(self, position: int) -> bytes:
        """What the kernel wrote to its stderr since ``position`` (:meth:`log_position`)."""
        size = os.fstat(self._log.fileno()).st_size
        return os.pread(self._log.fileno(), max(0, size - position), position)

    def log_position(self) -> int:
        return os.fstat(self._log.fileno()).st_size

    def close(self, now: bool = False) -> None:
        """Stop the kernel (if any); the object can start a new one. ``now``: end it at once
        rather than ask it to (a worker that has finished: nothing in it is left to keep)."""
        if self.client is not None:
            with contextlib.suppress(Exception):  # already closed
                self.client.stop_channels()
        if self.manager is not None:
            try:
                if _sync(self.manager.is_alive)():
                    _sync(self.manager.shutdown_kernel)(now=now)  # cleans up after itself
                else:
                    _sync(self.manager.cleanup_resources)()
            except Exception:  # already gone
                pass
        self.manager = self.client = None

    def kill(self) -> None:
        """End the kernel at once (a stopped worker), its connection file removed."""
        manager = self.manager
        process = getattr(getattr(manager, "provisioner", None), "process", None)
        if process is not None:
            with contextlib.suppress(OSError):
                os.kill(process.pid, signal.SIGKILL)
        if manager is not None:
            with contextlib.suppress(OSError):
                Path(manager.connection_file).unlink(missing_ok=True)


def _sync(function):
    """An asynchronous function of jupyter_client called as a plain one (as nbclient does)."""
    from jupyter_core.utils import run_sync

    return run_sync(function)


@functools.cache
def _register_engine() -> None:
    """Make :data:`ENGINE` known to papermill (once): nbclient's engine, given the warm
    kernel's manager and client instead of starting (and at the end shutting down) one."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    class WarmEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=START_TIMEOUT,
            execution_timeout=None,
            warm: WarmKernel | None = None,
            **kwargs,
        ):
            if warm is None:
                raise ValueError(f"the {ENGINE} engine needs warm=WarmKernel")
            import logging

            client = PapermillNotebookClient(
                nb_man,
                km=warm.manager,
                kernel_name=kernel_name,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                log=logging.getLogger("papermill"),
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            client.kc = warm.client  # nbclient neither starts nor stops a kernel it was given
            return client.execute()

    papermill_engines.register(ENGINE, WarmEngine)
