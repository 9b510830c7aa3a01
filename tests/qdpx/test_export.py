"""Exports (codebook, project), round trips and workbook imports."""

from __future__ import annotations

import uuid
import zipfile

import pandas as pd
import pytest
import yaml

from botu.cli import main
from botu.dataset import load_dataset
from botu.errors import InputError
from botu.qdpx import export_codebook, export_project, import_project, schema_errors
from botu.schema import TABLES
from tests.conftest import REPO, TINY_TABLES, write_project
from tests.qdpx.builders import (
    STYLES,
    assert_nothing_written,
    build_qdpx,
    read_rows,
    typed,
    write_workbook,
)


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


TAGUETTE_QDC = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Taguette 1.4.1"><Codes>
<Code guid="9d7a6f38-1b1e-4f3a-9a7e-2b1c4d5e6f70" name="interesting" isCodable="true">
<Description>Passages worth a second look</Description></Code>
<Code guid="1d7a6f38-1b1e-4f3a-9a7e-2b1c4d5e6f71" name="Middelen" isCodable="true" color="#00AA00">
<Code guid="2d7a6f38-1b1e-4f3a-9a7e-2b1c4d5e6f72" name="Subsidies" isCodable="true"/></Code>
</Codes><Sets/></CodeBook>
"""


def test_a_refi_codebook_imports_into_codebook_yml(tmp_path, capsys):
    qdc = tmp_path / "taguette.qdc"
    qdc.write_text(TAGUETTE_QDC, encoding="utf-8")
    mapping = tmp_path / "m.yml"
    mapping.write_text("factors: {Middelen: hulpbronnen}\n", encoding="utf-8")
    raw = tmp_path / "study" / "data" / "raw"
    assert main(["import", str(qdc), "--into", str(raw), "--mapping", str(mapping)]) == 0
    captured = capsys.readouterr()
    assert "imported the codebook" in captured.out and "3 codes" in captured.out
    # Taguette writes an empty <Sets/>, which the schema does not allow: a warning, not a refusal
    assert "does not follow the REFI-QDA schema" in captured.err and "Sets" in captured.err
    book = yaml.safe_load((raw / "codebook.yml").read_text(encoding="utf-8"))
    tool = {c["id"]: c for c in book["codes"] if "tool" in c}
    assert {k: c["parent"] for k, c in tool.items()} == {
        "interesting": "unassigned",
        "middelen": "hulpbronnen",  # placed through the mapping
        "subsidies": "middelen",  # the tool's hierarchy
    }
    assert tool["middelen"]["color"] == "#00AA00"
    assert tool["interesting"]["definition"] == "Passages worth a second look"
    assert sorted(p.name for p in raw.iterdir()) == ["codebook.yml"]


def test_our_codebook_comes_back_from_a_qdc_and_serves_as_a_mapping_codebook(tmp_path):
    qdc = export_codebook(REPO / "data" / "raw" / "codebook.yml", tmp_path / "botu.qdc")
    report = import_project(qdc, tmp_path / "raw")
    assert report.kind == "codebook" and len(report.matched_codes) == report.codes
    ours = yaml.safe_load((REPO / "data" / "raw" / "codebook.yml").read_text(encoding="utf-8"))
    back = yaml.safe_load((tmp_path / "raw" / "codebook.yml").read_text(encoding="utf-8"))
    assert [c["id"] for c in back["codes"]] == [c["id"] for c in ours["codes"]]
    # a .qdc given as the mapping's codebook
    mapping = tmp_path / "m.yml"
    mapping.write_text(f"codebook: {qdc.name}\n", encoding="utf-8")
    project = build_qdpx(tmp_path / "a.qdpx", STYLES["qualcoder"])
    report = import_project(project, tmp_path / "other", mapping)
    assert ("Hulpbronnen", "hulpbronnen") in report.matched_codes
