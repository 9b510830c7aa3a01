"""The mapping file of an import: how a QDA tool's names connect to our ids.

A YAML file, every section optional::

    codes:                      # tool code (GUID, path "Parent/Child" or name) -> codebook id
      Kennis: hb_kennis
      "{8B2C1F0E-...}": hb_geld
      Overig: null              # null: leave this code out (its codings are dropped, reported)
    factors:                    # tool code -> the factor (or any code) to place it under;
      Middelen: hulpbronnen     # codes not placed stay in the group 'unassigned'
    unmapped: keep              # codes not listed: keep (id derived from the name) or drop
    codebook: ../codebook.yml   # optional: use this codebook (.yml or a REFI .qdc) instead of
                                # the tool's code tree; codes are matched by id or label
    teams:                      # tool case or set (GUID or name) -> team id, or columns;
      Team Zorg: T01            # an entry that matches no case or set defines a team itself
      Team Jeugd: {team_id: T02, coalition_type: nieuw, sibd_phase_reached: 3}
    documents:                  # tool source (GUID, name or a pattern with * ?) -> columns
      Interview A.docx: {document_id: D-T01-01, kind: interview, respondent_id: R-T01-01}
      "Interview*": {kind: interview}
    coders:                     # tool user (GUID, id or name) -> coder id; two names of one
      Anna de Vries: C1         # person may map to the same id
      AdV: C1
    coder_from: coding          # whose user is the coder: the coding's creator (default) or the
                                # selection's (when a tool credits codings to the project owner)
    variables:                  # tool variable name -> our column (teams or documents)
      Coalitie: coalition_type
    language: nl                # language of the tool's code names and descriptions (any
                                # ISO 639-1 code); left unset when not given

Keys are matched by GUID (any case, with or without braces), then exactly, then ignoring case;
document keys with ``*``, ``?`` or ``[`` are also tried as patterns, in the order given.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from botu.errors import InputError, Problem
from botu.io import load_yaml
from botu.qdpx.xml import is_guid, norm_guid
from botu.schema import TABLES
from botu.validate import ID_PATTERN

SECTIONS = (
    "codes",
    "factors",
    "unmapped",
    "codebook",
    "teams",
    "documents",
    "coders",
    "coder_from",
    "variables",
    "language",
)
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
TEAM_COLUMNS = tuple(TABLES["teams"].column_names)
ID_COLUMNS = {"team_id", "document_id", "respondent_id"}
DOCUMENT_COLUMNS = tuple(TABLES["documents"].column_names)


class Lookup:
    """Tool keys (GUID, path, name) to values, matched by GUID, exactly, then ignoring case."""

    def __init__(self, entries: dict[str, Any] | None = None):
        self._exact: dict[str, Any] = {}
        self._folded: dict[str, Any] = {}
        self.used: set[str] = set()
        for key, value in (entries or {}).items():
            text = str(key).strip()
            if is_guid(text):
                text = norm_guid(text)
            self._exact[text] = (str(key), value)
            self._folded.setdefault(text.casefold(), (str(key), value))

    def __bool__(self) -> bool:
        return bool(self._exact)

    def get(self, *keys: str | None) -> tuple[bool, Any]:
        """``(found, value)`` for the first key that is listed."""
        for key in keys:
            if key and (norm_guid(key) if is_guid(key) else key) in self._exact:
                original, value = self._exact[norm_guid(key) if is_guid(key) else key]
                self.used.add(original)
                return True, value
        for key in keys:
            if key and key.strip().casefold() in self._folded:
                original, value = self._folded[key.strip().casefold()]
                self.used.add(original)
                return True, value
        return False, None

    def matches(self, pattern_keys: bool, *keys: str | None) -> tuple[bool, Any]:
        """Like :meth:`get`, then (``pattern_keys``) the keys that are glob patterns."""
        found, value = self.get(*keys)
        if found or not pattern_keys:
            return found, value
        for text, (original, value) in self._exact.items():
            if not any(ch in text for ch in "*?["):
                continue
            for key in keys:
                if key and fnmatch.fnmatchcase(key.casefold(), text.casefold()):
                    self.used.add(original)
                    return True, value
        return False, None

    def mark_used(self, *keys: str | None) -> None:
        """Count entries for these keys as matched (e.g. a user no coding credits)."""
        for key in keys:
            self.get(key)

    def items(self) -> list[tuple[str, Any]]:
        """(key as written, value), in the order given."""
        return list(self._exact.values())

    def unused(self) -> list[str]:
        return sorted({original for original, _ in self._exact.values()} - self.used)


@dataclass
class Mapping:
    codes: Lookup = field(default_factory=Lookup)
    factors: Lookup = field(default_factory=Lookup)
    teams: Lookup = field(default_factory=Lookup)
    documents: Lookup = field(default_factory=Lookup)
    coders: Lookup = field(default_factory=Lookup)
    variables: Lookup = field(default_factory=Lookup)
    unmapped: str = "keep"
    codebook: Path | None = None
    language: str | None = None
    coder_from: str = "coding"
    source: str = "mapping"


def _rows(
    section: Any, name: str, id_column: str, columns: tuple[str, ...], problems: list[Problem]
) -> dict[str, dict[str, str]]:
    section_name = "teams" if id_column == "team_id" else "documents"
    rows: dict[str, dict[str, str]] = {}
    for key, value in (section or {}).items():
        if isinstance(value, str | int):
            value = {id_column: value}
        if not isinstance(value, dict):
            problems.append(Problem(name, None, str(key), "expected an id or a mapping of columns"))
            continue
        unknown = sorted(set(value) - set(columns))
        if unknown:
            problems.append(
                Problem(name, None, str(key), f"unknown column(s): {', '.join(map(str, unknown))}")
            )
        row = {k: "" if v is None else _scalar(v) for k, v in value.items()}
        for column, cell in row.items():
            if column in ID_COLUMNS and cell and not ID_PATTERN.match(cell):
                problems.append(
                    Problem(
                        name,
                        None,
                        f"{section_name}.{key}.{column}",
                        f"'{cell}' is not a valid id (letters, digits, _ - . : only)",
                    )
                )
        rows[str(key)] = row
    return rows


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def load_mapping(path: str | Path | None) -> Mapping:
    """Read and check a mapping file (``None``: the empty mapping).

    Raises:
        InputError: the file is missing, not YAML, or has unknown sections or bad ids.
    """
    if path is None:
        return Mapping()
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise InputError(Problem(name, None, None, "mapping file does not exist"))
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = load_yaml(text, name) or {}
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(
            Problem(name, None, None, f"is not a readable YAML file ({exc})")
        ) from None
    if not isinstance(data, dict):
        raise InputError(Problem(name, None, None, "expected sections such as 'codes:', 'teams:'"))
    problems = [
        Problem(name, None, str(key), f"unknown section (known: {', '.join(SECTIONS)})")
        for key in data
        if key not in SECTIONS
    ]
    for section in ("codes", "factors", "teams", "documents", "coders", "variables"):
        if data.get(section) is not None and not isinstance(data[section], dict):
            problems.append(Problem(name, None, section, "expected a mapping 'tool name: id'"))
            data[section] = {}
    codes: dict[str, str | None] = {}
    for key, value in (data.get("codes") or {}).items():
        if value is not None and not ID_PATTERN.match(str(value)):
            problems.append(Problem(name, None, f"codes.{key}", f"'{value}' is not a valid id"))
        codes[str(key)] = None if value is None else str(value)
    factors: dict[str, str] = {}
    for key, value in (data.get("factors") or {}).items():
        if value is None:
            continue  # left to fill in: the code stays unassigned
        if not ID_PATTERN.match(str(value)):
            problems.append(Problem(name, None, f"factors.{key}", f"'{value}' is not a valid id"))
        factors[str(key)] = str(value)
    coders = {}
    for key, value in (data.get("coders") or {}).items():
        if value is None or str(value).strip() == "":
            problems.append(
                Problem(name, None, f"coders.{key}", "give a coder id (a pseudonym or initials)")
            )
            continue
        if not ID_PATTERN.match(str(value)):
            problems.append(Problem(name, None, f"coders.{key}", f"'{value}' is not a valid id"))
        coders[str(key)] = str(value)
    variables = {}
    known = sorted(set(TEAM_COLUMNS) | set(DOCUMENT_COLUMNS))
    for key, value in (data.get("variables") or {}).items():
        if str(value) not in known:
            problems.append(
                Problem(
                    name, None, f"variables.{key}", f"'{value}' is not a teams/documents column"
                )
            )
        variables[str(key)] = str(value)
    teams = _rows(data.get("teams"), name, "team_id", TEAM_COLUMNS, problems)
    documents = _rows(data.get("documents"), name, "document_id", DOCUMENT_COLUMNS, problems)
    unmapped = str(data.get("unmapped") or "keep")
    if unmapped not in ("keep", "drop"):
        problems.append(Problem(name, None, "unmapped", "must be 'keep' or 'drop'"))
    language = str(data["language"]).strip() if data.get("language") else None
    if language is not None and not LANGUAGE.match(language):
        problems.append(
            Problem(name, None, "language", f"'{language}' is not a language code like nl, en, hu")
        )
    coder_from = str(data.get("coder_from") or "coding")
    if coder_from not in ("coding", "selection"):
        problems.append(Problem(name, None, "coder_from", "must be 'coding' or 'selection'"))
    codebook = None
    if data.get("codebook"):
        codebook = (path.parent / str(data["codebook"])).resolve()
        if not codebook.is_file():
            problems.append(Problem(name, None, "codebook", f"'{data['codebook']}' does not exist"))
    if problems:
        raise InputError(problems)
    return Mapping(
        codes=Lookup(codes),
        factors=Lookup(factors),
        teams=Lookup(teams),
        documents=Lookup(documents),
        coders=Lookup(coders),
        variables=Lookup(variables),
        unmapped=unmapped,
        codebook=codebook,
        language=language,
        coder_from=coder_from,
        source=name,
    )
