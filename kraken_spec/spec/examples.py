"""Check the catalogue's GraphQL schemas and examples, with diagnostics placed in spec files."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from graphql import (
    GraphQLError,
    GraphQLSchema,
    GraphQLSyntaxError,
    Source,
    parse,
    validate_schema,
)
from graphql.language import DocumentNode, FieldNode, Node, OperationDefinitionNode
from graphql.validation import LoneAnonymousOperationRule, UniqueOperationNamesRule
from graphql.validation.rules.custom.no_deprecated import NoDeprecatedCustomRule

from kraken_spec.diagnostics import Diagnostic, line_column
from kraken_spec.gql.operations import RULES, StandInValuesRule, check_document
from kraken_spec.gql.schema import build_endpoint_schema, examples_as_checked
from kraken_spec.model import Catalogue, Mutation
from kraken_spec.parallel import chunked, map_chunks
from kraken_spec.spec.files import enriched_path
from kraken_spec.spec.headless import examples_view
from kraken_spec.spec.sources import SourceMap
from kraken_spec.spec.yamlio import JsonPath, Located

# Examples are checked together in one document (one pass of the rules instead of one
# per example); operation names may repeat across examples, so that rule is left out and
# each example is separately required to hold exactly one operation. A deprecated
# mutation's own example is no mistake, nor is a literal the page gives for a stand-in.
_EXAMPLE_RULES = tuple(r for r in RULES
                       if r not in (UniqueOperationNamesRule, LoneAnonymousOperationRule,
                                    NoDeprecatedCustomRule, StandInValuesRule))


def check_catalogue(catalogue: Catalogue, sources: SourceMap) -> list[Diagnostic]:
    """Build each endpoint's schema, require it valid, and check the examples against it."""
    problems: list[Diagnostic] = []
    # The examples are the page's: checked against its own schema, where the entries it
    # shows without heading stand with made-up payload type names.
    page, sources = examples_view(catalogue, sources)
    for index, endpoint in enumerate(catalogue.endpoints):
        mutations = page.mutations_of(endpoint.name)
        try:
            schema = build_endpoint_schema(page, endpoint.name, page_only=True)
            schema_errors = validate_schema(schema)
        except (TypeError, GraphQLError) as exc:
            schema_errors = [GraphQLError(str(exc))]
        # The loader's rules should leave nothing for graphql-core to find; what it still
        # finds is placed at the spec node that declares the name it mentions, if any.
        for error in schema_errors:
            problems.append(_schema_error_diagnostic(
                error.message, f"GraphQL schema of endpoint {endpoint.name!r}: "
                f"{error.message}", index, mutations, sources))
        if not schema_errors:
            problems.extend(_check_examples(mutations, schema, sources))
            problems.extend(_check_enriched(catalogue, endpoint.name))
    return problems


_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")


def _check_enriched(catalogue: Catalogue, endpoint: str) -> Iterator[Diagnostic]:
    """The schema with every source's facts must be valid too: sources valid alone may
    clash when mixed (an own interface that a sibling's object implements differently)."""
    if not catalogue.enrichments:
        return
    try:
        errors = validate_schema(build_endpoint_schema(catalogue, endpoint))
    except (TypeError, GraphQLError) as exc:
        errors = [GraphQLError(str(exc))]
    for error in errors:
        # Placed in the file of the source that states the first type the message names.
        source = next((found[1].source for name in _NAME.findall(error.message)
                       if (found := catalogue.sourced_type(name)) is not None),
                      catalogue.enrichments[0].provenance.source)
        yield Diagnostic(enriched_path(source), 0, 0, f"the schema of endpoint "
                         f"{endpoint!r} with its schema sources is not valid: {error.message}",
                         rule="enriched-schema")


# The names a graphql-core schema error is about: quoted ('Name '__x' must ...'), dotted
# ('The type of Foo.bar must ...') or after "type" ('Type Foo must ...', 'Enum type Foo').
_SUBJECT = re.compile(r"'(?P<quoted>\w+)'|\b(?P<owner>\w+)\.(?P<member>\w+)"
                      r"|\b[Tt]ype (?P<typed>\w+)")


def _schema_error_diagnostic(error: str, message: str, endpoint_index: int,
                             mutations: tuple[Mutation, ...],
                             sources: SourceMap) -> Diagnostic:
    """``message`` at the node declaring the first name in ``error`` that the spec declares;
    failing that, at the endpoint's entry in the endpoints file."""
    for match in _SUBJECT.finditer(error):
        name = match["quoted"] or match["owner"] or match["typed"]
        found = _declaring_node(name, match["member"], mutations, sources)
        if found is not None:
            doc, path = found
            line, column = doc.mark(path)
            return Diagnostic(doc.path, line, column, message, rule="schema-invalid")
    endpoints = sources.endpoints
    if endpoints is None:  # pragma: no cover - the catalogue is built only from a read file
        return Diagnostic("spec/endpoints.yaml", 0, 0, message, rule="schema-invalid")
    line, column = endpoints.mark(("endpoints", endpoint_index, "name"))
    return Diagnostic(endpoints.path, line, column, message, rule="schema-invalid")


def _declaring_node(name: str, member: str | None, mutations: tuple[Mutation, ...],
                    sources: SourceMap) -> tuple[Located, JsonPath] | None:
    """Where the spec declares the type, payload type or mutation ``name`` (its field or
    argument ``member`` when that is declared too)."""
    by_name = {m.name: m for m in mutations}
    if name == "Mutation" and member in by_name:
        return sources.mutations[(by_name[member].endpoint, member)], ("name",)
    if name in sources.types:
        doc, path = sources.types[name]
        fields = doc.data["types"][path[-1]].get("fields", ())
        for j, f in enumerate(fields):
            if f["name"] == member:
                return doc, (*path, "fields", j, "name")
        return doc, (*path, "name")
    for m in mutations:
        doc = sources.mutations[(m.endpoint, m.name)]
        if m.return_fields is not None and m.payload_type == name:
            for j, returned in enumerate(m.return_fields):
                if returned.name == member:
                    return doc, ("returnFields", j, "name")
            return doc, ("payload", "type")
        if m.name == name:
            return doc, ("name",)
    return None


# Examples checked together, as one document per chunk: big enough that the rules' setup
# is shared, small enough that a large catalogue's parsed examples need not all be held at
# once, and that several chunks can go to several cores.
EXAMPLES_PER_CHUNK = 1000


def _check_examples(mutations: tuple[Mutation, ...], schema: GraphQLSchema,
                    sources: SourceMap) -> list[Diagnostic]:
    def check(chunk: Sequence[Mutation]) -> list[Diagnostic]:
        return list(_check_chunk(chunk, schema, sources))

    return [d for found in map_chunks(check, chunked(mutations, EXAMPLES_PER_CHUNK))
            for d in found]


def _check_chunk(mutations: Sequence[Mutation], schema: GraphQLSchema,
                 sources: SourceMap) -> Iterator[Diagnostic]:
    operations: list[OperationDefinitionNode] = []
    by_source: dict[str, Mutation] = {}
    for m in mutations:
        doc = sources.mutations[(m.endpoint, m.name)]
        try:
            document = parse(Source(m.example.operation, m.name))
        except GraphQLSyntaxError as exc:
            yield _example_diagnostic(doc, m.example.operation, _offset(exc), exc.message)
            continue
        ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if len(ops) != 1 or len(document.definitions) != 1:
            yield _example_diagnostic(doc, m.example.operation, 0, "the example must hold "
                                      "exactly one operation and nothing else")
            continue
        yield from _check_selection(m, ops[0], doc)
        by_source[m.name] = m
        operations.append(ops[0])
    document = examples_as_checked(DocumentNode(definitions=tuple(operations)), schema)
    for finding in check_document(schema, document, rules=_EXAMPLE_RULES):
        # Only a contradiction of the page fails: a selection under a type no source
        # shapes is unverified, not wrong.
        owner = by_source.get(finding.source or "")
        if finding.severity != "error" or owner is None:
            continue
        yield _example_diagnostic(sources.mutations[(owner.endpoint, owner.name)],
                                  owner.example.operation, finding.offset or 0,
                                  finding.message)


def _check_selection(m: Mutation, op: OperationDefinitionNode,
                     doc: Located) -> Iterator[Diagnostic]:
    """The example selects the mutation alone, and exactly the listed return fields."""
    body = m.example.operation
    selected = [s for s in op.selection_set.selections if isinstance(s, FieldNode)]
    if len(selected) != 1 or selected[0].name.value != m.name:
        yield _example_diagnostic(doc, body, _node_offset(op.selection_set),
                                  f"the example must select the field {m.name!r} alone",
                                  rule="example-selection")
    elif m.return_fields is not None:
        selection = selected[0].selection_set
        names = [s.name.value for s in selection.selections
                 if isinstance(s, FieldNode)] if selection else []
        if names != [f.name for f in m.return_fields]:
            yield _example_diagnostic(doc, body, _node_offset(selection or selected[0]),
                                      "the example selects " + ", ".join(names)
                                      + " but returnFields lists "
                                      + ", ".join(f.name for f in m.return_fields),
                                      rule="example-selection")


def _offset(error: GraphQLError) -> int:
    return next(iter(error.positions or ()), 0)


def _node_offset(node: Node) -> int:
    return node.loc.start if node.loc is not None else 0


def _example_diagnostic(doc: Located, body: str, offset: int, message: str,
                        rule: str = "example-invalid") -> Diagnostic:
    """Place an offset of the example operation inside its block scalar in the YAML file."""
    line, column = line_column(body, offset)
    # A block scalar's text starts on the line after its indicator.
    start_line, _column = doc.mark(("example", "operation"))
    body_column = _block_indent(doc, start_line)
    return Diagnostic(doc.path, start_line + line, body_column + column - 1,
                      f"example operation: {message}", rule=rule)


def _block_indent(doc: Located, indicator_line: int) -> int:
    """The 1-based column where a block scalar's text starts (its indentation + 1)."""
    if indicator_line < len(doc.lines):
        text = doc.lines[indicator_line]
        return len(text) - len(text.lstrip(" ")) + 1
    return 1
