"""Command line: ``python -m botu validate | build | report``.

Bad input ends with one message per problem (file, row, column) and exit status 2; a
failing notebook with exit status 1; never a traceback for either.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from botu import config
from botu.errors import BotuError


def _cmd_validate(args: argparse.Namespace) -> int:
    from botu.dataset import load_dataset

    raw = Path(args.raw) if args.raw else config.paths(args.root).raw
    data = load_dataset(raw)
    for problem in data.warnings:
        print(problem, file=sys.stderr)
    fictional = " (FICTIONAL demo data)" if data.is_fictional else ""
    print(
        f"{raw}: valid{fictional} — {len(data.teams)} teams, {len(data.documents)} documents, "
        f"{len(data.segments)} segments, {len(data.codings)} codings, "
        f"{len(data.ratings)} ratings, {len(data.warnings)} warning(s)"
    )
    return 0


def _locked(args: argparse.Namespace):
    """The study's build lock (see :func:`botu.io.study_lock`)."""
    from botu.errors import InputError
    from botu.io import missing_raw_folder, study_lock

    paths = config.paths(args.root)
    if not paths.raw.is_dir():  # say what is missing, not that the lock cannot be made
        raise InputError(missing_raw_folder(paths.raw))
    return study_lock(
        config.paths(args.root).root,
        wait=not args.no_wait,
        echo=lambda line: print(line, file=sys.stderr),
    )


def _cmd_build(args: argparse.Namespace) -> int:
    from botu.pipeline import build

    with _locked(args):
        built = build(args.root, force=args.force, lang=args.lang, workbook=args.workbook)
    done = "up to date:" if built.is_reused else "wrote"
    print(f"{done} {built.n_tables} tables and summary.json in {config.paths(args.root).processed}")
    if built.workbook_left_out:
        print(
            f"the Excel copy is left out: its {built.workbook_left_out:,} cells are more than "
            "a spreadsheet handles well (the CSV files hold the same tables); "
            "`python -m botu build --workbook` writes it anyway"
        )
    return 0


def _languages(value: str) -> list[str]:
    from botu.i18n import parse_languages  # light: the report's imports come later

    try:
        return parse_languages(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _cmd_report(args: argparse.Namespace) -> int:
    from botu.report import make_report

    with _locked(args):
        make_report(args.root, workers=args.jobs, force=args.force, lang=args.lang)
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from botu.qdpx import import_project

    report = import_project(
        args.source,
        args.into,
        args.mapping,
        positions=args.positions,
        force=args.force,
        strict=args.strict,
        codebook=args.codebook,
        write_mapping=args.write_mapping,
    )
    for problem in [*report.warnings, *report.validation]:
        print(problem, file=sys.stderr)
    print(report.summary())
    return 0


def _cmd_init(args: argparse.Namespace) -> int:
    from botu.study import init_study

    study = init_study(args.dir)
    print(study.summary(args.dir))
    return 0


def _cmd_status(args: argparse.Namespace) -> int:
    from botu.status import study_status

    print("\n".join(study_status(args.root, lang=args.lang).lines()))
    return 0


def _cmd_export_codebook(args: argparse.Namespace) -> int:
    from botu.qdpx import export_codebook

    source = args.codebook or config.paths(args.root).raw / "codebook.yml"
    target = export_codebook(source, args.to)
    print(f"wrote {target} (REFI-QDA codebook) from {source}")
    return 0


def _cutoffs(value: str) -> list[float]:
    """``0.8`` or ``0.8,0.2``: the inclusion cut-offs for 1 (and for 0)."""
    try:
        cuts = [float(v) for v in value.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r}: give a number, or two: 0.8,0.2") from None
    if not 1 <= len(cuts) <= 2 or not all(0 <= c <= 1 for c in cuts):
        raise argparse.ArgumentTypeError(f"{value!r}: one or two numbers from 0 to 1")
    return cuts


def _cmd_qca(args: argparse.Namespace) -> int:
    import json

    from botu import qca

    conditions = [c.strip() for c in args.conditions.split(",") if c.strip()]
    data = qca.read_data(args.data, args.outcome, conditions, fuzzy=args.fuzzy)
    cut = args.cutoff or [1.0]
    directional = None
    if args.directional:
        directional = {}
        for item in args.directional.split(","):
            name, equals, value = (part.strip() for part in item.partition("="))
            if not name or not equals or not value:
                raise qca.QCAError(
                    f"--directional: {item.strip()!r} is not NAME=1, NAME=0 or NAME=-"
                )
            if name in directional:
                raise qca.QCAError(f"--directional: {name} is given twice")
            directional[name] = value
    result = qca.analyse(
        data,
        args.outcome,
        conditions,
        incl_cut=cut[0],
        incl_cut0=cut[1] if len(cut) > 1 else None,
        n_cut=args.n_cut,
        directional=directional,
    )
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        print("\n".join(qca.analysis_lines(result)))
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m botu", description=__doc__.splitlines()[0])
    main.add_argument(
        "--root",
        type=Path,
        default=None,
        help=f"project folder (default: ${config.ROOT_ENV_VAR} or the repository)",
    )
    sub = main.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="check the raw data; exit 2 on problems")
    validate.add_argument("--raw", type=Path, default=None, help="raw data folder to check")
    validate.set_defaults(func=_cmd_validate)
    build = sub.add_parser("build", help="validate and write data/processed")
    build.add_argument("--force", action="store_true", help="recompute even if nothing changed")
    build.add_argument(
        "--no-wait",
        action="store_true",
        help="stop (exit 2) instead of waiting when another build of this study is running",
    )
    build.add_argument(
        "--lang",
        choices=["nl", "en"],
        default="nl",
        help="language of the workbook's sheets and headers (default nl)",
    )
    wanted = build.add_mutually_exclusive_group()
    wanted.add_argument(
        "--workbook",
        dest="workbook",
        action="store_const",
        const=True,
        default=None,
        help="write the Excel copy however large (default: unless too large for a spreadsheet)",
    )
    wanted.add_argument(
        "--no-workbook",
        dest="workbook",
        action="store_const",
        const=False,
        help="leave the Excel copy out",
    )
    build.set_defaults(func=_cmd_build)
    report = sub.add_parser("report", help="build, run every notebook, render reports/")
    report.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=None,
        help="notebooks run at once (default: number of cores)",
    )
    report.add_argument("--force", action="store_true", help="rerun notebooks even if unchanged")
    report.add_argument(
        "--no-wait",
        action="store_true",
        help="stop (exit 2) instead of waiting when another build of this study is running",
    )
    report.add_argument(
        "--lang",
        type=_languages,
        default=["nl"],
        help="the site's language, or several comma-separated (nl,en): the first in reports/, "
        "each other in reports/<lang>/, every page linking to the others (default nl)",
    )
    report.set_defaults(func=_cmd_report)
    imp = sub.add_parser(
        "import", help="a .qdpx (ATLAS.ti, MAXQDA, NVivo, QualCoder), .qdc or .xlsx into a study"
    )
    imp.add_argument(
        "source", type=Path, help="the .qdpx project, .qdc codebook or .xlsx workbook to import"
    )
    imp.add_argument("--into", type=Path, required=True, help="folder to write the tables to")
    imp.add_argument("--mapping", type=Path, default=None, help="YAML: tool names -> our ids")
    imp.add_argument(
        "--positions",
        choices=["auto", "codepoints", "utf16", "utf8"],
        default="auto",
        help="how selection positions are counted (default: by the exporting tool)",
    )
    imp.add_argument("--codebook", type=Path, default=None, help="codebook.yml for a workbook")
    imp.add_argument(
        "--force",
        action="store_true",
        help="re-import into a study with data: what comes from the tool is replaced, what "
        "was completed by hand is kept",
    )
    imp.add_argument(
        "--strict",
        action="store_true",
        help="all or nothing: refuse missing source texts, write nothing unless the tables "
        "validate",
    )
    imp.add_argument(
        "--write-mapping",
        type=Path,
        default=None,
        metavar="M.yml",
        help="write a mapping skeleton (every code, case, set, document, user) instead of "
        "importing",
    )
    imp.set_defaults(func=_cmd_import)
    cbx = sub.add_parser("export-codebook", help="write codebook.yml as a REFI-QDA .qdc file")
    cbx.add_argument("--to", type=Path, required=True, help="the .qdc file to write")
    cbx.add_argument(
        "--codebook", type=Path, default=None, help="codebook.yml (default: data/raw's)"
    )
    cbx.set_defaults(func=_cmd_export_codebook)
    qca = sub.add_parser(
        "qca",
        help="QCA of a data file as R's QCA package: truth table, conservative, parsimonious "
        "and intermediate solutions, necessity",
    )
    qca.add_argument("data", type=Path, help="CSV: the case id, then one column per set")
    qca.add_argument("--outcome", required=True, help="the outcome's column")
    qca.add_argument("--conditions", required=True, help="the conditions' columns: A,B,C")
    qca.add_argument(
        "--fuzzy", action="store_true", help="memberships from 0 to 1 (default: crisp, 0 or 1)"
    )
    qca.add_argument(
        "--cutoff",
        type=_cutoffs,
        default=None,
        help="inclusion cut-off for a positive configuration (default 1); 'ic1,ic0' also sets "
        "the one below which it is negative (contradictions in between)",
    )
    qca.add_argument("--n-cut", type=int, default=1, help="cases a configuration needs (default 1)")
    qca.add_argument(
        "--directional",
        default=None,
        help="directional expectations for the intermediate solution: A=1,B=0,C=- "
        "(default: every condition contributes when present)",
    )
    qca.add_argument("--json", action="store_true", help="print one JSON object")
    qca.set_defaults(func=_cmd_qca)
    init = sub.add_parser("init", help="create a new study folder to import into")
    init.add_argument("dir", type=Path, help="the study folder to create (new or empty)")
    init.set_defaults(func=_cmd_init)
    status = sub.add_parser("status", help="what the study still lacks for a full report")
    status.add_argument(
        "--lang", choices=["nl", "en"], default="en", help="language of the list (default en)"
    )
    status.set_defaults(func=_cmd_status)
    return main


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM ends a run like Ctrl-C: cleanup code runs, no staging folder stays behind."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    on_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if on_main_thread else None
    try:
        return args.func(args)
    except BotuError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # a target that cannot be written, a file that vanished, ...
        from botu.io import write_problem

        print(f"error: {write_problem(exc, config.paths(args.root).root)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        if on_main_thread:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
