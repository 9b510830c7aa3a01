"""Broken inputs: each gives a message naming file, row and column."""

import pytest

from botu.dataset import load_dataset
from botu.errors import InputError
from tests.conftest import TINY_TABLES, write_project


def replace(table: str, old: str, new: str) -> dict[str, str]:
    assert old in TINY_TABLES[table], old
    return {table: TINY_TABLES[table].replace(old, new, 1)}


def problems_for(tmp_path, tables) -> str:
    raw = write_project(tmp_path, tables)
    with pytest.raises(InputError) as info:
        load_dataset(raw)
    return str(info.value)


def test_tiny_project_is_valid(tiny_raw):
    data = load_dataset(tiny_raw)
    assert [p for p in data.warnings if p.severity == "error"] == []
    assert data.team_ids == ["T01", "T02"]
    assert data.is_fictional
    assert str(data.segments["segment_id"].dtype) == "string"
    assert data.ratings["score"].isna().sum() == 1  # the NA stays missing, never 0


@pytest.mark.parametrize(
    ("tables", "expected"),
    [
        # a code that is not in the codebook
        (
            replace("codings", "S002,bi_herkomst_bewoners", "S002,bi_herkomst_buren"),
            "codings.csv, row 3, column 'code_id': unknown code 'bi_herkomst_buren'",
        ),
        # a coding on a segment that does not exist
        (
            replace("codings", "S001,hb_kennis", "S999,hb_kennis"),
            "codings.csv, row 2, column 'segment_id': 'S999' is not a segment_id in segments.csv",
        ),
        # a segment whose document does not exist
        (
            replace("segments", "S004,D-T02-01", "S004,D-T09-01"),
            "segments.csv, row 5, column 'document_id': 'D-T09-01' is not a document_id",
        ),
        # a score outside 0–3
        (
            replace("ratings", "T01,uit_de_wijk,CONS,3", "T01,uit_de_wijk,CONS,4"),
            "ratings.csv, row 4, column 'score': score 4 is not 0, 1, 2, 3 or NA",
        ),
        # the same coding twice
        (
            replace(
                "codings",
                "S001,hb_kennis,C1,,true\n",
                "S001,hb_kennis,C1,,true\nS001,hb_kennis,C1,,true\n",
            ),
            "codings.csv, row 3, column 'coder_id': duplicate key (segment_id=S001, "
            "code_id=hb_kennis, coder_id=C1); first given in row 2",
        ),
        # an interview without its respondent
        (
            replace("documents", "interview,1,2021-04-01,R-T01-01", "interview,1,2021-04-01,"),
            "documents.csv, row 2, column 'respondent_id': an interview needs a respondent_id",
        ),
        # a value that the code does not allow, and a missing one
        (
            replace("codings", "hb_geld,C1,fonds", "hb_geld,C1,bank"),
            "codings.csv, row 4, column 'value': 'bank' is not a value of 'hb_geld'",
        ),
        (
            replace("codings", "hb_geld,C1,fonds", "hb_geld,C1,"),
            "codings.csv, row 4, column 'value': code 'hb_geld' needs a value",
        ),
        # evidence cited from another team
        (
            replace("ratings", "T01,hb_kennis,CONS,2,S001;S003", "T01,hb_kennis,CONS,2,S001;S004"),
            "ratings.csv, row 2, column 'evidence': evidence segment 'S004' is from team T02",
        ),
        # a rating on a factor that is not rated per team
        (
            replace("ratings", "T01,uit_de_wijk,CONS", "T01,bi_herkomst_bewoners,CONS"),
            "column 'factor_id': 'bi_herkomst_bewoners' is not rated per team",
        ),
        # a required column missing
        (
            {
                "teams": TINY_TABLES["teams"]
                .replace("coalition_type,", "")
                .replace("gevestigd,", "")
                .replace("nieuw,", "")
            },
            "teams.csv, row 1, column 'coalition_type': required column 'coalition_type' is "
            "missing",
        ),
        # wrong enumeration, bad date, bad boolean, non-integer
        (replace("teams", "gevestigd", "oud"), "teams.csv, row 2, column 'coalition_type': 'oud'"),
        (
            replace("documents", "2021-05-01", "1-5-2021"),
            "documents.csv, row 3, column 'date': '1-5-2021' is not a date as YYYY-MM-DD",
        ),
        (
            replace("actors", "fonds,false,false", "fonds,misschien,false"),
            "actors.csv, row 4, column 'is_capital_rich': 'misschien' is not true/false",
        ),
        (
            replace("teams", "zorg_jeugd,gevestigd,2", "zorg_jeugd,gevestigd,2.5"),
            "teams.csv, row 2, column 'sibd_phase_reached': '2.5' is not a whole number",
        ),
        # an id with a space
        (
            replace("teams", "T01,Demo-team Een", "T 01,Demo-team Een"),
            "teams.csv, row 2, column 'team_id': 'T 01' is not a valid id",
        ),
        # segment end before start
        (replace("segments", 'tijd.",0,38', 'tijd.",38,0'), "column 'end': end 0 is not after"),
    ],
)
def test_broken_input_is_located(tmp_path, tables, expected):
    assert expected in problems_for(tmp_path, tables)


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    tables = {
        **replace("codings", "S001,hb_kennis", "S001,onbekend"),
        **replace("teams", "gevestigd", "oud"),
    }
    message = problems_for(tmp_path, tables)
    assert "2 problem(s)" in message
    assert "unknown code 'onbekend'" in message and "'oud'" in message


def test_unknown_column_and_extra_actor_type_are_warnings(tmp_path):
    tables = {
        **replace("actors", "A03,Fonds F1,fonds", "A03,Fonds F1,kerk"),
        "teams": TINY_TABLES["teams"]
        .replace("team_id,", "team_id,kleur,")
        .replace("T01,", "T01,rood,")
        .replace("T02,", "T02,blauw,"),
    }
    data = load_dataset(write_project(tmp_path, tables))
    messages = [str(p) for p in data.warnings]
    assert any("column 'kleur': warning: unknown column" in m for m in messages)
    assert any("'kerk' is not a codebook actor_type" in m for m in messages)


def test_non_strict_returns_errors_as_warnings(tmp_path):
    raw = write_project(tmp_path, replace("teams", "gevestigd", "oud"))
    data = load_dataset(raw, strict=False)
    assert any(p.severity == "error" for p in data.warnings)


def test_tables_without_optional_columns_give_no_false_problems(tmp_path):
    # without is_fictional every cell of a row is text or empty; empty must stay "missing"
    tables = {
        name: "\n".join(",".join(line.split(",")[:-1]) for line in text.strip().splitlines()) + "\n"
        for name, text in TINY_TABLES.items()
        if name in ("codings", "ratings")
    }
    data = load_dataset(write_project(tmp_path, tables))
    assert data.warnings == []
    broken = tables["codings"].replace("hb_geld,C1,fonds", "hb_geld,C1,")
    message = problems_for(tmp_path / "b", {**tables, "codings": broken})
    assert "code 'hb_geld' needs a value" in message


UNASSIGNED_GROUP = """\
  - {id: unassigned, parent: null, level: segment, label: {nl: Niet toegewezen}}
  - {id: c_1_oltas_tipusa, parent: unassigned, level: segment, label: {nl: Oltás típusa}}
  - {id: c_2_forras, parent: unassigned, level: segment, label: {nl: Forrás}}
  - {id: c_3_penz, parent: c_2_forras, level: segment, label: {nl: Pénz}}
"""


def test_unassigned_codes_are_one_warning(tmp_path):
    from tests.conftest import TINY_CODEBOOK

    raw = write_project(tmp_path, codebook=TINY_CODEBOOK + UNASSIGNED_GROUP)
    data = load_dataset(raw)
    found = [p for p in data.warnings if "not assigned to a factor" in p.message]
    assert len(found) == 1
    problem = found[0]
    assert problem.severity == "warning" and problem.file == "codebook.yml"
    assert problem.message.startswith("3 code(s) are not assigned to a factor")
    assert "c_1_oltas_tipusa, c_2_forras, c_3_penz;" in problem.message
    assert "`factors:`" in problem.message


def test_no_unassigned_warning_without_the_group(tiny_raw):
    data = load_dataset(tiny_raw)
    assert not [p for p in data.warnings if "not assigned" in p.message]


# --- the vectorised typing and checks (issue 10): the same values and messages as the
# per-cell parser and the per-row checks they replace ---------------------------------

UNUSUAL_CELLS = [
    "", "  ", "1", " 2 ", "2.0", "1,0", "-1", "0", "4", "1_000", "١٢", "+3", "1e3", "nan", "x",
    "9007199254740993", "true", "false", "Ja", " nee ", "TRUE", "NA", "na", "2021-04-01",
    "2021-13-01", "T01", " T01 ", "T 01", "é_1", "..", ".a", "a.", "S001;S003", "S001; S003",
    ";S002;", "a/b", "interview", "Interview", "gevestigd",
]  # fmt: skip

# a column of each kind (and each fast way): table, column
KIND_COLUMNS = [
    ("teams", "team_id"),  # id
    ("documents", "respondent_id"),  # id, nullable
    ("segments", "start"),  # int, minimum 0
    ("teams", "sibd_phase_reached"),  # int, nullable, 1-4
    ("memberships", "prior_collaboration_years"),  # float
    ("actors", "is_local"),  # bool
    ("documents", "date"),  # date
    ("ratings", "score"),  # score
    ("ratings", "evidence"),  # idlist
    ("documents", "kind"),  # text with choices
    ("documents", "title"),  # text
    ("segments", "text"),  # text with its spacing kept
]


def _raw_table(name: str, columns: dict[str, list[str]], rows: list[int] | None = None):
    from pathlib import Path

    import pandas as pd

    from botu.io import RawTable

    frame = pd.DataFrame(columns, dtype=object)
    return RawTable(name, frame, f"{name}.csv", Path(f"{name}.csv"), rows)


@pytest.mark.parametrize(("table_name", "column_name"), KIND_COLUMNS)
@pytest.mark.parametrize("n_copies", [1, 3])
def test_typing_a_column_gives_what_the_cell_parser_gives(table_name, column_name, n_copies):
    import pandas as pd

    from botu.schema import TABLES
    from botu.validate import _KEEP_SPACING, DTYPES, _parse_cell, type_table

    table = TABLES[table_name]
    column = table.column(column_name)
    cells = UNUSUAL_CELLS * n_copies
    problems = []
    typed = type_table(_raw_table(table_name, {column_name: cells}), table, problems)
    keep = (table_name, column_name) in _KEEP_SPACING
    parsed = [_parse_cell(c if keep else c.strip(), column) for c in cells]
    expected = pd.Series([value for value, _ in parsed], dtype=object)
    if column.kind == "date":
        expected = pd.to_datetime(expected)
    else:
        expected = expected.astype(DTYPES[column.kind])
    pd.testing.assert_series_equal(
        typed[column_name], expected, check_names=False, check_exact=True
    )
    found = [
        (p.row, p.message)
        for p in problems
        if p.column == column_name and not p.message.startswith("duplicate key")
    ]
    assert found == [(i + 2, error) for i, (_, error) in enumerate(parsed) if error]


@pytest.mark.parametrize("kind_column", KIND_COLUMNS)
def test_an_empty_table_is_typed(kind_column):
    from botu.schema import TABLES
    from botu.validate import type_table

    table_name, column_name = kind_column
    typed = type_table(_raw_table(table_name, {column_name: []}), TABLES[table_name], [])
    assert len(typed) == 0 and list(typed.columns) == TABLES[table_name].column_names


def test_plain_ids_are_recognised_at_once_and_others_one_by_one():
    import numpy as np

    from botu.validate import ID_PATTERN, _plain_ids

    for values in (["T01", "a.b", "x:y-z_1"], [], ["T1"]):
        assert _plain_ids(np.array(values, dtype=object))
    for values in (
        ["T01", ""],
        [""],
        ["T01", "T 2"],
        ["..", "T1"],
        ["T1", ".a"],  # valid, but left to ID_PATTERN (starts with a dot)
        ["é"],  # valid, but not ASCII
        ["a\x1fb"],
    ):
        array = np.empty(len(values), dtype=object)
        array[:] = values
        assert not _plain_ids(array)
    assert ID_PATTERN.match(".a") and ID_PATTERN.match("é")


@pytest.mark.parametrize("shuffled", [False, True])
def test_duplicate_keys_name_the_first_row_sorted_or_not(shuffled):
    from botu.schema import TABLES
    from botu.validate import type_table

    keys = [("S1", "c1", "C1"), ("S1", "c2", "C1"), ("S2", "c1", "C1"), ("S1", "c1", "C1")]
    keys += [("S2", "c1", "C2"), ("S2", "c1", "C1"), ("", "c1", "C1"), ("", "c1", "C1")]
    if shuffled:
        keys = keys[3:] + keys[:3]
    columns = {c: [k[i] for k in keys] for i, c in enumerate(TABLES["codings"].key)}
    problems = []
    type_table(_raw_table("codings", columns), TABLES["codings"], problems)
    duplicates = [(p.row, p.message) for p in problems if "duplicate" in p.message]
    first = {}
    expected = []
    for i, key in enumerate(keys):  # the per-row loop the vectorised check replaced
        if "" in key:
            continue
        if key in first:
            shown = f"segment_id={key[0]}, code_id={key[1]}, coder_id={key[2]}"
            expected.append((i + 2, f"duplicate key ({shown}); first given in row {first[key]}"))
        else:
            first[key] = i + 2
    assert duplicates == expected and len(expected) == 2


def test_sorted_keys_with_a_missing_part_are_still_checked():
    from botu.schema import TABLES
    from botu.validate import type_table

    columns = {"segment_id": ["S1", "S1", "S1"], "code_id": ["c1", "", "c1"]}
    columns["coder_id"] = ["C1", "C1", "C1"]
    problems = []
    type_table(_raw_table("codings", columns), TABLES["codings"], problems)
    assert [p.row for p in problems if "duplicate" in p.message] == [4]


def test_row_numbers_follow_the_file_when_blank_rows_are_left_out(tmp_path):
    tables = {
        "actors": TINY_TABLES["actors"].replace("A02,", "\n,,,,,\n   \nA02,", 1)
        + "\n\n"
        + "A03,Nog een,bewoners,false,true,true\n"
    }
    with pytest.raises(InputError) as info:
        load_dataset(write_project(tmp_path, tables))
    assert (
        "actors.csv, row 10, column 'actor_id': duplicate key (actor_id=A03); first given "
        "in row 7" in str(info.value)
    )


@pytest.mark.parametrize(
    "text",
    [
        'team_id,name\nT01,"een, twee"\nT02,"drie ""vier"""\n',  # quoted cells
        'team_id,name\r\nT01,"een\r\ntwee"\r\nT02,b\r\n',  # CR LF, a line end in a cell
        "team_id;name\nT01;a\n\n;\nT02;b\n\n\n",  # semicolons, blank lines
        'team_id,name\nT01,a "b" c\n',  # a quote inside an unquoted cell
        'team_id,name\nT01,"a"b\n',  # text after a closing quote (csv refuses it)
        "team_id,name\nT01\nT02,b,c\n",  # rows of other lengths
        "team_id,name\rT01,a\rT02,b",  # old Mac line ends, no last one
        "\n\nteam_id,name\nT01,a\n",  # blank lines before the header
        "team_id,name\nT01,a\x0bb\n",  # a control character
    ],
)
def test_plain_csv_reads_as_the_csv_module_reads(tmp_path, text):
    import csv
    import io

    from botu.io import read_csv_table

    path = tmp_path / "teams.csv"
    path.write_bytes(text.encode("utf-8"))
    try:
        table = read_csv_table(path)
    except InputError as exc:
        got = str(exc)
    else:
        got = (
            list(table.frame.columns),
            table.frame.to_numpy().tolist(),
            [table.row_number(i) for i in range(len(table.frame))],
        )
    delimiter = ";" if ";" in text.split("\n")[0] else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error:
        assert isinstance(got, str) and "is not valid CSV" in got
        return
    numbered = [(n, r) for n, r in enumerate(rows, start=1) if any(c.strip() for c in r)]
    if any(len(r) != len(numbered[0][1]) for _, r in numbered) or "\x0b" in text:
        assert isinstance(got, str)  # the problems, located as before
        return
    header, *body = numbered
    assert got == (header[1], [r for _, r in body], [n for n, _ in body])
