"""Importing a REFI-QDA project (``.qdpx``) or a workbook into a study's data tables."""

from __future__ import annotations

import contextlib
import csv
import shutil
import tempfile
from pathlib import Path

import yaml

from botu.codebook import load_codebook
from botu.errors import InputError, Problem
from botu.io import CODEBOOK_NAME, make_shareable, read_workbook, replace_directory
from botu.qdpx.archive import SafeArchive
from botu.qdpx.export import (
    SIDECAR,
    SIDECAR_TABLES,
)
from botu.qdpx.mapping import Mapping, load_mapping
from botu.qdpx.positions import TOOLS, UNITS, detect_tool
from botu.qdpx.read import read_project
from botu.qdpx.tables import Builder, ImportReport, table_columns
from botu.qdpx.xml import parse_xml, schema_errors
from botu.schema import TABLE_ORDER
from botu.validate import check_dataset

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def import_project(
    path: str | Path,
    into: str | Path,
    mapping: str | Path | None = None,
    *,
    positions: str = "auto",
    force: bool = False,
    strict: bool = False,
    codebook: str | Path | None = None,
) -> ImportReport:
    """Import a REFI-QDA project (``.qdpx``) or a workbook (``.xlsx``) into the folder ``into``.

    Args:
        path: the ``.qdpx`` (or ``.xlsx``, a sheet per table) to import.
        into: the folder to write ``codebook.yml`` and the tables to; created, or replaced
            when ``force`` (it must otherwise be empty or absent).
        mapping: optional YAML file connecting the tool's code, case, source and user names to
            our ids (see :mod:`botu.qdpx.mapping`).
        positions: ``"auto"`` (by the exporting tool, checked against the selection names),
            ``"codepoints"``, ``"utf16"`` or ``"utf8"`` (bytes) to override how selection
            positions are counted.
        force: replace a non-empty ``into``.
        strict: refuse (and write nothing) unless the imported tables validate; by default
            they are written and their problems listed in :attr:`ImportReport.validation`.
        codebook: for a workbook: the ``codebook.yml`` to validate it with (default: the one
            beside the workbook).

    Returns:
        What was taken, per source, what was left out and why, warnings and validation results.

    Raises:
        InputError: unreadable or hostile input (naming the element or archive member), a
            non-empty target without ``force``; nothing is written then.
    """
    path, into = Path(path), Path(into)
    if into.is_symlink():
        raise InputError(Problem(str(into), None, None, "is a symbolic link; give a real folder"))
    into = into.resolve()  # also gives "." and "dir/.." a name to stage beside
    if path.is_dir():
        raise InputError(
            Problem(str(path), None, None, "is a folder; give the .qdpx (or .xlsx) file itself")
        )
    if not path.is_file():
        raise InputError(Problem(str(path), None, None, "file to import does not exist"))
    if positions not in ("auto", *UNITS):
        raise InputError(
            Problem(
                "--positions", None, None, f"'{positions}' is not one of auto, {', '.join(UNITS)}"
            )
        )
    _check_target(into, force, [p for p in (path, mapping, codebook) if p])
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        if mapping is not None:
            raise InputError(Problem(path.name, None, None, "a mapping file is for .qdpx only"))
        return _import_workbook(path, into, codebook)
    maps = load_mapping(mapping)
    with SafeArchive(path) as archive:
        member = archive.find_project_file()
        label = f"{archive.label}[{member}]"
        if archive.size(member) > MAX_PROJECT_XML_BYTES:
            raise InputError(
                Problem(
                    label,
                    None,
                    None,
                    f"refused: the project file is larger than {MAX_PROJECT_XML_BYTES // 2**20} MB",
                )
            )
        xml = archive.read(member)
        root = parse_xml(xml, label)
        _check_bounds(root, label)
        project = read_project(archive, member, root)
        from_botu = detect_tool(project.origin) == "botu"
        sidecar = _read_sidecar(archive) if from_botu else {}
    warnings = _schema_warnings(xml, label)
    tool = detect_tool(project.origin)
    report = ImportReport(path, into, TOOLS[tool], project.origin, project.name)
    builder = Builder(project, tool, maps, positions, label, report)
    tables = builder.build()
    if builder.problems:
        raise InputError(builder.problems)
    report.warnings = warnings + builder.warnings + _unused(maps)
    if maps.codebook:
        codebook_text = maps.codebook.read_text(encoding="utf-8-sig")
    elif "codebook.yml" in sidecar and tool == "botu":  # a tool may have changed the codes
        codebook_text = sidecar["codebook.yml"]
    else:
        codebook_text = _codebook_yaml(
            builder.codebook(tables["documents"], tables["teams"]), report
        )
    if sidecar:
        report.warnings.append(
            Problem(
                label,
                None,
                None,
                f"botu/ folder: took {', '.join(sorted(sidecar))} as exported by botu",
                severity="warning",
            )
        )
    report.documents = len(tables["documents"])
    report.teams = len(tables["teams"])
    report.segments = len(tables["segments"])
    report.codings = len(tables["codings"])
    report.coders = sorted({r["coder_id"] for r in tables["codings"]})
    report.codes_used = len({r["code_id"] for r in tables["codings"]})
    report.codes = (
        len(load_codebook(maps.codebook).codes) if maps.codebook else len(builder.codebook_codes)
    )
    report.not_imported.update(
        {f"{kind}(s)": n for kind, n in project.skipped_sources.items()}
        | {f"{kind} item(s)": n for kind, n in project.ignored.items()}
    )

    def fill(staging: Path) -> None:
        for name in TABLE_ORDER:
            if f"{name}.csv" in sidecar:
                (staging / f"{name}.csv").write_text(sidecar[f"{name}.csv"], encoding="utf-8")
                continue
            rows = tables.get(name, [])
            _write_csv(staging / f"{name}.csv", table_columns(name, rows), rows)
        (staging / CODEBOOK_NAME).write_text(codebook_text, encoding="utf-8")
        report.validation = _validation(staging)
        errors = [p for p in report.validation if p.severity == "error"]
        if strict and errors:
            raise InputError(report.validation)

    _publish(into, fill)
    return report


# --- helpers -------------------------------------------------------------------------------


MAX_PROJECT_XML_BYTES = 100 * 2**20  # parsed in memory: bounded before parsing
MAX_SELECTIONS = 200_000  # text selections in one project
MAX_SELECTED_CHARS = 50_000_000  # characters selected in all, each copied into a segment
MAX_NAME_CHARS = 10_000  # a code, source or case name (names are copied into every path)


def _check_bounds(root, label: str) -> None:
    """Refuse a project whose size would make the import itself the attack.

    The archive's size and ratio are bounded by :class:`SafeArchive`; these bound the work
    the XML asks for: how many selections, how much text they copy, how long names are.
    """
    from botu.qdpx.xml import local

    selections = 0
    selected = 0
    for element in root.iter():
        name = element.get("name")
        if name is not None and len(name) > MAX_NAME_CHARS:
            raise InputError(
                Problem(
                    label,
                    None,
                    None,
                    f"refused: a <{local(element.tag)}> "
                    f"name is {len(name):,} characters (at most "
                    f"{MAX_NAME_CHARS:,})",
                )
            )
        if local(element.tag) == "PlainTextSelection":
            selections += 1
            with contextlib.suppress(ValueError):  # reported when the selection is read
                selected += max(
                    0, int(element.get("endPosition", "0")) - int(element.get("startPosition", "0"))
                )
    if selections > MAX_SELECTIONS:
        raise InputError(
            Problem(
                label,
                None,
                None,
                f"refused: {selections:,} text selections (at most {MAX_SELECTIONS:,})",
            )
        )
    if selected > MAX_SELECTED_CHARS:
        raise InputError(
            Problem(
                label,
                None,
                None,
                f"refused: the selections cover "
                f"{selected:,} characters in all (at most "
                f"{MAX_SELECTED_CHARS:,})",
            )
        )


def _read_sidecar(archive: SafeArchive) -> dict[str, str]:
    """The files of a ``botu/`` folder (written by :func:`export_project`), by file name.

    Only the codebook and the tables REFI-QDA has no place for are taken; the archive's
    size bounds apply as to every member, and the text must be UTF-8.
    """
    wanted = {"codebook.yml", *(f"{name}.csv" for name in SIDECAR_TABLES)}
    found: dict[str, str] = {}
    for name in archive.names():
        folder, _, file = name.rpartition("/")
        if folder.lower() == SIDECAR and file in wanted:
            try:
                found[file] = archive.read(name).decode("utf-8-sig")
            except UnicodeDecodeError:
                raise InputError(
                    Problem(f"{archive.label}[{name}]", None, None, "is not UTF-8 text")
                ) from None
    if "codebook.yml" in found:
        _refuse_yaml_aliases(found["codebook.yml"], f"{archive.label}[{SIDECAR}/codebook.yml]")
    return found


def _refuse_yaml_aliases(text: str, label: str) -> None:
    """Refuse anchors and aliases: PyYAML expands them without bound (a "billion laughs")."""
    try:
        for token in yaml.scan(text):
            if isinstance(token, yaml.AliasToken | yaml.AnchorToken):
                raise InputError(
                    Problem(
                        label,
                        token.start_mark.line + 1,
                        None,
                        "refused: YAML anchors and aliases are not accepted in an import",
                    )
                )
    except yaml.YAMLError as exc:
        raise InputError(Problem(label, None, None, f"is not valid YAML ({exc})")) from None


def _check_target(into: Path, force: bool, inputs: list) -> None:
    if into.exists() and not into.is_dir():
        raise InputError(Problem(str(into), None, None, "exists and is not a folder"))
    if into.is_dir() and any(into.iterdir()) and not force:
        raise InputError(
            Problem(str(into), None, None, "is not empty; pass --force to replace its contents")
        )
    target = into.resolve()
    for item in inputs:
        if target in Path(item).resolve().parents:
            raise InputError(
                Problem(str(item), None, None, f"lies inside {into}, which the import replaces")
            )


def _publish(into: Path, fill) -> None:
    """Run ``fill(staging)`` on a fresh folder beside ``into``; rename it into place."""
    try:
        into.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{into.name}.", suffix=".part", dir=into.parent))
    except OSError as exc:
        raise InputError(Problem(str(into), None, None, f"cannot be written ({exc})")) from None
    try:
        fill(staging)
        replace_directory(make_shareable(staging), into)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise InputError(Problem(str(into), None, None, f"cannot be written ({exc})")) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _write_csv(target: Path, columns: list[str], rows: list[dict]) -> None:
    with open(target, "w", encoding="utf-8", newline="") as handle:
        plain = csv.writer(handle, lineterminator="\n")
        # the csv module does not quote a lone carriage return (not in the line terminator),
        # which would end the row when read back: quote every field of such a row
        quoted = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL)
        plain.writerow(columns)
        for row in rows:
            values = [row.get(c, "") for c in columns]
            has_cr = any(isinstance(v, str) and "\r" in v for v in values)
            (quoted if has_cr else plain).writerow(values)


def _validation(folder: Path) -> list[Problem]:
    from botu.dataset import load_dataset

    try:
        return list(load_dataset(folder, strict=False).warnings)
    except InputError as exc:
        return list(exc.problems)


def _schema_warnings(xml: bytes, label: str) -> list[Problem]:
    errors = schema_errors(xml, "project")
    if errors is None:
        return [Problem(label, None, None, "not checked against the schema (no lxml)", "warning")]
    if not errors:
        return []
    shown = "; ".join(errors[:3]) + ("; …" if len(errors) > 3 else "")
    return [
        Problem(
            label,
            None,
            None,
            f"does not follow the REFI-QDA schema ({len(errors)} issue(s)); read anyway: {shown}",
            "warning",
        )
    ]


def _unused(maps: Mapping) -> list[Problem]:
    found = []
    for section in ("codes", "teams", "documents", "coders", "variables"):
        for key in getattr(maps, section).unused():
            found.append(
                Problem(
                    maps.source,
                    None,
                    section,
                    f"'{key}' matches nothing in the project",
                    "warning",
                )
            )
    return found


def _codebook_yaml(data: dict, report: ImportReport) -> str:
    head = (
        f"# Imported from {report.source.name} ({report.tool}) by `python -m botu import`.\n"
        "# Every code is a segment code; set levels, labels, definitions and rubrics here.\n"
    )
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _import_workbook(path: Path, into: Path, codebook: str | Path | None) -> ImportReport:
    """Split a workbook's sheets into CSV tables, only if they validate (always strict)."""
    codebook_path = Path(codebook) if codebook else path.parent / CODEBOOK_NAME
    if not codebook_path.is_file():
        raise InputError(
            Problem(
                path.name,
                None,
                None,
                "a workbook import needs the codebook: pass --codebook PATH or put "
                f"{CODEBOOK_NAME} beside the workbook",
            )
        )
    book = load_codebook(codebook_path)
    sheets = read_workbook(path)
    problems = [
        Problem(path.name, None, None, f"table '{name}' is missing: expected a sheet '{name}'")
        for name in TABLE_ORDER
        if name not in sheets
    ]
    if problems:
        raise InputError(problems)
    frames, found = check_dataset({name: sheets[name] for name in TABLE_ORDER}, book)
    if any(p.severity == "error" for p in found):
        raise InputError(found)
    report = ImportReport(path, into, "Excel workbook")
    report.warnings = [
        Problem(
            f"{path.name}[{name}]", None, None, "not a table of the data set, ignored", "warning"
        )
        for name in sheets
        if name not in TABLE_ORDER
    ] + found

    def fill(staging: Path) -> None:
        for name in TABLE_ORDER:
            frame = sheets[name].frame
            _write_csv(
                staging / f"{name}.csv",
                list(frame.columns),
                frame.to_dict(orient="records"),
            )
        shutil.copyfile(codebook_path, staging / CODEBOOK_NAME)
        report.validation = _validation(staging)
        errors = [p for p in report.validation if p.severity == "error"]
        if errors:  # the CSVs must say what the workbook said
            raise InputError(report.validation)

    _publish(into, fill)
    report.documents = len(frames["documents"])
    report.teams = len(frames["teams"])
    report.segments = len(frames["segments"])
    report.codings = len(frames["codings"])
    report.coders = sorted(set(frames["codings"]["coder_id"].dropna()))
    report.codes = len(book.codes)
    report.codes_used = frames["codings"]["code_id"].dropna().nunique()
    return report
