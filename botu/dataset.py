"""One validated data set: the codebook and every table, typed, with the warnings found."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from botu import config
from botu.codebook import Codebook, load_codebook
from botu.errors import InputError, Problem
from botu.io import CODEBOOK_NAME, raw_checksums, read_raw_tables
from botu.schema import TABLES
from botu.validate import DTYPES, check_dataset

_DTYPES = DTYPES  # the dtype of each kind of column (kept under its old name)


@dataclass
class Dataset:
    """The raw material of one project, validated and typed."""

    codebook: Codebook
    tables: dict[str, pd.DataFrame]
    warnings: list[Problem] = field(default_factory=list)
    raw_dir: Path | None = None
    checksums: dict[str, str] = field(default_factory=dict)

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    @property
    def is_fictional(self) -> bool:
        """True when every row of every table says it is fictional demo material."""
        flags = [t["is_fictional"] for t in self.tables.values()]
        return bool(flags) and all(bool(f.fillna(False).all()) for f in flags)

    @property
    def team_ids(self) -> list[str]:
        return sorted(self.tables["teams"]["team_id"].tolist())

    def segments_with_context(self) -> pd.DataFrame:
        """Segments joined to their document's team, kind, phase and respondent."""
        documents = self.tables["documents"][
            ["document_id", "team_id", "kind", "phase", "date", "respondent_id"]
        ]
        return self.tables["segments"].merge(
            documents, on="document_id", how="left", validate="m:1"
        )


def _typed(frame: pd.DataFrame, table_name: str) -> pd.DataFrame:
    """The table with each column in its dtype; :func:`check_dataset` gives them so, and a
    column already in its dtype is kept as it is (no copy of a million rows)."""
    table = TABLES[table_name]
    out = frame.copy(deep=False)
    for column in table.columns:
        values = out[column.name]
        if column.kind == "date":
            if not pd.api.types.is_datetime64_dtype(values.dtype):
                out[column.name] = pd.to_datetime(values)
        elif values.dtype != _DTYPES[column.kind]:
            out[column.name] = values.astype(_DTYPES[column.kind])
    return out


def load_dataset(raw_dir: str | Path | None = None, *, strict: bool = True) -> Dataset:
    """Load and validate the raw data of a project.

    Args:
        raw_dir: folder holding ``codebook.yml`` and the tables (default: the active project's
            ``data/raw``).
        strict: raise on any error (the default); ``False`` returns what could be typed, with
            the errors among the warnings, for a notebook that wants to show them.

    Raises:
        InputError: listing every problem, located by file, row and column.
    """
    raw_dir = Path(raw_dir) if raw_dir is not None else config.paths().raw
    codebook = load_codebook(raw_dir / CODEBOOK_NAME)
    # the checksums are computed meanwhile: hashing runs without holding the GIL
    with ThreadPoolExecutor(max_workers=1) as pool:
        checksums = pool.submit(raw_checksums, raw_dir)
        raws = read_raw_tables(raw_dir)
        frames, problems = check_dataset(raws, codebook)
        errors = [p for p in problems if p.severity == "error"]
        if errors and strict:
            raise InputError(problems)
        tables = {name: _typed(frame, name) for name, frame in frames.items()}
        return Dataset(codebook, tables, problems, raw_dir, checksums.result())


def table_counts(data: Dataset) -> pd.DataFrame:
    """Rows per table and where each came from, for the overview notebook."""
    rows = [{"table": name, "rows": len(frame)} for name, frame in data.tables.items()]
    rows.append({"table": "codebook (codes)", "rows": len(data.codebook.codes)})
    return pd.DataFrame(rows)


def segments_by_team(data: Dataset, total: str = "total") -> pd.DataFrame:
    """Team × document kind: number of segments, with totals (row and column ``total``)."""
    context = data.segments_with_context()
    return pd.crosstab(context["team_id"], context["kind"], margins=True, margins_name=total)


def problems_table(data: Dataset) -> pd.DataFrame:
    """Validation warnings (and errors, when loaded with ``strict=False``) as a table."""
    return pd.DataFrame(
        [
            {
                "file": p.file,
                "row": p.row,
                "column": p.column,
                "severity": p.severity,
                "message": p.message,
            }
            for p in data.warnings
        ],
        columns=["file", "row", "column", "severity", "message"],
    )
