"""What an output is computed from, as digests: the raw files, the botu sources, the
processed tables' build key (the standard library only)."""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import itertools
import json
import operator
from pathlib import Path
from typing import Any

BUILD_KEY = ".build-key"  # in data/processed: the key of the build that wrote it
RAW_SUFFIXES = {".csv", ".xlsx", ".yml", ".yaml"}  # the input files of data/raw


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


def raw_checksums(raw_dir: Path) -> dict[str, str]:
    """SHA-256 of every input file in ``raw_dir``, by file name."""
    raw_dir = Path(raw_dir)
    return {
        p.name: file_sha256(p)
        for p in sorted(raw_dir.iterdir())
        if p.is_file() and p.suffix.lower() in RAW_SUFFIXES
    }


def raw_digest(raw_dir: Path, leave_out: dict[str, tuple[str, ...]] | None = None) -> str:
    """One digest of the input files of ``raw_dir``; of a CSV file named in ``leave_out``,
    the cells of every column but those it names (the whole file when it is not a UTF-8 CSV
    file with such a column). Computed once per state of the files in a process."""
    raw_dir = Path(raw_dir)
    state = tuple(
        (p.name, p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(raw_dir.iterdir())
        if p.is_file() and p.suffix.lower() in RAW_SUFFIXES
    )
    left_out = tuple(sorted((name, tuple(c)) for name, c in (leave_out or {}).items()))
    return _raw_digest(raw_dir, state, left_out)


@functools.lru_cache(maxsize=8)
def _raw_digest(
    raw_dir: Path, state: tuple, leave_out: tuple[tuple[str, tuple[str, ...]], ...]
) -> str:
    columns_of = dict(leave_out)
    digest = hashlib.sha256()
    for name, checksum in raw_checksums(raw_dir).items():
        columns = columns_of.get(name)
        cells = _cells_digest(raw_dir / name, columns) if columns else None
        digest.update(json.dumps([name, cells or checksum]).encode())
    return digest.hexdigest()


ROWS_PER_PASS = 10_000  # rows re-written and hashed at a time


def _cells_digest(path: Path, columns: tuple[str, ...]) -> str | None:
    """Digest of the cells of a CSV file, ``columns`` left out: the rest written again as CSV
    (``None``: it is not UTF-8 CSV, has none of them, or a row is short of cells)."""
    digest = hashlib.sha256()
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = csv.reader(handle)
            header = next(rows)
            keep = [i for i, column in enumerate(header) if column.strip() not in columns]
            if not keep or len(keep) == len(header):
                return None
            pick = operator.itemgetter(*keep)
            kept = pick if len(keep) > 1 else lambda row: (pick(row),)
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(kept(header))
            for part in iter(lambda: list(itertools.islice(rows, ROWS_PER_PASS)), []):
                writer.writerows(map(kept, part))
                digest.update(buffer.getvalue().encode())
                buffer.seek(0)
                buffer.truncate()
            digest.update(buffer.getvalue().encode())
    except (UnicodeDecodeError, csv.Error, StopIteration, IndexError):
        return None
    return digest.hexdigest()


def package_digest() -> str:
    """Digest of the botu sources: a change in the code invalidates every output."""
    package = Path(__file__).parent
    return files_digest([p for p in package.rglob("*") if p.suffix in {".py", ".j2"}], package)


def build_key(raw_dir: Path, lang: str | list[str] = "nl", workbook: bool | None = None) -> str:
    """What the processed tables are computed from: the raw files and the botu sources (and
    the workbooks' languages, and whether a workbook was asked for or refused)."""
    inputs: dict[str, Any] = {"raw": raw_checksums(raw_dir), "code": package_digest()}
    languages = [lang] if isinstance(lang, str) else list(lang)
    if languages != ["nl"]:  # the key of a Dutch build stays what it was
        inputs["lang"] = languages[0] if len(languages) == 1 else languages
    if workbook is not None:
        inputs["workbook"] = workbook
    payload = json.dumps(inputs, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def built_key(processed_dir: Path) -> str | None:
    """The build key ``processed_dir`` was written with (``None``: none was)."""
    stamp = Path(processed_dir) / BUILD_KEY
    try:
        return stamp.read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
