"""A faster ``DataFrame.to_csv(path, index=False, lineterminator="\\n", encoding="utf-8")``.

:func:`fast_to_csv` writes the same bytes as that call. Per column (and per chunk of rows) it
takes the values pandas itself hands to ``csv.writer`` (pandas' ``get_values_for_csv``, or an
equivalent shortcut for integers and booleans), turns them into text as ``csv.writer`` does
(``str()`` of anything that is not text, ``None`` -> empty), quotes in bulk the fields
``csv.writer`` would quote under ``QUOTE_MINIMAL``, joins the rows, encodes once per chunk and
writes. Which characters make ``csv.writer`` quote a field depends on the Python version (3.11
quotes ``,`` ``"`` ``\\n`` but not ``\\r`` with lineterminator ``\\n``): they are found by
asking ``csv.writer`` itself about every ASCII character and a few others, once per process.
Whatever is not handled with certainty (datetimes, timedeltas, periods, complex, intervals,
sparse, other extension types, MultiIndex columns, no columns, buffers, compressed or remote
paths) goes to ``to_csv`` itself.
"""

from __future__ import annotations

import csv
import functools
import io
import os

import numpy as np
import pandas as pd

try:  # pandas internals: without them, every frame goes to to_csv
    from pandas._libs import lib as _lib
    from pandas.core.indexes.base import get_values_for_csv as _get_values_for_csv
    from pandas.io.common import infer_compression as _infer_compression
except ImportError:  # pragma: no cover
    _get_values_for_csv = None

__all__ = ["fast_to_csv"]

# beyond ASCII, the characters asked about: line and paragraph separators, the emoji and the
# last code point (csv.writer compares characters with its dialect's, all ASCII here)
CANDIDATES = ("\x85", "\u2028", "\u2029", "\xa0", "\xe9", "\U0001f600", "\U0010ffff")
# cells per chunk of rows, as to_csv (larger chunks were not faster here, and cost memory)
CHUNK_CELLS = 100_000
# an integer column whose values span at most this many numbers is turned into text by lookup
_LUT_SPAN = 1 << 16
# what to_csv passes to get_values_for_csv here (quoting=None becomes QUOTE_MINIMAL == 0)
_FORMAT = {
    "na_rep": "",
    "float_format": None,
    "date_format": None,
    "decimal": ".",
    "quoting": csv.QUOTE_MINIMAL,
}
_TO_CSV = {"index": False, "lineterminator": "\n", "encoding": "utf-8"}


def _csv_rows(rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _probe() -> tuple[str, ...] | None:
    """The characters that make csv.writer quote a field (delimiter ',', quotechar '"',
    lineterminator '\\n', QUOTE_MINIMAL), or None when csv.writer does something this module
    does not reproduce."""
    chars = [*map(chr, range(128)), *CANDIDATES]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["a" + ch for ch in chars])
    # a field that is not quoted is written as is: split the line on the unquoted fields
    text = buffer.getvalue()
    special = []
    position = 0
    for ch in chars:
        plain = "a" + ch
        if text.startswith(plain + ("," if ch != chars[-1] else "\n"), position):
            position += len(plain) + 1
            continue
        quoted = '"a' + ch.replace('"', '""') + '"'
        if not text.startswith(quoted, position):
            return None
        special.append(ch)
        position += len(quoted) + 1
    if position != len(text) or not {",", '"', "\n"} <= set(special):
        return None
    special = tuple(special)
    # self-check on awkward cells, against csv.writer itself
    samples = [
        "",
        " ",
        "x",
        '"',
        '""',
        "a,b",
        'a"b',
        "a\nb",
        "a\rb",
        "a\r\nb",
        " a ",
        "é\u2028😀",
        "'=1",
        "\x00",
        "a\\b",
    ]
    rows = [[s, s] for s in samples] + [[s] for s in samples] + [[None], [None, None], [""]]
    if _csv_rows(rows) != "".join(
        ",".join(_quote_fields([c if c is not None else "" for c in row], special, len(row))) + "\n"
        for row in rows
    ):
        return None
    return special


def _quote_fields(fields: list[str], special: tuple[str, ...], width: int) -> list[str]:
    """The fields as csv.writer writes them (a slow, obvious reference for the probe)."""
    out = []
    for field in fields:
        if any(ch in field for ch in special):
            field = '"' + field.replace('"', '""') + '"'
        out.append(field)
    if width == 1 and out == [""]:
        out = ['""']
    return out


@functools.cache
def _special() -> tuple[str, ...] | None:
    """The characters that make csv.writer quote (asked once per process), or None."""
    return _probe() if _get_values_for_csv is not None else None


# ---------------------------------------------------------------------------------------
# per column: how its values become text

_INT, _BOOL, _GENERIC = "int", "bool", "generic"


def _kind(dtype: object) -> str | None:
    """How a column of this dtype is written, or None: not verified, use to_csv."""
    if isinstance(dtype, np.dtype):
        if dtype.kind in "iu":
            return _INT
        if dtype.kind == "b":
            return _BOOL
        if dtype.kind in "fO":
            return _GENERIC
        return None  # datetime64, timedelta64, complex, bytes, void ...
    if isinstance(
        dtype,
        (
            pd.Int8Dtype,
            pd.Int16Dtype,
            pd.Int32Dtype,
            pd.Int64Dtype,
            pd.UInt8Dtype,
            pd.UInt16Dtype,
            pd.UInt32Dtype,
            pd.UInt64Dtype,
        ),
    ):
        return _INT
    if isinstance(dtype, pd.BooleanDtype):
        return _BOOL
    if isinstance(dtype, (pd.StringDtype, pd.Float32Dtype, pd.Float64Dtype)):
        return _GENERIC
    if isinstance(dtype, pd.CategoricalDtype):
        categories = dtype.categories.dtype
        if _kind(categories) in (_INT, _BOOL, _GENERIC):
            return _GENERIC
    return None


def _split_mask(values: object) -> tuple[np.ndarray, np.ndarray | None]:
    """The numpy data of an int/bool column and its missing mask (None: nothing missing)."""
    if isinstance(values, np.ndarray):
        return values, None
    mask = np.asarray(values._mask, dtype=bool)  # masked array (Int64, boolean, ...)
    return np.asarray(values._data), (mask if mask.any() else None)


def _int_text(values: object) -> list[str]:
    """str() of each integer ('' when missing): what csv.writer makes of the Python ints that
    get_values_for_csv hands it."""
    data, mask = _split_mask(values)
    n = len(data)
    if n == 0:
        return []
    present = data if mask is None else data[~mask]
    if len(present) == 0:
        return [""] * n
    low, high = int(present.min()), int(present.max())
    if high - low <= _LUT_SPAN:
        lut = np.array([str(v) for v in range(low, high + 1)], dtype=object)
        # in 64 bits: an int8 difference, say, would wrap (127 - -100); for every present
        # value the difference is small, a missing one's is ignored
        if data.dtype.kind == "i":
            index = data.astype(np.int64) - np.int64(low)
        else:
            index = data.astype(np.uint64) - np.uint64(low)
        if mask is not None:
            index[mask] = 0
        out = lut[index.astype(np.intp)]
    else:
        out = np.array(list(map(str, data.tolist())), dtype=object)
    if mask is not None:
        out[mask] = ""
    return out.tolist()


_BOOL_LUT = np.array(["False", "True"], dtype=object)


def _bool_text(values: object) -> list[str]:
    """'True' / 'False' ('' when missing), as csv.writer writes Python bools."""
    data, mask = _split_mask(values)
    out = _BOOL_LUT[data.astype(np.intp)]
    if mask is not None:
        out[mask] = ""
    return out.tolist()


def _generic_text(values: object) -> list[str]:
    """What pandas hands csv.writer for this column, made text as csv.writer makes it."""
    if isinstance(values, pd.arrays.StringArray):  # python storage: str or its NA value
        data = values._ndarray
    elif isinstance(values, np.ndarray) and values.dtype == object:
        data = values
    else:
        data = None
    if data is not None and _lib.is_string_array(data, skipna=False):
        # nothing missing: get_values_for_csv would hand csv.writer these very objects
        return data.tolist()
    cells = _get_values_for_csv(values, **_FORMAT)
    if cells.dtype != object or cells.ndim != 1:
        raise _UnhandledError
    if _lib.is_string_array(cells, skipna=False):
        return cells.tolist()  # str (or str subclasses, which csv.writer takes as they are)
    return [
        cell
        if type(cell) is str
        else str.__str__(cell)
        if isinstance(cell, str)
        else ""
        if cell is None
        else str(cell)
        for cell in cells.tolist()
    ]


class _UnhandledError(Exception):
    """A frame this module does not write itself."""


def _quote(fields: list[str], special: tuple[str, ...]) -> None:
    """Quote, in place, the fields csv.writer quotes: those holding a special character."""
    joined = "".join(fields)
    present = [ch for ch in special if ch in joined]
    if not present:
        return
    if joined.isascii():
        codes = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
    else:
        codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    hit = codes == ord(present[0])
    for ch in present[1:]:
        hit |= codes == ord(ch)
    positions = np.flatnonzero(hit)
    del codes, hit, joined
    ends = np.cumsum(np.fromiter(map(len, fields), dtype=np.int64, count=len(fields)))
    rows = np.unique(np.searchsorted(ends, positions, side="right"))
    replace = str.replace
    for row in rows.tolist():
        fields[row] = '"' + replace(fields[row], '"', '""') + '"'


def _target(path: object) -> str | None:
    """The file name to write, or None: leave it to to_csv (buffer, URL, ~, compression)."""
    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    if not isinstance(path, str) or not path:
        return None
    if path.startswith("~") or "://" in path or "::" in path:
        return None
    if _infer_compression(path, "infer") is not None:
        return None
    if not os.path.isdir(os.path.dirname(path) or "."):  # to_csv's own error message
        return None
    return path


def _plan(frame: pd.DataFrame, path: object) -> tuple[str, str, list] | None:
    """(file name, header line, per column (kind, values)), or None: use to_csv."""
    if not isinstance(frame, pd.DataFrame) or _special() is None:
        return None
    if isinstance(frame.columns, pd.MultiIndex) or frame.shape[1] == 0:
        return None
    target = _target(path)
    if target is None:
        return None
    columns = []
    for j in range(frame.shape[1]):
        values = frame.iloc[:, j]._values
        kind = _kind(values.dtype)
        if kind is None or getattr(values, "ndim", 1) != 1:
            return None
        columns.append((kind, values))
    # the header exactly as to_csv writes it: pandas' labels through csv.writer
    labels = frame.columns._get_values_for_csv(**_FORMAT)
    return target, _csv_rows([list(labels)]), columns


_CONVERT = {_INT: _int_text, _BOOL: _bool_text, _GENERIC: _generic_text}


def _chunk(columns: list, start: int, stop: int) -> bytes:
    """Rows start:stop as csv.writer writes them, each ending in \\n, UTF-8."""
    special = _special()
    fields = []
    for kind, values in columns:
        cells = _CONVERT[kind](values[start:stop])
        if kind == _GENERIC:
            _quote(cells, special)
        fields.append(cells)
    if len(fields) == 1:
        # a row of one empty field is written as "" (csv.writer's special case)
        text = "\n".join(['""' if cell == "" else cell for cell in fields[0]])
    else:
        text = "\n".join(map(",".join, zip(*fields, strict=True)))
    del fields
    return (text + "\n").encode("utf-8")


def fast_to_csv(frame: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write ``frame`` to ``path`` with the same bytes as
    ``frame.to_csv(path, index=False, lineterminator="\\n", encoding="utf-8")``."""
    plan = _plan(frame, path)
    if plan is not None:
        target, header, columns = plan
        nrows = len(frame)
        step = max(1, CHUNK_CELLS // len(columns))
        try:  # the first chunk before the file is opened: a surprise still goes to to_csv
            first = _chunk(columns, 0, step) if nrows else b""
        except _UnhandledError:
            plan = None
    if plan is None:
        frame.to_csv(path, **_TO_CSV)
        return
    try:
        with open(target, "wb") as handle:
            handle.write(header.encode("utf-8"))
            handle.write(first)
            del first
            for start in range(step, nrows, step):
                handle.write(_chunk(columns, start, start + step))
    except _UnhandledError:  # a later chunk after all: to_csv writes the file again
        frame.to_csv(path, **_TO_CSV)
