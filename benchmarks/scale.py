"""Generated studies for the scale benchmarks, built from the fictional demo data.

A generated study keeps the demo's shape: its actors and codebook, and per team the material,
memberships, respondents and ratings of one demo team. Two numbers set its size:

- ``teams``: how many teams. Team ``T001`` … copies a demo team; which one is drawn with
  ``random.Random(seed)`` from the seven, each demo team used in turn before any twice.
- ``copies``: how many times each team's documents (with their segments and codings) occur,
  under new ids. The ratings' evidence points at the first copy.

``codings`` trims the codings to exactly that many (the last ones go; their segments stay,
uncoded), so the 1,000,000-codings study is exactly that size. The same arguments give the
same bytes. Everything written is marked fictional, as the demo data are.

Usage: ``python -m benchmarks.scale TARGET --teams 100 --copies 164 --codings 1000000``
writes ``TARGET/data/raw``.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
from collections import defaultdict
from pathlib import Path

from botu import config

DEMO_RAW = config.PROJ_ROOT / "data" / "raw"
SEED = 20281


def _read(raw: Path, name: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(raw / f"{name}.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


class _Writer:
    def __init__(self, raw: Path, name: str, header: list[str]) -> None:
        self._handle = open(raw / f"{name}.csv", "w", encoding="utf-8", newline="")  # noqa: SIM115
        self._writer = csv.DictWriter(self._handle, header, lineterminator="\n")
        self._writer.writeheader()
        self.count = 0

    def row(self, values: dict[str, str]) -> None:
        self._writer.writerow(values)
        self.count += 1

    def close(self) -> None:
        self._handle.close()


def source_teams(team_ids: list[str], teams: int, seed: int = SEED) -> list[str]:
    """Which demo team each generated team copies: shuffled rounds over the demo teams."""
    rng = random.Random(seed)
    order: list[str] = []
    while len(order) < teams:
        round_ = list(team_ids)
        rng.shuffle(round_)
        order += round_
    return order[:teams]


def generate(
    target: Path,
    *,
    teams: int,
    copies: int = 1,
    codings: int | None = None,
    seed: int = SEED,
    source: Path = DEMO_RAW,
) -> dict[str, int]:
    """Write a generated study into ``target/data/raw``; return its row count per table."""
    raw = Path(target) / "data" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source / "codebook.yml", raw / "codebook.yml")
    shutil.copyfile(source / "actors.csv", raw / "actors.csv")
    tables = {
        name: _read(source, name)
        for name in (
            "teams",
            "memberships",
            "respondents",
            "documents",
            "segments",
            "codings",
            "ratings",
        )
    }
    by_team: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for name in ("memberships", "respondents", "documents", "ratings"):
        for rec in tables[name][1]:
            by_team[rec["team_id"]][name].append(rec)
    segments_of: dict[str, list[dict[str, str]]] = defaultdict(list)
    for rec in tables["segments"][1]:
        segments_of[rec["document_id"]].append(rec)
    codings_of: dict[str, list[dict[str, str]]] = defaultdict(list)
    for rec in tables["codings"][1]:
        codings_of[rec["segment_id"]].append(rec)

    demo_teams = [rec["team_id"] for rec in tables["teams"][1]]
    width = max(2, len(str(teams)))
    out = {name: _Writer(raw, name, header) for name, (header, _) in tables.items()}
    limit = codings if codings is not None else float("inf")
    n_segment = 0
    try:
        for number, demo in enumerate(source_teams(demo_teams, teams, seed), start=1):
            team = f"T{number:0{width}d}"
            record = next(r for r in tables["teams"][1] if r["team_id"] == demo)
            out["teams"].row({**record, "team_id": team, "name": f"{record['name']} {number}"})
            for rec in by_team[demo]["memberships"]:
                out["memberships"].row({**rec, "team_id": team})
            respondent = {
                r["respondent_id"]: r["respondent_id"].replace(demo, team)
                for r in by_team[demo]["respondents"]
            }
            for rec in by_team[demo]["respondents"]:
                out["respondents"].row(
                    {**rec, "respondent_id": respondent[rec["respondent_id"]], "team_id": team}
                )
            first_copy: dict[str, str] = {}
            n_document = 0
            for copy in range(copies):
                for doc in by_team[demo]["documents"]:
                    n_document += 1
                    document = f"D-{team}-{n_document:04d}"
                    out["documents"].row(
                        {
                            **doc,
                            "document_id": document,
                            "team_id": team,
                            "respondent_id": respondent.get(doc["respondent_id"], ""),
                        }
                    )
                    for seg in segments_of[doc["document_id"]]:
                        n_segment += 1
                        segment = f"S{n_segment:07d}"
                        if copy == 0:
                            first_copy[seg["segment_id"]] = segment
                        out["segments"].row({**seg, "segment_id": segment, "document_id": document})
                        for coding in codings_of[seg["segment_id"]]:
                            if out["codings"].count < limit:
                                out["codings"].row({**coding, "segment_id": segment})
            for rec in by_team[demo]["ratings"]:
                evidence = ";".join(first_copy[s] for s in rec["evidence"].split(";") if s)
                out["ratings"].row({**rec, "team_id": team, "evidence": evidence})
    finally:
        for writer in out.values():
            writer.close()
    return {name: writer.count for name, writer in out.items()}


def copies_for(n_codings: int, teams: int, seed: int = SEED, source: Path = DEMO_RAW) -> int:
    """How many copies of each team's documents reach ``n_codings`` codings with ``teams``."""
    _, docs = _read(source, "documents")
    _, segs = _read(source, "segments")
    _, cods = _read(source, "codings")
    team_of_doc = {d["document_id"]: d["team_id"] for d in docs}
    team_of_seg = {s["segment_id"]: team_of_doc[s["document_id"]] for s in segs}
    per_team: dict[str, int] = defaultdict(int)
    for c in cods:
        per_team[team_of_seg[c["segment_id"]]] += 1
    demo = sorted({d["team_id"] for d in docs})
    per_copy = sum(per_team[t] for t in source_teams(demo, teams, seed))
    return -(-n_codings // per_copy)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__)
    parser.add_argument("target", type=Path)
    parser.add_argument("--teams", type=int, default=112)
    parser.add_argument("--copies", type=int, default=None)
    parser.add_argument("--codings", type=int, default=None)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    copies = args.copies
    if copies is None:
        copies = copies_for(args.codings, args.teams, args.seed) if args.codings else 1
    counts = generate(
        args.target, teams=args.teams, copies=copies, codings=args.codings, seed=args.seed
    )
    print(", ".join(f"{n:,} {name}" for name, n in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
