"""The overview page (``00-overview``): what the study collected, whether it passes the
checks, and the codebook it was coded with. Reads ``data/raw`` itself, so that the checks'
errors are shown rather than stopping the page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from botu import labels as catalogue
from botu.codebook import Codebook
from botu.dataset import Dataset, load_dataset, problems_table, segments_by_team, table_counts
from botu.pages.common import Notice, check_lang, count, fictional_banner, say, table

_CODE_ID = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_CODE_FAMILY = re.compile(r"\b([a-z][a-z0-9]*(?:_[a-z0-9]+)*)_\*")
# the page reads data/raw itself (the validation result), nothing of data/processed
INPUTS: tuple[str, ...] = ()
# what of data/raw the page shows nothing of but its validation problems: a corrected quote
# does not rerun it (the report keys it on the rest of data/raw and the build's problems)
RAW_NOT_SHOWN: dict[str, tuple[str, ...]] = {"segments.csv": ("text",)}


@dataclass
class Overview:
    data: Dataset
    lang: str

    @property
    def banner(self) -> Notice:
        return fictional_banner(self.data.is_fictional, self.lang)


def start(lang: object, root: Path | None = None) -> Overview:
    """The page's parameters checked and the raw data loaded (errors kept for the page)."""
    raw = None if root is None else Path(root) / "data" / "raw"
    return Overview(load_dataset(raw, strict=False), check_lang(lang))


def counts(page: Overview):
    """Rows per table of the raw data, the tables by name."""
    words = catalogue.RAW_TABLES[page.lang]
    out = table_counts(page.data)
    out["table"] = out["table"].map(
        lambda t: words.get(t.split(" ")[0], t) if isinstance(t, str) else t
    )
    return table(out, page.lang)


def sources(page: Overview):
    """Segments per team and kind of source, teams by name."""
    lang = page.lang
    total = say("text.total", lang)
    crosstab = segments_by_team(page.data, total=total)
    names = dict(zip(page.data.teams["team_id"], page.data.teams["name"], strict=False))
    out = crosstab.rename(columns=lambda c: catalogue.value(c, lang)).reset_index()
    out.columns.name = None
    out["team_id"] = out["team_id"].map(lambda t: names.get(t, t))
    return table(out.rename(columns={"team_id": "team"}), lang)


def problems_summary(page: Overview) -> Notice:
    """One Markdown line: how many errors and warnings the checks found."""
    errors = sum(p.severity == "error" for p in page.data.warnings)
    warnings = len(page.data.warnings) - errors
    return Notice(
        say(
            "text.overview.problems_summary",
            page.lang,
            errors=count("text.overview.problems.errors", errors, page.lang),
            warnings=count("text.overview.problems.warnings", warnings, page.lang),
        )
    )


def problems(page: Overview):
    """The checks' problems: file, row, column, what (nothing when there are none: the
    summary above says so)."""
    out = problems_table(page.data)
    if out.empty:
        return Notice("")
    out["severity"] = out["severity"].map(lambda v: catalogue.value(v, page.lang))
    return table(out, page.lang, name="validation")


def _ids_to_words(
    text: object, names: dict[str, str], lang: str, parents: dict[str, str] | None = None
) -> str:
    """Codebook prose with each code id it names (``bar_tijd``; ``na_*``: the codes under a
    factor) as its label."""
    parents = parents or {}

    def family(found: re.Match) -> str:
        under = {parents.get(c) for c in names if c.startswith(found.group(1) + "_")}
        under.discard(None)
        under.discard("")
        if len(under) != 1:
            return found.group(0)
        return say("text.codes_under", lang, name=names.get(under.pop(), ""))

    def one(found: re.Match) -> str:
        ident = found.group(0)
        if ident in names:
            return f"‘{names[ident]}’"
        return catalogue.value(ident, lang)

    text = "" if text is None or pd.isna(text) else str(text)
    return _CODE_ID.sub(one, _CODE_FAMILY.sub(family, text))


def codebook(page: Overview | Codebook, lang: str | None = None):
    """The codebook for readers: names, not ids; only the page's language."""
    book = page.data.codebook if isinstance(page, Overview) else page
    lang = check_lang(lang or getattr(page, "lang", None))
    frame = book.to_frame(lang)
    names = dict(zip(frame["code_id"], frame["label"], strict=True))
    parents = dict(zip(frame["code_id"], frame["parent"], strict=True))

    def prose(column: str) -> pd.Series:
        return frame[column].map(lambda t: _ids_to_words(t, names, lang, parents))

    out = pd.DataFrame(
        {
            "label": frame["label"],
            "parent": frame["parent"].map(lambda c: names.get(c, c)),
            "level": frame["level"],
            "definition": prose("definition"),
            "include": prose("include"),
            "exclude": prose("exclude"),
            "codebook.values": frame["values"],
        }
    )
    out = out.rename(columns={"codebook.values": "values"})
    return table(out, lang, name="codebook")
