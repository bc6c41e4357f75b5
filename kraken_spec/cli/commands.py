"""The catalogue's own commands: import-docs, validate, export and build."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from typing import TextIO

from kraken_spec.cli.report import report
from kraken_spec.cli.status import ExitCode, status
from kraken_spec.diagnostics import Diagnostic
from kraken_spec.exceptions import PageError, UnreadableFileError
from kraken_spec.fs import outdir
from kraken_spec.fs.files import write_owned_file
from kraken_spec.model import Catalogue
from kraken_spec.spec.loader import LoadResult, load_spec


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
        return None, status(result.diagnostics)
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


def run_import_docs(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitCode:
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


def run_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
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
    return ExitCode.OK if ok else max(status(result.diagnostics), ExitCode.PROBLEMS)


def run_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitCode:
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


def run_build_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitCode:
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
