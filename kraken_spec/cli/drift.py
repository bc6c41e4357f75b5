"""The drift report on the command line: a loaded spec against a schema of a Kraken endpoint."""

from __future__ import annotations

import os
from typing import TextIO, cast

from kraken_spec.authority import AUTHORITIES
from kraken_spec.cli.report import FORMATS, report
from kraken_spec.cli.status import ExitCode
from kraken_spec.external.drift import (
    Authority,
    DriftReport,
    Locator,
    SpecPath,
    compare,
    counts,
    to_diagnostics,
)
from kraken_spec.external.read import SchemaSourceError, read_schema
from kraken_spec.spec.files import mutation_path
from kraken_spec.spec.loader import LoadResult

OK, PROBLEMS, FAILURE = ExitCode.OK, ExitCode.PROBLEMS, ExitCode.FAILURE


def run_drift(result: LoadResult, schema_path: str, *, authority: str, source: str | None,
              endpoint: str, fmt: str, out: TextIO, err: TextIO) -> int:
    """Report the drift between the loaded spec and the schema at ``schema_path``.

    Text goes to ``err`` beside the command's other messages; the other formats are
    ``out``'s one document. Returns 1 when a contradiction with an ``own`` schema is found,
    2 when the schema (or the command line) cannot be used, else 0.
    """
    problem = _usage_problem(result, authority, endpoint, fmt)
    if problem is not None:
        print(f"kraken-spec: {problem}", file=err)
        return PROBLEMS if result.catalogue is None else FAILURE
    assert result.catalogue is not None
    try:
        schema = read_schema(schema_path)
    except SchemaSourceError as exc:
        print(f"kraken-spec: {exc}", file=err)
        return FAILURE
    name = source if source else default_source(schema_path)
    drift = compare(result.catalogue, schema, endpoint)
    diagnostics = to_diagnostics(drift, authority=cast(Authority, authority), source=name,
                                 locate=_locator(result, endpoint), schema_path=schema_path)
    footer = drift_footer(drift, source=name, authority=authority, endpoint=endpoint)
    # Sorted like every other report: by file, then by place within it.
    summary = report(fmt, sorted(diagnostics), err if fmt == "text" else out, footer)
    return OK if summary.ok else PROBLEMS


def _usage_problem(result: LoadResult, authority: str, endpoint: str, fmt: str) -> str | None:
    if result.catalogue is None:
        return "the spec has problems; fix them before comparing it with a schema"
    if authority not in AUTHORITIES:
        return f"unknown authority {authority!r} (known: {', '.join(AUTHORITIES)})"
    if fmt not in FORMATS:
        return f"unknown format {fmt!r} (known: {', '.join(FORMATS)})"
    known = [e.name for e in result.catalogue.endpoints]
    if endpoint not in known:
        return f"no endpoint {endpoint!r} in the catalogue (known: {', '.join(known)})"
    return None


def default_source(schema_path: str) -> str:
    """A schema file's name up to its first dot: ``octopus-energy-it.introspection.json``
    names the source ``octopus-energy-it``."""
    base = os.path.basename(schema_path)
    return base.split(".")[0] or base


def drift_footer(drift: DriftReport, *, source: str, authority: str, endpoint: str) -> str:
    """The text report's closing line: the count of each kind, then the extra mutations."""
    found = ", ".join(f"{n} {kind}" for kind, n in counts(drift).items())
    extra = len(drift.extra_mutations)
    return (f"drift of {drift.compared} {endpoint} mutation(s) against {source} ({authority}): "
            f"{found or 'no disagreement'}; {extra} mutation(s) of the schema are not on the "
            "page")


def _locator(result: LoadResult, endpoint: str) -> Locator:
    def locate(name: str, spec_path: SpecPath) -> tuple[str, int, int]:
        doc = result.sources.mutations.get((endpoint, name)) or result.sources.headless.get(
            name)
        if doc is None:
            return mutation_path(name), 0, 0
        line, column = doc.mark(spec_path)
        return doc.path, line, column

    return locate
