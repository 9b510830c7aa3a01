"""From validated raw data to the processed tables and ``summary.json``.

All tables are computed in memory first and written into a staging folder that replaces
``data/processed`` only when everything is written: a failed build leaves the previous
tables (or none), never a half-finished set.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from botu import composition as comp
from botu import config, labels, phases, profiles, reliability, triangulation
from botu.coding import coded_segments, evidence_matrix
from botu.config import git_commit
from botu.dataset import Dataset, load_dataset, problems_table
from botu.errors import InputError, Problem
from botu.findings import summarise
from botu.io import (
    make_shareable,
    missing_raw_folder,
    read_processed,
    replace_directory,
    write_csv,
    write_json,
    write_problem,
    write_workbook,
)
from botu.kernel import on_reset
from botu.keys import BUILD_KEY, build_key, built_key
from botu.schema import CONSENSUS_RATER

WORKBOOK = "botu-processed.xlsx"
# an Excel copy of more cells than this is written only when asked for (`build --workbook`):
# Excel takes minutes to open it, writing it would take most of the build, and the CSV files
# hold the same tables
WORKBOOK_MAX_CELLS = 2_000_000


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


def compute_reliability(
    data: Dataset, n_boot: int = reliability.DEFAULT_N_BOOT
) -> dict[str, pd.DataFrame]:
    """Intercoder and inter-rater reliability tables and the disagreement listing."""
    options = {"n_boot": n_boot, "seed": reliability.DEFAULT_SEED}
    return {
        "reliability_segments": reliability.segment_reliability(data, **options),
        "reliability_documents": reliability.document_reliability(data, **options),
        "reliability_teams": reliability.team_reliability(data, **options),
        "reliability_ratings": reliability.rating_reliability(data, **options),
        "disagreements": reliability.disagreements(data),
    }


def compute(data: Dataset, *, n_boot: int = reliability.DEFAULT_N_BOOT) -> Processed:
    """Compute every processed table from a validated data set (no files written).

    Args:
        data: the validated data set.
        n_boot: bootstrap draws for the reliability intervals (0 skips the intervals).
    """
    coded = coded_segments(data)
    codebook = data.codebook
    evidence = evidence_matrix(coded, data.team_ids, codebook.segment_codes)
    check = profiles.evidence_check(data, coded)
    prof = profiles.factor_profiles(data, coded, check)
    teams_all = data.team_ids
    origin = profiles.origin_involvement(prof, coded, codebook, teams_all)
    responsive = profiles.responsiveness(prof, coded, teams_all)
    barriers = profiles.barriers(prof, coded, teams_all)
    checked = triangulation.triangulate(data, coded, prof)
    coalitions = triangulation.coalition_checks(data)
    phase_rows = phases.phase_table(data)
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
        "n_memberships": len(data.memberships),
        "n_respondents": len(data.respondents),
        "n_documents": len(data.documents),
        "n_segments": len(data.segments),
        "n_codings": len(data.codings),
        "n_coders": int(data.codings["coder_id"].nunique()),
        "n_codes_used": int(data.codings["code_id"].nunique()),
        "n_segment_codes": len(codebook.segment_codes),
        "n_ratings": len(data.ratings),
        "n_ratings_consensus": int((data.ratings["rater_id"] == CONSENSUS_RATER).sum()),
        "n_teams_rated": int(
            data.ratings.loc[data.ratings["rater_id"] == CONSENSUS_RATER, "team_id"].nunique()
        ),
        "n_codes_unassigned": len(codebook.unassigned),
    }
    agreement = compute_reliability(data, n_boot)
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
        reliability=agreement,
        triangulated=checked,
        coalitions=coalitions,
    )
    summary["phases"] = phases.phase_findings(phase_rows, data.teams)
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
        "triangulation": checked,
        "coalition_check": coalitions,
        "phases": phase_rows,
        "composition": composition,
        "actor_types": types,
        "shared_actors": shared,
        "team_links": links,
        **agreement,
        "validation": warnings,
    }
    return Processed(tables, summary)


def write_researcher_workbook(processed: Processed, target: Path, lang: str = "nl") -> Path:
    """The Excel copy of the tables, in ``lang``: an about sheet first (fictional data or not,
    the commit), headers named by :mod:`botu.labels`, code columns by the codebook."""
    labels.check_lang(lang)
    codebook = processed.tables.get("codebook")
    codes = (
        dict(zip(codebook["code_id"], codebook[f"label_{lang}"].fillna(""), strict=True))
        if codebook is not None
        else {}
    )
    fictional = processed.summary.get("data", {}).get("is_fictional", False)
    notes = [
        labels.text("fictional" if fictional else "real", lang),
        labels.text("commit", lang).format(commit=git_commit()),
    ]
    return write_workbook(processed.tables, target, lang=lang, codes=codes, notes=notes)


def workbook_names(languages: str | list[str]) -> dict[str, str]:
    """The Excel copy's file name per language: the first language's is ``botu-processed.xlsx``,
    each other's ``botu-processed-<lang>.xlsx``."""
    languages = [languages] if isinstance(languages, str) else list(languages)
    stem = Path(WORKBOOK).stem
    return {lang: WORKBOOK if i == 0 else f"{stem}-{lang}.xlsx" for i, lang in enumerate(languages)}


def n_cells(processed: Processed) -> int:
    """How many cells the tables hold (what an Excel copy would)."""
    return sum(frame.size for frame in processed.tables.values())


def wants_workbook(processed: Processed, workbook: bool | None = None) -> bool:
    """Whether the build writes the Excel copy: as asked (``True``/``False``), or (``None``)
    when the tables hold at most :data:`WORKBOOK_MAX_CELLS` cells."""
    return workbook if workbook is not None else n_cells(processed) <= WORKBOOK_MAX_CELLS


def write(
    processed: Processed,
    target: Path,
    key: str = "",
    *,
    lang: str | list[str] = "nl",
    workbook: bool = True,
) -> Path:
    """Write tables (CSV), their Excel copy (one per language of ``lang``, see
    :func:`workbook_names`; none when not ``workbook``) and ``summary.json`` into ``target``
    atomically."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as exc:
        raise InputError(write_problem(exc, target)) from None
    try:
        for name, frame in processed.tables.items():
            write_csv(frame, staging / f"{name}.csv")
        for language, name in workbook_names(lang).items() if workbook else ():
            write_researcher_workbook(processed, staging / name, language)
        write_json(processed.summary, staging / "summary.json")
        (staging / ".gitkeep").touch()
        (staging / BUILD_KEY).write_text(key + "\n", encoding="utf-8")
        make_shareable(staging)
        replace_directory(staging, target)
    except OSError as exc:  # disk full, file too large, ...: the last complete folder stays
        raise InputError(write_problem(exc, target, staging)) from None
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return target


@dataclass
class Built:
    """What :func:`build` made: the summary, the team ids and whether it reused old tables."""

    summary: dict[str, Any]
    team_ids: list[str]
    n_tables: int
    is_reused: bool
    workbook_left_out: int = 0  # cells of the Excel copy not written (too large, not asked)


def build(
    root: Path | None = None,
    *,
    force: bool = False,
    lang: str | list[str] = "nl",
    workbook: bool | None = None,
    rebuilding: Callable[[], None] | None = None,
) -> Built:
    """Validate the raw data of the project at ``root`` and (re)write ``data/processed``.

    The tables are reused, not recomputed, when neither the raw files nor the botu sources
    changed since they were written, nor ``lang``, the language (or languages) of the Excel
    copy, nor ``workbook`` (``force`` recomputes anyway). ``workbook``: write the Excel copy
    (``True``), leave it out (``False``) or write it when it holds at most
    :data:`WORKBOOK_MAX_CELLS` cells (``None``). ``rebuilding`` is called when the tables
    are about to be recomputed (the report starts its notebook kernels meanwhile).

    Raises:
        InputError: the raw data are invalid; nothing is written.
    """
    paths = config.paths(root)
    if not paths.raw.is_dir():
        raise InputError(missing_raw_folder(paths.raw))
    for language in [lang] if isinstance(lang, str) else lang:
        labels.check_lang(language)
    key = build_key(paths.raw, lang, workbook)
    if not force and built_key(paths.processed) == key:
        teams = load_table("teams", paths.root)
        n_tables = len(list(paths.processed.glob("*.csv")))
        return Built(load_summary(paths.root), sorted(teams["team_id"]), n_tables, True)
    if rebuilding is not None:
        rebuilding()
    data = load_dataset(paths.raw)
    processed = compute(data)
    with_workbook = wants_workbook(processed, workbook)
    write(processed, paths.processed, key=key, lang=lang, workbook=with_workbook)
    left_out = 0 if with_workbook else n_cells(processed)
    return Built(processed.summary, data.team_ids, len(processed.tables), False, left_out)


# what this process has read of data/processed ("summary" for summary.json): the pages'
# declared inputs (their INPUTS) are checked against it, the report reruns a page when one of
# its inputs changes
READS: set[str] = set()
on_reset(READS.clear)  # a kernel reused for the next page (botu.kernel) forgets them


def load_summary(root: Path | None = None) -> dict[str, Any]:
    """Read ``summary.json`` of the project at ``root``."""
    READS.add("summary")
    path = config.paths(root).summary
    if not path.exists():
        raise InputError(Problem(str(path), None, None, "missing; run `make report` first"))
    return json.loads(path.read_text(encoding="utf-8"))


def load_table(name: str, root: Path | None = None) -> pd.DataFrame:
    """Read one processed table of the project at ``root`` (ids kept as text)."""
    READS.add(name)
    return read_processed(name, config.paths(root).processed)
