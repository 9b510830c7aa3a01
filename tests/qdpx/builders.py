"""Builders for the REFI-QDA tests: archives written the way each tool writes them.

The archives are built here, following each tool's conventions (tests/fixtures/qdpx/README.md
says which and where they are documented), around one text with emoji (also outside the Basic
Multilingual Plane and joined by zero-width joiners), Windows line ends and a byte-order mark.
"""

from __future__ import annotations

import csv
import html
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from botu.dataset import load_dataset

FIXTURES = Path(__file__).parents[1] / "fixtures" / "qdpx"

TEXT = (
    "Interview met 👩\u200d👩\u200d👧 bewoners\r\n"
    "Wij zijn er trots op 💪🏽 dat het lukt.\r\n"
    "De gemeente 🏛 luistert niet altijd.\r\n"
)
Q1 = "Wij zijn er trots op 💪🏽 dat het lukt."
Q2 = "De gemeente 🏛 luistert niet altijd."
Q3 = "dat het lukt.\r\nDe gemeente"
TEXT2 = "Tweede gesprek: gewoon tekst zonder bijzonderheden.\r\nNog een regel."
Q4 = "gewoon tekst"


def tool_offset(text: str, index: int, units: str, crlf: int) -> int:
    """A tool's position of code point ``index`` (independent of botu's implementation)."""
    prefix = text[:index]
    n = {
        "utf16": len(prefix.encode("utf-16-le")) // 2,
        "utf8": len(prefix.encode("utf-8")),
    }.get(units, len(prefix))
    return n - prefix.count("\r\n") if crlf == 1 else n


def gid(key: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{key}.test"))


@dataclass
class Style:
    origin: str
    qde: str = "project.qde"
    folder: str = "sources"
    units: str = "codepoints"
    crlf: int = 2
    upper: bool = False  # GUIDs in upper case
    braces: bool = False  # references (targetGUID, creatingUser) in {braces}
    bom_text: bool = False
    bom_xml: bool = False
    names: str = "none"  # none | prefix | quote
    per_coding: bool = False  # one selection per coding (QualCoder)
    path: str = "internal"  # internal | relative
    user_ids: bool = False
    nameless_case: bool = False  # document variables in a nameless case (MAXQDA)
    memo_selection: bool = False  # a selection without coding (MAXQDA)
    case_as_code: bool = False  # NVivo: a case exported as a code as well
    categories_codable: bool = True
    extra: str = ""  # raw XML inserted before </Project>


STYLES = {
    "atlasti": Style(
        origin="ATLAS.ti 23.2.1 (Windows)",
        qde="Interviews BoTu.qde",
        units="utf16",
        crlf=1,
        upper=True,
        names="prefix",
    ),
    "maxqda": Style(
        origin="MAXQDA 2022 (Release 22.7.0)",
        units="utf16",
        crlf=1,
        upper=True,
        braces=True,
        user_ids=True,
        nameless_case=True,
        memo_selection=True,
    ),
    "nvivo": Style(
        origin="NVivo 14",
        folder="Sources",
        units="utf16",
        crlf=2,
        bom_text=True,
        case_as_code=True,
    ),
    "qualcoder": Style(
        origin="QualCoder 3.5",
        folder="Sources",
        crlf=1,
        bom_xml=True,
        names="quote",
        per_coding=True,
        categories_codable=False,
    ),
}

# (source, quote, code, user) — the coding the scenario makes, in every tool
CODINGS = [
    ("s1", Q1, "trots", "anna"),
    ("s1", Q1, "trots", "bram"),
    ("s1", Q2, "gemeente", "anna"),
    ("s1", Q3, "kennis", "bram"),
    ("s2", Q4, "kennis", "anna"),
]
SOURCES = {"s1": ("Interview A.txt", TEXT), "s2": ("Interview B.txt", TEXT2)}


@dataclass
class Project:
    style: Style
    codings: list = field(default_factory=lambda: list(CODINGS))
    sources: dict = field(default_factory=lambda: dict(SOURCES))


def build_qdpx(target: Path, style: Style, *, codings=CODINGS, sources=SOURCES) -> Path:
    """Write a .qdpx the way ``style``'s tool does, for the scenario above."""

    def g(key: str) -> str:
        value = gid(key)
        return value.upper() if style.upper else value

    def ref(key: str) -> str:
        return "{" + g(key) + "}" if style.braces else g(key)

    def a(value: str) -> str:
        return html.escape(value, quote=True)

    users = "".join(
        f'<User guid="{g(u)}" name="{u.capitalize()}"'
        + (f' id="{u[:2].upper()}"' if style.user_ids else "")
        + "/>"
        for u in ("anna", "bram")
    )
    codable = "true" if style.categories_codable else "false"
    case_code = (
        f'<Code guid="{g("case")}" name="Team Zorg" isCodable="true"/>'
        if style.case_as_code
        else ""
    )
    codebook = (
        "<CodeBook><Codes>"
        f'<Code guid="{g("hulp")}" name="Hulpbronnen" isCodable="{codable}">'
        "<Description>Wat teams inbrengen.</Description>"
        f'<Code guid="{g("kennis")}" name="Kennis" isCodable="true"/>'
        f'<Code guid="{g("trots")}" name="Trots op de wijk" isCodable="true"/>'
        "</Code>"
        f'<Code guid="{g("gemeente")}" name="Gemeente" isCodable="true"/>'
        f"{case_code}"
        "</Codes></CodeBook>"
    )
    variables = (
        "<Variables>"
        f'<Variable guid="{g("v-coal")}" name="coalition_type" typeOfVariable="Text"/>'
        f'<Variable guid="{g("v-phase")}" name="sibd_phase_reached" typeOfVariable="Integer"/>'
        f'<Variable guid="{g("v-kind")}" name="kind" typeOfVariable="Text"/>'
        f'<Variable guid="{g("v-colour")}" name="Lievelingskleur" typeOfVariable="Text"/>'
        "</Variables>"
    )
    doc_values = (
        f'<VariableValue><VariableRef targetGUID="{ref("v-kind")}"/>'
        "<TextValue>document</TextValue></VariableValue>"
    )
    nameless = (
        "".join(
            f'<Case guid="{g("file-" + key)}">{doc_values}'
            f'<SourceRef targetGUID="{ref(key)}"/></Case>'
            for key in sources
        )
        if style.nameless_case
        else ""
    )
    cases = (
        "<Cases>"
        f'<Case guid="{g("case")}" name="Team Zorg">'
        f'<VariableValue><VariableRef targetGUID="{ref("v-coal")}"/>'
        "<TextValue>gevestigd</TextValue></VariableValue>"
        f'<VariableValue><VariableRef targetGUID="{ref("v-phase")}"/>'
        "<IntegerValue>2</IntegerValue></VariableValue>"
        f'<VariableValue><VariableRef targetGUID="{ref("v-colour")}"/>'
        "<TextValue>groen</TextValue></VariableValue>"
        + "".join(f'<SourceRef targetGUID="{ref(key)}"/>' for key in sources)
        + f"</Case>{nameless}</Cases>"
    )
    members: dict[str, bytes] = {}
    source_xml = []
    for key, (name, text) in sources.items():
        selections: dict[tuple, list] = {}
        for n, (src, quote, code, user) in enumerate(codings):
            if src != key:
                continue
            group = (quote, n) if style.per_coding else (quote,)
            selections.setdefault(group, []).append((code, user, n))
        parts = []
        for group, items in selections.items():
            quote = group[0]
            i = text.index(quote)
            start = tool_offset(text, i, style.units, style.crlf)
            end = tool_offset(text, i + len(quote), style.units, style.crlf)
            label = {"none": "", "prefix": quote[:18] + "...", "quote": quote}[style.names]
            user = items[0][1]
            coding = "".join(
                f'<Coding guid="{g(f"coding-{n}")}" creatingUser="{ref(u)}">'
                f'<CodeRef targetGUID="{ref(c)}"/></Coding>'
                for c, u, n in items
            )
            parts.append(
                f'<PlainTextSelection guid="{g(f"sel-{key}-{start}-{items[0][2]}")}" '
                f'name="{a(label)}" startPosition="{start}" endPosition="{end}" '
                f'creatingUser="{ref(user)}">{coding}</PlainTextSelection>'
            )
        if style.memo_selection and key == "s1":
            parts.append(
                f'<PlainTextSelection guid="{g("memo")}" name="memo" startPosition="0" '
                'endPosition="9"><Description>Een memo, geen codering</Description>'
                "</PlainTextSelection>"
            )
        file_name = f"{g(key)}.txt"
        path = (
            f"internal://{file_name}" if style.path == "internal" else f"{style.folder}/{file_name}"
        )
        source_values = doc_values if not style.nameless_case else ""
        source_xml.append(
            f'<TextSource guid="{g(key)}" name="{a(name)}" plainTextPath="{path}" '
            f'creatingUser="{ref("anna")}">{"".join(parts)}{source_values}</TextSource>'
        )
        data = text.encode("utf-8")
        members[f"{style.folder}/{file_name}"] = (b"\xef\xbb\xbf" if style.bom_text else b"") + data
    xml = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="BoTu interviews"'
        f' origin="{a(style.origin)}" creatingUserGUID="{g("anna")}">'
        f"<Users>{users}</Users>{codebook}{variables}{cases}"
        f"<Sources>{''.join(source_xml)}</Sources>{style.extra}</Project>"
    )
    members = {style.qde: (b"\xef\xbb\xbf" if style.bom_xml else b"") + xml.encode(), **members}
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return target


def read_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- the four tools ------------------------------------------------------------------------


def assert_nothing_written(tmp_path: Path, into: Path) -> None:
    assert not into.exists()
    assert not [p for p in into.parent.iterdir() if p.name.startswith(f".{into.name}.")]


def hostile(tmp_path: Path, members: dict[str, bytes], name="hostile.qdpx") -> Path:
    target = tmp_path / name
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return target


VALID_QDE = b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>'


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol9;"/>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&xxe;"/>"""


def typed(raw: Path) -> dict[str, pd.DataFrame]:
    data = load_dataset(raw, strict=False)
    keys = {
        "segments": ["segment_id"],
        "codings": ["segment_id", "code_id", "coder_id"],
        "documents": ["document_id"],
        "teams": ["team_id"],
    }
    return {
        name: data.tables[name].sort_values(key).reset_index(drop=True)
        for name, key in keys.items()
    }


def write_workbook(target: Path, tables: dict[str, str]) -> Path:
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        for name, text in tables.items():
            rows = list(csv.reader(text.splitlines()))
            pd.DataFrame(rows[1:], columns=rows[0]).to_excel(writer, sheet_name=name, index=False)
    return target


def one_selection_project(text: str, name: str = "Bron", origin: str = "QualCoder 3.5") -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="{origin}">
  <Users><User guid="{gid("u")}" name="K1" id="K1"/></Users>
  <CodeBook><Codes><Code guid="{gid("c")}" name="kennis" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="{gid("src")}" name="{name}" plainTextPath="internal://{gid("src")}.txt">
      <PlainTextSelection guid="{gid("s")}" startPosition="0" endPosition="{len(text)}"
          creatingUser="{gid("u")}">
        <Coding guid="{gid("k")}" creatingUser="{gid("u")}">
          <CodeRef targetGUID="{gid("c")}"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>""".encode()
