"""The researchers' workbook: sheets and headers in the study's language, an about sheet,
frozen headers, filters, number formats, yes/no words, the same cells as the CSV files and the
same bytes from the same data."""

import math
import signal
import subprocess
import sys
import zipfile
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from botu import labels, pipeline
from botu.cli import main
from botu.dataset import load_dataset
from tests.conftest import REPO, write_project

LANGS = ("nl", "en")


@pytest.fixture(scope="module")
def demo():
    """The demo data's processed tables (few bootstrap draws: the intervals are not tested)."""
    return pipeline.compute(load_dataset(REPO / "data" / "raw"), n_boot=20)


@pytest.fixture(scope="module")
def books(demo, tmp_path_factory):
    """data/processed of the demo in each language: lang -> folder."""
    out = {}
    for lang in LANGS:
        target = tmp_path_factory.mktemp(f"processed-{lang}") / "processed"
        pipeline.write(demo, target, lang=lang)
        out[lang] = target
    return out


def _open(books, lang):
    return load_workbook(books[lang] / pipeline.WORKBOOK)


def _sheets(book):
    """Data sheets (the about sheet left out) by name."""
    return {ws.title: ws for ws in book.worksheets[1:]}


def _about(book):
    """The about sheet's listing: (sheet, header, field, meaning) rows under its header row."""
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    start = int(sheet.freeze_panes[1:])  # the first row under the frozen header
    return [tuple("" if v is None else v for v in row) for row in rows[start - 1 :]]


def test_catalogue_names_every_table_and_column(demo):
    for name, frame in demo.tables.items():
        for lang in LANGS:
            assert name in labels.TABLES[lang], (lang, name)
            assert labels.table_title(name, lang)[1], (lang, name)
        for column in frame.columns:
            assert labels.is_known(name, column), (name, column)


def test_catalogues_cover_the_same_keys():
    assert labels.TABLES["nl"].keys() == labels.TABLES["en"].keys()
    assert labels.COLUMNS["nl"].keys() == labels.COLUMNS["en"].keys()
    assert labels.TEXTS["nl"].keys() == labels.TEXTS["en"].keys()
    assert labels.ACTOR_TYPES["nl"].keys() == labels.ACTOR_TYPES["en"].keys()


@pytest.mark.parametrize("lang", LANGS)
def test_sheet_names_are_valid_and_unique(demo, books, lang):
    names = [ws.title for ws in _open(books, lang).worksheets]
    assert names[0] == labels.text("about_sheet", lang)
    assert len(names) == len(demo.tables) + 1
    assert len({n.casefold() for n in names}) == len(names)
    for name in names:
        assert 0 < len(name) <= 31 and not set(name) & labels.FORBIDDEN_IN_SHEET_NAMES, name


def test_clashing_or_invalid_sheet_names_are_made_unique_and_safe():
    tables = ["x" * 40, "x" * 41, "a/b:c", "Over deze werkmap"]  # unknown tables keep their name
    names = list(labels.sheet_names(tables, "nl").values())
    assert len({n.casefold() for n in names}) == 4
    assert all(len(n) <= 31 and not set(n) & labels.FORBIDDEN_IN_SHEET_NAMES for n in names)
    assert "over deze werkmap" not in {n.casefold() for n in names}  # the about sheet's name


@pytest.mark.parametrize(
    ("lang", "sheet", "headers"),
    [
        (
            "nl",
            "Betrouwbaarheid segmenten",
            ["reikwijdte", "code", "naam", "eenheden", "codeurs", "overeenstemming"],
        ),
        ("en", "Reliability segments", ["scope", "code", "name", "units", "coders", "agreement"]),
        ("nl", "Teamleden", ["team", "actor", "pseudoniem", "type actor", "rol", "aangehaakt"]),
        ("en", "Team members", ["team", "actor", "pseudonym", "actor type", "role", "joined"]),
        ("nl", "Actortypen per team", ["team", "bewoners", "fonds", "gemeente"]),
        ("en", "Actor types per team", ["team", "residents", "fund", "municipality"]),
    ],
)
def test_headers_are_in_the_study_language(books, lang, sheet, headers):
    book = _open(books, lang)
    assert [c.value for c in book[sheet][1]][: len(headers)] == headers
    for ws in _sheets(book).values():
        row = [c.value for c in ws[1]]
        assert len(set(row)) == len(row), ws.title
        assert not [h for h in row if "_" in h], ws.title  # no snake_case field names


def test_code_columns_take_the_codebook_names(demo, books):
    codebook = demo.tables["codebook"].set_index("code_id")
    for lang, sheet in [("nl", "Responsiviteit"), ("en", "Responsiveness")]:
        header = [c.value for c in _open(books, lang)[sheet][1]][1]
        assert header == codebook.loc["rs_gemeente", f"label_{lang}"]


@pytest.mark.parametrize("lang", LANGS)
def test_about_sheet_lists_every_sheet_and_column(demo, books, lang):
    book = _open(books, lang)
    about = _about(book)
    listed = {(sheet, header) for sheet, header, *_ in about}
    for ws in _sheets(book).values():
        assert (ws.title, "") in listed  # the sheet itself, with what it holds
        for cell in ws[1]:
            assert (ws.title, cell.value) in listed
    assert all(meaning for *_, meaning in about)  # every row says what it is
    fields = {(field.removesuffix(".csv")) for _, header, field, _ in about if not header}
    assert fields == set(demo.tables)
    lead = [row[0] for row in book.worksheets[0].iter_rows(max_row=5, values_only=True)]
    assert labels.text("fictional", lang) in lead  # the demo data are fictional
    assert any(line and line.startswith(labels.text("commit", lang)[:10]) for line in lead)


@pytest.mark.parametrize("lang", LANGS)
def test_every_sheet_has_a_frozen_header_a_filter_and_fitted_widths(books, lang):
    book = _open(books, lang)
    for ws in _sheets(book).values():
        assert ws.freeze_panes == "A2", ws.title
        last = ws.cell(row=1, column=ws.max_column).column_letter
        assert ws.auto_filter.ref == f"A1:{last}{max(ws.max_row, 2)}", ws.title
        widths = [ws.column_dimensions[c.column_letter].width for c in ws[1]]
        assert all(6 <= w <= 60 for w in widths), ws.title
    coded = book[labels.sheet_names(["coded_segments"], lang)["coded_segments"]]
    widths = {c.value: coded.column_dimensions[c.column_letter].width for c in coded[1]}
    assert widths[labels.column("coded_segments", "text", lang)[0]] == 60  # long quotes: capped


def test_shares_coefficients_and_counts_have_number_formats(books):
    sheet = _open(books, "nl")["Betrouwbaarheid segmenten"]
    header = {c.value: c.column_letter for c in sheet[1]}
    agreement = sheet[f"{header['overeenstemming']}2"]
    assert agreement.number_format == "0.0%" and 0 <= agreement.value <= 1  # 98.3 %, not 0.983
    for name in ("Cohens κ", "κ ondergrens", "Krippendorffs α", "α bovengrens"):
        assert sheet[f"{header[name]}2"].number_format == "0.000"
    assert sheet[f"{header['eenheden']}2"].number_format == "0"


def test_floats_carry_no_noise(books):
    book = _open(books, "nl")
    for ws in _sheets(book).values():
        for row in ws.iter_rows(min_row=2, values_only=True):
            for value in row:
                if isinstance(value, float):
                    assert value == 0 or abs(value) >= 1e-10, (ws.title, value)
                    assert round(value, 10) == value
                    assert math.copysign(1, value) == 1 or value != 0  # no -0


@pytest.mark.parametrize(("lang", "words"), [("nl", {"ja", "nee"}), ("en", {"yes", "no"})])
def test_booleans_are_words(books, lang, words):
    book = _open(books, lang)
    sheet = book[labels.sheet_names(["team_members"], lang)["team_members"]]
    header = [c.value for c in sheet[1]]
    joined = header.index(labels.column("team_members", "has_joined", lang)[0])
    values = {row[joined] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values == words


@pytest.mark.parametrize("lang", LANGS)
def test_workbook_holds_the_same_cells_as_the_csv_files(demo, books, lang):
    """Each sheet, its headers mapped back to fields through the catalogue, equals its CSV."""
    book = _open(books, lang)
    codes = dict(
        zip(
            demo.tables["codebook"]["code_id"],
            demo.tables["codebook"][f"label_{lang}"],
            strict=True,
        )
    )
    names = labels.sheet_names(list(demo.tables), lang)
    yes, no = labels.text("yes", lang), labels.text("no", lang)
    for table in demo.tables:
        csv = pd.read_csv(books[lang] / f"{table}.csv", dtype=str, keep_default_na=False)
        rows = list(book[names[table]].iter_rows(values_only=True))
        to_field = dict(
            zip(labels.headers(table, list(csv.columns), lang, codes), csv.columns, strict=True)
        )
        assert [to_field[h] for h in rows[0]] == list(csv.columns), table
        assert len(rows) - 1 == len(csv), table
        for cells, (_, expected) in zip(rows[1:], csv.iterrows(), strict=True):
            for cell, text in zip(cells, expected, strict=True):
                if cell is None:
                    assert text == "", (table, text)
                elif cell in (yes, no) and text in ("True", "False"):
                    assert (cell == yes) == (text == "True"), table
                elif isinstance(cell, (int, float)):
                    assert math.isclose(cell, float(text), abs_tol=1e-9), (table, cell, text)
                else:
                    assert str(cell) == text, (table, cell, text)


def test_formula_like_text_stays_text(tmp_path):
    from botu.io import write_workbook

    frame = pd.DataFrame({"text": ["=1+1", "@SUM(A1)"], "name": ["=cmd|' /C calc'!A0", "x"]})
    target = write_workbook({"coded_segments": frame}, tmp_path / "w.xlsx")
    sheet = load_workbook(target)[labels.sheet_names(["coded_segments"])["coded_segments"]]
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == "=1+1"
    assert sheet["B2"].data_type == "s"


def test_two_builds_give_identical_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "git_commit", lambda: "abc123")
    write_project(tmp_path)
    processed = tmp_path / "data" / "processed"
    assert main(["--root", str(tmp_path), "build"]) == 0
    first = {p.name: p.read_bytes() for p in processed.iterdir()}
    assert main(["--root", str(tmp_path), "build", "--force"]) == 0
    assert {p.name: p.read_bytes() for p in processed.iterdir()} == first
    assert pipeline.WORKBOOK in first


def test_build_language_picks_the_workbook_language_and_is_part_of_the_key(tmp_path, capsys):
    write_project(tmp_path)
    processed = tmp_path / "data" / "processed"
    assert main(["--root", str(tmp_path), "build"]) == 0
    csvs = {p.name: p.read_bytes() for p in processed.glob("*.csv")}
    assert load_workbook(processed / pipeline.WORKBOOK).sheetnames[0] == "Over deze werkmap"
    capsys.readouterr()
    assert main(["--root", str(tmp_path), "build", "--lang", "en"]) == 0
    assert "up to date" not in capsys.readouterr().out  # another language: written again
    assert load_workbook(processed / pipeline.WORKBOOK).sheetnames[0] == "About"
    assert {p.name: p.read_bytes() for p in processed.glob("*.csv")} == csvs  # CSVs unchanged
    assert main(["--root", str(tmp_path), "build", "--lang", "en"]) == 0
    assert "up to date" in capsys.readouterr().out


# --- the writer (botu.xlsx): what each cell holds, written fast -----------------------------


def _tiny_frames():
    """A table of each kind of column the writer treats on its own."""
    return {
        "reliability_segments": pd.DataFrame(
            {
                "scope": ["segment", "segment", None],  # text with NA
                "percent_agreement": [0.98321, 1 - 0.9 - 0.1, float("nan")],  # a share
                "kappa": [0.87999999999, -1e-12, float("inf")],  # a coefficient
                "n_units": pd.array([12, None, 3], dtype="Int64"),  # a count
            }
        ),
        "team_members": pd.DataFrame(
            {
                "team_id": ["T01", "T02", "=1+1"],
                "has_joined": pd.array([True, False, None], dtype="boolean"),
                "note": ["a & b <c>", "  spaced  ", "nul\x00bel\x07 gone\r\nline"],
            }
        ),
        "misc": pd.DataFrame(  # an unknown table keeps its names
            {
                "mixed": [1, 2.5, "x", True, None, np.int64(7)],
                "floats": [1e300, -1e-7, 123456789.123456789, 2.0**60, 0.1 + 0.2, -0.0],
                "long": ["x" * 40_000, "", "#N/A", "@SUM(A1)", "\ttab", "ok"],
            }
        ),
    }


def test_each_cell_holds_what_the_csv_has_with_its_format(tmp_path):
    from botu.io import FIXED_TIMESTAMP, write_workbook

    target = write_workbook(_tiny_frames(), tmp_path / "w.xlsx", notes=["een notitie"])
    book = load_workbook(target)
    assert book.sheetnames == [
        "Over deze werkmap",
        "Betrouwbaarheid segmenten",
        "Teamleden",
        "misc",
    ]
    assert book.properties.creator == "botu"
    assert book.properties.created == book.properties.modified == FIXED_TIMESTAMP
    about = book.worksheets[0]
    lead = [row[0] for row in about.iter_rows(max_row=4, values_only=True)]
    assert lead == [labels.text("title"), "een notitie", labels.text("csv"), None]
    assert about.freeze_panes == "A6" and about.auto_filter.ref == "A5:D18"
    assert [about.column_dimensions[c].width for c in "ABCD"] == [30, 30, 30, 100]

    def cells(sheet):
        return [
            [(c.value, c.number_format, c.data_type) if c.value is not None else None for c in row]
            for row in book[sheet].iter_rows(min_row=2)
        ]

    g = "General"
    assert cells("Betrouwbaarheid segmenten") == [
        [("segment", g, "s"), (0.98321, "0.0%", "n"), (0.88, "0.000", "n"), (12, "0", "n")],
        [("segment", g, "s"), (0.0, "0.0%", "n"), (0.0, "0.000", "n"), None],
        [None, None, ("inf", g, "s"), (3, "0", "n")],
    ]
    assert cells("Teamleden") == [
        [("T01", g, "s"), ("ja", g, "s"), ("a & b <c>", g, "s")],
        [("T02", g, "s"), ("nee", g, "s"), ("  spaced  ", g, "s")],
        [("=1+1", g, "s"), None, ("nulbel gone\r\nline", g, "s")],  # XML cannot hold NUL, BEL
    ]
    misc = cells("misc")
    assert [row[0] for row in misc] == [
        (1, g, "n"),
        (2.5, g, "n"),
        ("x", g, "s"),
        ("ja", g, "s"),
        None,
        (7, g, "n"),
    ]
    floats = [row[1][0] for row in misc]
    assert floats == [1e300, -1e-7, 123456789.12345679, 2.0**60, 0.3, 0.0]  # all 17 digits
    assert math.copysign(1, floats[-1]) == 1  # -0.0 is 0
    assert [row[2] and row[2][0] for row in misc] == [
        "x" * 32_767,  # a cell holds no more
        None,
        "#N/A",  # text, not an error
        "@SUM(A1)",
        "\ttab",
        "ok",
    ]
    assert all(row[2] is None or row[2][2] == "s" for row in misc)

    for sheet, widths in [
        ("Betrouwbaarheid segmenten", [12, 17, 10, 10]),  # share, coefficient: fixed
        ("Teamleden", [6, 12, 19]),  # the text as it is stored
        ("misc", [7, 23, 60]),
    ]:
        ws = book[sheet]
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
        assert [ws.column_dimensions[c.column_letter].width for c in ws[1]] == widths, sheet
        for cell in ws[1]:
            assert cell.font.b and cell.alignment.wrap_text and cell.alignment.vertical == "top"
        assert not ws["A2"].font.b


def test_the_same_data_give_the_same_bytes(tmp_path):
    from botu.io import write_workbook

    first = write_workbook(_tiny_frames(), tmp_path / "a.xlsx").read_bytes()
    assert write_workbook(_tiny_frames(), tmp_path / "b.xlsx").read_bytes() == first
    with zipfile.ZipFile(tmp_path / "a.xlsx") as archive:
        assert {i.date_time for i in archive.infolist()} == {(2028, 1, 1, 0, 0, 0)}
        assert archive.namelist()[0] == "[Content_Types].xml"
        for name in archive.namelist():  # every part is well-formed XML
            ElementTree.fromstring(archive.read(name))


def test_a_table_longer_than_a_sheet_goes_on_in_continued_sheets(tmp_path, monkeypatch):
    from botu import xlsx
    from botu.io import write_workbook

    monkeypatch.setattr(xlsx, "MAX_ROWS", 4)  # a header and 3 rows
    frames = {
        "a" * 40: pd.DataFrame({"xa": range(7), "xb": [f"r{i}" for i in range(7)]}),
        "a" * 31 + " (2)": pd.DataFrame({"xa": [1]}),  # unknown tables keep their names
        "coded_segments": pd.DataFrame({"text": ["x", "y", "z"]}),  # fits: not continued
    }
    book = load_workbook(write_workbook(frames, tmp_path / "w.xlsx", lang="en"))
    names = book.sheetnames
    first = "a" * 31
    assert names == ["About", first, "a" * 27 + " (3)", "a" * 27 + " (4)", "a" * 27 + " (2)",
                     "Coded segments"]  # fmt: skip
    assert all(len(n) <= 31 for n in names) and len({n.casefold() for n in names}) == 6
    parts = [list(book[n].iter_rows(values_only=True)) for n in names[1:4]]
    assert [rows[0] for rows in parts] == [("xa", "xb")] * 3  # each with its header
    assert [r for rows in parts for r in rows[1:]] == [(i, f"r{i}") for i in range(7)]
    for name in names[1:4]:
        sheet = book[name]
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:B{sheet.max_row}"
    about = {row[0]: row[3] for row in _about(book) if row[1] == ""}
    assert about[first].endswith("(rows 1–3 of " + "a" * 40 + ".csv)")
    assert about["a" * 27 + " (4)"].endswith("(rows 7–7 of " + "a" * 40 + ".csv)")
    assert "rows" not in about["Coded segments"]


def test_floats_are_rounded_as_python_rounds():
    from botu.xlsx import rounded

    rng = np.random.default_rng(3)
    numbers = np.concatenate(
        [
            rng.random(20_000),
            rng.normal(size=20_000) * 10.0 ** rng.uniform(-12, 16, 20_000),
            (np.arange(5_000) + 0.5) / 1e10,  # ties at the tenth decimal
            [0.0, -0.0, -1e-12, 5e-324, 1.7976931348623157e308, 2.0**42, -(2.0**42) + 0.5],
        ]
    )
    for digits in (0, 3, 10):
        expected = [round(x, digits) + 0.0 for x in numbers.tolist()]
        got = rounded(numbers, digits).tolist()
        assert got == expected
        assert [math.copysign(1, x) for x in got] == [math.copysign(1, x) for x in expected]


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="no file size limits here")
def test_a_write_the_system_refuses_is_an_os_error_and_leaves_nothing(tmp_path):
    code = """
import errno, os, resource, signal, sys
from pathlib import Path
import pandas as pd
from botu.io import write_workbook
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))
frame = pd.DataFrame({"text": [os.urandom(12).hex() for _ in range(40_000)]})
target = Path(sys.argv[1]) / "w.xlsx"
try:
    write_workbook({"coded_segments": frame}, target)
except OSError as exc:
    print(exc.errno == errno.EFBIG, exc.filename == str(target))
"""
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, cwd=REPO
    )
    assert result.stdout.split() == ["True", "True"], result.stderr
    assert result.stderr == ""  # no traceback from a thread
    assert list(tmp_path.iterdir()) == []  # no half-written file left


def test_a_large_study_gets_its_workbook_only_when_asked(tmp_path, monkeypatch, capsys):
    write_project(tmp_path)
    processed = tmp_path / "data" / "processed"
    monkeypatch.setattr(pipeline, "WORKBOOK_MAX_CELLS", 10)  # the tiny study is "large"
    assert main(["--root", str(tmp_path), "build"]) == 0
    out = capsys.readouterr().out
    assert "the Excel copy is left out" in out and "build --workbook" in out
    assert (processed / "codings.csv").exists() and not (processed / pipeline.WORKBOOK).exists()
    assert main(["--root", str(tmp_path), "build", "--workbook"]) == 0  # asked: not reused
    assert (processed / pipeline.WORKBOOK).exists()
    assert "left out" not in capsys.readouterr().out
    assert main(["--root", str(tmp_path), "build", "--no-workbook"]) == 0
    assert not (processed / pipeline.WORKBOOK).exists()
    monkeypatch.setattr(pipeline, "WORKBOOK_MAX_CELLS", 10**9)
    assert main(["--root", str(tmp_path), "build", "--force"]) == 0
    assert (processed / pipeline.WORKBOOK).exists()
