"""The teams' QCA (botu.compare): calibration by stated rules or the rubric, teams and
conditions left out with a warning, and botu.qca's results on small tables checked by hand.
botu.qca itself is checked against R in tests/test_qca.py."""

import warnings

import pandas as pd
import pytest

from botu import compare, qca

# Seven teams, conditions A, B, C, a constant D, outcome Y.
TEXTBOOK = pd.DataFrame(
    [
        # team   A  B  C  D  Y
        ("T01", 1, 1, 0, 1, 1),  # A*B*~C → Y
        ("T02", 1, 1, 1, 1, 1),  # A*B*C → Y
        ("T03", 0, 1, 1, 1, 1),  # ~A*B*C → Y
        ("T04", 0, 0, 0, 1, 0),  # ~A*~B*~C → not Y
        ("T05", 1, 0, 0, 1, 0),  # A*~B*~C → not Y
        ("T06", 0, 1, 0, 1, 1),  # ~A*B*~C → Y ...
        ("T07", 0, 1, 0, 1, 0),  # ... and not Y: inclusion 0.5
        # no team for ~A*~B*C or A*~B*C: remainders
    ],
    columns=["team_id", "A", "B", "C", "D", "Y"],
)


@pytest.fixture
def result():
    with pytest.warns(compare.ConstantConditionWarning, match="'D' does not vary"):
        return compare.team_qca(TEXTBOOK, "Y", ["A", "B", "C", "D"], cutoff=1.0)


def test_constant_condition_is_dropped_and_listed(result):
    assert result.conditions == ["A", "B", "C"]
    assert result.dropped_conditions == ["D"]
    assert "D" not in result.truth_table.columns


def test_truth_table_by_hand(result):
    table = result.truth_table
    assert len(table) == 8  # every configuration of three conditions
    rows = {tuple(r[["A", "B", "C"]]): r for _, r in table.iterrows()}
    assert (rows[(0, 0, 0)]["out"], rows[(0, 0, 0)]["cases"]) == ("0", "T04")
    assert (rows[(0, 0, 1)]["out"], rows[(0, 0, 1)]["n"]) == ("?", 0)  # remainder
    assert rows[(0, 1, 0)]["out"] == "0"  # R: T06 with, T07 without: 0.5 < 1
    assert rows[(0, 1, 0)]["incl"] == 0.5 and rows[(0, 1, 0)]["cases"] == "T06, T07"
    assert [rows[c]["out"] for c in [(0, 1, 1), (1, 1, 0), (1, 1, 1)]] == ["1", "1", "1"]
    assert rows[(1, 0, 1)]["out"] == "?"
    assert table["n"].sum() == 7


def test_solutions_by_hand(result):
    # 1-rows: A*B*~C (110), A*B*C (111), ~A*B*C (011).
    # Conservative: 110 + 111 = A*B; 011 + 111 = B*C.
    cons, pars, inter = result.solutions
    assert [m.expression for m in cons.models] == ["A*B + B*C"]
    # Parsimonious: the remainders 001 and 101 make C an implicant; A*B is still needed.
    assert [m.expression for m in pars.models] == ["C + A*B"]
    for solution in (cons, pars):  # T01, T02, T03 covered, all with Y; T06 not
        assert solution.models[0].incl == 1.0
        assert solution.models[0].cov == pytest.approx(3 / 4)
    terms = {f.term: f for f in pars.models[0].fit}
    assert terms["C"].cases == ["T02", "T03"]
    assert terms["C"].cov == pytest.approx(2 / 4)
    assert terms["C"].cov_unique == pytest.approx(1 / 4)  # T03 only; T02 is A*B too
    # intermediate, every condition expected to help when present: C's remainders 001 and
    # 101 lack B, which the conservative term B*C has as expected: they are not easy
    assert [m.expression for m in inter.models] == ["A*B + B*C"]
    models = result.models
    assert set(models["solution"]) == {"conservative", "parsimonious", "intermediate"}


def test_necessity_by_hand(result):
    nec = result.necessity.set_index("condition")
    # Y = {T01, T02, T03, T06}; B = {T01, T02, T03, T06, T07} ⊇ Y: B is necessary
    assert nec.loc["B", "incl"] == 1.0
    assert nec.loc["B", "cov"] == pytest.approx(4 / 5)
    # A = {T01, T02, T05}; A ∩ Y = {T01, T02}
    assert nec.loc["A", "incl"] == pytest.approx(2 / 4)
    assert nec.loc["A", "cov"] == pytest.approx(2 / 3)
    # a disjunction is listed only when it is no single condition already
    assert all(qca.OR in c for c in nec.index[len(result.conditions) * 2 :])


def test_rubric_scores_are_fuzzy_sets_unless_a_rule_makes_them_crisp():
    cases = pd.DataFrame(
        {
            "team_id": ["T01", "T02", "T03", "T04"],
            "door_de_wijk": [3, 2, 1, 0],
            "na_bonding": [3, 1, 2, 0],
        }
    )
    fuzzy = compare.team_qca(
        cases, "door_de_wijk", ["na_bonding"], scored={"door_de_wijk", "na_bonding"}
    )
    assert fuzzy.fuzzy == ["na_bonding", "door_de_wijk"]
    assert fuzzy.data["na_bonding"].tolist() == [1.0, 0.33, 0.67, 0.0]
    crisp = compare.team_qca(
        cases,
        "door_de_wijk",
        ["na_bonding"],
        {"door_de_wijk": (">=", 2), "na_bonding": (">=", 2)},
        scored={"door_de_wijk", "na_bonding"},
    )
    assert crisp.fuzzy == []
    assert crisp.data["na_bonding"].tolist() == [1.0, 0.0, 1.0, 0.0]
    with pytest.raises(ValueError, match="not crisp"):
        compare.team_qca(cases, "door_de_wijk", ["na_bonding"])  # scores, not said to be


def test_calibration_rules():
    cases = pd.DataFrame(
        {
            "door_de_wijk": pd.array([3, 2, 1, pd.NA], dtype="Int64"),  # rating, NA = no data
            "coalition_type": ["gevestigd", "nieuw", "hybride", "gevestigd"],
            "sibd_phase_reached": [1, 2, 3, 4],
            "is_capital_rich": [True, False, True, False],  # already crisp
        }
    )
    crisp = compare.calibrate(
        cases,
        ["door_de_wijk", "coalition_type", "sibd_phase_reached", "is_capital_rich"],
        {
            "door_de_wijk": (">=", 2),
            "coalition_type": {"nieuw", "hybride"},
            "sibd_phase_reached": lambda phase: phase >= 3,
        },
    )
    assert crisp["door_de_wijk"].tolist() == [1, 1, 0, pd.NA]  # NA stays missing
    assert crisp["coalition_type"].tolist() == [0, 1, 1, 0]
    assert crisp["sibd_phase_reached"].tolist() == [0, 0, 1, 1]
    assert crisp["is_capital_rich"].tolist() == [1, 0, 1, 0]
    with pytest.raises(ValueError, match="not crisp"):
        compare.calibrate(cases, ["sibd_phase_reached"])
    with pytest.raises(ValueError, match="operator"):
        compare.calibrate(cases, ["door_de_wijk"], {"door_de_wijk": ("=>", 2)})
    with pytest.raises(ValueError, match="not in the case table"):
        compare.calibrate(cases, ["budget"])
    with pytest.raises(ValueError, match="not in the case table"):  # a misspelt rule
        compare.calibrate(cases, ["is_capital_rich"], {"door_de_wjik": (">=", 2)})
    with pytest.raises(ValueError, match="cannot calibrate column 'coalition_type'"):
        compare.calibrate(cases, ["coalition_type"], {"coalition_type": (">=", 2)})
    only = compare.calibrate(cases, ["is_capital_rich"], {"door_de_wijk": (">=", 2)})
    assert list(only.columns) == ["is_capital_rich"]


def test_team_with_a_missing_value_is_dropped_with_a_warning():
    cases = pd.DataFrame(
        {
            "team_id": ["T01", "T02", "T03", "T04"],
            "door_de_wijk": pd.array([3, 1, pd.NA, 0], dtype="Int64"),  # T03: NA
            "Y": [1, 0, 1, 0],
        }
    )
    with pytest.warns(compare.DroppedCaseWarning, match="T03"):
        result = compare.team_qca(cases, "Y", ["door_de_wijk"], {"door_de_wijk": (">=", 2)})
    assert result.dropped_cases == ["T03"]
    assert result.truth_table["n"].sum() == 3
    assert [m.expression for m in result.solutions[1].models] == ["door_de_wijk"]


def test_limits_and_refusals():
    wide = pd.DataFrame({c: [0, 1] for c in ["A", "B", "C", "D", "E", "Y"]})
    with pytest.raises(ValueError, match="cannot also be a condition"):
        compare.team_qca(wide, "Y", ["A", "Y"])
    with pytest.raises(ValueError, match="cutoff"):
        compare.team_qca(wide, "Y", ["A"], cutoff=0)
    flat = pd.DataFrame({"A": [1, 1], "Y": [0, 1]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", compare.ConstantConditionWarning)
        with pytest.raises(ValueError, match="no condition varies"):
            compare.team_qca(flat, "Y", ["A"])
    # the index names the teams when there is no team_id column
    result = compare.team_qca(wide, "Y", ["A", "B", "C", "D"], cutoff=1.0)
    assert len(result.truth_table) == 16
    cons, pars, _ = result.solutions
    assert [m.expression for m in cons.models] == ["A*B*C*D"]
    # 1111 → Y, 0000 → not Y, the rest remainders: each condition alone is a model, and
    # R (and botu) give all four
    assert [m.expression for m in pars.models] == ["A", "B", "C", "D"]
    never = pd.DataFrame({"A": [0, 1], "Y": [0, 0]})
    refused = compare.team_qca(never, "Y", ["A"])
    assert all(s.error == qca.NOTHING_EXPLAINED for s in refused.solutions)


def test_robustness_table_has_one_row_per_cutoff(result):
    table = result.robustness
    assert table["cutoff"].tolist() == list(compare.ROBUSTNESS_CUTOFFS)
    assert set(table.columns) >= {"conservative", "parsimonious", "intermediate", "positive"}
