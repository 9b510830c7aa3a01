"""The same project loads identically from CSV files and from one workbook."""

import pandas as pd
import pytest

from botu.dataset import load_dataset, segments_by_team, table_counts
from botu.schema import TABLE_ORDER


def test_workbook_and_csv_give_the_same_tables(tiny_raw, tmp_path):
    from_csv = load_dataset(tiny_raw)
    book_dir = tmp_path / "book"
    book_dir.mkdir()
    (book_dir / "codebook.yml").write_text((tiny_raw / "codebook.yml").read_text())
    with pd.ExcelWriter(book_dir / "botu.xlsx") as writer:
        for name in TABLE_ORDER:
            # as a researcher's Excel holds it: numbers as numbers, ids that look numeric too
            frame = pd.read_csv(tiny_raw / f"{name}.csv", keep_default_na=False)
            frame.to_excel(writer, sheet_name=name, index=False)
    from_book = load_dataset(book_dir)
    for name in TABLE_ORDER:
        pd.testing.assert_frame_equal(from_book.tables[name], from_csv.tables[name])


def test_problems_in_a_workbook_name_the_sheet(tiny_raw, tmp_path):
    book_dir = tmp_path / "book"
    book_dir.mkdir()
    (book_dir / "codebook.yml").write_text((tiny_raw / "codebook.yml").read_text())
    with pd.ExcelWriter(book_dir / "botu.xlsx") as writer:
        for name in TABLE_ORDER:
            frame = pd.read_csv(tiny_raw / f"{name}.csv", keep_default_na=False, dtype=str)
            if name == "codings":
                frame.loc[1, "code_id"] = "onbekend"
            frame.to_excel(writer, sheet_name=name, index=False)
    with pytest.raises(Exception, match=r"botu\.xlsx\[codings\], row 3, column 'code_id'"):
        load_dataset(book_dir)


def test_overview_tables(tiny_raw):
    data = load_dataset(tiny_raw)
    counts = table_counts(data).set_index("table")["rows"]
    assert counts["segments"] == 4 and counts["codebook (codes)"] == 10
    by_team = segments_by_team(data, total="totaal")
    assert by_team.loc["T01", "document"] == 2 and by_team.loc["totaal", "totaal"] == 4
