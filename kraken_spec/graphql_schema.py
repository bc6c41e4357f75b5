"""The GraphQL schema of each endpoint, built from the catalogue with graphql-core."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from copy import copy
from typing import TYPE_CHECKING, cast

from graphql import (
    GraphQLArgument,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLEnumValue,
    GraphQLError,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLNullableType,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLSyntaxError,
    GraphQLType,
    Source,
    get_named_type,
    is_leaf_type,
    parse,
    parse_type,
    specified_rules,
    specified_scalar_types,
    validate,
    validate_schema,
)
from graphql.language import (
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    ListTypeNode,
    NamedTypeNode,
    NameNode,
    Node,
    NonNullTypeNode,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
    TypeNode,
)
from graphql.validation import LoneAnonymousOperationRule, UniqueOperationNamesRule

from kraken_spec.diagnostics import Diagnostic, line_column
from kraken_spec.inference import candidates
from kraken_spec.model import Catalogue, Mutation, NamedType

if TYPE_CHECKING:
    from kraken_spec.loader import SourceMap
    from kraken_spec.yamlio import JsonPath, Located

UNDOCUMENTED = "Undocumented"
INFERRED = "Inferred"
PLACEHOLDER_FIELD = "_placeholder"


def _marker(tag: str, text: str) -> str:
    """Descriptions carry the catalogue's marking, since print_schema drops applied
    directives: a first line ``Undocumented: ...`` or ``Inferred: ...``."""
    return f"{tag}: {text}"


def mutation_description(m: Mutation) -> str | None:
    """The SDL description of a mutation field: the page's text plus its listed facts."""
    parts = [m.description] if m.description else []
    if m.requires_authorization:
        parts.append("Requires the Authorization header.")
    if m.errors:
        parts.append("Possible errors: " + ", ".join(m.errors) + ".")
    return "\n\n".join(parts) or None


def _named_type_description(t: NamedType) -> str:
    if t.status == "undocumented":
        what = "an input type" if t.role == "input" else "an output type"
        return _marker(UNDOCUMENTED, f"the reference page names {what} without its shape; it "
                       "stands in as a scalar until its shape is known.")
    if t.status == "inferred":
        return _marker(INFERRED, t.description or "the reference page does not name this type.")
    return t.description or ""


class _Builder:
    """Build one endpoint's schema; named types are created once and shared."""

    def __init__(self, catalogue: Catalogue, endpoint: str) -> None:
        self.catalogue = catalogue
        self.declared = {t.name: t for t in catalogue.types}
        self.mutations = catalogue.mutations_of(endpoint)
        self.payloads = {m.payload_type: m for m in self.mutations if m.return_fields is not None}
        self.named: dict[str, GraphQLNamedType] = dict(specified_scalar_types)

    def output_ref(self, ref: str) -> GraphQLOutputType:
        return cast(GraphQLOutputType, self._wrap(parse_type(ref)))

    def input_ref(self, ref: str) -> GraphQLInputType:
        return cast(GraphQLInputType, self._wrap(parse_type(ref)))

    def _wrap(self, node: TypeNode) -> GraphQLType:
        if isinstance(node, NonNullTypeNode):
            return GraphQLNonNull(cast(GraphQLNullableType, self._wrap(node.type)))
        if isinstance(node, ListTypeNode):
            return GraphQLList(self._wrap(node.type))
        assert isinstance(node, NamedTypeNode)
        return self.named_type(node.name.value)

    def named_type(self, name: str) -> GraphQLNamedType:
        if name in self.named:
            return self.named[name]
        if name in self.payloads:
            result: GraphQLNamedType = self._payload(self.payloads[name])
        else:
            result = self._declared(self.declared[name])
        self.named[name] = result
        return result

    def _payload(self, m: Mutation) -> GraphQLObjectType:
        def fields() -> dict[str, GraphQLField]:
            out: dict[str, GraphQLField] = {}
            for f in m.return_fields or ():
                description = None
                if f.basis == "example" and f.example is not None:
                    also = candidates(f.example)
                    could = f" (could also be {' or '.join(also)})" if also else ""
                    description = _marker(INFERRED, f"type from the example value "
                                          f"{f.example}{could}.")
                out[f.name] = GraphQLField(self.output_ref(f.type), description=description)
            return out

        return GraphQLObjectType(m.payload_type, fields)

    def _declared(self, t: NamedType) -> GraphQLNamedType:
        description = _named_type_description(t) or None
        if t.kind == "ENUM" and t.values:
            return GraphQLEnumType(t.name, {v: GraphQLEnumValue(v) for v in t.values},
                                   description=description)
        if t.kind == "OBJECT" and t.fields:
            return GraphQLObjectType(
                t.name,
                lambda: {f.name: GraphQLField(self.output_ref(f.type), description=f.description)
                         for f in t.fields},
                description=description)
        if t.kind == "INPUT_OBJECT" and t.fields:
            return GraphQLInputObjectType(
                t.name,
                lambda: {f.name: GraphQLInputField(self.input_ref(f.type),
                                                   description=f.description)
                         for f in t.fields},
                description=description)
        return GraphQLScalarType(t.name, description=description)

    def schema(self) -> GraphQLSchema:
        mutation_fields = {
            m.name: GraphQLField(
                self.output_ref(m.payload_sdl),
                args={a.name: GraphQLArgument(self.input_ref(a.type), description=a.description)
                      for a in m.arguments},
                description=mutation_description(m),
                deprecation_reason=m.deprecation_reason,
            )
            for m in self.mutations
        }
        # GraphQL requires a query root; the page documents none, so the schema holds a
        # marked placeholder that is not part of the API.
        query = GraphQLObjectType(
            "Query",
            {PLACEHOLDER_FIELD: GraphQLField(
                GraphQLBoolean,
                description=_marker(UNDOCUMENTED, "the reference page documents mutations only; "
                                    "this placeholder keeps the schema valid and is not part "
                                    "of the API."))},
        )
        mutation = GraphQLObjectType("Mutation", mutation_fields)
        collected = GraphQLSchema(query=query, mutation=mutation)
        # Rebuild with the named types in name order: printed SDL is then sorted by type
        # while fields and arguments keep their documented order.
        named = sorted((t for name, t in collected.type_map.items() if not name.startswith("__")),
                       key=lambda t: t.name)
        return GraphQLSchema(query=query, mutation=mutation, types=named)


def build_endpoint_schema(catalogue: Catalogue, endpoint: str) -> GraphQLSchema:
    """The schema of one endpoint: its mutations and every type they reach."""
    return _Builder(catalogue, endpoint).schema()


def strip_undocumented_selections(operation: OperationDefinitionNode, schema: GraphQLSchema,
                                  stand_ins: Collection[str]) -> OperationDefinitionNode:
    """Rewrite the page's fragment spreads so that the rest of the example can be checked.

    The page spreads fragments it never defines (``...PossibleErrorTypeFragment``). On a
    field whose type stands in as a scalar (``stand_ins``: the undocumented types, whose
    shape is unknown) the selection set is dropped; on a field whose type is composite (its
    shape is curated) each spread becomes ``__typename``, which is valid on any composite
    type and claims no field. Everything else is kept as the page shows it, so a selection
    under a real leaf (``Boolean``, an inferred scalar, an enum) is reported.
    """
    mutation_type = schema.mutation_type
    fields = []
    for node in operation.selection_set.selections:
        if isinstance(node, FieldNode) and node.selection_set is not None and mutation_type:
            field_def = mutation_type.fields.get(node.name.value)
            payload = get_named_type(field_def.type) if field_def else None
            if isinstance(payload, GraphQLObjectType):
                kept = tuple(_strip_field(sel, payload, stand_ins)
                             for sel in node.selection_set.selections)
                node = copy(node)
                node.selection_set = SelectionSetNode(selections=kept)
        fields.append(node)
    stripped = copy(operation)
    stripped.selection_set = SelectionSetNode(selections=tuple(fields))
    return stripped


_TYPENAME = FieldNode(name=NameNode(value="__typename"), arguments=(), directives=())


def _strip_field(node: SelectionNode, parent: GraphQLObjectType,
                 stand_ins: Collection[str]) -> SelectionNode:
    if not isinstance(node, FieldNode) or node.selection_set is None:
        return node
    field_def = parent.fields.get(node.name.value)
    if field_def is None:
        return node  # validation reports the unknown field
    named = get_named_type(field_def.type)
    if is_leaf_type(named) and named.name not in stand_ins:
        return node  # validation reports the selection under a leaf
    stripped = copy(node)
    if is_leaf_type(named):
        stripped.selection_set = None
    else:
        selections = node.selection_set.selections
        kept = tuple(s for s in selections if not isinstance(s, FragmentSpreadNode))
        if len(kept) < len(selections):
            kept += (_TYPENAME,)
        stripped.selection_set = SelectionSetNode(selections=kept)
    return stripped


# Examples are validated together in one document (one pass of the rules instead of one
# per example); operation names may repeat across examples, so that rule is left out and
# each example is separately required to hold exactly one operation.
_EXAMPLE_RULES = tuple(r for r in specified_rules
                       if r not in (UniqueOperationNamesRule, LoneAnonymousOperationRule))


def check_catalogue(catalogue: Catalogue, sources: SourceMap) -> list[Diagnostic]:
    """Build each endpoint's schema, require it valid, and check the examples against it."""
    problems: list[Diagnostic] = []
    stand_ins = frozenset(t.name for t in catalogue.types if t.status == "undocumented")
    for index, endpoint in enumerate(catalogue.endpoints):
        mutations = catalogue.mutations_of(endpoint.name)
        try:
            schema = build_endpoint_schema(catalogue, endpoint.name)
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
            problems.extend(_check_examples(mutations, schema, sources, stand_ins))
    return problems


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
            return Diagnostic(doc.path, line, column, message)
    endpoints = sources.endpoints
    if endpoints is None:  # pragma: no cover - the catalogue is built only from a read file
        return Diagnostic("spec/endpoints.yaml", 0, 0, message)
    line, column = endpoints.mark(("endpoints", endpoint_index, "name"))
    return Diagnostic(endpoints.path, line, column, message)


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


def _check_examples(mutations: tuple[Mutation, ...], schema: GraphQLSchema,
                    sources: SourceMap, stand_ins: Collection[str]) -> Iterator[Diagnostic]:
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
        operations.append(strip_undocumented_selections(ops[0], schema, stand_ins))
    for error in validate(schema, DocumentNode(definitions=tuple(operations)), _EXAMPLE_RULES):
        node = error.nodes[0] if error.nodes else None
        source = node.loc.source if node is not None and node.loc is not None else None
        owner = by_source.get(source.name) if source is not None else None
        if owner is None:  # pragma: no cover - every example node carries its source
            continue
        yield _example_diagnostic(sources.mutations[(owner.endpoint, owner.name)],
                                  owner.example.operation, _offset(error), error.message)


def _check_selection(m: Mutation, op: OperationDefinitionNode,
                     doc: Located) -> Iterator[Diagnostic]:
    """The example selects the mutation alone, and exactly the listed return fields."""
    body = m.example.operation
    selected = [s for s in op.selection_set.selections if isinstance(s, FieldNode)]
    if len(selected) != 1 or selected[0].name.value != m.name:
        yield _example_diagnostic(doc, body, _node_offset(op.selection_set),
                                  f"the example must select the field {m.name!r} alone")
    elif m.return_fields is not None:
        selection = selected[0].selection_set
        names = [s.name.value for s in selection.selections
                 if isinstance(s, FieldNode)] if selection else []
        if names != [f.name for f in m.return_fields]:
            yield _example_diagnostic(doc, body, _node_offset(selection or selected[0]),
                                      "the example selects " + ", ".join(names)
                                      + " but returnFields lists "
                                      + ", ".join(f.name for f in m.return_fields))


def _offset(error: GraphQLError) -> int:
    return next(iter(error.positions or ()), 0)


def _node_offset(node: Node) -> int:
    return node.loc.start if node.loc is not None else 0


def _example_diagnostic(doc: Located, body: str, offset: int, message: str) -> Diagnostic:
    """Place an offset of the example operation inside its block scalar in the YAML file."""
    line, column = line_column(body, offset)
    # A block scalar's text starts on the line after its indicator.
    start_line, _column = doc.mark(("example", "operation"))
    body_column = _block_indent(doc, start_line)
    return Diagnostic(doc.path, start_line + line, body_column + column - 1,
                      f"example operation: {message}")


def _block_indent(doc: Located, indicator_line: int) -> int:
    """The 1-based column where a block scalar's text starts (its indentation + 1)."""
    if indicator_line < len(doc.lines):
        text = doc.lines[indicator_line]
        return len(text) - len(text.lstrip(" ")) + 1
    return 1
