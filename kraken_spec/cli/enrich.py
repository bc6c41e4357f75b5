"""The enrich command: record what a schema source states about the catalogue's types."""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import re
from collections import Counter
from typing import TYPE_CHECKING, TextIO

from kraken_spec.authority import AUTHORITIES

if TYPE_CHECKING:
    from kraken_spec.model import Catalogue, Enrichment

_SOURCE_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]*$")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``enrich`` to the command line."""
    p = sub.add_parser("enrich", help="record a schema source's facts about the catalogue's "
                       "types in spec/enriched/SOURCE.json")
    p.add_argument("--root", default=".", help="catalogue folder holding spec/ (default: .)")
    p.add_argument("--from", dest="schema", required=True, metavar="SCHEMA",
                   help="the schema: an introspection result (JSON) or SDL")
    p.add_argument("--source", required=True, metavar="NAME",
                   help="the source's name, e.g. octopus-energy-it (lower case, digits, - .)")
    p.add_argument("--kind", required=True, choices=AUTHORITIES,
                   help="own: the Maingau endpoint itself; sibling: another Kraken brand, "
                        "whose facts can warn but never fail a check")
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD",
                   help="the date the schema was taken")
    p.add_argument("--origin", default=None,
                   help="where the schema came from (a URL, a repository and commit)")


def _usage_problem(args: argparse.Namespace) -> str | None:
    if not _SOURCE_NAME.match(args.source):
        return f"--source {args.source!r}: use lower-case letters, digits, '-' and '.'"
    try:
        datetime.date.fromisoformat(args.date)
    except ValueError:
        return f"--date {args.date!r}: give the date as YYYY-MM-DD"
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", args.date):
        return f"--date {args.date!r}: give the date as YYYY-MM-DD"
    return None


def _shaped(catalogue: Catalogue, enrichment: Enrichment) -> tuple[int, int]:
    """How many of the page's types without a shape this source shapes where the page
    uses them (its kind fitting the page's use), and how many there are."""
    alone = dataclasses.replace(catalogue.page_only(), enrichments=(enrichment,))
    unshaped = [t.name for t in catalogue.types if t.status != "documented"]
    return sum(alone.shape_of(name) is not None for name in unshaped), len(unshaped)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write spec/enriched/SOURCE.json; 0 when written or unchanged, 1 when the spec is
    invalid, 2 when the schema cannot be read or the file cannot be written."""
    # Imported here: the parser is built for every command, the work only for this one.
    from kraken_spec.codec import enrichment_document
    from kraken_spec.exceptions import OutputError
    from kraken_spec.external.enrich import enrichment_from_schema
    from kraken_spec.external.read import SchemaSourceError, read_schema
    from kraken_spec.fs.files import write_owned_file
    from kraken_spec.model import Provenance
    from kraken_spec.spec.files import enriched_path
    from kraken_spec.spec.loader import load_spec

    problem = _usage_problem(args)
    if problem:
        print(f"kraken-spec enrich: {problem}", file=err)
        return 2
    result = load_spec(args.root)
    if result.catalogue is None:
        for d in result.diagnostics:
            print(d, file=err)
        print(f"{len(result.diagnostics)} problem(s) found; nothing was written", file=err)
        return 1
    try:
        schema = read_schema(args.schema)
    except SchemaSourceError as exc:
        print(f"kraken-spec: {exc}", file=err)
        return 2
    catalogue = result.catalogue
    provenance = Provenance(args.source, args.kind, args.date)
    enrichment = enrichment_from_schema(catalogue, schema, provenance, args.origin)
    text = json.dumps(enrichment_document(enrichment), indent=2, ensure_ascii=False) + "\n"
    rel = enriched_path(args.source)
    target = os.path.join(args.root, rel)
    def is_ours(data: bytes) -> bool:
        try:
            return bool(json.loads(data).get("source") == args.source)
        except (ValueError, AttributeError, RecursionError):
            return False

    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        changed = write_owned_file(target, text, is_ours, f"the enrichment file of "
                                   f"{args.source}")
    except (OutputError, OSError) as exc:
        print(f"kraken-spec: {exc}", file=err)
        return 2
    kinds = Counter(t.kind for t in enrichment.types)
    shaped, unshaped = _shaped(catalogue, enrichment)
    what = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    headless = len(catalogue.headless)
    confirms = (f"; confirms the payload type of {len(enrichment.payloads)} of the page's "
                f"{headless} entr{'y' if headless == 1 else 'ies'} without heading"
                if headless else "")
    print(f"{'wrote' if changed else 'unchanged'} {rel}: {len(enrichment.types)} types "
          f"({what}); shapes {shaped} of the page's {unshaped} types without one{confirms}",
          file=out)
    return 0
