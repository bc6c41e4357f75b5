"""The diff command: the changes between two catalogues, graded for a client's CI."""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from kraken_spec.cli.report import FORMATS

if TYPE_CHECKING:
    from kraken_spec.contract.diffload import AllowEntry, Side
    from kraken_spec.contract.diffops import Operation
    from kraken_spec.contract.diffrules import Change
    from kraken_spec.diagnostics import Diagnostic, Severity

# How many affected operations a change's message names before it counts the rest.
SHOWN_OPERATIONS = 10


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``diff`` to the command line."""
    p = sub.add_parser(
        "diff", help="compare two catalogues: breaking, dangerous, safe and knowledge changes",
        description="Compare two catalogues. OLD and NEW are each, in this order: an existing "
        "folder holding spec/ (or a spec/ folder), an existing file holding a JSON export, "
        "or a git revision of the repository at --repo: REV (its top folder) or REV:PATH (a "
        "folder or export file at that commit). Exit 1 when a breaking change is not "
        "accepted by --allow, 2 when an input cannot be read.")
    p.add_argument("old", metavar="OLD", help="the catalogue before")
    p.add_argument("new", metavar="NEW", help="the catalogue after")
    p.add_argument("--format", choices=FORMATS, default="text",
                   help="how changes are reported: text (to stderr) or json, github (Actions "
                        "annotations) or markdown (a pull-request comment; to stdout); "
                        "default: text")
    p.add_argument("--allow", metavar="FILE", default=None,
                   help="a YAML or JSON allow-list of accepted changes: entries with "
                        "coordinate, reason and optionally kind")
    p.add_argument("--operations", metavar="PATH", nargs="+", action="extend", default=None,
                   help="the client's GraphQL documents (files or folders; give them after "
                        "OLD and NEW): each breaking change names the operations that use "
                        "what it changes")
    p.add_argument("--repo", metavar="DIR", default=".",
                   help="the git repository whose revisions OLD and NEW may name "
                        "(default: the current folder)")


def _message(change: Change, entry: AllowEntry | None,
             users: Sequence[Operation]) -> tuple[str, Severity]:
    text = f"{change.level}: {change.coordinate}: {change.message}"
    levels: dict[str, Severity] = {"breaking": "error", "dangerous": "warning"}
    severity = levels.get(change.level, "info")
    if entry is not None:
        text = f"allowed: {text} (reason: {entry.reason})"
        severity = "warning" if change.level == "breaking" else "info"
    if users:
        named = ", ".join(op.label for op in users[:SHOWN_OPERATIONS])
        more = len(users) - SHOWN_OPERATIONS
        text += f"; used by {named}" + (f" and {more} more operation(s)" if more > 0 else "")
    return text, severity


def diagnostics_of(changes: Sequence[Change], new: Side, allow: Sequence[AllowEntry],
                   operations: Sequence[Operation]) -> list[Diagnostic]:
    """Each change as a diagnostic at the new side's spec file that states it."""
    from kraken_spec.contract.diffops import affected
    from kraken_spec.diagnostics import Diagnostic

    out = []
    for change in changes:
        entry = next((e for e in allow if e.matches(change)), None) if change.level in (
            "breaking", "dangerous") else None
        users = affected(change, operations) if change.level == "breaking" else []
        text, severity = _message(change, entry, users)
        out.append(Diagnostic(new.file_of(change.coordinate), 0, 0, text, severity,
                              f"diff-{change.kind}"))
    return out


def summary_line(changes: Sequence[Change], allowed: int) -> str:
    """How many changes there are of each level."""
    count = Counter(c.level for c in changes)
    return (f"{count['breaking']} breaking ({allowed} allowed), {count['dangerous']} "
            f"dangerous, {count['safe']} safe, {count['knowledge']} knowledge change(s)")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Report the changes from OLD to NEW; 0 when nothing breaking is left unaccepted, 1
    when something is, 2 when an input cannot be read."""
    # Imported here: the parser is built for every command, the work only for this one.
    from kraken_spec.cli.report import report
    from kraken_spec.contract.diff import DiffError, diff_catalogues
    from kraken_spec.contract.diffload import (
        DiffInputError,
        load_side,
        read_allow_list,
        unused_entries,
        unused_note,
    )
    from kraken_spec.contract.diffops import affected, read_operations
    from kraken_spec.gql.schema import build_endpoint_schema

    fmt: str = args.format
    try:
        with tempfile.TemporaryDirectory(prefix="kraken-spec-diff-") as work:
            old = load_side(args.old, args.repo, work)
            new = load_side(args.new, args.repo, work)
        allow = read_allow_list(args.allow) if args.allow is not None else ()
        changes = diff_catalogues(old.catalogue, new.catalogue)
    except (DiffInputError, DiffError) as exc:
        for line in str(exc).splitlines():
            print(f"kraken-spec diff: {line}", file=err)
        return 2
    operations: list[Operation] = []
    notes: list[Diagnostic] = []
    if args.operations:
        schemas = {e.name: build_endpoint_schema(old.catalogue, e.name)
                   for e in old.catalogue.endpoints}
        operations, notes = read_operations(args.operations, schemas)
        unreadable = [d for d in notes if d.severity == "error"]
        if unreadable:
            for d in unreadable:
                print(f"kraken-spec diff: {d}", file=err)
            return 2
    diagnostics = diagnostics_of(changes, new, allow, operations)
    allowed = [c for c in changes
               if c.level == "breaking" and any(e.matches(c) for e in allow)]
    if args.allow is not None:
        notes.extend(unused_note(args.allow, e) for e in unused_entries(allow, changes))
    footer = f"{summary_line(changes, len(allowed))} from {args.old} to {args.new}"
    breaking = [c for c in changes if c.level == "breaking"]
    if args.operations:
        hit = {op for c in breaking for op in affected(c, operations)}
        footer += (f"; {len(operations)} operation(s) read, {len(hit)} use what a breaking "
                   "change changes")
    stream = err if fmt == "text" else out
    if fmt == "markdown":
        # A pull-request comment opens with its verdict.
        verdict = "breaking" if len(breaking) > len(allowed) else "no unaccepted breaking"
        print(f"### Catalogue diff: {verdict} changes\n\n{footer}\n", file=stream)
    report(fmt, [*diagnostics, *notes], stream, footer)
    return 1 if len(breaking) > len(allowed) else 0
