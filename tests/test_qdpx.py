"""REFI-QDA exchange: imports of four tools' conventions, hostile archives, exports, round trip.

The archives are built here, following each tool's conventions (tests/fixtures/qdpx/README.md
says which and where they are documented), around one text with emoji (also outside the Basic
Multilingual Plane and joined by zero-width joiners), Windows line ends and a byte-order mark.
"""

from __future__ import annotations

import csv
import html
import subprocess
import sys
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
import yaml

from botu import qdpx_archive
from botu.cli import main
from botu.dataset import load_dataset
from botu.errors import InputError
from botu.qdpx import export_codebook, export_project, import_project, schema_errors
from botu.qdpx_positions import TOOL_CONVENTIONS, PositionMap, detect_tool
from botu.schema import TABLES
from tests.conftest import REPO, TINY_TABLES, write_project

FIXTURES = Path(__file__).parent / "fixtures" / "qdpx"

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


@pytest.mark.parametrize("tool", sorted(STYLES))
def test_import_each_tool(tmp_path, tool):
    style = STYLES[tool]
    qdpx = build_qdpx(tmp_path / f"{tool}.qdpx", style)
    into = tmp_path / "raw"
    report = import_project(qdpx, into)

    assert (
        report.tool
        == {"atlasti": "ATLAS.ti", "maxqda": "MAXQDA", "nvivo": "NVivo", "qualcoder": "QualCoder"}[
            tool
        ]
    )
    segments = read_rows(into / "segments.csv")
    # the quote is exactly the selection: emoji (ZWJ sequences, skin tone), CRLF, BOM
    assert [s["text"] for s in segments] == [Q1, Q3, Q2, Q4]
    for s in segments:
        source = TEXT if s["document_id"] == "Interview_A" else TEXT2
        assert source[int(s["start"]) : int(s["end"])] == s["text"]
    codings = read_rows(into / "codings.csv")
    anna, bram = ("AN", "BR") if style.user_ids else ("Anna", "Bram")
    by_segment = {s["text"]: s["segment_id"] for s in segments}
    assert sorted((c["segment_id"], c["code_id"], c["coder_id"]) for c in codings) == sorted(
        [
            (by_segment[Q1], "trots_op_de_wijk", anna),
            (by_segment[Q1], "trots_op_de_wijk", bram),  # two coders, one segment
            (by_segment[Q2], "gemeente", anna),
            (by_segment[Q3], "kennis", bram),
            (by_segment[Q4], "kennis", anna),
        ]
    )
    assert report.segments == 4 and report.codings == 5 and report.coders == sorted([anna, bram])
    # nested codes -> parent; ids from names
    codebook = yaml.safe_load((into / "codebook.yml").read_text(encoding="utf-8"))
    parents = {c["id"]: c["parent"] for c in codebook["codes"]}
    assert parents == {
        "hulpbronnen": None,
        "kennis": "hulpbronnen",
        "trots_op_de_wijk": "hulpbronnen",
        "gemeente": None,
    }
    assert codebook["codes"][0]["definition"] == {"nl": "Wat teams inbrengen."}
    # cases -> teams, variables -> team columns; documents belong to the case's team
    teams = read_rows(into / "teams.csv")
    assert teams == [
        {
            "team_id": "Team_Zorg",
            "name": "Team Zorg",
            "theme": "",
            "coalition_type": "gevestigd",
            "sibd_phase_reached": "2",
        }
    ]
    documents = read_rows(into / "documents.csv")
    assert [(d["document_id"], d["team_id"], d["kind"], d["title"]) for d in documents] == [
        ("Interview_A", "Team_Zorg", "document", "Interview A.txt"),
        ("Interview_B", "Team_Zorg", "document", "Interview B.txt"),
    ]
    # nothing is marked fictional; tables without data are header-only
    assert all("is_fictional" not in r for r in [*segments, *codings, *teams, *documents])
    assert (into / "ratings.csv").read_text() == "team_id,factor_id,rater_id,score,evidence\n"
    assert read_rows(into / "actors.csv") == []
    # per-source counts
    per_source = {s.name: (s.segments, s.codings, s.codes) for s in report.sources}
    assert per_source == {"Interview A.txt": (3, 4, 3), "Interview B.txt": (1, 1, 1)}
    assert report.not_imported.get("case variable 'Lievelingskleur'") == 1
    # the imported folder is a data set: it validates
    data = load_dataset(into)
    assert len(data.segments) == 4


def test_tool_conventions_and_detection():
    assert detect_tool("ATLAS.ti 9.1.3 (Mac)") == "atlasti"
    assert detect_tool("MAXQDA 2020") == "maxqda"
    assert detect_tool("NVivo 14.23.0") == "nvivo"
    assert detect_tool("QualCoder 3.6") == "qualcoder"
    assert detect_tool(None) == "unknown"
    assert TOOL_CONVENTIONS["atlasti"].crlf == 1 and TOOL_CONVENTIONS["nvivo"].crlf == 2
    positions = PositionMap(TEXT, TOOL_CONVENTIONS["atlasti"])
    i = TEXT.index(Q2)
    assert positions.index(tool_offset(TEXT, i, "utf16", 1)) == i
    # the middle of a surrogate pair is no character boundary
    emoji = TEXT.index("👩")
    assert positions.index(tool_offset(TEXT, emoji, "utf16", 1) + 1) is None


def test_maxqda_memo_selection_and_nvivo_case_codes_are_reported(tmp_path):
    report = import_project(build_qdpx(tmp_path / "m.qdpx", STYLES["maxqda"]), tmp_path / "m")
    assert report.not_imported["selection without a (kept) coding"] == 1
    nvivo = STYLES["nvivo"]
    codings = [*CODINGS, ("s2", Q4, "case", "anna")]
    report = import_project(build_qdpx(tmp_path / "n.qdpx", nvivo, codings=codings), tmp_path / "n")
    assert report.not_imported["codings of cases exported as codes"] == 1
    codebook = yaml.safe_load((tmp_path / "n" / "codebook.yml").read_text(encoding="utf-8"))
    assert "team_zorg" not in {c["id"] for c in codebook["codes"]}


@pytest.mark.parametrize(
    ("units", "crlf", "described"),
    [
        ("utf16", 2, "UTF-16 code units, CRLF = 2"),
        ("utf16", 1, "UTF-16 code units, CRLF = 1"),
        ("utf8", 2, "UTF-8 bytes, CRLF = 2"),
        ("codepoints", 1, "code points, CRLF = 1"),
    ],
)
def test_relative_plaintextpath_and_positions_checked_against_names(
    tmp_path, units, crlf, described
):
    # an unknown tool (default: code points, CRLF = 2); its selection names betray its way
    style = Style(origin="Quirkos 2.5", units=units, crlf=crlf, names="prefix", path="relative")
    report = import_project(build_qdpx(tmp_path / "q.qdpx", style), tmp_path / "q")
    assert [s["text"] for s in read_rows(tmp_path / "q" / "segments.csv")] == [Q1, Q3, Q2, Q4]
    source = report.sources[0]
    assert source.positions == described and "not the tool's usual" in source.note
    assert any(f"positions counted as {described}" in p.message for p in report.warnings)


def test_positions_override(tmp_path):
    style = Style(origin="Some QDA tool", units="utf16", crlf=2)  # no names to go by
    qdpx = build_qdpx(tmp_path / "u.qdpx", style)
    with pytest.raises(InputError, match="PlainTextSelection"):
        import_project(qdpx, tmp_path / "wrong")  # read as code points: out of the text
    assert not (tmp_path / "wrong").exists()
    report = import_project(qdpx, tmp_path / "right", positions="utf16")
    assert [s["text"] for s in read_rows(tmp_path / "right" / "segments.csv")] == [
        Q1,
        Q3,
        Q2,
        Q4,
    ]
    assert report.sources[0].positions == "UTF-16 code units, CRLF = 2"


def test_guids_in_any_case_and_braces_resolve(tmp_path):
    style = Style(origin="MAXQDA 2024", units="utf16", crlf=1, upper=True, braces=True)
    report = import_project(build_qdpx(tmp_path / "g.qdpx", style), tmp_path / "g")
    assert report.codings == 5 and report.coders == ["Anna", "Bram"]
    assert {c["code_id"] for c in read_rows(tmp_path / "g" / "codings.csv")} == {
        "trots_op_de_wijk",
        "gemeente",
        "kennis",
    }


# --- mapping -------------------------------------------------------------------------------


def test_mapping_maps_and_reports_unmapped_codes(tmp_path):
    qdpx = build_qdpx(tmp_path / "a.qdpx", STYLES["atlasti"])
    report = import_project(qdpx, tmp_path / "raw", FIXTURES / "mapping.yml")
    raw = tmp_path / "raw"
    codes = {
        c["id"]: c["parent"]
        for c in yaml.safe_load((raw / "codebook.yml").read_text(encoding="utf-8"))["codes"]
    }
    assert codes == {
        "hulpbronnen": None,
        "hb_kennis": "hulpbronnen",
        "trots_op_de_wijk": "hulpbronnen",
        "gemeente_reageert": None,
    }
    # codes without a mapping are reported, with the id they were given
    assert report.unmapped_codes == [
        ("Hulpbronnen", "hulpbronnen"),
        ("Hulpbronnen/Trots op de wijk", "trots_op_de_wijk"),
    ]
    assert "2 code(s) without a mapping, id derived from the name:" in report.summary()
    assert {c["coder_id"] for c in read_rows(raw / "codings.csv")} == {"C1", "C2"}
    assert read_rows(raw / "teams.csv")[0]["team_id"] == "T01"
    documents = read_rows(raw / "documents.csv")
    assert documents[0]["document_id"] == "D-T01-01" and documents[0]["team_id"] == "T01"
    # a mapping entry that matched nothing is a warning, not silence
    assert any("{5C1D9B1E" in p.message for p in report.warnings)


def test_mapping_drop_and_null(tmp_path):
    mapping = tmp_path / "m.yml"
    mapping.write_text("codes:\n  Gemeente: null\nunmapped: drop\n", encoding="utf-8")
    report = import_project(
        build_qdpx(tmp_path / "a.qdpx", STYLES["nvivo"]), tmp_path / "r", mapping
    )
    assert report.codings == 0 and report.segments == 0
    assert ("Gemeente", "mapped to null") in report.dropped_codes
    assert ("Hulpbronnen/Kennis", "no mapping (unmapped: drop)") in report.dropped_codes


def test_mapping_onto_an_existing_codebook(tmp_path):
    raw = write_project(tmp_path / "project")
    mapping = tmp_path / "m.yml"
    mapping.write_text(
        "codebook: project/data/raw/codebook.yml\ncodes:\n  Trots op de wijk: bi_inv_meedenken\n"
        "teams:\n  Team Zorg: T01\n",
        encoding="utf-8",
    )
    report = import_project(
        build_qdpx(tmp_path / "a.qdpx", STYLES["atlasti"]), tmp_path / "r", mapping
    )
    assert (tmp_path / "r" / "codebook.yml").read_text() == (raw / "codebook.yml").read_text()
    assert ("Hulpbronnen", "hulpbronnen") in report.matched_codes  # by id
    assert ("Hulpbronnen/Kennis", "hb_kennis") in report.matched_codes  # by label
    assert ("Gemeente", "no mapping, not in the codebook") in report.dropped_codes
    codes = {c["code_id"] for c in read_rows(tmp_path / "r" / "codings.csv")}
    assert codes == {"bi_inv_meedenken", "hb_kennis"}


def test_bad_mapping_file_is_one_clear_error(tmp_path):
    mapping = tmp_path / "m.yml"
    mapping.write_text("kodes: {}\ncodes:\n  A: not an id\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        import_project(build_qdpx(tmp_path / "a.qdpx", STYLES["nvivo"]), tmp_path / "r", mapping)
    text = str(info.value)
    assert "unknown section" in text and "'not an id' is not a valid id" in text
    assert not (tmp_path / "r").exists()


# --- unreadable and hostile input ----------------------------------------------------------


def assert_nothing_written(tmp_path: Path, into: Path) -> None:
    assert not into.exists()
    assert not [p for p in into.parent.iterdir() if p.name.startswith(f".{into.name}.")]


def test_selection_outside_the_text_names_the_element(tmp_path):
    style = Style(origin="NVivo 14")
    sources = {"s1": ("Interview A.txt", TEXT), "s2": ("Interview B.txt", "kort")}
    qdpx = build_qdpx(
        tmp_path / "a.qdpx", style, sources=sources, codings=[("s2", "kort", "kennis", "anna")]
    )
    # make the text shorter than the selection
    with zipfile.ZipFile(qdpx) as z:
        members = {n: z.read(n) for n in z.namelist()}
    name = next(n for n in members if n.endswith(f"{gid('s2')}.txt"))
    members[name] = b"ko"
    with zipfile.ZipFile(qdpx, "w") as z:
        for n, d in members.items():
            z.writestr(n, d)
    into = tmp_path / "r"
    with pytest.raises(InputError) as info:
        import_project(qdpx, into)
    message = str(info.value)
    assert "<PlainTextSelection guid=" in message and 'name="Interview B.txt"' in message
    assert "lies outside the text" in message
    assert_nothing_written(tmp_path, into)


def test_missing_or_non_utf8_source_text_is_an_error(tmp_path):
    qdpx = build_qdpx(tmp_path / "a.qdpx", STYLES["qualcoder"])
    with zipfile.ZipFile(qdpx) as z:
        members = {n: z.read(n) for n in z.namelist()}
    name = next(n for n in members if n.endswith(f"{gid('s2')}.txt"))
    members[name] = "caf\xe9".encode("latin-1")
    with zipfile.ZipFile(qdpx, "w") as z:
        for n, d in members.items():
            z.writestr(n, d)
    with pytest.raises(InputError, match=r"<TextSource .*Interview B.txt.*not UTF-8"):
        import_project(qdpx, tmp_path / "r")
    del members[name]
    with zipfile.ZipFile(qdpx, "w") as z:
        for n, d in members.items():
            z.writestr(n, d)
    with pytest.raises(InputError, match="is not in the archive"):
        import_project(qdpx, tmp_path / "r")


def hostile(tmp_path: Path, members: dict[str, bytes], name="hostile.qdpx") -> Path:
    target = tmp_path / name
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return target


VALID_QDE = b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>'


@pytest.mark.parametrize("member", ["../../x", "/tmp/botu-abs-x", "a/../../x", "C:\\x"])
def test_archive_member_escaping_the_target_is_refused(tmp_path, member):
    qdpx = hostile(tmp_path, {"project.qde": VALID_QDE, member: b"pwned"})
    into = tmp_path / "work" / "raw"
    with pytest.raises(InputError, match=r"refused: archive member .* outside the target"):
        import_project(qdpx, into)
    assert not (tmp_path.parent / "x").exists() and not (tmp_path / "x").exists()
    assert not into.exists()


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


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_entity_attacks_are_refused(tmp_path, xml):
    into = tmp_path / "raw"
    with pytest.raises(InputError) as info:
        import_project(hostile(tmp_path, {"project.qde": xml}), into)
    assert "hostile.qdpx[project.qde]: refused: declares a DTD" in str(info.value)
    assert_nothing_written(tmp_path, into)


def test_zip_bomb_by_ratio_is_refused(tmp_path):
    bomb = hostile(tmp_path, {"project.qde": VALID_QDE, "sources/a.txt": b"\0" * (20 * 2**20)})
    assert bomb.stat().st_size < 100_000
    with pytest.raises(InputError, match=r"sources/a.txt' unpacks [\d,]+ times .* zip bomb"):
        import_project(bomb, tmp_path / "raw")
    assert_nothing_written(tmp_path, tmp_path / "raw")


def test_archive_too_large_unpacked_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(qdpx_archive, "MAX_UNPACKED_BYTES", 1000)
    qdpx = build_qdpx(tmp_path / "big.qdpx", STYLES["nvivo"])
    with pytest.raises(InputError, match=r"unpacks to [\d.]+ KB \(at most 1000 bytes\)"):
        import_project(qdpx, tmp_path / "raw")


def test_not_a_zip_and_no_project_file(tmp_path):
    junk = tmp_path / "junk.qdpx"
    junk.write_bytes(b"not a zip")
    with pytest.raises(InputError, match=r"not a readable \.qdpx"):
        import_project(junk, tmp_path / "raw")
    with pytest.raises(InputError, match=r"no project file \(\*.qde\)"):
        import_project(hostile(tmp_path, {"sources/a.txt": b"x"}), tmp_path / "raw")
    with pytest.raises(InputError, match="holds 2 project files"):
        import_project(
            hostile(tmp_path, {"a.qde": VALID_QDE, "b.qde": VALID_QDE}), tmp_path / "raw"
        )
    with pytest.raises(InputError, match="not well-formed XML"):
        import_project(hostile(tmp_path, {"project.qde": b"<Project"}), tmp_path / "raw")


def test_deeply_nested_code_tree_is_refused(tmp_path):
    codes = "".join(f'<Code guid="{gid(str(n))}" name="c{n}" isCodable="true">' for n in range(150))
    xml = (
        '<Project xmlns="urn:QDA-XML:project:1.0" name="x"><CodeBook><Codes>'
        + codes
        + "</Code>" * 150
        + "</Codes></CodeBook></Project>"
    ).encode()
    with pytest.raises(InputError, match="codes nested more than 100 deep"):
        import_project(hostile(tmp_path, {"project.qde": xml}), tmp_path / "raw")


def test_pdf_source_text_representation_is_imported(tmp_path):
    text = "Een PDF met 🏛 tekst."
    xml = f"""<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="NVivo 14">
  <Users><User guid="{gid("u")}" name="Anna"/></Users>
  <CodeBook><Codes><Code guid="{gid("c")}" name="Gemeente" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <PDFSource guid="{gid("pdf")}" name="Plan.pdf" path="internal://{gid("pdf")}.pdf">
      <PDFSelection guid="{gid("ps")}" page="1" firstX="1" firstY="1" secondX="9" secondY="9">
        <Coding guid="{gid("pc")}"><CodeRef targetGUID="{gid("c")}"/></Coding>
      </PDFSelection>
      <Representation guid="{gid("rep")}" plainTextPath="internal://{gid("rep")}.txt">
        <PlainTextSelection guid="{gid("s")}" startPosition="12" endPosition="16"
            creatingUser="{gid("u")}">
          <Coding guid="{gid("k")}"><CodeRef targetGUID="{gid("c")}"/></Coding>
        </PlainTextSelection>
      </Representation>
    </PDFSource>
    <PictureSource guid="{gid("pic")}" name="Foto" path="internal://{gid("pic")}.png"/>
  </Sources>
</Project>"""
    qdpx = hostile(
        tmp_path,
        {
            "project.qde": xml.encode(),
            f"Sources/{gid('rep')}.txt": text.encode(),
            f"Sources/{gid('pdf')}.pdf": b"%PDF-1.4",
        },
    )
    report = import_project(qdpx, tmp_path / "raw")
    assert [s["text"] for s in read_rows(tmp_path / "raw" / "segments.csv")] == ["🏛 t"]
    assert read_rows(tmp_path / "raw" / "codings.csv")[0]["coder_id"] == "Anna"
    # a user name may be a real name: the import says so and how to pseudonymise it
    assert any("coder_id 'Anna' is taken from a user name" in str(w) for w in report.warnings)
    assert report.not_imported["PDFSelection(s)"] == 1
    assert report.not_imported["PictureSource(s)"] == 1


def test_cli_exits_2_with_one_message_and_no_traceback(tmp_path):
    bomb = hostile(tmp_path, {"project.qde": BILLION_LAUGHS})
    result = subprocess.run(
        [sys.executable, "-m", "botu", "import", str(bomb), "--into", str(tmp_path / "raw")],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "error: hostile.qdpx[project.qde]: refused: declares a DTD (<!DOCTYPE ...>); REFI-QDA "
        "files have none, and a DTD can carry entity-expansion ('billion laughs') or "
        "external-entity (XXE) attacks"
    ]
    assert not (tmp_path / "raw").exists()


def test_cli_import_and_target_rules(tmp_path, capsys):
    qdpx = build_qdpx(tmp_path / "a.qdpx", STYLES["atlasti"])
    into = tmp_path / "raw"
    assert main(["import", str(qdpx), "--into", str(into)]) == 0
    out = capsys.readouterr().out
    assert "imported ATLAS.ti a.qdpx" in out and "4 segments, 5 codings by 2 coder(s)" in out
    assert "source 'Interview A.txt' → Interview_A: 3 segments, 4 codings, 3 codes" in out
    # a non-empty folder is not overwritten without --force
    assert main(["import", str(qdpx), "--into", str(into)]) == 2
    assert "is not empty; pass --force" in capsys.readouterr().err
    (into / "extra.txt").write_text("x")
    assert main(["import", str(qdpx), "--into", str(into), "--force"]) == 0
    assert not (into / "extra.txt").exists()
    # the input may not live inside the folder it would replace
    inside = into / "a.qdpx"
    inside.write_bytes(qdpx.read_bytes())
    assert main(["import", str(inside), "--into", str(into), "--force"]) == 2
    assert inside.exists()


def test_strict_import_writes_nothing_when_invalid(tmp_path):
    style = Style(origin="NVivo 14")
    qdpx = build_qdpx(tmp_path / "a.qdpx", style)
    with zipfile.ZipFile(qdpx) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members["project.qde"] = members["project.qde"].replace(b"gevestigd", b"oud")
    qdpx = hostile(tmp_path, members, "invalid.qdpx")
    report = import_project(qdpx, tmp_path / "lenient")
    assert not report.valid
    assert any("coalition_type" in (p.column or "") for p in report.validation)
    with pytest.raises(InputError, match="coalition_type"):
        import_project(qdpx, tmp_path / "strict", strict=True)
    assert_nothing_written(tmp_path, tmp_path / "strict")


def test_schema_invalid_input_is_a_warning(tmp_path):
    style = Style(origin="MAXQDA 2020", units="utf16", crlf=1, extra="<Sets/>")  # empty: invalid
    report = import_project(build_qdpx(tmp_path / "a.qdpx", style), tmp_path / "r")
    assert report.codings == 5
    assert any("does not follow the REFI-QDA schema" in p.message for p in report.warnings)


# --- exports -------------------------------------------------------------------------------


def test_codebook_export_is_schema_valid_and_deterministic(tmp_path, tiny_raw):
    first = export_codebook(tiny_raw / "codebook.yml", tmp_path / "a.qdc")
    second = export_codebook(tiny_raw, tmp_path / "b.qdc")
    data = first.read_bytes()
    assert data == second.read_bytes()
    assert schema_errors(data, "codebook") == []
    text = data.decode("utf-8")
    assert 'xmlns="urn:QDA-XML:codebook:1.0"' in text
    guid = str(
        uuid.uuid5(
            uuid.uuid5(uuid.NAMESPACE_URL, "https://botu.invalid/refi-qda"), "code:hb_kennis"
        )
    )
    assert f'guid="{guid}" name="hb_kennis" isCodable="true"' in text
    assert 'name="hulpbronnen" isCodable="false"' in text  # a team_rating factor
    # hierarchy as nested <Code>
    hb = text.index('name="hulpbronnen"')
    assert hb < text.index('name="hb_kennis"') < text.index('name="bewonersinitiatief"')


def test_cli_export_codebook(tmp_path, capsys):
    write_project(tmp_path)
    target = tmp_path / "out" / "codebook.qdc"
    assert main(["--root", str(tmp_path), "export-codebook", "--to", str(target)]) == 0
    assert schema_errors(target.read_bytes(), "codebook") == []
    assert "wrote" in capsys.readouterr().out
    assert (
        main(
            [
                "--root",
                str(tmp_path / "nowhere"),
                "export-codebook",
                "--to",
                str(tmp_path / "x.qdc"),
            ]
        )
        == 2
    )


def test_project_export_is_schema_valid_and_deterministic(tmp_path, tiny_raw):
    a = export_project(tiny_raw, tmp_path / "a.qdpx")
    b = export_project(tiny_raw, tmp_path / "b.qdpx")
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as archive:
        names = archive.namelist()
        qde = archive.read("project.qde")
    assert schema_errors(qde, "project") == []
    assert names[0] == "project.qde"
    assert all(n.startswith(("sources/", "botu/")) for n in names[1:])


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


def test_round_trip_gives_the_same_tables(tmp_path, tiny_raw):
    qdpx = export_project(tiny_raw, tmp_path / "tiny.qdpx")
    report = import_project(qdpx, tmp_path / "back")
    before, after = typed(tiny_raw), typed(tmp_path / "back")
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name], check_dtype=True)
    original = load_dataset(tiny_raw).codebook
    again = load_dataset(tmp_path / "back", strict=False).codebook
    assert list(again.codes) == list(original.codes)
    assert {c.id: c.parent for c in again.codes.values()} == {
        c.id: c.parent for c in original.codes.values()
    }
    assert again["hb_kennis"].label == {"nl": "Kennis"}
    assert report.tool == "botu"


def test_round_trip_keeps_every_table_and_the_codebook(tmp_path, tiny_raw):
    """What REFI-QDA has no place for travels in the archive's botu/ folder."""
    qdpx = export_project(tiny_raw, tmp_path / "tiny.qdpx")
    with zipfile.ZipFile(qdpx) as archive:
        assert "botu/ratings.csv" in archive.namelist()
    import_project(qdpx, tmp_path / "back")
    before, after = load_dataset(tiny_raw), load_dataset(tmp_path / "back")
    assert after.warnings == []  # valid as it comes back, no "takes no value" noise
    for name in ("actors", "memberships", "respondents", "ratings"):
        pd.testing.assert_frame_equal(after.tables[name], before.tables[name])
    assert after.codebook.codes == before.codebook.codes
    for name, frame in typed(tiny_raw).items():
        pd.testing.assert_frame_equal(typed(tmp_path / "back")[name], frame)


def test_round_trip_of_the_demo_data_set(tmp_path):
    from tests.conftest import REPO

    raw = REPO / "data" / "raw"
    import_project(export_project(raw, tmp_path / "demo.qdpx"), tmp_path / "back")
    before, after = load_dataset(raw), load_dataset(tmp_path / "back")
    for name, frame in before.tables.items():
        key = list(TABLES[name].key)
        pd.testing.assert_frame_equal(
            after.tables[name].sort_values(key).reset_index(drop=True),
            frame.sort_values(key).reset_index(drop=True),
            check_like=True,
        )


def test_round_trip_with_emoji_and_crlf_segments(tmp_path):
    text = "Wij 💪🏽 samen\r\nmet 👩\u200d👩\u200d👧 de wijk."
    quote = "samen\r\nmet 👩\u200d👩\u200d👧"
    start = text.index(quote)
    segments = (
        "segment_id,document_id,text,start,end\n"
        f'S1,D-T01-01,"{text}",0,{len(text)}\n'
        f'S2,D-T01-01,"{quote}",{start},{start + len(quote)}\n'
        "S3,D-T02-01,Bewoners denken mee in de werkgroep.,0,36\n"
    )
    codings = (
        "segment_id,code_id,coder_id,value\nS1,hb_kennis,C1,\nS2,hb_geld,C2,fonds\n"
        "S3,bi_inv_meedenken,C1,\n"
    )
    ratings = "team_id,factor_id,rater_id,score,evidence\n"
    raw = write_project(
        tmp_path / "p", {"segments": segments, "codings": codings, "ratings": ratings}
    )
    qdpx = export_project(raw, tmp_path / "e.qdpx")
    import_project(qdpx, tmp_path / "back")
    back = read_rows(tmp_path / "back" / "segments.csv")
    assert [(s["segment_id"], s["text"], s["start"], s["end"]) for s in back] == [
        ("S1", text, "0", str(len(text))),
        ("S2", quote, str(start), str(start + len(quote))),
        ("S3", "Bewoners denken mee in de werkgroep.", "0", "36"),
    ]
    values = {c["segment_id"]: c["value"] for c in read_rows(tmp_path / "back" / "codings.csv")}
    assert values == {"S1": "", "S2": "fonds", "S3": ""}


# --- Excel ---------------------------------------------------------------------------------


def write_workbook(target: Path, tables: dict[str, str]) -> Path:
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        for name, text in tables.items():
            rows = list(csv.reader(text.splitlines()))
            pd.DataFrame(rows[1:], columns=rows[0]).to_excel(writer, sheet_name=name, index=False)
    return target


def test_workbook_import_splits_sheets_after_validation(tmp_path, tiny_raw):
    book = write_workbook(tmp_path / "data.xlsx", TINY_TABLES)
    report = import_project(book, tmp_path / "raw", codebook=tiny_raw / "codebook.yml")
    assert report.segments == 4 and report.codings == 6
    assert sorted(p.name for p in (tmp_path / "raw").iterdir()) == sorted(
        [f"{n}.csv" for n in TINY_TABLES] + ["codebook.yml"]
    )
    assert load_dataset(tmp_path / "raw").is_fictional
    assert read_rows(tmp_path / "raw" / "teams.csv")[0]["team_id"] == "T01"


def test_invalid_workbook_writes_nothing(tmp_path, tiny_raw):
    bad = {**TINY_TABLES, "codings": TINY_TABLES["codings"].replace("hb_kennis", "hb_onbekend")}
    book = write_workbook(tmp_path / "data.xlsx", bad)
    with pytest.raises(InputError, match=r"data.xlsx\[codings\], row 2, column 'code_id'"):
        import_project(book, tmp_path / "raw", codebook=tiny_raw / "codebook.yml")
    assert_nothing_written(tmp_path, tmp_path / "raw")
    with pytest.raises(InputError, match="needs the codebook"):
        import_project(book, tmp_path / "raw")


# --- bounds and hardening (from a security review) ----------------------------------------


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


def test_unsupported_xml_encoding_is_one_clear_error(tmp_path):
    xml = b'<?xml version="1.0" encoding="utf-7"?><Project name="x"/>'
    with pytest.raises(InputError, match="unsupported XML encoding"):
        import_project(hostile(tmp_path, {"project.qde": xml}), tmp_path / "raw")


def test_member_names_differing_only_in_case_are_refused(tmp_path):
    qdpx = hostile(tmp_path, {"project.qde": VALID_QDE, "PROJECT.QDE": VALID_QDE})
    with pytest.raises(InputError, match="appears twice"):
        import_project(qdpx, tmp_path / "raw")


@pytest.mark.parametrize(
    ("limit", "value", "message"),
    [
        ("MAX_SELECTED_CHARS", 5, "the selections cover 11 characters"),
        ("MAX_SELECTIONS", 0, "1 text selections"),
        ("MAX_NAME_CHARS", 3, "<Code> name is 6 characters"),
    ],
)
def test_projects_asking_for_unbounded_work_are_refused(
    tmp_path, monkeypatch, limit, value, message
):
    from botu import qdpx

    monkeypatch.setattr(qdpx, limit, value)
    text = "kennis hier"
    qdpx_file = hostile(
        tmp_path,
        {"project.qde": one_selection_project(text), f"Sources/{gid('src')}.txt": text.encode()},
    )
    with pytest.raises(InputError, match=message):
        import_project(qdpx_file, tmp_path / "raw")
    assert not (tmp_path / "raw").exists()


def test_lone_carriage_return_in_a_quote_survives_the_csv(tmp_path):
    text = "regel een\rregel twee"
    qdpx_file = hostile(
        tmp_path,
        {"project.qde": one_selection_project(text), f"Sources/{gid('src')}.txt": text.encode()},
    )
    import_project(qdpx_file, tmp_path / "raw")
    assert [r["text"] for r in read_rows(tmp_path / "raw" / "segments.csv")] == [text]


def test_into_may_be_the_current_folder_but_not_a_symlink(tmp_path, monkeypatch):
    text = "kennis hier"
    qdpx_file = hostile(
        tmp_path,
        {"project.qde": one_selection_project(text), f"Sources/{gid('src')}.txt": text.encode()},
    )
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    import_project(qdpx_file, ".")
    assert (tmp_path / "here" / "segments.csv").exists()
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(InputError, match="symbolic link"):
        import_project(qdpx_file, tmp_path / "link")
    assert list((tmp_path / "real").iterdir()) == []


def test_a_users_old_folder_beside_the_target_is_left_alone(tmp_path):
    text = "kennis hier"
    qdpx_file = hostile(
        tmp_path,
        {"project.qde": one_selection_project(text), f"Sources/{gid('src')}.txt": text.encode()},
    )
    (tmp_path / ".raw.old").mkdir()
    (tmp_path / ".raw.old" / "backup.csv").write_text("mine")
    import_project(qdpx_file, tmp_path / "raw")
    import_project(qdpx_file, tmp_path / "raw", force=True)
    assert (tmp_path / ".raw.old" / "backup.csv").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [".raw.old"]


def test_sidecar_only_from_botu_and_without_yaml_aliases(tmp_path, tiny_raw):
    members = {}
    with zipfile.ZipFile(export_project(tiny_raw, tmp_path / "t.qdpx")) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    bomb = b'a: &a ["x", "x"]\nb: &b [*a, *a]\ncodes: [*b, *b]\n'
    with pytest.raises(InputError, match="anchors and aliases"):
        import_project(hostile(tmp_path, {**members, "botu/codebook.yml": bomb}), tmp_path / "a")
    # a project another tool wrote: a botu/ folder in it is not trusted
    qde = members["project.qde"].replace(b'origin="botu', b'origin="NVivo 14 (was botu')
    import_project(hostile(tmp_path, {**members, "project.qde": qde}, "n.qdpx"), tmp_path / "b")
    assert read_rows(tmp_path / "b" / "ratings.csv") == []


@pytest.mark.parametrize(
    ("encoded", "readable"),
    [
        ("utf-32", True),  # with its byte-order mark (which starts like UTF-16's)
        ("utf-16-le", False),  # no byte-order mark: NULs between the letters, refused
    ],
)
def test_utf16_and_utf32_source_texts(tmp_path, encoded, readable):
    from botu.qdpx_read import decode_text

    data = "kennis hier".encode(encoded)
    if readable:
        assert decode_text(data) == "kennis hier"
    else:
        with pytest.raises(UnicodeDecodeError, match="without a byte-order mark"):
            decode_text(data)


def test_two_sources_with_one_guid_are_reported(tmp_path):
    xml = one_selection_project("kennis hier").decode()
    start = xml.index("<TextSource")
    end = xml.index("</TextSource>") + len("</TextSource>")
    twice = xml[:end] + xml[start:end].replace('name="Bron"', 'name="Kopie"') + xml[end:]
    twice = twice.replace(f'guid="{gid("s")}"', f'guid="{gid("s2")}"', 1)
    qdpx_file = hostile(
        tmp_path, {"project.qde": twice.encode(), f"Sources/{gid('src')}.txt": b"kennis hier"}
    )
    report = import_project(qdpx_file, tmp_path / "raw")
    assert any("same GUID" in str(w) for w in report.warnings)
