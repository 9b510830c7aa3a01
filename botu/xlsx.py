"""A fast writer of .xlsx workbooks: the SpreadsheetML written as text, straight into the zip.

A column's cells are made at once from its values (:func:`cells`), not cell by cell: numbers
as their shortest exact text, worked out once per distinct value; text factorized, so that each
distinct text is cleaned and escaped once. Text goes in the shared-strings table (as Excel
itself writes it): a text cell holds the text's number there, so it is never a formula,
whatever it starts with. A chunk of rows is laid out as one list of pieces, a column at a time,
and joined once; it is compressed in other threads, in blocks side by side, while the next
chunk is made. The bytes depend on the data only: fixed zip timestamps, no clock.

Used by :func:`botu.io.write_workbook`, which says what the sheets hold.
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

MAX_ROWS = 1_048_576  # rows in one sheet: Excel's limit (and LibreOffice's)
MAX_CELL_CHARS = 32_767  # characters in one cell: longer text is cut, as openpyxl did
CHUNK_ROWS = 2_000  # rows turned into XML at a time (more take longer: the cache)
# zlib's level: 1 compresses the XML three times as fast as the default 6, to a file a fifth
# larger (the XML repeats itself: still about a tenth of its size)
COMPRESSION = 1
DEFLATE_BLOCK = 1 << 20  # bytes of XML compressed on their own, side by side with others

# what XML 1.0 does not allow: control characters other than tab, LF and CR, lone surrogates,
# U+FFFE and U+FFFF; such characters are left out (openpyxl refused the whole workbook)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CONTROL_BYTES = bytes(c for c in range(1, 32) if c not in (9, 10, 13))
_SEP = "\x00"  # joins texts to look at and escape them at once: never in a cleaned text
_SPACED = re.compile(r"\x00(?:\s|(?<=\s\x00))")  # joined texts, one with whitespace at an end
_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))  # & first

# a cell's kind
EMPTY, NUMBER, TEXT = 0, 1, 2
HEADER_STYLE = 1  # bold, wrapped, top-aligned
# number formats Excel knows by number; any other gets one from 164 on
_BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9}

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


@dataclass(eq=False)
class Cells:
    """One column's cells.

    ``kinds``: one kind (:data:`EMPTY`, :data:`NUMBER`, :data:`TEXT`) for every row, or an
    array with one per row. ``numbers``: per row the text of a number cell (``""`` in other
    rows), or None without numbers. ``strings``: texts (cleaned, not escaped), ``codes`` per
    row the index of its text in ``strings`` (-1 in other rows), or None without text.
    ``longest``: the length of the longest value as a reader sees it (for the column's
    width). ``style``: the style of its numbers (see :meth:`Book.number_style`).
    """

    size: int
    kinds: int | np.ndarray
    numbers: list[str] | None = None
    strings: list[str] = field(default_factory=list)
    codes: np.ndarray | None = None
    longest: int = 0
    style: int = 0
    # per row the content of its <v>, once the shared strings are numbered
    values: list[str] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return self.size

    def number(self, shared: np.ndarray) -> None:
        """Fill in :attr:`values`, ``shared`` giving the number (as text) of each of
        :attr:`strings` in the shared-strings table."""
        if self.codes is None:
            self.values = self.numbers if self.numbers is not None else [""] * self.size
            return
        if isinstance(self.kinds, int) and self.kinds == TEXT:
            self.values = shared[self.codes].tolist()
            return
        out = np.array(self.numbers if self.numbers is not None else [""] * self.size, object)
        text = self.codes >= 0
        out[text] = shared[self.codes[text]]
        self.values = out.tolist()


@dataclass
class Sheet:
    """A sheet: ``lead`` lines, a frozen header row with a filter, then rows ``start`` to
    ``stop`` of ``columns``."""

    title: str
    headers: list[str]
    columns: list[Cells]
    widths: list[float]
    lead: Sequence[str] = ()
    start: int = 0
    stop: int | None = None
    # the shared-string numbers of lead lines and headers, once numbered
    _labels: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def header_row(self) -> int:
        return len(self.lead) + 1

    @property
    def rows(self) -> int:
        total = len(self.columns[0]) if self.columns else 0
        return min(total, total if self.stop is None else self.stop) - self.start


@dataclass
class Book:
    """The sheets of a workbook and the number formats their cells use."""

    sheets: list[Sheet] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)

    def number_style(self, number_format: str | None) -> int:
        """The style (index into ``cellXfs``) of numbers shown as ``number_format``."""
        if not number_format:
            return 0
        if number_format not in self.formats:
            self.formats.append(number_format)
        return HEADER_STYLE + 1 + self.formats.index(number_format)

    def save(self, target: Path, *, creator: str, timestamp: datetime) -> None:
        """Write the workbook to ``target``; an OSError if the system refuses a write."""
        stamp = timestamp.timetuple()[:6]
        shared, references = self._share_strings()
        members = [
            (
                f"xl/worksheets/sheet{number}.xml",
                _size_bound(sheet),
                _sheet_xml(sheet, tab_selected=number == 1),
            )
            for number, sheet in enumerate(self.sheets, start=1)
        ]
        size = 40 * len(shared) + 6 * sum(map(len, shared))
        members.append(("xl/sharedStrings.xml", size, _shared_strings_xml(shared, references)))
        with (
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive,
            ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool,
        ):
            for name, text in self._parts(creator, timestamp):
                archive.writestr(_member(name, stamp), (_DECLARATION + text).encode())
            for name, size, pieces in members:
                big = size > zipfile.ZIP64_LIMIT  # (an estimate above the size)
                with archive.open(_member(name, stamp), "w", force_zip64=big) as out:
                    if hasattr(out, "_compressor"):
                        out._compressor = _BlockDeflate(pool)
                    _write_behind(out, pieces)

    def _share_strings(self) -> tuple[list[str], int]:
        """Number every text of the workbook in one shared-strings table (each distinct text
        once); give each column its cells' values and each sheet its labels' numbers.
        Returns the table and how many cells refer to it."""
        columns = list({id(c): c for s in self.sheets for c in s.columns}.values())
        labels = [_clean([*s.lead, *s.headers])[0] for s in self.sheets]
        lists = [*labels, *(c.strings for c in columns)]
        everything = np.empty(sum(map(len, lists)), dtype=object)
        everything[:] = [text for texts in lists for text in texts]
        codes, distinct = pd.factorize(everything, sort=False)
        shared = np.array(list(map(str, range(len(distinct)))), dtype=object)
        at = 0
        for sheet, texts in zip(self.sheets, labels, strict=True):
            numbered = zip(texts, codes[at : at + len(texts)], strict=True)
            sheet._labels = {text: shared[i] for text, i in numbered}
            at += len(texts)
        references = sum(sum(1 for t in texts if t) for texts in labels)
        for column in columns:
            column.number(shared[codes[at : at + len(column.strings)]])
            at += len(column.strings)
            if column.codes is not None:
                references += int((column.codes >= 0).sum())
        return list(distinct), references

    def _parts(self, creator: str, timestamp: datetime) -> Iterator[tuple[str, str]]:
        n = len(self.sheets)
        sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        overrides = [
            ("/xl/workbook.xml", f"{sheet_type}.sheet.main+xml"),
            ("/xl/styles.xml", f"{sheet_type}.styles+xml"),
            ("/xl/sharedStrings.xml", f"{sheet_type}.sharedStrings+xml"),
            *(
                (f"/xl/worksheets/sheet{i}.xml", f"{sheet_type}.worksheet+xml")
                for i in range(1, n + 1)
            ),
            ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
            (
                "/docProps/app.xml",
                "application/vnd.openxmlformats-officedocument.extended-properties+xml",
            ),
        ]
        yield (
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
            + "</Types>",
        )
        yield (
            "_rels/.rels",
            f'<Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            f'<Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" '
            'Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{_REL}/extended-properties" '
            'Target="docProps/app.xml"/></Relationships>',
        )
        when = timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")
        yield (
            "docProps/core.xml",
            "<cp:coreProperties "
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:creator>{_escape(creator)}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
            "</cp:coreProperties>",
        )
        yield (
            "docProps/app.xml",
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'extended-properties"><Application>{_escape(creator)}</Application></Properties>',
        )
        sheets = "".join(
            f'<sheet name="{_escape(s.title, quote=True)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, s in enumerate(self.sheets, start=1)
        )
        filters = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
            + _escape("'" + s.title.replace("'", "''") + "'!" + _filter_ref(s, absolute=True))
            + "</definedName>"
            for i, s in enumerate(self.sheets)
        )
        yield (
            "xl/workbook.xml",
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><workbookPr/>'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{sheets}</sheets>"
            + (f"<definedNames>{filters}</definedNames>" if filters else "")
            + "</workbook>",
        )
        yield (
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{_PKG_REL}">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" '
                f'Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, n + 1)
            )
            + f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId{n + 2}" Type="{_REL}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>',
        )
        yield "xl/styles.xml", self._styles()

    def _styles(self) -> str:
        ids, custom = [], []
        for number_format in self.formats:
            if number_format in _BUILTIN_FORMATS:
                ids.append(_BUILTIN_FORMATS[number_format])
            else:
                ids.append(164 + len(custom))
                custom.append(
                    f'<numFmt numFmtId="{ids[-1]}" '
                    f'formatCode="{_escape(number_format, quote=True)}"/>'
                )
        font = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
        plain = 'fontId="0" fillId="0" borderId="0" xfId="0"'
        return (
            f'<styleSheet xmlns="{_MAIN}">'
            + (f'<numFmts count="{len(custom)}">{"".join(custom)}</numFmts>' if custom else "")
            + f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            "</cellStyleXfs>"
            f'<cellXfs count="{2 + len(ids)}"><xf numFmtId="0" {plain}/>'
            '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" '
            'applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
            + "".join(f'<xf numFmtId="{i}" {plain} applyNumberFormat="1"/>' for i in ids)
            + "</cellXfs>"
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
            "</cellStyles></styleSheet>"
        )


def _member(name: str, stamp: tuple[int, ...]) -> zipfile.ZipInfo:
    """A zip member with a fixed time (same data, same bytes)."""
    info = zipfile.ZipInfo(name, stamp)  # type: ignore[arg-type]
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    if hasattr(info, "compress_level"):  # Python 3.13 and later
        info.compress_level = COMPRESSION
    else:
        info._compresslevel = COMPRESSION  # type: ignore[attr-defined]
    return info


# --- cells ---------------------------------------------------------------------------------


def cells(values: pd.Series, words: tuple[str, str], digits: int, style: int = 0) -> Cells:
    """A column's cells: booleans as ``words`` (yes, no), floats rounded to ``digits`` (-0.0
    as 0), infinities as text, NA and ``""`` empty, text as it is (without what XML cannot
    hold, cut at :data:`MAX_CELL_CHARS`); numbers take ``style``."""
    dtype = values.dtype
    kind = getattr(dtype, "kind", "O")
    if kind == "b":
        mask = values.isna().to_numpy()
        flags = values.to_numpy(dtype=bool, na_value=False)
        codes = np.where(mask, -1, np.where(flags, 0, 1))
        return _texts(len(values), list(words), codes)
    if kind in "iu" and dtype != np.uint64:
        return _integers(values, style)
    if kind == "f":
        return _floats(values, digits, style)
    if isinstance(dtype, pd.StringDtype) or (
        kind == "O" and pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")
    ):
        codes, distinct = pd.factorize(values, sort=False)
        return _texts(len(values), distinct.tolist(), codes)
    return _objects(values.tolist(), words, digits, style)


def _texts(size: int, strings: list[str], codes: np.ndarray) -> Cells:
    """Text cells: row ``i`` holds ``strings[codes[i]]``, none where the code is -1."""
    strings, lengths = _clean(strings)
    empty = np.append(lengths == 0, True)  # codes of -1 pick the last: empty
    blank = empty[codes]
    kinds: int | np.ndarray = TEXT
    if blank.any():
        kinds = np.where(blank, EMPTY, TEXT).astype(np.uint8)
        codes = np.where(blank, -1, codes)
    shown = np.zeros(len(strings) + 1, dtype=bool)
    shown[codes] = True  # (-1 marks the last: not a text)
    longest = int(lengths[shown[:-1]].max(initial=0))
    return _settled(Cells(size, kinds, None, strings, codes, longest))


def _clean(strings: list[str]) -> tuple[list[str], np.ndarray]:
    """``strings`` without what XML cannot hold, cut at :data:`MAX_CELL_CHARS`; and their
    lengths."""
    joined = _SEP.join(strings)
    if joined.count(_SEP) != max(len(strings) - 1, 0) or _has_illegal(joined):
        strings = [_ILLEGAL.sub("", s) for s in strings]
    lengths = np.fromiter(map(len, strings), dtype=np.int64, count=len(strings))
    if len(lengths) and lengths.max() > MAX_CELL_CHARS:
        strings = [s[:MAX_CELL_CHARS] for s in strings]
        lengths = np.minimum(lengths, MAX_CELL_CHARS)
    return strings, lengths


def _has_illegal(text: str) -> bool:
    """``text`` holds a character :data:`_ILLEGAL` names, other than :data:`_SEP` (quick: a
    control character is a byte of its own in UTF-8)."""
    try:
        data = text.encode()
    except UnicodeEncodeError:  # a lone surrogate
        return True
    return (
        len(data.translate(None, _CONTROL_BYTES)) != len(data)
        or b"\xef\xbf\xbe" in data  # U+FFFE
        or b"\xef\xbf\xbf" in data  # U+FFFF
    )


def _integers(values: pd.Series, style: int) -> Cells:
    mask = values.isna().to_numpy()
    numbers = values.to_numpy(dtype=getattr(values.dtype, "numpy_dtype", values.dtype), na_value=0)
    texts = _each_distinct(numbers, lambda distinct: list(map(str, distinct.tolist())))
    kinds: int | np.ndarray = NUMBER
    if mask.any():
        kinds = np.where(mask, EMPTY, NUMBER).astype(np.uint8)
        for i in np.flatnonzero(mask).tolist():
            texts[i] = ""
    return _settled(Cells(len(texts), kinds, texts, longest=_longest(texts), style=style))


def _floats(values: pd.Series, digits: int, style: int) -> Cells:
    numbers = values.to_numpy(dtype=np.float64, na_value=np.nan)
    finite = np.isfinite(numbers)

    def shown(distinct: np.ndarray) -> list[str]:
        return list(map(repr, rounded(distinct, digits).tolist()))

    if finite.all():
        texts = _each_distinct(numbers, shown)
        return Cells(len(texts), NUMBER, texts, longest=_longest(texts), style=style)
    out = np.full(len(numbers), "", dtype=object)
    out[finite] = _each_distinct(numbers[finite], shown)
    texts = out.tolist()
    infinite = np.isinf(numbers)
    kinds = np.where(finite, NUMBER, np.where(infinite, TEXT, EMPTY)).astype(np.uint8)
    codes = np.where(infinite, np.where(numbers > 0, 0, 1), -1)
    signs = [w for w, v in (("inf", np.inf), ("-inf", -np.inf)) if (numbers == v).any()]
    longest = max([_longest(texts), *map(len, signs)])
    return _settled(Cells(len(texts), kinds, texts, ["inf", "-inf"], codes, longest, style))


def _longest(texts: list[str]) -> int:
    return max(map(len, texts), default=0)


def _each_distinct(numbers: np.ndarray, to_texts: Callable[[np.ndarray], list[str]]) -> list[str]:
    """``to_texts`` of ``numbers``, worked out once for each distinct number."""
    if len(numbers) < 2:
        return to_texts(numbers)
    codes, distinct = pd.factorize(numbers, sort=False)
    return np.array(to_texts(distinct), dtype=object)[codes].tolist()


def rounded(numbers: np.ndarray, digits: int) -> np.ndarray:
    """``round(x, digits) + 0.0`` of each finite number, exactly as Python rounds (-0.0 as
    0.0), most of them at once: ``rint(x * 10**digits) / 10**digits`` is Python's result
    unless ``x * 10**digits`` lies within its rounding error of a tie (or is too large to
    hold its fraction); those few are rounded one by one."""
    if not 0 <= digits <= 15:  # 10**digits not exact as a float
        return np.array([round(x, digits) + 0.0 for x in numbers.tolist()], dtype=np.float64)
    scale = 10.0**digits
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = numbers * scale
        out = np.rint(scaled) / scale + 0.0
        doubtful = np.abs(scaled - np.floor(scaled) - 0.5) <= 2 * np.abs(np.spacing(scaled))
        doubtful |= np.abs(scaled) >= 2.0**52
    # from 2**(52 - digits) on, a float has at most ``digits`` decimals: rounding keeps it
    whole = np.abs(numbers) >= 2.0 ** (52 - digits)
    out[whole] = numbers[whole] + 0.0
    doubtful &= ~whole
    if doubtful.any():
        out[doubtful] = [round(x, digits) + 0.0 for x in numbers[doubtful].tolist()]
    return out


def _objects(values: list[object], words: tuple[str, str], digits: int, style: int) -> Cells:
    """A column of mixed values, one by one (as ``_cell_value`` did)."""
    numbers = [""] * len(values)
    kinds = np.zeros(len(values), dtype=np.uint8)
    codes = np.full(len(values), -1, dtype=np.int64)
    strings: list[str] = []
    for i, value in enumerate(values):
        if value is None or value is pd.NA or value is pd.NaT:
            continue
        if isinstance(value, (float, np.floating)) and np.isnan(value):
            continue
        if isinstance(value, (float, np.floating)) and not np.isinf(value):
            numbers[i], kinds[i] = repr(round(float(value), digits) + 0.0), NUMBER
        elif isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
            numbers[i], kinds[i] = str(int(value)), NUMBER
        else:
            if isinstance(value, (bool, np.bool_)):
                text = words[0] if value else words[1]
            elif isinstance(value, (float, np.floating)):
                text = str(float(value))  # inf, -inf
            else:
                text = str(value)  # text; a date or another object as the CSV file has it
            codes[i], kinds[i] = len(strings), TEXT
            strings.append(text)
    texts = _texts(len(values), strings, codes)
    kinds[(kinds == TEXT) & (texts.codes < 0)] = EMPTY  # "" is no text
    longest = max(_longest(numbers), texts.longest)
    return _settled(Cells(len(values), kinds, numbers, texts.strings, texts.codes, longest, style))


def _settled(cells: Cells) -> Cells:
    """``cells`` with its kinds as one kind when every row has the same."""
    kinds = cells.kinds
    if not isinstance(kinds, int):
        if not len(kinds):
            cells.kinds = EMPTY
        elif (kinds == kinds[0]).all():
            cells.kinds = int(kinds[0])
    return cells


def _escape(text: str, quote: bool = False) -> str:
    """``text`` for XML (an attribute's value too, with ``quote``)."""
    text = _ILLEGAL.sub("", text)
    for char, entity in _ESCAPES:
        text = text.replace(char, entity)
    return text.replace('"', "&quot;") if quote else text


# --- the XML -------------------------------------------------------------------------------


def column_letter(number: int) -> str:
    """``1`` → ``A``, ``27`` → ``AA``."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell_parts(kind: int, style: int) -> tuple[str, str]:
    """What comes after ``<c r="B7`` and before and after the cell's value."""
    if kind == EMPTY:
        return '"/>', ""
    if kind == NUMBER:
        return ('"><v>' if not style else f'" s="{style}"><v>'), "</v></c>"
    return '" t="s"><v>', "</v></c>"


def _text_row(sheet: Sheet, row: int, texts: Sequence[str], style: int = 0) -> str:
    """A row of text cells (a lead line, the headers)."""
    out = [f'<row r="{row}">']
    cleaned = _clean(list(texts))[0]
    for number, text in enumerate(cleaned, start=1):
        ref = f"{column_letter(number)}{row}"
        if not text:
            out.append(f'<c r="{ref}"/>')
        else:
            styled = f' s="{style}"' if style else ""
            out.append(f'<c r="{ref}"{styled} t="s"><v>{sheet._labels[text]}</v></c>')
    return "".join(out) + "</row>"


def _filter_ref(sheet: Sheet, absolute: bool = False) -> str:
    last = column_letter(max(len(sheet.headers), 1))
    first_row, last_row = sheet.header_row, sheet.header_row + max(sheet.rows, 1)
    if absolute:
        return f"$A${first_row}:${last}${last_row}"
    return f"A{first_row}:{last}{last_row}"


def _size_bound(sheet: Sheet) -> int:
    """More bytes than the sheet's XML takes (to know whether it needs ZIP64)."""
    per_row = 30 + 90 * len(sheet.columns)  # a cell: 35 characters and a number or index
    return 1000 + 100 * (len(sheet.lead) + len(sheet.headers)) + per_row * sheet.rows


def _sheet_xml(sheet: Sheet, tab_selected: bool = False) -> Iterator[str]:
    """The sheet's XML, in pieces."""
    top = sheet.header_row
    last_col = column_letter(max(len(sheet.headers), 1))
    selected = ' tabSelected="1"' if tab_selected else ""
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>'
        for i, w in enumerate(sheet.widths, start=1)
    )
    yield (
        f'{_DECLARATION}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
        f'<dimension ref="A1:{last_col}{top + sheet.rows}"/>'
        f'<sheetViews><sheetView{selected} workbookViewId="0">'
        f'<pane ySplit="{top}" topLeftCell="A{top + 1}" activePane="bottomLeft" state="frozen"/>'
        f'<selection pane="bottomLeft" activeCell="A{top + 1}" sqref="A{top + 1}"/>'
        '</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{widths}</cols>" if widths else "")
        + "<sheetData>"
        + "".join(_text_row(sheet, i, [line]) for i, line in enumerate(sheet.lead, start=1))
        + _text_row(sheet, top, sheet.headers, HEADER_STYLE)
    )
    yield from _data_rows(sheet)
    yield (
        f'</sheetData><autoFilter ref="{_filter_ref(sheet)}"/>'
        '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
        "</worksheet>"
    )


_ROW = object()  # marks a piece of a row: the row's number (and what follows it)
_SHARED_AFTER = 2  # columns that follow the row's number with the same text: made once a row


def _data_rows(sheet: Sheet) -> Iterator[str]:
    """The XML of the sheet's data rows, :data:`CHUNK_ROWS` rows at a time.

    A row is a fixed sequence of pieces: text the column's cells share (``<c r="B``,
    ``</v></c>``), the row's number (or it and what follows it, ``7" t="s"><v>``, made once
    a row for all columns of a kind), a cell's value. The pieces of a chunk of rows are laid
    into one list, a column at a time (a slice assignment), and joined once.
    """
    first, last = sheet.start, sheet.start + sheet.rows
    # each piece of a row: a str (the same in every row); (_ROW, text): the row's number
    # and text; or a column: (per row a text, the index of the sheet's first row in them)
    layout: list[Any] = ['<row r="', (_ROW, '">')]
    for number, column in enumerate(sheet.columns, start=1):
        layout.append(f'<c r="{column_letter(number)}')
        if isinstance(column.kinds, int):  # the same kind in every row
            before, after = _cell_parts(column.kinds, column.style)
            layout.append((_ROW, before))
            if column.kinds != EMPTY:
                layout += [(column.values or [], 0), after]
        else:
            parts = np.array([_cell_parts(k, column.style) for k in range(TEXT + 1)], object)
            kinds = column.kinds[first:last]
            layout += [(_ROW, ""), (parts[kinds, 0], first)]
            layout += [(column.values or [], 0), (parts[kinds, 1], first)]
    layout.append("</row>")
    # the row's number and a text: made once a row when more columns follow it with the text
    uses = Counter(piece[1] for piece in layout if isinstance(piece, tuple) and piece[0] is _ROW)
    layout = [
        piece
        for entry in layout
        for piece in (
            [(_ROW, ""), entry[1]]
            if isinstance(entry, tuple) and entry[0] is _ROW and uses[entry[1]] < _SHARED_AFTER
            else [entry]
        )
    ]
    merged: list[Any] = []
    for piece in layout:
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        else:
            merged.append(piece)
    width = len(merged)
    offset = sheet.header_row + 1 - first  # a data row's number in the sheet
    for start in range(first, last, CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, last)
        count = stop - start
        numbers = list(map(str, range(start + offset, stop + offset)))
        followed: dict[str, list[str]] = {"": numbers}
        pieces: list[str | None] = [None] * (count * width)
        for at, piece in enumerate(merged):
            if isinstance(piece, str):
                pieces[at::width] = [piece] * count
            elif piece[0] is _ROW:
                text = piece[1]
                if text not in followed:
                    followed[text] = [n + text for n in numbers]
                pieces[at::width] = followed[text]
            else:
                texts, index = piece
                chunk = texts[start - index : stop - index]
                pieces[at::width] = chunk if isinstance(chunk, list) else chunk.tolist()
        yield "".join(pieces)  # type: ignore[arg-type]


def _shared_strings_xml(shared: list[str], references: int) -> Iterator[str]:
    """The shared-strings table: its texts escaped, ``xml:space="preserve"`` where one
    starts or ends with whitespace, :data:`CHUNK_ROWS` texts at a time."""
    yield f'{_DECLARATION}<sst xmlns="{_MAIN}" count="{references}" uniqueCount="{len(shared)}">'
    for start in range(0, len(shared), CHUNK_ROWS):
        texts = shared[start : start + CHUNK_ROWS]
        joined = _SEP.join(texts)
        opening: list[str] | str = "<si><t>"
        if joined[:1].isspace() or joined[-1:].isspace() or _SPACED.search(joined):
            opening = [
                '<si><t xml:space="preserve">' if t != t.strip() else "<si><t>" for t in texts
            ]
        for char, entity in _ESCAPES:
            if char in joined:
                joined = joined.replace(char, entity)
        pieces: list[str] = [""] * (3 * len(texts))
        pieces[0::3] = opening if isinstance(opening, list) else [opening] * len(texts)
        pieces[1::3] = joined.split(_SEP)
        pieces[2::3] = ["</t></si>"] * len(texts)
        yield "".join(pieces)
    yield "</sst>"


class _BlockDeflate:
    """zlib's compressor, compressing blocks of :data:`DEFLATE_BLOCK` bytes side by side in
    ``pool`` (zlib lets other threads run). Each block has a compressor of its own and ends in
    a sync flush (byte-aligned, not final); the last, in :meth:`flush`, ends the stream. The
    blocks' outputs joined are one deflate stream, and the same data give the same bytes,
    however they were written and however many threads there are. (It stands in for the
    compressor of a zip member opened for writing: ``_ZipWriteFile._compressor``.)"""

    def __init__(self, pool: ThreadPoolExecutor) -> None:
        self._pool = pool
        self._pending = b""

    @staticmethod
    def _block(data: bytes) -> bytes:
        compressor = zlib.compressobj(COMPRESSION, zlib.DEFLATED, -15)
        return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)

    def compress(self, data: bytes) -> bytes:
        data = self._pending + data
        whole = len(data) - len(data) % DEFLATE_BLOCK
        self._pending = data[whole:]
        blocks = [data[i : i + DEFLATE_BLOCK] for i in range(0, whole, DEFLATE_BLOCK)]
        return b"".join(self._pool.map(self._block, blocks))

    def flush(self) -> bytes:
        compressor = zlib.compressobj(COMPRESSION, zlib.DEFLATED, -15)
        out = compressor.compress(self._pending) + compressor.flush()
        self._pending = b""
        return out


def _write_behind(out: IO[bytes], pieces: Iterable[str]) -> None:
    """Write ``pieces`` to ``out`` (UTF-8), each while the next is made: compressing and
    writing (zlib, the file) let other threads run. A failed write raises here."""
    with ThreadPoolExecutor(max_workers=1) as writer:
        pending: Future[int] | None = None
        for piece in pieces:
            data = piece.encode()
            if pending is not None:
                pending.result()
            pending = writer.submit(out.write, data)
        if pending is not None:
            pending.result()
