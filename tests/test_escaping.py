"""Strings from the data are inert where they enter Markdown or HTML (issue 8, part 4)."""

from __future__ import annotations

import mistune
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from botu.pages import common

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[klik](javascript:alert(1))",
    "**vet** _schuin_ `code` # kop",
    "regel één\n\n# een kop op regel twee\n<iframe src=x>",
    "Team $5 en $10 & <b>",
    "een titel\n=====",  # a setext heading
    "    vier spaties: code",  # an indented code block
]


def rendered(markdown: str) -> str:
    return mistune.html(markdown)


@pytest.mark.parametrize("value", HOSTILE)
def test_data_strings_render_as_their_own_text(value):
    page = rendered(f"# {common.md(value)}\n\n> {common.md_quote(value)}\n")
    for active in ("<script", "<img", "<iframe", "<b>", "<a ", "<strong>", "<em>", "<code>"):
        assert active not in page
    assert page.count("<h1>") == 1  # no heading smuggled in
    assert 'href="javascript' not in page.replace(" ", "").lower()


def test_styled_tables_escape_cells_and_headers():
    frame = pd.DataFrame({"<b>kolom</b>": ["<script>alert(1)</script>"], "n": [1.0]})
    page = common.table(frame).to_html()
    assert "<script>" not in page and "<b>kolom" not in page
    assert "&lt;script&gt;" in page and "&lt;b&gt;kolom" in page


SCRIPT = "<script>alert('botu')</script>"
IMAGE = "<img src=x onerror=alert('botu')>"


def _inject(root):
    """The demo data with markup in a team name, an actor's pseudonym, a document title, a quote
    and a code's label and definition."""
    import csv
    import shutil

    import yaml

    from tests.conftest import REPO

    raw = root / "data" / "raw"
    shutil.copytree(REPO / "data" / "raw", raw)

    def edit(table, key, column, value):
        path = raw / f"{table}.csv"
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        for row in rows:
            if row[next(iter(row))] == key:
                row[column] = value
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    edit("teams", "T01", "name", f"Team {SCRIPT}")
    edit("actors", "A02", "pseudonym", f"Welzijn {IMAGE}")
    edit("documents", "D-T01-01", "title", f"Interview {SCRIPT}")
    edit("segments", "S0001", "text", f"Fonds {IMAGE} en {SCRIPT} [x](javascript:alert(1))")
    book = yaml.safe_load((raw / "codebook.yml").read_text(encoding="utf-8"))
    for code in book["codes"]:
        if code["id"] in ("hb_kennis", "rs_fonds"):
            code["label"] = {"nl": f"Kennis {IMAGE}", "en": f"Knowledge {SCRIPT}"}
            code["definition"] = {"nl": SCRIPT, "en": IMAGE}
    (raw / "codebook.yml").write_text(yaml.safe_dump(book, allow_unicode=True), "utf-8")


@pytest.mark.integration
def test_markup_in_the_data_is_inert_on_every_page(tmp_path):
    from botu import config, report

    _inject(tmp_path)
    results = report.make_report(tmp_path, echo=lambda _: None)
    assert {r.status for r in results} == {"ran"}
    pages = sorted(config.paths(tmp_path).reports.rglob("*.html"))
    assert len(pages) >= 10
    seen = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        soup = BeautifulSoup(text, "html.parser")
        assert not [t for t in soup.find_all("script") if "alert" in (t.string or "")], page.name
        assert not soup.find_all("img", src="x"), page.name
        assert not soup.find_all("iframe"), page.name
        for tag in soup.find_all(True):
            for name, value in tag.attrs.items():
                assert not (name.startswith("on") and "alert" in str(value)), page.name
                assert not str(value).strip().lower().startswith("javascript:"), page.name
        seen += soup.get_text().count("<script>alert('botu')</script>")
    assert seen > 0  # the strings are on the pages, as text
