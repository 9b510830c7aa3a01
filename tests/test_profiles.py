import pandas as pd
import pytest

from botu import profiles
from botu.coding import coded_segments
from botu.dataset import load_dataset


@pytest.fixture
def data(tiny_raw):
    return load_dataset(tiny_raw)


@pytest.fixture
def coded(data):
    return coded_segments(data)


def test_evidence_check(data, coded):
    check = profiles.evidence_check(data, coded).set_index(["team_id", "factor_id", "rater_id"])
    # 2 cited segments from 2 documents, coded inside the factor: enough
    assert check.loc[("T01", "hb_kennis", "CONS"), "is_evidence_ok"]
    # a parent factor accepts evidence coded with any code below it
    assert check.loc[("T01", "hulpbronnen", "CONS"), "n_cited_valid"] == 2
    # score 3 on one segment: not enough
    assert not check.loc[("T01", "uit_de_wijk", "CONS"), "is_evidence_ok"]
    # NA needs nothing
    assert check.loc[("T01", "door_de_wijk", "CONS"), "is_evidence_ok"]
    # a score of 1 needs nothing either
    assert check.loc[("T02", "door_de_wijk", "C2"), "is_evidence_ok"]


def test_evidence_must_be_coded_inside_the_factor(tmp_path):
    from tests.conftest import TINY_TABLES, write_project

    ratings = TINY_TABLES["ratings"].replace(
        "T01,hb_kennis,CONS,2,S001;S003", "T01,hb_kennis,CONS,2,S002;S003"
    )  # S002 is coded bi_herkomst_bewoners, not hb_kennis
    data = load_dataset(write_project(tmp_path, {"ratings": ratings}))
    check = profiles.evidence_check(data, coded_segments(data))
    row = check[(check["team_id"] == "T01") & (check["factor_id"] == "hb_kennis")].iloc[0]
    assert (row["n_cited"], row["n_cited_valid"], bool(row["is_evidence_ok"])) == (2, 1, False)


def test_factor_profiles(data, coded):
    prof = profiles.factor_profiles(data, coded).set_index(["team_id", "factor_id"])
    row = prof.loc[("T02", "door_de_wijk")]
    assert (row["score"], row["score_C1"], row["score_C2"]) == (2, 2, 1)
    assert row["family"] == "bewonersinitiatief"
    assert row["n_coded_segments"] == 1
    assert pd.isna(prof.loc[("T01", "door_de_wijk"), "score"])
    # codebook order within a team
    assert prof.loc["T01"].index.tolist() == [
        "hulpbronnen",
        "hb_kennis",
        "uit_de_wijk",
        "door_de_wijk",
    ]


def test_origin_involvement_rule():
    prof = pd.DataFrame(
        {
            "team_id": ["T1"] * 3 + ["T2"] * 3 + ["T3"] * 3,
            "factor_id": ["uit_de_wijk", "door_de_wijk", "bewonersinitiatief"] * 3,
            "score": [
                3,
                1,
                2,  # within both bounds
                2,
                0,
                2,  # above door_de_wijk + 1
                2,
                2,
                3,
            ],  # above uit_de_wijk
        }
    )
    coded = pd.DataFrame(columns=["team_id", "code_id", "segment_id"])

    class Book:
        def children(self, code_id):
            return []

    table = profiles.origin_involvement(prof, coded, Book()).set_index("team_id")
    assert table["is_rule_ok"].tolist() == [True, False, False]
    assert table["gap"].tolist() == [2, 2, 0]


@pytest.mark.parametrize(
    ("gemeente", "corporatie", "fonds", "expected"),
    [
        (3, 1, pd.NA, 3),  # best of municipality and corporation
        (2, pd.NA, pd.NA, 2),  # corporation not involved
        (3, 2, 1, 2),  # another actor the plan depends on is weak: one lower
        (0, pd.NA, 1, 0),  # never below 0
    ],
)
def test_responsiveness_rule(gemeente, corporatie, fonds, expected):
    prof = pd.DataFrame(
        {
            "team_id": ["T1"] * 3,
            "factor_id": ["rs_gemeente", "rs_corporatie", "rs_fonds"],
            "score": pd.array([gemeente, corporatie, fonds], dtype="Int64"),
        }
    )
    coded = pd.DataFrame(columns=["team_id", "code_id", "value", "segment_id"])
    table = profiles.responsiveness(prof, coded)
    assert table.loc[0, "rule_score"] == expected
    assert table.loc[0, "is_municipality_co_developing"] == (gemeente == 3)


def test_barriers_long_table():
    prof = pd.DataFrame(
        {"team_id": ["T1", "T1"], "factor_id": ["bar_tijd", "bar_geld"], "score": [3, 2]}
    )
    coded = pd.DataFrame(
        {"team_id": ["T1", "T1"], "code_id": ["bar_tijd", "bar_tijd"], "segment_id": ["S1", "S2"]}
    )
    table = profiles.barriers(prof, coded).set_index("barrier_id")
    assert len(table) == len(profiles.BARRIERS)
    assert table.loc["bar_tijd", "severity"] == 3 and table.loc["bar_tijd", "n_segments"] == 2
    assert table.loc["bar_geld", "n_segments"] == 0
    assert pd.isna(table.loc["bar_regels", "severity"])


def test_median_score_ignores_missing():
    assert profiles.median_score(pd.Series([1, pd.NA, 3, 2], dtype="Int64")) == 2.0
    assert profiles.median_score(pd.Series([pd.NA], dtype="Int64")) is None
