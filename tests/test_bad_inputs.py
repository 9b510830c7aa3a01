"""Bad input, refused cleanly (issue 9, part 1): one message naming the file, row and column
and what to do, exit status 2, no traceback, data/raw untouched, nothing written.

Each case starts from the tiny valid project of :mod:`tests.conftest` and breaks one thing.
"""

from __future__ import annotations

import os
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


def test_spreadsheets_never_run_a_cell_of_the_data(tmp_path):
    """A processed CSV opened in Excel cannot start a formula; read back, the cell is as it
    was (issue 9, part 5)."""
    import pandas as pd

    from botu.io import read_processed, write_csv

    cells = ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3", "\tx", "gewoon"]
    frame = pd.DataFrame({"text": cells, "n": range(len(cells))})
    write_csv(frame, tmp_path / "t.csv")
    written = (tmp_path / "t.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert all(not line.lstrip('"').startswith(("=", "+", "-", "@", "\t")) for line in written)
    assert read_processed("t", tmp_path)["text"].tolist() == cells


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
