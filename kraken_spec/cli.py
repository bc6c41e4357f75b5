"""Command-line interface: ``main(argv) -> int`` with injectable streams; only it prints."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from enum import IntEnum
from typing import TextIO

from kraken_spec import outdir
from kraken_spec.diagnostics import Diagnostic
from kraken_spec.exceptions import OutputError, PageError, UnreadableFileError
from kraken_spec.fsutil import write_owned_file
from kraken_spec.loader import LoadResult, load_spec
from kraken_spec.model import Catalogue


class ExitCode(IntEnum):
    """Process exit statuses."""

    OK = 0
    PROBLEMS = 1  # the spec, the page or the outputs have problems; all are listed
    USAGE = 2  # the command line itself is wrong (argparse's convention)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kraken-spec",
        description="A machine-checked catalogue of the Kraken GraphQL API mutations.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def with_root(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--root", default=".", help="catalogue folder holding spec/ (default: .)")
        return p

    imp = with_root(sub.add_parser("import-docs", help="transcribe a reference page into spec/"))
    imp.add_argument("page", help="scraped text of the reference page")
    imp.add_argument("--allow-removals", action="store_true",
                     help="remove the mutation files and endpoints the page no longer has "
                          "(without it, such an import is refused and writes nothing)")

    val = with_root(sub.add_parser("validate", help="check the spec and report every problem"))
    val.add_argument("--format", choices=("text", "json"), default="text")

    exp = with_root(sub.add_parser("export", help="write the catalogue as one JSON document"))
    exp.add_argument("--out", default=None,
                     help="output file (default: ROOT/build/catalogue.json; '-' for stdout)")

    bld = with_root(sub.add_parser("build", help="validate, then run every generator"))
    bld.add_argument("--out", default=None, help="output folder (default: ROOT/build)")
    bld.add_argument("--templates", default=None,
                     help="jinja2 templates of the docs (default: ROOT/templates)")
    bld.add_argument("--python-module", default=None, metavar="FILE",
                     help="where to write the generated Python error-code module (default: "
                          "ROOT/kraken_spec/errors.py in a kraken-spec checkout, else "
                          "OUT/errors/errors.py)")
    bld.add_argument("--check", action="store_true",
                     help="write nothing; exit 1 naming every missing, stale or extra file")
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
    }[command]
    # Otherwise a mistyped --root reads as a spec whose every file is missing, or (for
    # import-docs, which may create spec/ but not ROOT) silently becomes a new tree.
    if command == "import_docs":
        problem = None if os.path.isdir(args.root) else "no such folder"
    else:
        problem = _root_problem(args.root)
    if problem:
        print(f"kraken-spec: {args.root}: {problem}", file=err)
        return ExitCode.PROBLEMS
    try:
        return int(handler(args, out, err))
    except OutputError as exc:
        print(f"kraken-spec: {exc}", file=err)
        return ExitCode.PROBLEMS


def _root_problem(root: str) -> str | None:
    if not os.path.isdir(root):
        return "no such folder"
    if not os.path.isdir(os.path.join(root, "spec")):
        return "no spec/ folder here (--root names the folder that holds spec/)"
    return None


def _report(diagnostics: Sequence[Diagnostic], err: TextIO) -> None:
    for diagnostic in diagnostics:
        print(diagnostic, file=err)
    print(f"{len(diagnostics)} problem(s) found", file=err)


def _load(root: str, err: TextIO) -> Catalogue | None:
    result = load_spec(root)
    if result.catalogue is None:
        _report(result.diagnostics, err)
        return None
    return result.catalogue


def _summary(catalogue: Catalogue) -> str:
    per_endpoint = "; ".join(
        f"{e.name}: {len(catalogue.mutations_of(e.name))} mutations" for e in catalogue.endpoints
    )
    return (f"ok: {len(catalogue.mutations)} mutations ({per_endpoint}), "
            f"{len(catalogue.errors)} error codes, {len(catalogue.types)} named types")


def _import_docs(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitCode:
    from kraken_spec.importer import apply_import, prepare_import
    from kraken_spec.specfiles import mutation_path

    try:
        plan = prepare_import(args.page, args.root)
    except PageError as exc:
        where = f"{args.page}:{exc.line}" if exc.line else args.page
        print(f"{where}: {exc.message}", file=err)
        print("nothing was written", file=err)
        return ExitCode.PROBLEMS
    except UnreadableFileError as exc:  # spec/mutations/ exists but cannot be listed
        print(f"kraken-spec: {exc}", file=err)
        print("nothing was written", file=err)
        return ExitCode.PROBLEMS
    for orphan in plan.orphans:
        field = f" (it selects {orphan.field!r})" if orphan.field else ""
        print(f"{args.page}:{orphan.line}: warning: an entry without its heading (name, "
              f"Type, URL){field} is left out of the catalogue", file=err)
    if plan.removes and not args.allow_removals:
        for name in plan.removed:
            print(f"would remove mutation {name!r} ({mutation_path(name)})", file=err)
        for name in plan.removed_endpoints:
            print(f"would remove endpoint {name!r}", file=err)
        print(f"{args.page}: the page lacks {len(plan.removed)} mutation(s) and "
              f"{len(plan.removed_endpoints)} endpoint(s) that the spec has", file=err)
        print("nothing was written; if the page is right, re-run with --allow-removals to "
              "remove them", file=err)
        return ExitCode.PROBLEMS
    changed = apply_import(plan, args.root, allow_removals=args.allow_removals)
    removed = set(plan.removal_paths)
    written = sum(1 for rel in changed if rel not in removed)
    endpoints = (f", {len(plan.removed_endpoints)} endpoint(s) removed"
                 if plan.removed_endpoints else "")
    cat = plan.catalogue
    print(f"imported {len(cat.mutations)} mutations, {len(cat.errors)} error codes, "
          f"{len(cat.types)} named types: {len(plan.added)} added, {len(plan.changed)} "
          f"changed, {len(plan.removed)} removed{endpoints}; {written} file(s) written",
          file=out)
    return ExitCode.OK


def _validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitCode:
    result: LoadResult = load_spec(args.root)
    if args.format == "json":
        document = {
            "ok": result.catalogue is not None,
            "problems": [
                {"path": d.path, "line": d.line, "column": d.column, "message": d.message}
                for d in result.diagnostics
            ],
        }
        print(json.dumps(document, indent=2), file=out)
        return ExitCode.OK if result.catalogue is not None else ExitCode.PROBLEMS
    if result.catalogue is None:
        _report(result.diagnostics, err)
        return ExitCode.PROBLEMS
    print(_summary(result.catalogue), file=out)
    return ExitCode.OK


def _export(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitCode:
    from kraken_spec.export import export_json, is_export

    catalogue = _load(args.root, err)
    if catalogue is None:
        return ExitCode.PROBLEMS
    text = export_json(catalogue)
    if args.out == "-":
        out.write(text)
        return ExitCode.OK
    if args.out is None:
        # The default lands in the build folder, which the tool owns through its manifest.
        from kraken_spec.build import write_output_folder

        target = os.path.join(args.root, "build", "catalogue.json")
        outdir.refuse_unsafe(os.path.dirname(target), args.root)
        write_output_folder(os.path.dirname(target), {"catalogue.json": text}, replace=False)
    else:
        target = args.out
        write_owned_file(target, text, is_export, "a catalogue export")
    print(f"wrote {target}", file=out)
    return ExitCode.OK


def _build(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitCode:
    from kraken_spec.build import run_build

    catalogue = _load(args.root, err)
    if catalogue is None:
        return ExitCode.PROBLEMS
    outcome = run_build(catalogue, args.root, args.out, check=args.check,
                        templates_dir=args.templates, python_module=args.python_module)
    for line in outcome.messages:
        print(line, file=err if outcome.failed else out)
    return ExitCode.PROBLEMS if outcome.failed else ExitCode.OK
