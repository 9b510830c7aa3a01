"""Run every benchmark and print each ratio beside its target; ``make bench``.

Usage: ``python -m benchmarks [--quick]`` (``--quick``: no 1,000,000-codings study and no
100-team report). Results also go to ``benchmarks/results/latest.json`` (not committed).
Absolute seconds depend on the machine; the ratios are what the targets are about. The exit
status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
from pathlib import Path

from benchmarks import bench_build, bench_evidence, bench_reliability, bench_report

RESULTS = Path(__file__).resolve().parent / "results"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    except (OSError, ValueError):
        memory = float("nan")
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def _target_line(row: dict) -> str:
    if "limit" not in row:
        return f"  {row['name']:<66} {row['value']:>7.2f}   {'(measured)':<14} {row['detail']}"
    sign = "<=" if row["kind"] == "at most" else ">="
    verdict = "holds" if row["holds"] else "MISSED"
    goal = f"{sign} {row['limit']:g}  {verdict}"
    return f"  {row['name']:<66} {row['value']:>7.2f}   {goal:<14} {row['detail']}"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="leave out the largest runs")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="botu-bench-") as tmp:
        targets = bench_build.run_bench(Path(tmp), quick=args.quick)
    report_rows, cells = bench_report.run_bench(quick=args.quick)
    targets += report_rows
    speedups = bench_evidence.run(quick=True) + bench_reliability.run(quick=True)

    print(f"\n  {'ratio':<66} {'value':>7}   {'target':<14} measured")
    for row in targets:
        print(_target_line(row))
    print("\n  where a team page spends its time (as the report runs it, in a worker's kernel):")
    for source, seconds in cells[:8]:
        print(f"    {seconds:6.2f} s  {source}")
    print(f"\n  {'botu against the plain way, same input':<66} {'botu s':>8} {'plain s':>8}")
    for row in speedups:
        print(
            f"  {row['name']:<66} {row['botu_s']:>8.3f} {row['plain_s']:>8.3f}"
            f"  {row['ratio']:.0f}x faster"
        )
    missed = [row["name"] for row in targets if row.get("holds") is False]
    print(f"\n{len(missed)} target(s) missed" if missed else "\nevery target holds")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "latest.json"
    out.write_text(
        json.dumps(
            {"machine": machine(), "targets": targets, "team_page": cells, "speedups": speedups},
            indent=2,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"written to {out}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
