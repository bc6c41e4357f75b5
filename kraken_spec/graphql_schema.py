"""The GraphQL schema of each endpoint, built from the catalogue with graphql-core."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast

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
    GraphQLType,
    GraphQLSyntaxError,
    Source,
    get_named_type,
    is_leaf_type,
    parse,
    parse_type,
    specified_scalar_types,
    validate,
    validate_schema,
)
from graphql.language import (
    FieldNode,
    ListTypeNode,
    NamedTypeNode,
    NonNullTypeNode,
    SelectionSetNode,
    TypeNode,
    Visitor,
    visit,
)
from graphql.utilities import TypeInfo, TypeInfoVisitor

from kraken_spec.diagnostics import Diagnostic
from kraken_spec.inference import candidates
from kraken_spec.model import Catalogue, Mutation, NamedType

if TYPE_CHECKING:
    from kraken_spec.loader import SourceMap
    from kraken_spec.yamlio import Located

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
                lambda: {f.name: GraphQLInputField(self.input_ref(f.type), description=f.description)
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


def strip_undocumented_selections(document: Any, schema: GraphQLSchema) -> Any:
    """Drop selection sets on fields whose type is a leaf here: the page selects fragments
    it never defines on types whose shape it omits, so those cannot be checked."""
    type_info = TypeInfo(schema)

    class Strip(Visitor):
        def enter_field(self, node: FieldNode, *_args: Any) -> Any:
            field_type = type_info.get_type()
            if node.selection_set is not None and field_type is not None and is_leaf_type(
                get_named_type(field_type)
            ):
                return FieldNode(alias=node.alias, name=node.name, arguments=node.arguments,
                                 directives=node.directives, selection_set=None,
                                 loc=node.loc)
            return None

    return visit(document, TypeInfoVisitor(type_info, Strip()))


def check_catalogue(catalogue: Catalogue, sources: SourceMap) -> list[Diagnostic]:
    """Build each endpoint's schema, require it valid, and check the examples against it."""
    problems: list[Diagnostic] = []
    for endpoint in catalogue.endpoints:
        try:
            schema = build_endpoint_schema(catalogue, endpoint.name)
            schema_errors = validate_schema(schema)
        except (TypeError, GraphQLError) as exc:
            schema_errors = [GraphQLError(str(exc))]
        for error in schema_errors:
            doc = sources.endpoints
            path = doc.path if doc is not None else "spec/endpoints.yaml"
            problems.append(Diagnostic(path, 0, 0, f"GraphQL schema of endpoint "
                                       f"{endpoint.name!r}: {error.message}"))
        if schema_errors:
            continue
        for m in catalogue.mutations_of(endpoint.name):
            problems.extend(_check_example(m, schema, sources))
    return problems


def _check_example(m: Mutation, schema: GraphQLSchema,
                   sources: SourceMap) -> Iterator[Diagnostic]:
    doc = sources.mutations[(m.endpoint, m.name)]
    path = ("example", "operation")

    def located(line: int, column: int, message: str) -> Diagnostic:
        # A block scalar's text starts on the line after its indicator.
        start_line, start_column = doc.mark(path)
        body_column = _block_indent(doc, start_line)
        return Diagnostic(doc.path, start_line + line, body_column + column - 1,
                          f"example operation: {message}")

    try:
        document = parse(Source(m.example.operation, doc.path))
    except GraphQLSyntaxError as exc:
        loc = exc.locations[0] if exc.locations else None
        yield located(loc.line if loc else 1, loc.column if loc else 1, exc.message)
        return
    document = strip_undocumented_selections(document, schema)
    for error in validate(schema, document):
        loc = error.locations[0] if error.locations else None
        yield located(loc.line if loc else 1, loc.column if loc else 1, error.message)
    selected = [s for s in document.definitions[0].selection_set.selections
                if isinstance(s, FieldNode)]
    if len(selected) != 1 or selected[0].name.value != m.name:
        yield located(1, 1, f"the example must select the field {m.name!r} alone")
    elif m.return_fields is not None:
        names = [s.name.value for s in (selected[0].selection_set or SelectionSetNode(
            selections=())).selections if isinstance(s, FieldNode)]
        if names != [f.name for f in m.return_fields]:
            yield located(1, 1, "the example selects " + ", ".join(names)
                          + " but returnFields lists "
                          + ", ".join(f.name for f in m.return_fields))


def _block_indent(doc: Located, indicator_line: int) -> int:
    """The 1-based column where a block scalar's text starts (its indentation + 1)."""
    if indicator_line < len(doc.lines):
        text = doc.lines[indicator_line]
        return len(text) - len(text.lstrip(" ")) + 1
    return 1
