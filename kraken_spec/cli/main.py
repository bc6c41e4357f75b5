"""The command line's entry: the argument parser, and each command run from its module.

Only the parser is imported up front: a command's module (and graphql-core, PyYAML and the
rest it needs) is imported when that command runs, so ``--help`` and ``--version`` start
about as fast as Python itself.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from kraken_spec import __version__
from kraken_spec.authority import AUTHORITIES
from kraken_spec.cli.check import add_parsers as add_check_parsers
from kraken_spec.cli.diff import add_parser as add_diff_parser
from kraken_spec.cli.enrich import add_parser as add_enrich_parser
from kraken_spec.cli.introspect import add_parser as add_introspect_parser
from kraken_spec.cli.report import FORMATS
from kraken_spec.cli.status import ExitCode
from kraken_spec.exceptions import OutputError

# Each command's function, as "module:function", imported when the command runs.
COMMANDS = {
    "import-docs": "kraken_spec.cli.commands:run_import_docs",
    "validate": "kraken_spec.cli.commands:run_validate",
    "export": "kraken_spec.cli.commands:run_export",
    "build": "kraken_spec.cli.commands:run_build_command",
    "enrich": "kraken_spec.cli.enrich:run",
    "introspect": "kraken_spec.cli.introspect:run",
    "check": "kraken_spec.cli.check:run_check",
    "check-request": "kraken_spec.cli.check:run_check_request",
    "diff": "kraken_spec.cli.diff:run",
}


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


def _command(name: str) -> Callable[[argparse.Namespace, TextIO, TextIO], int]:
    module, _, function = COMMANDS[name].partition(":")
    handler: Callable[[argparse.Namespace, TextIO, TextIO], int] = getattr(
        importlib.import_module(module), function)
    return handler


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
        return int(_command(args.command)(args, out, err))
    except OutputError as exc:
        print(f"kraken-spec: {exc}", file=err)
        return ExitCode.FAILURE


def _root_problem(root: str) -> str | None:
    if not os.path.isdir(root):
        return "no such folder"
    if not os.path.isdir(os.path.join(root, "spec")):
        return "no spec/ folder here (--root names the folder that holds spec/)"
    return None
