"""Evidence matrix: botu's grouped counts vs a plain Python loop over coded segments.

The input is the demo data's coded segments replicated ``scale`` times under new team ids,
so the shape of real material is kept while the size grows.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from benchmarks.timing import best_of, row
from botu import config
from botu.coding import coded_segments, evidence_matrix
from botu.dataset import load_dataset


def scaled_coded(scale: int) -> tuple[pd.DataFrame, list[str], list[str]]:
    data = load_dataset(config.PROJ_ROOT / "data" / "raw")
    coded = coded_segments(data)
    copies = []
    for i in range(scale):
        part = coded.copy()
        for column in ("team_id", "segment_id", "document_id", "respondent_id"):
            part[column] = part[column] + f"-x{i}"
        copies.append(part)
    big = pd.concat(copies, ignore_index=True)
    return big, sorted(big["team_id"].unique()), data.codebook.segment_codes


def plain_matrix(coded: pd.DataFrame, teams: list[str], codes: list[str]) -> dict:
    segments, documents, respondents = (defaultdict(set) for _ in range(3))
    for rec in coded.to_dict("records"):
        key = (rec["team_id"], rec["code_id"])
        segments[key].add(rec["segment_id"])
        documents[key].add(rec["document_id"])
        if isinstance(rec["respondent_id"], str):
            respondents[key].add(rec["respondent_id"])
    return {
        (t, c): (len(segments[(t, c)]), len(documents[(t, c)]), len(respondents[(t, c)]))
        for t in teams
        for c in codes
    }


def run(quick: bool = False) -> list[dict]:
    rows = []
    for scale in (1, 10) if quick else (1, 10, 100):
        coded, teams, codes = scaled_coded(scale)
        expected = plain_matrix(coded, teams, codes)
        got = evidence_matrix(coded, teams, codes).set_index(["team_id", "code_id"])
        assert {k: tuple(v) for k, v in got.iterrows()} == expected  # same answer first
        botu_s = best_of(lambda c=coded, t=teams, k=codes: evidence_matrix(c, t, k))
        plain_s = best_of(lambda c=coded, t=teams, k=codes: plain_matrix(c, t, k))
        rows.append(row(f"evidence matrix, {len(coded):,} coded segments", botu_s, plain_s))
    return rows
