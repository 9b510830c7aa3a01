"""What an output is computed from, as digests: the raw files, the botu sources, the
processed tables' build key (the standard library only)."""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
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
    file with such a column)."""
    digest = hashlib.sha256()
    for name, checksum in raw_checksums(raw_dir).items():
        columns = (leave_out or {}).get(name)
        cells = _cells_digest(Path(raw_dir) / name, columns) if columns else None
        digest.update(json.dumps([name, cells or checksum]).encode())
    return digest.hexdigest()


def _cells_digest(path: Path, columns: tuple[str, ...]) -> str | None:
    """Digest of the cells of a CSV file, ``columns`` left out (``None``: it is not UTF-8 CSV,
    or has none of them)."""
    digest = hashlib.sha256()
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = csv.reader(handle)
            header = next(rows)
            keep = [i for i, column in enumerate(header) if column.strip() not in columns]
            if len(keep) == len(header):
                return None
            for row in itertools.chain([header], rows):
                digest.update(json.dumps([row[i] for i in keep if i < len(row)]).encode())
                digest.update(json.dumps(len(row)).encode())
    except (UnicodeDecodeError, csv.Error, StopIteration):
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
