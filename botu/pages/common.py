"""What every page shares: escaping, numbers in the reader's style, readable tables, notices.

A reader meets words, not ids: codes show their codebook label, cell values (themes, actor
types, roles, …) and column headers their word from :mod:`botu.labels`, numbers the decimal
comma on a Dutch page (:func:`number`). Every sentence comes from the catalogue of the page's
language (:func:`botu.i18n.say`).

A study in progress (no ratings yet, one coder, no memberships recorded) still renders: where
the data cannot give a table, a page returns a :class:`Notice` saying so instead of an empty
or NaN-filled table.
"""

from __future__ import annotations

import html
import itertools
import re
from pathlib import Path

import pandas as pd
from pandas.io.formats.style import Styler

from botu import i18n
from botu import labels as catalogue
from botu.errors import InputError
from botu.i18n import check_lang, count, number, say
from botu.kernel import on_reset
from botu.pipeline import load_table

__all__ = [
    "NBSP",
    "Notice",
    "check_lang",
    "code_names",
    "count",
    "fictional_banner",
    "interval",
    "md",
    "md_quote",
    "number",
    "percent",
    "say",
    "short",
    "table",
    "word",
]

NBSP = "\u00a0"  # keeps an interval or a number with its unit on one line
_MARKDOWN_ACTIVE = re.compile(r"([\\`*_{}\[\]()#+\-.!|~=])")  # < > & become entities
# columns whose cells are values with a word in the catalogue (lists: comma-separated)
VALUE_COLUMNS = frozenset(
    {
        "actor_type",
        "actor_types",
        "coalition_type",
        "disagreement",
        "kind",
        "level",
        "municipality_roles_coded",
        "reason",
        "role",
        "rule",
        "scope",
        "status",
        "sibd_status",
        "theme",
        "values",
    }
)
_TABLE_NUMBERS = itertools.count(1)  # tables drawn in this kernel: ids follow the page's order


class _Plots:
    """:mod:`botu.plots`, imported when a page first draws: the report's runner reads the
    pages' declarations (``INPUTS``) without loading matplotlib and seaborn."""

    def __getattr__(self, name: str):
        from botu import plots as module

        return getattr(module, name)


plots = _Plots()


@on_reset
def _number_tables_from_one() -> None:
    """A page run in a reused kernel numbers its tables from 1, as in a new one."""
    global _TABLE_NUMBERS
    _TABLE_NUMBERS = itertools.count(1)


# columns that hold the material itself (a coded segment's text): quoted as it was written
QUOTE_COLUMNS = frozenset({"text"})
# columns that keep their decimals even when every value is whole (one style per column)
# fit measures (QCA's among them): shown with their decimals, even when whole
_COEFFICIENTS = frozenset(
    {"consistency", "coverage", "incl", "pri", "ron", "cov", "cov_unique", "cutoff"}
    | set(catalogue.FORMATS)
)


def md(value: object) -> str:
    """A string from the data, made inert for Markdown and HTML: Markdown's punctuation
    backslash-escaped, then ``<``, ``>``, ``&`` and quotes as HTML entities; line breaks as
    spaces. Every team, actor or code name and every quote goes through this (or
    :func:`md_quote`) before it enters a page."""
    text = re.sub(r"\s*[\r\n]+\s*", " ", str(value))
    return html.escape(_MARKDOWN_ACTIVE.sub(r"\\\1", text), quote=True)


def md_quote(value: object) -> str:
    """A quote as the body of a Markdown block quote: inert, its line breaks kept."""
    # each line from its first character: four spaces in front would make it a code block
    lines = [md(line.strip()) for line in str(value).splitlines() or [""]]
    return "\n> ".join(lines)


class Table(Styler):
    """A styled table whose plain-text form is its cells (pandas' own names a memory
    address, which would differ between two runs of a page)."""

    def __repr__(self) -> str:
        return self.data.to_string(index=False)


class Notice(str):
    """Markdown shown where the data cannot give a table or figure yet (``""``: nothing)."""

    def _repr_markdown_(self) -> str:
        return str(self)


def code_names(lang: str = i18n.DEFAULT_LANG, root: Path | None = None) -> dict[str, str]:
    """Code id → label in ``lang`` (from the processed codebook); ``{}`` before a build."""
    try:
        book = load_table("codebook", root)
    except InputError:  # not built yet
        return {}
    return dict(zip(book["code_id"], book[f"label_{lang}"].fillna(book["code_id"]), strict=True))


def fictional_banner(is_fictional: bool, lang: str = i18n.DEFAULT_LANG) -> Notice:
    """A Markdown warning when the data are the fictional demo set, else ''."""
    return Notice(say("text.fictional_banner", lang) if is_fictional else "")


# --- numbers ---------------------------------------------------------------------------


def short(value: object, digits: int = 1, lang: str = i18n.DEFAULT_LANG) -> str:
    """A number in prose: at most ``digits`` decimals, trailing zeros dropped (``2``, ``2,5``)."""
    text = number(value, digits, lang)
    if "," in text or "." in text:
        text = text.rstrip("0").rstrip(",.")
    return text


def percent(value: object, digits: int = 1, lang: str = i18n.DEFAULT_LANG) -> str:
    """A share as a percentage: ``98,4%`` (nl), ``98.4%`` (en)."""
    if value is None or pd.isna(value):
        return "–"
    return f"{number(100 * float(value), digits, lang)}%"


def interval(low: object, high: object, digits: int = 2, lang: str = i18n.DEFAULT_LANG) -> str:
    """``[0,71; 0,89]`` (nl) or ``[0.71, 0.89]`` (en), kept on one line."""
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return "–"
    sep = i18n.say("format.interval", lang)
    return f"[{number(low, digits, lang)}{sep}{NBSP}{number(high, digits, lang)}]"


# --- words and tables ------------------------------------------------------------------


def word(value: object, lang: str = i18n.DEFAULT_LANG, names: dict[str, str] | None = None) -> str:
    """What a reader sees for an id: the code's label, else the value's or column's word."""
    text = "" if value is None else str(value)
    if names and text in names:
        return names[text]
    if text in catalogue.VALUES[lang]:
        return catalogue.value(text, lang)
    header = catalogue.column("", text, lang)[0]
    return header if header != text or "_" not in text else text.replace("_", " ")


def table(
    frame: pd.DataFrame,
    lang: str = i18n.DEFAULT_LANG,
    labels_for: dict[str, str] | None = None,
    precision: int = 1,
    name: str = "",
    numbers: tuple[str, ...] = (),
    worded: tuple[str, ...] = (),
):
    """A table for display: no index, readable headers, whole numbers as such, NA as '–'.

    Columns named after codebook ids get the code's label (``labels_for``); other columns
    their header in ``lang`` from :data:`botu.labels.COLUMNS` (``name``: the table, for
    headers said for one table only). Cells of :data:`VALUE_COLUMNS` show their word (unless
    named in ``worded``: already in words);
    numbers use the decimal comma on a Dutch page. Cells are classed ``botu-num`` (numbers,
    and the columns named in ``numbers``: preformatted numbers) or ``botu-text``, so the
    stylesheet aligns them.
    """
    out = frame.copy()
    yes, no = catalogue.text("yes", lang), catalogue.text("no", lang)
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_bool_dtype(values):
            out[column] = values.map({True: yes, False: no})
        elif (
            pd.api.types.is_float_dtype(values)
            and column not in _COEFFICIENTS
            and values.dropna().mod(1).eq(0).all()
        ):
            out[column] = values.astype("Int64")
        elif (
            column in VALUE_COLUMNS
            and column not in worded
            and not pd.api.types.is_numeric_dtype(values)
        ):
            out[column] = values.map(lambda v: v if pd.isna(v) else catalogue.values(v, lang))
    is_number = [
        (pd.api.types.is_numeric_dtype(out[c]) and not pd.api.types.is_bool_dtype(out[c]))
        or c in numbers
        for c in out.columns
    ]
    codes = labels_for or {}
    heads = [
        codes[c] if c in codes else catalogue.column(name, str(c), lang)[0] for c in out.columns
    ]
    seen: dict[str, int] = {}
    unique = []
    for head in heads:
        seen[head] = seen.get(head, 0) + 1
        unique.append(head if seen[head] == 1 else f"{head} ({seen[head]})")
    out.columns = unique
    kinds = [
        "botu-num" if n else "botu-text botu-quote" if c in QUOTE_COLUMNS else "botu-text"
        for c, n in zip(frame.columns, is_number, strict=True)
    ]
    classes = pd.DataFrame(
        [kinds] * len(out),
        index=out.index,
        columns=out.columns,
    )
    # cells carry classes, not ids: no cell is styled on its own (ids would only add weight)
    styler = Table(out, cell_ids=False).hide(axis="index").set_td_classes(classes)
    # the table's id: the n-th table of the page (pandas would draw a random one)
    styler = styler.set_uuid(f"{name or 'table'}-{next(_TABLE_NUMBERS)}".replace("_", "-"))
    styler = styler.set_table_attributes('class="botu-table"')
    # a Styler, unlike a plain DataFrame, writes cells as they are: escape them
    return styler.format(
        na_rep="–", precision=precision, escape="html", decimal=i18n.say("format.decimal", lang)
    ).format_index(escape="html", axis=1)


def team_names(root: Path | None = None) -> dict[str, str]:
    """Team id → the team's name, for prose that names teams."""
    teams = load_table("teams", root)
    return dict(zip(teams["team_id"], teams["name"].fillna(teams["team_id"]), strict=True))


def listing(items: list[str], lang: str = i18n.DEFAULT_LANG, empty: str = "–") -> str:
    """``a, b en c`` (nl) or ``a, b and c`` (en), each item as given (escape before)."""
    if not items:
        return empty
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + say("text.and", lang) + items[-1]


def sentence(text: str) -> str:
    """``text`` with a capital and a full stop."""
    return text[:1].upper() + text[1:] + "."


def implied_text(low: object, high: object, lang: str) -> str:
    """The score (range) a codebook rule gives: '2', '1–2'; '–' when there is none."""
    if pd.isna(low) or pd.isna(high):
        return "–"
    return str(int(low)) if int(low) == int(high) else f"{int(low)}–{int(high)}"


def basis_text(basis: object, names: dict[str, str], lang: str) -> str:
    """What a rule read, in words: code names, or 'Naam: 3 segmenten'."""
    if not isinstance(basis, str) or not basis:
        return ""
    if "=" in basis:
        code, _, rest = basis.partition("=")
        if rest.isdigit():
            return f"{names.get(code, code)}: {count('text.segments', int(rest), lang)}"
        return f"{names.get(code, code)}: {catalogue.values(rest.replace('|', ', '), lang)}"
    return listing([names.get(c, c) for c in basis.split("|")], lang)


def triangulation_frame(rows: pd.DataFrame, names: dict[str, str], lang: str) -> pd.DataFrame:
    """Rows of the processed ``triangulation`` table as a reader's table: the factor by
    name, the consensus, what the material gives, the verdict, the rule and its basis."""
    return pd.DataFrame(
        {
            "factor": rows["factor_id"].map(lambda f: names.get(f, f)),
            "score": rows["score"].astype("Int64"),
            "implied": [
                implied_text(lo, hi, lang)
                for lo, hi in zip(rows["implied_low"], rows["implied_high"], strict=True)
            ],
            "status": rows["status"],
            "rule": rows["rule"],
            "basis": [
                basis_text(b, names, lang) if isinstance(b, str) and b else catalogue.value(r, lang)
                for b, r in zip(rows["basis"], rows["reason"].fillna(""), strict=True)
            ],
        }
    )
