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

from botu import plots, views
from botu.cli import main
from botu.codebook import STARTER_CODEBOOK
from botu.dataset import load_dataset
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
    return views.team_view(TEAM, study)


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
def test_team_page_says_not_rated_and_shows_the_coded_evidence(study, team, lang, words):
    notice = views.profile_table(team, lang, study)
    assert isinstance(notice, views.Notice)
    for word in words:
        assert word in notice
    assert plots.profile_bars(views.profile_for_plot(team)) is None
    assert plots.barrier_bars(team.barriers) is None
    assert plots.save_figure(None, "team-x") == []
    header = views.team_header(team, lang)
    assert "nan" not in header and "None" not in header
    assert ("onbekend" if lang == "nl" else "unknown") in header
    recorded = "niet vastgelegd" if lang == "nl" else "not recorded"
    assert recorded in header and recorded in views.members_table(team, lang)
    assert words[0] in views.origin_text(team, lang, study)
    assert words[0] in views.barrier_rows(team, lang, study)


def test_team_page_quotes_the_codes_used_by_label(study, team):
    text = views.quotes_markdown(team, "nl", study)
    assert "#### Forrás — " in text and "#### Pénz — " in text
    assert "c_3_forras_penz" not in text  # labels, not ids, where a label exists
    first = team.coded.sort_values("segment_id")
    assert views.md_quote(first["text"].iloc[0]) in text  # the quote, made inert
    evidence = views.team_evidence_table(team, "nl", study).data
    assert {"Oltás típusa", "Forrás", "Pénz", "Közösség"} <= set(evidence["code"])
    assert "respondenten" not in evidence.columns  # no respondents recorded: no zero column


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [("nl", "Niets dubbel gecodeerd"), ("en", "Nothing double-coded")],
)
def test_reliability_page_says_nothing_is_double_coded(study, lang, sentence):
    summary = load_summary(study)
    text = views.reliability_text(summary, lang)
    assert sentence in text and ("één codeur" in text or "one coder" in text)
    for name, scope in [("segments", "pooled"), ("segments", "code"), ("documents", None)]:
        assert sentence in views.reliability_table(name, lang, scope=scope, root=study)
    assert sentence in views.disagreement_table(lang, study)
    assert views.reliability_table("ratings", lang, root=study).startswith("_")
    assert plots.forest_plot(views.alpha_per_code(study)) is None


def test_two_coders_on_different_documents_are_not_double_coding(tmp_path):
    write_in_progress_study(tmp_path, split_coders=True)
    assert main(["--root", str(tmp_path), "build"]) == 0
    summary = load_summary(tmp_path)
    assert summary["data"]["n_coders"] == 2
    assert summary["reliability"]["n_segments_double_coded"] == 0
    text = views.reliability_text(summary, "en")
    assert "Nothing double-coded" in text and "2 coders coded different segments" in text


@pytest.mark.parametrize(
    ("lang", "status", "not_rated", "not_recorded"),
    [
        ("nl", "Studie in uitvoering", "nog niet beoordeeld", "niet vastgelegd"),
        ("en", "Study in progress", "not been rated yet", "not recorded"),
    ],
)
def test_compare_page_degrades_with_a_sentence(study, lang, status, not_rated, not_recorded):
    summary = load_summary(study)
    findings = views.findings_markdown(summary, lang)
    assert findings.startswith(f"**{status}.**")
    assert not_rated in findings and "None" not in findings and "0%" not in findings
    assert "`unassigned`" in findings
    for topic in ("scores", "uit_door", "barriers", "responsiveness"):
        assert views.missing_notice(topic, lang, study)
    for topic in ("composition", "network"):
        assert not_recorded in views.missing_notice(topic, lang, study)
    assert not_recorded in views.composition_table(lang, study)
    assert not_recorded in views.shared_actors_table(lang, study)
    responsiveness = views.responsiveness_table(lang, study)
    assert isinstance(responsiveness, views.Notice)
    assert responsiveness == views.missing_notice("responsiveness", lang, study)
    assert plots.score_heatmap(views.factor_matrix(lang, study)) is None
    assert plots.barrier_heatmap(views.barrier_table(study)) is None
    assert plots.composition_bars(views.actor_type_counts(study)) is None
    assert plots.actor_network(load_table("team_members", study)) is None
    assert views.evidence_text(summary, lang).startswith(("Nog geen scores", "No scores yet"))


def test_qca_says_it_needs_ratings(study):
    outcome, conditions, calibration = views.check_qca(
        "door_de_wijk",
        ["coalition_type", "na_bonding"],
        {"door_de_wijk": [">=", 2], "coalition_type": ["nieuw"], "na_bonding": [">=", 2]},
        study,
    )
    qca = views.run_qca(outcome, conditions, calibration, study)
    assert qca.result is None
    nl, en = views.qca_markdown(qca, "nl"), views.qca_markdown(qca, "en")
    assert "heeft er 1" in nl and "teamscores nodig" in nl and "`door_de_wijk`, `na_bonding`" in nl
    assert "needs team scores" in en and "`coalition_type` is not recorded for any team" in en
    assert views.qca_table(qca, "truth_table", "nl") == ""


def test_complete_data_get_no_notices(built):
    summary = load_summary(built)
    assert views.missing_notice("scores", "nl", built) == ""
    assert views.missing_notice("composition", "en", built) == ""
    assert not views.status_markdown(summary, "nl").startswith("**Studie")
    t01 = views.team_view("T01", built)
    assert not isinstance(views.profile_table(t01, "nl", built), views.Notice)
    assert not isinstance(views.members_table(t01, "nl"), views.Notice)


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
    matrix = views.factor_matrix("nl", tmp_path)
    assert list(matrix.index) == ["T01", "T02", "T03"]  # the unrated team stays in sight
    assert matrix.loc["T03"].isna().all() and matrix.loc["T01", "hulpbronnen"] == 2
    t03 = views.team_view("T03", tmp_path)
    notice = views.profile_table(t03, "en", tmp_path)
    assert "Not rated yet" in notice and "Nothing has been coded for this team yet" in notice
    assert (
        views.team_evidence_table(t03, "nl", tmp_path) == "_Voor dit team is nog niets gecodeerd._"
    )
    summary = load_summary(tmp_path)
    assert summary["coalitions"]["n_unknown"] == 1 and summary["coalitions"]["n_new"] == 1
    findings = views.findings_markdown(summary, "nl")
    assert "Voor 1 team(s) is het coalitietype nog onbekend." in findings


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
    nl, en = views.findings_markdown(summary, "nl"), views.findings_markdown(summary, "en")
    assert "factorscores van 1 van de 7 teams (`ratings`)" in nl
    assert "van de 6 beoordeelde teams, geld in" in nl
    assert "of the 6 rated teams, money in" in en


def test_nothing_coded_yet_is_not_called_one_coder(tmp_path):
    raw = write_in_progress_study(tmp_path)
    _write(raw, "codings", [], ["segment_id", "code_id", "coder_id", "value"])
    assert main(["--root", str(tmp_path), "build"]) == 0
    summary = load_summary(tmp_path)
    assert summary["data"]["n_coders"] == 0
    assert "nothing is coded yet" in views.reliability_text(summary, "en")
    assert "er is nog niets gecodeerd" in views.reliability_text(summary, "nl")
    team = views.team_view(TEAM, tmp_path)
    assert "Er is voor dit team ook nog niets gecodeerd." in views.profile_table(
        team, "nl", tmp_path
    )
