"""``build`` against a bare pandas read of the same raw tables, at three sizes.

Both sides are fresh processes, so each pays its own interpreter and imports: the bare read
is ``python -c "import pandas; read every raw CSV as text"``, the build is
``python -m botu --root STUDY build --force`` (validation, every processed table, the
reliability bootstrap, the Excel copy, ``summary.json``). The studies: the demo data, the
demo replicated 16 times (112 teams) and a generated study of 1,000,000 codings
(:mod:`benchmarks.scale`). Peak memory is measured on the largest.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from benchmarks import scale
from benchmarks.timing import PYTHON, best_run, run, target

BARE_READ = (
    "import sys, pathlib, pandas as pd\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.csv')):\n"
    "    pd.read_csv(p, dtype=str, keep_default_na=False)\n"
)
MAX_RATIO = 10.0  # build ≤ 10× a bare read
MAX_MEMORY = 4 * 1024**3  # peak memory ≤ 4 GB at 1 M codings
MILLION = 1_000_000


def studies(parent: Path, quick: bool) -> list[tuple[str, Path]]:
    """The studies to build: (label, root)."""
    demo = parent / "demo"
    shutil.copytree(scale.DEMO_RAW, demo / "data" / "raw")
    sixteen = parent / "x16"
    scale.generate(sixteen, teams=112)
    out = [("demo (7 teams)", demo), ("16x demo (112 teams)", sixteen)]
    if not quick:
        million = parent / "1m"
        copies = scale.copies_for(MILLION, 100)
        scale.generate(million, teams=100, copies=copies, codings=MILLION)
        out.append(("1,000,000 codings (100 teams)", million))
    return out


def run_bench(parent: Path, quick: bool = False) -> list[dict]:
    rows = []
    for label, root in studies(parent, quick):
        raw = root / "data" / "raw"
        big = "1,000,000" in label
        bare, _ = best_run([PYTHON, "-c", BARE_READ, str(raw)], repeat=3)
        command = [PYTHON, "-m", "botu", "--root", str(root), "build", "--force"]
        built, memory = run(command) if big else best_run(command, repeat=2)
        ratio = built / bare
        detail = f"build {built:.1f} s, bare read {bare:.2f} s"
        if label.startswith("demo"):  # no target at demo size: the imports dominate both
            rows.append({"name": f"build / bare read, {label}", "value": ratio, "detail": detail})
        else:
            rows.append(target(f"build / bare read, {label}", ratio, MAX_RATIO, "at most", detail))
        if big:
            rows.append(
                target(
                    f"peak memory of build, {label} (GB)",
                    memory / 1024**3,
                    MAX_MEMORY / 1024**3,
                    "at most",
                    f"{memory / 1024**2:,.0f} MB",
                )
            )
    return rows
