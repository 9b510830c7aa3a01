"""Reading raw tables (CSV in either Excel dialect, or one workbook) and writing outputs.

Raw tables are read as text, cell by cell, so that ids keep their exact spelling (``T01``,
``007``); typing and checking happen in :mod:`botu.validate`. Outputs are written atomically:
a half-written file never carries a final name.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from botu.errors import InputError, Problem
from botu.schema import TABLE_ORDER

WORKBOOK_NAME = "botu.xlsx"
CODEBOOK_NAME = "codebook.yml"
# Raw inputs larger than this are refused before parsing (a safety bound, not a data limit).
MAX_RAW_BYTES = 200 * 1024 * 1024


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


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file, for colophons and change detection."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def files_digest(paths: list[Path], base: Path | None = None) -> str:
    """One SHA-256 over several files: their names (relative to ``base``) and contents."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        name = path.relative_to(base).as_posix() if base is not None else path.name
        digest.update(name.encode())
        digest.update(file_sha256(path).encode())
    return digest.hexdigest()


def _decode(data: bytes, label: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
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
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def read_csv_table(path: Path, name: str | None = None) -> RawTable:
    """Read one CSV table as strings, comma- or semicolon-separated, with or without BOM.

    Raises:
        InputError: naming the file and row when the file is not UTF-8, has no header, or a
            row has a different number of fields than the header.
    """
    path = Path(path)
    label = path.name
    if path.stat().st_size > MAX_RAW_BYTES:
        raise InputError(Problem(label, None, None, "is larger than 200 MB; refusing to read it"))
    text = _decode(path.read_bytes(), label)
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
    header = [h.strip() for h in rows[0]]
    if any(not h for h in header):
        raise InputError(Problem(label, 1, None, "the header has an empty column name"))
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        raise InputError(
            Problem(label, 1, duplicates[0], "column name appears more than once in the header")
        )
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
    return RawTable(name or path.stem, frame, label, path, [n for n, _ in numbered[1:]])


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
            tables[sheet.title] = RawTable(
                sheet.title, frame, label, path, [n for n, _ in numbered[1:]]
            )
    finally:
        book.close()
    return tables


def read_raw_tables(raw_dir: Path) -> dict[str, RawTable]:
    """Read every known table from ``raw_dir`` (CSV files and/or one workbook).

    Raises:
        InputError: a table is missing, given twice (CSV and sheet), or unreadable.
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise InputError(Problem(str(raw_dir), None, None, "raw data folder does not exist"))
    tables: dict[str, RawTable] = {}
    problems: list[Problem] = []
    workbook = raw_dir / WORKBOOK_NAME
    sheets = read_workbook(workbook) if workbook.exists() else {}
    for name in TABLE_ORDER:
        csv_path = raw_dir / f"{name}.csv"
        if csv_path.exists() and name in sheets:
            problems.append(
                Problem(
                    csv_path.name,
                    None,
                    None,
                    f"table '{name}' is also a sheet of {WORKBOOK_NAME}; keep only one",
                )
            )
            continue
        if csv_path.exists():
            try:
                tables[name] = read_csv_table(csv_path, name)
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
    if problems:
        raise InputError(problems)
    return tables


def raw_checksums(raw_dir: Path) -> dict[str, str]:
    """SHA-256 of every input file in ``raw_dir``, by file name."""
    raw_dir = Path(raw_dir)
    return {
        p.name: file_sha256(p)
        for p in sorted(raw_dir.iterdir())
        if p.is_file() and p.suffix.lower() in {".csv", ".xlsx", ".yml", ".yaml"}
    }


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


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it into place only on success."""
    target = Path(target)
    if target.is_dir():
        raise InputError(Problem(str(target), None, None, "is a folder; give a file name"))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise InputError(
            Problem(str(target), None, None, f"cannot be written ({exc.strerror or exc})")
        ) from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        make_shareable(tmp_path)
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_csv(frame: pd.DataFrame, target: Path) -> Path:
    """Write a table as UTF-8 CSV with ``\\n`` line ends (deterministic bytes)."""
    with atomic_path(target) as tmp:
        frame.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8")
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


def write_workbook(frames: dict[str, pd.DataFrame], target: Path) -> Path:
    """Write tables as one workbook, a sheet per table (sheet names cut to Excel's 31 chars)."""
    with atomic_path(target) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        for name, frame in frames.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
        for sheet in writer.book.worksheets:  # text is text: "=HYPERLINK(…)" stays inert
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        cell.data_type = "s"
        writer.book.properties.creator = "botu"
        writer.book.properties.created = FIXED_TIMESTAMP
        writer.book.properties.modified = FIXED_TIMESTAMP
    return target


def replace_directory(staging: Path, target: Path) -> None:
    """Swap a fully written ``staging`` folder in for ``target`` (old content removed)."""
    target = Path(target)
    if target.is_symlink():
        raise InputError(Problem(str(target), None, None, "is a symbolic link; give a real folder"))
    old = None
    if target.exists():
        # a fresh name: never touch a folder of the user's that happens to be called *.old
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
        os.replace(target, old)  # renaming a folder onto an empty folder replaces it
    os.replace(staging, target)
    if old is not None:
        shutil.rmtree(old)


def read_processed(name: str, processed_dir: Path) -> pd.DataFrame:
    """Read a processed table written by :func:`botu.pipeline.build`, ids kept as text."""
    path = Path(processed_dir) / f"{name}.csv"
    if not path.exists():
        raise InputError(
            Problem(str(path), None, None, "processed table is missing; run `make report` first")
        )
    frame = pd.read_csv(path, dtype={c: str for c in _ID_COLUMNS}, keep_default_na=True)
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
