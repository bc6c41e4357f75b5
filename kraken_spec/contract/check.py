"""Client operations checked against the catalogue, each finding placed in the client's file."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from graphql import GraphQLSchema, GraphQLSyntaxError, parse

from kraken_spec.contract.documents import (
    FoundDocument,
    find_documents,
    iter_source_files,
    locate,
    read_source,
)
from kraken_spec.diagnostics import Diagnostic, excerpt
from kraken_spec.gql.operations import Basis, check_document
from kraken_spec.parallel import chunked, map_chunks, workers

# What the checks found about their inputs rather than about the operations.
INPUT_RULES = frozenset({"unreadable-file", "file-encoding"})


@dataclass(frozen=True)
class Target:
    """What documents are checked against: each endpoint's schema, the endpoint a document
    targets when it names none, and the basis of facts the schemas do not record."""

    schemas: Mapping[str, GraphQLSchema]
    default_endpoint: str
    default_basis: Basis = "own"


def check_found(found: FoundDocument, target: Target) -> list[Diagnostic]:
    """The findings of one document, at their places in the original file."""
    endpoint = found.endpoint or target.default_endpoint
    schema = target.schemas.get(endpoint)
    if schema is None:
        known = ", ".join(sorted(target.schemas))
        return [Diagnostic(found.path, found.line, found.column, f"unknown endpoint "
                           f"{excerpt(endpoint)} (known: {known})", rule="unknown-endpoint")]
    try:
        document = parse(found.text)
    except GraphQLSyntaxError as exc:
        offset = next(iter(exc.positions), None) if exc.positions else None
        line, column = (found.line, found.column) if offset is None else locate(found, offset)
        return [Diagnostic(found.path, line, column, exc.message, rule="graphql-syntax")]
    except RecursionError:
        return [Diagnostic(found.path, found.line, found.column, "the document nests too "
                           "deeply to be read", rule="graphql-syntax")]
    out = []
    for finding in check_document(schema, document, default=target.default_basis):
        if finding.offset is not None:
            line, column = locate(found, finding.offset)
        else:
            line, column = found.line, found.column
        out.append(Diagnostic(found.path, line, column, finding.message,
                              severity=finding.severity, rule=finding.rule))
    return out


# Below this many documents, starting worker processes costs more than it saves.
PARALLEL_FROM = 200


def _check_all(documents: list[FoundDocument], target: Target) -> list[Diagnostic]:
    """The findings of every document, over the machine's cores when there are many."""
    if len(documents) < PARALLEL_FROM:
        return [d for found in documents for d in check_found(found, target)]
    # A few chunks per worker evens out their load.
    size = -(-len(documents) // (workers() * 4))

    def check_chunk(chunk: Sequence[FoundDocument]) -> list[Diagnostic]:
        return [d for found in chunk for d in check_found(found, target)]

    return [d for found in map_chunks(check_chunk, chunked(documents, size)) for d in found]


def check_paths(paths: Sequence[str], target: Target) -> tuple[list[Diagnostic], int]:
    """Every finding in the documents of ``paths`` (files, or folders walked), and how many
    documents were checked."""
    files, problems = iter_source_files(paths)
    diagnostics = list(problems)
    documents: list[FoundDocument] = []
    for path in files:
        text, found_problems = read_source(path)
        diagnostics.extend(found_problems)
        if text is None:
            continue
        found, scan_problems = find_documents(path, text)
        diagnostics.extend(scan_problems)
        documents.extend(found)
    diagnostics.extend(_check_all(documents, target))
    return diagnostics, len(documents)
