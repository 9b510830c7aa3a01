"""From validated raw data to the processed tables and ``summary.json``.

All tables are computed in memory first and written into a staging folder that replaces
``data/processed`` only when everything is written: a failed build leaves the previous
tables (or none), never a half-finished set.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from botu import composition as comp
from botu import config, profiles
from botu.coding import coded_segments, evidence_matrix
from botu.dataset import Dataset, load_dataset, problems_table
from botu.findings import summarise
from botu.io import read_processed, replace_directory, write_csv, write_json, write_workbook

WORKBOOK = "botu-processed.xlsx"


@dataclass
class Processed:
    """Every processed table by name, plus the summary."""

    tables: dict[str, pd.DataFrame]
    summary: dict[str, Any]


def _codebook_table(data: Dataset) -> pd.DataFrame:
    book = data.codebook
    frame = book.to_frame("nl").rename(columns={"label": "label_nl", "definition": "definition_nl"})
    frame.insert(
        frame.columns.get_loc("label_en") + 1,
        "definition_en",
        [book[c].definition.get("en", "") for c in frame["code_id"]],
    )
    frame["order"] = [book[c].order for c in frame["code_id"]]
    frame["order"] = frame["order"].astype("Int64")
    return frame


def compute(data: Dataset) -> Processed:
    """Compute every processed table from a validated data set (no files written)."""
    coded = coded_segments(data)
    codebook = data.codebook
    evidence = evidence_matrix(coded, data.team_ids, codebook.segment_codes)
    check = profiles.evidence_check(data, coded)
    prof = profiles.factor_profiles(data, coded)
    origin = profiles.origin_involvement(prof, coded, codebook)
    responsive = profiles.responsiveness(prof, coded)
    barriers = profiles.barriers(prof, coded)
    composition = comp.composition(data)
    members = comp.team_members(data)
    types = comp.actor_type_counts(data).reset_index()
    shared = comp.shared_actors(data)
    links = comp.team_links(data)
    teams = data.teams.drop(columns=["note"], errors="ignore").sort_values("team_id")
    ratings = data.ratings.drop(columns=["note"], errors="ignore").sort_values(
        ["team_id", "factor_id", "rater_id"]
    )
    codings = data.codings.drop(columns=["note"], errors="ignore").sort_values(
        ["segment_id", "code_id", "coder_id"]
    )
    warnings = problems_table(data).astype({"row": "Int64"})
    counts = {
        "n_actors": len(data.actors),
        "n_respondents": len(data.respondents),
        "n_documents": len(data.documents),
        "n_segments": len(data.segments),
        "n_codings": len(data.codings),
        "n_coders": int(data.codings["coder_id"].nunique()),
        "n_codes_used": int(data.codings["code_id"].nunique()),
        "n_segment_codes": len(codebook.segment_codes),
    }
    summary = summarise(
        teams=teams,
        composition=composition,
        profiles=prof,
        origin=origin,
        responsiveness=responsive,
        barriers=barriers,
        evidence=check,
        coded=coded,
        counts=counts,
        is_fictional=data.is_fictional,
    )
    tables = {
        "codebook": _codebook_table(data),
        "teams": teams,
        "team_members": members,
        "codings": codings,
        "ratings": ratings,
        "coded_segments": coded,
        "evidence_matrix": evidence,
        "evidence_check": check,
        "factor_profiles": prof,
        "origin_involvement": origin,
        "responsiveness": responsive,
        "barriers": barriers,
        "composition": composition,
        "actor_types": types,
        "shared_actors": shared,
        "team_links": links,
        "validation": warnings,
    }
    return Processed(tables, summary)


def write(processed: Processed, target: Path) -> Path:
    """Write tables (CSV), their Excel copy and ``summary.json`` into ``target`` atomically."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for name, frame in processed.tables.items():
            write_csv(frame, staging / f"{name}.csv")
        write_workbook(processed.tables, staging / WORKBOOK)
        write_json(processed.summary, staging / "summary.json")
        (staging / ".gitkeep").touch()
        replace_directory(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return target


def build(root: Path | None = None) -> Processed:
    """Validate the raw data of the project at ``root`` and (re)write ``data/processed``.

    Raises:
        InputError: the raw data are invalid; nothing is written.
    """
    paths = config.paths(root)
    data = load_dataset(paths.raw)
    processed = compute(data)
    write(processed, paths.processed)
    return processed


def load_summary(root: Path | None = None) -> dict[str, Any]:
    """Read ``summary.json`` of the project at ``root``."""
    import json

    path = config.paths(root).summary
    if not path.exists():
        from botu.errors import InputError, Problem

        raise InputError(Problem(str(path), None, None, "missing; run `make report` first"))
    return json.loads(path.read_text(encoding="utf-8"))


def load_table(name: str, root: Path | None = None) -> pd.DataFrame:
    """Read one processed table of the project at ``root`` (ids kept as text)."""
    return read_processed(name, config.paths(root).processed)
