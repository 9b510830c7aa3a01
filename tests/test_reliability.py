"""Reliability coefficients against published values, their edge cases, and the tables built on
the tiny project (S004: C1 says bi_inv_meedenken, C2 bi_inv_raadplegen; T02 door_de_wijk: C1 2,
C2 1)."""

import math

import numpy as np
import pandas as pd
import pytest

from botu import reliability as rel
from botu.dataset import load_dataset
from botu.reliability import cohen_kappa
from tests.conftest import TINY_TABLES, write_project

NA = np.nan

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", 4 observers × 12 units
# (shared/reference/reliability.md). Unit 12 has one value only: unpairable.
KRIPPENDORFF_2011 = [
    # 1  2  3  4  5  6  7  8  9  10  11  12
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NA, NA, NA],  # observer A
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NA, 3],  # observer B
    [NA, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NA],  # observer C
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NA],  # observer D
]


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_2011(level, published):
    assert round(rel.krippendorff_alpha(KRIPPENDORFF_2011, level), 3) == published


def test_unpairable_unit_adds_nothing():
    without_unit_12 = [row[:11] for row in KRIPPENDORFF_2011]
    for level in rel.LEVELS:
        assert rel.krippendorff_alpha(without_unit_12, level) == pytest.approx(
            rel.krippendorff_alpha(KRIPPENDORFF_2011, level)
        )
    row = rel.reliability_row(KRIPPENDORFF_2011, level="interval", n_boot=0)
    assert row["n_units"] == 11  # unit 12 ignored ...
    assert "1 unit(s) with one value only (ignored)" in row["note"]  # ... and said so
    assert row["n_coders"] == 4
    assert math.isnan(row["kappa"])  # κ needs exactly two coders
    assert "κ needs exactly 2 coders, found 4" in row["note"]
    assert round(row["alpha"], 3) == 0.849


def test_alpha_takes_a_dataframe_with_text_categories_at_nominal_level():
    names = {1: "a", 2: "b", 3: "c", 4: "d", 5: "e"}
    text = pd.DataFrame(KRIPPENDORFF_2011).map(lambda v: names.get(v, pd.NA))
    assert round(rel.krippendorff_alpha(text, "nominal"), 3) == 0.743
    with pytest.raises(ValueError, match="numeric"):
        rel.krippendorff_alpha(text, "ordinal")


def test_cohen_kappa_grant_proposals():
    # 50 proposals (reliability.md): A yes & B yes 20, A yes & B no 5, A no & B yes 10, both no 15
    a = [1] * 20 + [1] * 5 + [0] * 10 + [0] * 15
    b = [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15
    # p_o = 35/50 = .70; p_e = .5 × .6 + .5 × .4 = .50; κ = (.70 − .50) / (1 − .50) = .40
    assert round(rel.cohen_kappa(a, b), 2) == 0.40
    assert rel.cohen_kappa(a, b) == pytest.approx(0.4)
    assert rel.percent_agreement([a, b]) == pytest.approx(0.70)


# Four units, categories 0 < 1 < 2, for the weighted κ by hand.
WEIGHTED_A = [0, 1, 2, 2]  # coder A
WEIGHTED_B = [0, 2, 2, 1]  # coder B: agrees on units 1 and 3, one step off on units 2 and 4


def test_weighted_kappa_by_hand():
    # Marginals: A (.25, .25, .5), B (.25, .25, .5) over categories 0, 1, 2.
    # Unweighted: p_o = 2/4 = .5; p_e = .25² + .25² + .5² = .375; κ = .125 / .625 = .2
    assert rel.cohen_kappa(WEIGHTED_A, WEIGHTED_B) == pytest.approx(0.2)
    # Linear disagreement weights |i − j|: observed Σ w·o = (1 + 1) / 4 = .5;
    # expected Σ w·r_i·c_j = 2 × (.25·.25·1 + .25·.5·2 + .25·.5·1) = 2 × .4375 = .875;
    # κ = 1 − .5 / .875 = 3/7
    assert rel.cohen_kappa(WEIGHTED_A, WEIGHTED_B, "linear") == pytest.approx(3 / 7)
    # Quadratic weights (i − j)²: observed .5; expected 2 × (.0625·1 + .125·4 + .125·1) = 1.375;
    # κ = 1 − .5 / 1.375 = 7/11
    assert rel.cohen_kappa(WEIGHTED_A, WEIGHTED_B, "quadratic") == pytest.approx(7 / 11)


def test_category_nobody_used():
    # Same data with category 2 renamed 3: nobody uses 2 on the 0–3 scale.
    a = [0, 1, 3, 3]  # coder A
    b = [0, 3, 3, 1]  # coder B
    scale = [0, 1, 2, 3]
    # unweighted κ does not see the unused category
    assert rel.cohen_kappa(a, b, categories=scale) == pytest.approx(0.2)
    # weighted κ does: by the observed categories (0, 1, 3 at positions 0, 1, 2) it is 3/7 as
    # above; on the full scale the 1–3 disagreements are two steps: observed (2 + 2) / 4 = 1,
    # expected 2 × (.0625·1 + .125·3 + .125·2) = 1.375, κ = 1 − 1 / 1.375 = 3/11
    assert rel.cohen_kappa(a, b, "linear") == pytest.approx(3 / 7)
    assert rel.cohen_kappa(a, b, "linear", categories=scale) == pytest.approx(3 / 11)
    # α: an unused category changes nothing, at any level
    for level in rel.LEVELS:
        assert rel.krippendorff_alpha([a, b], level, value_domain=scale) == pytest.approx(
            rel.krippendorff_alpha([a, b], level)
        )
    # Fleiss: an empty category column changes nothing
    counts = rel.category_counts([a, b], scale)
    assert counts[2].sum() == 0
    assert rel.fleiss_kappa(counts) == pytest.approx(rel.fleiss_kappa(rel.category_counts([a, b])))


def test_cohen_kappa_text_categories_and_missing_values():
    a = ["ja", "ja", "nee", None, "nee"]  # unit 4: A gave nothing → unpairable
    b = ["ja", "nee", "nee", "ja", pd.NA]  # unit 5: B gave nothing → unpairable
    # 3 pairable units: p_o = 2/3; A (2/3 ja, 1/3 nee), B (1/3 ja, 2/3 nee);
    # p_e = 2/9 + 2/9 = 4/9; κ = (6/9 − 4/9) / (5/9) = .4
    assert rel.cohen_kappa(a, b) == pytest.approx(0.4)
    with pytest.raises(ValueError, match="ordered categories"):
        rel.cohen_kappa(a, b, "linear")
    # ordered text categories give positions: nee = 0, ja = 1 (two categories: weights agree)
    assert rel.cohen_kappa(a, b, "linear", categories=["nee", "ja"]) == pytest.approx(0.4)
    with pytest.raises(ValueError, match="same units"):
        rel.cohen_kappa([1, 2], [1])
    with pytest.raises(ValueError, match="not among the categories"):
        rel.cohen_kappa([1, 2], [1, 5], categories=[1, 2])
    with pytest.raises(ValueError, match="weights"):
        rel.cohen_kappa([1, 2], [1, 2], "cubic")


def test_fleiss_1971_example():
    # 10 subjects × 5 categories, 14 raters each (Fleiss 1971; Wikipedia "Fleiss' kappa")
    counts = [
        [0, 0, 0, 0, 14],  # subject 1: unanimous
        [0, 2, 6, 4, 2],  # subject 2
        [0, 0, 3, 5, 6],  # subject 3
        [0, 3, 9, 2, 0],  # subject 4
        [2, 2, 8, 1, 1],  # subject 5
        [7, 7, 0, 0, 0],  # subject 6
        [3, 2, 6, 3, 0],  # subject 7
        [2, 5, 3, 2, 2],  # subject 8
        [6, 5, 2, 1, 0],  # subject 9
        [0, 2, 2, 3, 7],  # subject 10
    ]
    # P̄ = .378, P̄_e = .213, κ = .210
    assert round(rel.fleiss_kappa(counts), 3) == 0.210
    with pytest.raises(ValueError, match="same number of raters"):
        rel.fleiss_kappa([[1, 1], [2, 1]])


def test_fleiss_equals_scott_pi_for_two_coders():
    # with two coders Fleiss' κ is Scott's π: p_e from the pooled marginals
    a = [1] * 25 + [0] * 25  # A: 25 yes
    b = [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15  # B: 30 yes
    # pooled yes share 55/100: p_e = .55² + .45² = .505; π = (.70 − .505) / .495
    assert rel.fleiss_kappa(rel.category_counts([a, b])) == pytest.approx(0.195 / 0.495)


def test_single_value_everywhere_is_undefined_not_an_error():
    same = [
        [1, 1, 1, NA],  # coder 1
        [1, 1, 1, 1],  # coder 2: all coders say 1
    ]
    assert rel.undefined_note(same) == rel.NOTE_NO_VARIATION
    for level in rel.LEVELS:
        assert math.isnan(rel.krippendorff_alpha(same, level))
        assert math.isnan(rel.krippendorff_alpha(same, level, value_domain=[0, 1]))
    assert math.isnan(rel.cohen_kappa(same[0], same[1]))
    assert math.isnan(rel.cohen_kappa(same[0], same[1], "quadratic", categories=[0, 1, 2, 3]))
    assert math.isnan(rel.fleiss_kappa(rel.category_counts([[1, 1, 1], [1, 1, 1]])))
    assert rel.percent_agreement(same) == 1.0
    row = rel.reliability_row(same, n_boot=50)
    assert row["note"].startswith("undefined: no variation")
    assert math.isnan(row["alpha_ci_low"])
    assert row["interpretation"] == "ongedefinieerd"


def test_nothing_pairable():
    lonely = [
        [1, NA],  # coder 1 coded unit 1 only
        [NA, 2],  # coder 2 coded unit 2 only: no unit has two values
    ]
    assert rel.undefined_note(lonely) == rel.NOTE_NO_PAIRS
    assert math.isnan(rel.krippendorff_alpha(lonely))
    assert math.isnan(rel.percent_agreement(lonely))
    assert math.isnan(rel.cohen_kappa(*lonely))
    assert rel.bootstrap_ci(rel.krippendorff_alpha, lonely) == (pytest.approx(NA, nan_ok=True),) * 2
    row = rel.reliability_row(lonely, n_boot=10)
    assert row["n_units"] == 0
    assert row["note"].startswith(rel.NOTE_NO_PAIRS)


def test_code_used_by_one_coder_only():
    # 10 segments both coders coded; C1 applied the code to 3, C2 to none
    used_by_c1 = [
        [1, 1, 1, 0, 0, 0, 0, 0, 0, 0],  # C1
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],  # C2
    ]
    # p_o = .7; p_e = .3·0 + .7·1 = .7 → κ = 0
    assert rel.cohen_kappa(*used_by_c1) == pytest.approx(0.0)
    # α: o_00 = 14, o_01 = o_10 = 3; n_0 = 17, n_1 = 3, n = 20;
    # D_o = 6/20 = .3, D_e = 2·17·3 / (20·19) = 102/380; α = 1 − .3·380/102 = −12/102
    assert rel.krippendorff_alpha(used_by_c1) == pytest.approx(-12 / 102)
    assert rel.percent_agreement(used_by_c1) == pytest.approx(0.7)


def test_bootstrap_note_when_many_draws_are_undefined():
    rare = [
        [1, 0, 0, 0, 0],  # C1 applied the code once, to unit 1
        [1, 0, 0, 0, 0],  # C2 too
    ]
    # a resample without unit 1 is all zeros (chance .8^5 ≈ .33): no variation, undefined
    row = rel.reliability_row(rare, n_boot=400, seed=3)
    assert row["alpha"] == 1.0
    assert "α and κ intervals from" in row["note"]
    assert row["note"].endswith("of 400 draws (the rest undefined: no variation)")
    assert (row["alpha_ci_low"], row["alpha_ci_high"]) == (1.0, 1.0)  # the defined draws


def test_nullable_integer_frame_as_input():
    # ratings arrive as Int64 with pd.NA for "the material says nothing"
    scores = pd.DataFrame(
        {"T01": [2, 2], "T02": [1, pd.NA], "T03": [3, 2]},  # T02: rater 2 says NA
        index=["C1", "C2"],
        dtype="Int64",
    )
    plain = [[2, 1, 3], [2, NA, 2]]
    assert rel.krippendorff_alpha(scores, "ordinal") == pytest.approx(
        rel.krippendorff_alpha(plain, "ordinal")
    )
    with pytest.raises(ValueError, match="weights"):
        rel.reliability_row(scores, weights="cubic")


def test_percent_agreement_with_three_coders():
    three = [
        [1, 1, 2],  # coder 1
        [1, 2, 2],  # coder 2
        [1, NA, 3],  # coder 3 skipped unit 2
    ]
    # unit 1: 3 of 3 pairs agree; unit 2: 0 of 1; unit 3: 1 of 3 → mean (1 + 0 + 1/3) / 3
    assert rel.percent_agreement(three) == pytest.approx((1 + 0 + 1 / 3) / 3)
    row = rel.reliability_row(three, n_boot=0)
    assert math.isnan(row["kappa"])
    assert "Fleiss' κ on the 2 unit(s) coded by every coder" in row["note"]
    assert not math.isnan(row["fleiss_kappa"])


def test_bootstrap_is_deterministic_and_contains_the_estimate():
    def statistic(m):
        return rel.krippendorff_alpha(m, "interval")

    first = rel.bootstrap_ci(statistic, KRIPPENDORFF_2011, n_boot=300, seed=7)
    again = rel.bootstrap_ci(statistic, KRIPPENDORFF_2011, n_boot=300, seed=7)
    other = rel.bootstrap_ci(statistic, KRIPPENDORFF_2011, n_boot=300, seed=8)
    assert first == again
    assert first != other
    low, high = first
    assert low <= statistic(KRIPPENDORFF_2011) <= high
    assert low < high
    # a narrower confidence gives a narrower interval
    low_80, high_80 = rel.bootstrap_ci(
        statistic, KRIPPENDORFF_2011, n_boot=300, seed=7, confidence=0.8
    )
    assert low <= low_80 <= high_80 <= high


def test_bootstrap_of_kappa_in_a_row():
    a = [1] * 20 + [1] * 5 + [0] * 10 + [0] * 15
    b = [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15
    row = rel.reliability_row([a, b], n_boot=200, seed=1)
    assert row == rel.reliability_row([a, b], n_boot=200, seed=1)
    assert row["kappa_ci_low"] <= 0.4 <= row["kappa_ci_high"]
    assert row["alpha_ci_low"] <= row["alpha"] <= row["alpha_ci_high"]
    assert row["kappa_interpretation"] == "redelijk"  # .40: fair


@pytest.mark.parametrize(
    ("value", "nl", "en"),
    [
        (1.0, "betrouwbaar", "reliable"),
        (0.800, "betrouwbaar", "reliable"),  # boundary belongs to "reliable"
        (0.7999999999999999, "betrouwbaar", "reliable"),  # .8 after float arithmetic
        (0.799, "voorlopig", "tentative"),
        (0.667, "voorlopig", "tentative"),  # boundary belongs to "tentative"
        (0.666, "onvoldoende", "unreliable"),
        (-0.2, "onvoldoende", "unreliable"),
        (NA, "ongedefinieerd", "undefined"),
    ],
)
def test_interpret_alpha(value, nl, en):
    assert rel.interpret_alpha(value) == nl
    assert rel.interpret_alpha(value, "en") == en


@pytest.mark.parametrize(
    ("value", "nl", "en"),
    [
        (-0.01, "slecht", "poor"),
        (0.0, "gering", "slight"),
        (0.20, "gering", "slight"),
        (0.21, "redelijk", "fair"),
        (0.40, "redelijk", "fair"),
        (0.41, "matig", "moderate"),
        (0.60, "matig", "moderate"),
        (0.61, "substantieel", "substantial"),
        (0.80, "substantieel", "substantial"),
        (0.81, "bijna perfect", "almost perfect"),
        (1.0, "bijna perfect", "almost perfect"),
        (None, "ongedefinieerd", "undefined"),
    ],
)
def test_interpret_kappa_landis_koch(value, nl, en):
    assert rel.interpret_kappa(value) == nl
    assert rel.interpret_kappa(value, "en") == en


def test_interpretation_language_is_checked():
    with pytest.raises(ValueError, match="lang"):
        rel.interpret_alpha(0.9, "de")


# ---------------------------------------------------------------------------------------------
# The tiny project
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def data(tiny_raw):
    return load_dataset(tiny_raw)


def test_overlap_and_presence_matrix(data):
    # only S004 is coded by both C1 and C2
    assert rel.overlap_units(data.codings) == ["S004"]
    matrix = rel.presence_matrix(data.codings, "bi_inv_meedenken", ["S003", "S004"])
    assert matrix.index.tolist() == ["C1", "C2"]
    assert matrix.loc["C1", "S004"] == 1  # C1 applied it
    assert matrix.loc["C2", "S004"] == 0  # C2 coded S004, with another code: absent
    assert matrix.loc["C1", "S003"] == 0  # C1 coded S003 with other codes
    assert math.isnan(matrix.loc["C2", "S003"])  # C2 never coded S003: missing
    family = rel.presence_matrix(data.codings, ["bi_inv_meedenken", "bi_inv_raadplegen"], ["S004"])
    assert family["S004"].tolist() == [1, 1]  # both used the door_de_wijk family


def test_segment_reliability_tiny(data):
    table = rel.segment_reliability(data, n_boot=100).set_index(["scope", "code_id"])
    # one row per segment code, per family, and pooled
    assert list(table.index) == [
        ("code", "hb_kennis"),
        ("code", "hb_geld"),
        ("code", "bi_herkomst_bewoners"),
        ("code", "bi_inv_raadplegen"),
        ("code", "bi_inv_meedenken"),
        ("family", "hulpbronnen"),
        ("family", "bewonersinitiatief"),
        ("pooled", ""),
    ]
    meedenken = table.loc[("code", "bi_inv_meedenken")]
    # S004: C1 1, C2 0 — one disagreeing unit: α = 1 − D_o/D_e = 1 − 1 = 0, κ = 0 (p_e = 0)
    assert meedenken["n_units"] == 1
    assert meedenken["percent_agreement"] == 0
    assert meedenken["alpha"] == pytest.approx(0.0)
    assert meedenken["kappa"] == pytest.approx(0.0)
    assert "used by one coder only (C1)" in meedenken["note"]
    assert "used by one coder only (C2)" in table.loc[("code", "bi_inv_raadplegen"), "note"]
    # nobody used hb_kennis on S004: all zeros, α undefined
    kennis = table.loc[("code", "hb_kennis")]
    assert math.isnan(kennis["alpha"])
    assert "undefined: no variation" in kennis["note"]
    assert "not used in the overlap sample" in kennis["note"]
    # the family: both coders saw resident involvement on S004 — agreement, no variation
    family = table.loc[("family", "bewonersinitiatief")]
    assert family["percent_agreement"] == 1
    assert math.isnan(family["alpha"])
    assert family["note"] == rel.NOTE_NO_VARIATION
    # pooled over the 2 codes in play: (meedenken, S004) C1 1 / C2 0 and (raadplegen, S004)
    # C1 0 / C2 1. Coincidences o_01 = o_10 = 2, n_0 = n_1 = 2, n = 4:
    # D_o = 4/4, D_e = 2·2·2 / (4·3) = 2/3, α = 1 − 3/2 = −.5; κ: p_o = 0, p_e = .5, κ = −1
    pooled = table.loc[("pooled", "")]
    assert pooled["n_units"] == 2
    assert pooled["alpha"] == pytest.approx(-0.5)
    assert pooled["kappa"] == pytest.approx(-1.0)
    assert pooled["interpretation"] == "onvoldoende"
    assert pooled["kappa_interpretation"] == "slecht"
    assert "pooled over 2 code(s)" in pooled["note"]
    assert pooled["kappa_ci_low"] <= pooled["kappa"] <= pooled["kappa_ci_high"]


def test_segment_reliability_english_and_level_check(data):
    table = rel.segment_reliability(data, n_boot=0, lang="en")
    assert table["interpretation"].iloc[-1] == "unreliable"
    assert math.isnan(table["alpha_ci_low"].iloc[-1])  # n_boot=0: no intervals
    with pytest.raises(ValueError, match="level"):
        rel.segment_reliability(data, level="cardinal")


def test_document_and_team_reliability_tiny(data):
    documents = rel.document_reliability(data, n_boot=0).set_index(["scope", "code_id"])
    # D-T02-01 holds S004 only: the same disagreement at document level
    assert documents.loc[("pooled", ""), "alpha"] == pytest.approx(-0.5)
    assert rel.document_reliability(data, segments="all", n_boot=0)["n_units"].max() == 2
    teams = rel.team_reliability(data, n_boot=0).set_index("team_id")
    assert teams.loc["T01", "n_units"] == 0  # T01 was coded by C1 only
    assert teams.loc["T01", "note"].startswith(rel.NOTE_NO_PAIRS)
    assert teams.loc["T02", "alpha"] == pytest.approx(-0.5)


def test_rating_reliability_tiny(data):
    table = rel.rating_reliability(data, n_boot=50).set_index(["scope", "factor_id"])
    # CONS is not a rater; T02 door_de_wijk is the only unit: C1 2, C2 1
    assert list(table.index) == [("factor", "door_de_wijk"), ("pooled", "")]
    row = table.loc[("factor", "door_de_wijk")]
    assert row["n_units"] == 1
    assert row["n_coders"] == 2
    # one disagreeing pair: ordinal α = 1 − D_o/D_e = 0; quadratic κ: observed = expected → 0
    assert row["alpha"] == pytest.approx(0.0)
    assert row["kappa"] == pytest.approx(0.0)
    assert row["percent_agreement"] == 0


def test_rating_reliability_missing_scores(tmp_path):
    ratings = TINY_TABLES["ratings"] + (
        "T01,hb_kennis,C1,2,S001;S003,true\n"  # both raters agree on T01 hb_kennis ...
        "T01,hb_kennis,C2,2,S001;S003,true\n"
        "T01,uit_de_wijk,C1,3,S002,true\n"  # ... C2 says NA on uit_de_wijk: unpairable
        "T01,uit_de_wijk,C2,NA,,true\n"
    )
    data = load_dataset(write_project(tmp_path, {"ratings": ratings}))
    table = rel.rating_reliability(data, n_boot=0).set_index(["scope", "factor_id"])
    assert math.isnan(table.loc[("factor", "uit_de_wijk"), "alpha"])
    assert table.loc[("factor", "uit_de_wijk"), "note"].startswith(rel.NOTE_NO_PAIRS)
    pooled = table.loc[("pooled", "")]
    # pooled units: T01 hb_kennis (2, 2), T02 door_de_wijk (2, 1); T01 uit_de_wijk ignored
    assert pooled["n_units"] == 2
    assert pooled["percent_agreement"] == 0.5
    assert "1 unit(s) with one value only (ignored)" in pooled["note"]
    # quadratic κ over 0–3: cells (2,2), (2,1); A = (2, 2), B = (2, 1);
    # observed Σ w·o = (0 + 1)/2 = .5; expected: r_2 = 1, c_1 = c_2 = .5 → .5·1 + .5·0 = .5;
    # κ = 1 − .5/.5 = 0
    assert pooled["kappa"] == pytest.approx(0.0)


def test_three_coders(tmp_path):
    codings = TINY_TABLES["codings"] + "S004,bi_inv_meedenken,C3,,true\n"  # C3 sides with C1
    data = load_dataset(write_project(tmp_path, {"codings": codings}))
    pooled = rel.segment_reliability(data, n_boot=0).iloc[-1]
    assert pooled["n_coders"] == 3
    assert math.isnan(pooled["kappa"])
    assert "κ needs exactly 2 coders, found 3" in pooled["note"]
    assert not math.isnan(pooled["alpha"])
    assert not math.isnan(pooled["fleiss_kappa"])


def test_disagreements_tiny(data):
    listing = rel.disagreements(data)
    # codebook order: bi_inv_raadplegen before bi_inv_meedenken
    assert listing[["code_id", "segment_id", "applied_by", "not_applied_by"]].values.tolist() == [
        ["bi_inv_raadplegen", "S004", "C2", "C1"],
        ["bi_inv_meedenken", "S004", "C1", "C2"],
    ]
    assert set(listing["disagreement"]) == {"presence"}
    assert listing["text"].iloc[0] == "Bewoners denken mee in de werkgroep."
    assert listing["team_id"].iloc[0] == "T02"


def test_value_disagreement(tmp_path):
    codings = TINY_TABLES["codings"] + (
        "S003,hb_geld,C2,gemeente,true\n"  # C1 said fonds: a value disagreement
        "S003,hb_kennis,C2,,true\n"  # the same as C1: no disagreement
    )
    data = load_dataset(write_project(tmp_path, {"codings": codings}))
    listing = rel.disagreements(data).set_index(["code_id", "segment_id"])
    row = listing.loc[("hb_geld", "S003")]
    assert row["disagreement"] == "value"
    assert row["values"] == "C1: fonds; C2: gemeente"
    assert ("hb_kennis", "S003") not in listing.index


# --- the vectorised bootstrap gives exactly the per-draw values ---------------------------


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
@pytest.mark.parametrize("n_coders", [2, 3])
def test_vectorised_alpha_draws_equal_alpha_per_draw(level, n_coders):
    rng = np.random.default_rng(7)
    m = rng.integers(1, 5, size=(n_coders, 30)).astype(float)
    m[rng.random(m.shape) < 0.15] = np.nan  # missing values, some units unpairable
    domain = [1, 2, 3, 4, 5]  # 5 is never used
    slow = rel._bootstrap_draws(
        lambda x: rel.krippendorff_alpha(x, level, value_domain=domain), m, 40, 3
    )
    fast = rel.alpha_draws_of(m, level, 40, 3, domain)
    np.testing.assert_allclose(fast, slow, rtol=1e-9, atol=1e-12, equal_nan=True)


def test_vectorised_alpha_draws_on_the_published_matrix():
    for level in ("nominal", "ordinal", "interval", "ratio"):
        slow = rel._bootstrap_draws(
            lambda x, lv=level: rel.krippendorff_alpha(x, lv), KRIPPENDORFF_2011, 25, 11
        )
        np.testing.assert_allclose(
            rel.alpha_draws_of(KRIPPENDORFF_2011, level, 25, 11), slow, rtol=1e-9, equal_nan=True
        )


@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
def test_vectorised_kappa_draws_equal_kappa_per_draw(weights):
    rng = np.random.default_rng(5)
    a = rng.integers(0, 4, size=40).astype(float)
    b = np.where(rng.random(40) < 0.7, a, rng.integers(0, 4, size=40)).astype(float)
    b[3] = np.nan
    cats = [0, 1, 2, 3]
    slow = rel._bootstrap_draws(
        lambda x: rel.cohen_kappa(x[0], x[1], weights, categories=cats), np.vstack([a, b]), 40, 9
    )
    fast = rel.kappa_draws_of(a, b, weights, 40, 9, cats)
    np.testing.assert_allclose(fast, slow, rtol=1e-9, atol=1e-12, equal_nan=True)


def test_vectorised_draws_mark_draws_without_variation_undefined():
    m = np.array([[1.0, 1.0, 1.0, 2.0], [1.0, 1.0, 1.0, 2.0]])  # one varying unit of four
    draws = rel.alpha_draws_of(m, "nominal", 200, 1)
    assert np.isnan(draws).any() and np.nanmax(draws) == 1.0


def test_cluster_bootstrap_draws_whole_clusters():
    # 8 cells from 4 segments (2 codes each); a draw takes segments, with both their cells
    m = np.array([[1, 0, 1, 1, 0, 0, 0, 1], [1, 0, 0, 1, 0, 1, 0, 1]], dtype=float)
    clusters = ["S2", "S2", "S1", "S1", "S3", "S3", "S4", "S4"]
    fast = rel.alpha_draws_of(m, "nominal", 30, 4, clusters=clusters)
    # the same draws by hand: each segment keyed by its summed coincidences (o00, o01, o10,
    # o11); S4 equals S2, so a draw takes so many of each of three distinct keys. Stack the
    # columns of one segment per key that many times.
    segments = {"S2": [0, 1], "S1": [2, 3], "S3": [4, 5], "S4": [6, 7]}
    keys = np.array([[2.0, 0, 0, 2], [0, 1, 1, 2], [2, 1, 1, 0], [2, 0, 0, 2]])
    first, _, sizes = rel._tally(rel._row_keys(keys))
    counts = rel._resample(sizes, 30, 4)
    assert counts.shape == (30, 3) and (counts.sum(axis=1) == 4).all()
    order = list(segments)  # the clusters in the order they appear
    slow = []
    for count in counts:
        columns = [
            i
            for f, n in zip(first, count, strict=True)
            for _ in range(n)
            for i in segments[order[f]]
        ]
        slow.append(rel.krippendorff_alpha(m[:, columns], "nominal"))
    np.testing.assert_allclose(fast, slow, rtol=1e-9, equal_nan=True)


def test_resampling_draws_each_item_with_its_share():
    # 1 item of key A and 3 of key B: over many draws of 4, B is drawn three times as often
    keys = np.array([5, 9, 9, 9])
    first, rank, sizes = rel._tally(keys)
    assert list(first) == [0, 1] and list(rank) == [0, 1, 1, 1] and list(sizes) == [1, 3]
    counts = rel._resample(sizes, 20000, 1)
    assert counts.sum(axis=1).tolist() == [4] * 20000
    assert counts.mean(axis=0) == pytest.approx([1.0, 3.0], rel=0.02)
    # and the draws of 4 items follow the binomial: P(no A) = (3/4)^4
    assert (counts[:, 0] == 0).mean() == pytest.approx(0.75**4, abs=0.01)


def test_pooled_rows_use_the_cluster_bootstrap(tiny_raw):
    data = load_dataset(tiny_raw)
    table = rel.segment_reliability(data, n_boot=50)
    pooled = table[table["scope"] == "pooled"].iloc[0]
    units = rel.overlap_units(data.codings)
    matrices = {c: rel.presence_matrix(data.codings, c, units) for c in data.codebook.segment_codes}
    in_play = {c: m for c, m in matrices.items() if rel._used_by(m)}  # the codes in the pool
    stacked = pd.concat(in_play, axis=1)
    expected = rel.alpha_draws_of(
        stacked, "nominal", 50, rel.DEFAULT_SEED, clusters=stacked.columns.get_level_values(-1)
    )
    low, high = rel._percentiles(expected, rel.DEFAULT_CONFIDENCE)
    assert (pooled["alpha_ci_low"], pooled["alpha_ci_high"]) == pytest.approx(
        (low, high), nan_ok=True
    )


# --- reliability inputs (issue 9, part 6) ---------------------------------------------------


@pytest.mark.parametrize("marker", ["", "NA", "nan", "N/A", " na ", "-"])
def test_missing_markers_are_missing_not_a_category(marker):
    from botu.reliability import krippendorff_alpha, percent_agreement

    with_marker = [["a", "a", "b", "b", "a"], ["a", "b", "b", "b", marker]]
    with_none = [["a", "a", "b", "b", "a"], ["a", "b", "b", "b", None]]
    assert krippendorff_alpha(with_marker) == pytest.approx(krippendorff_alpha(with_none))
    assert percent_agreement(with_marker) == pytest.approx(percent_agreement(with_none))
    assert cohen_kappa(with_marker[0], with_marker[1]) == pytest.approx(
        cohen_kappa(with_none[0], with_none[1])
    )


def test_a_units_by_coders_table_is_caught_or_read_as_declared():
    from botu.reliability import krippendorff_alpha

    rng = np.random.default_rng(7)
    first = rng.integers(0, 3, 30)
    second = np.where(rng.random(30) < 0.8, first, rng.integers(0, 3, 30))
    units_by_coders = np.column_stack([first, second]).astype(float)  # 30 rows, 2 columns
    with pytest.raises(ValueError, match="layout='units x coders'"):
        krippendorff_alpha(units_by_coders)
    declared = krippendorff_alpha(units_by_coders, layout="units x coders")
    assert declared == pytest.approx(krippendorff_alpha(units_by_coders.T))
    with pytest.raises(ValueError, match="layout must be one of"):
        krippendorff_alpha(units_by_coders, layout="sideways")


def test_cohen_kappa_from_an_agreement_table():
    from botu.reliability import cohen_kappa_table

    # 50 proposals, two readers: yes/yes 20, yes/no 5, no/yes 10, no/no 15 → p_o .7, p_e .5
    assert cohen_kappa_table([[20, 5], [10, 15]]) == pytest.approx(0.4)
    a = ["y"] * 25 + ["n"] * 25
    b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    assert cohen_kappa(a, b, categories=["y", "n"]) == pytest.approx(0.4)
    table = [[10, 3, 1], [2, 12, 4], [0, 3, 9]]
    units = [(i, j) for i in range(3) for j in range(3) for _ in range(table[i][j])]
    pairs = list(zip(*units, strict=True))
    for weights in (None, "linear", "quadratic"):
        assert cohen_kappa_table(table, weights) == pytest.approx(
            cohen_kappa(pairs[0], pairs[1], weights, categories=[0, 1, 2])
        )
    for bad in ([[1, 2, 3]], [[1, -1], [0, 2]], [[0.5, 1], [1, 1]]):
        with pytest.raises(ValueError):
            cohen_kappa_table(bad)


def test_ratio_alpha_refuses_negative_values():
    from botu.reliability import krippendorff_alpha

    with pytest.raises(ValueError, match="ratio α needs values of 0 or more"):
        krippendorff_alpha([[1.0, -2.0, 3.0], [1.0, -2.0, 2.0]], level="ratio")
    assert np.isfinite(krippendorff_alpha([[1.0, 2.0, 3.0], [1.0, 2.0, 2.5]], level="ratio"))


def test_many_coders_on_few_units_are_not_taken_for_a_swapped_table():
    """Inside the pipeline the layout is known: twelve coders on five segments are fine."""
    m = np.array([[0, 1, 0, 1, 1]] * 12, dtype=float)
    m[3, 2] = 1
    row = rel.reliability_row(m)
    assert row["n_coders"] == 12 and row["n_units"] == 5
    assert row["percent_agreement"] == pytest.approx(
        rel.percent_agreement(m.T, layout="units x coders")
    )


# --- a table row computes on the distinct columns: the same values as the plain functions ---


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
@pytest.mark.parametrize("n_coders", [2, 3, 4])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_row_equals_the_coefficients_on_the_whole_matrix(level, n_coders, seed):
    rng = np.random.default_rng(seed)
    m = rng.integers(0, 4, size=(n_coders, 300)).astype(float)
    m[rng.random(m.shape) < 0.1] = rng.integers(0, 4)  # runs of one value: repeated columns
    m[rng.random(m.shape) < 0.2] = np.nan
    domain = [0, 1, 2, 3, 4]  # 4 is never used
    row = rel.reliability_row(m, level=level, categories=domain, n_boot=0, weights="linear")
    assert row["alpha"] == pytest.approx(rel.krippendorff_alpha(m, level, value_domain=domain))
    assert row["percent_agreement"] == pytest.approx(rel.percent_agreement(m))
    complete = m[:, ~np.isnan(m).any(axis=0)]
    fleiss = rel.fleiss_kappa(rel.category_counts(complete, domain))
    assert row["fleiss_kappa"] == pytest.approx(fleiss, nan_ok=True)
    if n_coders == 2:
        kappa = rel.cohen_kappa(m[0], m[1], "linear", categories=domain)
        assert row["kappa"] == pytest.approx(kappa)
    else:
        assert np.isnan(row["kappa"])


def test_patterns_summarise_a_matrix():
    m = np.array([[1, 0, 1, np.nan, 1], [1, 0, 1, 0, 0]])
    patterns = rel._Patterns(m)
    assert patterns.counts.sum() == 5 and len(patterns.counts) == 4
    rebuilt = patterns.columns[:, patterns.of_unit]
    np.testing.assert_array_equal(rebuilt, m)  # every unit is its pattern's column
    many = np.vstack([m] * 40)  # 80 coders: too many digits for one integer key
    assert len(rel._Patterns(many).counts) == 4
