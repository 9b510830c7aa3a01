from pathlib import Path

import pandas as pd
import pytest

from botu.errors import InputError
from botu.io import atomic_path, read_csv_table, read_raw_tables, read_workbook, write_csv


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_comma_csv_keeps_ids_as_text(tmp_path):
    path = write(tmp_path / "teams.csv", b"team_id,name\n007,Zeven\nT01,Een\n")
    table = read_csv_table(path)
    assert table.frame["team_id"].tolist() == ["007", "T01"]  # not 7


def test_dutch_excel_csv_semicolon_with_bom(tmp_path):
    text = "team_id;name;note\r\nT01;Demo-team Zorg;met, komma\r\n"
    path = write(tmp_path / "teams.csv", b"\xef\xbb\xbf" + text.encode("utf-8"))
    table = read_csv_table(path)
    assert list(table.frame.columns) == ["team_id", "name", "note"]  # BOM not in 'team_id'
    assert table.frame.loc[0, "note"] == "met, komma"


def test_quoted_newline_counts_as_one_row(tmp_path):
    path = write(tmp_path / "segments.csv", b'segment_id,text\nS1,"twee\nregels"\nS2,een\n')
    assert read_csv_table(path).frame["segment_id"].tolist() == ["S1", "S2"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"a,b\n1,2\n3,4,5\n", "teams.csv, row 3: has 3 fields, the header has 2"),  # extra field
        (b"a,b\n1\n", "teams.csv, row 2: has 1 fields"),  # missing field
        (b"a,b\n\xff\xfe,1\n", "teams.csv: is not UTF-8 text (byte 0xff on line 2)"),  # latin-1
        (b"", "teams.csv: is empty"),  # nothing at all
        (b"a,,b\n1,2,3\n", "teams.csv, row 1: the header has an empty column name"),
        (b"a,a\n1,2\n", "teams.csv, row 1, column 'a': column name appears more than once"),
    ],
)
def test_malformed_csv_names_file_and_row(tmp_path, data, expected):
    path = write(tmp_path / "teams.csv", data)
    with pytest.raises(InputError) as info:
        read_csv_table(path)
    assert expected in str(info.value)


def test_workbook_sheets_become_tables_with_text_ids(tmp_path):
    path = tmp_path / "botu.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"team_id": ["T01"], "sibd_phase_reached": [2]}).to_excel(
            writer, sheet_name="teams", index=False
        )
        pd.DataFrame({"actor_id": [7], "is_local": [True]}).to_excel(
            writer, sheet_name="actors", index=False
        )
    tables = read_workbook(path)
    assert tables["teams"].frame.loc[0, "sibd_phase_reached"] == "2"  # not "2.0"
    assert tables["actors"].frame.loc[0, "actor_id"] == "7"
    assert tables["actors"].frame.loc[0, "is_local"] == "true"
    assert tables["teams"].source == "botu.xlsx[teams]"


def test_table_given_as_csv_and_sheet_is_refused(tiny_raw):
    with pd.ExcelWriter(tiny_raw / "botu.xlsx") as writer:
        pd.DataFrame({"team_id": ["T01"]}).to_excel(writer, sheet_name="teams", index=False)
    with pytest.raises(InputError, match=r"also a sheet of botu\.xlsx"):
        read_raw_tables(tiny_raw)


def test_missing_table_is_named(tiny_raw):
    (tiny_raw / "ratings.csv").unlink()
    with pytest.raises(InputError, match="table 'ratings' is missing"):
        read_raw_tables(tiny_raw)


def test_atomic_path_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.csv"
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_write_csv_is_byte_identical(tmp_path):
    frame = pd.DataFrame({"team_id": ["T01", "T02"], "score": [1.5, 2.0]})
    a = write_csv(frame, tmp_path / "a.csv").read_bytes()
    b = write_csv(frame, tmp_path / "b.csv").read_bytes()
    assert a == b and b"\r\n" not in a


def test_row_numbers_count_blank_lines_as_a_spreadsheet_does(tmp_path):
    path = write(tmp_path / "teams.csv", b"team_id,name\n\nT01,a\n\nT02,b,extra\n")
    with pytest.raises(InputError, match=r"teams\.csv, row 5: has 3 fields"):
        read_csv_table(path)
    table = read_csv_table(write(tmp_path / "ok.csv", b"team_id,name\n\nT01,a\n\nT02,b\n"))
    assert [table.row_number(i) for i in range(2)] == [3, 5]


def test_outputs_are_readable_by_others(tmp_path):
    import os
    import stat

    old = os.umask(0o022)
    try:
        target = write_csv(pd.DataFrame({"a": [1]}), tmp_path / "out.csv")
    finally:
        os.umask(old)
    assert target.stat().st_mode & stat.S_IROTH  # not the 0600 of a temporary file


def test_workbook_keeps_formula_like_text_inert(tmp_path):
    from openpyxl import load_workbook

    from botu.io import write_workbook

    target = write_workbook(
        {"t": pd.DataFrame({"text": ['=HYPERLINK("http://x","klik")']})}, tmp_path / "w.xlsx"
    )
    cell = load_workbook(target)["t"]["A2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_error_messages_stay_readable_for_hostile_sizes():
    from botu.errors import MAX_LISTED, InputError, Problem

    huge = Problem("x.csv", 2, "name", "'" + "a" * 100_000 + "' is not valid")
    assert len(str(huge)) < 500
    many = InputError([Problem("x.csv", n, "a", "bad") for n in range(2, 2 + 5 * MAX_LISTED)])
    text = str(many)
    assert text.count("\n") == MAX_LISTED + 1 and text.endswith(f"… and {4 * MAX_LISTED} more")
