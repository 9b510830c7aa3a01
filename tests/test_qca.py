"""botu's QCA against R's QCA package (issue 11, part 2 and 3): every published data set of
tests/qca_reference.py (the reference values written in, so a fresh clone checks them), and,
when ../shared/reference/qca is beside the project, against that material itself.

Data sets: Rokkan (Ragin 1987), HC (Hino 2009), d.educate (textbook), Quine (a cyclic prime
implicant chart), LC (Lipset, crisp; Rihoux & De Meur 2009), Krook (Krook 2010); fuzzy: LF
(Lipset, Ragin 2009), CVF (Cebotari & Vink 2013), NF (Ragin 2005, data Nieuwbeerta 1995).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from botu import qca
from tests.conftest import REPO
from tests.qca_reference import CRISP, DATA, FUZZY

SHARED = REPO.parent / "shared" / "reference" / "qca"
CRISP_FILES = {"Rokkan": "Rokkan", "HC": "HC", "educate": "d.educate", "Quine": "Quine"}
CRISP_FILES |= {"LC": "LC", "Krook": "Krook"}


def _data(name: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(DATA[name]), index_col=0, dtype={0: str})


def _crisp(name: str):
    data = _data(name)
    return data, list(data.columns[:-1]), data.columns[-1]


def _near(got, expected, places=3):
    return (expected is None and got is None) or round(got, places) == pytest.approx(expected)


# --- crisp sets: R's printed results ------------------------------------------------------


@pytest.mark.parametrize("name", [n for n in CRISP if "truth_table" in CRISP[n]])
def test_crisp_truth_tables_are_rs(name):
    data, conditions, outcome = _crisp(name)
    table = qca.truth_table(data, outcome, conditions)
    expected = CRISP[name]["truth_table"]
    assert [r.config for r in table.rows] == [e["config"] for e in expected]
    for row, want in zip(table.rows, expected, strict=True):
        assert (row.out, row.n, list(row.cases)) == (want["out"], want["n"], want["cases"]), row
        assert _near(row.incl, want["incl"]) and _near(row.pri, want["pri"]), row


def _as_sets(models):
    """R prints a model's essential terms first; its solution list keeps the terms' order.
    Printed models are compared term set by term set, in the models' order."""
    return [set(m) for m in models]


@pytest.mark.parametrize("name", list(CRISP))
@pytest.mark.parametrize("kind", ["conservative", "parsimonious"])
def test_crisp_solutions_are_rs_with_every_equally_short_model(name, kind):
    data, conditions, outcome = _crisp(name)
    solution = getattr(qca, kind)(qca.truth_table(data, outcome, conditions))
    expected = CRISP[name][kind]
    if "error" in expected:
        assert solution.error and solution.error.startswith(expected["error"])
        assert solution.models == []
        return
    assert solution.error is None
    assert _as_sets([m.terms for m in solution.models]) == _as_sets(expected["models"])
    if len(solution.models) == 1:  # R's per-term table: inclS, PRI, covS, covU
        fits = {f.term: f for f in solution.models[0].fit}
        for term, (incl, pri, cov, unique) in expected.get("terms", {}).items():
            f = fits[term]
            assert [round(v, 3) for v in (f.incl, f.pri, f.cov, f.cov_unique)] == pytest.approx(
                [incl, pri, cov, unique]
            ), term


def test_quine_has_two_conservative_models_and_no_parsimonious_one():
    data, conditions, outcome = _crisp("Quine")
    table = qca.truth_table(data, outcome, conditions)
    assert [m.expression for m in qca.conservative(table).models] == [
        "~P*Q + P*~R + ~Q*R",
        "~P*R + P*~Q + Q*~R",
    ]
    assert qca.parsimonious(table).as_dict() == {"error": qca.ALL_USED}


def test_krook_keeps_both_parsimonious_models():
    data, conditions, outcome = _crisp("Krook")
    models = qca.parsimonious(qca.truth_table(data, outcome, conditions)).models
    assert [m.terms for m in models] == [
        ["WS", "~ES*LP", "ES*WM", "QU*LP"],
        ["WS", "ES*WM", "QU*LP", "WM*LP"],
    ]


@pytest.mark.parametrize("name", [n for n in CRISP if "supersets" in CRISP[n]])
def test_necessary_disjunctions_are_rs_supersubset(name):
    data, conditions, outcome = _crisp(name)
    found = qca.necessary_disjunctions(data, outcome, conditions, incl_cut=0.9)
    expected = CRISP[name]["supersets"]
    assert [n.condition for n in found] == [e["condition"] for e in expected]
    for n, e in zip(found, expected, strict=True):
        assert [round(v, 3) for v in (n.incl, n.ron, n.cov)] == pytest.approx(
            [e["incl"], e["ron"], e["cov"]]
        )


# --- fuzzy sets: R's full-precision results -----------------------------------------------


def _fuzzy(name: str):
    ref = FUZZY[name]
    table = qca.truth_table(
        _data(name),
        ref["outcome"],
        ref["conditions"],
        incl_cut=ref["incl_cut"],
        incl_cut0=ref["incl_cut0"],
        n_cut=ref["n_cut"],
    )
    return table, ref


@pytest.mark.parametrize("name", list(FUZZY))
def test_fuzzy_truth_tables_are_rs(name):
    table, ref = _fuzzy(name)
    assert len(table.rows) == len(ref["truth_table"]) == 2 ** len(ref["conditions"])
    for row, want in zip(table.rows, ref["truth_table"], strict=True):
        got = row.as_dict()
        for key in ("config", "out", "n", "cases"):
            assert got[key] == want[key], (key, got, want)
        for key in ("incl", "pri"):
            assert (got[key] is None) == (want[key] is None), (key, got, want)
            if want[key] is not None:
                assert got[key] == pytest.approx(want[key], abs=1e-9), (key, got, want)


@pytest.mark.parametrize("name", list(FUZZY))
@pytest.mark.parametrize("kind", ["conservative", "parsimonious", "intermediate"])
def test_fuzzy_solutions_are_rs_model_by_model(name, kind):
    table, ref = _fuzzy(name)
    solution = getattr(qca, kind)(table)  # intermediate: every condition expected present
    want = ref[kind]
    assert [m.terms for m in solution.models] == want["models"]  # order too
    for key in ("incl", "cov", "pri"):
        got = [getattr(m, key) for m in solution.models]
        assert got == pytest.approx(want[key], abs=1e-9), key


@pytest.mark.parametrize("name", list(FUZZY))
def test_fuzzy_necessity_of_single_conditions_is_rs(name):
    ref = FUZZY[name]
    found = qca.necessity(_data(name), ref["outcome"], ref["conditions"])
    assert [n.condition for n in found] == [e["condition"] for e in ref["necessity"]]
    for n, e in zip(found, ref["necessity"], strict=True):
        assert [n.incl, n.cov, n.ron] == pytest.approx([e["incl"], e["cov"], e["ron"]], abs=1e-9)


def test_directional_expectations_change_the_intermediate_solution():
    table, ref = _fuzzy("LF")
    present = qca.intermediate(table).models[0].terms
    assert present == ["DEV*URB*LIT*STB", "DEV*LIT*~IND*STB"]
    # no expectation ("-", R's dir.exp): a literal stays, so nothing simplifies
    none = qca.intermediate(table, {c: "-" for c in ref["conditions"]})
    assert [m.terms for m in none.models] == [m.terms for m in qca.conservative(table).models]
    # every condition expected to help when absent: present literals may go instead
    absent = qca.intermediate(table, dict.fromkeys(ref["conditions"], 0))
    assert [m.terms for m in absent.models] == [
        ["URB*STB", "DEV*~URB*~IND"],
        ["URB*STB", "DEV*~IND*STB"],
    ]
    with pytest.raises(qca.QCAError, match="not a condition"):
        qca.intermediate(table, {"XX": 1})
    with pytest.raises(qca.QCAError, match="not 1, 0 or -"):
        qca.intermediate(table, {"DEV": "ja"})


# --- refusals, as R words them ------------------------------------------------------------


def test_nothing_positive_is_refused_for_every_solution():
    data = pd.DataFrame({"A": [0, 1, 0], "B": [1, 1, 0], "Y": [0, 0, 0]}, index=list("xyz"))
    result = qca.analyse(data, "Y", ["A", "B"])
    for solution in (result.conservative, result.parsimonious, result.intermediate):
        assert solution.as_dict() == {"error": qca.NOTHING_EXPLAINED}


def test_a_row_exactly_at_the_cutoff_is_positive_and_c_rows_are_minimised_like_0():
    data = pd.DataFrame(
        {"A": [1, 1, 1, 1, 1, 0, 0], "Y": [1, 1, 1, 1, 0, 0, 1]}, index=list("abcdefg")
    )
    at = qca.truth_table(data, "Y", ["A"], incl_cut=0.8)  # A: 4 of 5 = 0.8 exactly
    assert [r.out for r in at.rows] == ["0", "1"]
    contradiction = qca.truth_table(data, "Y", ["A"], incl_cut=0.9, incl_cut0=0.4)
    assert [r.out for r in contradiction.rows] == ["C", "C"]
    assert qca.conservative(contradiction).error == qca.NOTHING_EXPLAINED


def test_a_membership_of_one_half_belongs_to_no_row_but_counts_for_inclusion():
    data = pd.DataFrame({"A": [0.5, 0.9, 0.2], "Y": [1.0, 0.8, 0.1]}, index=list("abc"))
    table = qca.truth_table(data, "Y", ["A"], incl_cut=0.8)
    assert [list(r.cases) for r in table.rows] == [["c"], ["b"]]
    # row A: memberships min(.5), .9, .2 — all three count
    assert table.rows[1].incl == pytest.approx((0.5 + 0.8 + 0.1) / (0.5 + 0.9 + 0.2))


def test_bad_memberships_and_settings_are_refused():
    data = pd.DataFrame({"A": [0, 1.2], "Y": [1, 0]}, index=["a", "b"])
    with pytest.raises(qca.QCAError, match=r"case b, A: 1\.2 is not a set membership"):
        qca.truth_table(data, "Y", ["A"])
    ok = pd.DataFrame({"A": [0, 1], "Y": [1, 0]}, index=["a", "b"])
    with pytest.raises(qca.QCAError, match="incl_cut0"):
        qca.truth_table(ok, "Y", ["A"], incl_cut=0.5, incl_cut0=0.8)
    with pytest.raises(qca.QCAError, match="not in the data: B"):
        qca.truth_table(ok, "Y", ["A", "B"])
    many = pd.DataFrame(np.zeros((2, qca.MAX_CONDITIONS + 2)))
    with pytest.raises(qca.QCAError, match=f"at most {qca.MAX_CONDITIONS} conditions"):
        qca.truth_table(many, 0, list(range(1, qca.MAX_CONDITIONS + 2)))


# --- calibration and scale ----------------------------------------------------------------


def test_rubric_scores_calibrate_to_graded_memberships():
    scores = pd.Series([0, 1, 2, 3, None], name="hb_kennis")
    assert qca.calibrate_scores(scores).tolist()[:4] == [0.0, 0.33, 0.67, 1.0]
    assert np.isnan(qca.calibrate_scores(scores).iloc[4])
    with pytest.raises(qca.QCAError, match=r"hb_kennis: scores \[5\] have no membership"):
        qca.calibrate_scores(pd.Series([1, 5], name="hb_kennis"))


def test_direct_calibration_puts_the_anchors_where_r_does():
    values = pd.Series([10.0, 50.0, 90.0, 130.0, 0.0])
    got = qca.calibrate_direct(values, exclusion=10, crossover=50, inclusion=90)
    assert got.tolist()[:3] == pytest.approx([0.05, 0.5, 0.95])
    assert got.iloc[3] > 0.95 and got.iloc[4] < 0.05
    falling = qca.calibrate_direct(values, exclusion=90, crossover=50, inclusion=10)
    assert falling.tolist()[:3] == pytest.approx([0.95, 0.5, 0.05])
    with pytest.raises(qca.QCAError, match="anchors must be ordered"):
        qca.calibrate_direct(values, 10, 90, 50)


def test_eight_conditions_on_forty_cases_and_ten_conditions_work():
    """Scale is measured in benchmarks/ (as ratios); here: the answer is complete."""
    rng = np.random.default_rng(2028)
    for k in (8, 10):
        # the outcome is C0 or C1: positive and negative rows, and the answer known
        data = pd.DataFrame(rng.integers(0, 2, (40, k))).add_prefix("C")
        data["Y"] = (data["C0"] | data["C1"]).astype(int)
        conditions = [f"C{i}" for i in range(k)]
        result = qca.analyse(data, "Y", conditions)
        assert [m.expression for m in result.parsimonious.models] == ["C0 + C1"]
        positive = result.table.configs("1")
        solutions = (result.conservative, result.parsimonious, result.intermediate)
        assert all(s.models and not s.error for s in solutions), [s.error for s in solutions]
        for solution in solutions:
            for model in solution.models:  # every model covers every positive row
                covered = set()
                for term in model.terms:
                    mask = qca.covered(qca.parse_term(term, conditions))
                    covered |= set(np.flatnonzero(mask))
                assert positive <= covered


def test_a_chart_with_too_many_equally_short_models_is_refused_saying_so(monkeypatch):
    # 1111 → Y, 0000 → not Y, the rest remainders: each condition alone is a model (four)
    data = pd.DataFrame({c: [0, 1] for c in "ABCDY"}, index=["x", "y"])
    table = qca.truth_table(data, "Y", list("ABCD"))
    assert [m.expression for m in qca.parsimonious(table).models] == ["A", "B", "C", "D"]
    monkeypatch.setattr(qca, "MAX_MODELS", 3)
    refused = qca.parsimonious(table)
    assert refused.models == [] and refused.error.startswith("More than")
    monkeypatch.setattr(qca, "MAX_CHART_STEPS", 2)
    assert qca.parsimonious(table).error == qca.TOO_COMPLEX


def test_calibration_refuses_what_r_refuses():
    with pytest.raises(qca.QCAError, match=r"idm must lie between 0\.5 and 1"):
        qca.calibrate_direct(pd.Series([1.0]), 0, 5, 10, idm=1)
    with pytest.raises(qca.QCAError, match="have no membership"):
        qca.calibrate_scores(pd.Series([1, float("inf")], name="x"))


def test_robustness_puts_the_solutions_side_by_side_over_cutoffs():
    table = qca.robustness(_data("LF"), "SURV", FUZZY["LF"]["conditions"], [0.9, 0.8, 0.75])
    assert table["cutoff"].tolist() == [0.9, 0.8, 0.75]
    assert table.loc[1, "parsimonious"] == "DEV*~IND + URB*STB"
    assert table.loc[0, "positive"] <= table.loc[1, "positive"] <= table.loc[2, "positive"]


# --- the command line: a stable JSON contract ---------------------------------------------


def _qca_cli(tmp_path, name: str, *args: str) -> subprocess.CompletedProcess:
    data = tmp_path / f"{name}.csv"
    data.write_text(DATA[name], encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "botu", "qca", str(data), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )


def test_cli_json_is_rs_result_for_a_fuzzy_data_set(tmp_path):
    ref = FUZZY["LF"]
    result = _qca_cli(
        tmp_path,
        "LF",
        "--outcome",
        "SURV",
        "--conditions",
        ",".join(ref["conditions"]),
        "--fuzzy",
        "--cutoff",
        f"{ref['incl_cut']},{ref['incl_cut0']}",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out) >= {"truth_table", "conservative", "parsimonious", "intermediate"}
    assert [r["out"] for r in out["truth_table"]] == [r["out"] for r in ref["truth_table"]]
    assert out["truth_table"][0] == {
        **ref["truth_table"][0],
        "incl": pytest.approx(ref["truth_table"][0]["incl"]),
        "pri": pytest.approx(ref["truth_table"][0]["pri"]),
    }
    for kind in ("conservative", "parsimonious", "intermediate"):
        assert out[kind]["models"] == ref[kind]["models"]
        assert out[kind]["incl"] == pytest.approx(ref[kind]["incl"])
        assert out[kind]["cov"] == pytest.approx(ref[kind]["cov"])
    assert [n["condition"] for n in out["necessity"]] == [n["condition"] for n in ref["necessity"]]


def test_cli_json_gives_rs_refusal_and_keeps_condition_order(tmp_path):
    result = _qca_cli(tmp_path, "Quine", "--outcome", "OUT", "--conditions", "R,Q,P", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["parsimonious"] == {"error": qca.ALL_USED}
    assert all(len(r["config"]) == 3 for r in out["truth_table"])
    assert out["truth_table"][1]["config"] == "001" and out["truth_table"][1]["cases"] == ["q4"]
    assert out["conservative"]["models"][0] == ["~R*Q", "R*~P", "~Q*P"]  # conditions as given


def test_cli_directional_expectations(tmp_path):
    ref = FUZZY["LF"]
    base = ["--outcome", "SURV", "--conditions", ",".join(ref["conditions"]), "--fuzzy"]
    base += ["--cutoff", "0.8,0.201", "--json"]
    default = json.loads(_qca_cli(tmp_path, "LF", *base).stdout)["intermediate"]
    absent = ",".join(f"{c}=0" for c in ref["conditions"])
    other = json.loads(_qca_cli(tmp_path, "LF", *base, "--directional", absent).stdout)
    assert default["models"] == ref["intermediate"]["models"]
    assert other["intermediate"]["models"] == [
        ["URB*STB", "DEV*~URB*~IND"],
        ["URB*STB", "DEV*~IND*STB"],
    ]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--outcome", "SURV", "--conditions", "DEV,URB"], "use --fuzzy"),
        (["--outcome", "SURV", "--conditions", "DEV,XX", "--fuzzy"], "no column XX"),
        (["--outcome", "SURV", "--conditions", "DEV", "--fuzzy", "--cutoff", "x"], "--cutoff"),
        (["--outcome", "SURV", "--conditions", "DEV,DEV", "--fuzzy"], "DEV: each set once"),
        (["--outcome", "SURV", "--conditions", "DEV,SURV", "--fuzzy"], "SURV: each set once"),
        (["--outcome", "SURV", "--conditions", "DEV", "--fuzzy", "--directional", "DEV"], "NAME=1"),
        (
            ["--outcome", "SURV", "--conditions", "DEV", "--fuzzy", "--directional", "DEV=2"],
            "not 1",
        ),
        (
            ["--outcome", "SURV", "--conditions", "DEV", "--fuzzy", "--directional", "DEV=1,DEV=0"],
            "given twice",
        ),
    ],
    ids=[
        "fuzzy-data-read-as-crisp",
        "unknown-condition",
        "cutoff-not-a-number",
        "condition-twice",
        "outcome-among-conditions",
        "directional-without-value",
        "directional-off-scale",
        "directional-twice",
    ],
)
def test_cli_bad_input_exits_2_naming_it(tmp_path, args, words):
    result = _qca_cli(tmp_path, "LF", *args)
    assert result.returncode == 2
    assert words in result.stderr and "Traceback" not in result.stderr


def _qca_on(path, text: str) -> subprocess.CompletedProcess:
    """``python -m botu qca`` on a data file written with ``text``, outcome Y on A."""
    path.write_text(text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "botu", "qca", str(path), "--outcome", "Y", "--conditions", "A"],
        capture_output=True,
        text=True,
    )


def test_cli_refuses_a_file_without_cases(tmp_path):
    result = _qca_on(tmp_path / "empty.csv", "case,A,Y\n")
    assert result.returncode == 2
    assert "empty.csv: holds no cases" in result.stderr and "Traceback" not in result.stderr


def test_cli_names_row_and_column_of_a_bad_cell(tmp_path):
    result = _qca_on(tmp_path / "bad.csv", "case,A,Y\nx,1,0\ny,ja,1\nx,0,1\n")
    assert result.returncode == 2
    assert "bad.csv, row 3, column 'A': 'ja' is not a number" in result.stderr
    assert "bad.csv, row 4, column 'case': case 'x' is also in row 2" in result.stderr


# --- the reference material itself, when it is beside the project -------------------------


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/reference/qca is not beside the project")
@pytest.mark.parametrize("name", list(FUZZY))
def test_the_written_in_values_are_the_shared_reference(name):
    shared = json.loads((SHARED / "fuzzy" / f"{name}.json").read_text(encoding="utf-8"))
    for kind in ("conservative", "parsimonious", "intermediate"):
        assert FUZZY[name][kind]["models"] == shared[kind]["models"]
    assert DATA[name] == (SHARED / "fuzzy" / f"{name}.csv").read_text(encoding="utf-8")


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/reference/qca is not beside the project")
@pytest.mark.parametrize("name", list(CRISP_FILES))
def test_the_written_in_crisp_data_are_the_shared_data_sets(name):
    shared = pd.read_csv(SHARED / f"{CRISP_FILES[name]}.tsv", sep="\t")
    ours = _data(name)
    assert list(ours.columns) == [c for c in shared.columns if c in ours.columns]
    assert ours.to_numpy().tolist() == shared[list(ours.columns)].to_numpy().tolist()
