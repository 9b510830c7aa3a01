"""A mapping skeleton: every code, case, set, document and user of a project, ready to fill in.

``python -m botu import X.qdpx --into D --write-mapping mapping.yml`` writes it instead of
importing. Left as written, it imports exactly as no mapping would: each entry holds the id the
import would derive; ``null`` under ``factors:`` leaves a code in the group 'unassigned'.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

import yaml

from botu.errors import InputError, Problem
from botu.io import make_shareable
from botu.qdpx.positions import TOOLS
from botu.qdpx.read import ToolProject
from botu.qdpx.tables import plain_id, snake_id


def _section(title: str, comment: str, entries: dict) -> str:
    lines = [f"# {line}" for line in comment.splitlines()]
    if not entries:
        lines.append(f"{title}: {{}}")
        return "\n".join(lines)
    body = yaml.safe_dump(
        {title: entries}, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
    return "\n".join(lines) + "\n" + body.rstrip("\n")


def skeleton_text(
    project: ToolProject, tool: str, source: Path, code_ids: dict, coder_ids: dict
) -> str:
    """The skeleton as YAML text with comments; ``code_ids`` and ``coder_ids``: tool GUID ->
    the id the import gives the code or user without a mapping."""
    case_guids = {c.guid for c in project.cases}
    codes = {
        code.path: code_ids.get(code.guid) or snake_id(code.name)
        for code in project.codes.values()
        if code.guid not in case_guids
    }
    tops = {
        code.path: None
        for code in project.codes.values()
        if code.parent is None and code.guid not in case_guids
    }
    teams = {c.name: plain_id(c.name, "T01") for c in project.cases if c.name}
    text_sources = {s.guid for s in project.sources}
    sets = [st for st in project.sets if set(st.sources) & text_sources]
    names = Counter(s.name for s in project.sources)
    # {}: the import's own choices; a name two sources share would match both: their GUIDs
    documents = {(s.name if names[s.name] == 1 else s.guid): {} for s in project.sources}
    user_names = Counter(u.name for u in project.users.values())
    coders = {
        (u.name if u.name and user_names[u.name] == 1 else u.guid): coder_ids[u.guid]
        for u in project.users.values()
    }
    set_names = [
        "  "
        + yaml.safe_dump(
            {st.name: {"team_id": plain_id(st.name, "T01")}},
            allow_unicode=True,
            default_flow_style=None,
            width=200,
        ).strip()
        for st in sets
    ]
    parts = [
        f"# Mapping for {source.name} ({TOOLS[tool]}"
        + (f", {project.origin}" if project.origin else "")
        + "), written by python -m botu import --write-mapping.",
        "# Each entry holds what the import would do without a mapping: edit what you want to",
        "# change, delete what you don't need. Keys are the tool's names (or GUIDs).",
        "",
        "# Language of the tool's code names and descriptions (nl, en, or e.g. hu); unset: none.",
        "language: null",
        "",
        "# Who is a coding's coder: 'coding' (its creator) or 'selection' (the selection's).",
        "coder_from: coding",
        "",
        _section(
            "factors",
            "The factor (or any codebook code) each top-level tool code belongs under:\n"
            "hulpbronnen, bewonersinitiatief, netwerkaansluiting, responsiviteit, barrieres, or a\n"
            "code of your codebook. null: stays in the group 'unassigned'.",
            tops,
        ),
        "",
        _section(
            "codes",
            "Tool code (path) -> codebook id. Put an existing codebook id (e.g. hb_kennis) to\n"
            "merge a tool code into it; null leaves the code (and its codings) out.",
            codes,
        ),
        "",
        _section(
            "teams",
            "Tool case or document set -> team id (or columns: {team_id: T01, name: ...,\n"
            "coalition_type: nieuw}). An entry that matches no case or set defines a team.\n"
            "Without cases and sets the whole project is one team."
            + ("\nDocument sets of the project, to use as teams if they are:\n" if sets else "")
            + "\n".join(set_names),
            teams,
        ),
        "",
        _section(
            "documents",
            "Tool source (name, or a pattern such as 'Interview*') -> the columns of documents\n"
            "to set, e.g. {kind: interview, respondent_id: R-T01-01}: document_id, team_id, kind\n"
            "(interview, document, observatie), phase, date, respondent_id. {} keeps the import's\n"
            "choice (kind document, id from the name) and what you wrote in documents.csv;\n"
            "a value given here is written again on every import.",
            documents,
        ),
        "",
        _section(
            "coders",
            "Tool user -> coder id. Use pseudonyms or initials, never a real name; two names\n"
            "of one person may map to the same id.",
            coders,
        ),
        "",
    ]
    return "\n".join(parts)


def write_skeleton(
    project: ToolProject, tool: str, source: Path, target: Path, code_ids: dict, coder_ids: dict
) -> Path:
    """Write the skeleton to ``target`` (never over an existing file: it may be filled in)."""
    if target.is_dir():
        raise InputError(Problem(str(target), None, None, "is a folder; give a file name"))
    if target.exists() or target.is_symlink():
        raise InputError(
            Problem(str(target), None, None, "exists already; give a new file name for the mapping")
        )
    text = skeleton_text(project, tool, source, code_ids, coder_ids)
    handle = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=target.parent, prefix=f".{target.name}.", delete=False
        ) as handle:
            handle.write(text)
        make_shareable(Path(handle.name)).replace(target)
    except OSError as exc:
        if handle is not None:
            Path(handle.name).unlink(missing_ok=True)
        raise InputError(
            Problem(str(target), None, None, f"cannot be written ({exc.strerror or exc})")
        ) from None
    return target
