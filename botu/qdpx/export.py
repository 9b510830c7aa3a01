"""Writing our codebook (``.qdc``) and data set (``.qdpx``) in the REFI-QDA exchange format.

Both are valid against the shipped schemas and byte-for-byte deterministic: GUIDs are uuid5
of our ids (:func:`botu.qdpx.xml.botu_guid`), zip members carry a fixed timestamp.

Codes keep our id as their name (so that any tool's export of them maps back without a
mapping file); the label, definition and include/exclude rules form the ``<Description>``.
Codes that are not segment codes are exported with ``isCodable="false"``.

In a project export, teams are cases (our columns as case variables, ``team_id`` included),
documents are text sources (our columns as source variables), built from their segments: each
segment's text stands at its ``start``..``end`` (code points), the rest is blank. Segments are
selections named by their ``segment_id``; a coding's ``value`` is a note named ``botu:value``.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pandas as pd

from botu import __version__
from botu.codebook import Code, Codebook, load_codebook
from botu.errors import InputError, Problem
from botu.io import FIXED_TIMESTAMP, atomic_path
from botu.qdpx.read import VALUE_NOTE
from botu.qdpx.xml import NS_CODEBOOK, NS_PROJECT, botu_guid, is_guid, schema_errors
from botu.schema import TABLES

ORIGIN = f"botu {__version__}"
SOURCES_FOLDER = "sources"
_VARIABLE_TYPES = {
    "int": "Integer",
    "score": "Integer",
    "float": "Float",
    "bool": "Boolean",
    "date": "Date",
}
_VALUE_TAGS = {
    "Integer": "IntegerValue",
    "Float": "FloatValue",
    "Boolean": "BooleanValue",
    "Date": "DateValue",
    "Text": "TextValue",
}


def _el(ns: str, tag: str, parent: ET.Element | None = None, **attrs: str) -> ET.Element:
    """An element in namespace ``ns``: the root declares it as the default namespace, so
    tags stay unqualified (ElementTree cannot mix a default namespace with plain attributes)."""
    attributes = {k: v for k, v in attrs.items() if v is not None}
    if parent is None:
        return ET.Element(tag, {"xmlns": ns, **attributes})
    return ET.SubElement(parent, tag, attributes)


def _tostring(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def _check(data: bytes, kind: str) -> None:
    errors = schema_errors(data, kind)
    if errors:  # a bug here, not a problem of the researcher's data
        raise RuntimeError(f"our {kind} export is not schema-valid: {'; '.join(errors[:5])}")


# --- codebook ----------------------------------------------------------------------------


def code_description(code: Code, lang: str = "nl") -> str:
    """Label (first line), definition and include/exclude rules of a code as one text."""
    other = "en" if lang == "nl" else "nl"
    parts = []
    parts.append(code.label.get(lang) or code.label.get(other) or code.id)
    definition = code.definition.get(lang) or code.definition.get(other) or ""
    if definition:
        parts.append(definition)
    for word, rule in (("Include", code.include), ("Exclude", code.exclude)):
        text = rule.get(lang) or rule.get(other) or ""
        if text:
            parts.append(f"{word}: {text}")
    return "\n".join(parts)


def _codes(ns: str, parent: ET.Element, codebook: Codebook, parent_id: str | None) -> None:
    for code in codebook.codes.values():
        if code.parent != parent_id:
            continue
        attributes = {"color": code.color} if re.fullmatch(r"#[0-9A-Fa-f]{6}", code.color) else {}
        element = _el(
            ns,
            "Code",
            parent,
            # a code imported from a tool keeps its GUID, so coding goes on against the same code
            guid=code.tool_guid if is_guid(code.tool_guid) else botu_guid("code", code.id),
            name=code.id,
            isCodable="true" if code.level == "segment" else "false",
            **attributes,
        )
        description = code_description(code)
        if description:
            _el(ns, "Description", element).text = description
        _codes(ns, element, codebook, code.id)


def codebook_xml(codebook: Codebook) -> bytes:
    """The codebook as a REFI-QDA codebook document (``urn:QDA-XML:codebook:1.0``)."""
    if not codebook.codes:
        raise InputError(Problem(codebook.source, None, "codes", "has no codes to export"))
    root = _el(NS_CODEBOOK, "CodeBook", origin=ORIGIN)
    _codes(NS_CODEBOOK, _el(NS_CODEBOOK, "Codes", root), codebook, None)
    data = _tostring(root)
    _check(data, "codebook")
    return data


def export_codebook(codebook: str | Path | Codebook, target: str | Path) -> Path:
    """Write ``codebook`` (a :class:`~botu.codebook.Codebook`, a ``codebook.yml`` or a raw
    folder holding one) to ``target`` as a REFI-QDA ``.qdc`` file, atomically.

    Raises:
        InputError: the codebook is missing or invalid.
    """
    if not isinstance(codebook, Codebook):
        path = Path(codebook)
        codebook = load_codebook(path / "codebook.yml" if path.is_dir() else path)
    data = codebook_xml(codebook)
    target = Path(target)
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return target


# --- project -----------------------------------------------------------------------------


def _is_missing(value: object) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text_value(kind: str, value: object) -> str:
    if kind == "Boolean":
        return "true" if bool(value) else "false"
    if kind == "Integer":
        return str(int(value))
    if kind == "Date":
        return pd.Timestamp(value).date().isoformat()
    if kind == "Float":
        return repr(float(value))
    return str(value)


def _layout(document_id: str, segments: pd.DataFrame) -> tuple[str, dict[str, tuple[int, int]]]:
    """The plain text of a document rebuilt from its segments, and each segment's span.

    Each text stands at its own start..end (code points), the gaps blank; when positions and
    texts disagree (length, or overlapping segments quoting different text), the segments are
    laid out one after the other instead, and a warning says so.
    """
    rows = list(segments.sort_values(["start", "end"]).itertuples(index=False))
    chars: list[str | None] = [None] * (max((int(r.end) for r in rows), default=0))
    ok = all(len(r.text) == int(r.end) - int(r.start) for r in rows)
    if ok:
        for r in rows:
            for k, ch in enumerate(r.text):
                here = chars[int(r.start) + k]
                if here is not None and here != ch:
                    ok = False
                    break
                chars[int(r.start) + k] = ch
    if ok:
        text = "".join(c if c is not None else " " for c in chars)
        return text, {r.segment_id: (int(r.start), int(r.end)) for r in rows}
    warnings.warn(
        f"document {document_id}: segment positions do not match their texts; exported "
        "with the segments one after the other (positions changed)",
        stacklevel=3,
    )
    text, spans = "", {}
    for r in rows:
        if text:
            text += "\n\n"
        spans[r.segment_id] = (len(text), len(text) + len(r.text))
        text += r.text
    return text, spans


def project_archive(raw_dir: str | Path, name: str | None = None) -> dict[str, bytes]:
    """The members of a ``.qdpx`` for the data set in ``raw_dir`` (validated first)."""
    from botu.dataset import load_dataset

    data = load_dataset(raw_dir)
    ns = NS_PROJECT
    tables = data.tables
    codings = tables["codings"]
    root = _el(
        ns,
        "Project",
        name=name or Path(raw_dir).resolve().parent.parent.name or "botu",
        origin=ORIGIN,
    )
    coders = sorted(set(codings["coder_id"].dropna()))
    if coders:
        users = _el(ns, "Users", root)
        for coder in coders:
            _el(ns, "User", users, guid=botu_guid("user", coder), name=coder, id=coder)
    if data.codebook.codes:
        _codes(ns, _el(ns, "Codes", _el(ns, "CodeBook", root)), data.codebook, None)

    def columns(table: str, skip: tuple[str, ...]) -> list[tuple[str, str]]:
        frame = tables[table]
        return [
            (c.name, _VARIABLE_TYPES.get(c.kind, "Text"))
            for c in TABLES[table].columns
            if c.name not in skip and c.name in frame and frame[c.name].notna().any()
        ]

    team_columns = columns("teams", ("name",))
    document_columns = columns("documents", ("team_id",))
    variables: dict[str, str] = {}
    for column, kind in [*team_columns, *document_columns]:
        variables.setdefault(column, kind)
    if variables:
        block = _el(ns, "Variables", root)
        for column, kind in variables.items():
            _el(
                ns,
                "Variable",
                block,
                guid=botu_guid("variable", column),
                name=column,
                typeOfVariable=kind,
            )

    def values(parent: ET.Element, row: pd.Series, cols: list[tuple[str, str]]) -> None:
        for column, _ in cols:
            value = row[column]
            if _is_missing(value):
                continue
            kind = variables[column]
            vv = _el(ns, "VariableValue", parent)
            _el(ns, "VariableRef", vv, targetGUID=botu_guid("variable", column))
            _el(ns, _VALUE_TAGS[kind], vv).text = _text_value(kind, value)

    documents = tables["documents"]
    if len(tables["teams"]):
        cases = _el(ns, "Cases", root)
        for _, team in tables["teams"].iterrows():
            case = _el(
                ns, "Case", cases, guid=botu_guid("team", team["team_id"]), name=str(team["name"])
            )
            values(case, team, team_columns)
            for document_id in documents.loc[
                documents["team_id"] == team["team_id"], "document_id"
            ]:
                _el(ns, "SourceRef", case, targetGUID=botu_guid("document", document_id))

    members: dict[str, bytes] = {}
    notes: list[tuple[str, str]] = []
    segments = tables["segments"]
    by_segment = {k: g for k, g in codings.groupby("segment_id", sort=False)}
    sources = _el(ns, "Sources", root) if len(documents) else None
    for _, document in documents.iterrows():
        document_id = document["document_id"]
        guid = botu_guid("document", document_id)
        title = (
            document["title"]
            if "title" in document and not _is_missing(document["title"])
            else document_id
        )
        source = _el(
            ns,
            "TextSource",
            sources,
            guid=guid,
            name=str(title),
            plainTextPath=f"internal://{guid}.txt",
        )
        own = segments[segments["document_id"] == document_id]
        text, spans = _layout(document_id, own)
        members[f"{SOURCES_FOLDER}/{guid}.txt"] = text.encode("utf-8")
        for segment_id, (start, end) in sorted(spans.items(), key=lambda kv: kv[1]):
            coded = by_segment.get(segment_id)
            first = None if coded is None or not len(coded) else coded.iloc[0]["coder_id"]
            selection = _el(
                ns,
                "PlainTextSelection",
                source,
                guid=botu_guid("segment", segment_id),
                name=segment_id,
                startPosition=str(start),
                endPosition=str(end),
                creatingUser=botu_guid("user", first) if first else None,
            )
            for _, coding in coded.iterrows() if coded is not None else []:
                key = f"{segment_id}:{coding['code_id']}:{coding['coder_id']}"
                element = _el(
                    ns,
                    "Coding",
                    selection,
                    guid=botu_guid("coding", key),
                    creatingUser=botu_guid("user", coding["coder_id"]),
                )
                _el(ns, "CodeRef", element, targetGUID=botu_guid("code", coding["code_id"]))
                if not _is_missing(coding["value"]):
                    note = botu_guid("value", key)
                    _el(ns, "NoteRef", element, targetGUID=note)
                    notes.append((note, str(coding["value"])))
        values(source, document, document_columns)
    if notes:
        block = _el(ns, "Notes", root)
        for guid, value in notes:
            note = _el(ns, "Note", block, guid=guid, name=VALUE_NOTE)
            _el(ns, "PlainTextContent", note).text = value
    project = _tostring(root)
    _check(project, "project")
    return {"project.qde": project, **members, **sidecar_members(raw_dir, data)}


SIDECAR = "botu"  # folder in the archive with what REFI-QDA has no place for
SIDECAR_TABLES = ("actors", "memberships", "respondents", "ratings")


def sidecar_members(raw_dir: str | Path, data) -> dict[str, bytes]:
    """The codebook and the tables REFI-QDA cannot hold, as files under ``botu/``.

    QDA tools ignore (and drop on their own export) files they do not know; botu's import
    reads them back, so a botu → .qdpx → botu round trip keeps every table and the codebook.
    """
    members = {f"{SIDECAR}/codebook.yml": (Path(raw_dir) / "codebook.yml").read_bytes()}
    for name in SIDECAR_TABLES:
        frame = data.tables[name].astype(object)
        for column in frame.columns:
            if pd.api.types.is_bool_dtype(data.tables[name][column]):
                frame[column] = frame[column].map({True: "true", False: "false"})
        if name == "ratings":  # a missing score is written NA ("the material says nothing")
            frame["score"] = frame["score"].where(frame["score"].notna(), "NA")
        members[f"{SIDECAR}/{name}.csv"] = frame.to_csv(
            index=False, lineterminator="\n", na_rep=""
        ).encode("utf-8")
    return members


def export_project(raw_dir: str | Path, target: str | Path, *, name: str | None = None) -> Path:
    """Write the data set in ``raw_dir`` to ``target`` as a REFI-QDA ``.qdpx``, atomically.

    The data set must be valid (:func:`botu.dataset.load_dataset`). Importing the result
    (:func:`botu.qdpx.import_project`) gives back the same tables and codebook: segments,
    codings, documents, teams and codes travel in the standard's elements; the codebook and
    actors, memberships, respondents and ratings, which the standard has no place for, in a
    ``botu/`` folder of the archive that QDA tools ignore.

    Raises:
        InputError: the data set does not validate.
    """
    members = project_archive(raw_dir, name)
    target = Path(target)
    with atomic_path(target) as tmp, zipfile.ZipFile(tmp, "w") as archive:
        for member, data in members.items():
            info = zipfile.ZipInfo(member, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return target
