"""What the researchers' workbook calls each processed table and column, per language.

One catalogue per language: ``TABLES`` (table → sheet name and what the sheet holds) and
``COLUMNS`` (column → header and meaning; a ``table.column`` key says it for one table only),
``ACTOR_TYPES`` for the columns of the actor-type table, ``DYNAMIC`` for the columns a table
takes from the data (rater scores, codebook factors), ``TEXTS`` for the about sheet.
``FORMATS`` (not per language) says how a numeric column is shown.

Only sheet names and headers are translated; cell values stay as in the CSV files.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from botu import i18n
from botu.i18n import check_lang

# Excel refuses these in sheet names, and names longer than 31 characters
FORBIDDEN_IN_SHEET_NAMES = frozenset("[]:*?/\\")
MAX_SHEET_NAME = 31

# --- the words, from the catalogue of each language (botu/locale/<lang>.yml) ----------


def _pairs(entries: dict[str, list[str]]) -> dict[str, tuple[str, str]]:
    return {key: (pair[0], pair[1]) for key, pair in entries.items()}


TABLES: dict[str, dict[str, tuple[str, str]]] = {
    lang: _pairs(words["tables"]) for lang, words in i18n.section("workbook").items()
}
COLUMNS: dict[str, dict[str, tuple[str, str]]] = {
    lang: _pairs(words) for lang, words in i18n.section("columns").items()
}
ACTOR_TYPES: dict[str, dict[str, str]] = i18n.section("actor_types")
VALUES: dict[str, dict[str, str]] = i18n.section("values")
RAW_TABLES: dict[str, dict[str, str]] = {
    lang: words["raw_tables"] for lang, words in i18n.section("workbook").items()
}
# the reliability tables' notes (written in English by botu.reliability), clause by clause:
# pattern → sentence per language, the pattern's groups filled in
NOTES: dict[str, list[tuple[str, str]]] = {
    lang: [(note["pattern"], note["text"]) for note in notes]
    for lang, notes in i18n.section("notes").items()
}
# words inside a note's clause
NOTE_WORDS: dict[str, dict[str, str]] = i18n.section("note_words")
# columns a table takes from the data: ``{name}`` is the code's name from the codebook,
# ``{id}`` the column's id (a code, an actor type, a rater)
DYNAMIC: dict[str, dict[str, tuple[str, str]]] = {
    lang: _pairs(words["dynamic"]) for lang, words in i18n.section("workbook").items()
}
# which tables have such columns (every column not named in ``COLUMNS``)
DYNAMIC_TABLES = {
    "factor_profiles": "rater_score",
    "origin_involvement": "factor_score",
    "responsiveness": "factor_score",
    "actor_types": "actor_type_count",
}

TEXTS: dict[str, dict[str, str]] = {
    lang: words["texts"] for lang, words in i18n.section("workbook").items()
}

# --- how numbers are shown (all languages) ----------------------------------------------

SHARE, COEFFICIENT, DECIMAL, INTEGER = "0.0%", "0.000", "0.0", "0"
FORMATS: dict[str, str] = {
    "percent_agreement": SHARE,
    **dict.fromkeys(
        (
            "kappa",
            "kappa_ci_low",
            "kappa_ci_high",
            "fleiss_kappa",
            "alpha",
            "alpha_ci_low",
            "alpha_ci_high",
        ),
        COEFFICIENT,
    ),
    "prior_collaboration_years": DECIMAL,
    "prior_collaboration_years_median": DECIMAL,
}


# --- lookups -----------------------------------------------------------------------------


def text(key: str, lang: str = "nl") -> str:
    """A sentence or word of the about sheet."""
    return TEXTS[check_lang(lang)][key]


def table_title(table: str, lang: str = "nl") -> tuple[str, str]:
    """Sheet name and what the sheet holds; an unknown table keeps its own name."""
    return TABLES[check_lang(lang)].get(table, (table, ""))


def column(
    table: str, name: str, lang: str = "nl", codes: Mapping[str, str] | None = None
) -> tuple[str, str]:
    """Header and meaning of a column of ``table``; an unknown column keeps its own name.

    ``codes`` gives the codebook's names (code id → name) for columns that are codes.
    """
    columns = COLUMNS[check_lang(lang)]
    kind = DYNAMIC_TABLES.get(table)
    if kind == "actor_type_count" and name != "team_id":
        return _dynamic(kind, name, ACTOR_TYPES[lang].get(name), lang)
    if kind == "factor_score" and codes and name in codes:
        return _dynamic(kind, name, codes[name], lang)
    for key in (f"{table}.{name}", name):
        if key in columns:
            return columns[key]
    if kind == "rater_score" and name.startswith("score_"):
        return _dynamic(kind, name.removeprefix("score_"), None, lang)
    if kind == "factor_score":
        return _dynamic(kind, name, None, lang)
    return name, ""


def _dynamic(kind: str, ident: str, name: str | None, lang: str) -> tuple[str, str]:
    header, meaning = DYNAMIC[lang][kind]
    name = name or ident.replace("_", " ")
    return header.format(id=ident, name=name), meaning.format(id=ident, name=name)


def is_known(table: str, name: str) -> bool:
    """The catalogue says what this column is (not only its own name)."""
    return column(table, name, "nl")[1] != "" and column(table, name, "en")[1] != ""


def headers(
    table: str, names: list[str], lang: str = "nl", codes: Mapping[str, str] | None = None
) -> list[str]:
    """The headers of a table's columns, unique within the sheet (a clash gets its field)."""
    out = [column(table, n, lang, codes)[0] for n in names]
    seen: dict[str, int] = {}
    for header in out:
        seen[header.casefold()] = seen.get(header.casefold(), 0) + 1
    return [
        f"{h} ({n})" if seen[h.casefold()] > 1 and h != n else h
        for h, n in zip(out, names, strict=True)
    ]


def number_format(name: str, is_integer: bool) -> str | None:
    """How a numeric column is shown: its catalogue format, else whole numbers as such."""
    if name in FORMATS:
        return FORMATS[name]
    return INTEGER if is_integer else None


def clean_sheet_name(name: str) -> str:
    """A name Excel accepts: no ``[]:*?/\\``, no leading or trailing quote, ≤ 31 chars."""
    cleaned = "".join("_" if c in FORBIDDEN_IN_SHEET_NAMES else c for c in name).strip("'")
    return (cleaned or "_")[:MAX_SHEET_NAME]


def sheet_names(tables: list[str], lang: str = "nl") -> dict[str, str]:
    """Sheet name of each table: Excel-safe and unique (case-insensitively), the about sheet's
    name kept free."""
    taken = {text("about_sheet", lang).casefold()}
    out: dict[str, str] = {}
    for table in tables:
        base = clean_sheet_name(table_title(table, lang)[0])
        name, n = base, 1
        while name.casefold() in taken:
            n += 1
            suffix = f" ({n})"
            name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
        taken.add(name.casefold())
        out[table] = name
    return out


def value(word: object, lang: str = "nl") -> str:
    """A cell value for a reader: its word from :data:`VALUES`, else the value as it is."""
    text = "" if word is None else str(word)
    return VALUES[check_lang(lang)].get(text, text)


def values(words: object, lang: str = "nl", sep: str = ", ") -> str:
    """A list of values in one cell (``a, b`` or ``a; b``), each as :func:`value`."""
    text = "" if words is None else str(words)
    return sep.join(value(w.strip(), lang) for w in re.split(r"\s*[,;|]\s*", text) if w.strip())


def note(text: object, lang: str = "nl") -> str:
    """A reliability note in ``lang``, clause by clause (``;``-separated); a clause the
    catalogue does not know stays as it is."""
    check_lang(lang)
    out = []
    for clause in str(text or "").split(";"):
        clause = clause.strip()
        if not clause:
            continue
        for pattern, say in NOTES[lang]:
            found = re.fullmatch(pattern, clause)
            if found:
                groups = [NOTE_WORDS[lang].get(g or "", g or "") for g in found.groups()]
                clause = say.format(*groups)
                break
        out.append(clause)
    return "; ".join(out)
