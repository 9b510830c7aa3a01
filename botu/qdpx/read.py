"""Reading the project file (``*.qde``) of a ``.qdpx`` into plain Python objects.

Only what the import needs is read: users, the code tree, variables, cases, text sources (with
their plain text from the archive) and their selections and codings. Element and attribute
names are matched without namespace; GUIDs are normalised (:func:`botu.qdpx.xml.norm_guid`),
since tools write them in upper or lower case, with or without braces.
"""

from __future__ import annotations

import codecs
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from botu.errors import Problem
from botu.qdpx.archive import SafeArchive
from botu.qdpx.xml import child, child_text, children, describe, local, norm_guid

VALUE_ELEMENTS = (
    "TextValue",
    "BooleanValue",
    "IntegerValue",
    "FloatValue",
    "DateValue",
    "DateTimeValue",
)
VALUE_NOTE = "botu:value"  # name of the Note that carries codings.value in our exports
MAX_CODE_DEPTH = 100  # a code tree deeper than this is refused (real ones have a handful)


@dataclass
class ToolUser:
    guid: str
    name: str
    id: str


@dataclass
class ToolCode:
    guid: str
    name: str
    path: str
    description: str
    codable: bool
    parent: str | None


@dataclass
class ToolCoding:
    code: str
    user: str
    value: str | None


@dataclass
class ToolSelection:
    label: str
    guid: str
    name: str
    start: str
    end: str
    user: str
    codings: list[ToolCoding] = field(default_factory=list)


@dataclass
class ToolSource:
    label: str
    guid: str
    name: str
    user: str
    text: str | None
    selections: list[ToolSelection] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)


@dataclass
class ToolCase:
    guid: str
    name: str | None
    variables: dict[str, str]
    sources: list[str]


@dataclass
class ToolProject:
    name: str
    origin: str
    users: dict[str, ToolUser]
    codes: dict[str, ToolCode]  # in tree (pre-)order
    variables: dict[str, str]  # guid -> name
    cases: list[ToolCase]
    sources: list[ToolSource]
    skipped_sources: Counter
    ignored: Counter
    problems: list[Problem]
    warnings: list[Problem]


def decode_text(data: bytes) -> str:
    """Plain text of a source: UTF-8 (or UTF-16 with its mark); a byte-order mark is dropped.

    Raises:
        UnicodeDecodeError: the bytes are not text in those encodings.
    """
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16: same start
        return data.decode("utf-32")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    text = data.decode("utf-8")
    if "\x00" in text:  # valid UTF-8, but NULs: UTF-16 or UTF-32 without a byte-order mark
        raise UnicodeDecodeError(
            "utf-8",
            data,
            text.index("\x00"),
            text.index("\x00") + 1,
            "NUL characters (UTF-16/32 without a byte-order mark?)",
        )
    return text[1:] if text.startswith("\ufeff") else text


def _values(element: ET.Element) -> dict[str, str]:
    """``VariableValue`` children: variable GUID -> value as text."""
    values: dict[str, str] = {}
    for vv in children(element, "VariableValue"):
        ref = child(vv, "VariableRef")
        if ref is None:
            continue
        value = next((c for c in vv if local(c.tag) in VALUE_ELEMENTS), None)
        values[norm_guid(ref.get("targetGUID"))] = (
            (value.text or "").strip() if value is not None else ""
        )
    return values


class _Reader:
    def __init__(self, archive: SafeArchive, member: str, root: ET.Element):
        self.archive = archive
        self.member = member
        self.label = f"{archive.label}[{member}]"
        self.folder = SafeArchive.folder_of(member)
        self.root = root
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.notes = self._notes()

    def error(self, message: str) -> None:
        self.problems.append(Problem(self.label, None, None, message))

    def warn(self, message: str) -> None:
        self.warnings.append(Problem(self.label, None, None, message, "warning"))

    # --- simple parts ---------------------------------------------------------------

    def users(self) -> dict[str, ToolUser]:
        users: dict[str, ToolUser] = {}
        block = child(self.root, "Users")
        for el in children(block, "User") if block is not None else []:
            guid = norm_guid(el.get("guid"))
            users[guid] = ToolUser(
                guid, (el.get("name") or "").strip(), (el.get("id") or "").strip()
            )
        return users

    def codes(self) -> dict[str, ToolCode]:
        codes: dict[str, ToolCode] = {}
        book = child(self.root, "CodeBook")
        block = child(book, "Codes") if book is not None else None

        # depth-first, in document order, without recursion (a hostile file may nest deeply)
        stack: list[tuple[ET.Element, ToolCode | None, int]] = [
            (el, None, 1) for el in reversed(children(block, "Code") if block is not None else [])
        ]
        while stack:
            el, parent, depth = stack.pop()
            if depth > MAX_CODE_DEPTH:
                self.error(f"{describe(el)}: codes nested more than {MAX_CODE_DEPTH} deep")
                break
            guid = norm_guid(el.get("guid"))
            name = (el.get("name") or "").strip()
            if not guid:
                self.error(f"{describe(el)} has no guid, so its codings cannot refer to it")
                continue
            if guid in codes:
                self.warn(f"{describe(el)}: the guid is used twice; the first code is kept")
                continue
            code = ToolCode(
                guid=guid,
                name=name,
                path=f"{parent.path}/{name}" if parent else name,
                description=child_text(el, "Description").strip(),
                codable=(el.get("isCodable") or "true").strip().lower() in ("true", "1"),
                parent=parent.guid if parent else None,
            )
            codes[guid] = code
            stack.extend((sub, code, depth + 1) for sub in reversed(children(el, "Code")))
        return codes

    def variables(self) -> dict[str, str]:
        block = child(self.root, "Variables")
        return {
            norm_guid(el.get("guid")): (el.get("name") or "").strip()
            for el in (children(block, "Variable") if block is not None else [])
        }

    def cases(self) -> list[ToolCase]:
        block = child(self.root, "Cases")
        return [
            ToolCase(
                guid=norm_guid(el.get("guid")),
                name=el.get("name"),
                variables=_values(el),
                sources=[norm_guid(r.get("targetGUID")) for r in children(el, "SourceRef")],
            )
            for el in (children(block, "Case") if block is not None else [])
        ]

    def _notes(self) -> dict[str, tuple[str, str]]:
        block = child(self.root, "Notes")
        return {
            norm_guid(el.get("guid")): ((el.get("name") or ""), child_text(el, "PlainTextContent"))
            for el in (children(block, "Note") if block is not None else [])
        }

    # --- sources --------------------------------------------------------------------

    def _member_for(self, path: str) -> str | None:
        """The archive member a ``plainTextPath`` points to (``internal://x.txt`` lives in
        ``sources/`` or ``Sources/``; a relative path is tried as given, too)."""
        value = path.strip()
        if value.lower().startswith("internal://"):
            value = value[len("internal://") :]
        value = value.replace("\\", "/").lstrip("/")
        names = [value]
        if urllib.parse.unquote(value) != value:
            names.append(urllib.parse.unquote(value))
        for name in names:
            for candidate in (
                f"{self.folder}sources/{name}",
                f"{self.folder}{name}",
                name,
            ):
                found = self.archive.find(candidate)
                if found:
                    return found
        return None

    def _text(self, element: ET.Element) -> tuple[str | None, str]:
        """The plain text of a text source element, or ``None`` and why."""
        path = element.get("plainTextPath")
        if path:
            scheme = path.split("://", 1)[0].lower() if "://" in path else ""
            if scheme in ("relative", "absolute", "file", "http", "https"):
                return None, f"its text is stored outside the archive ({path})"
            member = self._member_for(path)
            if member is None:
                return None, f"its plainTextPath '{path}' is not in the archive"
            try:
                return decode_text(self.archive.read(member)), ""
            except UnicodeDecodeError as exc:
                return None, (
                    f"its text file '{member}' is not UTF-8 text (byte {exc.start}: {exc.reason})"
                )
        content = child(element, "PlainTextContent")
        if content is not None:
            return content.text or "", ""
        return None, "it has neither a plainTextPath nor PlainTextContent"

    def _selections(self, element: ET.Element, source_label: str) -> list[ToolSelection]:
        selections = []
        for el in children(element, "PlainTextSelection"):
            label = f"{describe(el)} in {source_label}"
            selection = ToolSelection(
                label=label,
                guid=norm_guid(el.get("guid")),
                name=el.get("name") or "",
                start=(el.get("startPosition") or "").strip(),
                end=(el.get("endPosition") or "").strip(),
                user=norm_guid(el.get("creatingUser") or el.get("modifyingUser")),
            )
            for coding in children(el, "Coding"):
                ref = child(coding, "CodeRef")
                if ref is None or not ref.get("targetGUID"):
                    self.error(f"{describe(coding)} of {label} has no <CodeRef targetGUID=...>")
                    continue
                value = None
                for note_ref in children(coding, "NoteRef"):
                    name, text = self.notes.get(norm_guid(note_ref.get("targetGUID")), ("", ""))
                    if name == VALUE_NOTE:
                        value = text
                selection.codings.append(
                    ToolCoding(
                        code=norm_guid(ref.get("targetGUID")),
                        user=norm_guid(coding.get("creatingUser")),
                        value=value,
                    )
                )
            selections.append(selection)
        return selections

    def sources(self) -> tuple[list[ToolSource], Counter]:
        block = child(self.root, "Sources")
        sources: list[ToolSource] = []
        skipped: Counter = Counter()
        seen_guids: set[str] = set()
        for el in list(block) if block is not None else []:
            kind = local(el.tag)
            name = el.get("name") or ""
            where = f"{describe(el)}"
            guid = norm_guid(el.get("guid"))
            if guid and guid in seen_guids:
                self.warn(
                    f"{where}: another source has the same GUID; both are imported as "
                    "separate documents, check for a duplicate"
                )
            seen_guids.add(guid)
            text_element = el
            if kind == "PDFSource":
                if children(el, "PDFSelection"):
                    skipped["PDFSelection"] += len(children(el, "PDFSelection"))
                text_element = child(el, "Representation")
                if text_element is None:
                    self.warn(f"{where}: a PDF without a text representation, not imported")
                    skipped[kind] += 1
                    continue
            elif kind != "TextSource":
                skipped[kind] += 1
                continue
            selections = self._selections(text_element, where)
            if children(text_element, "Coding") or children(el, "Coding"):
                self.warn(f"{where}: codings of the whole source (not of a selection) ignored")
            text, why = self._text(text_element)
            if text is None:
                if selections and why.startswith("its text is stored outside"):
                    self.warn(f"{where}: {why}; its {len(selections)} selection(s) not imported")
                    selections = []
                elif selections:
                    self.error(
                        f"{where}: {why}, so its {len(selections)} selection(s) cannot be read"
                    )
                else:
                    self.warn(f"{where}: {why}; imported as a document without segments")
            sources.append(
                ToolSource(
                    label=where,
                    guid=norm_guid(el.get("guid")),
                    name=name,
                    user=norm_guid(el.get("creatingUser") or el.get("modifyingUser")),
                    text=text,
                    selections=selections,
                    variables=_values(el),
                )
            )
        return sources, skipped


def read_project(archive: SafeArchive, member: str, root: ET.Element) -> ToolProject:
    """Everything the import uses from a parsed project file; problems are collected."""
    reader = _Reader(archive, member, root)
    if local(root.tag) != "Project":
        reader.error(
            f"the root element is <{local(root.tag)}>, not <Project>: not a REFI-QDA project file"
        )
    sources, skipped = reader.sources()
    ignored: Counter = Counter()
    for block in root:
        name = local(block.tag)
        if name in ("Sets", "Graphs", "Links"):
            ignored[name] += len(list(block))
        elif name == "Notes":  # memos; the notes that carry our coding values are used
            ignored[name] += sum(1 for n, _ in reader.notes.values() if n != VALUE_NOTE)
    ignored = +ignored
    return ToolProject(
        name=root.get("name") or "",
        origin=root.get("origin") or "",
        users=reader.users(),
        codes=reader.codes(),
        variables=reader.variables(),
        cases=reader.cases(),
        sources=sources,
        skipped_sources=skipped,
        ignored=ignored,
        problems=reader.problems,
        warnings=reader.warnings,
    )
