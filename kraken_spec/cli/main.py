"""Command-line interface: ``main(argv) -> int`` with injectable streams; only it prints."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from enum import IntEnum
from typing import TextIO

from kraken_spec import __version__
from kraken_spec.cli.check import add_parsers as add_check_parsers
from kraken_spec.cli.check import run_check, run_check_request
from kraken_spec.cli.diff import add_parser as add_diff_parser
from kraken_spec.cli.diff import run as run_diff
from kraken_spec.cli.enrich import add_parser as add_enrich_parser
from kraken_spec.cli.enrich import run as run_enrich
from kraken_spec.cli.introspect import add_parser as add_introspect_parser
from kraken_spec.cli.introspect import run as run_introspect
from kraken_spec.cli.report import FORMATS, report
from kraken_spec.diagnostics import Diagnostic
from kraken_spec.exceptions import OutputError, PageError, UnreadableFileError
from kraken_spec.fs import outdir
from kraken_spec.fs.files import write_owned_file
from kraken_spec.model import AUTHORITIES, Catalogue
from kraken_spec.spec.loader import LoadResult, load_spec


class ExitCode(IntEnum):
    """Process exit statuses.

    Only diagnostics of severity "error" make a command fail: warnings, notes and
    unverified facts are reported and the status stays OK.
    """

    OK = 0  # done; any diagnostics reported were warnings, notes or unverified facts
    PROBLEMS = 1  # findings: errors in the spec, the page or the outputs (all listed)
    FAILURE = 2  # the command could not do its job: a wrong command line (argparse's
    #              convention), --root is no catalogue, an input could not be read, or an
    #              output could not be written (nothing is half-written)


# Diagnostics that say an input could not be read rather than that it is wrong.
_IO_RULES = frozenset({"unreadable-file"})


def _status(diagnostics: Sequence[Diagnostic]) -> ExitCode:
    """The exit status for a command whose result is these diagnostics."""
    if any(d.rule in _IO_RULES for d in diagnostics):
        return ExitCode.FAILURE
    if any(d.severity == "error" for d in diagnostics):
        return ExitCode.PROBLEMS
    return ExitCode.OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kraken-spec",
        description="A machine-checked catalogue of the Kraken GraphQL API mutations.",
    )
    parser.add_argument("--version", action="version", version=f"kraken-spec {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def with_root(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--root", default=".", help="catalogue folder holding spec/ (default: .)")
        return p

    def with_format(p: argparse.ArgumentParser) -> None:
        p.add_argument("--format", choices=FORMATS, default="text",
                       help="how diagnostics are reported: text (to stderr) or json, github "
                            "(Actions annotations) or markdown (to stdout); default: text")

    imp = with_root(sub.add_parser("import-docs", help="transcribe a reference page into spec/"))
    imp.add_argument("page", help="scraped text of the reference page")
    imp.add_argument("--allow-removals", action="store_true",
                     help="remove the mutation files and endpoints the page no longer has "
                          "(without it, such an import is refused and writes nothing)")
    with_format(imp)

    val = with_root(sub.add_parser("validate", help="check the spec and report every problem"))
    with_format(val)
    val.add_argument("--against", metavar="SCHEMA", default=None,
                     help="then report the drift between the catalogue and this schema (an "
                          "introspection result or SDL of one endpoint)")
    val.add_argument("--kind", choices=AUTHORITIES, default="own",
                     help="with --against: own (the endpoint itself: a contradiction is an "
                          "error) or sibling (another Kraken brand: a warning); default: own")
    val.add_argument("--source", default=None, metavar="NAME",
                     help="with --against: the schema's name in the report (default: its "
                          "file name)")
    val.add_argument("--endpoint", default="api",
                     help="with --against: the catalogue endpoint the schema serves "
                          "(default: api)")

    exp = with_root(sub.add_parser("export", help="write the catalogue as one JSON document"))
    exp.add_argument("--out", default=None,
                     help="output file (default: ROOT/build/catalogue.json; '-' for stdout)")

    bld = with_root(sub.add_parser("build", help="validate, then run every generator"))
    bld.add_argument("--out", default=None, help="output folder (default: ROOT/build)")
    bld.add_argument("--templates", default=None,
                     help="jinja2 templates of the docs (default: those shipped with the tool)")
    bld.add_argument("--python-module", default=None, metavar="FILE",
                     help="where to write the generated Python error-code module (default: "
                          "ROOT/kraken_spec/runtime/errors.py in a kraken-spec checkout, else "
                          "OUT/errors/errors.py)")
    bld.add_argument("--check", action="store_true",
                     help="write nothing; exit 1 naming every missing, stale or extra file")
    with_format(bld)

    add_enrich_parser(sub)
    add_check_parsers(sub)
    add_diff_parser(sub)
    add_introspect_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    """Run the command line and return its exit status."""
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help and on usage errors
        return int(exc.code or 0)
    command = args.command.replace("-", "_")
    handler = {
        "import_docs": _import_docs,
        "validate": _validate,
        "export": _export,
        "build": _build,
        "enrich": run_enrich,
        "introspect": run_introspect,
        "check": run_check,
        "check_request": run_check_request,
        "diff": run_diff,
    }[command]
    # Otherwise a mistyped --root reads as a spec whose every file is missing, or (for
    # import-docs, which may create spec/ but not ROOT) silently becomes a new tree.
    if command == "import_docs":
        problem = None if os.path.isdir(args.root) else "no such folder"
    elif hasattr(args, "root"):
        problem = _root_problem(args.root)
    else:
        problem = None  # a command that works without a catalogue
    if problem:
        print(f"kraken-spec: {args.root}: {problem}", file=err)
        return ExitCode.FAILURE
    try:
        return int(handler(args, out, err))
    except OutputError as exc:
        print(f"kraken-spec: {exc}", file=err)
        return ExitCode.FAILURE


def _root_problem(root: str) -> str | None:
    if not os.path.isdir(root):
        return "no such folder"
    if not os.path.isdir(os.path.join(root, "spec")):
        return "no spec/ folder here (--root names the folder that holds spec/)"
    return None


def _report(diagnostics: Sequence[Diagnostic], out: TextIO, err: TextIO, fmt: str = "text",
            footer: str | None = None) -> bool:
    """Report ``diagnostics`` in ``fmt``: text to ``err`` (beside the command's own
    messages), the machine-read formats to ``out``. Return whether none is an error."""
    return report(fmt, diagnostics, err if fmt == "text" else out, footer).ok


def _load(root: str, out: TextIO, err: TextIO,
          fmt: str = "text") -> tuple[Catalogue | None, ExitCode]:
    """The catalogue under ``root``, or None and the exit status after reporting why not."""
    result = load_spec(root)
    if result.catalogue is None:
        _report(result.diagnostics, out, err, fmt)
        return None, _status(result.diagnostics)
    return result.catalogue, ExitCode.OK


def _summary(catalogue: Catalogue) -> str:
    per_endpoint = "; ".join(
        f"{e.name}: {len(catalogue.mutations_of(e.name))} mutations" for e in catalogue.endpoints
    )
    from kraken_spec.spec.headless import headless_summary

    sources = "".join(
        f"; {len(e.types)} types from {e.provenance.source} ({e.provenance.authority})"
        for e in catalogue.enrichments)
    headless = headless_summary(catalogue)
    sources += f"; {headless}" if headless else ""
    return (f"ok: {len(catalogue.mutations)} mutations ({per_endpoint}), "
            f"{len(catalogue.errors)} error codes, {len(catalogue.types)} named types{sources}")


def _import_docs(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitCode:
    from kraken_spec.page.importer import apply_import, headless_warning, prepare_import
    from kraken_spec.spec.files import headless_path, mutation_path

    # In text, the diagnostics go to stderr among the other messages; in another format
    # they are stdout's one document, and every message for people goes to stderr.
    fmt: str = args.format
    try:
        plan = prepare_import(args.page, args.root)
    except PageError as exc:
        found = Diagnostic(args.page, exc.line, 0, exc.message, rule="page-syntax")
        _report([found], out, err, fmt, footer="nothing was written")
        return ExitCode.PROBLEMS
    except UnreadableFileError as exc:  # the page, or spec/mutations/, cannot be read
        found = Diagnostic(exc.path, 0, 0, exc.reason, rule="unreadable-file")
        if fmt == "text":
            print(exc, file=err)
            print("nothing was written", file=err)
        else:
            _report([found], out, err, fmt)
        return ExitCode.FAILURE
    warnings = [
        Diagnostic(args.page, orphan.line, 0, headless_warning(orphan), severity="warning",
                   rule="headless-entry")
        for orphan in plan.orphans
    ]
    if fmt == "text":
        _report(warnings, out, err, fmt, footer="")
    if plan.removes and not args.allow_removals:
        for name in plan.removed:
            print(f"would remove mutation {name!r} ({mutation_path(name)})", file=err)
        for name in plan.headless_removed:
            print(f"would remove the entry without heading {name!r} ({headless_path(name)})",
                  file=err)
        for name in plan.removed_endpoints:
            print(f"would remove endpoint {name!r}", file=err)
        headless = (f", {len(plan.headless_removed)} entry(ies) without heading"
                    if plan.headless_removed else "")
        refusal = (f"the page lacks {len(plan.removed)} mutation(s){headless} and "
                   f"{len(plan.removed_endpoints)} endpoint(s) that the spec has")
        if fmt == "text":
            print(f"{args.page}: {refusal}", file=err)
        else:
            _report([*warnings, Diagnostic(args.page, 0, 0, refusal, rule="removals-refused")],
                    out, err, fmt)
        print("nothing was written; if the page is right, re-run with --allow-removals to "
              "remove them", file=err)
        return ExitCode.PROBLEMS
    changed = apply_import(plan, args.root, allow_removals=args.allow_removals)
    if fmt != "text":
        _report(warnings, out, err, fmt)
    removed = set(plan.removal_paths)
    written = sum(1 for rel in changed if rel not in removed)
    endpoints = (f", {len(plan.removed_endpoints)} endpoint(s) removed"
                 if plan.removed_endpoints else "")
    cat = plan.catalogue
    print(f"imported {len(cat.mutations)} mutations, {len(cat.errors)} error codes, "
          f"{len(cat.types)} named types: {len(plan.added)} added, {len(plan.changed)} "
          f"changed, {len(plan.removed)} removed{endpoints}; {written} file(s) written",
          file=out if fmt == "text" else err)
    return ExitCode.OK


def _validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    result: LoadResult = load_spec(args.root)
    ok = result.catalogue is not None
    if ok and args.against is not None:
        from kraken_spec.cli.drift import run_drift

        return run_drift(result, args.against, authority=args.kind, source=args.source,
                         endpoint=args.endpoint, fmt=args.format, out=out, err=err)
    if args.format != "text" or not ok:
        _report(result.diagnostics, out, err, args.format)
    if ok and args.format == "text":
        assert result.catalogue is not None
        print(_summary(result.catalogue), file=out)
    return ExitCode.OK if ok else max(_status(result.diagnostics), ExitCode.PROBLEMS)


def _export(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitCode:
    from kraken_spec.generators.export import export_json, is_export

    catalogue, status = _load(args.root, out, err)
    if catalogue is None:
        return status
    text = export_json(catalogue)
    if args.out == "-":
        out.write(text)
        return ExitCode.OK
    if args.out is None:
        # The default lands in the build folder, which the tool owns through its manifest.
        from kraken_spec.cli.build import write_output_folder

        target = os.path.join(args.root, "build", "catalogue.json")
        outdir.refuse_unsafe(os.path.dirname(target), args.root)
        write_output_folder(os.path.dirname(target), {"catalogue.json": text}, replace=False)
    else:
        target = args.out
        write_owned_file(target, text, is_export, "a catalogue export")
    print(f"wrote {target}", file=out)
    return ExitCode.OK


def _build(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitCode:
    from kraken_spec.cli.build import run_build

    fmt: str = args.format
    catalogue, status = _load(args.root, out, err, fmt)
    if catalogue is None:
        return status
    outcome = run_build(catalogue, args.root, args.out, check=args.check,
                        templates_dir=args.templates, python_module=args.python_module)
    if fmt == "text":
        # build --check has its own text: "stale: PATH" lines and a count of the files.
        for line in outcome.messages:
            print(line, file=err if outcome.failed else out)
    else:
        _report(outcome.findings, out, err, fmt)
        if not outcome.failed:
            for line in outcome.messages:
                print(line, file=err)
    return ExitCode.PROBLEMS if outcome.failed else ExitCode.OK
