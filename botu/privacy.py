"""A last check that no real name reaches a published output.

Real names live only outside the repository, in a private key the researcher keeps
(pseudonym → real name). Point ``BOTU_PRIVATE_NAMES`` at a text file with one real name per
line (or put it at ``data/private/real_names.txt``, which git ignores) and every report
build scans what it publishes — processed tables, figures, pages — for those names.
"""

from __future__ import annotations

import codecs
import functools
import html
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from botu import config
from botu.errors import BotuError

NAMES_ENV_VAR = "BOTU_PRIVATE_NAMES"
SCANNED_SUFFIXES = {".csv", ".json", ".html", ".ipynb", ".svg", ".md", ".txt", ".xlsx"}
MAX_SCANNED_BYTES = 200 * 1024 * 1024
MIN_NAME_LENGTH = 3  # shorter strings would match everywhere


class PrivacyError(BotuError):
    """A published output contains a real name."""


@dataclass(frozen=True)
class Leak:
    path: Path
    name: str
    line: int

    def __str__(self) -> str:
        # the name itself is not repeated in full: the message may end up in a CI log
        hidden = self.name[0] + "…" + self.name[-1]
        return f"{self.path}, line {self.line}: contains the real name '{hidden}'"


def names_file(paths: config.Paths) -> Path | None:
    """The private names list in use, if any."""
    value = os.environ.get(NAMES_ENV_VAR)
    if value:
        return Path(value).expanduser()
    default = paths.root / "data" / "private" / "real_names.txt"
    return default if default.exists() else None


def _decode_names(data: bytes, label: str) -> str:
    """The names file's text: UTF-8 (with or without BOM), UTF-16 (with BOM), else Windows
    Latin-1 (CP1252), which is how Excel and Notepad save on Dutch Windows."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_names(path: Path) -> list[str]:
    """Real names from a private list: one per line, ``#`` comments, short ones skipped."""
    text = _decode_names(Path(path).read_bytes(), Path(path).name)
    names = [line.strip() for line in text.splitlines() if line.strip()]
    names = [n for n in names if not n.startswith("#")]
    return [n for n in names if len(fold(n)) >= MIN_NAME_LENGTH]


_APOSTROPHES = dict.fromkeys(map(ord, "‘’‛ʼ´`′"), "'")


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """One character as names are compared: no diacritics, case folded, apostrophes alike,
    any space (a line break, a non-breaking space) a plain space."""
    if char.isspace():
        return " "
    plain = unicodedata.normalize("NFKD", char.translate(_APOSTROPHES))
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


def fold(text: str) -> str:
    """``text`` as names are compared (see :func:`_fold_char`), runs of spaces as one."""
    return " ".join("".join(map(_fold_char, unicodedata.normalize("NFC", text))).split())


def _folded_lines(text: str) -> tuple[str, list[int]]:
    """``text`` folded, and for each folded character the line it comes from."""
    out: list[str] = []
    lines: list[int] = []
    line = 1
    for char in unicodedata.normalize("NFC", text):
        folded = _fold_char(char)
        if folded == " " and (not out or out[-1] == " "):
            pass  # one space for a run of spaces and line breaks
        else:
            out.extend(folded)
            lines.extend([line] * len(folded))
        if char == "\n":
            line += 1
    return "".join(out), lines


def _text_of(path: Path) -> str:
    """What a published file says, as a reader or a program would read it: entities of
    HTML and SVG resolved; a workbook's cells."""
    if path.suffix == ".xlsx":
        parts = []
        with zipfile.ZipFile(path) as book:
            for info in book.infolist():
                if info.filename.endswith(".xml") and info.file_size < MAX_SCANNED_BYTES:
                    parts.append(book.read(info).decode("utf-8", errors="replace"))
        return html.unescape(re.sub(r"<[^>]+>", " ", "\n".join(parts)))
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix in {".html", ".svg", ".ipynb"}:
        text = "\n".join(html.unescape(line) for line in text.split("\n"))
    return text


def scan(folders: list[Path], names: list[str]) -> list[Leak]:
    """Every place in the published outputs under ``folders`` where one of ``names`` occurs.

    Names and text are compared folded (:func:`fold`): case, diacritics (on either side,
    composed or not), spacing and line breaks, and the kind of apostrophe do not matter.
    PNG files are not scanned (their text is drawn, not stored); the SVG twin of every
    figure is.
    """
    wanted = [(n, fold(n)) for n in names]
    leaks: list[Leak] = []
    for folder in folders:
        if not folder.exists():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.suffix in SCANNED_SUFFIXES):
            if not path.is_file() or path.stat().st_size > MAX_SCANNED_BYTES:
                continue
            folded, lines = _folded_lines(_text_of(path))
            for name, low in wanted:
                index = folded.find(low)
                if index >= 0:
                    leaks.append(Leak(path, name, lines[index]))
    return leaks


def check_outputs(paths: config.Paths) -> int:
    """Scan the published outputs of a project; raise when a real name is found.

    Returns:
        The number of names checked (0 when there is no private list).

    Raises:
        PrivacyError: listing every file and line where a real name occurs.
    """
    source = names_file(paths)
    if source is None:
        return 0
    if not source.exists():
        raise PrivacyError(f"{source}: private names list not found ({NAMES_ENV_VAR})")
    names = read_names(source)
    leaks = scan([paths.processed, paths.figures, paths.reports], names)
    if leaks:
        raise PrivacyError(
            "real names in published outputs — do not share them:\n"
            + "\n".join(str(leak) for leak in leaks)
        )
    return len(names)
