"""The codebook: factors, codes and their hierarchy, read from ``codebook.yml``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from botu import i18n
from botu.errors import InputError, Problem
from botu.io import StrictLoader, load_yaml, read_yaml_text

LEVELS = ("segment", "team_attribute", "team_rating")
LANGUAGES = ("nl", "en")
SCORES = (0, 1, 2, 3)
FACTORS = ("hulpbronnen", "bewonersinitiatief", "netwerkaansluiting", "responsiviteit")
# The group that holds codes imported from a QDA tool and not (yet) placed under a factor.
UNASSIGNED = "unassigned"
STARTER_CODEBOOK = Path(__file__).resolve().parent / "starter" / "codebook.yml"


class _LineLoader(StrictLoader):
    """SafeLoader that records the line of every mapping, so problems can name it."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass(frozen=True)
class Code:
    id: str
    parent: str | None
    level: str
    label: dict[str, str]
    definition: dict[str, str] = field(default_factory=dict)
    include: dict[str, str] = field(default_factory=dict)  # what falls under it, by language
    exclude: dict[str, str] = field(default_factory=dict)  # what does not, by language
    rubric: dict[int, str] = field(default_factory=dict)
    values: tuple[str, ...] = ()
    rated: bool = False
    order: int | None = None
    line: int | None = None
    color: str = ""  # "#RRGGBB", as the QDA tool showed the code
    tool: str = ""  # the code's path in the QDA tool it was imported from ("" = made here)
    tool_guid: str = ""  # its GUID there: exported again, a tool knows it as the same code

    @property
    def is_rateable(self) -> bool:
        """Can be scored 0–3 per team in the ratings table."""
        return self.level == "team_rating" or self.rated


@dataclass
class Codebook:
    """Codes by id, in file order, with the hierarchy and the rating scale."""

    codes: dict[str, Code]
    scale: dict[int, dict[str, str]]
    meta: dict[str, Any]
    source: str = "codebook.yml"

    def __contains__(self, code_id: object) -> bool:
        return code_id in self.codes

    def __getitem__(self, code_id: str) -> Code:
        return self.codes[code_id]

    def label(self, code_id: str, lang: str = "nl") -> str:
        """The label of a code in ``lang`` (falls back to the other language, then the id)."""
        code = self.codes.get(code_id)
        if code is None:
            return code_id
        return code.label.get(lang) or next(iter(code.label.values()), code_id)

    def labels(self, lang: str = "nl") -> dict[str, str]:
        return {cid: self.label(cid, lang) for cid in self.codes}

    def scale_label(self, score: float | None, lang: str = "nl") -> str:
        if score is None or pd.isna(score):
            return i18n.say("figures.na", lang)
        return self.scale.get(int(score), {}).get(lang, str(int(score)))

    def children(self, code_id: str) -> list[str]:
        return [c.id for c in self.codes.values() if c.parent == code_id]

    def subtree(self, code_id: str) -> list[str]:
        """``code_id`` and every code below it, in file order."""
        wanted = {code_id}
        changed = True
        while changed:
            before = len(wanted)
            wanted |= {c.id for c in self.codes.values() if c.parent in wanted}
            changed = len(wanted) != before
        return [cid for cid in self.codes if cid in wanted]

    def ancestors(self, code_id: str) -> list[str]:
        """Parents of ``code_id`` from nearest to the top-level factor."""
        chain: list[str] = []
        current = self.codes[code_id].parent
        while current is not None and current not in chain:
            chain.append(current)
            current = self.codes[current].parent if current in self.codes else None
        return chain

    def factor_of(self, code_id: str) -> str:
        """The top-level code a code belongs to."""
        chain = self.ancestors(code_id)
        return chain[-1] if chain else code_id

    def by_level(self, level: str) -> list[str]:
        return [c.id for c in self.codes.values() if c.level == level]

    @property
    def segment_codes(self) -> list[str]:
        return self.by_level("segment")

    @property
    def rateable(self) -> list[str]:
        return [c.id for c in self.codes.values() if c.is_rateable]

    @property
    def unassigned(self) -> list[str]:
        """Codes in the :data:`UNASSIGNED` group: imported, not yet placed under a factor."""
        if UNASSIGNED not in self.codes:
            return []
        return [cid for cid in self.subtree(UNASSIGNED) if cid != UNASSIGNED]

    def values_of(self, code_id: str) -> tuple[str, ...]:
        return self.codes[code_id].values

    def to_frame(self, lang: str = "nl") -> pd.DataFrame:
        """One row per code: id, parent, factor, level, label, definition, values."""
        other = "en" if lang == "nl" else "nl"
        rows = [
            {
                "code_id": c.id,
                "parent": c.parent or "",
                "factor_id": self.factor_of(c.id),
                "level": c.level,
                "is_rated": c.is_rateable,
                "label": self.label(c.id, lang),
                f"label_{other}": c.label.get(other, ""),
                "definition": c.definition.get(lang, ""),
                "include": c.include.get(lang, ""),
                "exclude": c.exclude.get(lang, ""),
                "values": ", ".join(c.values),
            }
            for c in self.codes.values()
        ]
        return pd.DataFrame(rows)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return str(value.get("nl") or value.get("en") or "")
    return str(value)


def _lang_map(value: Any) -> dict[str, str]:
    """Texts by language. A plain string, or texts only in other languages (a Hungarian
    project's code names), stand for every language: better than showing an id."""
    if isinstance(value, dict):
        known = {k: str(v) for k, v in value.items() if k in LANGUAGES and v is not None}
        if known:
            return known
        other = [str(v) for k, v in value.items() if k != "__line__" and v not in (None, "")]
        return dict.fromkeys(LANGUAGES, other[0]) if other else {}
    if value is None:
        return {}
    return dict.fromkeys(LANGUAGES, str(value))


def parse_codebook(data: Any, source: str = "codebook.yml") -> Codebook:
    """Build a :class:`Codebook` from parsed YAML, reporting every structural problem.

    Raises:
        InputError: listing each problem with the YAML line of the offending code.
    """
    problems: list[Problem] = []

    def problem(line: int | None, column: str | None, message: str) -> None:
        problems.append(Problem(source, line, column, message))

    if not isinstance(data, dict) or not isinstance(data.get("codes"), list):
        raise InputError(Problem(source, None, "codes", "expected a mapping with a list 'codes'"))
    codes: dict[str, Code] = {}
    for entry in data["codes"]:
        if not isinstance(entry, dict):
            problem(None, "codes", f"each code must be a mapping, found {entry!r}")
            continue
        line = entry.get("__line__")
        code_id = entry.get("id")
        if not isinstance(code_id, str) or not code_id.strip():
            problem(line, "id", "code without an id")
            continue
        if code_id in codes:
            problem(line, "id", f"code id '{code_id}' is defined twice")
            continue
        level = entry.get("level")
        if level not in LEVELS:
            problem(line, "level", f"'{level}' is not one of {', '.join(LEVELS)} (code {code_id})")
            continue
        label = _lang_map(entry.get("label"))
        if not label:
            problem(line, "label", f"code '{code_id}' has no label")
        rubric_raw = entry.get("rubric") or {}
        rubric: dict[int, str] = {}
        if not isinstance(rubric_raw, dict):
            problem(line, "rubric", f"rubric of '{code_id}' must map scores 0–3 to text")
        else:
            for key, text in rubric_raw.items():
                if key == "__line__":
                    continue
                score = _score(key)
                if score is None:
                    problem(line, "rubric", f"rubric of '{code_id}' has score {key!r}, not 0–3")
                else:
                    rubric[score] = _text(text)
        values = entry.get("values") or []
        if not isinstance(values, list):
            problem(line, "values", f"values of '{code_id}' must be a list")
            values = []
        order = entry.get("order")
        if order is not None and not isinstance(order, int):
            problem(line, "order", f"order of '{code_id}' must be an integer")
            order = None
        parent = entry.get("parent")
        codes[code_id] = Code(
            id=code_id,
            parent=str(parent) if parent not in (None, "") else None,
            level=level,
            label=label,
            definition=_lang_map(entry.get("definition")),
            include=_lang_map(entry.get("include")),
            exclude=_lang_map(entry.get("exclude")),
            rubric=rubric,
            values=tuple(str(v) for v in values),
            rated=_flag(entry.get("rated"), line, "rated", code_id, problem),
            order=order,
            line=line,
            color=_text(entry.get("color")).strip(),
            tool=_text(entry.get("tool")).strip(),
            tool_guid=_text(entry.get("tool_guid")).strip(),
        )
    for code in codes.values():
        if code.parent is not None and code.parent not in codes:
            problem(code.line, "parent", f"parent '{code.parent}' of '{code.id}' is not a code")
    # cycles
    for code in codes.values():
        seen = {code.id}
        current = code.parent
        while current in codes:
            if current in seen:
                problem(code.line, "parent", f"code '{code.id}' is its own ancestor")
                break
            seen.add(current)
            current = codes[current].parent
    scale_raw = data.get("scale") or {s: {"nl": str(s), "en": str(s)} for s in SCORES}
    scale: dict[int, dict[str, str]] = {}
    if not isinstance(scale_raw, dict):
        problem(
            None, "scale", "scale must map the scores 0–3 to their words, e.g. '2: {nl: matig}'"
        )
        scale_raw = {}
    for key, words in scale_raw.items():
        if key == "__line__":
            continue
        score = _score(key)
        if score is None:
            problem(scale_raw.get("__line__"), "scale", f"scale has the score {key!r}, not 0–3")
        else:
            scale[score] = _lang_map(words)
    meta_raw = data.get("meta") or {}
    if not isinstance(meta_raw, dict):
        problem(None, "meta", "meta must be a mapping (title: …, language: …)")
        meta_raw = {}
    if problems:
        raise InputError(problems)
    meta = {k: v for k, v in meta_raw.items() if k != "__line__"}
    return Codebook(codes=codes, scale=scale, meta=meta, source=source)


def _score(key: object) -> int | None:
    """A score 0–3 written as a YAML key (``2`` or ``'2'``), else ``None``."""
    try:
        score = int(str(key).strip())
    except ValueError:
        return None
    return score if score in SCORES else None


def _flag(value: object, line: int | None, column: str, code_id: str, problem) -> bool:
    """A yes/no field: YAML's true/false, also when quoted ('false'), or 0/1."""
    if value is None or isinstance(value, bool):
        return bool(value)
    text = str(value).strip().casefold()
    if text in {"true", "yes", "ja", "1"}:
        return True
    if text in {"false", "no", "nee", "0", ""}:
        return False
    problem(line, column, f"{column} of '{code_id}' must be true or false, not {value!r}")
    return False


def load_codebook(path: Path) -> Codebook:
    """Read and check ``codebook.yml``.

    Raises:
        InputError: the file is missing, not YAML, or structurally wrong.
    """
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise InputError(Problem(path.name, None, None, "codebook is missing"))
    text = read_yaml_text(path)  # bounded, no aliases: PyYAML would expand them without end
    return parse_codebook(load_yaml(text, path.name, _LineLoader), source=path.name)
