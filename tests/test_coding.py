import pytest

from botu.coding import coded_segments, evidence_matrix, matrix, quotes
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
