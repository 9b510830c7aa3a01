"""Checking raw tables against the data contract and against each other.

Every problem is collected (not only the first) and located by file, row and column, so a
researcher can fix a whole file in one pass.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

import pandas as pd

from botu.codebook import UNASSIGNED, Codebook
from botu.errors import Problem
from botu.io import RawTable
from botu.schema import CONSENSUS_RATER, MISSING_SCORE, TABLES, Column, Table

TRUE_WORDS = {"true", "1", "ja", "yes", "waar", "j", "y", "wahr"}
FALSE_WORDS = {"false", "0", "nee", "no", "onwaar", "n"}
# letters, digits, '_', '-', '.', ':' — ids name output files, so no '/' or spaces
ID_PATTERN = re.compile(r"^(?!\.+$)[\w.:-]+$")
# free-text columns whose inner spacing is meaningful and must not be stripped
_KEEP_SPACING = {("segments", "text")}


def _parse_cell(raw: str, column: Column) -> tuple[object, str | None]:
    """Convert one cell; return (value, error message or None). Empty → None."""
    value = raw if column.kind == "text" else raw.strip()
    if raw.strip() == "":
        if column.nullable:
            return None, None
        return None, "is empty; a value is required"
    kind = column.kind
    if kind == "id":
        if not ID_PATTERN.match(value):
            return None, f"'{value}' is not a valid id (letters, digits, _ - . : only)"
        return value, None
    if kind == "idlist":
        parts = [p.strip() for p in value.split(";") if p.strip()]
        bad = [p for p in parts if not ID_PATTERN.match(p)]
        if bad:
            return None, f"'{bad[0]}' is not a valid id"
        return ";".join(parts), None
    if kind == "bool":
        low = value.lower()
        if low in TRUE_WORDS:
            return True, None
        if low in FALSE_WORDS:
            return False, None
        return None, f"'{value}' is not true/false"
    if kind in ("int", "float", "score"):
        if kind == "score" and value.upper() == MISSING_SCORE:
            return None, None
        try:
            number = float(value.replace(",", "."))  # Dutch decimal comma
        except ValueError:
            return None, f"'{value}' is not a number"
        if kind in ("int", "score") and not number.is_integer():
            return None, f"'{value}' is not a whole number"
        if kind == "score" and int(number) not in (0, 1, 2, 3):
            return None, f"score {value} is not 0, 1, 2, 3 or NA"
        if column.min_value is not None and number < column.min_value:
            return None, f"{value} is below the minimum {column.min_value:g}"
        if column.max_value is not None and number > column.max_value:
            return None, f"{value} is above the maximum {column.max_value:g}"
        return (int(number) if kind in ("int", "score") else number), None
    if kind == "date":
        try:
            return date.fromisoformat(value), None
        except ValueError:
            return None, f"'{value}' is not a date as YYYY-MM-DD"
    # text
    if column.choices and value not in column.choices:
        return None, f"'{value}' is not one of: {', '.join(column.choices)}"
    return value, None


def type_table(raw: RawTable, table: Table, problems: list[Problem]) -> pd.DataFrame:
    """Check columns and cells of one raw table; return it typed (invalid cells → missing)."""
    present = list(raw.frame.columns)
    for column in table.columns:
        if column.required and column.name not in present:
            problems.append(
                Problem(raw.source, 1, column.name, f"required column '{column.name}' is missing")
            )
    known = set(table.column_names)
    for name in present:
        if name not in known:
            problems.append(
                Problem(raw.source, 1, name, "unknown column, ignored", severity="warning")
            )
    data: dict[str, list[object]] = {}
    for column in table.columns:
        if column.name not in present:
            continue
        cells = raw.frame[column.name].tolist()
        if (table.name, column.name) not in _KEEP_SPACING:
            cells = [c.strip() for c in cells]
        parsed: list[object] = []
        for index, cell in enumerate(cells):
            value, error = _parse_cell(cell, column)
            if error:
                problems.append(Problem(raw.source, raw.row_number(index), column.name, error))
            parsed.append(value)
        data[column.name] = parsed
    frame = pd.DataFrame(data, index=range(len(raw.frame)), dtype=object)
    for column in table.columns:
        if column.name not in frame:
            frame[column.name] = None
    frame = frame[table.column_names]
    _check_key(raw, table, frame, problems)
    return frame


def _check_key(raw: RawTable, table: Table, frame: pd.DataFrame, problems: list[Problem]) -> None:
    seen: dict[tuple, int] = {}
    for index, key in enumerate(frame[list(table.key)].itertuples(index=False, name=None)):
        if any(k is None for k in key):
            continue
        if key in seen:
            shown = ", ".join(f"{c}={v}" for c, v in zip(table.key, key, strict=True))
            problems.append(
                Problem(
                    raw.source,
                    raw.row_number(index),
                    table.key[-1],
                    f"duplicate key ({shown}); first given in row {raw.row_number(seen[key])}",
                )
            )
        else:
            seen[key] = index


def _check_references(
    raws: dict[str, RawTable], frames: dict[str, pd.DataFrame], problems: list[Problem]
) -> None:
    for name, table in TABLES.items():
        frame = frames[name]
        for column, (target, target_column) in table.references.items():
            valid = set(frames[target][target_column].dropna())
            for index, value in frame[column].items():
                if value is not None and value not in valid:
                    problems.append(
                        Problem(
                            raws[name].source,
                            raws[name].row_number(index),
                            column,
                            f"'{value}' is not a {target_column} in {raws[target].source}",
                        )
                    )


def check_dataset(
    raws: dict[str, RawTable], codebook: Codebook
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Type every table and check it against the contract, the codebook and the other tables.

    Returns:
        The typed tables (by name) and every problem found, errors and warnings.
    """
    problems: list[Problem] = []
    frames = {name: type_table(raws[name], TABLES[name], problems) for name in TABLES}
    if frames["teams"].empty:
        problems.append(
            Problem(raws["teams"].source, None, None, "has no rows: at least one team is needed")
        )
    _check_references(raws, frames, problems)

    def report(name: str, index: int, column: str, message: str, severity: str = "error"):
        problems.append(
            Problem(raws[name].source, raws[name].row_number(index), column, message, severity)
        )

    # actors: types from the codebook attribute, extras flagged
    if "actor_type" in codebook:
        allowed = set(codebook.values_of("actor_type"))
        for index, value in frames["actors"]["actor_type"].items():
            if value and allowed and value not in allowed:
                report(
                    "actors",
                    index,
                    "actor_type",
                    f"'{value}' is not a codebook actor_type (allowed as an extra)",
                    "warning",
                )
    pseudonyms = frames["actors"]["pseudonym"]
    for index, value in pseudonyms[
        pseudonyms.duplicated(keep="first") & pseudonyms.notna()
    ].items():
        report("actors", index, "pseudonym", f"pseudonym '{value}' is used by another actor")

    # documents: interviews need a respondent of the same team
    documents = frames["documents"]
    respondent_team = dict(
        zip(frames["respondents"]["respondent_id"], frames["respondents"]["team_id"], strict=True)
    )
    for index, row in _rows(documents):
        if row["kind"] == "interview" and row["respondent_id"] is None:
            report("documents", index, "respondent_id", "an interview needs a respondent_id")
        rteam = respondent_team.get(row["respondent_id"])
        if rteam is not None and row["team_id"] is not None and rteam != row["team_id"]:
            report(
                "documents",
                index,
                "respondent_id",
                f"respondent '{row['respondent_id']}' belongs to team {rteam}, "
                f"not {row['team_id']}",
            )

    # respondents: speak for an actor of their own team
    members = set(
        zip(frames["memberships"]["team_id"], frames["memberships"]["actor_id"], strict=True)
    )
    for index, row in _rows(frames["respondents"]):
        if row["team_id"] and row["actor_id"] and (row["team_id"], row["actor_id"]) not in members:
            report(
                "respondents",
                index,
                "actor_id",
                f"actor '{row['actor_id']}' is not a member of team {row['team_id']}",
                "warning",
            )

    # segments: positions
    for index, row in _rows(frames["segments"]):
        if row["start"] is not None and row["end"] is not None and row["end"] <= row["start"]:
            report("segments", index, "end", f"end {row['end']} is not after start {row['start']}")

    # codings: code exists at segment level, values allowed
    for index, row in _rows(frames["codings"]):
        code_id = row["code_id"]
        if code_id is None:
            continue
        if code_id not in codebook:
            report("codings", index, "code_id", f"unknown code '{code_id}' (not in codebook.yml)")
            continue
        code = codebook[code_id]
        if code.level != "segment":
            report(
                "codings",
                index,
                "code_id",
                f"code '{code_id}' is a {code.level}, not a segment code",
            )
            continue
        value = row["value"]
        if code.values:
            if value is None:
                report(
                    "codings",
                    index,
                    "value",
                    f"code '{code_id}' needs a value: one of {', '.join(code.values)}",
                )
            elif value not in code.values:
                report(
                    "codings",
                    index,
                    "value",
                    f"'{value}' is not a value of '{code_id}' ({', '.join(code.values)})",
                )
        elif value is not None:
            report(
                "codings",
                index,
                "value",
                f"code '{code_id}' takes no value; '{value}' ignored",
                "warning",
            )

    # ratings: factor exists and is rateable; evidence exists and is of the same team
    segment_team = _segment_teams(frames)
    ratings = frames["ratings"]
    for index, row in _rows(ratings):
        factor = row["factor_id"]
        if factor is not None:
            if factor not in codebook:
                report(
                    "ratings",
                    index,
                    "factor_id",
                    f"unknown factor '{factor}' (not in codebook.yml)",
                )
            elif not codebook[factor].is_rateable:
                report(
                    "ratings",
                    index,
                    "factor_id",
                    f"'{factor}' is not rated per team (level {codebook[factor].level})",
                )
        for segment_id in (row["evidence"] or "").split(";"):
            if not segment_id:
                continue
            team = segment_team.get(segment_id, "?missing")
            if team == "?missing":
                report(
                    "ratings",
                    index,
                    "evidence",
                    f"evidence segment '{segment_id}' is not in {raws['segments'].source}",
                )
            elif team is not None and row["team_id"] is not None and team != row["team_id"]:
                report(
                    "ratings",
                    index,
                    "evidence",
                    f"evidence segment '{segment_id}' is from team {team}, not {row['team_id']}",
                )
    raters_per_team: dict[tuple, set] = defaultdict(set)
    for row in ratings.itertuples():
        raters_per_team[(row.team_id, row.factor_id)].add(row.rater_id)
    for (team, factor), raters in sorted(raters_per_team.items(), key=str):
        if CONSENSUS_RATER not in raters and len(raters) > 1:
            problems.append(
                Problem(
                    raws["ratings"].source,
                    None,
                    "rater_id",
                    f"team {team}, factor {factor}: raters but no {CONSENSUS_RATER} consensus",
                    "warning",
                )
            )
    problems.extend(unassigned_problems(codebook))
    return frames, problems


UNASSIGNED_SHOWN = 5  # ids named in the warning; the rest are counted


def unassigned_problems(codebook: Codebook) -> list[Problem]:
    """One warning when codes sit in the 'unassigned' group, naming the first few."""
    codes = codebook.unassigned
    if not codes:
        return []
    shown = ", ".join(codes[:UNASSIGNED_SHOWN]) + (", …" if len(codes) > UNASSIGNED_SHOWN else "")
    message = (
        f"{len(codes)} code(s) are not assigned to a factor (group '{UNASSIGNED}' in "
        f"{codebook.source}): {shown}; move them under a factor (parent) or map them in the "
        "import mapping's `factors:` section"
    )
    line = codebook[UNASSIGNED].line
    return [Problem(codebook.source, line, "parent", message, "warning")]


def _rows(frame: pd.DataFrame):
    """(index, row dict) pairs with missing cells as ``None``.

    ``iterrows`` would infer a dtype per row and turn ``None`` into ``nan`` (pandas 3).
    """
    return zip(frame.index, frame.to_dict("records"), strict=True)


def _segment_teams(frames: dict[str, pd.DataFrame]) -> dict[str, str | None]:
    doc_team = dict(
        zip(frames["documents"]["document_id"], frames["documents"]["team_id"], strict=True)
    )
    return {
        s: doc_team.get(d)
        for s, d in zip(
            frames["segments"]["segment_id"], frames["segments"]["document_id"], strict=True
        )
    }
