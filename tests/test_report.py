import csv
import io
import json
import re

import nbformat
import pytest

from botu import config, report
from botu.pages.team import check_team


def test_check_team_wants_text_ids(built):
    assert check_team("T01", built) == "T01"
    with pytest.raises(ValueError, match=r"team_id must be one of T01, T02 .* not 1"):
        check_team(1, built)  # what `papermill -p team_id 01` would pass
    with pytest.raises(ValueError, match="not 'T99'"):
        check_team("T99", built)


def test_languages_of_a_report():
    assert report.parse_languages("nl, en") == ["nl", "en"]
    assert report.parse_languages(["en"]) == ["en"]
    assert report.site_dirs(["en", "nl"]) == {"en": "", "nl": "nl"}
    for wrong, message in (
        ("fr", "lang must be one of nl, en"),
        ("nl,nl", "twice"),
        ("", "at least"),
    ):
        with pytest.raises(ValueError, match=message):
            report.parse_languages(wrong)


def test_jobs_of_a_second_language_live_in_its_folder():
    jobs = report.jobs_for(["T01"], lang="en", site_dir="en")
    assert [j.name for j in jobs] == ["en/overview", "en/team-T01", "en/reliability", "en/compare"]
    assert {j.site for j in jobs} == {"en"} and jobs[1].page == "team-T01"
    assert jobs[1].figure_prefix == "team-T01-" and jobs[0].title == "Overview of the data"


def test_jobs_cover_overview_every_team_and_comparison():
    jobs = report.jobs_for(["T01", "T02"], lang="en")
    assert [j.name for j in jobs] == ["overview", "team-T01", "team-T02", "reliability", "compare"]
    assert jobs[1].parameters == {"team_id": "T01", "lang": "en"}
    assert all(isinstance(j.parameters.get("team_id", ""), str) for j in jobs)


def test_job_key_changes_with_parameters_and_inputs(built):
    paths = config.paths(built)
    code = report.package_digest()
    overview, a, b, _, compare = report.jobs_for(["T01", "T02"])

    def keys():
        return {
            j.name: report.job_key(j, report.job_inputs(j, paths, code))
            for j in (overview, a, b, compare)
        }

    before = keys()
    assert before["team-T01"] != before["team-T02"]
    assert keys() == before  # stable
    # a change in T02's rows reruns T02 and the pages over all teams, not T01
    ratings = paths.processed / "ratings.csv"
    ratings.write_text(
        ratings.read_text().replace("T02,door_de_wijk,CONS,2", "T02,door_de_wijk,CONS,3")
    )
    after = keys()
    assert after["team-T01"] == before["team-T01"]
    assert after["team-T02"] != before["team-T02"]
    assert after["compare"] == before["compare"]  # it reads no ratings table (its INPUTS)
    # what the comparison reads reruns it: the summary
    summary = paths.processed / "summary.json"
    summary.write_text(summary.read_text().replace('"n_teams_rated": 2', '"n_teams_rated": 3'))
    assert keys()["compare"] != after["compare"]
    after = keys()
    # the overview also reads data/raw: a note in a raw file reruns it
    teams = paths.raw / "teams.csv"
    teams.write_text(
        teams.read_text().replace("T01,Demo-team Een,zorg_jeugd", "T01,Demo-team Een,zorg")
    )
    assert keys()["overview"] != after["overview"]


def test_team_digests_in_one_pass_equal_each_alone(built):
    processed = config.paths(built).processed
    together = report.team_digests(processed, ["T01", "T02"])
    assert together == {t: report.team_digests(processed, [t])[t] for t in ("T01", "T02")}
    assert together["T01"] != together["T02"]


def test_the_overview_reruns_for_what_it_shows_not_for_a_quote(built):
    paths = config.paths(built)
    code = report.package_digest()
    pages = [j for lang in ("nl", "en") for j in report.jobs_for(["T01"], lang=lang, site_dir=lang)]
    overviews = [j for j in pages if j.notebook == config.OVERVIEW_NOTEBOOK]
    assert [j.name for j in overviews] == ["nl/overview", "en/overview"]

    def keys():
        return [report.job_key(j, report.job_inputs(j, paths, code)) for j in overviews]

    segments = paths.raw / "segments.csv"
    original = segments.read_text(encoding="utf-8")
    before = keys()
    rows = list(csv.reader(io.StringIO(original)))

    def write(rows):
        with open(segments, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)

    write([rows[0], [*rows[1][:2], rows[1][2] + " (gecorrigeerd)", *rows[1][3:]], *rows[2:]])
    assert keys() == before  # a corrected quote: the page shows no quote
    write([*rows, rows[1]])  # one segment more: its counts
    assert all(a != b for a, b in zip(keys(), before, strict=True))
    segments.write_text(original, encoding="utf-8")
    assert keys() == before
    # the problems the build found (about a quote, say) rerun it
    validation = paths.processed / "validation.csv"
    validation.write_text(validation.read_text() + "segments.csv,2,text,warning,x\n")
    assert all(a != b for a, b in zip(keys(), before, strict=True))


def test_up_to_date_needs_stamp_and_outputs(built):
    paths = config.paths(built)
    job = report.jobs_for(["T01"])[1]
    assert not report.is_up_to_date(paths, job, "k")
    (paths.reports / "notebooks").mkdir(parents=True)
    (paths.reports / "team-T01.html").write_text("x")
    (paths.reports / "notebooks" / "team-T01.ipynb").write_text("x")
    stamp = paths.reports / ".build" / "team-T01.json"
    stamp.parent.mkdir()
    stamp.write_text(json.dumps({"key": "k", "figures": ["team-T01-profiel.png"]}))
    assert not report.is_up_to_date(paths, job, "k")  # the figure is missing
    paths.figures.mkdir()
    (paths.figures / "team-T01-profiel.png").write_text("x")
    assert report.is_up_to_date(paths, job, "k")
    assert not report.is_up_to_date(paths, job, "other")


def test_html_hides_code_and_loads_nothing_from_the_web(tmp_path):
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Titel"),
            nbformat.v4.new_code_cell(
                "secret_code = 1",
                outputs=[nbformat.v4.new_output("stream", name="stdout", text="zichtbaar\n")],
            ),
        ]
    )
    source = tmp_path / "nb.ipynb"
    nbformat.write(nb, source)
    page = report.render_html(source, tmp_path / "nb.html").read_text(encoding="utf-8")
    assert "zichtbaar" in page and "Titel" in page
    assert "secret_code" not in page
    # no script, style, font or module loaded from the web (URLs in CSS comments are fine)
    assert not re.search(r"""(src|href)=["']https?:|import\(["']https?:|url\(["']?https?:""", page)
    assert "cdnjs" not in page and "unpkg" not in page
