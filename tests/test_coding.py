import numpy as np
import pandas as pd
import pytest

from botu.coding import (
    coded_segments,
    distinct_counts,
    evidence_matrix,
    matrix,
    numbered,
    quotes,
    sort_order,
)
from botu.dataset import load_dataset


@pytest.fixture
def data(tiny_raw):
    return load_dataset(tiny_raw)


def test_coded_segments_union_over_coders(data):
    coded = coded_segments(data)
    s004 = coded[coded["segment_id"] == "S004"]
    # C1 said meedenken, C2 raadplegen: both codes appear once, each with its coder
    assert dict(zip(s004["code_id"], s004["coders"], strict=True)) == {
        "bi_inv_meedenken": "C1",
        "bi_inv_raadplegen": "C2",
    }
    assert set(s004["factor_id"]) == {"bewonersinitiatief"}
    only_c2 = coded_segments(data, coders=["C2"])
    assert only_c2["segment_id"].tolist() == ["S004"]


def test_coded_segments_carry_pseudonymous_context(data):
    coded = coded_segments(data).set_index(["segment_id", "code_id"])
    row = coded.loc[("S001", "hb_kennis")]
    assert row["team_id"] == "T01"
    assert row["respondent_id"] == "R-T01-01"
    assert row["actor_pseudonym"] == "Bewonersgroep B1"
    assert coded.loc[("S003", "hb_geld"), "value"] == "fonds"


def test_evidence_matrix_counts_and_zero_fills(data):
    coded = coded_segments(data)
    em = evidence_matrix(coded, ["T01", "T02"], data.codebook.segment_codes)
    assert len(em) == 2 * len(data.codebook.segment_codes)  # every cell, also empty ones
    cell = em.set_index(["team_id", "code_id"])
    # T01 hb_kennis: S001 (interview, R-T01-01) and S003 (document, no respondent)
    assert cell.loc[("T01", "hb_kennis")].tolist() == [2, 2, 1]
    assert cell.loc[("T02", "hb_kennis")].tolist() == [0, 0, 0]
    wide = matrix(em, "n_documents")
    assert wide.loc["T01", "hb_kennis"] == 2
    with pytest.raises(ValueError, match="count must be"):
        matrix(em, "n_quotes")


def test_quotes_behind_a_cell(data):
    coded = coded_segments(data)
    found = quotes(coded, team_id="T01", code_ids=["hb_kennis"])
    assert found["segment_id"].tolist() == ["S001", "S003"]
    assert found.loc[0, "source"] == "R-T01-01 (bewoner, Bewonersgroep B1)"
    assert found.loc[1, "source"] == "document D-T01-02"
    assert found.loc[1, "codes"] == "hb_geld, hb_kennis"


def test_coded_segments_do_not_depend_on_the_tables_row_order(data):
    """The tables are numbered and joined as sorted runs when they are in order: rows in any
    other order give the same coded segments and counts."""
    coded = coded_segments(data)
    shuffled = type(data).__new__(type(data))
    shuffled.__dict__.update(data.__dict__)
    shuffled.tables = {
        **data.tables,
        **{
            name: data.tables[name].iloc[::-1]
            for name in ("codings", "segments", "documents", "respondents")
        },
    }
    pd.testing.assert_frame_equal(coded_segments(shuffled), coded)
    teams, codes = ["T01", "T02"], data.codebook.segment_codes
    pd.testing.assert_frame_equal(
        evidence_matrix(coded.iloc[::-1], teams, codes), evidence_matrix(coded, teams, codes)
    )


def test_coded_segments_join_coders_and_distinct_values(data):
    codings = pd.DataFrame(
        {
            "segment_id": ["S003", "S003", "S003"],
            "code_id": ["hb_geld"] * 3,
            "coder_id": ["C3", "C1", "C2"],
            "value": ["gemeente", "fonds", "fonds|gemeente"],
        },
        dtype="string",
    )
    data.tables["codings"] = codings
    row = coded_segments(data).iloc[0]
    assert (row["coders"], row["value"]) == ("C1;C2;C3", "fonds|fonds|gemeente|gemeente")


@pytest.mark.parametrize(
    "values",
    [
        ["a", "a", "b", "c"],  # sorted: numbered by runs
        ["b", "b", "a", "a", "b"],  # in runs: hashed once per run
        ["b", "a", "c", "a"],
        ["a", "a", None, None],
        [None, None],
        [None],
        [],
    ],
)
@pytest.mark.parametrize("dtype", ["string", "str", object])
def test_numbered_as_factorize(values, dtype):
    column = pd.Series(values, dtype=dtype)
    found, uniques = numbered(column)
    expected, expected_uniques = pd.factorize(np.asarray(column, dtype=object))
    assert found.tolist() == expected.tolist() and list(uniques) == list(expected_uniques)


def test_distinct_counts_as_nunique():
    frame = pd.DataFrame(
        {"group": [0, 0, 0, 2, 2, -1], "value": ["x", "x", "y", None, "z", "x"]}, dtype=object
    )
    value, _ = numbered(frame["value"])
    counts = distinct_counts(frame["group"].to_numpy(dtype="int64"), value, 3)
    assert counts.tolist() == [2, 0, 1]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (["S2", "S1", "S3", "S1", "S2"], ["y", "x", "x", "z", "x"]),  # sorted by run and rank
        (["S2", "S1", None, "S1", "S2"], ["y", "x", "x", None, "x"]),  # missing: as pandas
    ],
)
def test_sort_order_as_sort_values(a, b):
    frame = pd.DataFrame({"a": a, "b": b}, dtype="string", index=[5, 3, 1, 4, 2])
    expected = frame.reset_index(drop=True).sort_values(["a", "b"]).index.tolist()
    assert sort_order(frame, ["a", "b"]).tolist() == expected
    in_order = frame.iloc[expected[:3]]
    assert sort_order(in_order, ["a", "b"]).tolist() == [0, 1, 2]
