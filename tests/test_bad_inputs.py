"""Bad input, refused cleanly (issue 9, part 1): one message naming the file, row and column
and what to do, exit status 2, no traceback, data/raw untouched, nothing written.

Each case starts from the tiny valid project of :mod:`tests.conftest` and breaks one thing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from botu.cli import main
from tests.conftest import REPO, TINY_CODEBOOK, TINY_TABLES, write_project


def _segments_with(text: str) -> dict[str, str]:
    return {"segments": TINY_TABLES["segments"].replace("Het plan komt van bewoners zelf.", text)}


def _codebook(old: str, new: str) -> str:
    assert old in TINY_CODEBOOK
    return TINY_CODEBOOK.replace(old, new)


BOMB = "\n".join(
    ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
)

# name → (tables to override, codebook text or None, expected words in the message)
CASES = {
    "nul-in-a-segment": (
        _segments_with("Het plan\x00 komt van bewoners."),
        None,
        ["segments.csv, row 3, column 'text'", "U+0000"],
    ),
    "vertical-tab-in-a-name": (
        {"actors": TINY_TABLES["actors"].replace("Fonds F1", "Fonds\x0bF1")},
        None,
        ["actors.csv, row 4, column 'pseudonym'", "U+000B"],
    ),
    "cell-longer-than-a-spreadsheet-takes": (
        _segments_with("bla " * 9000),
        None,
        ["segments.csv, row 3, column 'text'", "36,000 characters"],
    ),
    "codebook-alias-bomb": (
        {},
        TINY_CODEBOOK + BOMB + "\n",
        ["codebook.yml", "anchors and aliases are not accepted"],
    ),
    "codebook-scale-key-not-a-score": (
        {},
        _codebook("  3: {nl: sterk, en: strong}", "  drie: {nl: sterk, en: strong}"),
        ["codebook.yml", "column 'scale'", "'drie', not 0–3"],
    ),
    "codebook-scale-as-a-list": (
        {},
        _codebook(
            "scale:\n  0: {nl: afwezig, en: absent}\n  1: {nl: zwak, en: weak}\n"
            "  2: {nl: matig, en: moderate}\n  3: {nl: sterk, en: strong}",
            "scale: [afwezig, zwak, matig, sterk]",
        ),
        ["codebook.yml", "scale must map the scores 0–3"],
    ),
    "codebook-meta-as-a-list": (
        {},
        _codebook('meta: {name: tiny, version: "0.1"}', "meta: [tiny, 0.1]"),
        ["codebook.yml", "meta must be a mapping"],
    ),
    "codebook-rated-neither-true-nor-false": (
        {},
        _codebook("rated: true, label: {nl: Kennis}", "rated: misschien, label: {nl: Kennis}"),
        ["codebook.yml", "rated of 'hb_kennis' must be true or false"],
    ),
}


# --- one thing broken in a file of the tiny project: name → (how, expected words) ----------


def _sub(table: str, old: str, new: str):
    def mutate(raw: Path) -> None:
        path = raw / f"{table}.csv"
        text = path.read_text(encoding="utf-8")
        assert old in text, (table, old)
        path.write_text(text.replace(old, new), encoding="utf-8")

    return mutate


def _cb(old: str, new: str):
    def mutate(raw: Path) -> None:
        (raw / "codebook.yml").write_text(_codebook(old, new), encoding="utf-8")

    return mutate


def _put(name: str, data: bytes | str):
    def mutate(raw: Path) -> None:
        path = raw / name
        path.unlink(missing_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")

    return mutate


def _gone(name: str):
    return lambda raw: (raw / name).unlink()


def _link(name: str, to: str):
    def mutate(raw: Path) -> None:
        (raw / name).unlink()
        (raw / name).symlink_to(raw / to)

    return mutate


TEAM_ROW = "T01,Demo-team Een,zorg_jeugd,gevestigd,2,true"
TEAMS_HEADER = "team_id,name,theme,coalition_type,sibd_phase_reached,is_fictional"

BROKEN = {
    # missing and empty files
    "teams-missing": (_gone("teams.csv"), ["teams.csv", "table 'teams' is missing"]),
    "codings-missing": (_gone("codings.csv"), ["codings.csv", "table 'codings' is missing"]),
    "codebook-missing": (_gone("codebook.yml"), ["codebook.yml", "codebook is missing"]),
    "segments-empty": (_put("segments.csv", ""), ["segments.csv", "is empty"]),
    "segments-header-only": (
        _put("segments.csv", "segment_id,document_id,text,start,end,is_fictional\n"),
        ["codings.csv, row 2, column 'segment_id'", "'S001' is not a segment_id"],
    ),
    # malformed CSV
    "unclosed-quote": (
        _sub("segments", '"Wij weten veel, maar hebben geen tijd."', '"Wij weten veel, maar'),
        ["segments.csv, row", "is not valid CSV"],
    ),
    "row-with-too-many-fields": (
        _sub("teams", TEAM_ROW, TEAM_ROW + ",extra"),
        ["teams.csv, row 2", "has 7 fields, the header has 6"],
    ),
    "row-with-too-few-fields": (
        _sub("teams", TEAM_ROW, "T01,Demo-team Een,zorg_jeugd"),
        ["teams.csv, row 2", "has 3 fields, the header has 6"],
    ),
    "column-named-twice": (
        _sub("teams", "team_id,name,", "team_id,name,name,"),
        ["teams.csv, row 1, column 'name'", "appears more than once"],
    ),
    "required-column-missing": (
        _sub("teams", f"{TEAMS_HEADER}\n", "team_id,name,theme,coalition_type,is_fictional\n"),
        ["teams.csv, row 2", "has 6 fields, the header has 5"],
    ),
    "ten-thousand-columns": (
        _sub(
            "teams",
            "is_fictional\n",
            "is_fictional," + ",".join(f"c{i}" for i in range(10_000)) + "\n",
        ),
        ["teams.csv, row 2", "the header has 10006"],
    ),
    "cell-beyond-the-csv-field-limit": (
        _sub("segments", "Het plan komt van bewoners zelf.", "x" * 200_000),
        ["segments.csv, row 3", "field larger than field limit"],
    ),
    # not text, or not UTF-8
    "binary-garbage": (
        _put("teams.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),
        ["teams.csv", "is not UTF-8 text (byte 0x89 on line 1)"],
    ),
    "a-workbook-named-csv": (
        _put("teams.csv", b"PK\x03\x04" + b"\x00" * 100),
        ["teams.csv", "is a workbook or ZIP archive, not CSV text"],
    ),
    "an-old-xls-named-csv": (
        _put("teams.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
        ["teams.csv", "is an old Excel (.xls) or Word file"],
    ),
    "a-pdf-named-csv": (_put("teams.csv", b"%PDF-1.7\n%\xe2\xe3"), ["teams.csv", "is a PDF"]),
    "latin-1": (
        _put("teams.csv", TINY_TABLES["teams"].replace("Een", "Één").encode("latin-1")),
        ["teams.csv", "is not UTF-8 text (byte 0xc9 on line 2)", "CSV UTF-8"],
    ),
    "invalid-utf-8-midway": (
        _put("teams.csv", TINY_TABLES["teams"].encode().replace(b"Een", b"E\xffn")),
        ["teams.csv", "byte 0xff on line 2"],
    ),
    "broken-utf-16": (
        _put("teams.csv", b"\xff\xfe" + b"T\x000\x00\x00\xd8"),
        ["teams.csv", "starts as UTF-16 text but is not"],
    ),
    "codebook-in-utf-16": (
        _put("codebook.yml", TINY_CODEBOOK.encode("utf-16")),
        ["codebook.yml", "is not UTF-8 text"],
    ),
    # values and references
    "team-id-twice": (
        _sub("teams", "T02,Demo-team Twee", "T01,Demo-team Twee"),
        ["teams.csv, row 3, column 'team_id'", "duplicate key (team_id=T01)"],
    ),
    "team-id-empty": (
        _sub("teams", "T02,Demo-team Twee", ",Demo-team Twee"),
        ["teams.csv, row 3, column 'team_id'", "is empty; a value is required"],
    ),
    "team-id-only-spaces": (
        _sub("teams", "T02,Demo-team Twee", "   ,Demo-team Twee"),
        ["teams.csv, row 3, column 'team_id'", "is empty"],
    ),
    "unknown-team": (
        _sub("documents", "D-T02-01,T02", "D-T02-01,T09"),
        ["documents.csv, row 4, column 'team_id'", "'T09' is not a team_id"],
    ),
    "unknown-code": (
        _sub("codings", "S001,hb_kennis", "S001,hb_kenis"),
        ["codings.csv, row 2, column 'code_id'", "unknown code 'hb_kenis'"],
    ),
    "unknown-segment": (
        _sub("codings", "S001,hb_kennis", "S099,hb_kennis"),
        ["codings.csv, row 2, column 'segment_id'", "'S099' is not a segment_id"],
    ),
    "unknown-actor": (
        _sub("memberships", "T01,A01,kern", "T01,A09,kern"),
        ["memberships.csv, row 2, column 'actor_id'", "'A09' is not a actor_id"],
    ),
    "unknown-respondent": (
        _sub("documents", "R-T01-01,Interview", "R-T01-09,Interview"),
        ["documents.csv, row 2, column 'respondent_id'", "'R-T01-09'"],
    ),
    "unknown-evidence": (
        _sub("ratings", "S001;S003", "S001;S093"),
        ["ratings.csv, row 2, column 'evidence'", "'S093' is not in segments.csv"],
    ),
    "unknown-factor": (
        _sub("ratings", "T01,hulpbronnen,CONS", "T01,hulpbron,CONS"),
        ["ratings.csv, row 3, column 'factor_id'", "unknown factor 'hulpbron'"],
    ),
    "value-not-of-the-code": (
        _sub("codings", "S003,hb_geld,C1,fonds", "S003,hb_geld,C1,bank"),
        ["codings.csv, row 4, column 'value'", "'bank' is not a value of 'hb_geld'"],
    ),
    "score-above-the-scale": (
        _sub("ratings", "T01,hb_kennis,CONS,2", "T01,hb_kennis,CONS,5"),
        ["ratings.csv, row 2, column 'score'", "score 5 is not 0, 1, 2, 3 or NA"],
    ),
    "score-in-words": (
        _sub("ratings", "T01,hb_kennis,CONS,2", "T01,hb_kennis,CONS,twee"),
        ["ratings.csv, row 2, column 'score'", "'twee' is not a number"],
    ),
    "phase-beyond-four": (
        _sub("documents", "D-T01-01,T01,interview,1", "D-T01-01,T01,interview,9"),
        ["documents.csv, row 2, column 'phase'", "9 is above the maximum 4"],
    ),
    "phase-in-words": (
        _sub("teams", "gevestigd,2,true", "gevestigd,twee,true"),
        ["teams.csv, row 2, column 'sibd_phase_reached'", "'twee' is not a number"],
    ),
    "date-that-does-not-exist": (
        _sub("documents", "2021-04-01", "2021-02-31"),
        ["documents.csv, row 2, column 'date'", "'2021-02-31' is not a date"],
    ),
    "segment-ends-before-it-starts": (
        _sub("segments", "0,38,true", "40,38,true"),
        ["segments.csv, row 2, column 'end'", "end 38 is not after start 40"],
    ),
    "negative-offset": (
        _sub("segments", "0,38,true", "-5,38,true"),
        ["segments.csv, row 2, column 'start'", "-5 is below the minimum 0"],
    ),
    "negative-years": (
        _sub("memberships", "T01,A01,kern,4", "T01,A01,kern,-4"),
        ["memberships.csv, row 2, column 'prior_collaboration_years'", "below the minimum"],
    ),
    "fictional-neither-true-nor-false": (
        _sub("teams", "gevestigd,2,true", "gevestigd,2,misschien"),
        ["teams.csv, row 2, column 'is_fictional'", "'misschien' is not true/false"],
    ),
    "coalition-type-unknown": (
        _sub("teams", "gevestigd,2,true", "oud,2,true"),
        ["teams.csv, row 2, column 'coalition_type'", "'oud' is not one of"],
    ),
    # the codebook's YAML
    "yaml-syntax-error": (
        _cb("meta: {name: tiny,", "meta: {name: [tiny,"),
        ["codebook.yml, row 1", "is not valid YAML"],
    ),
    "yaml-tab-indentation": (
        _cb("codes:\n  - {id: hulpbronnen", "codes:\n\t- {id: hulpbronnen"),
        ["codebook.yml", "is not valid YAML", "'\\t'"],
    ),
    "yaml-a-list-at-the-top": (
        _put("codebook.yml", "- a\n- b\n"),
        ["codebook.yml, column 'codes'", "expected a mapping with a list 'codes'"],
    ),
    "yaml-empty": (_put("codebook.yml", ""), ["codebook.yml", "expected a mapping"]),
    "yaml-without-codes": (
        _put("codebook.yml", TINY_CODEBOOK.split("codes:")[0]),
        ["codebook.yml, column 'codes'", "expected a mapping with a list 'codes'"],
    ),
    "yaml-key-given-twice": (
        _cb('meta: {name: tiny, version: "0.1"}', 'meta: {name: tiny, name: x, version: "0.1"}'),
        ["codebook.yml, row 1", "'name' is given twice in one mapping"],
    ),
    "yaml-nested-without-end": (
        _put("codebook.yml", TINY_CODEBOOK + "deep: " + "[" * 5000 + "]" * 5000 + "\n"),
        ["codebook.yml, row 22", "nested more than 40 deep"],
    ),
    "yaml-python-object": (
        _put("codebook.yml", TINY_CODEBOOK + "evil: !!python/object/apply:os.system ['id']\n"),
        ["codebook.yml, row 22", "could not determine a constructor"],
    ),
    "code-without-id": (
        _cb("{id: hb_kennis, parent", "{parent"),
        ["codebook.yml, row 9, column 'id'", "code without an id"],
    ),
    "code-id-twice": (
        _cb("{id: hb_geld, parent", "{id: hb_kennis, parent"),
        ["codebook.yml, row 10, column 'id'", "'hb_kennis' is defined twice"],
    ),
    "code-parent-unknown": (
        _cb("{id: hb_kennis, parent: hulpbronnen", "{id: hb_kennis, parent: hulpbron"),
        ["codebook.yml, row 9, column 'parent'", "parent 'hulpbron' of 'hb_kennis'"],
    ),
    "code-parents-in-a-circle": (
        _cb("{id: hulpbronnen, parent: null", "{id: hulpbronnen, parent: hb_kennis"),
        ["codebook.yml, row 8, column 'parent'", "is its own ancestor"],
    ),
    "code-level-unknown": (
        _cb(
            "parent: hulpbronnen, level: segment, rated: true, label: {nl: Kennis}",
            "parent: hulpbronnen, level: segmentje, rated: true, label: {nl: Kennis}",
        ),
        ["codebook.yml, row 9, column 'level'", "'segmentje' is not one of"],
    ),
    "code-values-not-a-list": (
        _cb("values: [fonds, gemeente]", "values: fonds"),
        ["codebook.yml, row 10, column 'values'", "must be a list"],
    ),
    # a workbook instead of CSVs
    "workbook-not-a-workbook": (
        lambda raw: (
            [_gone(f"{n}.csv")(raw) for n in TINY_TABLES]
            and _put("botu.xlsx", b"PK\x03\x04garbage")(raw)
        ),
        ["botu.xlsx", "cannot be read as an Excel workbook"],
    ),
    "workbook-beside-the-same-csv": (
        lambda raw: _workbook(raw, {"teams": TINY_TABLES["teams"]}),
        ["teams.csv", "is also a sheet of botu.xlsx; keep only one"],
    ),
    # links and what is not a regular file
    "link-to-nowhere": (
        _link("teams.csv", "nope.csv"),
        ["teams.csv", "which does not exist (or links back to itself)"],
    ),
    "link-to-itself": (_link("teams.csv", "teams.csv"), ["teams.csv", "links back to itself"]),
    "codebook-link-to-nowhere": (
        _link("codebook.yml", "nope.yml"),
        ["codebook.yml", "which does not exist"],
    ),
}


def _workbook(raw: Path, sheets: dict[str, str]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, text in sheets.items():
        sheet = book.create_sheet(name)
        for line in text.strip().splitlines():
            sheet.append(line.split(","))
    book.save(raw / "botu.xlsx")


@pytest.mark.parametrize("case", BROKEN, ids=str)
def test_a_broken_file_is_refused_naming_what_to_fix(tmp_path, capsys, case):
    mutate, words = BROKEN[case]
    raw = write_project(tmp_path)
    mutate(raw)
    _check_refused(tmp_path, words, capsys)


# what is not broken, only written by another program: read as the same data
TOLERATED = {
    "utf-8-with-bom": lambda text: b"\xef\xbb\xbf" + text.encode(),
    "utf-16-tab-separated": lambda text: text.replace(",", "\t").encode("utf-16"),
    "semicolons": lambda text: text.replace(",", ";").encode(),
    "windows-line-ends": lambda text: text.replace("\n", "\r\n").encode(),
    "old-mac-line-ends": lambda text: text.replace("\n", "\r").encode(),
    "blank-lines-at-the-end": lambda text: (text + "\n\n,,,,,\n").encode(),
}


@pytest.mark.parametrize("case", TOLERATED, ids=str)
def test_tables_as_other_programs_write_them_are_read_alike(tmp_path, case):
    from botu.io import read_raw_tables

    write_project(tmp_path / "plain")
    expected = read_raw_tables(tmp_path / "plain" / "data" / "raw")["teams"].frame
    raw = write_project(tmp_path / "other")
    (raw / "teams.csv").write_bytes(TOLERATED[case](TINY_TABLES["teams"]))
    got = read_raw_tables(raw)["teams"].frame
    assert got.equals(expected), got
    assert main(["--root", str(tmp_path / "other"), "build"]) == 0


def _check_refused(root: Path, words: list[str], capsys) -> None:
    raw = root / "data" / "raw"
    before = {p.name: p.read_bytes() for p in raw.iterdir() if p.is_file()}
    assert main(["--root", str(root), "build"]) == 2
    err = capsys.readouterr().err
    for word in words:
        assert word in err, (word, err)
    assert "Traceback" not in err
    assert {p.name: p.read_bytes() for p in raw.iterdir() if p.is_file()} == before
    assert not (root / "data" / "processed").exists()  # nothing written, not even in part


@pytest.mark.parametrize("case", CASES, ids=str)
def test_bad_input_is_refused_naming_file_row_and_column(tmp_path, capsys, case):
    tables, codebook, words = CASES[case]
    write_project(tmp_path, tables, codebook=codebook or TINY_CODEBOOK)
    _check_refused(tmp_path, words, capsys)


def test_a_quoted_false_is_false(tmp_path):
    from botu.codebook import load_codebook

    text = _codebook("rated: true, label: {nl: Kennis}", "rated: 'false', label: {nl: Kennis}")
    raw = write_project(tmp_path, codebook=text)
    assert load_codebook(raw / "codebook.yml").codes["hb_kennis"].rated is False


def test_a_table_that_is_a_folder(tmp_path, capsys):
    raw = write_project(tmp_path)
    (raw / "teams.csv").unlink()
    (raw / "teams.csv").mkdir()
    _check_refused(tmp_path, ["teams.csv", "is not a regular file"], capsys)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_a_table_linked_to_an_endless_device(tmp_path, capsys):
    raw = write_project(tmp_path)
    (raw / "teams.csv").unlink()
    (raw / "teams.csv").symlink_to("/dev/zero")
    _check_refused(tmp_path, ["teams.csv", "is a link to /dev/zero, outside the study"], capsys)


def test_a_table_linked_from_outside_the_study(tmp_path, capsys):
    raw = write_project(tmp_path / "study")
    outside = tmp_path / "elsewhere.csv"
    outside.write_text(TINY_TABLES["teams"], encoding="utf-8")
    (raw / "teams.csv").unlink()
    (raw / "teams.csv").symlink_to(outside)
    _check_refused(tmp_path / "study", ["teams.csv", "outside the study"], capsys)


def test_a_table_that_is_a_pipe(tmp_path, capsys):
    raw = write_project(tmp_path)
    (raw / "teams.csv").unlink()
    os.mkfifo(raw / "teams.csv")  # reading it would wait forever
    _check_refused(tmp_path, ["teams.csv", "is not a regular file"], capsys)


def test_a_codebook_too_large_to_be_written_by_hand(tmp_path, capsys):
    text = TINY_CODEBOOK + "# " + "x" * (6 * 1024 * 1024) + "\n"
    write_project(tmp_path, codebook=text)
    _check_refused(tmp_path, ["codebook.yml", "is larger than 5 MB"], capsys)


def test_a_workbook_formula_without_its_result(tmp_path, capsys):
    from openpyxl import Workbook

    raw = write_project(tmp_path)
    book = Workbook()
    sheet = book.active
    sheet.title = "ratings"
    lines = [line.split(",") for line in TINY_TABLES["ratings"].strip().splitlines()]
    for row in lines:
        sheet.append(row)
    sheet["D2"] = "=1+1"  # openpyxl writes the formula, not its result: as a script would
    book.save(raw / "botu.xlsx")
    (raw / "ratings.csv").unlink()
    _check_refused(
        tmp_path, ["botu.xlsx[ratings], row 2, column 'D'", "without its result"], capsys
    )


def test_bad_input_from_the_command_line_has_no_traceback(tmp_path):
    write_project(tmp_path, _segments_with("Het plan\x00 komt."))
    env = {**os.environ, "BOTU_ROOT": str(tmp_path), "MPLBACKEND": "Agg"}
    result = subprocess.run(
        [sys.executable, "-m", "botu", "validate"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "U+0000" in result.stderr


@pytest.mark.parametrize("dtype", [None, "string", object])
def test_spreadsheets_never_run_a_cell_of_the_data(tmp_path, dtype):
    """A processed CSV opened in Excel cannot start a formula; read back, the cell is as it
    was (issue 9, part 5); whatever the column's text type (text columns are checked by
    their first characters, others cell by cell)."""
    import pandas as pd

    from botu.io import read_processed, write_csv

    cells = ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3", "\tx", "gewoon"]
    frame = pd.DataFrame({"text": pd.Series(cells, dtype=dtype), "n": range(len(cells))})
    write_csv(frame, tmp_path / "t.csv")
    written = (tmp_path / "t.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert all(not line.lstrip('"').startswith(("=", "+", "-", "@", "\t")) for line in written)
    assert read_processed("t", tmp_path)["text"].tolist() == cells
    # missing cells stay missing, numbers among text are not text
    mixed = pd.DataFrame({"m": pd.Series(["=x", None, -5, ""], dtype=object)})
    write_csv(mixed, tmp_path / "m.csv")
    assert (tmp_path / "m.csv").read_text(encoding="utf-8") == 'm\n\'=x\n""\n-5\n""\n'


def test_a_file_where_the_processed_folder_goes(tmp_path, capsys):
    write_project(tmp_path)
    (tmp_path / "data" / "processed").write_text("not a folder", encoding="utf-8")
    assert main(["--root", str(tmp_path), "build"]) == 2
    err = capsys.readouterr().err
    assert "processed: is a file where botu writes a folder; move it away" in err
    assert (tmp_path / "data" / "processed").read_text(encoding="utf-8") == "not a folder"
    assert not list((tmp_path / "data").glob(".processed.*"))  # no staging or old folder left


def test_read_only_old_outputs_are_replaced_without_leftovers(tmp_path):
    write_project(tmp_path)
    assert main(["--root", str(tmp_path), "build"]) == 0
    processed = tmp_path / "data" / "processed"
    for path in processed.iterdir():
        path.chmod(0o444)
    processed.chmod(0o555)
    try:
        assert main(["--root", str(tmp_path), "build", "--force"]) == 0
    finally:
        processed.chmod(0o755)
    assert not list((tmp_path / "data").glob(".processed.*"))


# --- the disk: too large, full, read-only -------------------------------------------------


def test_a_table_larger_than_the_bound_is_not_read(tmp_path, capsys):
    raw = write_project(tmp_path)
    os.truncate(raw / "segments.csv", 201 * 1024 * 1024)  # sparse: takes no disk space
    _check_refused(tmp_path, ["segments.csv", "is larger than 200 MB"], capsys)


@contextlib.contextmanager
def _small_disk(where: Path, size: str):
    """A file system of ``size`` at ``where`` (tmpfs; needs root, skips otherwise)."""
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a small disk needs root (mount -t tmpfs)")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _leftovers(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.name.endswith((".part", ".old")) or p.name.startswith((".processed.", ".botu-site."))
    )


def test_a_full_disk_names_the_file_and_keeps_the_last_build(tmp_path, capsys):
    with _small_disk(tmp_path / "disk", "1m") as disk:
        raw = write_project(disk)
        assert main(["--root", str(disk), "build"]) == 0
        processed = disk / "data" / "processed"
        before = {p.name: p.read_bytes() for p in processed.iterdir()}
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        (disk / "filler").write_bytes(b"\0" * max(0, free - 8 * 1024))  # 8 KB left
        teams = raw / "teams.csv"
        teams.write_text(teams.read_text(encoding="utf-8").replace("Een", "Eén"), "utf-8")
        capsys.readouterr()
        assert main(["--root", str(disk), "build"]) == 2
        err = capsys.readouterr().err
        assert "the disk is full; free some space and run again" in err
        assert f"{processed}/" in err  # names the file that could not be written
        assert "Traceback" not in err
        assert {p.name: p.read_bytes() for p in processed.iterdir()} == before
        assert _leftovers(disk) == []


def test_a_read_only_study_is_said_to_be_read_only(tmp_path, capsys):
    with _small_disk(tmp_path / "disk", "1m") as disk:
        write_project(disk)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        assert main(["--root", str(disk), "build"]) == 2
        err = capsys.readouterr().err
        assert "the file system is read-only; work on a copy of the study" in err
        assert main(["--root", str(disk), "validate"]) == 0  # reading it is fine


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="no file size limits here")
def test_a_file_too_large_for_the_system_is_named(tmp_path):
    import resource

    write_project(tmp_path)

    def limited() -> None:  # as `ulimit -f 20`: writing past 20 KB fails with EFBIG
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20 * 1024, 20 * 1024))

    result = subprocess.run(
        [sys.executable, "-m", "botu", "--root", str(tmp_path), "build"],
        capture_output=True,
        text=True,
        cwd=REPO,
        preexec_fn=limited,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert result.returncode == 2, result.stderr
    assert "is larger than this system lets a program write (see `ulimit -f`)" in result.stderr
    assert f"{tmp_path / 'data' / 'processed'}/" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "data" / "processed").exists()
    assert _leftovers(tmp_path) == []
