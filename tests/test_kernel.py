"""The report's warm kernels (botu.kernel): a notebook run after others in the same kernel
finds it as a new kernel would be after the page imports."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from papermill.exceptions import PapermillExecutionError

from botu import config
from botu.kernel import WarmKernel

LEAVE_TRACES = """
import os, sys, warnings
import matplotlib, matplotlib.pyplot as plt, numpy as np, pandas as pd
left_behind = 1
matplotlib.rcParams["lines.linewidth"] = 7
plt.figure()
os.chdir("/")
os.environ["BOTU_TEST_TRACE"] = "1"
sys.path.insert(0, "/nowhere")
np.seterr(all="raise")
np.set_printoptions(precision=2)
pd.set_option("display.max_rows", 3)
warnings.simplefilter("error")
"""

FIND_NONE = """
import json, os, sys, warnings
import matplotlib, matplotlib.pyplot as plt, numpy as np, pandas as pd
print(json.dumps({
    "left_behind": "left_behind" in globals(),
    "linewidth": matplotlib.rcParams["lines.linewidth"],
    "figures": plt.get_fignums(),
    "cwd": os.getcwd(),
    "env": os.environ.get("BOTU_TEST_TRACE"),
    "path": "/nowhere" in sys.path,
    "np_err": np.geterr()["divide"],
    "np_precision": np.get_printoptions()["precision"],
    "max_rows": pd.get_option("display.max_rows"),
    "warnings_raise": any(f[0] == "error" for f in warnings.filters),
}))
"""


ENVIRON = """
import json, os
print(json.dumps({k: v for k, v in os.environ.items() if k == "BOTU_TEST_TRACE"}))
"""


def _notebook(*sources: str):
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "P"}
    return nb


def _printed(path) -> dict:
    nb = nbformat.read(path, as_version=4)
    cell = nb.cells[-1]
    return json.loads("".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream"))


@pytest.fixture(scope="module")
def kernel():
    warm = WarmKernel()
    yield warm
    warm.close()


def test_a_notebook_finds_nothing_of_the_one_before(kernel, tmp_path):
    kernel.execute(_notebook("x = 1", "1 + 1"), tmp_path / "first.ipynb", {})
    new = WarmKernel()
    try:
        new.execute(_notebook(FIND_NONE), tmp_path / "new.ipynb", {})
    finally:
        new.close()
    expected = _printed(tmp_path / "new.ipynb")

    kernel.execute(_notebook(LEAVE_TRACES), tmp_path / "traces.ipynb", {})
    kernel.execute(_notebook("y = 2", FIND_NONE), tmp_path / "after.ipynb", {})
    kernel.execute(_notebook(ENVIRON), tmp_path / "environ.ipynb", {}, {"BOTU_TEST_TRACE": "x"})
    assert _printed(tmp_path / "environ.ipynb") == {"BOTU_TEST_TRACE": "x"}
    found = _printed(tmp_path / "after.ipynb")
    assert found == expected
    assert found["cwd"] == str(config.NOTEBOOKS_DIR)
    assert found["left_behind"] is False and found["env"] is None
    # numbered from 1 again, as in a new kernel
    after = nbformat.read(tmp_path / "after.ipynb", as_version=4)
    assert [c.execution_count for c in after.cells] == [1, 2]


def test_a_failed_notebook_leaves_the_kernel_usable(kernel, tmp_path):
    with pytest.raises(PapermillExecutionError):
        kernel.execute(_notebook("half = 1", "1 / 0"), tmp_path / "failed.ipynb", {})
    kernel.execute(_notebook("print('half' in globals())"), tmp_path / "next.ipynb", {})
    out = nbformat.read(tmp_path / "next.ipynb", as_version=4).cells[0].outputs
    assert out[0]["text"].strip() == "False"


def test_a_kernel_that_died_is_started_again(kernel, tmp_path):
    with pytest.raises(Exception, match=r"(?i)kernel died|dead"):
        kernel.execute(_notebook("import os; os._exit(1)"), tmp_path / "died.ipynb", {})
    kernel.execute(_notebook("print(40 + 2)"), tmp_path / "again.ipynb", {})
    out = nbformat.read(tmp_path / "again.ipynb", as_version=4).cells[0].outputs
    assert out[0]["text"].strip() == "42"


def test_the_kernel_messages_are_handed_out_per_notebook(kernel, tmp_path):
    mark = kernel.log_position()
    kernel.execute(
        _notebook("import os; os.write(2, b'from the kernel\\n')"), tmp_path / "says.ipynb", {}
    )
    import time

    for _ in range(50):  # the kernel writes on its own time
        if b"from the kernel" in kernel.messages_since(mark):
            break
        time.sleep(0.05)
    assert b"from the kernel" in kernel.messages_since(mark)
    assert b"from the kernel" not in kernel.messages_since(kernel.log_position())


def test_the_page_imports_run_as_the_kernel_starts(tmp_path):
    """The kernel imports the page modules before it first answers, not when the worker
    asks it to (the worker loads its own modules meanwhile)."""
    warm, printed = WarmKernel(), []
    try:
        warm.launch()
        from botu.kernel import _sync

        client = warm.manager.client()
        client.start_channels()
        _sync(client.wait_for_ready)(timeout=60)
        reply = _sync(client.execute_interactive)(
            "import botu.kernel, sys; print(botu.kernel._FRESH is not None, "
            "'botu.pages.team' in sys.modules)",
            output_hook=lambda msg: printed.append(msg["content"].get("text", "")),
            timeout=60,
        )
        client.stop_channels()
    finally:
        warm.close()
    assert reply["content"]["status"] == "ok"
    assert "".join(printed).split() == ["True", "True"]


def test_a_kernel_closed_now_is_gone_with_its_connection_file():
    warm = WarmKernel()
    warm.start()
    process = warm.manager.provisioner.process
    connection = Path(warm.manager.connection_file)
    assert connection.exists()
    warm.close(now=True)
    assert process.wait(timeout=10) is not None  # ended
    assert not connection.exists()
    assert not warm.alive
