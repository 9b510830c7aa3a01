"""A last check that no real name reaches a published output.

Real names live only outside the repository, in a private key the researcher keeps
(pseudonym → real name). Point ``BOTU_PRIVATE_NAMES`` at a text file with one real name per
line (or put it at ``data/private/real_names.txt``, which git ignores) and every report
build scans what it publishes — processed tables, figures, pages — for those names.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from botu import config
from botu.errors import BotuError

NAMES_ENV_VAR = "BOTU_PRIVATE_NAMES"
SCANNED_SUFFIXES = {".csv", ".json", ".html", ".ipynb", ".svg", ".md", ".txt"}
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


def read_names(path: Path) -> list[str]:
    """Real names from a private list: one per line, ``#`` comments, short ones skipped."""
    lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    names = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return [n for n in names if len(n) >= MIN_NAME_LENGTH]


def scan(folders: list[Path], names: list[str]) -> list[Leak]:
    """Every place in the text outputs under ``folders`` where one of ``names`` occurs.

    Matching ignores case. PNG files are not scanned (their text is drawn, not stored); the
    SVG twin of every figure is.
    """
    lowered = [(n, n.casefold()) for n in names]
    leaks: list[Leak] = []
    for folder in folders:
        if not folder.exists():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.suffix in SCANNED_SUFFIXES):
            text = path.read_text(encoding="utf-8", errors="replace")
            folded = text.casefold()
            for name, low in lowered:
                index = folded.find(low)
                if index >= 0:
                    leaks.append(Leak(path, name, folded.count("\n", 0, index) + 1))
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
