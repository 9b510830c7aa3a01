"""Ratings held against the coded material (issue 11, part 1): botu.triangulation's rules on
hand-made teams, then on the (fictional) demo data, where the issue measured what they find."""

from __future__ import annotations

import pandas as pd
import pytest

from botu import triangulation as tri
from botu.codebook import load_codebook
from botu.coding import coded_segments
from botu.dataset import load_dataset
from botu.findings import triangulation_findings
from botu.profiles import factor_profiles
from tests.conftest import REPO

CODEBOOK = load_codebook(REPO / "data" / "raw" / "codebook.yml")


def _team(codes: list[tuple[str, str]], scores: dict[str, float]) -> tri._Team:
    coded = pd.DataFrame(
        [(f"S{i}", c, v) for i, (c, v) in enumerate(codes)],
        columns=["segment_id", "code_id", "value"],
    )
    return tri._Team.of(coded, scores)


def _rule(factor: str):
    return tri.rules(CODEBOOK)[factor][1]


def test_every_rated_factor_of_the_codebook_has_a_rule():
    rated = {c for c, code in CODEBOOK.codes.items() if code.rated} | set(tri.rules(CODEBOOK))
    assert rated <= set(tri.rules(CODEBOOK))
    names = {name for name, _ in tri.rules(CODEBOOK).values()}
    assert names <= {"origin", "involvement", "initiative", "responsiveness", "resources"} | {
        "network",
        "barriers",
        "named",
        "funding",
        "coded",
    }


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ([("bi_inv_raadplegen", ""), ("bi_inv_meedenken", "")], (2, 2, "bi_inv_meedenken")),
        ([("bi_inv_zelf_uitvoeren", "")], (3, 3, "bi_inv_zelf_uitvoeren")),  # order 4, rubric 3
        ([("bi_inv_geen", "")], (0, 0, "bi_inv_geen")),
        ([("hb_kennis", "")], "no_involvement_coded"),
    ],
)
def test_involvement_is_the_highest_step_coded(codes, expected):
    assert _rule("door_de_wijk")(_team(codes, {}), CODEBOOK) == expected


def test_origin_is_the_one_coded_most_ties_to_the_higher():
    two_local = [("bi_herkomst_lokale_org", "")] * 2 + [("bi_herkomst_bewoners", "")]
    assert _rule("uit_de_wijk")(_team(two_local, {}), CODEBOOK)[:2] == (2, 2)
    tie = [("bi_herkomst_extern", ""), ("bi_herkomst_bewoners", "")]
    assert _rule("uit_de_wijk")(_team(tie, {}), CODEBOOK)[:2] == (3, 3)
    assert _rule("uit_de_wijk")(_team([], {}), CODEBOOK) == "no_origin_coded"


@pytest.mark.parametrize(
    ("origin", "involvement", "score"),
    [
        ("bi_herkomst_bewoners", "bi_inv_meebeslissen", 3),
        ("bi_herkomst_bewoners", "bi_inv_meedenken", 2),
        ("bi_herkomst_lokale_org", "bi_inv_raadplegen", 2),
        ("bi_herkomst_extern", "bi_inv_raadplegen", 1),
        ("bi_herkomst_lokale_org", "bi_inv_geen", 1),
        ("bi_herkomst_programma", "bi_inv_geen", 0),
    ],
)
def test_initiative_follows_the_rubric_from_origin_and_involvement(origin, involvement, score):
    team = _team([(origin, ""), (involvement, "")], {})
    assert _rule("bewonersinitiatief")(team, CODEBOOK)[:2] == (score, score)


def test_rules_over_the_parts_scores():
    resp = _rule("responsiviteit")
    assert resp(_team([], {"rs_gemeente": 3, "rs_fonds": 2}), CODEBOOK)[:2] == (3, 3)
    assert resp(_team([], {"rs_gemeente": 3, "rs_fonds": 1}), CODEBOOK)[:2] == (2, 2)
    assert resp(_team([], {"rs_fonds": 1}), CODEBOOK) == "parts_unrated"
    res = _rule("hulpbronnen")
    net = _rule("netwerkaansluiting")
    assert res(_team([], {"hb_kennis": 3, "hb_tijd": 2, "hb_geld": 2}), CODEBOOK)[:2] == (3, 3)
    assert res(_team([], {"hb_kennis": 3, "hb_tijd": 1, "hb_geld": 1}), CODEBOOK)[:2] == (2, 2)
    # money not scored yet: anything from 0 to 3, so the rule gives a range
    assert res(_team([], {"hb_kennis": 1, "hb_tijd": 0}), CODEBOOK)[:2] == (1, 2)
    unrated_bonding = {"na_bridging": 3, "na_linking": 3}
    assert net(_team([], unrated_bonding), CODEBOOK)[:2] == (2, 3)
    ties = {"na_bonding": 1, "na_bridging": 2, "na_linking": 2}
    assert net(_team([], ties), CODEBOOK)[:2] == (3, 3)
    assert net(_team([], {**ties, "na_bonding": 0}), CODEBOOK)[:2] == (2, 2)
    worst = _rule("barrieres")
    assert worst(_team([], {"bar_tijd": 1, "bar_geld": 3}), CODEBOOK)[:2] == (3, 3)


def test_a_barrier_is_rated_0_exactly_when_nothing_names_it():
    named = _rule("bar_tijd")
    assert named(_team([("bar_tijd", "")], {}), CODEBOOK)[:2] == (1, 3)
    assert named(_team([], {}), CODEBOOK)[:2] == (0, 0)


@pytest.mark.parametrize(
    ("funding", "expected"),
    [
        (["eigen", "corporatie"], (1, 1)),  # named, so at least 1; no subsidy, so at most 1
        (["fonds"], (2, 3)),
        (["eigen", "gemeente"], (1, 2)),
    ],
)
def test_subsidy_dependence_follows_the_funding_coded(funding, expected):
    codes = [("hb_geld", v) for v in funding] + [("bar_subsidieafhankelijkheid", "")]
    low, high, basis = _rule("bar_subsidieafhankelijkheid")(_team(codes, {}), CODEBOOK)
    assert (low, high) == expected
    assert basis == "hb_geld=" + "|".join(sorted(funding))
    for funding in ("eigen", "gemeente"):  # not named as a barrier: 0, whatever the funding
        unnamed = [("hb_geld", funding)]
        assert _rule("bar_subsidieafhankelijkheid")(_team(unnamed, {}), CODEBOOK)[:2] == (0, 0)


def test_a_coded_factor_without_a_level_rule_is_said_not_computable():
    coded = _rule("hb_kennis")
    assert coded(_team([("hb_kennis", "")], {}), CODEBOOK) == "level_not_coded"
    assert coded(_team([], {}), CODEBOOK)[:2] == (0, 0)  # a score of 1 or more needs a code


@pytest.fixture(scope="module")
def demo():
    data = load_dataset(REPO / "data" / "raw")
    coded = coded_segments(data)
    return data, coded, tri.triangulate(data, coded, factor_profiles(data, coded))


def _status(table: pd.DataFrame, team: str, factor: str) -> pd.Series:
    return table[(table["team_id"] == team) & (table["factor_id"] == factor)].iloc[0]


def test_on_the_demo_the_issues_divergences_are_found(demo):
    _, _, table = demo
    for team in ("T03", "T05", "T07"):  # the responsiveness rule gives 2, the consensus 3
        row = _status(table, team, "responsiviteit")
        assert (row["status"], row["score"], row["implied_low"]) == ("diverges", 3, 2)
    for team in ("T01", "T02", "T06", "T07"):  # rated 1 with meedenken coded
        row = _status(table, team, "door_de_wijk")
        assert (row["status"], row["score"], row["basis"]) == ("diverges", 1, "bi_inv_meedenken")
    assert _status(table, "T05", "door_de_wijk")["basis"] == "bi_inv_meebeslissen"
    subsidy = _status(table, "T06", "bar_subsidieafhankelijkheid")  # own funds and corporation
    assert (subsidy["status"], subsidy["score"], subsidy["implied_high"]) == ("diverges", 3, 1)


def test_every_scored_factor_is_checked_once_and_said_when_not_computable(demo):
    data, coded, table = demo
    assert not table.duplicated(["team_id", "factor_id"]).any()
    assert set(table["status"]) <= set(tri.STATUSES)
    # without its origin codings a team's origin cannot be told: said, with the reason
    no_origin = coded[~((coded["team_id"] == "T01") & coded["code_id"].str.startswith("bi_herk"))]
    again = tri.triangulate(data, no_origin, factor_profiles(data, coded))
    row = _status(again, "T01", "uit_de_wijk")
    assert (row["status"], row["reason"]) == ("not_computable", "no_origin_coded")
    assert pd.isna(row["implied_low"])


def _with(data, **tables):
    """A copy of the data set with some tables replaced (the module's fixture stays as is)."""
    copy = type(data).__new__(type(data))
    copy.__dict__.update(data.__dict__, **tables)
    return copy


def test_coalition_type_is_derived_and_compared(demo):
    data, _, _ = demo
    checks = tri.coalition_checks(data).set_index("team_id")
    assert (checks["status"] == "agrees").all()  # the demo's types follow the codebook's rule
    assert checks.loc["T03", "coalition_type_derived"] == "nieuw"
    teams = data.teams.copy()
    teams.loc[teams["team_id"] == "T03", "coalition_type"] = "gevestigd"
    changed = tri.coalition_checks(_with(data, teams=teams)).set_index("team_id")
    assert changed.loc["T03", "status"] == "diverges"
    # T03's core members' prior collaboration unknown: it could still be established
    members = data.memberships.copy()
    members.loc[members["team_id"] == "T03", "prior_collaboration_years"] = pd.NA
    unknown = tri.coalition_checks(_with(data, memberships=members)).set_index("team_id")
    assert (unknown.loc["T03", "status"], unknown.loc["T03", "coalition_type_derived"]) == (
        "not_computable",
        "",
    )
    untyped = data.teams.copy()
    untyped.loc[untyped["team_id"] == "T01", "coalition_type"] = pd.NA
    checks = tri.coalition_checks(_with(data, teams=untyped)).set_index("team_id")
    assert checks.loc["T01", "status"] == "not_computable"  # nothing typed to hold it against
    empty = tri.coalition_checks(_with(data, teams=data.teams.iloc[0:0]))
    assert list(empty.columns) == tri.COALITION_COLUMNS and empty.empty


def test_the_summary_lists_every_divergence(demo):
    data, _, table = demo
    summary = triangulation_findings(table, tri.coalition_checks(data))
    assert summary["n_diverge"] == (table["status"] == "diverges").sum() > 0
    assert len(summary["divergences"]) == summary["n_diverge"]
    assert {"team_id": "T06", "factor_id": "bar_subsidieafhankelijkheid"}.items() <= next(
        d
        for d in summary["divergences"]
        if d["team_id"] == "T06" and d["factor_id"].startswith("bar_s")
    ).items()
    assert summary["n_agree"] + summary["n_diverge"] + summary["n_not_computable"] == len(table)
