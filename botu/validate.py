"""Checking raw tables against the data contract and against each other.

Every problem is collected (not only the first) and located by file, row and column, so a
researcher can fix a whole file in one pass.

The work is done a column at a time, so that a million codings take seconds: the usual
cells are typed and checked vectorised, and every other cell (empty, spelled unusually, or
wrong) goes through :func:`_parse_cell`, once per distinct text. Every value and message
thus comes from that one function, whichever way a cell went.
"""

from __future__ import annotations

import re
import string
from contextlib import suppress
from datetime import date

import numpy as np
import pandas as pd

from botu.codebook import UNASSIGNED, Codebook
from botu.errors import Problem
from botu.io import RawTable
from botu.schema import CONSENSUS_RATER, MISSING_SCORE, TABLES, Column, Table

TRUE_WORDS = {"true", "1", "ja", "yes", "waar", "j", "y", "wahr"}
FALSE_WORDS = {"false", "0", "nee", "no", "onwaar", "n"}
# letters, digits, '_', '-', '.', ':' — ids name output files, so no '/' or spaces
ID_PATTERN = re.compile(r"^(?!\.+$)[\w.:-]+$")
# free-text columns whose inner spacing is meaningful and must not be stripped
_KEEP_SPACING = {("segments", "text")}
# the pandas dtype of each kind of column in a typed table (a date column: datetime64)
DTYPES = {
    "id": "string",
    "text": "string",
    "idlist": "string",
    "int": "Int64",
    "score": "Int64",
    "float": "Float64",
    "bool": "boolean",
}
# the ASCII characters ID_PATTERN allows (\w is letters, digits and '_' in ASCII)
_ID_BYTES = (string.ascii_letters + string.digits + "_.:-").encode()
# the whole numbers a float holds exactly: _parse_cell's float() gives them unchanged
_EXACT_INT = 2**53


def _parse_cell(raw: str, column: Column) -> tuple[object, str | None]:
    """Convert one cell; return (value, error message or None). Empty → None."""
    value = raw if column.kind == "text" else raw.strip()
    if raw.strip() == "":
        if column.nullable:
            return None, None
        return None, "is empty; a value is required"
    kind = column.kind
    if kind == "id":
        if not ID_PATTERN.match(value):
            return None, f"'{value}' is not a valid id (letters, digits, _ - . : only)"
        return value, None
    if kind == "idlist":
        parts = [p.strip() for p in value.split(";") if p.strip()]
        bad = [p for p in parts if not ID_PATTERN.match(p)]
        if bad:
            return None, f"'{bad[0]}' is not a valid id"
        return ";".join(parts), None
    if kind == "bool":
        low = value.lower()
        if low in TRUE_WORDS:
            return True, None
        if low in FALSE_WORDS:
            return False, None
        return None, f"'{value}' is not true/false"
    if kind in ("int", "float", "score"):
        if kind == "score" and value.upper() == MISSING_SCORE:
            return None, None
        try:
            number = float(value.replace(",", "."))  # Dutch decimal comma
        except ValueError:
            return None, f"'{value}' is not a number"
        if kind in ("int", "score") and not number.is_integer():
            return None, f"'{value}' is not a whole number"
        if kind == "score" and int(number) not in (0, 1, 2, 3):
            return None, f"score {value} is not 0, 1, 2, 3 or NA"
        if column.min_value is not None and number < column.min_value:
            return None, f"{value} is below the minimum {column.min_value:g}"
        if column.max_value is not None and number > column.max_value:
            return None, f"{value} is above the maximum {column.max_value:g}"
        return (int(number) if kind in ("int", "score") else number), None
    if kind == "date":
        try:
            return date.fromisoformat(value), None
        except ValueError:
            return None, f"'{value}' is not a date as YYYY-MM-DD"
    # text
    if column.choices and value not in column.choices:
        return None, f"'{value}' is not one of: {', '.join(column.choices)}"
    return value, None


def type_table(raw: RawTable, table: Table, problems: list[Problem]) -> pd.DataFrame:
    """Check columns and cells of one raw table; return it typed (invalid cells → missing).

    Each column has its pandas dtype (:data:`DTYPES`; dates datetime64), missing values NA.
    """
    present = list(raw.frame.columns)
    for column in table.columns:
        if column.required and column.name not in present:
            problems.append(
                Problem(raw.source, 1, column.name, f"required column '{column.name}' is missing")
            )
    known = set(table.column_names)
    for name in present:
        if name not in known:
            problems.append(
                Problem(raw.source, 1, name, "unknown column, ignored", severity="warning")
            )
    n_rows = len(raw.frame)
    data = {}
    for column in table.columns:
        if column.name not in present:
            nothing = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object)
            data[column.name] = _assemble(n_rows, column.kind, nothing, nothing)
            continue
        cells = raw.frame[column.name].to_numpy(dtype=object)
        keep_spacing = (table.name, column.name) in _KEEP_SPACING
        data[column.name], errors = _type_column(cells, column, keep_spacing)
        rows = _row_numbers(raw, errors[0])
        problems.extend(
            Problem(raw.source, row, column.name, message)
            for row, message in zip(rows, errors[1], strict=True)
        )
    frame = pd.DataFrame(data, index=pd.RangeIndex(n_rows), copy=False)
    _check_key(raw, table, frame, problems)
    return frame


def _type_column(
    cells: np.ndarray, column: Column, keep_spacing: bool
) -> tuple[pd.api.extensions.ExtensionArray, tuple[np.ndarray, list[str]]]:
    """One column typed, and its errors: (row positions, messages), in row order.

    The cells :func:`_settle` types vectorised are done; empty cells of a nullable column
    are missing; every other cell goes through :func:`_parse_cell` (stripped, unless
    ``keep_spacing``), once per distinct text.
    """
    settled, values = _settle(cells, column, keep_spacing)
    if len(settled) == len(cells):  # every cell plainly valid: the usual case
        typed = _assemble(len(cells), column.kind, (settled, values), (settled[:0], values[:0]))
        return typed, (settled[:0], [])
    is_settled = np.zeros(len(cells), dtype=bool)
    is_settled[settled] = True
    if column.nullable:
        is_settled |= cells == ""  # missing (a cell of spaces goes to _parse_cell: also)
    rest = np.flatnonzero(~is_settled)
    given = cells[rest]
    if not keep_spacing:
        given = np.array([c.strip() for c in given], dtype=object)
    rest_values, failed, messages = _parse_distinct(given, column)
    typed = _assemble(len(cells), column.kind, (settled, values), (rest, rest_values))
    return typed, (rest[failed], messages)


def _settle(cells: np.ndarray, column: Column, keep_spacing: bool) -> tuple[np.ndarray, np.ndarray]:
    """The cells that are plainly valid, typed vectorised: (their positions, their values),
    each value what :func:`_parse_cell` gives for it.

    Ids, whole numbers, the words true/false and text; the other kinds (and anything
    unusual: spacing around a value, another spelling) are left to ``_parse_cell``.
    """
    kind = column.kind
    none = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object)
    if kind == "bool":
        true, false = cells == "true", cells == "false"
        settled = np.flatnonzero(true | false)
        return settled, true[settled]
    if kind not in ("id", "int", "text"):
        return none
    everywhere = np.arange(len(cells))
    if kind == "id" and _plain_ids(cells):  # no cell empty or wrong: the usual case
        return everywhere, cells.copy()  # not the raw table's own array
    if kind == "int":
        with suppress(ValueError, OverflowError):  # first all cells, none empty
            return _whole_numbers(everywhere, cells.astype(np.int64), column)
    positions = np.flatnonzero(cells != "")
    values = cells[positions]
    if kind == "id":  # a valid id holds no spacing: it is its stripped self
        if _plain_ids(values):  # those given are (some are missing)
            return positions, values
        valid = np.fromiter(
            (ID_PATTERN.match(v) is not None for v in values), dtype=bool, count=len(values)
        )
    elif kind == "int":
        try:  # int() takes what float() takes for a whole number, spacing around included
            return _whole_numbers(positions, values.astype(np.int64), column)
        except (ValueError, OverflowError):
            return none
    else:  # text
        if keep_spacing:
            valid = ~np.fromiter(map(str.isspace, values), dtype=bool, count=len(values))
        else:
            values = np.array([c.strip() for c in values], dtype=object)
            valid = values != ""
        if column.choices:
            valid &= pd.Series(values, dtype=object).isin(column.choices).to_numpy()
    return positions[valid], values[valid]


def _whole_numbers(
    positions: np.ndarray, numbers: np.ndarray, column: Column
) -> tuple[np.ndarray, np.ndarray]:
    """The numbers within the column's bounds (and exact as floats): (positions, numbers)."""
    valid = np.abs(numbers) <= _EXACT_INT
    if column.min_value is not None:
        valid &= numbers >= column.min_value
    if column.max_value is not None:
        valid &= numbers <= column.max_value
    return positions[valid], numbers[valid]


def _plain_ids(values: np.ndarray) -> bool:
    """Whether every value is a valid id (:data:`ID_PATTERN`) of ASCII characters, checked
    at once on the values joined by a character no id holds."""
    if not len(values):
        return True
    joined = "\x1f".join(values)
    if not joined.isascii() or not joined or joined.endswith("\x1f"):  # the last id empty
        return False
    encoded = joined.encode()
    if encoded.translate(None, _ID_BYTES) != b"\x1f" * (len(values) - 1):
        return False  # a character no id holds (or a separator within a value)
    # no id empty and none of dots only (for speed: none starting with a dot, those are
    # left to ID_PATTERN): the first character of each id is one an id may start with
    data = np.frombuffer(encoded, dtype=np.uint8)
    firsts = data[np.r_[0, np.flatnonzero(data == 0x1F) + 1]]
    return not np.isin(firsts, np.array([0x1F, ord(".")], dtype=np.uint8)).any()


def _parse_distinct(given: np.ndarray, column: Column) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """:func:`_parse_cell` for each cell, called once per distinct text: (the values, the
    positions of the cells in error, their messages)."""
    codes, texts = pd.factorize(given)
    parsed = [_parse_cell(text, column) for text in texts]
    values = np.empty(len(parsed), dtype=object)
    values[:] = [value for value, _ in parsed]
    is_error = np.array([error is not None for _, error in parsed], dtype=bool)
    failed = np.flatnonzero(is_error[codes])
    return values[codes], failed, [parsed[codes[i]][1] for i in failed]


def _assemble(
    n_rows: int,
    kind: str,
    settled: tuple[np.ndarray, np.ndarray],
    parsed: tuple[np.ndarray, np.ndarray],
) -> pd.api.extensions.ExtensionArray:
    """A column of ``kind``'s dtype from (positions, values) pairs, values given by
    :func:`_settle` and by :func:`_parse_cell` (``None``: missing); missing elsewhere."""
    (settled_at, settled_values), (parsed_at, parsed_values) = settled, parsed
    present = np.array([v is not None for v in parsed_values], dtype=bool)
    parsed_at, parsed_values = parsed_at[present], parsed_values[present]
    if kind not in ("id", "text", "idlist", "int", "score", "bool"):  # date, float
        objects = np.full(n_rows, None, dtype=object)
        objects[settled_at] = settled_values
        objects[parsed_at] = parsed_values
        return _from_objects(objects, kind)
    if len(settled_at) == n_rows:  # the usual case (and an empty table)
        values, missing = settled_values, np.zeros(n_rows, dtype=bool)
        if kind == "bool":
            values = np.asarray(values, dtype=bool)
        elif kind in ("int", "score"):
            values = np.asarray(values, dtype=np.int64)
    else:
        if kind == "bool":
            values = np.zeros(n_rows, dtype=bool)
        elif kind in ("int", "score"):
            values = np.zeros(n_rows, dtype=np.int64)
        else:  # text: "" holds the place of a missing value (faster than None, see below)
            values = np.full(n_rows, "", dtype=object)
        missing = np.ones(n_rows, dtype=bool)
        values[settled_at] = settled_values
        values[parsed_at] = parsed_values
        missing[settled_at] = False
        missing[parsed_at] = False
    if kind == "bool":
        return pd.arrays.BooleanArray(values, missing)
    if kind in ("int", "score"):
        return pd.arrays.IntegerArray(values, missing)
    strings = pd.array(values, dtype="string", copy=False)  # values: an array of our own
    if missing.any():
        strings[missing] = pd.NA
    return strings


def _from_objects(values: np.ndarray, kind: str) -> pd.api.extensions.ExtensionArray:
    """Python values (``None`` for missing) as a column of ``kind``'s dtype."""
    series = pd.Series(values, dtype=object)
    if kind == "date":
        return pd.to_datetime(series).array
    return series.astype(DTYPES[kind]).array


def _row_numbers(raw: RawTable, positions: np.ndarray) -> list[int]:
    """The spreadsheet row of each data row at ``positions`` (see RawTable.row_number)."""
    if raw.rows is None:
        return [int(i) + 2 for i in positions]
    return [raw.rows[i] for i in positions]


def _objects(column: pd.Series) -> np.ndarray:
    """A column's values as Python objects, ``None`` where missing."""
    return column.to_numpy(dtype=object, na_value=None)


def _key_codes(columns: list[pd.Series]) -> np.ndarray:
    """One integer per row, the same for rows equal in every column; -1 where one is
    missing."""
    codes = np.zeros(len(columns[0]), dtype=np.int64)
    missing = np.zeros(len(columns[0]), dtype=bool)
    for column in columns:
        column_codes, uniques = pd.factorize(column)  # -1: missing
        missing |= column_codes < 0
        if len(codes) and (int(codes.max()) + 1) * (len(uniques) + 1) >= 2**62:
            codes, _ = pd.factorize(codes)  # renumbered densely: the product fits again
        codes = codes * (len(uniques) + 1) + column_codes + 1
    codes[missing] = -1
    return codes


def _strictly_increasing(columns: list[pd.Series]) -> bool:
    """Whether every row, all parts given, comes after the one before it (compared as
    tuples): then no two are equal. Tables are usually sorted by their key."""
    pairs = None  # positions i of the row pairs (i, i + 1) equal in the columns so far
    for column in columns:
        values = np.asarray(column.array, dtype=object)
        if pairs is None:
            before, after = values[:-1], values[1:]
        else:
            before, after = values[pairs], values[pairs + 1]
        try:
            if (after < before).any():
                return False
            equal = after == before
        except TypeError:  # a missing part (NA) compared: left to the full check
            return False
        pairs = np.flatnonzero(equal) if pairs is None else pairs[equal]
        if not len(pairs):
            return True
    return False


def _check_key(raw: RawTable, table: Table, frame: pd.DataFrame, problems: list[Problem]) -> None:
    """Each row whose key (all parts given) an earlier row has, with that row."""
    columns = [frame[c] for c in table.key]
    if _strictly_increasing(columns):
        return
    codes = _key_codes(columns)
    complete = np.flatnonzero(codes >= 0)
    codes = codes[complete]
    duplicates = np.flatnonzero(pd.Series(codes).duplicated(keep="first").to_numpy())
    if not len(duplicates):
        return
    keys, first_at = np.unique(codes, return_index=True)
    at = complete[duplicates]
    first = complete[first_at[np.searchsorted(keys, codes[duplicates])]]
    values = [np.asarray(column.array[at], dtype=object) for column in columns]
    for i, (row, first_row) in enumerate(
        zip(_row_numbers(raw, at), _row_numbers(raw, first), strict=True)
    ):
        shown = ", ".join(f"{c}={v[i]}" for c, v in zip(table.key, values, strict=True))
        problems.append(
            Problem(
                raw.source,
                row,
                table.key[-1],
                f"duplicate key ({shown}); first given in row {first_row}",
            )
        )


def _unknown(values: pd.Series, known: pd.Series) -> np.ndarray:
    """Positions of the values (missing ones aside) that are not among ``known``."""
    given = np.asarray(values.array, dtype=object)  # NA: missing
    # a value repeated in the rows after it (a sorted column) is looked up once
    try:
        new = np.r_[True, given[1:] != given[:-1]] if len(given) else np.zeros(0, dtype=bool)
    except TypeError:  # a missing value (NA) compared: each row on its own
        new = np.ones(len(given), dtype=bool)
    known = np.asarray(known.array, dtype=object)
    codes, _ = pd.factorize(np.concatenate([known, given[new]]))
    # numbered in order of first appearance: the known values come first
    n_known = int(codes[: len(known)].max()) + 1 if len(known) else 0
    unknown_run = codes[len(known) :] >= n_known
    return np.flatnonzero(unknown_run[np.cumsum(new) - 1])


def _lookup(
    keys: pd.Series, table_keys: pd.Series, table_values: pd.Series
) -> tuple[np.ndarray, np.ndarray]:
    """``dict(zip(table_keys, table_values))`` looked up for every key, vectorised: (the
    values, ``None`` where missing; whether the key is there). The last row of a key given
    twice wins; a missing key finds a missing one, as ``None`` does in a dict."""
    rows = table_keys.isin(pd.unique(keys.dropna())).to_numpy(dtype=bool)
    if keys.isna().any():
        rows = rows | table_keys.isna().to_numpy(dtype=bool)
    table_keys, table_values = table_keys[rows], _objects(table_values[rows])
    both = [np.asarray(c.array, dtype=object) for c in (table_keys, keys)]
    codes = pd.factorize(np.concatenate(both))[0] + 1  # 0: missing, as a key of its own
    in_table, wanted = codes[: len(table_keys)], codes[len(table_keys) :]
    # where each key is last given: first found in the reversed table
    found, first_reversed = np.unique(in_table[::-1], return_index=True)
    at = np.full(len(codes) + 1, -1)
    at[found] = len(in_table) - 1 - first_reversed
    where = at[wanted]
    return np.append(table_values, None)[where], where >= 0


def _located(
    raw: RawTable, positions, column: str, messages, severity: str = "error"
) -> list[tuple[int, Problem]]:
    """(position, Problem) pairs for the data rows at ``positions`` of ``raw``."""
    rows = _row_numbers(raw, positions)
    return [
        (int(i), Problem(raw.source, row, column, message, severity))
        for i, row, message in zip(positions, rows, messages, strict=True)
    ]


def _in_row_order(found: list[tuple[int, Problem]]) -> list[Problem]:
    """The problems a check found, in the order of their rows; those of one row in the
    order found (the order a loop over the rows gave them)."""
    return [problem for _, problem in sorted(found, key=lambda item: item[0])]


def _check_references(
    raws: dict[str, RawTable], frames: dict[str, pd.DataFrame], problems: list[Problem]
) -> None:
    for name, table in TABLES.items():
        frame = frames[name]
        for column, (target, target_column) in table.references.items():
            values = frame[column]
            wrong = _unknown(values, frames[target][target_column])
            problems += _in_row_order(
                _located(
                    raws[name],
                    wrong,
                    column,
                    [
                        f"'{value}' is not a {target_column} in {raws[target].source}"
                        for value in np.asarray(values.array[wrong], dtype=object)
                    ],
                )
            )


def check_dataset(
    raws: dict[str, RawTable], codebook: Codebook
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Type every table and check it against the contract, the codebook and the other tables.

    Returns:
        The typed tables (by name) and every problem found, errors and warnings.
    """
    problems: list[Problem] = []
    frames = {name: type_table(raws[name], TABLES[name], problems) for name in TABLES}
    if frames["teams"].empty:
        problems.append(
            Problem(raws["teams"].source, None, None, "has no rows: at least one team is needed")
        )
    _check_references(raws, frames, problems)
    # each check's problems in the order of its rows, as a loop over them gave them
    for check in (
        _actor_types_problems,
        _pseudonyms_problems,
        _documents_problems,
        _respondents_problems,
        _segments_problems,
        _codings_problems,
        _ratings_problems,
    ):
        problems += _in_row_order(check(frames, codebook, raws))
    problems += _consensus_problems(frames["ratings"], raws)
    problems.extend(unassigned_problems(codebook))
    return frames, problems


def _actor_types_problems(frames, codebook: Codebook, raws) -> list[tuple[int, Problem]]:
    """Actor types come from the codebook attribute; an extra one is flagged."""
    if "actor_type" not in codebook or not codebook.values_of("actor_type"):
        return []
    types = frames["actors"]["actor_type"]
    allowed = set(codebook.values_of("actor_type"))
    extra = np.flatnonzero((types.notna() & ~types.isin(allowed)).to_numpy(dtype=bool))
    return _located(
        raws["actors"],
        extra,
        "actor_type",
        [
            f"'{v}' is not a codebook actor_type (allowed as an extra)"
            for v in _objects(types)[extra]
        ],
        "warning",
    )


def _pseudonyms_problems(frames, codebook: Codebook, raws) -> list[tuple[int, Problem]]:
    """A pseudonym names one actor."""
    pseudonyms = frames["actors"]["pseudonym"]
    again = np.flatnonzero(
        (pseudonyms.duplicated(keep="first") & pseudonyms.notna()).to_numpy(dtype=bool)
    )
    return _located(
        raws["actors"],
        again,
        "pseudonym",
        [f"pseudonym '{v}' is used by another actor" for v in _objects(pseudonyms)[again]],
    )


def _documents_problems(frames, codebook: Codebook, raws) -> list[tuple[int, Problem]]:
    """Interviews need a respondent, of the same team."""
    documents, respondents, raw = frames["documents"], frames["respondents"], raws["documents"]
    respondent = documents["respondent_id"]
    teams = _objects(documents["team_id"])
    interview = (documents["kind"] == "interview").fillna(False).to_numpy(dtype=bool)
    needs = np.flatnonzero(interview & respondent.isna().to_numpy(dtype=bool))
    found = _located(
        raw, needs, "respondent_id", ["an interview needs a respondent_id"] * len(needs)
    )
    # as dict(zip(respondent_id, team_id)).get(respondent_id), a missing id included
    their_team, _ = _lookup(respondent, respondents["respondent_id"], respondents["team_id"])
    other = np.flatnonzero(pd.notna(their_team) & pd.notna(teams) & (their_team != teams))
    names = _objects(respondent)
    return found + _located(
        raw,
        other,
        "respondent_id",
        [f"respondent '{names[i]}' belongs to team {their_team[i]}, not {teams[i]}" for i in other],
    )


def _respondents_problems(frames, codebook: Codebook, raws) -> list[tuple[int, Problem]]:
    """Respondents speak for an actor of their own team."""
    respondents, memberships = frames["respondents"], frames["memberships"]
    members = pd.MultiIndex.from_arrays(
        [_objects(memberships["team_id"]), _objects(memberships["actor_id"])]
    )
    pairs = pd.MultiIndex.from_arrays(
        [_objects(respondents["team_id"]), _objects(respondents["actor_id"])]
    )
    given = (respondents["team_id"].notna() & respondents["actor_id"].notna()).to_numpy(dtype=bool)
    outside = np.flatnonzero(given & ~pairs.isin(members))
    return _located(
        raws["respondents"],
        outside,
        "actor_id",
        [f"actor '{actor}' is not a member of team {team}" for team, actor in pairs[outside]],
        "warning",
    )


def _segments_problems(frames, codebook: Codebook, raws) -> list[tuple[int, Problem]]:
    """A segment ends after it starts."""
    start, end = frames["segments"]["start"], frames["segments"]["end"]
    before = np.flatnonzero((end <= start).fillna(False).to_numpy(dtype=bool))
    return _located(
        raws["segments"],
        before,
        "end",
        [
            f"end {e} is not after start {s}"
            for s, e in zip(start.iloc[before], end.iloc[before], strict=True)
        ],
    )


def _codings_problems(frames, codebook: Codebook, raws) -> list[tuple[int, Problem]]:
    """Each coding's code exists at segment level and its value is allowed (at most one
    problem per coding)."""
    codings, raw = frames["codings"], raws["codings"]
    code_at, code_ids = pd.factorize(codings["code_id"])  # -1: no code (not checked here)
    code_ids = np.asarray(code_ids, dtype=object)
    codes = [codebook.codes.get(c) for c in code_ids]

    def per_code(flags: list[bool]) -> np.ndarray:
        return np.array([*flags, False], dtype=bool)[code_at]  # code_at -1: the last, False

    def ids(mask: np.ndarray) -> np.ndarray:
        return code_ids[code_at[mask]]

    value = codings["value"]

    def values(mask: np.ndarray) -> np.ndarray:
        return np.asarray(value.array[mask], dtype=object)

    unknown = per_code([c is None for c in codes])
    other_level = per_code([c is not None and c.level != "segment" for c in codes])
    segment_code = per_code([c is not None and c.level == "segment" for c in codes])
    with_values = segment_code & per_code([c is not None and bool(c.values) for c in codes])
    has_value = value.notna().to_numpy(dtype=bool)
    # a value is allowed when (code, value) is one of the codebook's pairs
    checked = with_values & has_value
    value_at, texts = pd.factorize(values(checked))
    text_index = {t: i for i, t in enumerate(texts)}
    allowed = [
        k * len(texts) + text_index[v]
        for k, c in enumerate(codes)
        if c is not None
        for v in c.values
        if v in text_index
    ]
    wrong = np.zeros(len(codings), dtype=bool)
    wrong[checked] = ~np.isin(code_at[checked] * len(texts) + value_at, allowed)
    needs = with_values & ~has_value
    ignored = segment_code & ~with_values & has_value

    found = _located(
        raw,
        np.flatnonzero(unknown),
        "code_id",
        [f"unknown code '{c}' (not in codebook.yml)" for c in ids(unknown)],
    )
    found += _located(
        raw,
        np.flatnonzero(other_level),
        "code_id",
        [f"code '{c}' is a {codebook[c].level}, not a segment code" for c in ids(other_level)],
    )
    found += _located(
        raw,
        np.flatnonzero(needs),
        "value",
        [f"code '{c}' needs a value: one of {', '.join(codebook[c].values)}" for c in ids(needs)],
    )
    found += _located(
        raw,
        np.flatnonzero(wrong),
        "value",
        [
            f"'{v}' is not a value of '{c}' ({', '.join(codebook[c].values)})"
            for c, v in zip(ids(wrong), values(wrong), strict=True)
        ],
    )
    return found + _located(
        raw,
        np.flatnonzero(ignored),
        "value",
        [
            f"code '{c}' takes no value; '{v}' ignored"
            for c, v in zip(ids(ignored), values(ignored), strict=True)
        ],
        "warning",
    )


def _ratings_problems(frames, codebook: Codebook, raws) -> list[tuple[int, Problem]]:
    """A rating's factor exists and is rateable; its evidence exists and is of the same
    team. Per rating the factor's problem first, then the evidence's, in the order cited."""
    ratings, segments, documents = frames["ratings"], frames["segments"], frames["documents"]
    raw = raws["ratings"]
    factor_at, factor_ids = pd.factorize(ratings["factor_id"])
    unknown = np.array([f not in codebook for f in factor_ids] + [False])[factor_at]
    unrated = np.array(
        [f in codebook and not codebook[f].is_rateable for f in factor_ids] + [False]
    )[factor_at]
    factors = _objects(ratings["factor_id"])
    found = _located(
        raw,
        np.flatnonzero(unknown),
        "factor_id",
        [f"unknown factor '{f}' (not in codebook.yml)" for f in factors[unknown]],
    )
    found += _located(
        raw,
        np.flatnonzero(unrated),
        "factor_id",
        [f"'{f}' is not rated per team (level {codebook[f].level})" for f in factors[unrated]],
    )
    # one row per segment cited, in the order cited
    cited = ratings["evidence"].dropna().str.split(";").explode()
    cited = cited[cited != ""]
    at = cited.index.to_numpy(dtype=np.int64)
    # as {segment_id: document's team} (the last given wins), a missing id included
    document, is_segment = _lookup(cited, segments["segment_id"], segments["document_id"])
    team, _ = _lookup(
        pd.Series(document, dtype=object), documents["document_id"], documents["team_id"]
    )
    segment_ids = _objects(cited)
    rating_team = _objects(ratings["team_id"])[at]
    missing = np.flatnonzero(~is_segment)
    other = np.flatnonzero(
        is_segment & pd.notna(team) & pd.notna(rating_team) & (team != rating_team)
    )
    evidence = _located(
        raw,
        at[missing],
        "evidence",
        [
            f"evidence segment '{s}' is not in {raws['segments'].source}"
            for s in segment_ids[missing]
        ],
    )
    evidence += _located(
        raw,
        at[other],
        "evidence",
        [
            f"evidence segment '{segment_ids[i]}' is from team {team[i]}, not {rating_team[i]}"
            for i in other
        ],
    )
    order = np.argsort(np.r_[missing, other], kind="stable")  # as cited
    return found + [evidence[i] for i in order]


def _consensus_problems(ratings: pd.DataFrame, raws: dict[str, RawTable]) -> list[Problem]:
    """A team's factor rated by several raters needs their consensus; in the order of
    (team, factor) as text, a missing one shown as None."""
    team_at, teams = pd.factorize(ratings["team_id"])
    factor_at, factors = pd.factorize(ratings["factor_id"])
    rater_at, _ = pd.factorize(ratings["rater_id"])  # a missing rater counts as one
    group = (team_at + 1) * (len(factors) + 1) + factor_at + 1
    pairs = pd.DataFrame({"group": group, "rater": rater_at}).drop_duplicates()
    n_raters = pairs.groupby("group").size()
    consensus = set(group[_objects(ratings["rater_id"]) == CONSENSUS_RATER])
    flagged = [g for g, n in n_raters.items() if n > 1 and g not in consensus]
    team_names = [*_objects(pd.Series(teams)), None]  # index -1: missing
    factor_names = [*_objects(pd.Series(factors)), None]
    keys = sorted(
        (
            (team_names[g // (len(factors) + 1) - 1], factor_names[g % (len(factors) + 1) - 1])
            for g in flagged
        ),
        key=str,
    )
    return [
        Problem(
            raws["ratings"].source,
            None,
            "rater_id",
            f"team {team}, factor {factor}: raters but no {CONSENSUS_RATER} consensus",
            "warning",
        )
        for team, factor in keys
    ]


UNASSIGNED_SHOWN = 5  # ids named in the warning; the rest are counted


def unassigned_problems(codebook: Codebook) -> list[Problem]:
    """One warning when codes sit in the 'unassigned' group, naming the first few."""
    codes = codebook.unassigned
    if not codes:
        return []
    shown = ", ".join(codes[:UNASSIGNED_SHOWN]) + (", …" if len(codes) > UNASSIGNED_SHOWN else "")
    message = (
        f"{len(codes)} code(s) are not assigned to a factor (group '{UNASSIGNED}' in "
        f"{codebook.source}): {shown}; move them under a factor (parent) or map them in the "
        "import mapping's `factors:` section"
    )
    line = codebook[UNASSIGNED].line
    return [Problem(codebook.source, line, "parent", message, "warning")]
