"""A study in progress renders honestly: one team, no ratings, one coder, no composition.

The study is cut from the demo data the way a fresh QDA import looks: one team with theme,
coalition type and SiBD phase empty; documents of kind ``document`` without phase, date or
respondent; actors, memberships, respondents and ratings header only; codings by one coder,
all with the tool's codes, which sit under the group ``unassigned`` in the codebook.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from botu import plots
from botu.cli import main
from botu.codebook import STARTER_CODEBOOK
from botu.dataset import load_dataset
from botu.pages import common, compare, reliability
from botu.pages import team as team_page
from botu.pipeline import load_summary, load_table
from tests.conftest import REPO

TEAM = "Oltas"
# the tool's codes, nested up to three deep under 'unassigned', as an import writes them
TOOL_CODES = """\
- id: unassigned
  parent: null
  level: segment
  label: {nl: Niet toegewezen, en: Unassigned}
- id: c_1_oltas_tipusa
  parent: unassigned
  level: segment
  label: {nl: Oltás típusa}
- id: c_2_forras
  parent: unassigned
  level: segment
  label: {nl: Forrás}
- id: c_3_forras_penz
  parent: c_2_forras
  level: segment
  label: {nl: Pénz}
- id: c_4_kozosseg
  parent: c_3_forras_penz
  level: segment
  label: {nl: Közösség}
"""


def _read(name: str) -> list[dict[str, str]]:
    text = (REPO / "data" / "raw" / f"{name}.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _write(raw: Path, name: str, rows: list[dict[str, str]], columns: list[str]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (raw / f"{name}.csv").write_text(out.getvalue(), encoding="utf-8")


def _tool_code(code_id: str) -> str:
    if code_id.startswith("hb_"):
        return "c_3_forras_penz"
    if code_id.startswith("bar_"):
        return "c_4_kozosseg"
    if code_id.startswith(("rs_", "na_")):
        return "c_2_forras"
    return "c_1_oltas_tipusa"


def write_in_progress_study(root: Path, *, split_coders: bool = False) -> Path:
    """Write the in-progress study under ``root``; returns its ``data/raw``.

    Args:
        split_coders: two coders on different documents (still nothing double-coded)
            instead of one coder.
    """
    raw = root / "data" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    _write(
        raw,
        "teams",
        [{"team_id": TEAM, "name": "Oltás", "theme": "", "coalition_type": ""}],
        ["team_id", "name", "theme", "coalition_type", "sibd_phase_reached"],
    )
    for name in ("actors", "memberships", "respondents", "ratings"):
        columns = list(_read(name)[0])
        _write(raw, name, [], columns)
    documents = [d for d in _read("documents") if d["team_id"] == "T03"]
    for d in documents:
        d.update(team_id=TEAM, kind="document", phase="", date="", respondent_id="")
    _write(raw, "documents", documents, list(documents[0]))
    doc_ids = [d["document_id"] for d in documents]
    segments = [s for s in _read("segments") if s["document_id"] in doc_ids]
    _write(raw, "segments", segments, list(segments[0]))
    segment_doc = {s["segment_id"]: s["document_id"] for s in segments}
    codings, seen = [], set()
    for c in _read("codings"):
        if c["segment_id"] not in segment_doc or c["coder_id"] != "C1":
            continue
        code = _tool_code(c["code_id"])
        coder = "C1"
        if split_coders and doc_ids.index(segment_doc[c["segment_id"]]) % 2:
            coder = "C2"
        if (c["segment_id"], code) in seen:
            continue
        seen.add((c["segment_id"], code))
        codings.append({**c, "code_id": code, "coder_id": coder, "value": ""})
    _write(raw, "codings", codings, list(codings[0]))
    starter = STARTER_CODEBOOK.read_text(encoding="utf-8").rstrip("\n")
    (raw / "codebook.yml").write_text(starter + "\n" + TOOL_CODES, encoding="utf-8")
    return raw


@pytest.fixture(scope="module")
def study(tmp_path_factory) -> Path:
    """The in-progress study, built (data/processed written)."""
    root = tmp_path_factory.mktemp("in-progress")
    write_in_progress_study(root)
    assert main(["--root", str(root), "build"]) == 0
    return root


@pytest.fixture(scope="module")
def team(study):
    return team_page.team_view(TEAM, "nl", study)


def test_validate_passes_and_lists_the_unassigned_codes(tmp_path, capsys):
    write_in_progress_study(tmp_path)
    assert main(["--root", str(tmp_path), "validate"]) == 0
    err = capsys.readouterr().err
    assert "4 code(s) are not assigned to a factor (group 'unassigned'" in err
    data = load_dataset(tmp_path / "data" / "raw")
    assert data.team_ids == [TEAM] and data.ratings.empty
    assert set(data.codings["code_id"]) <= set(data.codebook.unassigned)


def test_summary_says_null_where_the_data_cannot_tell(study):
    s = load_summary(study)
    d = s["data"]
    assert d["n_teams"] == 1 and d["n_ratings"] == 0 and d["n_memberships"] == 0
    assert d["n_coders"] == 1 and d["n_codes_unassigned"] == 4
    assert d["n_segments"] > 0 and d["n_codings"] > 0  # computed, not invented
    co = s["coalitions"]
    assert co["n_unknown"] == 1 and co["by_type"] == {}
    assert co["n_new"] is None and co["n_established"] is None
    assert co["n_new_with_residents_municipality_and_semi_public_or_market"] is None
    ri = s["resident_initiative"]
    assert ri["n_teams_origin_2plus"] is None and ri["n_teams_rule_ok"] is None
    assert ri["door_de_wijk_2plus_only_in_new_coalitions"] is None
    assert ri["door_de_wijk"] == {"median": None, "min": None, "max": None, "n_rated": 0}
    assert s["responsiveness"]["n_municipality_co_develops"] is None
    assert s["private_capital"]["n_teams_targeted"] is None
    time = s["barriers"]["time"]
    assert time["share_teams_severity_2plus"] is None and time["n_teams_rated"] == 0
    assert s["reliability"]["n_segments_double_coded"] == 0
    assert s["reliability"]["segments_pooled"]["alpha"] is None


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("nl", ["Nog niet beoordeeld", "Niet toegewezen", "segmenten uit"]),
        ("en", ["Not rated yet", "Unassigned", "segments from"]),
    ],
)
def test_team_page_says_not_rated_and_shows_the_coded_evidence(study, lang, words):
    team = team_page.team_view(TEAM, lang, study)
    notice = team_page.profile_table(team)
    assert isinstance(notice, common.Notice)
    for word in words:
        assert word in notice
    assert plots.profile_bars(team_page.profile_for_plot(team)) is None
    assert plots.barrier_bars(team.barriers) is None
    assert plots.save_figure(None, "team-x") == []
    header = team_page.header(team)
    assert "nan" not in header and "None" not in header
    assert ("onbekend" if lang == "nl" else "unknown") in header
    recorded = "niet vastgelegd" if lang == "nl" else "not recorded"
    assert recorded in header and recorded in team_page.members_table(team)
    assert words[0] in team_page.origin_text(team)
    assert words[0] in team_page.barrier_rows(team)


def test_team_page_quotes_the_codes_used_by_label(study, team):
    text = team_page.quotes_markdown(team)
    assert "#### Forrás: " in text and "#### Pénz: " in text
    assert "c_3_forras_penz" not in text  # labels, not ids, where a label exists
    first = team.coded.sort_values("segment_id")
    assert common.md_quote(first["text"].iloc[0]) in text  # the quote, made inert
    evidence = team_page.evidence_table(team).data
    assert {"Oltás típusa", "Forrás", "Pénz", "Közösség"} <= set(evidence["code"])
    assert "respondenten" not in evidence.columns  # no respondents recorded: no zero column


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [("nl", "Niets dubbel gecodeerd"), ("en", "Nothing double-coded")],
)
def test_reliability_page_says_nothing_is_double_coded(study, lang, sentence):
    page = reliability.start(lang, study)
    text = reliability.headline(page)
    assert sentence in text and ("één codeur" in text or "one coder" in text)
    for name, scope in [("segments", "pooled"), ("segments", "code"), ("documents", None)]:
        assert sentence in reliability.coefficients(page, name, scope=scope)
    assert sentence in reliability.disagreements(page)
    assert reliability.coefficients(page, "ratings").startswith("_")
    assert plots.forest_plot(reliability.alpha_per_code(study)) is None


def test_two_coders_on_different_documents_are_not_double_coding(tmp_path):
    write_in_progress_study(tmp_path, split_coders=True)
    assert main(["--root", str(tmp_path), "build"]) == 0
    summary = load_summary(tmp_path)
    assert summary["data"]["n_coders"] == 2
    assert summary["reliability"]["n_segments_double_coded"] == 0
    text = reliability.headline(reliability.start("en", tmp_path))
    assert "Nothing double-coded" in text and "2 coders coded different segments" in text


@pytest.mark.parametrize(
    ("lang", "status", "not_rated", "not_recorded"),
    [
        ("nl", "Studie in uitvoering", "nog niet beoordeeld", "niet vastgelegd"),
        ("en", "Study in progress", "not been rated yet", "not recorded"),
    ],
)
def test_compare_page_degrades_with_a_sentence(study, lang, status, not_rated, not_recorded):
    page = compare.start(lang, study)
    findings = compare.findings(page)
    assert findings.startswith(f"**{status}.**")
    assert not_rated in findings and "None" not in findings and "0%" not in findings
    assert "4 codes" in findings and "`" not in findings  # no table names for readers
    for topic in ("scores", "uit_door", "barriers", "responsiveness"):
        assert compare.missing_notice(page, topic)
    for topic in ("composition", "network"):
        assert not_recorded in compare.missing_notice(page, topic)
    assert not_recorded in compare.composition_table(page)
    assert not_recorded in compare.shared_actors_table(page)
    responsiveness = compare.responsiveness_table(page)
    assert isinstance(responsiveness, common.Notice)
    assert responsiveness == compare.missing_notice(page, "responsiveness")
    assert plots.score_heatmap(compare.factor_matrix(page)) is None
    assert plots.barrier_heatmap(compare.barrier_table(page)) is None
    assert plots.composition_bars(load_table("actor_types", study).set_index("team_id")) is None
    assert plots.actor_network(load_table("team_members", study)) is None
    assert compare.evidence_text(page).startswith(("Nog geen scores", "No scores yet"))


def test_qca_says_it_needs_ratings(study):
    outcome, conditions, calibration, _ = compare.check_qca(
        "door_de_wijk",
        ["coalition_type", "na_bonding"],
        {"door_de_wijk": [">=", 2], "coalition_type": ["nieuw"], "na_bonding": [">=", 2]},
        root=study,
    )
    nl = compare.run_qca(compare.start("nl", study), outcome, conditions, calibration)
    en = compare.run_qca(compare.start("en", study), outcome, conditions, calibration)
    assert nl.result is None
    nl, en = compare.qca_markdown(nl), compare.qca_markdown(en)
    assert "heeft er 1" in nl and "teamscores nodig" in nl and "Door de wijk en Bonding" in nl
    assert "needs team scores" in en and "coalition type is not recorded for any team" in en
    assert "door_de_wijk" not in nl + en and "`" not in nl + en
    assert (
        compare.qca_table(
            compare.run_qca(compare.start("nl", study), outcome, conditions, calibration)
        )
        == ""
    )


def test_complete_data_get_no_notices(built):
    summary = load_summary(built)
    assert compare.missing_notice(compare.start("nl", built), "scores") == ""
    assert compare.missing_notice(compare.start("en", built), "composition") == ""
    assert not compare.status_markdown(summary, "nl").startswith("**Studie")
    t01 = team_page.team_view("T01", "nl", built)
    assert not isinstance(team_page.profile_table(t01), common.Notice)
    assert not isinstance(team_page.members_table(t01), common.Notice)


@pytest.mark.integration
def test_the_in_progress_study_renders(tmp_path):
    from botu import config, report

    write_in_progress_study(tmp_path)
    results = report.make_report(tmp_path, echo=lambda _: None)
    assert {r.status for r in results} == {"ran"}
    pages = config.paths(tmp_path).reports
    team = (pages / f"team-{TEAM}.html").read_text(encoding="utf-8")
    assert "Nog niet beoordeeld" in team and "Samenstelling niet vastgelegd" in team
    assert "Forrás" in team and "Traceback" not in team and ">nan<" not in team
    reliability = (pages / "reliability.html").read_text(encoding="utf-8")
    assert "Niets dubbel gecodeerd" in reliability
    compare = (pages / "compare.html").read_text(encoding="utf-8")
    assert "Studie in uitvoering" in compare and "Samenstelling niet vastgelegd" in compare
    assert "teamscores nodig" in compare
    assert (pages / "index.html").exists() and config.paths(tmp_path).summary.exists()
    assert not list(config.paths(tmp_path).figures.glob("compare-factoren.*"))  # no empty map


def test_a_team_not_rated_yet_beside_rated_ones(tmp_path):
    from tests.conftest import TINY_TABLES, write_project

    teams = TINY_TABLES["teams"] + "T03,Demo-team Drie,,,,true\n"
    write_project(tmp_path, {"teams": teams})
    assert main(["--root", str(tmp_path), "build"]) == 0
    page = compare.start("nl", tmp_path)
    matrix = compare.factor_matrix(page)
    names = [page.teams[t] for t in ("T01", "T02", "T03")]
    assert list(matrix.index) == names  # the unrated team stays in sight, by its name
    assert matrix.loc[names[2]].isna().all() and matrix.loc[names[0], "hulpbronnen"] == 2
    notice = team_page.profile_table(team_page.team_view("T03", "en", tmp_path))
    assert "Not rated yet" in notice and "Nothing has been coded for this team yet" in notice
    t03 = team_page.team_view("T03", "nl", tmp_path)
    assert team_page.evidence_table(t03) == "_Voor dit team is nog niets gecodeerd._"
    summary = load_summary(tmp_path)
    assert summary["coalitions"]["n_unknown"] == 1 and summary["coalitions"]["n_new"] == 1
    findings = compare.findings(page)
    assert "Voor 1 van de teams is het coalitietype nog onbekend." in findings


def test_partly_rated_findings_say_over_which_teams(tmp_path):
    import shutil

    raw = tmp_path / "data" / "raw"
    shutil.copytree(REPO / "data" / "raw", raw)
    ratings = [r for r in _read("ratings") if r["team_id"] != "T07"]
    _write(raw, "ratings", ratings, list(ratings[0]))
    assert main(["--root", str(tmp_path), "build"]) == 0
    summary = load_summary(tmp_path)
    assert summary["data"]["n_teams_rated"] == 6
    assert summary["barriers"]["time"]["n_teams_rated"] == 6
    nl = compare.findings(compare.start("nl", tmp_path))
    en = compare.findings(compare.start("en", tmp_path))
    assert "factorscores van 1 van de 7 teams" in nl
    assert "van de 6 beoordeelde teams, geld in" in nl
    assert "of the 6 rated teams, money in" in en


def test_nothing_coded_yet_is_not_called_one_coder(tmp_path):
    raw = write_in_progress_study(tmp_path)
    _write(raw, "codings", [], ["segment_id", "code_id", "coder_id", "value"])
    assert main(["--root", str(tmp_path), "build"]) == 0
    summary = load_summary(tmp_path)
    assert summary["data"]["n_coders"] == 0
    assert "nothing is coded yet" in reliability.headline(reliability.start("en", tmp_path))
    assert "er is nog niets gecodeerd" in reliability.headline(reliability.start("nl", tmp_path))
    team = team_page.team_view(TEAM, "nl", tmp_path)
    assert "Er is voor dit team ook nog niets gecodeerd." in team_page.profile_table(team)
