"""The researchers' workbook: sheets and headers in the study's language, an about sheet,
frozen headers, filters, number formats, yes/no words, the same cells as the CSV files and the
same bytes from the same data."""

import math

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
