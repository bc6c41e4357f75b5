"""The check and check-request commands: client operations and request bodies in CI."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, TextIO

from kraken_spec.cli.report import FORMATS, report
from kraken_spec.cli.status import ExitCode

if TYPE_CHECKING:
    from kraken_spec.contract.check import Target
    from kraken_spec.diagnostics import Diagnostic

OK, PROBLEMS, FAILURE = ExitCode.OK, ExitCode.PROBLEMS, ExitCode.FAILURE
# The most a request file (or standard input) may hold.
MAX_REQUEST_BYTES = 10 * 1024 * 1024


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--root", dest="catalogue_root", default=None, metavar="DIR",
                   help="check against the catalogue under DIR (default: the catalogue "
                        "bundled with the tool)")
    p.add_argument("--schema", default=None, metavar="FILE",
                   help="check against this schema instead (an introspection result or SDL "
                        "of one endpoint)")
    p.add_argument("--schema-kind", choices=("own", "sibling"), default="own",
                   help="with --schema: own (the Maingau endpoint: contradictions are "
                        "errors) or sibling (another brand: warnings); default: own")
    p.add_argument("--endpoint", default="api",
                   help="the endpoint a document targets unless it names one in a "
                        "'# kraken-spec: endpoint=NAME' comment (default: api)")
    p.add_argument("--format", choices=FORMATS, default="text",
                   help="text (to stderr), json, github (workflow annotations) or markdown "
                        "(a summary for a pull request), to stdout")
    p.add_argument("--strict", action="store_true",
                   help="fail on warnings and unverified parts too, not only on errors")


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``check`` and ``check-request`` to the command line."""
    chk = sub.add_parser("check", help="validate client GraphQL operations (.graphql files "
                         "and documents embedded in Python, TypeScript and JavaScript)")
    chk.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to check")
    _common(chk)
    req = sub.add_parser("check-request", help="validate GraphQL HTTP request bodies "
                         "(one JSON body, or JSON Lines) as the server would")
    req.add_argument("files", nargs="*", default=["-"], metavar="FILE",
                     help="request body files, or - for standard input (the default)")
    _common(req)


def _target(args: argparse.Namespace, err: TextIO) -> Target | None:
    from kraken_spec.contract.check import Target
    from kraken_spec.exceptions import KrakenSpecError
    from kraken_spec.gql.schema import build_endpoint_schema

    if args.schema is not None:
        from kraken_spec.external.read import read_schema

        try:
            schema = read_schema(args.schema)
        except KrakenSpecError as exc:
            print(f"kraken-spec: {exc}", file=err)
            return None
        return Target({args.endpoint: schema}, args.endpoint, args.schema_kind)
    if args.catalogue_root is not None:
        from kraken_spec.spec.loader import load_spec

        if not os.path.isdir(os.path.join(args.catalogue_root, "spec")):
            print(f"kraken-spec: {args.catalogue_root}: no spec/ folder here (--root names "
                  "the folder that holds spec/)", file=err)
            return None
        result = load_spec(args.catalogue_root)
        if result.catalogue is None:
            for d in result.diagnostics:
                print(d, file=err)
            print(f"kraken-spec: the catalogue under {args.catalogue_root} has "
                  f"{len(result.diagnostics)} problem(s); fix them first", file=err)
            return None
        catalogue = result.catalogue
    else:
        from kraken_spec.resources import bundled_catalogue

        catalogue = bundled_catalogue()
    schemas = {e.name: build_endpoint_schema(catalogue, e.name) for e in catalogue.endpoints}
    if args.endpoint not in schemas:
        print(f"kraken-spec: unknown endpoint {args.endpoint!r} (known: "
              f"{', '.join(sorted(schemas))})", file=err)
        return None
    return Target(schemas, args.endpoint)


def _finish(diagnostics: list[Diagnostic], args: argparse.Namespace, out: TextIO,
            err: TextIO, what: str) -> int:
    from kraken_spec.contract.check import INPUT_RULES

    summary = report(args.format, sorted(diagnostics), err if args.format == "text" else out,
                     footer=what, full=True)
    if any(d.rule in INPUT_RULES for d in diagnostics):
        return FAILURE
    failing = summary.errors + (summary.warnings + summary.unverified if args.strict else 0)
    return PROBLEMS if failing else OK


def _footer(checked: int, noun: str, diagnostics: list[Diagnostic]) -> str:
    counts = {s: sum(d.severity == s for d in diagnostics)
              for s in ("error", "warning", "unverified")}
    found = ", ".join(f"{n} {s}{'s' if n != 1 and s != 'unverified' else ''}"
                      for s, n in counts.items() if n)
    return f"{checked} {noun}{'s' if checked != 1 else ''} checked: {found or 'no findings'}"


def run_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Check the documents under the given paths."""
    from kraken_spec.contract.check import check_paths

    target = _target(args, err)
    if target is None:
        return FAILURE
    diagnostics, checked = check_paths(args.paths, target)
    return _finish(diagnostics, args, out, err, _footer(checked, "document", diagnostics))


def _read_input(name: str, err: TextIO) -> str | None:
    from kraken_spec.exceptions import UnreadableFileError
    from kraken_spec.fs.files import read_regular

    if name == "-":
        if sys.stdin.isatty():
            print("kraken-spec: no request on standard input (it is a terminal); pipe a "
                  "body in or name a file", file=err)
            return None
        data = sys.stdin.buffer.read(MAX_REQUEST_BYTES + 1)
        if len(data) > MAX_REQUEST_BYTES:
            print("kraken-spec: standard input holds more than 10 MB; refusing it", file=err)
            return None
    else:
        try:
            data = read_regular(name, limit=MAX_REQUEST_BYTES)
        except UnreadableFileError as exc:
            print(f"kraken-spec: {exc}", file=err)
            return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        print(f"kraken-spec: {name}: not UTF-8 text at byte {exc.start}", file=err)
        return None


def run_check_request(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Check each file's request body, or each line of a JSON Lines file."""
    from kraken_spec.contract.request import check_bodies

    target = _target(args, err)
    if target is None:
        return FAILURE
    diagnostics: list[Diagnostic] = []
    checked = 0
    unreadable = False
    for name in args.files:
        text = _read_input(name, err)
        if text is None:
            unreadable = True
            continue
        found, count = check_bodies("<stdin>" if name == "-" else name, text, target)
        diagnostics.extend(found)
        checked += count
    status = _finish(diagnostics, args, out, err, _footer(checked, "request", diagnostics))
    return FAILURE if unreadable else status
