"""Reading raw tables (CSV in either Excel dialect, or one workbook) and writing outputs.

Raw tables are read as text, cell by cell, so that ids keep their exact spelling (``T01``,
``007``); typing and checking happen in :mod:`botu.validate`. Outputs are written atomically:
a half-written file never carries a final name.
"""

from __future__ import annotations

import csv
import errno
import functools
import io
import json
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from botu.csvfile import fast_to_csv
from botu.errors import InputError, Problem
from botu.keys import file_sha256, files_digest, raw_checksums  # noqa: F401 (re-exported)
from botu.schema import TABLE_ORDER

WORKBOOK_NAME = "botu.xlsx"
CODEBOOK_NAME = "codebook.yml"
# Raw inputs larger than this are refused before parsing (a safety bound, not a data limit).
MAX_RAW_BYTES = 200 * 1024 * 1024
MAX_YAML_BYTES = 5 * 1024 * 1024  # a codebook or mapping: text a person writes
# Excel's own limit on a cell: a longer one could not reach the researchers' workbook whole
MAX_CELL_CHARS = 32_767
# control characters no table cell should hold (tab and line breaks are text)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class RawTable:
    """A table as read from disk: every cell a string ('' = empty), with its origin."""

    name: str
    frame: pd.DataFrame
    source: str  # what messages call the file, e.g. "segments.csv" or "botu.xlsx[segments]"
    path: Path
    # the spreadsheet row of each data row (blank rows are skipped but still counted)
    rows: list[int] | None = None

    def row_number(self, index: int) -> int:
        """The row a spreadsheet shows for data row ``index`` (header is row 1)."""
        return self.rows[index] if self.rows is not None else index + 2


# the first bytes of files that are not text: a workbook (or other ZIP), an old .xls, a PDF
_NOT_TEXT = {
    b"PK\x03\x04": "a workbook or ZIP archive",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) or Word file",
    b"%PDF": "a PDF",
}


def _decode(data: bytes, label: str) -> str:
    """The text of a table: UTF-8 (with or without BOM), or UTF-16 with its BOM (Excel's
    'Unicode text')."""
    for magic, what in _NOT_TEXT.items():
        if data.startswith(magic):
            raise InputError(
                Problem(
                    label,
                    None,
                    None,
                    f"is {what}, not CSV text; save the table as 'CSV UTF-8' (a workbook "
                    f"goes in as {WORKBOOK_NAME})",
                )
            )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(
                Problem(
                    label, None, None, "starts as UTF-16 text but is not; save it as 'CSV UTF-8'"
                )
            ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            Problem(
                label,
                None,
                None,
                f"is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}); "
                "save it as 'CSV UTF-8' from Excel",
            )
        ) from None


def _sniff_delimiter(text: str) -> str:
    """Comma, semicolon (Excel with a decimal comma) or tab (Excel's 'Unicode text'): the
    one the header row holds most of."""
    end = text.find("\n")
    header = text if end < 0 else text[:end]  # not split(): the rest may be 100 MB
    return max((",", ";", "\t"), key=header.count)


def check_input_file(path: Path, study: Path | None = None, max_bytes: int = MAX_RAW_BYTES) -> int:
    """Refuse an input that is not a regular file, too large, or a link leaving ``study``
    (the folder it should live in); return its size.

    Raises:
        InputError: naming the file and what to do instead.
    """
    path = Path(path)
    label = path.name
    if path.is_symlink() and not path.exists():
        raise InputError(
            Problem(
                label,
                None,
                None,
                f"is a link to {os.readlink(path)}, which does not exist (or links back to "
                "itself): copy the file itself here",
            )
        )
    if path.is_symlink() and study is not None:
        target = path.resolve()
        if not target.is_relative_to(Path(study).resolve()):
            raise InputError(
                Problem(
                    label,
                    None,
                    None,
                    f"is a link to {target}, outside the study: copy the file itself into "
                    f"{Path(study).name}/",
                )
            )
    try:
        info = path.stat()
    except OSError as exc:
        raise InputError(Problem(label, None, None, f"cannot be read ({exc.strerror})")) from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            Problem(label, None, None, "is not a regular file (a folder, device or pipe?)")
        )
    if info.st_size > max_bytes:
        raise InputError(
            Problem(
                label,
                None,
                None,
                f"is larger than {max_bytes // (1024 * 1024)} MB; refusing to read it",
            )
        )
    return info.st_size


def read_bounded(path: Path, max_bytes: int = MAX_RAW_BYTES) -> bytes:
    """The bytes of ``path``, at most ``max_bytes`` (a file that grows while read is refused)."""
    with open(path, "rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(Problem(Path(path).name, None, None, "grew beyond the size it had"))
    return data


def cell_problems(frame: pd.DataFrame, label: str, rows: list[int] | None = None) -> list[Problem]:
    """Cells no table should hold: control characters (a NUL, a vertical tab) and text
    longer than a spreadsheet cell takes."""
    problems = []
    for column in frame.columns:
        values = frame[column].astype(str)
        for index in np.flatnonzero(values.str.contains(_CONTROL)):
            char = _CONTROL.search(values.iloc[index]).group(0)
            problems.append(
                Problem(
                    label,
                    rows[index] if rows else index + 2,
                    str(column),
                    f"holds the control character U+{ord(char):04X}; remove it (often pasted "
                    "from a PDF or another program)",
                )
            )
        for index in np.flatnonzero(values.str.len() > MAX_CELL_CHARS):
            problems.append(
                Problem(
                    label,
                    rows[index] if rows else index + 2,
                    str(column),
                    f"holds {len(values.iloc[index]):,} characters, more than a spreadsheet "
                    f"cell takes ({MAX_CELL_CHARS:,}); split the segment",
                )
            )
    return problems


MAX_YAML_DEPTH = 40  # nesting of lists and mappings a codebook or mapping can need, and more

_YAML_OPEN = (
    yaml.BlockMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.FlowSequenceStartToken,
)
_YAML_CLOSE = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def refuse_unsafe_yaml(text: str, label: str) -> None:
    """Refuse anchors and aliases (PyYAML expands them without bound: a "billion laughs")
    and nesting deeper than :data:`MAX_YAML_DEPTH` (it would exhaust the parser's stack),
    before the text is parsed. Scanned by libyaml when PyYAML has it; text it finds wrong is
    scanned again by PyYAML's own scanner, whose messages name the character and place."""
    if _C_LOADER is not None:
        try:
            _refuse_unsafe_tokens(yaml.scan(text, Loader=_C_LOADER), label)
            return
        except yaml.YAMLError:
            pass
    try:
        _refuse_unsafe_tokens(yaml.scan(text), label)
    except yaml.YAMLError as exc:
        raise InputError(Problem(label, None, None, f"is not valid YAML ({exc})")) from None


def _refuse_unsafe_tokens(tokens: Iterable[Any], label: str) -> None:
    depth = 0
    for token in tokens:
        if isinstance(token, yaml.AliasToken | yaml.AnchorToken):
            raise InputError(
                Problem(
                    label,
                    token.start_mark.line + 1,
                    None,
                    "refused: YAML anchors and aliases are not accepted here",
                )
            )
        if isinstance(token, _YAML_OPEN):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise InputError(
                    Problem(
                        label,
                        token.start_mark.line + 1,
                        None,
                        f"refused: lists and mappings nested more than {MAX_YAML_DEPTH} deep",
                    )
                )
        elif isinstance(token, _YAML_CLOSE):
            depth -= 1


class _NoKeyTwice:
    """Refuse a key given twice in one mapping (PyYAML would keep the last without a word:
    a typo that silently drops a label or a rubric)."""

    def construct_mapping(self, node, deep=False):  # type: ignore[no-untyped-def]
        if isinstance(node, yaml.MappingNode):
            seen: dict[object, int] = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)  # type: ignore[attr-defined]
                try:
                    if key in seen:
                        raise yaml.constructor.ConstructorError(
                            None,
                            None,
                            f"'{key}' is given twice in one mapping (first on line {seen[key]})",
                            key_node.start_mark,
                        )
                    seen[key] = key_node.start_mark.line + 1
                except TypeError:  # an unhashable key: PyYAML says so below
                    continue
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc]


class StrictLoader(_NoKeyTwice, yaml.SafeLoader):
    """PyYAML's safe loader, refusing a key given twice in one mapping."""


_C_LOADER = getattr(yaml, "CSafeLoader", None)  # libyaml, when PyYAML was built with it


@functools.cache
def _on_libyaml(loader: type) -> type | None:
    """``loader`` (a :class:`StrictLoader`, made different only by its constructors) on
    libyaml: about ten times as fast. What it refuses is parsed again by ``loader`` itself,
    for its messages."""
    if _C_LOADER is None or not issubclass(loader, StrictLoader):
        return None
    return type(
        f"C{loader.__name__}",
        (_NoKeyTwice, _C_LOADER),
        {
            "yaml_constructors": dict(loader.yaml_constructors),
            "yaml_multi_constructors": dict(loader.yaml_multi_constructors),
        },
    )


def load_yaml(text: str, label: str, loader: type[yaml.SafeLoader] = StrictLoader) -> Any:
    """Parse YAML a person wrote: no anchors or aliases, bounded nesting, no key twice.

    Raises:
        InputError: naming ``label``, the line and what is wrong.
    """
    refuse_unsafe_yaml(text, label)
    fast = _on_libyaml(loader)
    if fast is not None:
        try:
            return yaml.load(text, Loader=fast)
        except yaml.YAMLError:
            pass
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise InputError(Problem(label, line, None, f"is not valid YAML: {reason}")) from None


def read_yaml_text(path: Path) -> str:
    """The text of a YAML file a person wrote (codebook, mapping): a regular file of at most
    ``MAX_YAML_BYTES``, UTF-8, without anchors or aliases.

    Raises:
        InputError: naming the file (and line) and what is wrong.
    """
    path = Path(path)
    check_input_file(path, max_bytes=MAX_YAML_BYTES)
    try:
        text = read_bounded(path, MAX_YAML_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            Problem(path.name, None, None, "is not UTF-8 text; save it as UTF-8 from your editor")
        ) from None
    refuse_unsafe_yaml(text, path.name)
    return text


def read_csv_table(path: Path, name: str | None = None) -> RawTable:
    """Read one CSV table as strings, comma- or semicolon-separated, with or without BOM.

    A plain file (the usual case) is parsed by pandas' C parser; any other goes through
    :mod:`csv`, which finds and locates what is wrong. Both give the same table.

    Raises:
        InputError: naming the file and row when the file is not UTF-8, has no header, or a
            row has a different number of fields than the header.
    """
    path = Path(path)
    label = path.name
    check_input_file(path, path.parent)
    data = read_bounded(path)
    text = None
    if data.startswith((*_NOT_TEXT, *_UTF16_BOMS)):
        text = _decode(data, label)  # refuses what is not text
        payload = text.encode("utf-8")
    else:
        payload = data[len(_UTF8_BOM) :] if data.startswith(_UTF8_BOM) else data
    plain = _read_plain_csv(payload)
    if plain is not None:
        cells, numbers = plain
        header = _header([c[0] for c in cells], label)
        frame = pd.DataFrame(
            {i: c[1:] for i, c in enumerate(cells)},
            index=pd.RangeIndex(len(cells[0]) - 1),
            dtype=object,
        )
        frame.columns = header
        return RawTable(name or path.stem, frame, label, path, numbers)
    if text is None:
        text = _decode(data, label)
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    problems: list[Problem] = []
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise InputError(
            Problem(label, reader.line_num, None, f"is not valid CSV: {exc}")
        ) from None
    # blank lines (Excel appends some) are skipped, but keep their place in the row numbers
    numbered = [(n, r) for n, r in enumerate(rows, start=1) if any(c.strip() for c in r)]
    if not numbered:
        raise InputError(Problem(label, None, None, "is empty: expected a header row"))
    rows = [r for _, r in numbered]
    header = _header(rows[0], label)
    for number, row in numbered[1:]:
        if len(row) != len(header):
            problems.append(
                Problem(
                    label,
                    number,
                    None,
                    f"has {len(row)} fields, the header has {len(header)} "
                    f"(separator '{delimiter}'; a quote or separator inside a cell?)",
                )
            )
    if problems:
        raise InputError(problems)
    frame = pd.DataFrame(rows[1:], columns=header, dtype=object)
    numbers = [n for n, _ in numbered[1:]]
    problems = cell_problems(frame, label, numbers)
    if problems:
        raise InputError(problems)
    return RawTable(name or path.stem, frame, label, path, numbers)


def _header(cells: list[str], label: str) -> list[str]:
    """The column names of a header row, stripped; refused when one is empty or repeated."""
    header = [h.strip() for h in cells]
    if any(not h for h in header):
        raise InputError(Problem(label, 1, None, "the header has an empty column name"))
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        raise InputError(
            Problem(label, 1, duplicates[0], "column name appears more than once in the header")
        )
    return header


_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _read_plain_csv(payload: bytes) -> tuple[list[np.ndarray], list[int] | None] | None:
    """Parse a plain CSV file (UTF-8, no BOM) with pandas' C parser: every column as an
    object array of strings, header first, and the row number of each data row kept (blank
    rows are left out; ``None`` when there are none: the numbers are then 2, 3, ...).

    Plain means that :mod:`csv` (``strict=True``) reads the same rows from it and that
    nothing in it needs reporting: valid UTF-8, no control character, no cell longer than
    a spreadsheet takes, quotes only around whole cells, every non-blank row as many fields
    as the header. For any other file ``None``: the exact reader then locates each problem,
    with the messages it always gave.
    """
    end = len(payload)
    while end and payload[end - 1] in b"\r\n":
        end -= 1
    if len(payload) - end > 1 and payload[end:] != b"\r\n":
        payload = payload[:end]  # blank lines at the end: skipped by either reader
    newline = payload.find(b"\n")
    first_line = payload if newline < 0 else payload[:newline]
    delimiter = max((",", ";", "\t"), key=lambda d: first_line.count(d.encode()))  # as _sniff
    if not end or payload.startswith(_UTF8_BOM):  # a second BOM: text to csv, not pandas
        return None
    layout = _plain_layout(payload, delimiter)
    if layout is None:
        return None
    n_rows, separators, longest_row, maybe_blank = layout
    try:
        frame = pd.read_csv(
            io.BytesIO(payload),
            sep=delimiter,
            header=None,
            index_col=False,
            dtype=object,
            na_filter=False,
            skip_blank_lines=False,
            quotechar='"',
            doublequote=True,
            escapechar=None,
            comment=None,
            skipinitialspace=False,
            encoding="utf-8",
            encoding_errors="strict",
            engine="c",
        )
    except (ValueError, pd.errors.ParserError, pd.errors.EmptyDataError):
        return None  # not UTF-8, or a row with more fields than the first
    cells = [frame[c].to_numpy(dtype=object) for c in frame.columns]
    if len(frame) != n_rows or separators != n_rows * (len(cells) - 1):
        return None  # a short row, a blank line (csv: no fields at all), a CR read otherwise
    if longest_row > MAX_CELL_CHARS and any(max(map(len, c)) > MAX_CELL_CHARS for c in cells):
        return None
    blank = _blank_rows(cells, maybe_blank)
    if blank[0]:
        return None  # a blank line before the header: the exact reader skips it
    if not blank.any():
        return cells, None  # the row numbers: 2, 3, ... (RawTable.row_number)
    kept = np.flatnonzero(~blank[1:]) + 1
    cells = [c[np.r_[0, kept]] for c in cells]
    return cells, (kept + 1).tolist()


def _plain_layout(payload: bytes, delimiter: str) -> tuple[int, int, int, np.ndarray] | None:
    """The rows of a CSV text as :mod:`csv` counts them, the separators between cells, the
    bytes in the longest row, and which rows may be blank (they start with a space, a
    separator, a quote, a line end or a byte of a non-ASCII character: others hold a
    character in their first cell); ``None`` when the text holds a control character
    (see ``_CONTROL``) or quotes that are not plain (see below).

    Plain quotes are those every reader takes alike: each '"' opens a cell (at its start),
    closes it (at its end) or is doubled inside it. Then a position is within a quoted cell
    exactly when an odd number of quotes precede it, and separators and line ends there
    are text. Not plain: a quote within an unquoted cell, or text after a closing quote
    (which ``csv`` refuses).
    """
    data = np.frombuffer(payload, dtype=np.uint8)
    low = np.flatnonzero(data < 0x20)  # line ends, tabs, and control characters
    low_kinds = data[low]
    if b"\x7f" in payload or not np.isin(low_kinds, (ord("\t"), ord("\n"), ord("\r"))).all():
        return None
    quotes = np.flatnonzero(data == ord('"')) if b'"' in payload else np.zeros(0, np.intp)
    if len(quotes) % 2:
        return None  # a quoted cell that never ends
    if len(quotes):
        ends = np.array([ord(delimiter), ord("\n"), ord("\r"), ord('"')], dtype=np.uint8)
        # counted from the start, the 1st, 3rd, ... quote opens a cell or is the second of
        # a doubled one: after a separator, a line end, the start of the file or a quote
        opening = quotes[0::2]
        before = data[np.maximum(opening - 1, 0)]
        if not np.all(np.isin(before, ends) | (opening == 0)):
            return None
        # the 2nd, 4th, ... closes a cell or is the first of a doubled one: before a
        # separator, a line end, the end of the file or a quote
        closing = quotes[1::2]
        after = data[np.minimum(closing + 1, len(data) - 1)]
        if not np.all(np.isin(after, ends) | (closing == len(data) - 1)):
            return None

    def outside(positions: np.ndarray) -> np.ndarray:
        if not len(quotes):
            return positions
        return positions[np.searchsorted(quotes, positions) % 2 == 0]

    line_ends = outside(low[low_kinds == ord("\n")])
    if b"\r" in payload:  # a CR alone ends a row too (CR LF once, at its LF)
        cr = low[low_kinds == ord("\r")]
        after = data[np.minimum(cr + 1, len(data) - 1)]
        cr = cr[(after != ord("\n")) | (cr == len(data) - 1)]
        line_ends = np.sort(np.concatenate([line_ends, outside(cr)]))
    bounds = np.concatenate([[-1], line_ends, [len(data)]])
    longest_row = int(np.diff(bounds).max()) - 1
    n_rows = len(line_ends) + (0 if payload.endswith((b"\n", b"\r")) else 1)
    starts = bounds[:n_rows] + 1
    first = data[np.minimum(starts, len(data) - 1)]
    maybe_blank = (
        np.isin(first, np.array([32, 9, 10, 13, ord(delimiter), ord('"')], dtype=np.uint8))
        | (first >= 0x80)
        | (starts >= len(data))
    )
    if len(quotes):  # less those within quoted cells: between an opening and its closing
        at = np.flatnonzero(data == ord(delimiter))
        within = np.searchsorted(at, quotes[1::2]) - np.searchsorted(at, quotes[0::2])
        separators = len(at) - int(within.sum())
    else:
        separators = payload.count(delimiter.encode())
    return n_rows, separators, longest_row, maybe_blank


def _blank_rows(cells: list[np.ndarray], maybe_blank: np.ndarray) -> np.ndarray:
    """Rows whose every cell is empty or whitespace, among the rows ``maybe_blank``."""
    blank = maybe_blank.copy()
    for column in cells:
        candidates = np.flatnonzero(blank)
        if not len(candidates):
            break
        blank[candidates] = [not c.strip() for c in column[candidates]]
    return blank


def _cell_to_str(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def read_workbook(path: Path) -> dict[str, RawTable]:
    """Read every sheet of a workbook as a raw table named after the sheet."""
    from openpyxl import load_workbook

    path = Path(path)
    check_input_file(path, path.parent)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise InputError(
            Problem(path.name, None, None, f"cannot be read as an Excel workbook ({exc})")
        ) from None
    tables: dict[str, RawTable] = {}
    try:
        for sheet in book.worksheets:
            cells = [[_cell_to_str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            numbered = [(n, r) for n, r in enumerate(cells, start=1) if any(c.strip() for c in r)]
            rows = [r for _, r in numbered]
            label = f"{path.name}[{sheet.title}]"
            if not rows:
                continue
            header = [h.strip() for h in rows[0]]
            while header and not header[-1]:
                header.pop()
            if any(not h for h in header):
                raise InputError(Problem(label, 1, None, "the header has an empty column name"))
            body = [(r + [""] * len(header))[: len(header)] for r in rows[1:]]
            frame = pd.DataFrame(body, columns=header, dtype=object)
            numbers = [n for n, _ in numbered[1:]]
            problems = cell_problems(frame, label, numbers)
            if problems:
                raise InputError(problems)
            tables[sheet.title] = RawTable(sheet.title, frame, label, path, numbers)
    finally:
        book.close()
    _refuse_formulas_without_values(path)
    return tables


def _refuse_formulas_without_values(path: Path) -> None:
    """A formula whose result the file does not hold (saved by a program that does not
    compute, or never opened in Excel) would read as an empty cell: refuse it instead."""
    from openpyxl import load_workbook

    formulas = load_workbook(path, read_only=True, data_only=False)
    values = load_workbook(path, read_only=True, data_only=True)
    problems: list[Problem] = []
    try:
        for sheet in formulas.worksheets:
            computed = values[sheet.title].iter_rows(values_only=True)
            for row_number, (row, results) in enumerate(
                zip(sheet.iter_rows(values_only=True), computed, strict=False), start=1
            ):
                for column, (cell, result) in enumerate(zip(row, results, strict=False), start=1):
                    if isinstance(cell, str) and cell.startswith("=") and result is None:
                        problems.append(
                            Problem(
                                f"{path.name}[{sheet.title}]",
                                row_number,
                                _column_letter(column),
                                f"holds the formula {cell[:40]} without its result; open and "
                                "save the workbook in Excel or LibreOffice, or type the value",
                            )
                        )
    finally:
        formulas.close()
        values.close()
    if problems:
        raise InputError(problems)


def _column_letter(number: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(number)


def missing_raw_folder(raw_dir: Path) -> Problem:
    """What to say when ``raw_dir`` is not a folder."""
    raw_dir = Path(raw_dir)
    if raw_dir.exists() or raw_dir.is_symlink():
        what = "is not a folder (a file, or a broken link?)"
    else:
        what = "raw data folder does not exist"
    return Problem(str(raw_dir), None, None, what)


def read_raw_tables(raw_dir: Path) -> dict[str, RawTable]:
    """Read every known table from ``raw_dir`` (CSV files and/or one workbook).

    The CSV files are read side by side in threads (pandas' parser and numpy mostly run
    without holding the GIL); what is found is reported in the order of the tables.

    Raises:
        InputError: a table is missing, given twice (CSV and sheet), or unreadable.
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise InputError(missing_raw_folder(raw_dir))
    tables: dict[str, RawTable] = {}
    problems: list[Problem] = []
    workbook = raw_dir / WORKBOOK_NAME
    sheets = read_workbook(workbook) if workbook.exists() else {}
    paths = {name: raw_dir / f"{name}.csv" for name in TABLE_ORDER}
    # a broken link counts as given: reading it says so
    given = {name for name, path in paths.items() if path.exists() or path.is_symlink()}
    pool = ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1))
    try:
        reading = {
            name: pool.submit(read_csv_table, paths[name], name)
            for name in TABLE_ORDER
            if name in given and name not in sheets
        }
        for name in TABLE_ORDER:
            if name in given and name in sheets:
                problems.append(
                    Problem(
                        paths[name].name,
                        None,
                        None,
                        f"table '{name}' is also a sheet of {WORKBOOK_NAME}; keep only one",
                    )
                )
            elif name in reading:
                try:
                    tables[name] = reading[name].result()
                except InputError as exc:
                    problems.extend(exc.problems)
            elif name in sheets:
                tables[name] = sheets[name]
            else:
                problems.append(
                    Problem(
                        f"{name}.csv",
                        None,
                        None,
                        f"table '{name}' is missing: expected {name}.csv or a sheet '{name}' "
                        f"in {WORKBOOK_NAME}",
                    )
                )
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    if problems:
        raise InputError(problems)
    return tables


# --- writing ---------------------------------------------------------------------------


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def make_shareable(path: Path) -> Path:
    """Give a file or folder made by ``tempfile`` (mode 0600/0700) the usual permissions.

    Outputs are meant to be read by others (a web server, a colleague): mode as if created
    with ``open()``/``mkdir()`` under the current umask.
    """
    base = 0o777 if Path(path).is_dir() else 0o666
    os.chmod(path, base & ~_umask())
    return path


# what to do when the system refuses a write, by its reason
_WRITE_ADVICE = {
    errno.ENOSPC: "the disk is full; free some space and run again",
    errno.EDQUOT: "the disk quota is used up; free some space and run again",
    errno.EFBIG: "the file is larger than this system lets a program write (see `ulimit -f`); "
    "raise the limit and run again",
    errno.EROFS: "the file system is read-only; work on a copy of the study that can be written",
    errno.EACCES: "permission denied; make the folder writable for you, or work on a copy",
    errno.EPERM: "the system does not allow it (an immutable or protected file?); "
    "make it writable, or work on a copy",
}


def write_problem(exc: OSError, target: Path, staging: Path | None = None) -> Problem:
    """The message for a write the system refused: the file it concerns (``target`` when the
    error names none; a file in ``staging`` under its final name in ``target``), the reason
    and what to do."""
    name = Path(exc.filename) if exc.filename else Path(target)
    if staging is not None and name.is_relative_to(staging):
        name = Path(target) / name.relative_to(staging)
    reason = (exc.strerror or str(exc) or type(exc).__name__).rstrip(".")
    advice = _WRITE_ADVICE.get(exc.errno or 0)
    message = f"cannot be written: {advice}" if advice else f"cannot be written ({reason})"
    if advice and reason.lower() not in advice.lower():
        message += f" ({reason})"
    return Problem(str(name), None, None, message)


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it into place only on success. A
    write the system refuses (disk full, file too large, ...) names ``target``."""
    target = Path(target)
    if target.is_dir():
        raise InputError(Problem(str(target), None, None, "is a folder; give a file name"))
    tmp_path = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        os.close(fd)
        tmp_path = Path(tmp)
        yield tmp_path
        make_shareable(tmp_path)
        os.replace(tmp_path, target)
    except OSError as exc:
        if not exc.filename or (tmp_path is not None and Path(exc.filename) == tmp_path):
            exc.filename = str(target)  # the message names the file meant, not its .part
        raise
    finally:
        if tmp_path is not None and tmp_path.exists():
            tmp_path.unlink()


# a text cell starting with one of these is a formula to Excel and LibreOffice
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert_cell(value: object) -> object:
    """A text cell a spreadsheet will not run: ``'`` before a leading ``= + - @``, tab or CR."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _live_cell(value: object) -> object:
    """The cell as it was before :func:`_inert_cell`."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in FORMULA_START:
        return value[1:]
    return value


def write_csv(frame: pd.DataFrame, target: Path) -> Path:
    """Write a table as UTF-8 CSV with ``\\n`` line ends (deterministic bytes); a text cell
    a spreadsheet would read as a formula gets a leading ``'`` (which :func:`read_processed`
    takes off again)."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        if isinstance(values.dtype, pd.StringDtype):  # text or missing: first characters in C
            first = values.to_numpy(dtype=object, na_value="").astype("U1")
            live = np.isin(first, FORMULA_START)
        else:
            try:  # cells that are text (anything else: False)
                live = values.str.startswith(FORMULA_START, na=False).to_numpy(dtype=bool)
            except AttributeError:  # not one text cell
                continue
        if live.any():  # only these cells change
            out[column] = values.astype(object)
            out.loc[live, column] = "'" + values[live].astype(str)
    with atomic_path(target) as tmp:
        fast_to_csv(out, tmp)  # the bytes of to_csv(index=False, lineterminator="\n")
    return target


def write_json(data: object, target: Path) -> Path:
    """Write JSON with sorted keys and a trailing newline (deterministic bytes)."""
    with atomic_path(target) as tmp:
        tmp.write_text(
            json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
    return target


FIXED_TIMESTAMP = datetime(2028, 1, 1)
# a workbook's width of a column, in characters: fitted to the content within these bounds
MIN_WIDTH, MAX_WIDTH = 6, 60
# digits kept in a float cell: enough for any analysis, and 1 - 0.9 - 0.1 becomes 0
FLOAT_DIGITS = 10


def _width(longest: int, header: str) -> float:
    """Characters a column needs to show its header and its longest value (bounded)."""
    return float(min(max(len(header), longest, MIN_WIDTH - 2) + 2, MAX_WIDTH))


def _part_names(title: str, parts: int, taken: set[str]) -> list[str]:
    """Sheet names of a table in ``parts`` sheets: its own, then ``title (2)``, ``title (3)``
    … (≤ 31 characters, unique case-insensitively among ``taken``, which grows)."""
    from botu.labels import MAX_SHEET_NAME

    names, number = [title], 1
    while len(names) < parts:
        number += 1
        suffix = f" ({number})"
        name = title[: MAX_SHEET_NAME - len(suffix)] + suffix
        if name.casefold() not in taken:
            taken.add(name.casefold())
            names.append(name)
    return names


def write_workbook(
    frames: dict[str, pd.DataFrame],
    target: Path,
    *,
    lang: str = "nl",
    codes: dict[str, str] | None = None,
    notes: list[str] | None = None,
) -> Path:
    """Write tables as one workbook for researchers, in ``lang`` (see :mod:`botu.labels`).

    First an about sheet (``notes``, then every sheet and column with its meaning), then a
    sheet per table: sheet names and headers from the catalogue, cell values as in the CSV
    files (booleans as yes/no words, floats rounded to :data:`FLOAT_DIGITS`, NA empty, text
    never a formula), the header row frozen, a filter over the data, columns as wide as their
    content, shares as percentages and coefficients with three decimals. The bytes depend on
    the data only. Written by :mod:`botu.xlsx`, a column at a time.

    A table longer than a sheet holds (:data:`botu.xlsx.MAX_ROWS` with its header) goes on
    in continued sheets, ``name (2)``, ``name (3)`` …, each with the header, frozen and
    filtered; the about sheet says which rows of the CSV file each holds.

    ``codes`` names the codebook's codes (id → name) for columns that are codes.
    """
    from botu import labels, xlsx

    words = (labels.text("yes", lang), labels.text("no", lang))
    names = labels.sheet_names(list(frames), lang)
    taken = {labels.text("about_sheet", lang).casefold()} | {n.casefold() for n in names.values()}
    book = xlsx.Book()
    about_rows: list[list[str]] = []
    for table, frame in frames.items():
        columns = [str(c) for c in frame.columns]
        headers = labels.headers(table, columns, lang, codes)
        meaning = labels.table_title(table, lang)[1]
        per_sheet = xlsx.MAX_ROWS - 1  # under the header row
        parts = max(1, -(-len(frame) // per_sheet))
        titles = _part_names(names[table], parts, taken)
        for part, title in enumerate(titles):
            said = meaning
            if parts > 1:
                first, last = part * per_sheet + 1, min((part + 1) * per_sheet, len(frame))
                said = labels.text("part", lang).format(
                    meaning=meaning, first=first, last=last, csv=f"{table}.csv"
                )
            about_rows.append([title, "", f"{table}.csv", said])
            for name, header in zip(columns, headers, strict=True):
                about_rows.append([title, header, name, labels.column(table, name, lang, codes)[1]])
        formats = [
            labels.number_format(name, pd.api.types.is_integer_dtype(frame[name].dtype))
            for name in columns
        ]
        cells = [
            xlsx.cells(frame.iloc[:, i], words, FLOAT_DIGITS, book.number_style(formats[i]))
            for i in range(len(columns))
        ]
        widths = [
            _width(column.longest, header)
            if number_format not in (labels.SHARE, labels.COEFFICIENT)
            else float(max(len(header) + 2, 9))  # shown as 98.3% or 0.880
            for column, header, number_format in zip(cells, headers, formats, strict=True)
        ]
        for part, title in enumerate(titles):
            start = part * per_sheet
            book.sheets.append(
                xlsx.Sheet(title, headers, cells, widths, start=start, stop=start + per_sheet)
            )
    lead = [labels.text("title", lang), *(notes or []), labels.text("csv", lang), ""]
    about_headers = [labels.text(k, lang) for k in ("sheet", "column", "field", "meaning")]
    about = [
        xlsx.cells(pd.Series([row[i] for row in about_rows], dtype=object), words, FLOAT_DIGITS)
        for i in range(4)
    ]
    book.sheets.insert(
        0,
        xlsx.Sheet(
            labels.text("about_sheet", lang),
            about_headers,
            about,
            [30.0, 30.0, 30.0, 100.0],
            lead=lead,
        ),
    )
    with atomic_path(target) as tmp:
        book.save(tmp, creator="botu", timestamp=FIXED_TIMESTAMP)
    return target


LOCK_NAME = ".botu.lock"  # in the study's folder: held while a build or report runs


@contextmanager
def study_lock(root: Path, *, wait: bool = True, echo=print) -> Iterator[None]:
    """Hold the study's build lock: one build or report per study at a time.

    A second run says that a build is running and waits for it (or, ``wait=False``, stops
    with an error). The operating system releases the lock when its process ends, however it
    ends, so no stale lock stays behind.

    Raises:
        InputError: another build holds the lock and ``wait`` is false.
    """
    import fcntl

    path = Path(root) / LOCK_NAME
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            running = f"a build of this study is running (process {holder})"
            if not wait:
                raise InputError(
                    Problem(str(path), None, None, f"{running}; try again when it has finished")
                ) from None
            echo(f"{running}; waiting for it to finish ...")
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def refuse_replacing(target: Path) -> None:
    """Refuse, naming it, a ``target`` that :func:`replace_directory` must not replace: a
    symbolic link, or a file where botu writes a folder."""
    target = Path(target)
    if target.is_symlink():
        raise InputError(Problem(str(target), None, None, "is a symbolic link; give a real folder"))
    if target.exists() and not target.is_dir():
        raise InputError(
            Problem(str(target), None, None, "is a file where botu writes a folder; move it away")
        )


def replace_directory(staging: Path, target: Path) -> None:
    """Swap a fully written ``staging`` folder in for ``target`` (old content removed).

    If the swap fails, the old folder is put back; a file where the folder should be is
    refused, naming it.
    """
    target = Path(target)
    refuse_replacing(target)
    old = None
    if target.exists():
        # a fresh name: never touch a folder of the user's that happens to be called *.old
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
        os.replace(target, old)  # renaming a folder onto an empty folder replaces it
    try:
        os.replace(staging, target)
    except OSError:
        if old is not None:
            os.replace(old, target)  # the last complete folder stays
        raise
    if old is not None:
        shutil.rmtree(old, onerror=_writable_again)  # onexc from Python 3.12


def _writable_again(function, path, error) -> None:
    """Remove a read-only file or folder of an old output anyway (its folder made writable)."""
    os.chmod(os.path.dirname(path), 0o700)
    if os.path.isdir(path):
        os.chmod(path, 0o700)
    function(path)


def read_processed(name: str, processed_dir: Path) -> pd.DataFrame:
    """Read a processed table written by :func:`botu.pipeline.build`, ids kept as text."""
    path = Path(processed_dir) / f"{name}.csv"
    if not path.exists():
        raise InputError(
            Problem(str(path), None, None, "processed table is missing; run `make report` first")
        )
    frame = pd.read_csv(path, dtype={c: str for c in _ID_COLUMNS}, keep_default_na=True)
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].map(_live_cell)
    return frame


_ID_COLUMNS = (
    "team_id",
    "actor_id",
    "respondent_id",
    "document_id",
    "segment_id",
    "code_id",
    "coder_id",
    "factor_id",
    "rater_id",
    "evidence",
    "source_actor_id",
    "target_actor_id",
    "value",
)
