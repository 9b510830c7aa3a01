"""How each tool counts selection positions, and the checks on it."""

from __future__ import annotations

import pytest

from botu.errors import InputError
from botu.qdpx import import_project
from botu.qdpx.positions import TOOL_CONVENTIONS, PositionMap, detect_tool
from tests.qdpx.builders import (
    Q1,
    Q2,
    Q3,
    Q4,
    TEXT,
    Style,
    build_qdpx,
    read_rows,
    tool_offset,
)


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
    with pytest.raises(InputError, match="PlainTextSelection"):  # code points: out of the text
        import_project(qdpx, tmp_path / "wrong", positions="codepoints", strict=True)
    assert not (tmp_path / "wrong").exists()
    # unforced, the convention by which every selection fits the text is taken, and said so
    report = import_project(qdpx, tmp_path / "auto")
    assert report.sources[0].positions == "UTF-16 code units, CRLF = 2"
    assert any("fall outside the text" in w.message for w in report.warnings)
    report = import_project(qdpx, tmp_path / "right", positions="utf16")
    assert [s["text"] for s in read_rows(tmp_path / "right" / "segments.csv")] == [
        Q1,
        Q3,
        Q2,
        Q4,
    ]
    assert report.sources[0].positions == "UTF-16 code units, CRLF = 2"
