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
