"""One catalogue per language: every string a reader sees.

The catalogues are ``botu/locale/<lang>.yml`` (same keys in each). Pages, figures, the site
frame, the workbook and the notebooks' explanatory text all take their words from here, so a
page in one language carries none of the other. A sentence with blanks names them
(``{n_teams} teams``); a word that changes with a number has the forms ``one`` and ``other``.

Module names that predate the catalogue (``labels.COLUMNS``, ``plots.TEXT``, …) are views on
it, keyed by language.
"""

from __future__ import annotations

import functools
import math
import string
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("nl", "en")
DEFAULT_LANG = LANGUAGES[0]
LOCALE = Path(__file__).resolve().parent / "locale"


def check_lang(lang: object) -> str:
    """``lang`` if botu has a catalogue for it, else a ValueError naming the choices."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return str(lang)


def parse_languages(value: object) -> list[str]:
    """``"nl,en"`` (or a list) as the report's languages, each checked, none twice."""
    items = value.split(",") if isinstance(value, str) else list(value or [])
    languages = [check_lang(str(item).strip()) for item in items if str(item).strip()]
    if not languages:
        raise ValueError(f"name at least one language: {', '.join(LANGUAGES)}")
    if len(set(languages)) != len(languages):
        raise ValueError(f"a language is named twice: {value}")
    return languages


@functools.cache
def catalogue(lang: str) -> dict[str, Any]:
    """The whole catalogue of ``lang`` (read once)."""
    path = LOCALE / f"{check_lang(lang)}.yml"
    with open(path, encoding="utf-8") as handle:  # libyaml's parser when there: every page
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def section(name: str) -> dict[str, Any]:
    """One top-level part of every catalogue, keyed by language: ``section("site")["en"]``."""
    return {lang: catalogue(lang)[name] for lang in LANGUAGES}


def lookup(key: str, lang: str) -> Any:
    """The entry at a dotted ``key`` (``text.not_rated.head``) in ``lang``'s catalogue."""
    entry: Any = catalogue(lang)
    for part in key.split("."):
        if not isinstance(entry, dict) or part not in entry:
            raise KeyError(f"no {key!r} in botu/locale/{lang}.yml")
        entry = entry[part]
    return entry


def say(key: str, lang: str = DEFAULT_LANG, /, **fields: object) -> str:
    """The sentence at ``key`` in ``lang``, its blanks filled from ``fields``."""
    entry = lookup(key, lang)
    if not isinstance(entry, str):
        raise KeyError(f"{key!r} in botu/locale/{lang}.yml is not a sentence")
    return entry.format(**fields) if fields else entry


def count(key: str, n: int, lang: str = DEFAULT_LANG, /, **fields: object) -> str:
    """``n`` with the word at ``key`` in its singular or plural form: ``3 segmenten``."""
    forms = lookup(key, lang)
    return forms["one" if n == 1 else "other"].format(n=n, **fields)


def blanks(text: str) -> set[str]:
    """The names of the blanks in a catalogue sentence."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def localise(notebook: Any, lang: str) -> Any:
    """A notebook's explanatory text in ``lang``: every Markdown cell whose metadata names a
    catalogue key (``{"botu": {"text": "notebooks.team.profile"}}``) gets that entry's text.

    The notebooks in ``notebooks/`` hold the default language's text, so a researcher opening
    them reads the prose; the report fills in each page's own language (tested to agree).
    """
    for cell in notebook["cells"]:
        key = cell.get("metadata", {}).get("botu", {}).get("text")
        if cell["cell_type"] == "markdown" and key:
            cell["source"] = say(key, lang)
    return notebook


def number(value: object, digits: int = 1, lang: str = DEFAULT_LANG) -> str:
    """A number as a reader of ``lang`` writes it (``0,806`` in Dutch, ``0.806`` in English,
    the separator from the catalogue's ``format.decimal``); ``–`` when missing."""
    try:
        shown = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):  # None, pandas' NA
        return "–"
    if math.isnan(shown):
        return "–"
    text = f"{shown:.{digits}f}"
    if text.startswith("-") and float(text) == 0:  # -0.00: a bound at zero, not below it
        text = text[1:]
    return text.replace(".", lookup("format.decimal", lang))
