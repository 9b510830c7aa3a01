"""A new study folder (``python -m botu init DIR``), and whether a raw folder is still as new.

:func:`init_study` writes, atomically, everything a study starts with: ``data/raw`` holding the
starter codebook and every table of the contract with its header only, a README for the
researcher and a ``.gitignore``. The generated folders (``data/processed``, ``figures``,
``reports``) are left to the pipeline, which creates them; ``data/private`` is never created.

:func:`has_no_rows` tells whether anything has been imported yet: after ``init`` (or a codebook
import) every table holds its header only, and an import needs no ``--force``.
"""

from __future__ import annotations

import os
import shlex
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from botu.codebook import STARTER_CODEBOOK
from botu.errors import InputError, Problem
from botu.io import CODEBOOK_NAME, make_shareable, read_csv_table
from botu.schema import TABLE_ORDER, TABLES

STARTER_DIR = Path(__file__).resolve().parent / "starter"
README_TEMPLATE = STARTER_DIR / "README.md"
GITIGNORE_TEMPLATE = STARTER_DIR / "gitignore"
# columns of the contract a new study leaves out of its headers: a real study is not fictional
LEFT_OUT = frozenset({"is_fictional"})
# files an operating system drops into any folder; they do not make a folder "used"


def starter_columns(table: str) -> list[str]:
    """The header a new study's ``table`` gets: the contract's columns, in contract order.

    Required columns and the optional ones a researcher fills (``documents.title``,
    ``teams.call_year``, ``note``, …); only ``is_fictional`` is left out.
    """
    return [c.name for c in TABLES[table].columns if c.name not in LEFT_OUT]


def starter_files() -> dict[str, bytes]:
    """What ``init`` writes into ``data/raw``: file name → exact bytes."""
    files = {CODEBOOK_NAME: STARTER_CODEBOOK.read_bytes()}
    for name in TABLE_ORDER:
        files[f"{name}.csv"] = (",".join(starter_columns(name)) + "\n").encode("utf-8")
    return files


@dataclass(frozen=True)
class Study:
    """A study folder just created by :func:`init_study`."""

    root: Path
    files: tuple[Path, ...]  # relative to root, in the order written

    def summary(self, shown_root: str | Path | None = None) -> str:
        """What was created and the command to run next."""
        shown = shlex.quote(str(shown_root if shown_root is not None else self.root))
        lines = [f"created study folder {self.root}:"]
        lines += [f"  {path.as_posix()}" for path in self.files]
        lines += [
            "",
            "next: export a REFI-QDA project (.qdpx) from your QDA tool and import it:",
            f"  python -m botu import export.qdpx --into {shown}/data/raw",
            f"then see what is still missing: python -m botu --root {shown} status",
        ]
        return "\n".join(lines)


def _refuse(target: Path, message: str) -> InputError:
    return InputError(Problem(str(target), None, None, message))


def _check_target(target: Path) -> None:
    if target.is_symlink():
        raise _refuse(target, "is a symbolic link; give a real folder for the new study")
    if target.exists() and not target.is_dir():
        raise _refuse(target, "exists and is not a folder; give a new folder for the study")
    if target.is_dir():
        try:
            used = any(target.iterdir())
        except OSError as exc:
            raise _refuse(target, f"cannot be read ({exc.strerror or exc})") from None
        if used:
            raise _refuse(
                target,
                "exists and is not empty; a study is never overwritten: give a new folder",
            )


def _readme(name: str) -> str:
    """The study's README; its commands run in the study folder, so it stays true when moved."""
    text = README_TEMPLATE.read_text(encoding="utf-8")
    return text.replace("{{name_arg}}", shlex.quote(name)).replace("{{name}}", name)


def _fill(staging: Path, name: str) -> list[Path]:
    written: list[Path] = []

    def write(relative: str, data: bytes) -> None:
        path = staging / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(Path(relative))

    write("README.md", _readme(name).encode("utf-8"))
    write(".gitignore", GITIGNORE_TEMPLATE.read_bytes())
    for file_name, data in starter_files().items():
        write(f"data/raw/{file_name}", data)
    return written


def init_study(root: str | Path) -> Study:
    """Create a new study folder at ``root``; all of it or nothing.

    Args:
        root: the folder to create; it may exist only as an empty folder.

    Raises:
        InputError: ``root`` exists and is not an empty folder, is a file or a symbolic link,
            or cannot be written; nothing is written then.
    """
    given = Path(root)
    _check_target(given)
    target = given.resolve()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(
            tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        )
    except OSError as exc:
        raise _refuse(given, f"cannot be written ({exc.strerror or exc})") from None
    try:
        files = _fill(staging, target.name)
        if target.is_dir():  # empty (checked above), perhaps the current folder: keep it
            _move_into(staging, target)
            staging.rmdir()
        else:
            make_shareable(staging)
            os.replace(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise _refuse(given, f"cannot be written ({exc.strerror or exc})") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Study(target, tuple(files))


def _move_into(staging: Path, target: Path) -> None:
    """Rename each top-level entry of ``staging`` into the empty folder ``target``.

    Each rename is atomic and ``data/`` (everything the pipeline reads) is one of them; if a
    rename fails, the entries already moved are taken out again, leaving ``target`` empty.
    """
    moved: list[Path] = []
    try:
        for entry in sorted(staging.iterdir()):
            os.replace(entry, target / entry.name)
            moved.append(target / entry.name)
    except BaseException:
        for path in moved:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        raise


def has_no_rows(raw_dir: str | Path) -> bool:
    """True when every table in ``raw_dir`` is absent or header-only (only a codebook may have
    come in, e.g. from a ``.qdc``): nothing is imported yet."""
    raw_dir = Path(raw_dir)
    for name in TABLE_ORDER:
        path = raw_dir / f"{name}.csv"
        if not path.is_file():
            continue
        try:
            if len(read_csv_table(path).frame):
                return False
        except InputError:
            return False
    return not (raw_dir / "botu.xlsx").exists()
