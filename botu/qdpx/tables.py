"""Turning a read REFI-QDA project into the data tables of ``data/README.md``.

- sources → ``documents`` (document variables → columns; team = the case holding the source);
- PlainTextSelections → ``segments``: ``text`` is exactly what was selected, sliced the way
  the exporting tool counts positions (:mod:`botu.qdpx.positions`); ``start``/``end`` are
  code points into the source's plain text as stored (no byte-order mark), so
  ``text == source[start:end]``. Selections of the same span are one segment;
- codings → ``codings``: ``coder_id`` is the user who made the coding (``creatingUser``);
- users → coders, cases → ``teams``, case variables → team columns;
- the code tree → ``codebook.yml`` (nesting → ``parent``; ids lower_snake_case from the names
  unless the mapping says otherwise).

Nothing is marked fictional unless the project says so (an ``is_fictional`` variable).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from botu.codebook import load_codebook
from botu.errors import Problem
from botu.qdpx.mapping import DOCUMENT_COLUMNS, TEAM_COLUMNS, Mapping
from botu.qdpx.positions import (
    TOOL_CONVENTIONS,
    TOOLS,
    Convention,
    PositionMap,
    choose_convention,
)
from botu.qdpx.read import ToolCode, ToolProject, ToolSource
from botu.schema import TABLES
from botu.validate import ID_PATTERN, TRUE_WORDS

DEFAULT_SCALE = {
    0: {"nl": "afwezig", "en": "absent"},
    1: {"nl": "zwak", "en": "weak"},
    2: {"nl": "matig", "en": "moderate"},
    3: {"nl": "sterk", "en": "strong"},
}


def snake_id(text: str, fallback: str = "code") -> str:
    """``lower_snake_case`` id from a name: accents dropped, other characters → ``_``."""
    ascii_text = (
        unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    )
    value = re.sub(r"[^a-z0-9]+", "_", ascii_text).strip("_")
    if not value:
        return fallback
    return f"c_{value}" if value[0].isdigit() else value


def plain_id(text: str, fallback: str) -> str:
    """An id kept close to its name (``Team Zorg`` → ``Team_Zorg``): no spaces, no ``;``."""
    value = re.sub(r"[\s;]+", "_", unicodedata.normalize("NFC", text).strip()).strip("_")
    return value or fallback


def _unique(value: str, taken: set[str]) -> str:
    candidate, number = value, 2
    while candidate in taken:
        candidate = f"{value}_{number}"
        number += 1
    taken.add(candidate)
    return candidate


@dataclass
class SourceReport:
    """What the import took from one source."""

    name: str
    document_id: str
    positions: str = ""
    selections: int = 0
    segments: int = 0
    codings: int = 0
    codes: int = 0
    skipped: int = 0
    note: str = ""


@dataclass
class ImportReport:
    """What an import read, took, left out and found questionable."""

    source: Path
    target: Path
    tool: str
    origin: str = ""
    project: str = ""
    documents: int = 0
    teams: int = 0
    segments: int = 0
    codings: int = 0
    codes: int = 0
    codes_used: int = 0
    coders: list[str] = field(default_factory=list)
    sources: list[SourceReport] = field(default_factory=list)
    unmapped_codes: list[tuple[str, str]] = field(default_factory=list)
    dropped_codes: list[tuple[str, str]] = field(default_factory=list)
    matched_codes: list[tuple[str, str]] = field(default_factory=list)
    not_imported: dict[str, int] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    validation: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """True when the written tables pass :func:`botu.dataset.load_dataset`."""
        return not any(p.severity == "error" for p in self.validation)

    def summary(self) -> str:
        """A few lines for the researcher: counts per source, unmapped codes, what to do."""
        origin = f' (origin "{self.origin}")' if self.origin else ""
        lines = [
            f"imported {self.tool} {self.source.name}{origin} into {self.target}:",
            f"  {self.documents} documents, {self.teams} teams, {self.segments} segments, "
            f"{self.codings} codings by {len(self.coders)} coder(s) "
            f"({', '.join(self.coders) or '-'}), {self.codes} codes in codebook.yml "
            f"({self.codes_used} used)",
        ]
        for s in self.sources:
            extra = f", {s.skipped} selection(s) left out" if s.skipped else ""
            positions = f" [positions: {s.positions}]" if s.positions else ""
            lines.append(
                f"  source '{s.name}' → {s.document_id}: {s.segments} segments, {s.codings} "
                f"codings, {s.codes} codes{extra}{positions}"
            )
        same = [(n, c) for n, c in self.unmapped_codes if n.rsplit("/", 1)[-1] == c]
        renamed = [(n, c) for n, c in self.unmapped_codes if (n, c) not in same]
        if same:
            lines.append(
                f"  {len(same)} code(s) without a mapping keep their name as id: "
                + ", ".join(c for _, c in same)
            )
        if renamed:
            lines.append(f"  {len(renamed)} code(s) without a mapping, id derived from the name:")
            lines += [f"    '{name}' → {cid}" for name, cid in renamed]
        if self.matched_codes:
            lines.append(f"  {len(self.matched_codes)} code(s) matched to the codebook by name:")
            lines += [f"    '{name}' → {cid}" for name, cid in self.matched_codes]
        if self.dropped_codes:
            lines.append(f"  {len(self.dropped_codes)} code(s) left out (codings dropped):")
            lines += [f"    '{name}': {why}" for name, why in self.dropped_codes]
        if self.not_imported:
            parts = ", ".join(f"{n} {k}" for k, n in sorted(self.not_imported.items()))
            lines.append(f"  not imported: {parts}")
        errors = [p for p in self.validation if p.severity == "error"]
        if errors:
            lines.append(
                f"  the imported tables do not validate yet ({len(errors)} problem(s)); complete "
                f"them (or use a mapping file), then run: python -m botu validate --raw "
                f"{self.target}"
            )
        return "\n".join(lines)


class Builder:
    """Builds the tables and the codebook from a :class:`ToolProject`."""

    def __init__(
        self,
        project: ToolProject,
        tool: str,
        mapping: Mapping,
        positions: str,
        label: str,
        report: ImportReport,
    ):
        self.project = project
        self.tool = tool
        self.mapping = mapping
        self.positions = positions
        self.label = label
        self.report = report
        self.problems: list[Problem] = list(project.problems)
        self.warnings: list[Problem] = list(project.warnings)
        self.code_ids: dict[str, str | None] = {}
        self.codebook_codes: list[dict] = []
        self.coder_cache: dict[str, str] = {}
        self.coder_taken: set[str] = set()
        self.fictional: dict[str, str] = {}

    def warn(self, message: str) -> None:
        self.warnings.append(Problem(self.label, None, None, message, "warning"))

    def error(self, message: str) -> None:
        self.problems.append(Problem(self.label, None, None, message))

    # --- variables ------------------------------------------------------------------

    def _columns(self, values: dict[str, str], columns: tuple[str, ...], what: str) -> dict:
        row: dict[str, str] = {}
        for guid, value in values.items():
            name = self.project.variables.get(guid, "")
            found, target = self.mapping.variables.get(name)
            column = target if found else None
            if column is None:
                for candidate in (name, name.rsplit(":", 1)[-1]):
                    if snake_id(candidate, "") in columns:
                        column = snake_id(candidate)
                        break
            if column in columns:
                row[column] = value
            elif name:
                self.report.not_imported[f"{what} variable '{name}'"] = (
                    self.report.not_imported.get(f"{what} variable '{name}'", 0) + 1
                )
        return row

    # --- codes ----------------------------------------------------------------------

    def resolve_codes(self) -> None:
        codes = self.project.codes
        case_guids = {c.guid for c in self.project.cases}
        lang = self.mapping.language
        given = self.mapping.codebook is not None
        targets: set[str] = set()
        for code in codes.values():
            found, value = self.mapping.codes.get(code.guid, code.path, code.name)
            if found and value:
                targets.add(value)
        by_name: dict[str, str] = {}
        if given:
            book = load_codebook(self.mapping.codebook)
            for c in book.codes.values():
                for name in (c.id, *c.label.values()):
                    by_name.setdefault(name.strip().casefold(), c.id)
            known = set(book.codes)
            for target in sorted(targets - known):
                self.problems.append(
                    Problem(
                        self.mapping.source,
                        None,
                        "codes",
                        f"'{target}' is not a code of {self.mapping.codebook.name}",
                    )
                )
        taken = set(targets)
        for code in codes.values():
            shown = code.path or code.guid
            if code.guid in case_guids:  # NVivo exports cases as codes too (same GUID)
                self.code_ids[code.guid] = None
                continue
            found, value = self.mapping.codes.get(code.guid, code.path, code.name)
            if found:
                self.code_ids[code.guid] = value
                if value is None:
                    self.report.dropped_codes.append((shown, "mapped to null"))
                continue
            if given:
                match = by_name.get(code.name.strip().casefold())
                self.code_ids[code.guid] = match
                if match:
                    self.report.matched_codes.append((shown, match))
                else:
                    self.report.dropped_codes.append((shown, "no mapping, not in the codebook"))
                continue
            if self.mapping.unmapped == "drop":
                self.code_ids[code.guid] = None
                self.report.dropped_codes.append((shown, "no mapping (unmapped: drop)"))
                continue
            derived = _unique(snake_id(code.name), taken)
            self.code_ids[code.guid] = derived
            self.report.unmapped_codes.append((shown, derived))
        if given:
            return
        emitted: set[str] = set()
        for code in codes.values():
            cid = self.code_ids.get(code.guid)
            if not cid or cid in emitted:
                continue
            emitted.add(cid)
            label, definition, rules = self._code_texts(code)
            entry: dict = {
                "id": cid,
                "parent": self._parent_id(code, cid),
                "level": "segment",
                "label": {lang: label or cid},
            }
            if definition:
                entry["definition"] = {lang: definition}
            entry.update(rules)
            self.codebook_codes.append(entry)

    def _code_texts(self, code: ToolCode) -> tuple[str, str, dict[str, str]]:
        """Label, definition and include/exclude rules of a tool code.

        Our own exports name a code by its id and put the label on the first line of the
        description (:func:`botu.qdpx.export.code_description`); other tools' descriptions are
        definitions.
        """
        if self.tool != "botu" or not code.description:
            return code.name, code.description, {}
        lines = code.description.split("\n")
        rules = {
            key: line.split(":", 1)[1].strip()
            for line in lines
            for key in ("include", "exclude")
            if line.startswith(f"{key.capitalize()}:")
        }
        rest = [line for line in lines[1:] if not line.startswith(("Include:", "Exclude:"))]
        return lines[0].strip(), "\n".join(rest).strip(), rules

    def _parent_id(self, code: ToolCode, own: str) -> str | None:
        current = code.parent
        while current:
            cid = self.code_ids.get(current)
            if cid and cid != own:
                return cid
            current = self.project.codes[current].parent if current in self.project.codes else None
        return None

    # --- coders ---------------------------------------------------------------------

    def coder(self, guid: str) -> str:
        if guid in self.coder_cache:
            return self.coder_cache[guid]
        user = self.project.users.get(guid)
        keys = [guid] + ([user.id, user.name] if user else [])
        found, value = self.mapping.coders.get(*keys)
        if found:
            coder = value
            self.coder_taken.add(coder)
        else:
            if user and user.id and ID_PATTERN.match(user.id):
                base = user.id
            elif user and user.name:
                base = plain_id(user.name, "coder")
                # a QDA user name is often a person's real name: published outputs show coders
                self.warn(
                    f"coder_id '{base}' is taken from a user name in the project; if that is a "
                    "real name, map it to a pseudonym under 'coders:' in the mapping file"
                )
            elif guid:
                base = f"U-{guid[:8]}"
                self.warn(f"user {guid} of a coding is not among the project's <Users>")
            else:
                base = "UNKNOWN"
                self.warn("a coding names no user (creatingUser); coder_id set to UNKNOWN")
            coder = base if base == "UNKNOWN" else _unique(base, self.coder_taken)
        self.coder_cache[guid] = coder
        return coder

    # --- teams and documents --------------------------------------------------------

    def teams(self) -> tuple[list[dict], dict[str, str]]:
        """Team rows, and source GUID -> team id (from the cases holding the sources)."""
        rows: list[dict] = []
        source_team: dict[str, str] = {}
        taken: set[str] = set()
        for number, case in enumerate(self.project.cases, start=1):
            if case.name is None and len(case.sources) == 1:
                continue  # MAXQDA/Quirkos keep document variables in a nameless case
            name = (case.name or "").strip()
            row = self._columns(case.variables, TEAM_COLUMNS, "case")
            found, entry = self.mapping.teams.get(case.guid, name)
            if found:
                row.update({k: v for k, v in entry.items() if v != ""})
            team_id = row.get("team_id") or plain_id(name, f"T{number:02d}")
            if team_id in taken:
                self.warn(f"case '{name}': team id '{team_id}' given twice; second one renamed")
            row["team_id"] = _unique(team_id, taken)
            row.setdefault("name", name or row["team_id"])
            rows.append(row)
            for source in case.sources:
                if source in source_team and source_team[source] != row["team_id"]:
                    self.warn(
                        f"source {source} belongs to cases of teams {source_team[source]} and "
                        f"{row['team_id']}; the first is used"
                    )
                source_team.setdefault(source, row["team_id"])
        return rows, source_team

    def document_row(self, source: ToolSource, source_team: dict[str, str], taken: set[str]):
        values = dict(source.variables)
        for case in self.project.cases:
            if case.name is None and case.sources == [source.guid]:
                values.update(case.variables)
        row = self._columns(values, DOCUMENT_COLUMNS, "source")
        found, entry = self.mapping.documents.get(source.guid, source.name)
        if found:
            row.update({k: v for k, v in entry.items() if v != ""})
        stem = re.sub(r"\.(txt|docx?|rtf|pdf|odt)$", "", source.name, flags=re.IGNORECASE)
        document_id = row.get("document_id") or plain_id(stem, f"D{len(taken) + 1:03d}")
        row["document_id"] = _unique(document_id, taken)
        row.setdefault("team_id", source_team.get(source.guid, ""))
        row.setdefault("title", source.name)
        return row

    # --- segments and codings -------------------------------------------------------

    def convention(self, source: ToolSource, spans: list[tuple[int, int, str]]):
        default = TOOL_CONVENTIONS[self.tool]
        fixed = None
        if self.positions != "auto":
            default = Convention(self.positions, default.crlf)
            fixed = self.positions
        return choose_convention(source.text or "", spans, default, fixed)

    def build(self) -> dict:
        self.resolve_codes()
        team_rows, source_team = self.teams()
        documents: list[dict] = []
        taken_docs: set[str] = set()
        segments: dict[tuple, dict] = {}
        skipped = Counter()
        case_codings = 0
        keep_empty = self.tool == "botu"
        for source in self.project.sources:
            row = self.document_row(source, source_team, taken_docs)
            documents.append(row)
            doc = row["document_id"]
            sr = SourceReport(source.name, doc, selections=len(source.selections))
            self.report.sources.append(sr)
            if source.text is None or not source.selections:
                continue
            parsed = []
            for sel in source.selections:
                try:
                    parsed.append((sel, int(sel.start), int(sel.end)))
                except ValueError:
                    self.error(
                        f"{sel.label}: startPosition '{sel.start}' / endPosition '{sel.end}' "
                        "are not whole numbers"
                    )
            convention, note = self.convention(source, [(s, e, x.name) for x, s, e in parsed])
            sr.positions = convention.describe()
            if note:
                sr.note = note
                self.warn(f"source '{source.name}': {note}")
            positions = PositionMap(source.text, convention)
            used_codes: set[str] = set()
            for sel, start, end in parsed:
                if end < start:
                    self.error(f"{sel.label}: endPosition {end} is before startPosition {start}")
                    continue
                if end == start:
                    skipped["empty selection"] += 1
                    sr.skipped += 1
                    continue
                span = positions.span(start, end)
                if isinstance(span, str):
                    self.error(f"{sel.label}: {span}")
                    continue
                i, j = span
                quote = source.text[i:j]
                if not quote.strip():
                    skipped["selection of blank text"] += 1
                    sr.skipped += 1
                    continue
                codings = []
                for coding in sel.codings:
                    if coding.code not in self.code_ids:
                        self.warn(
                            f"{sel.label}: refers to code {coding.code}, which is not in "
                            "the code book; coding ignored"
                        )
                        continue
                    code_id = self.code_ids[coding.code]
                    if code_id is None:
                        if any(c.guid == coding.code for c in self.project.cases):
                            case_codings += 1
                        continue
                    user = coding.user or sel.user or source.user
                    codings.append((code_id, self.coder(user), coding.value))
                if not codings and not keep_empty:
                    skipped["selection without a (kept) coding"] += 1
                    sr.skipped += 1
                    continue
                name = sel.name.strip() if keep_empty else None
                key = (doc, i, j, name)
                if key not in segments:
                    sr.segments += 1
                segment = segments.setdefault(
                    key, {"document_id": doc, "text": quote, "start": i, "end": j, "codings": []}
                )
                segment["codings"].extend(codings)
                sr.codings += len(codings)
                used_codes.update(c for c, _, _ in codings)
            sr.codes = len(used_codes)
        if case_codings:
            self.report.not_imported["codings of cases exported as codes"] = case_codings
        for what, n in skipped.items():
            self.report.not_imported[what] = n
        self.fictional = {
            d["document_id"]: "true"
            for d in documents
            if d.get("is_fictional", "").strip().lower() in TRUE_WORDS
        }
        return {
            "teams": team_rows,
            "documents": documents,
            **self._segment_rows(segments, [d["document_id"] for d in documents]),
        }

    def _segment_rows(self, segments: dict[tuple, dict], order: list[str]) -> dict:
        rank = {d: n for n, d in enumerate(order)}
        ordered = sorted(segments.items(), key=lambda kv: (rank[kv[0][0]], kv[0][1], kv[0][2]))
        width = max(4, len(str(len(ordered))))
        taken: set[str] = set()
        names = [k[3] for k, _ in ordered]
        use_names = (
            self.tool == "botu"
            and all(n and ID_PATTERN.match(n) for n in names)
            and len(set(names)) == len(names)
        )
        segment_rows, coding_rows = [], []
        seen: dict[tuple, str | None] = {}
        fictional_docs = self.fictional
        for number, (key, segment) in enumerate(ordered, start=1):
            segment_id = key[3] if use_names else _unique(f"S{number:0{width}d}", taken)
            flag = fictional_docs.get(segment["document_id"])
            segment_rows.append(
                {
                    "segment_id": segment_id,
                    "document_id": segment["document_id"],
                    "text": segment["text"],
                    "start": str(segment["start"]),
                    "end": str(segment["end"]),
                    **({"is_fictional": flag} if flag else {}),
                }
            )
            for code_id, coder, value in segment["codings"]:
                dup = (segment_id, code_id, coder)
                if dup in seen:
                    if (seen[dup] or "") != (value or ""):
                        self.warn(
                            f"segment {segment_id}: {coder} coded {code_id} twice with "
                            f"different values; the first is kept"
                        )
                    continue
                seen[dup] = value
                coding_rows.append(
                    {
                        "segment_id": segment_id,
                        "code_id": code_id,
                        "coder_id": coder,
                        "value": value or "",
                        **({"is_fictional": flag} if flag else {}),
                    }
                )
        return {"segments": segment_rows, "codings": coding_rows}

    def codebook(self, documents: list[dict], teams: list[dict]) -> dict:
        flags = [r.get("is_fictional", "") for r in [*documents, *teams]]
        fictional = bool(flags) and all(f.strip().lower() in TRUE_WORDS for f in flags)
        return {
            "meta": {
                "name": self.project.name or "imported project",
                "version": "imported",
                "language": self.mapping.language,
                "fictional_demo": fictional,
                "source": f"{TOOLS[self.tool]} export"
                + (f" ({self.project.origin})" if self.project.origin else ""),
            },
            "scale": DEFAULT_SCALE,
            "codes": self.codebook_codes,
        }


def table_columns(name: str, rows: list[dict]) -> list[str]:
    """Required columns of a table, then the optional ones any row fills, in contract order."""
    table = TABLES[name]
    return [
        c.name
        for c in table.columns
        if c.required or any(str(r.get(c.name, "")).strip() for r in rows)
    ]
