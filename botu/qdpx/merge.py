"""Re-importing into a study: what comes from the QDA tool is replaced, what people wrote stays.

From the tool: documents (their text and title), segments, codings and the tool's codes. By
hand: teams' attributes, actors, memberships, respondents, ratings, the codebook's own codes
and whatever people added to a tool code (a factor, labels, a rubric). The rules:

- a cell the tool or the mapping gives explicitly is taken; else the study's own value is kept;
  else a default (a document's ``kind``, the one team of a project without cases);
- a team the study has and the export does not is kept (teams are often made by hand);
- documents are known by their GUID in the tool, so one renamed there keeps its id and what
  people filled in;
- segments keep their ids when their text is found again in the same document (even if it moved),
  so ratings that cite them as evidence stay right; a segment whose span is the same but whose
  text changed, or that was widened or narrowed, keeps its id and counts as changed; a value or
  note people gave a coding or segment stays;
- the tables only people fill (actors, memberships, respondents, ratings) are never replaced.

:class:`Changes` counts what changed, for the import summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from botu.errors import InputError, Problem
from botu.io import CODEBOOK_NAME, WORKBOOK_NAME, read_csv_table
from botu.schema import TABLE_ORDER, TABLES

TOOL_TABLES = ("documents", "segments", "codings")  # replaced by every import
HAND_TABLES = ("actors", "memberships", "respondents", "ratings")  # never replaced


@dataclass
class Study:
    """The tables a study folder already holds (rows as dicts of strings)."""

    folder: Path
    tables: dict[str, list[dict]] = field(default_factory=dict)
    columns: dict[str, list[str]] = field(default_factory=dict)
    codebook_text: str | None = None

    @property
    def has_rows(self) -> bool:
        return any(self.tables.get(name) for name in TABLE_ORDER)

    def rows(self, name: str) -> list[dict]:
        return self.tables.get(name, [])


def read_study(folder: Path) -> Study:
    """The tables of ``folder`` (absent or header-only tables are empty).

    Raises:
        InputError: a table cannot be read, or the study keeps its tables in a workbook.
    """
    study = Study(folder)
    if not folder.is_dir():
        return study
    if (folder / WORKBOOK_NAME).exists():
        raise InputError(
            Problem(
                str(folder / WORKBOOK_NAME),
                None,
                None,
                "this study keeps its tables in a workbook; an import writes CSV tables: "
                "save each sheet as <table>.csv (or import into a new folder)",
            )
        )
    for name in TABLE_ORDER:
        path = folder / f"{name}.csv"
        if not path.is_file():
            continue
        raw = read_csv_table(path, name)
        frame = raw.frame.fillna("")
        study.columns[name] = list(frame.columns)
        study.tables[name] = [
            {k: str(v) for k, v in row.items()} for row in frame.to_dict(orient="records")
        ]
    codebook = folder / CODEBOOK_NAME
    if codebook.is_file():
        study.codebook_text = codebook.read_text(encoding="utf-8-sig")
    return study


@dataclass
class Changes:
    """What a re-import changed, counted for the summary."""

    added: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)  # hand-completed tables: rows kept
    dangling: list[str] = field(default_factory=list)  # rows pointing at something gone

    def describe(self) -> list[str]:
        lines = []
        for name in ("documents", "segments", "codings"):
            a, r, c = (
                self.added.get(name, 0),
                self.removed.get(name, 0),
                self.changed.get(name, 0),
            )
            if a or r or c:
                lines.append(f"{name}: {a} added, {r} removed, {c} changed")
            else:
                lines.append(f"{name}: unchanged")
        kept = [f"{n} {name}" for name, n in self.kept.items() if n]
        if kept:
            lines.append("kept as completed by hand: " + ", ".join(kept))
        return lines


def merge_rows(
    name: str,
    new: list[dict],
    old: list[dict],
    defaults: dict[tuple[str, str], dict[str, str]],
    keep_old: bool,
) -> list[dict]:
    """Rows of table ``name``: explicit new values, else the study's, else defaults.

    ``keep_old``: rows only the study has are kept (teams), else dropped (documents).
    """
    key = TABLES[name].key[0]
    by_key = {row.get(key, ""): row for row in old}
    merged = []
    for row in new:
        before = by_key.get(row[key], {})
        result = {}
        for column in [*TABLES[name].column_names, *row, *before]:
            if column in result:
                continue
            value = row.get(column, "")
            if str(value).strip() == "":
                value = before.get(column, "")
            if str(value).strip() == "":
                value = defaults.get((name, row[key]), {}).get(column, "")
            result[column] = value
        merged.append(result)
    if keep_old:
        seen = {row[key] for row in new}
        merged += [dict(row) for row in old if row.get(key, "") not in seen]
    return merged


def stable_segment_ids(
    new_segments: list[dict], new_codings: list[dict], old_segments: list[dict]
) -> tuple[list[dict], list[dict], dict[str, int]]:
    """Give new segments the ids the study knows them by; count added, removed, changed.

    Matched, in order: the same span and text; the same text in the same document (it moved);
    the same span with other text, then the largest overlap in the same document (widened or
    narrowed): these count as changed. Segments not found get fresh ids.
    """
    unmatched = {row["segment_id"]: row for row in old_segments}
    exact = {
        (r["document_id"], r["start"], r["end"], r["text"]): r["segment_id"] for r in old_segments
    }
    ids: dict[int, str] = {}
    changed = 0
    for n, seg in enumerate(new_segments):
        sid = exact.get((seg["document_id"], str(seg["start"]), str(seg["end"]), seg["text"]))
        if sid in unmatched:
            ids[n] = sid
            del unmatched[sid]
    for n, seg in enumerate(new_segments):  # moved: the same text elsewhere in the document
        if n in ids:
            continue
        same = [
            r
            for r in unmatched.values()
            if r["document_id"] == seg["document_id"] and r["text"] == seg["text"]
        ]
        if same:
            best = min(same, key=lambda r: abs(_int(r["start"]) - _int(seg["start"])))
            ids[n] = best["segment_id"]
            del unmatched[best["segment_id"]]
    for n, seg in enumerate(new_segments):  # changed: the same span, other text
        if n in ids:
            continue
        for sid, r in list(unmatched.items()):
            if (r["document_id"], r["start"], r["end"]) == (
                seg["document_id"],
                str(seg["start"]),
                str(seg["end"]),
            ):
                ids[n] = sid
                del unmatched[sid]
                changed += 1
                break
    for n, seg in enumerate(new_segments):  # widened or narrowed: the spans overlap
        if n in ids:
            continue
        start, end = _int(seg["start"]), _int(seg["end"])
        overlaps = [
            (min(end, _int(r["end"])) - max(start, _int(r["start"])), r["segment_id"])
            for r in unmatched.values()
            if r["document_id"] == seg["document_id"]
            and max(start, _int(r["start"])) < min(end, _int(r["end"]))
        ]
        if overlaps:
            sid = max(overlaps)[1]
            ids[n] = sid
            del unmatched[sid]
            changed += 1
    taken = set(ids.values()) | {r["segment_id"] for r in old_segments}
    numbers = [int(m.group(1)) for t in taken if (m := re.fullmatch(r"S(\d+)", t))]
    width = max([4, *(len(t) - 1 for t in taken if re.fullmatch(r"S\d+", t))])
    counter = max(numbers, default=0)
    renamed: dict[str, str] = {}
    added = 0
    segments = []
    for n, seg in enumerate(new_segments):
        if n in ids:
            sid = ids[n]
        elif seg["segment_id"] not in taken:  # the import's own id, free in this study
            sid = seg["segment_id"]
            taken.add(sid)
            added += 1
        else:
            counter += 1
            while f"S{counter:0{width}d}" in taken:
                counter += 1
            sid = f"S{counter:0{width}d}"
            taken.add(sid)
            added += 1
        renamed[seg["segment_id"]] = sid
        segments.append({**seg, "segment_id": sid})
    codings = [{**c, "segment_id": renamed[c["segment_id"]]} for c in new_codings]
    return segments, codings, {"added": added, "removed": len(unmatched), "changed": changed}


def carry_over(new: list[dict], old: list[dict], key: tuple[str, ...]) -> list[dict]:
    """Rows of the tool with what people filled in the study's row of the same key kept:
    a cell the tool leaves empty (a coding's value, a note) takes the study's value."""
    by_key = {tuple(row.get(k, "") for k in key): row for row in old}
    merged = []
    for row in new:
        before = by_key.get(tuple(str(row.get(k, "")) for k in key))
        if before:
            row = dict(row)
            for column, value in before.items():
                if str(row.get(column, "")).strip() == "" and str(value).strip():
                    row[column] = value
        merged.append(row)
    return merged


def changed_rows(new: list[dict], old: list[dict], key: str) -> int:
    """Rows in both whose cells differ (a document moved to another team, say)."""
    before = {row[key]: row for row in old}
    return sum(
        1
        for row in new
        if row[key] in before
        and any(
            str(row.get(c, "")) != str(before[row[key]].get(c, ""))
            for c in set(row) | set(before[row[key]])
        )
    )


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


def coding_changes(new: list[dict], old: list[dict]) -> dict[str, int]:
    """Codings added, removed and with another value, keyed by (segment, code, coder)."""

    def index(rows):
        return {(r["segment_id"], r["code_id"], r["coder_id"]): r.get("value", "") for r in rows}

    before, after = index(old), index(new)
    return {
        "added": len(after.keys() - before.keys()),
        "removed": len(before.keys() - after.keys()),
        "changed": sum(1 for k in after.keys() & before.keys() if after[k] != before[k]),
    }


def dangling(tables: dict[str, list[dict]], code_ids: set[str] | None = None) -> list[str]:
    """Hand-completed rows that point at teams, segments or codes the import removed."""
    teams = {r["team_id"] for r in tables.get("teams", [])}
    segments = {r["segment_id"] for r in tables.get("segments", [])}
    found = []
    for n, row in enumerate(tables.get("ratings", []), start=2):
        gone = [s for s in str(row.get("evidence", "")).split(";") if s.strip()]
        gone = [s.strip() for s in gone if s.strip() not in segments]
        if gone:
            found.append(
                f"ratings.csv, row {n}: evidence {', '.join(gone[:5])} is no longer in the "
                "export; cite the segments anew"
            )
        if row.get("team_id") and row["team_id"] not in teams:
            found.append(f"ratings.csv, row {n}: team '{row['team_id']}' is gone")
        factor = row.get("factor_id", "")
        if code_ids is not None and factor and factor not in code_ids:
            found.append(f"ratings.csv, row {n}: code '{factor}' is no longer in codebook.yml")
    for table in ("memberships", "respondents"):
        for n, row in enumerate(tables.get(table, []), start=2):
            if row.get("team_id") and row["team_id"] not in teams:
                found.append(f"{table}.csv, row {n}: team '{row['team_id']}' is gone")
    return found
