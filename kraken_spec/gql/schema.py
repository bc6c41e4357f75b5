"""The GraphQL schema of each endpoint, built from the catalogue with graphql-core."""

from __future__ import annotations

from collections.abc import Collection
from copy import copy
from typing import cast

from graphql import (
    GraphQLArgument,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLEnumValue,
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
    get_named_type,
    is_leaf_type,
    parse_type,
    specified_scalar_types,
)
from graphql.language import (
    FieldNode,
    FragmentSpreadNode,
    ListTypeNode,
    NamedTypeNode,
    NameNode,
    NonNullTypeNode,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
    TypeNode,
)

from kraken_spec.inference import candidates
from kraken_spec.model import Catalogue, Mutation, NamedType

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
