"""The site frame: one template around every page, one shared stylesheet."""

from __future__ import annotations

import nbformat
import pytest

from botu import config, report, site
from tests.conftest import TINY_CODEBOOK, write_project
from tests.pages import local_target, read_page, skipped_levels

EVIL = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def _pages(names: dict[str, str]) -> list[site.Page]:
    return [
        site.Page("overview", "Overzicht van de data", "overview"),
        *[site.Page(f"team-{t}", f"Team {n}", "team", t) for t, n in names.items()],
        site.Page("reliability", "Betrouwbaarheid", "reliability"),
        site.Page("compare", "Vergelijking van de teams", "compare"),
    ]


def _notebook(path, heading="# Titel"):
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell(f"{heading}\n\nTekst."),
            nbformat.v4.new_code_cell(
                "x = 1",
                outputs=[nbformat.v4.new_output("stream", name="stdout", text="zichtbaar\n")],
            ),
        ]
    )
    nbformat.write(nb, path)
    return path


@pytest.fixture
def frame():
    return site.build_frame(
        _pages({"T01": "Een", "T02": "Twee", "T03": "Drie"}),
        lang="en",
        title="Studie",
        colophon=report.colophon(),
    )


def test_team_page_has_frame_title_lang_pager_and_one_stylesheet(tmp_path, frame):
    source = _notebook(tmp_path / "nb.ipynb")
    target = report.render_html(source, tmp_path / "team-T02.html", frame, "team-T02")
    page = read_page(target)
    assert page.lang == "en"
    assert page.titles == ["Team Twee — Studie"]
    assert page.h1 == ["Titel¶"]  # the anchor link, hidden by the stylesheet
    assert page.viewport == ["width=device-width, initial-scale=1"]
    assert page.stylesheets == [site.STYLESHEET]
    assert sum(page.styles) < 1000 and page.scripts == 0  # no inlined CSS, no CDN script
    assert page.rel == {"prev": "team-T01.html", "next": "team-T03.html"}
    assert "index.html" in page.links  # the study's title leads home
    nav = set(page.nav_links)
    assert {"overview.html", "team-T01.html", "team-T03.html"} <= nav
    assert {"reliability.html", "compare.html", "downloads.html"} <= nav
    text = target.read_text(encoding="utf-8")
    assert 'aria-current="page"' in text and "Colophon" in text and "pandas" in text
    assert "x = 1" not in text and "zichtbaar" in text  # code hidden, output shown


def test_first_and_last_team_have_one_neighbour(frame):
    assert site.page_context(frame, "team-T01")["previous"] is None
    assert site.page_context(frame, "team-T01")["next"]["name"] == "team-T02"
    assert site.page_context(frame, "team-T03")["next"] is None
    assert site.page_context(frame, "compare")["previous"] is None


def test_data_strings_in_the_frame_are_escaped(tmp_path):
    frame = site.build_frame(_pages({"T01": EVIL}), title=EVIL)
    source = _notebook(tmp_path / "nb.ipynb")
    for target in (
        report.render_html(source, tmp_path / "team-T01.html", frame, "team-T01"),
        site.write_index(tmp_path, frame, {"data": {"is_fictional": True}}),
        site.write_downloads(tmp_path, tmp_path / "none", tmp_path / "none", frame, {EVIL: "0"}),
    ):
        text = target.read_text(encoding="utf-8")
        assert "<script>" not in text and "<img src=x" not in text, target.name
        assert "&lt;script&gt;" in text, target.name


def test_study_title_from_the_codebook_else_the_synthesis(tmp_path):
    assert site.study_title(tmp_path / "missing") == site.DEFAULT_TITLE
    raw = write_project(tmp_path)
    assert site.study_title(raw) == site.DEFAULT_TITLE  # the tiny codebook has only a name
    write_project(tmp_path, codebook=TINY_CODEBOOK.replace("name: tiny", "title: Mijn studie"))
    assert site.study_title(raw) == "Mijn studie"


def test_frame_key_changes_with_the_team_list_and_names():
    def key(teams, lang="nl"):
        return site.frame_key(site.build_frame(_pages(teams), lang=lang))

    one = key({"T01": "Een", "T02": "Twee"})
    assert one == key({"T01": "Een", "T02": "Twee"})
    assert one != key({"T01": "Een"})
    assert one != key({"T01": "Een", "T02": "2"})
    assert one != key({"T01": "Een", "T02": "Twee"}, lang="en")


def test_index_and_downloads_come_from_the_same_frame(built, frame):
    paths = config.paths(built)
    english = paths.figures / "en"  # the figures of an English site
    english.mkdir(parents=True)
    (english / "compare-factoren.png").write_bytes(b"png")
    (english / "compare-factoren.svg").write_text("<svg/>")
    summary = {"data": {"is_fictional": True, "n_teams": 2, "n_segments": 4}}
    jobs = report.jobs_for(["T01", "T02"], lang="en", team_names={"T01": "Een", "T02": "Twee"})
    index = report.write_index(paths, jobs, summary)
    downloads = paths.reports / "downloads.html"
    for target in (index, downloads):
        page = read_page(target)
        assert page.lang == "en" and len(page.titles) == 1 and len(page.h1) == 1
        assert page.viewport and page.stylesheets == [site.STYLESHEET] and not page.styles
        assert skipped_levels(page.headings) == []
        for link in page.links:
            if link.startswith(("team-", "overview", "reliability", "compare")):
                continue  # the notebook pages are not built here
            target_file = local_target(target, link)
            assert target_file is None or target_file.exists(), (target.name, link)
    assert read_page(index).titles == [site.DEFAULT_TITLE]
    text = downloads.read_text(encoding="utf-8")
    assert 'href="../data/processed/teams.csv"' in text
    assert 'href="../data/processed/botu-processed.xlsx"' in text
    assert 'href="../figures/en/compare-factoren.svg"' in text
    assert "codebook.yml" in text  # the input checksums moved here from every page
    assert (paths.reports / site.STYLESHEET).exists()


def test_shared_stylesheet_keeps_what_pages_use_and_prints_cleanly():
    css = site.stylesheet_text()
    assert len(css) < 60_000  # nbconvert's lab CSS is ~256 KB
    assert ".jp-RenderedHTMLCommon table" in css and ".jp-OutputArea-output" in css
    assert "--jp-content-font-color1:" in css  # variables the kept rules use
    assert ".lm-" not in css and ".jp-Dialog" not in css and ".jp-DirListing" not in css
    assert "http://" not in css.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in css
    assert "@media print" in css
    print_css = css[css.index("@media print") :]
    assert ".botu-nav" in print_css and "display: none" in print_css
    assert "break-inside: avoid" in print_css and "img" in print_css and "table" in print_css


def test_prune_css_keeps_page_rules_in_media_blocks():
    css = """
    /* a comment { } */
    :root { --jp-a: red; --jp-unused: blue; --jp-b: var(--jp-a); }
    .lm-Widget { color: red; }
    .jp-RenderedHTMLCommon p, .jp-Dialog p { color: var(--jp-b); }
    @media print { .jp-Toolbar { display: none; } .jp-Cell:not(.jp-mod-active) { margin: 0; } }
    """
    out = site.prune_variables(site.prune_css(css))
    assert ".lm-Widget" not in out and ".jp-Dialog" not in out and ".jp-Toolbar" not in out
    assert ".jp-RenderedHTMLCommon p {" in out
    assert ".jp-Cell:not(.jp-mod-active)" in out and "@media print" in out
    assert "--jp-a: red" in out and "--jp-b:" in out and "--jp-unused" not in out


def test_a_team_page_title_does_not_say_team_twice():
    from botu.site import team_title

    assert team_title("Demo-team Zorg") == "Demo-team Zorg"
    assert team_title("Zorg") == "Team Zorg"


def test_the_stylesheet_holds_botus_rules_once():
    text = site.stylesheet_text()
    frame = site.FRAME_CSS.read_text(encoding="utf-8")
    assert text.count(frame) == 1
    assert text.count("a.anchor-link") == frame.count("a.anchor-link")


def test_notebook_imports_skip_the_iri_grammars():
    # nbformat's jsonschema builds rfc3987-syntax's grammars at import (seconds per process);
    # the runner's processes leave them out and still read and validate notebooks
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from botu import site\n"
        "site.skip_unused_schema_formats()\n"
        "import nbformat\n"
        "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1 + 1')])\n"
        "nbformat.validate(nb)\n"
        "print(sys.modules.get('rfc3987_syntax'), 'lark' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["None", "False"]
