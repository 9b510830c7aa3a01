"""Run every benchmark and print ratios; results go to benchmarks/results/ (not committed).

Usage: ``python -m benchmarks [--quick]``. Each benchmark times botu's way and the plain
alternative on the same input and reports how many times faster botu's way is. Absolute
seconds depend on the machine; ratios are what to compare between runs.
"""

from __future__ import annotations

import argparse
import json
import platform
from pathlib import Path

from benchmarks import bench_evidence, bench_reliability, bench_report

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="smaller inputs, no report runs")
    args = parser.parse_args()
    rows = bench_evidence.run(quick=args.quick) + bench_reliability.run(quick=args.quick)
    if not args.quick:
        rows += bench_report.run()
    print(f"{'benchmark':<48} {'botu s':>9} {'plain s':>9} {'ratio':>7}")
    for row in rows:
        print(
            f"{row['name']:<48} {row['botu_s']:>9.3f} {row['plain_s']:>9.3f} {row['ratio']:>6.1f}x"
        )
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "latest.json"
    out.write_text(json.dumps({"machine": platform.platform(), "results": rows}, indent=2) + "\n")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
