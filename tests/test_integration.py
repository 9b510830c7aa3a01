"""The real pipeline on the shipped (fictional) demo data, notebooks and all."""

from __future__ import annotations

import json
import shutil

import pytest

from botu import config, report
from botu.dataset import load_dataset
from botu.report import NotebookError
from tests.conftest import REPO, site_snapshot
from tests.pages import local_target, read_page, skipped_levels

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(REPO / "data" / "raw", root / "data" / "raw")
    before = {p.name: p.read_bytes() for p in (root / "data" / "raw").iterdir()}
    results = report.make_report(root, echo=lambda _: None)
    return root, results, before


def test_demo_data_is_valid_and_marked_fictional():
    data = load_dataset(REPO / "data" / "raw")
    assert [p for p in data.warnings if p.severity == "error"] == []
    assert data.is_fictional
    assert 250 <= len(data.segments) <= 300
    per_team = data.segments_with_context().groupby("team_id").size()
    assert len(per_team) == 7 and per_team.between(20, 60).all()
    double = data.codings[data.codings["coder_id"] != "C1"]["segment_id"].nunique()
    assert 0.15 <= double / len(data.segments) <= 0.30  # ~20 % coded by a second coder


def test_summary_shows_the_synthesis_pattern(built):
    root, _, _ = built
    summary = json.loads(config.paths(root).summary.read_text(encoding="utf-8"))
    co, ri = summary["coalitions"], summary["resident_initiative"]
    assert summary["data"]["is_fictional"] is True
    assert co["n_new"] == 2
    assert co["n_new_with_residents_municipality_and_semi_public_or_market"] == 2
    assert co["n_established"] == 5
    assert ri["uit_de_wijk"]["min"] >= 2
    assert ri["door_de_wijk"]["median"] == 1
    assert ri["door_de_wijk_2plus_only_in_new_coalitions"] is True
    assert summary["networks"]["linking"]["min"] >= 2
    assert summary["networks"]["bonding"]["max"] <= 2
    assert summary["responsiveness"]["n_municipality_co_develops"] > summary["data"]["n_teams"] / 2
    assert summary["private_capital"]["n_teams_targeted"] > 0
    assert summary["private_capital"]["n_teams_joined"] == 0
    assert summary["resources"]["kennis"]["median"] >= 2
    assert summary["resources"]["tijd"]["max"] <= 1 and summary["resources"]["geld"]["max"] <= 1
    assert summary["barriers"]["subsidy_dependency"]["share_teams_severity_2plus"] == 1.0
    assert summary["barriers"]["time"]["share_teams_severity_2plus"] >= 0.8
    assert summary["barriers"]["money"]["share_teams_severity_2plus"] >= 0.8
    assert summary["evidence"]["n_ratings_2plus_insufficient"] == 0


def test_every_page_and_figure_exists(built):
    root, results, _ = built
    paths = config.paths(root)
    assert {r.status for r in results} == {"ran"}
    team_ids = [f"T0{i}" for i in range(1, 8)]
    pages = ["overview", "compare", *[f"team-{t}" for t in team_ids]]
    index = (paths.reports / "index.html").read_text(encoding="utf-8")
    for page in pages:
        html = (paths.reports / f"{page}.html").read_text(encoding="utf-8")
        assert f'href="{page}.html"' in index
        assert "Traceback" not in html
        assert "import botu" not in html and "from botu" not in html  # code hidden
    figures = {p.name for p in paths.figures.iterdir()}
    for name in [
        "compare-factoren",
        "compare-samenstelling",
        "compare-uit-door",
        "compare-barrieres",
        "compare-netwerk",
        *[f"team-{t}-profiel" for t in team_ids],
    ]:
        assert {f"{name}.png", f"{name}.svg"} <= figures, name


def test_every_page_is_drawn_in_the_site_frame(built):
    root, _, _ = built
    reports = config.paths(root).reports
    team_pages = [f"team-T0{i}.html" for i in range(1, 8)]
    pages = sorted(reports.glob("*.html"))
    assert {p.name for p in pages} == {
        "index.html",
        "downloads.html",
        "overview.html",
        "reliability.html",
        "compare.html",
        *team_pages,
    }
    assert (reports / "assets" / "botu.css").is_file()
    for path in pages:
        page = read_page(path)
        assert len(page.titles) == 1 and page.titles[0] not in {"", "Notebook"}, path.name
        assert page.titles[0].endswith("BoTu: veerkracht samen organiseren"), path.name
        assert page.lang == "nl", path.name
        assert len(page.h1) == 1, (path.name, page.h1)
        assert skipped_levels(page.headings) == [], (path.name, page.headings)
        assert page.viewport == ["width=device-width, initial-scale=1"], path.name
        assert page.stylesheets == ["assets/botu.css"], path.name
        assert max(page.styles, default=0) < 2_000, path.name  # no inlined stylesheet
        assert page.scripts == 0, path.name
        assert {"overview.html", "compare.html", "downloads.html"} <= set(page.nav_links)
        assert set(team_pages) <= set(page.nav_links), path.name
        for link in page.links:
            target = local_target(path, link)
            assert target is None or target.exists(), (path.name, link)
    downloads = read_page(reports / "downloads.html").links
    assert "../data/processed/botu-processed.xlsx" in downloads
    assert "../data/processed/teams.csv" in downloads
    assert "../figures/compare-factoren.svg" in downloads
    assert "Demo-team Zorg — " in read_page(reports / "team-T01.html").titles[0]
    # previous/next walk the teams in order
    for i, name in enumerate(team_pages):
        rel = read_page(reports / name).rel
        assert rel.get("prev") == (team_pages[i - 1] if i else None), name
        assert rel.get("next") == (team_pages[i + 1] if i + 1 < len(team_pages) else None), name
    assert read_page(reports / "compare.html").rel == {}


def test_site_weight_is_down(built):
    """One shared stylesheet instead of nbconvert's ~262 KB of CSS inlined in every page.

    Before the site frame the demo site weighed 3,933,596 bytes of HTML; the aim is -60 %.
    """
    root, _, _ = built
    reports = config.paths(root).reports
    files = [*reports.glob("*.html"), *reports.glob("assets/*.css")]
    assert sum(p.stat().st_size for p in files) < 0.4 * 3_933_596


def test_prose_numbers_come_from_the_summary(built):
    root, _, _ = built
    summary = json.loads(config.paths(root).summary.read_text(encoding="utf-8"))
    html = (config.paths(root).reports / "compare.html").read_text(encoding="utf-8")
    n = summary["data"]["n_teams"]
    assert f"{summary['coalitions']['n_established']} van de {n} teams" in html
    assert (
        f"ontwikkelt mee in {summary['responsiveness']['n_municipality_co_develops']} "
        f"van de {n} teams"
    ) in html
    assert "FICTIEVE DEMODATA" in (config.paths(root).figures / "compare-factoren.svg").read_text()


def test_quotes_are_attributed_to_the_teams_pseudonymous_respondents(built):
    import re

    root, _, _ = built
    html = config.paths(root).team_report_path("T01").read_text(encoding="utf-8")
    data = load_dataset(REPO / "data" / "raw")
    own = set(data.respondents.query("team_id == 'T01'")["respondent_id"])
    quoted = set(re.findall(r"— (R-T\d+-\d+) \(", html))
    assert quoted and quoted <= own


def test_raw_data_untouched(built):
    root, _, before = built
    assert {p.name: p.read_bytes() for p in (root / "data" / "raw").iterdir()} == before


def test_second_run_is_incremental_and_identical(built):
    root, _, _ = built
    paths = config.paths(root)
    tables = {p.name: p.read_bytes() for p in paths.processed.glob("*.csv")}
    figures = {p.name: p.read_bytes() for p in paths.figures.iterdir()}
    results = report.make_report(root, echo=lambda _: None)
    assert {r.status for r in results} == {"skipped"}
    assert {p.name: p.read_bytes() for p in paths.processed.glob("*.csv")} == tables
    # a forced rerun of one team, in a kernel of its own, rewrites its figures, notebook and
    # page with identical bytes: in the report it ran in a worker's kernel after other pages
    job = next(j for j in report.jobs_for(["T02"]) if j.name == "team-T02")
    key = report.job_key(job, report.job_inputs(job, paths, report.package_digest()))
    page = paths.reports / f"{job.name}.html"
    executed = paths.reports / "notebooks" / f"{job.name}.ipynb"
    before = page.read_bytes(), executed.read_bytes()
    result = report.run_job(job, str(root), key)
    assert result.status == "ran"
    assert {p.name: p.read_bytes() for p in paths.figures.iterdir()} == figures
    assert (page.read_bytes(), executed.read_bytes()) == before


def _outputs(root) -> dict[str, bytes]:
    """Every file a report writes, by its path in the project (the runner's logs left out)."""
    paths = config.paths(root)
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for folder in (paths.processed, paths.figures, paths.reports)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix != ".log" and "screenshots" not in p.parts
    }


def test_two_clean_builds_give_the_same_bytes(built, tmp_path):
    """Same commit and data, same pages, notebooks, tables, workbook and figures: no clock
    time, no random id, no path of the machine in any output. The second build runs every
    page in one kernel, one after another, the first shared them between the workers'
    kernels: what ran before a page in its kernel leaves no trace in it (botu.kernel)."""
    root, _, _ = built
    other = tmp_path / "again"
    shutil.copytree(REPO / "data" / "raw", other / "data" / "raw")
    report.make_report(other, workers=1, echo=lambda _: None)
    mine, theirs = _outputs(root), _outputs(other)
    assert sorted(mine) == sorted(theirs)
    differ = [name for name in mine if mine[name] != theirs[name]]
    assert not differ, differ


def test_change_in_one_team_reruns_only_that_team(built):
    import csv

    root, _, _ = built
    segments = config.paths(root).raw / "segments.csv"
    with open(segments, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    t03 = next(i for i, row in enumerate(rows) if row[1].startswith("D-T03-"))
    rows[t03][2] += " (aangepast)"
    with open(segments, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    paths = config.paths(root)
    overview = [paths.reports / "overview.html", paths.reports / "notebooks" / "overview.ipynb"]
    shown = [path.read_bytes() for path in overview]
    results = {r.job.name: r.status for r in report.make_report(root, echo=lambda _: None)}
    assert results.pop("team-T03") == "ran"
    # the quote is in none of the tables the reliability and comparison pages read (INPUTS),
    # and the overview shows nothing of a quote (overview.RAW_NOT_SHOWN)
    assert set(results.values()) == {"skipped"}, results  # they and the six other teams
    # which holds: the overview run again on the corrected data is the same page
    job = report.jobs_for(["T03"])[0]
    key = report.job_key(job, report.job_inputs(job, paths, report.package_digest()))
    assert report.run_job(job, str(root), key).status == "ran"
    assert [path.read_bytes() for path in overview] == shown


def test_failing_notebook_names_team_and_cell(built):
    root, _, _ = built
    job = report.Job("team-T99", config.TEAM_NOTEBOOK, "Team T99", {"team_id": "T99", "lang": "nl"})
    result = report.run_job(job, str(root), "key")
    assert result.status == "failed"
    assert "team T99" in result.message and "cell" in result.message
    assert "team_id must be one of" in result.message
    paths = config.paths(root)
    assert (paths.reports / "failed" / "team-T99.ipynb").exists()
    assert not (paths.reports / "team-T99.html").exists()


def test_failing_report_exits_nonzero_and_keeps_the_last_complete_site(built, monkeypatch):
    root, _, _ = built
    site = site_snapshot(root)
    assert "reports/index.html" in site

    def failing_jobs(team_ids, lang="nl", team_names=None, site_dir=""):
        return [report.Job("team-T99", config.TEAM_NOTEBOOK, "x", {"team_id": "T99", "lang": lang})]

    monkeypatch.setattr(report, "jobs_for", failing_jobs)
    with pytest.raises(NotebookError, match="team T99") as raised:
        report.make_report(root, echo=lambda _: None)
    assert "still the last complete one" in str(raised.value)
    assert site_snapshot(root) == site  # not a page, figure or stamp of the failed run
    failed = config.paths(root).reports / "failed"
    assert (failed / "team-T99.ipynb").exists() and (failed / "team-T99.log").exists()
    assert str(failed / "team-T99.ipynb") in str(raised.value)  # where it is, not a staging path
    assert not list(root.glob(".botu-site.*"))
    shutil.rmtree(failed)


def test_report_refuses_outputs_with_a_real_name(built, tmp_path, monkeypatch):
    from botu.privacy import PrivacyError

    root, _, _ = built
    names = tmp_path / "real_names.txt"
    names.write_text("Jantje Bewoner\n", encoding="utf-8")  # not in the demo outputs
    monkeypatch.setenv("BOTU_PRIVATE_NAMES", str(names))
    report.make_report(root, echo=lambda _: None)
    site = site_snapshot(root)
    names.write_text("Welzijnsorganisatie W1\n", encoding="utf-8")  # stands in for a leak
    with pytest.raises(PrivacyError, match=r"compare\.html") as raised:
        report.make_report(root, echo=lambda _: None)
    assert f"{root / 'reports' / 'compare.html'}" in str(raised.value)
    assert "nothing was published" in str(raised.value)
    assert site_snapshot(root) == site  # (a site built before the name was listed)
    assert not list(root.glob(".botu-site.*"))


def test_reliability_page_and_summary(built):
    root, _, _ = built
    paths = config.paths(root)
    summary = json.loads(paths.summary.read_text(encoding="utf-8"))["reliability"]
    # realistic, not perfect: one ambiguous pair of involvement codes is disputed on purpose
    assert 0.667 <= summary["segments_pooled"]["alpha"] < 1
    low, high = summary["segments_pooled"]["alpha_ci"]
    assert low < summary["segments_pooled"]["alpha"] < high
    assert summary["most_disputed_code"] in {"bi_inv_raadplegen", "bi_inv_meedenken"}
    assert 0.15 <= summary["share_segments_double_coded"] <= 0.30
    html = (paths.reports / "reliability.html").read_text(encoding="utf-8")
    assert "Krippendorff" in html and "Landis" in html
    assert {"reliability-alpha.png", "reliability-alpha.svg"} <= {
        p.name for p in paths.figures.iterdir()
    }
    for name in ("reliability_segments", "reliability_ratings", "disagreements"):
        assert (paths.processed / f"{name}.csv").exists()


def test_compare_page_has_the_illustrative_qca(built):
    root, _, _ = built
    html = (config.paths(root).reports / "compare.html").read_text(encoding="utf-8")
    assert "Alleen ter illustratie" in html
    for solution in ("Conservatieve oplossing", "Spaarzame oplossing", "Intermediaire oplossing"):
        assert solution in html  # every solution, each with its models and fit
    assert "inclusie" in html and "PRI" in html and "Robuustheid" in html
    assert "vage verzameling" in html  # the scores as fuzzy sets, said so


def test_a_renamed_team_redraws_the_other_pages_without_running_them(built):
    import csv

    root, _, _ = built
    paths = config.paths(root)
    teams = paths.raw / "teams.csv"
    with open(teams, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[1][1] = "Demo-team Zorg & Welzijn"  # T01
    with open(teams, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    results = {r.job.name: r.status for r in report.make_report(root, echo=lambda _: None)}
    assert results.pop("team-T01") == "ran"
    assert [results.pop(name) for name in ("overview", "reliability", "compare")] == ["ran"] * 3
    assert set(results.values()) == {"rendered"}, results  # the frame changed, not their data
    page = (paths.reports / "team-T02.html").read_text(encoding="utf-8")
    assert "Demo-team Zorg &amp; Welzijn" in page and "Team Demo-team" not in page  # nav, pager
    assert read_page(paths.reports / "team-T02.html").rel["prev"] == "team-T01.html"
    again = {r.status for r in report.make_report(root, echo=lambda _: None)}
    assert again == {"skipped"}


def test_sparse_real_world_data_still_build_a_report(tmp_path):
    """One coder only, a team without ratings, a new team without any material yet."""
    import csv

    raw = tmp_path / "data" / "raw"
    shutil.copytree(REPO / "data" / "raw", raw)

    def rewrite(name, keep, extra=()):
        path = raw / f"{name}.csv"
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        rows = [rows[0], *[r for r in rows[1:] if keep(dict(zip(rows[0], r, strict=True)))]]
        with open(path, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows([*rows, *extra])

    rewrite("codings", lambda r: r["coder_id"] == "C1")
    rewrite("ratings", lambda r: r["team_id"] != "T07")
    rewrite(
        "teams",
        lambda r: True,
        [["T08", "Demo-team Nieuw", "zorg_jeugd", "nieuw", "1", "actief", "2022", "2022", "true"]],
    )
    results = report.make_report(tmp_path, echo=lambda _: None)
    assert {r.status for r in results} == {"ran"}
    paths = config.paths(tmp_path)
    reliability = (paths.reports / "reliability.html").read_text(encoding="utf-8")
    assert "ongedefinieerd" in reliability  # one coder: alpha undefined, said so
    assert (paths.reports / "team-T08.html").exists()


def test_a_page_that_cannot_be_rendered_fails_its_job_not_the_run(built, monkeypatch):
    root, _, _ = built

    def broken(notebook, target, *frame):
        raise RuntimeError("template missing")

    monkeypatch.setattr(report, "render_html", broken)
    job = next(j for j in report.jobs_for(["T01"]) if j.name == "team-T01")
    result = report.run_job(job, str(root), "key")
    assert result.status == "failed" and "could not render HTML: template missing" in result.message
    assert not (config.paths(root).reports / ".build" / "team-T01.json").exists()


def test_pages_set_ratings_against_the_material_and_show_the_phases(built):
    """Issue 11: the triangulation on the team page and the comparison, its divergences in
    summary.json and the findings; the SiBD phase timeline in the comparison."""
    root, _, _ = built
    paths = config.paths(root)
    summary = json.loads(paths.summary.read_text(encoding="utf-8"))
    tri = summary["triangulation"]
    assert tri["n_diverge"] == len(tri["divergences"]) > 0
    assert {"T03", "T05", "T07"} <= {
        d["team_id"] for d in tri["divergences"] if d["factor_id"] == "responsiviteit"
    }
    team = paths.team_report_path("T06").read_text(encoding="utf-8")
    assert "Scores naast het materiaal" in team and "wijkt af" in team
    assert "SiBD-fasen" in team and "2021-05-06" in team  # T06's first document
    compare = (paths.reports / "compare.html").read_text(encoding="utf-8")
    assert "De scores naast het materiaal" in compare  # named in the findings
    assert "SiBD-fasen per team" in compare  # the timeline, by its description
    assert (paths.figures / "compare-fasen.svg").exists()
    assert summary["phases"]["n_teams_reached"]["1"] == summary["data"]["n_teams"]
