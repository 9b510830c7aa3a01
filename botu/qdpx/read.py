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
# source kinds that cannot be coded as text, as the import summary names them
KIND_LABELS = {
    "PDFSource": "PDF source(s)",
    "PDFSelection": "PDF region selection(s)",
    "PictureSource": "picture(s)",
    "AudioSource": "audio source(s)",
    "VideoSource": "video source(s)",
    "TextSource": "text source(s) whose text file is missing (kept as documents without segments)",
    "PDFSource-text": "PDF source(s) whose text file is missing (kept as documents without "
    "segments)",
}
MEDIA_SELECTIONS = {
    "PDFSource": ("PDFSelection",),
    "PictureSource": ("PictureSelection",),
    "AudioSource": ("AudioSelection", "TranscriptSelection"),
    "VideoSource": ("VideoSelection", "TranscriptSelection"),
}
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
    color: str = ""


@dataclass
class ToolSet:
    """A set (ATLAS.ti document or code group, MAXQDA document set): members by GUID."""

    guid: str
    name: str
    sources: list[str]
    codes: list[str]


@dataclass
class LeftOut:
    """What an import could not take, per kind of source: sources, selections, codings."""

    sources: Counter = field(default_factory=Counter)
    selections: Counter = field(default_factory=Counter)
    codings: Counter = field(default_factory=Counter)

    def add(self, kind: str, sources: int, selections: int, codings: int) -> None:
        self.sources[kind] += sources
        self.selections[kind] += selections
        self.codings[kind] += codings

    def describe(self) -> str:
        """E.g. "1 picture(s) with 1 selection(s), 2 coding(s); 4 PDF region selection(s)…"."""
        parts = []
        for kind in sorted(set(+self.sources) | set(+self.selections)):
            label = KIND_LABELS.get(kind, kind)
            n, sel, cod = self.sources[kind], self.selections[kind], self.codings[kind]
            if n:
                parts.append(
                    f"{n} {label}" + (f" with {sel} selection(s), {cod} coding(s)" if sel else "")
                )
            else:
                parts.append(f"{sel} {label}, {cod} coding(s)")
        return "; ".join(parts)

    def __bool__(self) -> bool:
        return bool(+self.sources) or bool(+self.selections)


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
    left_out: LeftOut  # non-text sources and text sources without their text
    ignored: Counter
    problems: list[Problem]
    warnings: list[Problem]
    sets: list[ToolSet] = field(default_factory=list)
    description: str = ""


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


def _nest_by_name(codes: dict[str, ToolCode]) -> dict[str, ToolCode]:
    """ATLAS.ti writes a flat code list and shows a hierarchy by name: ``Coke::diet Coke``
    belongs under the code ``Coke`` when there is one. Nest such codes the same way."""
    top = {c.name: c for c in codes.values() if c.parent is None and "::" not in c.name}
    for code in codes.values():
        if code.parent is not None or "::" not in code.name:
            continue
        prefix, _, rest = code.name.partition("::")
        parent = top.get(prefix.strip())
        if parent is not None and rest.strip():
            code.parent = parent.guid
            code.name = rest.strip()
            code.path = f"{parent.name}/{code.name}"
    return codes


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
    def __init__(self, archive: SafeArchive | None, member: str, root: ET.Element, label: str = ""):
        self.archive = archive
        self.member = member
        self.label = label or f"{archive.label}[{member}]"
        self.folder = SafeArchive.folder_of(member) if archive else ""
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
        book = self.root if local(self.root.tag) == "CodeBook" else child(self.root, "CodeBook")
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
                color=(el.get("color") or "").strip(),
            )
            codes[guid] = code
            stack.extend((sub, code, depth + 1) for sub in reversed(children(el, "Code")))
        return _nest_by_name(codes)

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

    def sources(self, strict: bool = False) -> tuple[list[ToolSource], LeftOut]:
        """Text sources (and PDFs with a text representation), with their selections.

        What cannot be coded as text is counted in the returned :class:`LeftOut`: pictures,
        audio, video, PDF region selections, and text sources whose text file is not in the
        archive (their selections cannot be sliced). Such a text source is still a document,
        without segments; with ``strict`` a missing text file is an error instead.
        """
        block = child(self.root, "Sources")
        sources: list[ToolSource] = []
        left_out = LeftOut()
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
            if kind in MEDIA_SELECTIONS:
                media = [sel for sel in el.iter() if local(sel.tag) in MEDIA_SELECTIONS[kind]]
                codings = sum(len(children(sel, "Coding")) for sel in media)
                if kind == "PDFSource":
                    left_out.add("PDFSelection", 0, len(media), codings)
                    text_element = child(el, "Representation")
                    if text_element is None:
                        left_out.add(kind, 1, 0, 0)
                        continue
                else:
                    left_out.add(kind, 1, len(media), codings)
                    continue
            elif kind != "TextSource":
                left_out.add(kind, 1, 0, 0)
                continue
            selections = self._selections(text_element, where)
            if children(text_element, "Coding") or children(el, "Coding"):
                self.warn(f"{where}: codings of the whole source (not of a selection) ignored")
            text, why = self._text(text_element)
            if text is None:
                n_codings = sum(len(x.codings) for x in selections)
                if selections and strict:
                    self.error(
                        f"{where}: {why}, so its {len(selections)} selection(s) cannot be read"
                    )
                elif selections:
                    missing = "TextSource" if kind == "TextSource" else "PDFSource-text"
                    left_out.add(missing, 1, len(selections), n_codings)
                    self.warn(
                        f"{where}: {why}; imported as a document without segments, its "
                        f"{len(selections)} selection(s) left out"
                    )
                    selections = []
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
        return sources, left_out

    def sets(self) -> list[ToolSet]:
        block = child(self.root, "Sets")
        return [
            ToolSet(
                guid=norm_guid(el.get("guid")),
                name=(el.get("name") or "").strip(),
                sources=[norm_guid(m.get("targetGUID")) for m in children(el, "MemberSource")],
                codes=[norm_guid(m.get("targetGUID")) for m in children(el, "MemberCode")],
            )
            for el in (children(block, "Set") if block is not None else [])
        ]


def read_project(
    archive: SafeArchive, member: str, root: ET.Element, *, strict: bool = False
) -> ToolProject:
    """Everything the import uses from a parsed project file; problems are collected."""
    reader = _Reader(archive, member, root)
    if local(root.tag) != "Project":
        reader.error(
            f"the root element is <{local(root.tag)}>, not <Project>: not a REFI-QDA project file"
        )
    sources, left_out = reader.sources(strict)
    ignored: Counter = Counter()
    for block in root:
        name = local(block.tag)
        if name in ("Graphs", "Links"):
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
        left_out=left_out,
        ignored=ignored,
        problems=reader.problems,
        warnings=reader.warnings,
        sets=reader.sets(),
        description=child_text(root, "Description").strip(),
    )


def read_codebook(root: ET.Element, label: str) -> ToolProject:
    """A REFI-QDA codebook (``.qdc``, root ``<CodeBook>``) as a project with codes only."""
    reader = _Reader(None, "", root, label=label)
    if local(root.tag) != "CodeBook":
        reader.error(
            f"the root element is <{local(root.tag)}>, not <CodeBook>: not a REFI-QDA codebook"
        )
    return ToolProject(
        name=root.get("name") or "",
        origin=root.get("origin") or "",
        users={},
        codes=reader.codes(),
        variables={},
        cases=[],
        sources=[],
        left_out=LeftOut(),
        ignored=Counter(),
        problems=reader.problems,
        warnings=reader.warnings,
        sets=reader.sets(),
    )
