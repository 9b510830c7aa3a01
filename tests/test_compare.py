"""Crisp-set QCA on small truth tables checked by hand."""

import math
import warnings

import pandas as pd
import pytest

from botu import compare

# Seven cases, conditions A, B, C, a constant D, outcome Y.
TEXTBOOK = pd.DataFrame(
    [
        # team   A  B  C  D  Y
        ("T01", 1, 1, 0, 1, 1),  # A*B*~C → Y
        ("T02", 1, 1, 1, 1, 1),  # A*B*C → Y
        ("T03", 0, 1, 1, 1, 1),  # ~A*B*C → Y
        ("T04", 0, 0, 0, 1, 0),  # ~A*~B*~C → not Y
        ("T05", 1, 0, 0, 1, 0),  # A*~B*~C → not Y
        ("T06", 0, 1, 0, 1, 1),  # ~A*B*~C → Y ...
        ("T07", 0, 1, 0, 1, 0),  # ... and not Y: a contradiction
        # no case for ~A*~B*C or A*~B*C: remainders
    ],
    columns=["team_id", "A", "B", "C", "D", "Y"],
)


@pytest.fixture
def result():
    with pytest.warns(compare.ConstantConditionWarning, match="'D' does not vary"):
        return compare.crisp_set_qca(TEXTBOOK, "Y", ["A", "B", "C", "D"])


def test_constant_condition_is_dropped_and_listed(result):
    assert result.conditions == ["A", "B", "C"]
    assert result.dropped_conditions == ["D"]
    assert "D" not in result.truth_table.columns


def test_truth_table(result):
    table = result.truth_table
    assert len(table) == 8  # every configuration of three conditions
    rows = {tuple(r[["A", "B", "C"]]): r for _, r in table.iterrows()}
    assert rows[(0, 0, 0)]["out"] == "0"  # T04
    assert rows[(0, 0, 0)]["cases"] == "T04"
    assert rows[(0, 0, 1)]["out"] == "?"  # remainder: no case
    assert rows[(0, 0, 1)]["n"] == 0
    assert math.isnan(rows[(0, 0, 1)]["consistency"])
    assert rows[(0, 1, 0)]["out"] == "C"  # T06 with, T07 without the outcome
    assert rows[(0, 1, 0)]["consistency"] == 0.5
    assert rows[(0, 1, 0)]["cases_with_outcome"] == "T06"
    assert rows[(0, 1, 0)]["cases_without_outcome"] == "T07"
    assert rows[(0, 1, 1)]["out"] == "1"  # T03
    assert rows[(1, 0, 0)]["out"] == "0"  # T05
    assert rows[(1, 0, 1)]["out"] == "?"  # remainder
    assert rows[(1, 1, 0)]["out"] == "1"  # T01
    assert rows[(1, 1, 1)]["out"] == "1"  # T02
    assert result.contradictions["cases"].tolist() == ["T06, T07"]
    assert table["n"].sum() == 7


def test_sufficiency_and_necessity_by_hand(result):
    # Y = {T01, T02, T03, T06} (4 cases)
    suff = result.sufficiency.set_index("condition")
    nec = result.necessity.set_index("condition")
    # A = {T01, T02, T05}; A ∩ Y = {T01, T02}
    assert suff.loc["A", "consistency"] == pytest.approx(2 / 3)  # |A∩Y| / |A|
    assert suff.loc["A", "coverage"] == pytest.approx(2 / 4)  # |A∩Y| / |Y|
    assert nec.loc["A", "consistency"] == pytest.approx(2 / 4)  # |A∩Y| / |Y|
    assert nec.loc["A", "coverage"] == pytest.approx(2 / 3)  # |A∩Y| / |A|
    # ~A = {T03, T04, T06, T07}; ~A ∩ Y = {T03, T06}
    assert suff.loc["~A", "consistency"] == pytest.approx(2 / 4)
    assert nec.loc["~A", "consistency"] == pytest.approx(2 / 4)
    # B = {T01, T02, T03, T06, T07} ⊇ Y: B is necessary (consistency 1), and 4/5 sufficient
    assert nec.loc["B", "consistency"] == 1.0
    assert nec.loc["B", "coverage"] == pytest.approx(4 / 5)
    assert suff.loc["B", "consistency"] == pytest.approx(4 / 5)
    assert suff.loc["B", "coverage"] == 1.0
    # ~B = {T04, T05}: no outcome case
    assert suff.loc["~B", "consistency"] == 0.0
    assert nec.loc["~B", "consistency"] == 0.0
    # C = {T02, T03} ⊆ Y: sufficient, covering half of Y
    assert suff.loc["C", "consistency"] == 1.0
    assert suff.loc["C", "coverage"] == pytest.approx(2 / 4)
    # ~C = {T01, T04, T05, T06, T07}; ~C ∩ Y = {T01, T06}
    assert suff.loc["~C", "consistency"] == pytest.approx(2 / 5)
    assert nec.loc["~C", "consistency"] == pytest.approx(2 / 4)
    assert suff.loc["~C", ["n_condition", "n_outcome", "n_both"]].tolist() == [5, 4, 2]


def test_conservative_and_parsimonious_solutions(result):
    # 1-rows: A*B*~C (110), A*B*C (111), ~A*B*C (011).
    # Conservative (only 1-rows): 110 + 111 = A*B; 011 + 111 = B*C. Neither widens further:
    # A alone takes in 100 (a 0-row), B alone 010 (the contradiction).
    assert result.conservative_solution == "A*B + B*C"
    assert result.conservative.alternatives == []
    # Parsimonious: the remainders 001 and 101 may be used, so C (001, 011, 101, 111) is an
    # implicant; A*B is still needed for 110.
    assert result.parsimonious_solution == "A*B + C"
    # both cover T01, T02, T03 (all with the outcome) but not T06 (the contradiction):
    # consistency 3/3, coverage 3/4
    for solution in (result.conservative, result.parsimonious):
        assert solution.consistency == 1.0
        assert solution.coverage == pytest.approx(3 / 4)
    terms = result.parsimonious.term_table.set_index("term")
    assert terms.loc["C", "cases"] == "T02, T03"
    assert terms.loc["C", "raw_coverage"] == pytest.approx(2 / 4)
    assert terms.loc["C", "unique_coverage"] == pytest.approx(1 / 4)  # T03 only; T02 is A*B too
    assert str(result.parsimonious) == "A*B + C"


def test_cutoff_below_one():
    cases = pd.DataFrame(
        [
            # team   A  Y
            ("T01", 1, 1),  # A: 4 of 5 cases with the outcome (consistency .8)
            ("T02", 1, 1),
            ("T03", 1, 1),
            ("T04", 1, 1),
            ("T05", 1, 0),
            ("T06", 0, 0),  # ~A: 1 of 3 (consistency .333)
            ("T07", 0, 0),
            ("T08", 0, 1),
        ],
        columns=["team_id", "A", "Y"],
    )
    strict = compare.crisp_set_qca(cases, "Y", ["A"])  # default cut-off 1.0
    assert strict.truth_table["out"].tolist() == ["C", "C"]
    assert strict.conservative_solution == ""  # nothing is sufficient
    assert math.isnan(strict.conservative.consistency)
    lenient = compare.crisp_set_qca(cases, "Y", ["A"], cutoff=0.8)
    # ≥ .8 → 1; ≤ .2 → 0; in between → C
    assert lenient.truth_table["out"].tolist() == ["C", "1"]
    assert lenient.conservative_solution == "A"
    assert lenient.conservative.consistency == pytest.approx(4 / 5)
    assert lenient.conservative.coverage == pytest.approx(4 / 5)
    with pytest.raises(ValueError, match="cutoff"):
        compare.crisp_set_qca(cases, "Y", ["A"], cutoff=0.5)


def test_model_ambiguity_two_minimal_solutions():
    # Y on every configuration except 000 and 111 (the classic cyclic cover, no remainders):
    # A*~C + ~A*B + ~B*C and A*~B + ~A*C + B*~C both cover it with three terms.
    rows = [
        (f"T{i}", a, b, c, int(0 < a + b + c < 3))
        for i, (a, b, c) in enumerate(
            [(0, 0, 0), (0, 0, 1), (0, 1, 0), (0, 1, 1), (1, 0, 0), (1, 0, 1), (1, 1, 0), (1, 1, 1)]
        )
    ]
    cases = pd.DataFrame(rows, columns=["team_id", "A", "B", "C", "Y"])
    result = compare.crisp_set_qca(cases, "Y", ["A", "B", "C"])
    solutions = {result.conservative_solution} | {
        " + ".join(alt) for alt in result.conservative.alternatives
    }
    assert solutions == {"A*~C + ~A*B + ~B*C", "A*~B + ~A*C + B*~C"}
    assert result.parsimonious_solution == result.conservative_solution  # no remainders
    assert result.conservative.consistency == 1.0
    assert result.conservative.coverage == 1.0


def test_prime_implicants_and_format():
    on = [(1, 1, 0), (1, 1, 1), (0, 1, 1)]
    assert set(compare.prime_implicants(on, [], 3)) == {(1, 1, None), (None, 1, 1)}
    assert set(compare.prime_implicants(on, [(0, 0, 1), (1, 0, 1)], 3)) == {
        (1, 1, None),
        (None, None, 1),
    }
    assert compare.format_term((1, 0, None), ["A", "B", "C"]) == "A*~B"
    assert compare.format_term((None, None), ["A", "B"]) == "1"  # always true


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
    # a rule for a column of the table that this analysis does not use is fine
    only = compare.calibrate(cases, ["is_capital_rich"], {"door_de_wijk": (">=", 2)})
    assert list(only.columns) == ["is_capital_rich"]


def test_case_with_missing_value_is_dropped_with_a_warning():
    cases = pd.DataFrame(
        {
            "team_id": ["T01", "T02", "T03", "T04"],
            "door_de_wijk": pd.array([3, 1, pd.NA, 0], dtype="Int64"),  # T03: NA
            "Y": [1, 0, 1, 0],
        }
    )
    with pytest.warns(compare.DroppedCaseWarning, match="T03"):
        result = compare.crisp_set_qca(cases, "Y", ["door_de_wijk"], {"door_de_wijk": (">=", 2)})
    assert result.dropped_cases == ["T03"]
    assert result.truth_table["n"].sum() == 3
    assert result.parsimonious_solution == "door_de_wijk"


def test_limits():
    wide = pd.DataFrame({c: [0, 1] for c in ["A", "B", "C", "D", "E", "Y"]})
    with pytest.raises(ValueError, match="at most 4 conditions"):
        compare.crisp_set_qca(wide, "Y", ["A", "B", "C", "D", "E"])
    with pytest.raises(ValueError, match="cannot also be a condition"):
        compare.crisp_set_qca(wide, "Y", ["A", "Y"])
    flat = pd.DataFrame({"A": [1, 1], "Y": [0, 1]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", compare.ConstantConditionWarning)
        with pytest.raises(ValueError, match="no condition varies"):
            compare.crisp_set_qca(flat, "Y", ["A"])
    # four conditions are fine, with the index as case ids when there is no team_id column
    result = compare.crisp_set_qca(wide, "Y", ["A", "B", "C", "D"])
    assert len(result.truth_table) == 16
    assert result.parsimonious_solution == "A"  # 1111 → Y, 0000 → not Y, the rest remainders
    assert result.conservative_solution == "A*B*C*D"


def test_row_code_at_the_lower_cutoff_is_zero_not_a_contradiction():
    from botu.compare import row_code

    # 1 - 0.8 is 0.19999999999999996 in floating point; .2 must still count as "0"
    assert row_code(0.2, 0.8) == "0"
    assert row_code(0.1, 0.9) == "0"
    assert row_code(0.8, 0.8) == "1"
    assert row_code(0.5, 0.8) == "C"
