"""Imports of four tools' conventions: tables, quotes, problems, the command line."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest
import yaml

from botu.cli import main
from botu.codebook import STARTER_CODEBOOK
from botu.dataset import load_dataset
from botu.errors import InputError
from botu.qdpx import import_project
from tests.conftest import REPO
from tests.qdpx.builders import (
    BILLION_LAUGHS,
    CODINGS,
    Q1,
    Q2,
    Q3,
    Q4,
    STYLES,
    TEXT,
    TEXT2,
    Style,
    assert_nothing_written,
    build_qdpx,
    gid,
    hostile,
    one_selection_project,
    read_rows,
)


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
    # the tool's codes join the starter codebook: nested codes keep their parent, ids come
    # from names, the category named like a factor is that factor, the rest is 'unassigned'
    codebook = yaml.safe_load((into / "codebook.yml").read_text(encoding="utf-8"))
    parents = {c["id"]: c["parent"] for c in codebook["codes"] if "tool" in c}
    assert parents == {
        "kennis": "hulpbronnen",
        "trots_op_de_wijk": "hulpbronnen",
        "gemeente": "unassigned",
    }
    starter = yaml.safe_load(STARTER_CODEBOOK.read_text(encoding="utf-8"))
    assert [c for c in codebook["codes"] if "tool" not in c and c["id"] != "unassigned"] == (
        starter["codes"]
    )
    assert {c["id"]: c["tool"] for c in codebook["codes"] if "tool" in c} == {
        "kennis": "Hulpbronnen/Kennis",
        "trots_op_de_wijk": "Hulpbronnen/Trots op de wijk",
        "gemeente": "Gemeente",
    }
    assert "language" not in codebook["meta"]  # never guessed
    assert report.matched_codes == [("Hulpbronnen", "hulpbronnen")]
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


def test_maxqda_memo_selection_and_nvivo_case_codes_are_reported(tmp_path):
    report = import_project(build_qdpx(tmp_path / "m.qdpx", STYLES["maxqda"]), tmp_path / "m")
    assert report.not_imported["selection without a (kept) coding"] == 1
    nvivo = STYLES["nvivo"]
    codings = [*CODINGS, ("s2", Q4, "case", "anna")]
    report = import_project(build_qdpx(tmp_path / "n.qdpx", nvivo, codings=codings), tmp_path / "n")
    assert report.not_imported["codings of cases exported as codes"] == 1
    codebook = yaml.safe_load((tmp_path / "n" / "codebook.yml").read_text(encoding="utf-8"))
    assert "team_zorg" not in {c["id"] for c in codebook["codes"]}


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


def test_selection_outside_the_text_is_named_and_left_out(tmp_path):
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
        import_project(qdpx, into, strict=True)
    message = str(info.value)
    assert "<PlainTextSelection guid=" in message and 'name="Interview B.txt"' in message
    assert "lies outside the text" in message
    assert_nothing_written(tmp_path, into)
    # without --strict that one selection is left out, with a warning naming it
    report = import_project(qdpx, into)
    warning = next(w.message for w in report.warnings if "lies outside the text" in w.message)
    assert "<PlainTextSelection guid=" in warning and "left out" in warning
    assert report.not_imported["selection that does not fit its text"] == 1
    assert report.codings == 0


def test_missing_or_non_utf8_source_text_is_left_out_or_refused_when_strict(tmp_path):
    qdpx = build_qdpx(tmp_path / "a.qdpx", STYLES["qualcoder"])
    with zipfile.ZipFile(qdpx) as z:
        members = {n: z.read(n) for n in z.namelist()}
    name = next(n for n in members if n.endswith(f"{gid('s2')}.txt"))
    members[name] = "caf\xe9".encode("latin-1")
    with zipfile.ZipFile(qdpx, "w") as z:
        for n, d in members.items():
            z.writestr(n, d)
    with pytest.raises(InputError, match=r"<TextSource .*Interview B.txt.*not UTF-8"):
        import_project(qdpx, tmp_path / "r", strict=True)
    assert not (tmp_path / "r").exists()
    del members[name]
    with zipfile.ZipFile(qdpx, "w") as z:
        for n, d in members.items():
            z.writestr(n, d)
    with pytest.raises(InputError, match="is not in the archive"):
        import_project(qdpx, tmp_path / "r", strict=True)
    # without --strict the source is a document without segments, and the import says so
    report = import_project(qdpx, tmp_path / "r")
    assert [d["document_id"] for d in read_rows(tmp_path / "r" / "documents.csv")] == [
        "Interview_A",
        "Interview_B",
    ]
    assert {s["document_id"] for s in read_rows(tmp_path / "r" / "segments.csv")} == {"Interview_A"}
    assert report.left_out.selections["TextSource"] == 1
    assert (
        "1 text source(s) whose text file is missing (kept as documents without segments) "
        "with 1 selection(s), 1 coding(s)"
    ) in report.summary()
    assert any("Interview B.txt" in w.message and "left out" in w.message for w in report.warnings)


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
    assert report.left_out.selections["PDFSelection"] == 1
    assert report.left_out.codings["PDFSelection"] == 1
    assert report.left_out.sources["PictureSource"] == 1
    assert "left out (not text): 1 PDF region selection(s), 1 coding(s); 1 picture(s)" in (
        report.summary()
    )


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
    assert "'Interview A.txt' → Interview_A: 3 segments, 4 codings" in out
    assert "teams: 1 case(s) of the project" in out
    # a study with data is only re-imported with --force; files of its own stay
    assert main(["import", str(qdpx), "--into", str(into)]) == 2
    assert "already holds a study" in capsys.readouterr().err
    (into / "extra.txt").write_text("x")
    assert main(["import", str(qdpx), "--into", str(into), "--force"]) == 0
    assert (into / "extra.txt").read_text() == "x"
    assert "documents: unchanged" in capsys.readouterr().out
    # a folder of other things is not made a study without --force
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("x")
    assert main(["import", str(qdpx), "--into", str(other)]) == 2
    assert "holds no study; pass --force" in capsys.readouterr().err
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


@pytest.mark.parametrize(
    ("encoded", "readable"),
    [
        ("utf-32", True),  # with its byte-order mark (which starts like UTF-16's)
        ("utf-16-le", False),  # no byte-order mark: NULs between the letters, refused
    ],
)
def test_utf16_and_utf32_source_texts(tmp_path, encoded, readable):
    from botu.qdpx.read import decode_text

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
