"""Paths of the project, anchored at the package; no side effects on import.

Set ``BOTU_ROOT`` to point the whole pipeline (raw data, processed tables, figures and
reports) at another project folder, for example a copy holding real material.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

PROJ_ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
ROOT_ENV_VAR = "BOTU_ROOT"
# set by the report runner for its notebooks: where they write figures/ and reports/ (a
# staged site, published whole when every page is done)
OUTPUT_ENV_VAR = "BOTU_OUTPUT"

TEAM_NOTEBOOK = "10-team.ipynb"
OVERVIEW_NOTEBOOK = "00-overview.ipynb"
RELIABILITY_NOTEBOOK = "20-reliability.ipynb"
COMPARE_NOTEBOOK = "30-compare.ipynb"


@dataclass(frozen=True)
class Paths:
    """Where a project's inputs and generated outputs live: the inputs and processed tables
    under ``root``; ``figures/`` and ``reports/`` under ``output`` when a site is staged
    (default: ``root`` too)."""

    root: Path
    output: Path | None = None

    @property
    def site_root(self) -> Path:
        """The folder holding ``figures/`` and ``reports/``."""
        return self.output if self.output is not None else self.root

    def published(self, path: Path) -> Path:
        """Where ``path``, written under a staged ``output``, will be once published."""
        path = Path(path)
        if self.output is not None and path.is_relative_to(self.output):
            return self.root / path.relative_to(self.output)
        return path

    @property
    def raw(self) -> Path:
        return self.root / "data" / "raw"

    @property
    def processed(self) -> Path:
        return self.root / "data" / "processed"

    @property
    def figures(self) -> Path:
        return self.site_root / "figures"

    @property
    def reports(self) -> Path:
        return self.site_root / "reports"

    @property
    def summary(self) -> Path:
        return self.processed / "summary.json"

    def team_report_path(self, team_id: str, suffix: str = ".html") -> Path:
        """The rendered page (or executed notebook) of one team."""
        return self.reports / f"team-{team_id}{suffix}"


def project_root() -> Path:
    """The active project folder: ``$BOTU_ROOT`` when set, else the repository."""
    value = os.environ.get(ROOT_ENV_VAR)
    return Path(value).expanduser().resolve() if value else PROJ_ROOT


def paths(root: str | Path | None = None, output: str | Path | None = None) -> Paths:
    """Paths of the project at ``root`` (default: :func:`project_root`), its figures and
    pages under ``output`` (default: ``$BOTU_OUTPUT`` when set, else ``root``)."""
    if output is None and os.environ.get(OUTPUT_ENV_VAR):
        output = os.environ[OUTPUT_ENV_VAR]
    return Paths(
        Path(root).resolve() if root is not None else project_root(),
        Path(output).resolve() if output is not None else None,
    )


def git_commit(cwd: Path | None = None) -> str:
    """The repository's HEAD commit (with ``+dirty`` for local changes to ``botu`` or the
    notebooks), or ``unknown`` outside a git checkout."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=cwd or PROJ_ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        dirty = git("status", "--porcelain", "--", "botu", "notebooks")
        return git("rev-parse", "--short=12", "HEAD") + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
