"""`python -m botu status`: what a study still lacks for a full report, in plain words."""

import pytest
import yaml

from botu.cli import main
from botu.dataset import load_dataset
from botu.errors import InputError
from botu.status import dataset_status, study_status
from botu.study import init_study
from tests.conftest import REPO, TINY_CODEBOOK, TINY_TABLES, write_project

TEAMS = ("T01", "T02")
RATEABLE = ("hulpbronnen", "hb_kennis", "hb_geld", "bewonersinitiatief", "uit_de_wijk")
RATEABLE += ("door_de_wijk",)


def complete_codebook() -> str:
    """The tiny codebook with a rubric for every rateable code."""
    data = yaml.safe_load(TINY_CODEBOOK)
    for code in data["codes"]:
        if code["id"] in RATEABLE:
            code["rubric"] = {0: "geen", 1: "zwak", 2: "matig", 3: "sterk"}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def complete_ratings(skip: set[tuple[str, str]] = frozenset(), raters=("C1", "C2")) -> str:
    rows = ["team_id,factor_id,rater_id,score,evidence"]
    for team in TEAMS:
        for factor in RATEABLE:
            if (team, factor) in skip:
                continue
            rows += [f"{team},{factor},{rater},2," for rater in ("CONS", *raters)]
    return "\n".join(rows) + "\n"


def complete(tmp_path, **tables: str):
    """The tiny project with nothing missing; ``tables`` replaces some tables' CSV text."""
    write_project(
        tmp_path,
        {"ratings": complete_ratings(), **tables},
        codebook=tables.pop("codebook", None) or complete_codebook(),
    )
    return tmp_path


def keys(status):
    return [g.key for g in status.gaps]


def test_the_complete_tiny_project_is_ready(tmp_path):
    status = study_status(complete(tmp_path))
    assert status.gaps == [], status.lines()
    assert status.ready
    assert status.lines() == [
        f"study {tmp_path.resolve()}",  # the ratings written here are not marked fictional
        "2 teams, 3 documents, 4 segments, 6 codings, 2 coders (C1, C2), 36 ratings",
        "ready for a full report",
    ]


def test_the_demo_data_are_ready_for_a_full_report():
    status = study_status(REPO)
    data = load_dataset(REPO / "data" / "raw")
    coders = sorted(data.codings["coder_id"].unique())
    assert status.lines() == [
        f"study {REPO} (FICTIONAL demo data)",
        f"{len(data.teams)} teams, {len(data.documents)} documents, {len(data.segments)} "
        f"segments, {len(data.codings)} codings, {len(coders)} coders ({', '.join(coders)}), "
        f"{len(data.ratings)} ratings",
        "ready for a full report",
    ]
    # and it is true: every rateable factor has a consensus score for every team, documents
    # are double-coded, every team has members and material
    data = load_dataset(REPO / "data" / "raw")
    consensus = data.ratings[data.ratings["rater_id"] == "CONS"]
    assert len(consensus) == len(data.team_ids) * len(data.codebook.rateable)
    assert data.teams[["coalition_type", "sibd_phase_reached"]].notna().all().all()
    assert set(data.memberships["team_id"]) == set(data.team_ids)
    assert data.documents[["phase", "date"]].notna().all().all()
    assert data.codebook.unassigned == []


def test_a_fresh_study_says_nothing_is_imported_yet(tmp_path, capsys):
    root = tmp_path / "s"
    init_study(root)
    assert main(["--root", str(root), "status"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"study {root}",
        "0 teams, 0 documents, 0 segments, 0 codings, 0 coders, 0 ratings",
        "still missing for a full report:",
        "  - nothing imported yet: export a REFI-QDA project (.qdpx) and import it "
        f"(`python -m botu import export.qdpx --into {root}/data/raw`)",
    ]


def test_a_study_in_progress(tmp_path):
    """One coder, no ratings, no actors: each named, with counts, and exit status 0."""
    root = complete(
        tmp_path,
        codings=TINY_TABLES["codings"].replace(",C2,", ",C1,"),
        ratings="team_id,factor_id,rater_id,score,evidence\n",
        actors="actor_id,pseudonym,actor_type,is_capital_rich,is_local\n",
        memberships="team_id,actor_id,role,prior_collaboration_years\n",
        respondents="respondent_id,team_id,actor_id,role\n",
        documents="document_id,team_id,kind,phase,date,respondent_id\n"
        "D-T01-01,T01,document,,,\nD-T01-02,T01,document,1,,\n"
        "D-T02-01,T02,observatie,2,2021-06-01,\n",
    )
    status = study_status(root)
    assert [g.message for g in status.gaps] == [
        "1 document has no phase (phase in documents.csv)",
        "2 documents have no date (date in documents.csv)",
        "no document is coded by a second coder: intercoder reliability cannot be computed",
        "no actors or memberships recorded (actors.csv, memberships.csv): composition and the "
        "network cannot be shown",
        "no consensus ratings yet (rater CONS in ratings.csv): no factor is scored for 2 teams",
        "no team is rated by two raters (each with their own rater_id in ratings.csv, besides "
        "CONS): inter-rater reliability cannot be computed",
    ]
    assert not status.ready
    assert status.lines()[2] == "still missing for a full report:"


def test_missing_consensus_ratings_by_factor_label(tmp_path):
    skip = {(t, "bewonersinitiatief") for t in TEAMS} | {("T02", "hb_kennis"), ("T02", "hb_geld")}
    status = study_status(complete(tmp_path, ratings=complete_ratings(skip)))
    assert keys(status) == ["consensus_sub:hulpbronnen", "consensus:bewonersinitiatief"]
    messages = [g.message for g in status.gaps]
    assert messages == [
        "1 team lacks consensus ratings for 2 sub-scores of Resources (Kennis, Geld): T02",
        "2 teams have no consensus rating for Bewonersinitiatief: T01, T02",
    ]
    dutch = study_status(tmp_path, lang="nl")
    assert dutch.gap("consensus:bewonersinitiatief").message == (
        "2 teams hebben geen consensusscore voor Bewonersinitiatief: T01, T02"
    )
    assert "van Hulpbronnen (Kennis, Geld)" in dutch.gap("consensus_sub:hulpbronnen").message


def test_an_na_score_counts_as_rated(tmp_path):
    ratings = complete_ratings().replace("T01,hulpbronnen,CONS,2,", "T01,hulpbronnen,CONS,NA,")
    assert study_status(complete(tmp_path, ratings=ratings)).ready


def test_one_rater_besides_consensus(tmp_path):
    status = study_status(complete(tmp_path, ratings=complete_ratings(raters=("C1",))))
    assert keys(status) == ["second_rater"]
    assert status.gap("second_rater").count == 2


def test_team_attributes_members_and_material(tmp_path):
    teams = TINY_TABLES["teams"].replace("gevestigd,2", ",") + "T03,Demo-team Drie,,,,true\n"
    memberships = "team_id,actor_id,role,prior_collaboration_years\nT01,A01,kern,\n"
    status = study_status(complete(tmp_path, teams=teams, memberships=memberships))
    by_key = {g.key: g for g in status.gaps}
    assert by_key["team_documents"].message == "1 team has no documents: T03"
    assert by_key["coalition_type"].message == (
        "2 teams have no coalition type (coalition_type in teams.csv: gevestigd, nieuw or "
        "hybride): T01, T03"
    )
    assert by_key["sibd_phase"].count == 2
    assert by_key["team_members"].message == "2 teams have no members in memberships.csv: T02, T03"
    assert by_key["consensus:hulpbronnen"].message.startswith("1 team has no consensus rating")


def test_actors_without_memberships(tmp_path):
    status = study_status(
        complete(
            tmp_path,
            memberships="team_id,actor_id,role,prior_collaboration_years\n",
            respondents="respondent_id,team_id,actor_id,role\n",
            documents=TINY_TABLES["documents"]
            .replace("R-T01-01", "")
            .replace("R-T02-01", "")
            .replace(",interview,", ",document,"),
        )
    )
    assert keys(status) == ["memberships"]


def test_unassigned_codes_and_missing_rubrics(tmp_path):
    codebook = (
        TINY_CODEBOOK
        + """\
  - {id: unassigned, parent: null, level: segment, label: {nl: Niet toegewezen}}
  - {id: c_tijd, parent: unassigned, level: segment, rated: true, label: {nl: Tijd}}
  - {id: c_geld, parent: unassigned, level: segment, label: {nl: Geld}}
"""
    )
    status = study_status(complete(tmp_path, codebook=codebook))
    assert status.gap("unassigned_codes").message == (
        "2 codes are not assigned to a factor (move them under a factor in codebook.yml or map "
        "them with `factors:` in the import mapping)"
    )
    # the tiny codebook has no rubrics; codes still unassigned are not asked for one
    assert status.gap("rubrics").message == (
        "6 rated codes have no rubric for every score 0–3 in codebook.yml "
        "(Resources, Kennis, Geld, … (+3))"
    )
    assert status.warnings == 1  # validation lists the unassigned codes as a warning
    assert status.lines()[-1] == (
        f"1 validation warning(s): `python -m botu --root {tmp_path} validate` lists them"
    )


def test_documents_coded_by_two_coders_on_different_passages(tmp_path):
    segments = TINY_TABLES["segments"] + "S005,D-T02-01,Bewoners denken mee,0,19,true\n"
    codings = TINY_TABLES["codings"].replace(
        "S004,bi_inv_raadplegen,C2", "S005,bi_inv_meedenken,C2"
    )
    status = study_status(complete(tmp_path, segments=segments, codings=codings))
    assert keys(status) == ["second_coder_segments"]
    assert status.gap("second_coder_segments").message.startswith(
        "1 document is coded by two coders, but no segment is"
    )


def test_uncoded_documents_and_nothing_coded(tmp_path):
    documents = TINY_TABLES["documents"] + "D-T02-02,T02,document,2,2021-07-01,,Plan,true\n"
    status = study_status(complete(tmp_path, documents=documents))
    assert status.gap("uncoded_documents").message == "1 document has no coded segment: D-T02-02"
    empty = study_status(complete(tmp_path, codings="segment_id,code_id,coder_id,value\n"))
    assert "nothing is coded yet" in empty.gap("codings").message
    assert "second_coder" not in keys(empty)


def test_interviews_without_respondent(tmp_path):
    # validation refuses these today; status still says it when given such a data set
    raw = (
        complete(tmp_path, documents=TINY_TABLES["documents"].replace("R-T02-01", ""))
        / "data"
        / "raw"
    )
    data = load_dataset(raw, strict=False)
    status = dataset_status(data, tmp_path)
    assert status.gap("interview_respondent").message == (
        "1 interview has no respondent (respondent_id in documents.csv, the respondent in "
        "respondents.csv)"
    )


def test_lang_nl_speaks_dutch(tmp_path, capsys):
    complete(tmp_path, ratings=complete_ratings({("T01", "hulpbronnen")}))
    assert main(["--root", str(tmp_path), "status", "--lang", "nl"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert (
        out[1] == "2 teams, 3 documenten, 4 segmenten, 6 coderingen, 2 codeurs (C1, C2), 33 scores"
    )
    assert out[2:] == [
        "nog nodig voor een volledig rapport:",
        "  - 1 team heeft geen consensusscore voor Hulpbronnen: T01",
    ]


def test_invalid_data_exit_2_pointing_at_validate(tmp_path, capsys):
    bad = TINY_TABLES["codings"].replace("S001,hb_kennis", "S001,hb_onbekend")
    complete(tmp_path, codings=bad)
    assert main(["--root", str(tmp_path), "status"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "do not validate (1 problem; the first: codings.csv, row 2, column 'code_id'" in err
    assert f"`python -m botu --root {tmp_path} validate` lists every problem" in err


def test_no_study_here(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("BOTU_ROOT", str(tmp_path))
    assert main(["status"]) == 2
    err = capsys.readouterr().err
    assert f"is not a study: {tmp_path}/data/raw does not exist" in err
    assert f"python -m botu init {tmp_path}" in err


def test_bad_lang_is_refused():
    with pytest.raises(InputError):
        study_status(REPO, lang="de")
    with pytest.raises(SystemExit):
        main(["status", "--lang", "de"])


def test_a_fresh_study_named_by_botu_root(tmp_path, capsys, monkeypatch):
    init_study(tmp_path / "s")
    monkeypatch.setenv("BOTU_ROOT", str(tmp_path / "s"))
    assert main(["status"]) == 0
    assert f"--into {tmp_path}/s/data/raw`" in capsys.readouterr().out


def test_a_study_with_only_a_codebook_has_nothing_imported_yet(tmp_path):
    from botu.study import init_study

    init_study(tmp_path / "s")
    raw = tmp_path / "s" / "data" / "raw"
    (raw / "codebook.yml").write_text(
        (raw / "codebook.yml").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8"
    )
    status = study_status(tmp_path / "s")
    assert status.gap("nothing_imported") is not None
