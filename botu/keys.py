"""What an output is computed from, as digests: the raw files, the botu sources, the
processed tables' build key (the standard library only)."""

from __future__ import annotations

import hashlib
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
