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
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from botu.codebook import LANGUAGES, UNASSIGNED
from botu.errors import Problem
from botu.qdpx.mapping import DOCUMENT_COLUMNS, TEAM_COLUMNS, Mapping
from botu.qdpx.merge import Changes
from botu.qdpx.positions import (
    TOOL_CONVENTIONS,
    TOOLS,
    Convention,
    PositionMap,
    choose_convention,
)
from botu.qdpx.read import LeftOut, ToolCode, ToolProject, ToolSource
from botu.qdpx.xml import norm_guid
from botu.schema import TABLES
from botu.validate import ID_PATTERN, TRUE_WORDS

DEFAULT_SCALE = {
    0: {"nl": "afwezig", "en": "absent"},
    1: {"nl": "zwak", "en": "weak"},
    2: {"nl": "matig", "en": "moderate"},
    3: {"nl": "sterk", "en": "strong"},
}


MAX_ID_CHARS = 60  # ids name files (team pages, figures): long names are cut, kept unique


def snake_id(text: str, fallback: str = "code") -> str:
    """``lower_snake_case`` id from a name: accents dropped, other characters → ``_``."""
    ascii_text = (
        unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    )
    value = re.sub(r"[^a-z0-9]+", "_", ascii_text).strip("_")[:MAX_ID_CHARS].strip("_")
    if not value:
        return fallback
    return f"c_{value}" if value[0].isdigit() else value


def plain_id(text: str, fallback: str) -> str:
    """An id kept close to its name (``Team Zorg`` → ``Team_Zorg``): letters, digits and
    ``_ . : -`` only (ids name output files)."""
    value = re.sub(r"[^\w.:-]+", "_", unicodedata.normalize("NFC", text).strip()).strip("_")
    value = value[:MAX_ID_CHARS].strip("_").strip(".")
    return value if value and ID_PATTERN.match(value) else fallback


DEFAULT_KIND = "document"
# keys of a codebook entry that only people write, and those a re-import refreshes
HAND_KEYS = ("rubric", "rated", "values", "include", "exclude", "order")
TOOL_KEYS = ("tool", "tool_guid", "color", "groups")
UNASSIGNED_GROUP = {
    "id": UNASSIGNED,
    "parent": None,
    "level": "segment",
    "label": {"nl": "Niet toegewezen", "en": "Unassigned"},
    "definition": {
        "nl": "Codes uit de QDA-export die nog niet onder een factor zijn geplaatst.",
        "en": "Codes from the QDA export not yet placed under a factor.",
    },
}
GENERIC_PROJECT_NAMES = {"", "untitled", "unbenannt", "naamloos", "new project", "project"}


def document_stem(name: str) -> str:
    """A source's name without the extension of a text file format (``Interview A.docx``)."""
    return re.sub(r"\.(txt|docx?|rtf|pdf|odt|html?|md)$", "", name, flags=re.IGNORECASE)


def _entry(value, id_column: str) -> dict[str, str]:
    """A mapping entry: an id, or a mapping of columns."""
    return value if isinstance(value, dict) else {id_column: value}


def _partition(sets: list, sources: set[str]) -> list:
    """The sets that split ``sources`` without overlap (a set holding all of them aside), or
    ``[]`` when they overlap or leave a source out."""
    parts = [st for st in sets if set(st.sources) & sources != sources or len(sets) == 1]
    seen: set[str] = set()
    for st in parts:
        members = set(st.sources) & sources
        if members & seen:
            return []
        seen |= members
    return parts if seen == sources else []


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
    check: str = ""  # how the position convention was confirmed (or could not be)


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
    teams_from: str = ""
    left_out: LeftOut = field(default_factory=LeftOut)
    removed_codes: list[str] = field(default_factory=list)
    renamed_codes: list[tuple[str, str]] = field(default_factory=list)
    codes_assigned: tuple[int, int] = (0, 0)  # codes from the tool, of which unassigned
    changes: Changes | None = None  # on a re-import
    mapping_written: Path | None = None
    kind: str = "project"  # or "codebook" (a .qdc)

    @property
    def valid(self) -> bool:
        """True when the written tables pass :func:`botu.dataset.load_dataset`."""
        return not any(p.severity == "error" for p in self.validation)

    def summary(self) -> str:
        """A short account for the researcher: what came in, what not, what to do next."""
        origin = f" ({self.origin})" if self.origin else ""
        if self.mapping_written is not None:
            return (
                f"wrote a mapping skeleton for {self.tool} {self.source.name}{origin} to "
                f"{self.mapping_written}\n  fill it in, then run: python -m botu import "
                f"{self.source} --into {self.target} --mapping {self.mapping_written}"
            )
        tool = "" if self.tool == TOOLS["unknown"] else f"{self.tool} "
        lines = [f"imported {tool}{self.source.name}{origin} into {self.target}"]
        if self.kind == "codebook":
            lines[0] = lines[0].replace("imported", "imported the codebook", 1)
            lines.append(f"  {self.codes} codes, written to codebook.yml")
        if self.teams_from:
            lines.append(f"  teams: {self.teams_from}")
        coders = _listed(self.coders, 5)
        if self.kind == "project":
            lines.append(
                f"  {self.documents} documents, {self.segments} segments, {self.codings} "
                f"codings by {len(self.coders)} coder(s) ({coders or '-'}); {self.codes} codes "
                f"({self.codes_used} used)"
            )
        if len(self.sources) <= MAX_SOURCES_LISTED:
            for s in self.sources:
                extra = f", {s.skipped} selection(s) left out" if s.skipped else ""
                positions = f" [{s.positions}]" if s.positions else ""
                lines.append(
                    f"  '{s.name}' → {s.document_id}: {s.segments} segments, {s.codings} "
                    f"codings{extra}{positions}"
                )
        conventions = sorted({s.positions for s in self.sources if s.positions})
        if len(self.sources) > MAX_SOURCES_LISTED and conventions:
            lines.append(f"  positions counted as {'; '.join(conventions)}")
        lines += [f"  positions in '{s.name}': {s.check}" for s in self.sources if s.check][:5]
        tool_codes, unassigned = self.codes_assigned
        if unassigned:
            lines.append(
                f"  {unassigned} of {tool_codes} tool codes are not under a factor (group "
                "'unassigned' in codebook.yml): place them with 'factors:' in a mapping file "
                "(python -m botu import … --write-mapping mapping.yml writes one to fill in)"
            )
        if self.matched_codes:
            lines.append(
                f"  {len(self.matched_codes)} code(s) matched to the codebook: "
                + _listed([f"'{n}' → {c}" for n, c in self.matched_codes], 5)
            )
        if self.dropped_codes:
            lines.append(
                f"  {len(self.dropped_codes)} code(s) left out (codings dropped): "
                + _listed([f"'{n}' ({why})" for n, why in self.dropped_codes], 5)
            )
        if self.changes is not None and self.unmapped_codes:
            lines.append(
                f"  {len(self.unmapped_codes)} new code(s) from the tool: "
                + _listed([cid for _, cid in self.unmapped_codes], 5)
            )
        if self.renamed_codes:
            lines.append(
                f"  {len(self.renamed_codes)} code(s) renamed in the tool: "
                + _listed([f"'{a}' → '{b}'" for a, b in self.renamed_codes], 5)
            )
        if self.removed_codes:
            lines.append(
                f"  {len(self.removed_codes)} code(s) no longer in the export, removed from "
                f"codebook.yml: {_listed(self.removed_codes, 5)}"
            )
        if self.left_out:
            lines.append(f"  left out (not text): {self.left_out.describe()}")
        if self.not_imported:
            parts = ", ".join(f"{n} {k}" for k, n in sorted(self.not_imported.items()))
            lines.append(f"  not imported: {parts}")
        if self.changes is not None:
            lines += [f"  {line}" for line in self.changes.describe()]
            lines += [f"  check: {d}" for d in self.changes.dangling[:10]]
            if len(self.changes.dangling) > 10:
                lines.append(f"  … and {len(self.changes.dangling) - 10} more rows to check")
        warnings = [p for p in [*self.warnings, *self.validation] if p.severity != "error"]
        if warnings:
            lines.append(f"  {len(warnings)} warning(s), listed above")
        errors = [p for p in self.validation if p.severity == "error"]
        in_study = self.target.name == "raw" and self.target.parent.name == "data"
        if errors:
            lines.append(
                f"  the tables do not validate yet ({len(errors)} problem(s), listed above); "
                f"complete them, then run: python -m botu validate --raw {self.target}"
            )
        elif in_study:
            lines.append(f"  next: python -m botu --root {self.target.parent.parent} status")
        elif self.kind == "project":
            lines.append(f"  next: python -m botu validate --raw {self.target}")
        return "\n".join(lines)


MAX_SOURCES_LISTED = 10


def _listed(items: list[str], limit: int) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f", … ({len(items) - limit} more)" if len(items) > limit else "")


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
        # (table, row id) -> column -> a value used only where the study has none yet
        self.defaults: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
        self.creator_differs: Counter = Counter()  # (coding's user, selection's user) -> n
        self.teams_from = ""
        self.fallback_team: str | None = None  # the one team of a project without cases
        self.rest_team: str | None = None  # the team of documents in no case or set
        self.removed_ids: dict[str, str | None] = {}  # removed code -> its parent
        self.given_codebook = None  # a Codebook, when the mapping names one
        self.not_coded: set[str] = set()  # codebook codes rated per team, never coded
        self.keep_ids: set[str] = set()  # codes the study's codings use (a codebook import)
        self.strict = False  # refuse (rather than leave out) what cannot be read
        self.kept_codes: list[dict] = []  # tool codes gone from the export, kept (hand work)
        self.previous_documents: dict[str, str] = {}  # source GUID -> the study's document id
        name = (project.name or "").strip()
        self.project_name = (
            name if name.casefold() not in GENERIC_PROJECT_NAMES else report.source.stem
        )

    def bad_selection(self, message: str, report: SourceReport, skipped: Counter) -> None:
        """A selection that does not fit its text: an error with ``strict``, else left out
        with a warning (one broken selection should not cost the rest of the project)."""
        if self.strict:
            self.error(message)
            return
        self.warn(f"{message}; this selection is left out")
        skipped["selection that does not fit its text"] += 1
        report.skipped += 1

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

    def resolve_codes(self, base: list[dict] | None = None) -> None:
        """Decide each tool code's id, and (without a given codebook) its codebook entry.

        ``base`` holds the code entries of the study's codebook (or the starter codebook).
        A tool code keeps the id an earlier import gave it (matched by its GUID, so renaming
        it in the tool keeps the id), is mapped onto a code of ``base`` by the mapping, or gets
        an id from its name. It is placed under a factor by the mapping's ``factors:``, else
        under its parent in the tool, else in the group :data:`UNASSIGNED`.
        """
        codes = self.project.codes
        case_guids = {c.guid for c in self.project.cases}
        given = self.mapping.codebook is not None
        base = [] if base is None else base
        hand = [e for e in base if isinstance(e, dict) and e.get("id") and not e.get("tool_guid")]
        hand_ids = {str(e["id"]) for e in hand}
        self.not_coded = {str(e["id"]) for e in hand if e.get("level", "segment") != "segment"}
        hand_names: dict[str, str] = {}
        for e in hand:
            label = e.get("label")
            names = label.values() if isinstance(label, dict) else [label]
            for name in [e["id"], *names]:
                if name and str(e["id"]) != UNASSIGNED:
                    hand_names.setdefault(str(name).strip().casefold(), str(e["id"]))
        previous = {norm_guid(str(e["tool_guid"])): e for e in base if e.get("tool_guid")}
        # a code whose GUID is new but whose path an old, vanished code had is that code
        # (a project exported from another installation gets new GUIDs)
        vanished = {str(e.get("tool")): e for g, e in previous.items() if g not in codes}
        for code in codes.values():
            if code.guid not in previous and (code.path or code.name) in vanished:
                old = vanished.pop(code.path or code.name)
                previous.pop(norm_guid(str(old["tool_guid"])), None)
                previous[code.guid] = old
        targets: set[str] = set()
        for code in codes.values():
            found, value = self.mapping.codes.get(code.guid, code.path, code.name)
            if found and value:
                targets.add(value)
        by_name: dict[str, str] = {}
        if given:
            book = self.given_codebook
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
        taken = set(targets) | hand_ids | {str(e["id"]) for e in previous.values()}
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
            if code.guid in previous:
                self.code_ids[code.guid] = str(previous[code.guid]["id"])
                continue
            if code.name.strip() == UNASSIGNED:  # our own group, exported and coming back
                self.code_ids[code.guid] = None
                continue
            match = hand_names.get(code.name.strip().casefold())
            if match:  # coded with our codebook (export-codebook), or named like a factor
                self.code_ids[code.guid] = match
                self.report.matched_codes.append((shown, match))
                continue
            derived = _unique(snake_id(code.name), taken)
            self.code_ids[code.guid] = derived
            self.report.unmapped_codes.append((shown, derived))
        if given:
            return
        tool_ids = {cid for cid in self.code_ids.values() if cid and cid not in hand_ids}
        emitted: set[str] = set()
        for code in codes.values():
            cid = self.code_ids.get(code.guid)
            if not cid or cid in emitted or cid in hand_ids:
                continue
            emitted.add(cid)
            label, definition, rules = self._code_texts(code)
            before = previous.get(code.guid)
            placed, factor = self.mapping.factors.get(code.guid, code.path, code.name)
            if placed:
                parent = factor
                if factor not in hand_ids | tool_ids:
                    self.problems.append(
                        Problem(
                            self.mapping.source,
                            None,
                            f"factors.{code.name}",
                            f"'{factor}' is not a code of the codebook",
                        )
                    )
            elif before is not None and before.get("parent") in hand_ids - {UNASSIGNED}:
                parent = before["parent"]  # moved under a factor by hand: stays there
            else:
                parent = self._parent_id(code, cid) or UNASSIGNED
            if before is not None:  # what people wrote (labels, rubrics, level) is kept
                entry = {k: v for k, v in before.items() if k != "__line__"}
                entry.update(id=cid, parent=parent)
                old_name = str(before.get("tool") or "").rsplit("/", 1)[-1]
                label = before.get("label")
                written = label.values() if isinstance(label, dict) else [label]
                if old_name and old_name != code.name and all(v == old_name for v in written):
                    entry["label"] = self._lang_text(code.name)  # renamed in the tool only
                    self.report.renamed_codes.append((old_name, code.name))
            else:
                entry = {
                    "id": cid,
                    "parent": parent,
                    "level": "segment",
                    "label": self._lang_text(label or cid),
                }
                if definition:
                    entry["definition"] = self._lang_text(definition)
                entry.update(rules)
            entry.pop("color", None)
            entry.pop("groups", None)
            if code.color:
                entry["color"] = code.color
            groups = [st.name for st in self.project.sets if code.guid in st.codes and st.name]
            if groups:
                entry["groups"] = groups
            entry["tool"] = code.path or code.name
            entry["tool_guid"] = code.guid
            self.codebook_codes.append(entry)
        gone = [e for guid, e in previous.items() if guid not in codes]
        for entry in gone:
            hand = sorted(k for k in HAND_KEYS if entry.get(k))
            if hand or str(entry["id"]) in self.keep_ids:
                kept = {k: v for k, v in entry.items() if k not in TOOL_KEYS and k != "__line__"}
                self.kept_codes.append(kept)
                why = f"it has {', '.join(hand)} written by hand" if hand else "it is still used"
                self.warn(
                    f"code '{entry['id']}' ({entry.get('tool')}) is no longer in the export; "
                    f"kept in codebook.yml as a code of the study, since {why}"
                )
            else:
                self.report.removed_codes.append(str(entry.get("tool") or entry["id"]))
                self.removed_ids[str(entry["id"])] = entry.get("parent")

    def _lang_text(self, text: str) -> dict[str, str] | str:
        """A text from the tool, under the project's language when the mapping names it."""
        language = self.mapping.language
        return {language: text} if language in LANGUAGES else text

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
                if user is None:
                    self.warn(f"user {guid} of a coding is not among the project's <Users>")
                else:
                    self.warn(f"user {guid} has no name in the project; coder_id set to {base}")
            else:
                base = "UNKNOWN"
                self.warn("a coding names no user (creatingUser); coder_id set to UNKNOWN")
            coder = base if base == "UNKNOWN" else _unique(base, self.coder_taken)
        self.coder_cache[guid] = coder
        return coder

    def user_name(self, guid: str) -> str:
        user = self.project.users.get(guid)
        return (user.name or user.id or guid) if user else (guid or "no user")

    def coding_user(self, coding, selection, source) -> str:
        """The user credited with a coding: its creator, or (``coder_from: selection``) the
        selection's. Codings whose creator differs from their selection's are counted."""
        by_coding = coding.user or selection.user or source.user
        by_selection = selection.user or coding.user or source.user
        if coding.user and selection.user and coding.user != selection.user:
            self.creator_differs[(by_coding, by_selection)] += 1
        return by_selection if self.mapping.coder_from == "selection" else by_coding

    # --- teams and documents --------------------------------------------------------

    def teams(self) -> tuple[list[dict], dict[str, str]]:
        """Team rows, and source GUID -> team id.

        Teams come from the tool's cases; else from its document sets (those the mapping
        names under ``teams:``, or, unmapped, sets that split the documents without overlap);
        else from the mapping alone; else the whole project is one team. ``self.teams_from``
        says which, for the summary.
        """
        rows: list[dict] = []
        source_team: dict[str, str] = {}
        taken: set[str] = set()

        def add(guid: str, name: str, values: dict, members: list[str], number: int) -> None:
            row = self._columns(values, TEAM_COLUMNS, "case")
            found, entry = self.mapping.teams.get(guid, name)
            if found:
                row.update({k: v for k, v in _entry(entry, "team_id").items() if v != ""})
            team_id = row.get("team_id") or plain_id(name, f"T{number:02d}")
            if team_id in taken:
                self.warn(f"'{name}': team id '{team_id}' given twice; the second one renamed")
            row["team_id"] = _unique(team_id, taken)
            if not row.get("name"):
                self.defaults[("teams", row["team_id"])]["name"] = name or row["team_id"]
            rows.append(row)
            for source in members:
                if source in source_team and source_team[source] != row["team_id"]:
                    self.warn(
                        f"source {source} belongs to cases of teams {source_team[source]} and "
                        f"{row['team_id']}; the first is used"
                    )
                source_team.setdefault(source, row["team_id"])

        cases = [c for c in self.project.cases if not (c.name is None and len(c.sources) == 1)]
        for number, case in enumerate(cases, start=1):  # MAXQDA keeps document variables
            add(case.guid, (case.name or "").strip(), case.variables, case.sources, number)
        if cases:
            self.teams_from = f"{len(rows)} case(s) of the project"
            return rows, source_team
        text_sources = {src.guid for src in self.project.sources}
        source_sets = [st for st in self.project.sets if set(st.sources) & text_sources]
        named = [st for st in source_sets if self.mapping.teams.get(st.guid, st.name)[0]]
        if not named and source_sets:
            named = _partition(source_sets, text_sources)
        for number, st in enumerate(named, start=1):
            add(st.guid, st.name, {}, st.sources, number)
        if named:
            self.teams_from = f"{len(rows)} document set(s) of the project"
            return rows, source_team
        for number, (key, _) in enumerate(self.mapping.teams.items(), start=1):
            add("", key, {}, [], number)  # a team the mapping defines by itself
        if rows:
            self.teams_from = f"{len(rows)} team(s) defined in {self.mapping.source}"
            if source_sets:
                self.teams_from += f" ({len(source_sets)} overlapping document set(s) not used)"
            return rows, source_team
        add("", self.project_name, {}, [], 1)  # its documents take it as a default only
        self.fallback_team = rows[0]["team_id"]
        why = (
            "no cases or sets"
            if not source_sets
            else f"its {len(source_sets)} document set(s) do not split the documents into "
            "teams: they overlap or leave documents out"
        )
        self.teams_from = (
            f"the whole project is one team, '{rows[0]['team_id']}' ({why}; name teams under "
            "'teams:' in a mapping file to split it)"
        )
        return rows, source_team

    def document_row(self, source: ToolSource, source_team: dict[str, str], taken: set[str]):
        values = dict(source.variables)
        for case in self.project.cases:
            if case.name is None and case.sources == [source.guid]:
                values.update(case.variables)
        row = self._columns(values, DOCUMENT_COLUMNS, "source")
        found, entry = self.mapping.documents.matches(True, source.guid, source.name)
        if found:
            row.update({k: v for k, v in _entry(entry, "document_id").items() if v != ""})
        document_id = (
            row.get("document_id")
            or self.previous_documents.get(source.guid)  # renamed in the tool: same document
            or plain_id(document_stem(source.name), f"D{len(taken) + 1:03d}")
        )
        row["document_id"] = _unique(document_id, taken)
        if source.guid and self.tool != "botu":  # ours are made from the ids anyway
            row["tool_guid"] = source.guid
        defaults = self.defaults[("documents", row["document_id"])]
        if not row.get("team_id") and source.guid in source_team:
            row["team_id"] = source_team[source.guid]
        defaults["kind"] = DEFAULT_KIND
        row.setdefault("title", source.name)
        groups = [st.name for st in self.project.sets if source.guid in st.sources and st.name]
        if groups:
            row["groups"] = "; ".join(groups)
        return row

    # --- segments and codings -------------------------------------------------------

    def convention(self, source: ToolSource, spans: list[tuple[int, int, str]]):
        default = TOOL_CONVENTIONS[self.tool]
        fixed = None
        if self.positions != "auto":
            default = Convention(self.positions, default.crlf)
            fixed = self.positions
        return choose_convention(source.text or "", spans, default, fixed)

    def build(self, base_codes: list[dict] | None = None) -> dict:
        """The tables (rows as dicts); ``base_codes``: the code entries of the codebook the
        tool's codes join (see :meth:`resolve_codes`)."""
        self.resolve_codes(base_codes)
        team_rows, source_team = self.teams()
        documents: list[dict] = []
        taken_docs: set[str] = set()
        segments: dict[tuple, dict] = {}
        skipped = Counter()
        not_coded: Counter = Counter()
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
                    self.bad_selection(
                        f"{sel.label}: startPosition '{sel.start}' / endPosition '{sel.end}' "
                        "are not whole numbers",
                        sr,
                        skipped,
                    )
            convention, note, sr.check = self.convention(
                source, [(s, e, x.name) for x, s, e in parsed]
            )
            sr.positions = convention.describe()
            if note:
                sr.note = note
                self.warn(f"source '{source.name}': {note}")
            positions = PositionMap(source.text, convention)
            used_codes: set[str] = set()
            for sel, start, end in parsed:
                if end < start:
                    self.bad_selection(
                        f"{sel.label}: endPosition {end} is before startPosition {start}",
                        sr,
                        skipped,
                    )
                    continue
                if end == start:
                    skipped["empty selection"] += 1
                    sr.skipped += 1
                    continue
                span = positions.span(start, end)
                if isinstance(span, str):
                    self.bad_selection(f"{sel.label}: {span}", sr, skipped)
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
                    if code_id in self.not_coded:
                        not_coded[code_id] += 1
                        continue
                    if code_id is None:
                        if any(c.guid == coding.code for c in self.project.cases):
                            case_codings += 1
                        continue
                    user = self.coding_user(coding, sel, source)
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
        homeless = [d for d in documents if not d.get("team_id")]
        if self.teams_from.endswith("of the project") and homeless:
            # cases or sets that leave documents out: those go to one more team
            self.rest_team = _unique(
                plain_id(self.project_name, "T00"), {t["team_id"] for t in team_rows}
            )
            team_rows.append({"team_id": self.rest_team})
            self.defaults[("teams", self.rest_team)]["name"] = f"{self.project_name} (rest)"
            for row in homeless:
                self.defaults[("documents", row["document_id"])]["team_id"] = self.rest_team
            self.teams_from += (
                f", and '{self.rest_team}' for the {len(homeless)} document(s) in none of them"
            )
        if len(team_rows) == 1 and not self.teams_from.endswith("of the project"):
            # the one team of the project, or the only one the mapping defines: it holds all
            for row in documents:
                if not row.get("team_id"):
                    self.defaults[("documents", row["document_id"])]["team_id"] = team_rows[0][
                        "team_id"
                    ]
        if self.creator_differs:
            total = sum(self.creator_differs.values())
            pairs = ", ".join(
                f"{n} credited to {self.user_name(c)} on selections by {self.user_name(s)}"
                for (c, s), n in self.creator_differs.most_common(3)
            )
            whose = (
                "the selection's creator is taken (coder_from: selection)"
                if self.mapping.coder_from == "selection"
                else "coder_id follows the coding's creator; put 'coder_from: selection' in a "
                "mapping file to credit the selections' creators instead"
            )
            self.warn(
                f"{total} coding(s) were made by another user than their selection: {pairs}; "
                f"{whose}"
            )
        if case_codings:
            self.report.not_imported["codings of cases exported as codes"] = case_codings
        for code_id, n in sorted(not_coded.items()):
            self.warn(
                f"{n} coding(s) of the tool code matched to '{code_id}' left out: that code is "
                "rated per team, not coded; code the passages with a code under it"
            )
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

    def codebook(self, base: dict) -> dict:
        """The study's codebook: ``base`` (the study's own or the starter codebook) with the
        tool's codes in place of those an earlier import wrote."""
        meta = {k: v for k, v in (base.get("meta") or {}).items() if k != "__line__"}
        if self.mapping.language:
            meta["language"] = self.mapping.language
        meta.setdefault("name", self.project_name)
        meta["source"] = f"{TOOLS[self.tool]} export" + (
            f" ({self.project.origin})" if self.project.origin else ""
        )
        kept = []
        for entry in base.get("codes") or []:
            if (
                not isinstance(entry, dict)
                or entry.get("tool_guid")
                or entry.get("id") in (UNASSIGNED,)
            ):
                continue
            entry = {k: v for k, v in entry.items() if k != "__line__"}
            parent = entry.get("parent")
            while parent in self.removed_ids:  # its parent left the export: move it up
                parent = self.removed_ids[parent]
            entry["parent"] = parent
            kept.append(entry)
        ids = {e.get("id") for e in [*kept, *self.kept_codes, *self.codebook_codes]}
        for entry in [*self.kept_codes, *self.codebook_codes]:
            parent = entry.get("parent")
            while parent in self.removed_ids:  # its parent left the export: move it up
                parent = self.removed_ids[parent]
            if parent is not None and parent not in ids and parent != UNASSIGNED:
                parent = UNASSIGNED
            entry["parent"] = parent
        codes = kept + self.kept_codes + self.codebook_codes
        if any(e.get("parent") == UNASSIGNED for e in codes):
            old = next(
                (
                    e
                    for e in base.get("codes") or []
                    if isinstance(e, dict) and e.get("id") == UNASSIGNED
                ),
                None,
            )
            group = (
                {k: v for k, v in old.items() if k != "__line__"} if old else dict(UNASSIGNED_GROUP)
            )
            codes.insert(len(kept), group)
        scale = {
            k: {kk: vv for kk, vv in v.items() if kk != "__line__"} if isinstance(v, dict) else v
            for k, v in (base.get("scale") or DEFAULT_SCALE).items()
            if k != "__line__"
        }
        return {"meta": meta, "scale": scale, "codes": codes}


def table_columns(name: str, rows: list[dict]) -> list[str]:
    """Required columns of a table, then the optional ones any row fills, in contract order."""
    table = TABLES[name]
    return [
        c.name
        for c in table.columns
        if c.required or any(str(r.get(c.name, "")).strip() for r in rows)
    ]
