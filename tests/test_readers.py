"""Readers see words, not ids: labels, numbers per language, and a scan of the built site."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from botu import i18n, labels
from botu.dataset import load_dataset
from botu.pages import common, compare, overview
from tests.conftest import REPO
from tests.test_integration import built  # noqa: F401  (the module-scoped demo site)

# --- numbers and labels ------------------------------------------------------------------


def test_numbers_use_the_decimal_comma_on_a_dutch_page():
    assert common.number(0.8061, 3, "nl") == "0,806"
    assert common.number(0.8061, 3, "en") == "0.806"
    assert common.number(None) == common.number(float("nan")) == "–"
    assert common.percent(0.984, 1, "nl") == "98,4%"
    assert common.percent(0.984, 1, "en") == "98.4%"


def test_intervals_stay_on_one_line():
    nl, en = common.interval(0.71, 0.89, 2, "nl"), common.interval(0.71, 0.89, 2, "en")
    assert nl == "[0,71;\u00a00,89]" and en == "[0.71,\u00a00.89]"
    assert " " not in nl and " " not in en
    assert common.interval(None, 0.5) == "–"


def test_table_formats_numbers_per_language_and_classes_cells():
    frame = pd.DataFrame({"actor_type": ["welzijn_maatschappelijk"], "kappa": [0.8061]})
    nl = common.table(frame, "nl", precision=3).to_html()
    en = common.table(frame, "en", precision=3).to_html()
    assert "0,806" in nl and "0.806" in en
    assert "welzijn en maatschappelijk werk" in nl and "welfare and social work" in en
    assert "welzijn_maatschappelijk" not in nl + en
    assert 'class="botu-table"' in nl
    assert re.search(r'class="[^"]*botu-num[^"]*"\s*>0,806<', nl)
    assert re.search(r'class="[^"]*botu-text[^"]*"\s*>welzijn', nl)
    assert ">type actor<" in nl and ">actor type<" in en


def test_one_number_style_per_coefficient_column():
    frame = pd.DataFrame({"consistency": [1.0, 0.0], "n": [2.0, 3.0]})
    html = common.table(frame, "nl", precision=2).to_html()
    assert ">1,00<" in html and ">0,00<" in html and ">2<" in html


def test_values_and_notes_come_from_the_catalogue():
    assert labels.value("beoogd_niet_aangehaakt", "nl") == "beoogd, niet aangehaakt"
    assert labels.value("zorg_jeugd", "en") == "care and youth"
    assert labels.value("onbekend_woord", "nl") == "onbekend_woord"  # unknown: as it is
    assert labels.values("mede_ontwikkelen, stimuleren", "nl") == "mede-ontwikkelen, stimuleren"
    note = "pooled over 28 code(s) used in 59 unit(s)"
    assert labels.note(note, "nl") == "over 28 codes samen, gebruikt in 59 eenheden"
    both = (
        "α and κ intervals from 627 of 1000 draws (the rest undefined: no variation); "
        "used by one coder only (C2)"
    )
    assert labels.note(both, "nl") == (
        "intervallen van α en κ uit 627 van 1000 trekkingen (de rest niet gedefinieerd: geen "
        "variatie); alleen gebruikt door codeur C2"
    )


def test_actor_types_are_values_too():
    for lang in i18n.LANGUAGES:
        assert labels.ACTOR_TYPES[lang].items() <= labels.VALUES[lang].items()


def test_every_column_has_a_header_in_every_language():
    assert labels.COLUMNS["nl"].keys() == labels.COLUMNS["en"].keys()
    assert labels.VALUES["nl"].keys() == labels.VALUES["en"].keys()
    assert labels.RAW_TABLES["nl"].keys() == labels.RAW_TABLES["en"].keys()


def test_qca_conditions_read_as_words():
    assert compare.condition_word("na_bonding", (">=", 2), "nl", {"na_bonding": "Bonding"}) == (
        "Bonding\u00a0≥\u00a02"
    )
    assert (
        compare.condition_word("coalition_type", {"nieuw"}, "nl")
        == "type coalitie\u00a0=\u00a0nieuw"
    )
    words = {"a": "A", "b": "B"}
    assert compare._expression("a*~b + b", words, "nl") == "A · niet B; of B"


def test_codebook_table_shows_names_not_ids():
    data = load_dataset(REPO / "data" / "raw", strict=False)
    html = overview.codebook(data.codebook, "nl").to_html()
    shown = " ".join(re.findall(r">([^<]+)<", html))
    assert not SNAKE.findall(shown), SNAKE.findall(shown)
    assert "Resources" not in shown  # no English name on a Dutch page
    assert "Welzijn" in shown or "welzijn" in shown


# --- the built demo site -------------------------------------------------------------------

SNAKE = re.compile(r"(?<![\w./-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w.])")
# files and version words a reader may meet (the downloads page, the colophon)
FILE = re.compile(r"\b[\w.-]+\.(?:csv|json|xlsx|png|svg|html|css|yml)\b")
ENGLISH = re.compile(
    r"\b(?:the|and|with|pooled|presence|don't|don't-care|unit\(s\)|code\(s\)|draws|"
    r"undefined|variation|used|coder|overlap|sample|remainders|outcome|conditions|"
    r"solution|teams? linked|name|role|table|rows|label)\b",
    re.IGNORECASE,
)
DEVELOPER = re.compile(
    r"papermill|make report|python -m|summary\.json|data/processed|data/raw|notebook|"
    r"\bbotu build\b|JupyterLab|`",
    re.IGNORECASE,
)
KNOWN_IDS = (
    "zorg_jeugd",
    "welzijn_maatschappelijk",
    "beoogd_niet_aangehaakt",
    "rs_professioneel_centralisme",
    "na_bonding",
    "n_outcome",
    "cases_with_outcome",
    "factor_id",
    "label_en",
    "coalition_type",
    "mede_ontwikkelen",
)


class _Visible(HTMLParser):
    """The text a reader sees in a page's main part (the frame's colophon left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._main = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "footer", "head"}:
            self._skip += 1
        if tag == "main":
            self._main += 1
        self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in {"script", "style", "footer", "head"}:
            self._skip -= 1
        if tag == "main":
            self._main -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if self._main and not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    reader = _Visible()
    reader.feed(html)
    return FILE.sub(" ", re.sub(r"[ \t\r\n]+", " ", "".join(reader.parts)))


def _pages(built):  # noqa: F811
    root, _, _ = built
    pages = sorted((root / "reports").glob("*.html"))
    assert len(pages) >= 10
    return [(p.name, visible_text(p.read_text(encoding="utf-8"))) for p in pages]


@pytest.mark.integration
def test_no_page_shows_an_id_or_a_snake_case_word(built):  # noqa: F811
    for name, text in _pages(built):
        assert not SNAKE.findall(text), (name, sorted(set(SNAKE.findall(text))))
        for ident in KNOWN_IDS:
            assert ident not in text, (name, ident)


@pytest.mark.integration
def test_no_english_and_no_developer_note_on_a_dutch_page(built):  # noqa: F811
    for name, text in _pages(built):
        if name == "downloads.html":  # file listing: names of files, not prose
            continue
        english = sorted({w.lower() for w in ENGLISH.findall(text)})
        assert not english, (name, english)
        assert not DEVELOPER.findall(text), (name, DEVELOPER.findall(text))


@pytest.mark.integration
def test_dutch_pages_use_the_decimal_comma(built):  # noqa: F811
    texts = dict(_pages(built))
    reliability = texts["reliability.html"]
    assert re.search(r"\b0,\d{3}\b", reliability)
    assert not re.search(r"\b0\.\d{2,3}\b", reliability), re.findall(r"\b0\.\d+", reliability)
    assert re.search(r"\[\d,\d\d;\u00a0\d,\d\d\]", reliability)  # interval on one line


@pytest.mark.integration
def test_tables_class_their_cells_for_alignment(built):  # noqa: F811
    root, _, _ = built
    html = (root / "reports" / "reliability.html").read_text(encoding="utf-8")
    assert 'class="botu-table"' in html and "botu-num" in html and "botu-text" in html
    css = (root / "reports" / "assets" / "botu.css").read_text(encoding="utf-8")
    assert "td.botu-num" in css and "white-space: nowrap" in css and "overflow-x: auto" in css
