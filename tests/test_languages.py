"""Both languages in one run: ``report --lang nl,en`` (issue 8, part 3).

The demo report is built in Dutch (reports/) and English (reports/en/). Every page has its
counterpart in the other language and links to it; an English page carries no Dutch and a Dutch
page no English, apart from the material itself (quotes, the segment texts the coders discuss,
names of teams and people, file names).
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser

import pytest

from botu import config, i18n, report
from tests.conftest import REPO
from tests.pages import read_page
from tests.test_readers import DEVELOPER, FILE, KNOWN_IDS, SNAKE

pytestmark = pytest.mark.integration

# words of Dutch prose that English prose never uses (nor the demo's team and actor names)
DUTCH = re.compile(
    r"(?<![\w-])(?:het|een|van|niet|zijn|wordt|worden|naar|voor|ook|bij|deze|dit|dat|geen|nog|"
    r"heeft|hebben|uit|met|door|welke|waar|tussen|onder|volgens|segmenten|codeurs?|"
    r"beoordelaars?|betrouwbaar|voorlopig|onvoldoende|ja|nee)(?![\w-])",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    root = tmp_path_factory.mktemp("both")
    shutil.copytree(REPO / "data" / "raw", root / "data" / "raw")
    results = report.make_report(root, lang="nl,en", echo=lambda _: None)
    assert {r.status for r in results} == {"ran"}
    return root


class _Prose(HTMLParser):
    """The text of a page outside the material it quotes (block quotes, segment texts) and
    the colophon (which names the software the report was built with)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._stack: list[bool] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        quoted = tag in {"blockquote", "script", "style", "title", "footer"} or "botu-quote" in (
            a.get("class") or ""
        )
        if tag in {"meta", "link", "img", "br", "hr", "source", "input"}:
            return
        self._stack.append(quoted)
        self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in {"meta", "link", "img", "br", "hr", "source", "input"}:
            return
        if self._stack:
            self._stack.pop()
        self.parts.append(" ")

    def handle_data(self, data):
        if not any(self._stack):
            self.parts.append(data)


def prose(html: str) -> str:
    reader = _Prose()
    reader.feed(html)
    return FILE.sub(" ", re.sub(r"\s+", " ", "".join(reader.parts)))


def _catalogue_sentences(lang: str) -> set[str]:
    """The catalogue's longer fixed texts of ``lang`` that the other language says otherwise."""
    other = next(x for x in i18n.LANGUAGES if x != lang)

    def flat(entry, prefix=""):
        if isinstance(entry, dict):
            for k, v in entry.items():
                yield from flat(v, f"{prefix}{k}.")
        elif isinstance(entry, str):
            yield prefix.rstrip("."), entry

    mine, theirs = dict(flat(i18n.catalogue(lang))), dict(flat(i18n.catalogue(other)))
    out = set()
    for key, text in mine.items():
        if key.startswith(("notes.", "values.", "columns.")) or text == theirs.get(key):
            continue
        # the fixed parts between blanks, markup and Markdown
        for piece in re.split(r"\{[^}]*\}|<[^>]*>|[*_#>\n]", text):
            piece = piece.strip(" .,:;()'")
            if len(piece) >= 25 and piece not in theirs.get(key, ""):
                out.add(piece)
    return out


def test_every_page_has_its_counterpart_and_links_to_it(sites):
    reports = config.paths(sites).reports
    dutch = sorted(p.name for p in reports.glob("*.html"))
    english = sorted(p.name for p in (reports / "en").glob("*.html"))
    assert dutch == english and len(dutch) >= 12
    for name in dutch:
        nl, en = read_page(reports / name), read_page(reports / "en" / name)
        assert (nl.lang, en.lang) == ("nl", "en")
        assert f"en/{name}" in nl.links and f"../{name}" in en.links, name
        assert en.stylesheets == ["../assets/botu.css"]


def test_english_pages_carry_no_dutch_and_no_ids(sites):
    reports = config.paths(sites).reports
    dutch_sentences = _catalogue_sentences("nl")
    pages = sorted((reports / "en").glob("*.html"))
    assert pages and len(dutch_sentences) > 50  # the checks below have something to check
    for path in pages:
        html = path.read_text(encoding="utf-8")
        text = prose(html)
        # the study's own names stay as they are: its title, team names
        for name in ("BoTu: veerkracht samen organiseren",):
            text = text.replace(name, " ")
        assert not DUTCH.findall(text), (path.name, sorted(set(DUTCH.findall(text))))
        assert not [s for s in dutch_sentences if s in html], path.name
        assert not SNAKE.findall(text), (path.name, sorted(set(SNAKE.findall(text))))
        assert not [i for i in KNOWN_IDS if i in text], path.name
        if path.name != "downloads.html":
            assert not DEVELOPER.findall(text), (path.name, DEVELOPER.findall(text))


def test_dutch_pages_carry_no_english_catalogue_text(sites):
    reports = config.paths(sites).reports
    english = _catalogue_sentences("en")
    pages = sorted(reports.glob("*.html"))
    assert pages and len(english) > 50
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert not [s for s in english if s in html], path.name


def test_each_language_has_its_own_figures_and_workbook(sites):
    paths = config.paths(sites)
    assert (paths.processed / "botu-processed.xlsx").exists()
    assert (paths.processed / "botu-processed-en.xlsx").exists()
    nl = (paths.reports / "downloads.html").read_text(encoding="utf-8")
    en = (paths.reports / "en" / "downloads.html").read_text(encoding="utf-8")
    assert "botu-processed.xlsx" in nl and "botu-processed-en.xlsx" not in nl
    assert "botu-processed-en.xlsx" in en and 'botu-processed.xlsx"' not in en
    assert 'href="../../figures/en/compare-factoren.svg"' in en
    figures = paths.figures
    assert (figures / "compare-factoren.svg").exists()
    assert (figures / "en" / "compare-factoren.svg").exists()
    nl = (figures / "compare-factoren.svg").read_text(encoding="utf-8")
    en = (figures / "en" / "compare-factoren.svg").read_text(encoding="utf-8")
    assert nl != en
