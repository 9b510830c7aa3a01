"""Importing a REFI-QDA project (``.qdpx``) or a workbook into a study's data tables."""

from __future__ import annotations

import contextlib
import csv
import shutil
import tempfile
from pathlib import Path

import yaml

from botu import config
from botu.codebook import STARTER_CODEBOOK, load_codebook, parse_codebook
from botu.errors import InputError, Problem
from botu.io import (
    CODEBOOK_NAME,
    make_shareable,
    read_workbook,
    refuse_unsafe_yaml,
    replace_directory,
)
from botu.qdpx.archive import SafeArchive
from botu.qdpx.export import (
    SIDECAR,
    SIDECAR_TABLES,
)
from botu.qdpx.mapping import Mapping, load_mapping
from botu.qdpx.merge import (
    HAND_TABLES,
    TOOL_TABLES,
    Changes,
    Study,
    carry_over,
    changed_rows,
    coding_changes,
    dangling,
    merge_rows,
    read_study,
    stable_segment_ids,
)
from botu.qdpx.positions import TOOLS, UNITS, detect_tool
from botu.qdpx.read import read_codebook, read_project
from botu.qdpx.skeleton import write_skeleton
from botu.qdpx.tables import Builder, ImportReport, table_columns
from botu.qdpx.xml import norm_guid, parse_xml, schema_errors
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
    write_mapping: str | Path | None = None,
) -> ImportReport:
    """Import a REFI-QDA project (``.qdpx``), codebook (``.qdc``) or a workbook (``.xlsx``)
    into the study folder ``into`` (its ``data/raw``).

    Into an empty folder, or one that :func:`botu.study.init` made, the tables are written;
    into a study with data (``force``), what comes from the tool (documents, segments,
    codings, the tool's codes) is replaced and what people completed by hand is kept
    (:mod:`botu.qdpx.merge`).

    Args:
        path: the ``.qdpx``, ``.qdc`` or ``.xlsx`` (a sheet per table) to import.
        into: the folder to write ``codebook.yml`` and the tables to.
        mapping: optional YAML file connecting the tool's names to our ids
            (:mod:`botu.qdpx.mapping`).
        positions: ``"auto"`` (by the exporting tool, checked against the selection names and
            the text), ``"codepoints"``, ``"utf16"`` or ``"utf8"`` (bytes) to force a unit.
        force: re-import into a study that already holds data.
        strict: all or nothing: refuse (and write nothing) when a source's text is missing
            or the imported tables do not validate.
        codebook: for a workbook: the ``codebook.yml`` to validate it with.
        write_mapping: write a mapping skeleton listing what the project holds to this file
            instead of importing.

    Returns:
        What was taken, per source, what was left out and why, what changed, warnings and
        validation results.

    Raises:
        InputError: unreadable or hostile input (naming the element or archive member), a
            study with data without ``force``; nothing is written then.
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
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        _check_target(into, force, [p for p in (path, mapping, codebook) if p])
        if mapping is not None:
            raise InputError(Problem(path.name, None, None, "a mapping file is for .qdpx only"))
        return _import_workbook(path, into, codebook)
    maps = load_mapping(mapping)
    if suffix == CODEBOOK_SUFFIX or _is_plain_xml(path):
        project, xml, label = _read_codebook_file(path)
        kind = "codebook"
        sidecar: dict[str, str] = {}
    else:
        project, xml, label, sidecar = _read_archive(path, strict)
        kind = "project"
    tool = detect_tool(project.origin)
    report = ImportReport(path, into, TOOLS[tool], project.origin, project.name)
    if write_mapping is not None:
        study = read_study(into) if into.is_dir() else Study(into)
        builder = Builder(project, tool, maps, positions, label, report)
        builder.resolve_codes(_base_codebook(study, into).get("codes") or [])
        coder_ids = {guid: builder.coder(guid) for guid in project.users}
        report.mapping_written = write_skeleton(
            project, tool, path, Path(write_mapping), builder.code_ids, coder_ids
        )
        return report
    study = _open_study(into, force, [p for p in (path, mapping, codebook) if p])
    from_botu = tool == "botu" and "codebook.yml" in sidecar
    base = None if from_botu else _base_codebook(study, into)
    builder = Builder(project, tool, maps, positions, label, report)
    builder.strict = strict
    builder.previous_documents = {
        norm_guid(d["tool_guid"]): d["document_id"]
        for d in study.rows("documents")
        if d.get("tool_guid")
    }
    if kind == "codebook":  # codes the study's codings use stay, even if the tool lost them
        builder.keep_ids = {c.get("code_id", "") for c in study.rows("codings")}
    if maps.codebook:
        builder.given_codebook, given_text = load_any_codebook(maps.codebook)
    tables = builder.build(None if from_botu or base is None else base.get("codes") or [])
    if builder.problems:
        raise InputError(builder.problems)
    for user in project.users.values():  # a mapping entry naming any user counts as matched
        maps.coders.mark_used(user.guid, user.id, user.name)
    report.warnings = _schema_warnings(xml, label, kind) + builder.warnings + _unused(maps)
    if maps.codebook:
        codebook_text = given_text
    elif from_botu:  # a tool may have changed the codes
        codebook_text = sidecar["codebook.yml"]
    else:
        codebook_text = _codebook_yaml(builder.codebook(base), report)
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
    report.kind = kind
    report.teams_from = builder.teams_from if kind == "project" else ""
    report.left_out = project.left_out
    report.not_imported.update({f"{kind} item(s)": n for kind, n in project.ignored.items()})
    written = _parsed(codebook_text)
    report.codes_assigned = _assignment(written)
    if kind == "codebook":
        final = None
    else:
        final = _merge(
            study, tables, builder, sidecar, report, set(written.codes) if written else set()
        )
        report.documents = len(final["documents"])
        report.teams = len(final["teams"])
        report.segments = len(final["segments"])
        report.codings = len(final["codings"])
        report.coders = sorted({r["coder_id"] for r in final["codings"]})
        report.codes_used = len({r["code_id"] for r in final["codings"]})
    report.codes = len(builder.given_codebook.codes) if maps.codebook else len(builder.code_ids)

    def fill(staging: Path) -> None:
        for name in TABLE_ORDER if final is not None else ():
            if isinstance(final[name], str):  # a sidecar table, as botu exported it
                (staging / f"{name}.csv").write_text(final[name], encoding="utf-8")
                continue
            rows = final[name]
            _write_csv(staging / f"{name}.csv", _columns(name, rows, study), rows)
        (staging / CODEBOOK_NAME).write_text(codebook_text, encoding="utf-8")
        report.validation = _validation(staging) if final is not None or study.tables else []
        errors = [p for p in report.validation if p.severity == "error"]
        if strict and errors:
            raise InputError(report.validation)

    _publish(into, fill)
    return report


CODEBOOK_SUFFIX = ".qdc"


def _is_plain_xml(path: Path) -> bool:
    """True for an XML file (a codebook saved under another name), False for a zip."""
    with open(path, "rb") as handle:
        head = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<")


def _read_archive(path: Path, strict: bool):
    """The project of a ``.qdpx``: read, bounded, with its ``botu/`` sidecar when ours."""
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
        project = read_project(archive, member, root, strict=strict)
        from_botu = detect_tool(project.origin) == "botu"
        sidecar = _read_sidecar(archive) if from_botu else {}
    if project.problems:
        raise InputError(project.problems)
    if project.left_out and not project.sources:
        raise InputError(
            Problem(
                label,
                None,
                None,
                "nothing codable: the project has no text to import, only "
                f"{project.left_out.describe()}; export the text sources (or a PDF's text "
                "representation) from the tool",
            )
        )
    if not project.sources and not project.codes:
        raise InputError(
            Problem(
                label,
                None,
                None,
                "nothing to import: the project has no text source and no code"
                + (f" (left out: {project.left_out.describe()})" if project.left_out else ""),
            )
        )
    return project, xml, label, sidecar


def _read_codebook_file(path: Path):
    """A REFI-QDA codebook (``.qdc``): plain XML, root ``<CodeBook>``."""
    label = path.name
    if path.stat().st_size > MAX_PROJECT_XML_BYTES:
        raise InputError(
            Problem(label, None, None, f"refused: larger than {MAX_PROJECT_XML_BYTES // 2**20} MB")
        )
    xml = path.read_bytes()
    root = parse_xml(xml, label)
    _check_bounds(root, label)
    project = read_codebook(root, label)
    if project.problems:
        raise InputError(project.problems)
    if not project.codes:
        raise InputError(Problem(label, None, None, "holds no codes"))
    return project, xml, label


def load_any_codebook(path: Path):
    """A codebook given in a mapping, our ``codebook.yml`` or a REFI-QDA ``.qdc``: the
    :class:`~botu.codebook.Codebook` and the YAML text to write as the study's."""
    if path.suffix.lower() != CODEBOOK_SUFFIX and not _is_plain_xml(path):
        return load_codebook(path), path.read_text(encoding="utf-8-sig")
    text = _qdc_yaml(path)
    return parse_codebook(yaml.safe_load(text), source=path.name), text


def _qdc_yaml(path: Path) -> str:
    """A ``.qdc`` as our codebook: its codes under their factors or 'unassigned'."""
    project, _, label = _read_codebook_file(path)
    report = ImportReport(path, path.parent, TOOLS[detect_tool(project.origin)])
    builder = Builder(project, detect_tool(project.origin), Mapping(), "auto", label, report)
    base = yaml.safe_load(STARTER_CODEBOOK.read_text(encoding="utf-8"))
    builder.resolve_codes(base["codes"])
    return _codebook_yaml(builder.codebook(base), report)


def _open_study(into: Path, force: bool, inputs: list) -> Study:
    """The study already in ``into``; a study with data is only re-imported with ``force``."""
    _check_target(into, True, inputs)
    demo = config.PROJ_ROOT / "data" / "raw"
    if demo.is_dir() and into.resolve() == demo.resolve():
        raise InputError(
            Problem(
                str(into),
                None,
                None,
                "is the repository's fictional demo data, which an import never replaces; "
                "make a study with `python -m botu init STUDY` and import into STUDY/data/raw",
            )
        )
    if (into / "data" / "raw").is_dir():
        raise InputError(
            Problem(
                str(into),
                None,
                None,
                f"is a study folder; import into its data folder: --into {into / 'data' / 'raw'}",
            )
        )
    study = read_study(into)
    if not into.is_dir():
        return study
    ours = {f"{name}.csv" for name in TABLE_ORDER} | {CODEBOOK_NAME}
    others = sorted(p.name for p in into.iterdir() if p.name not in ours)
    if study.has_rows and not force:
        rows = sum(len(study.rows(n)) for n in TOOL_TABLES)
        raise InputError(
            Problem(
                str(into),
                None,
                None,
                f"already holds a study ({rows} rows of documents, segments and codings); "
                "pass --force to re-import: what comes from the tool is replaced, what you "
                "completed by hand (teams, actors, memberships, respondents, ratings, the "
                "codebook's factors and rubrics) is kept",
            )
        )
    if others and not study.tables and study.codebook_text is None and not force:
        raise InputError(
            Problem(str(into), None, None, "is not empty and holds no study; pass --force")
        )
    return study


def _base_codebook(study: Study, into: Path) -> dict:
    """The codebook the tool's codes join: the study's own, else the starter codebook."""
    if study.codebook_text is None:
        return yaml.safe_load(STARTER_CODEBOOK.read_text(encoding="utf-8"))
    label = str(into / CODEBOOK_NAME)
    refuse_unsafe_yaml(study.codebook_text, label)
    try:
        data = yaml.safe_load(study.codebook_text)
    except yaml.YAMLError as exc:
        raise InputError(Problem(label, None, None, f"is not valid YAML ({exc})")) from None
    if not isinstance(data, dict) or not isinstance(data.get("codes"), list):
        raise InputError(Problem(label, None, "codes", "expected a mapping with a list 'codes'"))
    return data


def _merge(
    study: Study, tables: dict, builder: Builder, sidecar: dict, report, code_ids: set[str]
) -> dict:
    """The tables to write: the import's, merged with what the study already holds."""
    final: dict = {}
    changes = Changes()
    old_docs = study.rows("documents")
    old_teams = study.rows("teams")
    if builder.fallback_team and old_teams:  # the study has its teams: no new one-team team
        keep = old_teams[0]["team_id"] if len(old_teams) == 1 else ""
        for key, values in builder.defaults.items():
            if key[0] == "documents" and values.get("team_id") == builder.fallback_team:
                values["team_id"] = keep
    final["documents"] = merge_rows(
        "documents", tables["documents"], old_docs, builder.defaults, keep_old=False
    )
    teams = merge_rows("teams", tables["teams"], old_teams, builder.defaults, True)
    used = {d.get("team_id") for d in final["documents"]}
    before = {t["team_id"] for t in old_teams}
    made = {builder.fallback_team, builder.rest_team} - {None}
    keep_made = {builder.fallback_team} if not old_teams else set()  # a new study needs one
    final["teams"] = [  # a team the import made up is kept only if a document has it
        t for t in teams if t["team_id"] not in made or t["team_id"] in used | before | keep_made
    ]
    written = {t["team_id"] for t in final["teams"]}
    dropped = sorted(made - written)
    if dropped and old_teams:
        ids = ", ".join(t["team_id"] for t in old_teams[:5])
        report.teams_from = (
            f"kept the study's team(s) ({ids}); the export has no cases or sets to take teams from"
            if builder.fallback_team
            else f"{builder.teams_from.split(', and')[0]}"
        )
    homeless = [d["document_id"] for d in final["documents"] if not d.get("team_id")]
    if homeless:
        changes.dangling.append(
            f"documents.csv: {len(homeless)} document(s) without a team "
            f"({', '.join(homeless[:5])}): set team_id"
        )
    old_team_of = {d["document_id"]: d.get("team_id", "") for d in old_docs}
    for d in final["documents"]:
        was = old_team_of.get(d["document_id"])
        if was and was != d.get("team_id"):
            changes.dangling.append(
                f"documents.csv: '{d['document_id']}' moved from team {was} to "
                f"{d.get('team_id') or '(none)'}; check that team's ratings and respondents"
            )
    segments, codings, seg = stable_segment_ids(
        tables["segments"], tables["codings"], study.rows("segments")
    )
    final["segments"] = carry_over(segments, study.rows("segments"), ("segment_id",))
    final["codings"] = carry_over(
        codings, study.rows("codings"), ("segment_id", "code_id", "coder_id")
    )
    new_docs = {d["document_id"] for d in final["documents"]}
    old_ids = {d["document_id"] for d in old_docs}
    changes.added["documents"] = len(new_docs - old_ids)
    changes.removed["documents"] = len(old_ids - new_docs)
    changes.changed["documents"] = changed_rows(final["documents"], old_docs, "document_id")
    changes.added["segments"], changes.removed["segments"] = seg["added"], seg["removed"]
    changes.changed["segments"] = seg["changed"]
    cod = coding_changes(final["codings"], study.rows("codings"))
    changes.added["codings"], changes.removed["codings"] = cod["added"], cod["removed"]
    changes.changed["codings"] = cod["changed"]
    for name in HAND_TABLES:
        if study.rows(name):
            final[name] = study.rows(name)
            changes.kept[name] = len(study.rows(name))
        elif f"{name}.csv" in sidecar:
            final[name] = sidecar[f"{name}.csv"]
        else:
            final[name] = []
    changes.dangling += dangling(
        {k: v for k, v in final.items() if not isinstance(v, str)}, code_ids
    )
    report.changes = changes if study.has_rows else None
    return final


def _columns(name: str, rows: list[dict], study: Study) -> list[str]:
    """The study's columns in its order (a re-import leaves a diff of the cells only), then
    the contract's columns any row fills."""
    own = study.columns.get(name, [])
    return own + [c for c in table_columns(name, rows) if c not in own]


def _parsed(codebook_text: str):
    """The codebook about to be written, or ``None`` when it does not parse (validation,
    run on the written folder, then says why)."""
    try:
        return parse_codebook(yaml.safe_load(codebook_text))
    except (InputError, yaml.YAMLError):
        return None


def _assignment(book) -> tuple[int, int]:
    """(codes from the tool, of which unassigned) in a written codebook."""
    if book is None:
        return (0, 0)
    tool = sum(1 for c in book.codes.values() if c.tool)
    return tool, len([c for c in book.unassigned if book[c].tool])


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
        refuse_unsafe_yaml(found["codebook.yml"], f"{archive.label}[{SIDECAR}/codebook.yml]")
    return found


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
        if into.is_dir():  # what the import does not write stays as it is
            for item in into.iterdir():
                if item.is_dir() and not item.is_symlink():
                    shutil.copytree(item, staging / item.name, symlinks=True)
                else:
                    shutil.copy2(item, staging / item.name, follow_symlinks=False)
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


def _schema_warnings(xml: bytes, label: str, kind: str = "project") -> list[Problem]:
    errors = schema_errors(xml, kind)
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
    for section in ("codes", "factors", "teams", "documents", "coders", "variables"):
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
        f"# Codebook of the study; the codes with 'tool:' come from {report.source.name} "
        f"({report.tool}).\n"
        "# Move a tool code under a factor by setting its parent (or with 'factors:' in the\n"
        "# import mapping); add labels, definitions and rubrics. A re-import keeps what you\n"
        "# write here and refreshes only 'tool', 'tool_guid', 'color' and 'groups'.\n"
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
