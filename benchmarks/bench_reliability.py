"""Bootstrap intervals: all draws as one matrix product vs one krippendorff.alpha per draw.

Input: the demo data's pooled presence matrix (every code × every doubly-coded segment) and
the team ratings; both ways give the same draws (tests/test_reliability.py checks that).
"""

from __future__ import annotations

import numpy as np

from benchmarks.timing import best_of, row
from botu import config
from botu import reliability as rel
from botu.dataset import load_dataset


def _pooled_presence(data) -> np.ndarray:
    codings = data.codings
    units = rel.overlap_units(codings)
    codes = sorted(codings["code_id"].unique())
    blocks = [rel.as_matrix(rel.presence_matrix(codings, code, units)) for code in codes]
    return np.hstack(blocks)


def run(quick: bool = False) -> list[dict]:
    data = load_dataset(config.PROJ_ROOT / "data" / "raw")
    n_boot = 200 if quick else 1000
    pooled = _pooled_presence(data)
    ratings = rel.as_matrix(rel.rating_matrix(data.ratings))
    rows = []
    for name, matrix, level, domain in (
        ("pooled segment codings", pooled, "nominal", None),
        ("team ratings, ordinal", ratings, "ordinal", [0, 1, 2, 3]),
    ):
        fast = rel.alpha_draws_of(matrix, level, n_boot, 1, domain)
        slow = rel._bootstrap_draws(
            lambda m, lv=level, d=domain: rel.krippendorff_alpha(m, lv, value_domain=d),
            matrix,
            n_boot,
            1,
        )
        np.testing.assert_allclose(fast, slow, rtol=1e-9, equal_nan=True)  # same answer first
        fast_s = best_of(
            lambda m=matrix, lv=level, d=domain: rel.alpha_draws_of(m, lv, n_boot, 1, d)
        )
        slow_s = best_of(
            lambda m=matrix, lv=level, d=domain: rel._bootstrap_draws(
                lambda x: rel.krippendorff_alpha(x, lv, value_domain=d), m, n_boot, 1
            ),
            repeat=1,
        )
        rows.append(row(f"α bootstrap, {n_boot} draws, {name}", fast_s, slow_s))
    return rows
