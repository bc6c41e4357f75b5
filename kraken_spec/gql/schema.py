"""The GraphQL schema of each endpoint, built from the catalogue with graphql-core."""

from __future__ import annotations

import re
from copy import copy
from typing import Any, cast

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
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLNullableType,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLType,
    GraphQLUnionType,
    TypeInfo,
    TypeInfoVisitor,
    Undefined,
    Visitor,
    ast_from_value,
    get_named_type,
    parse_type,
    parse_value,
    specified_scalar_types,
    value_from_ast,
    visit,
)
from graphql.language import (
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    ListTypeNode,
    NamedTypeNode,
    NameNode,
    NonNullTypeNode,
    TypeNode,
)

from kraken_spec.gql.operations import EXTENSION, basis_of
from kraken_spec.inference import candidates
from kraken_spec.model import (
    Catalogue,
    Mutation,
    NamedType,
    Provenance,
    SourcedField,
    SourcedType,
    named_type,
)

UNDOCUMENTED = "Undocumented"
INFERRED = "Inferred"
PLACEHOLDER_FIELD = "_placeholder"

_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")


def _marker(tag: str, text: str) -> str:
    """Descriptions carry the catalogue's marking, since print_schema drops applied
    directives: a first line ``Undocumented: ...`` or ``Inferred: ...``."""
    return f"{tag}: {text}"


def mutation_description(m: Mutation) -> str | None:
    """The SDL description of a mutation field: the page's text plus its listed facts, after
    the source of its payload type when a schema source states it."""
    parts = [] if m.payload_source is None else [_sourced_description(
        None, m.payload_source, "payload type from {source}; the page shows this entry "
        "without its heading.")]
    if m.description:
        parts.append(m.description)
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


def source_marker(provenance: Provenance) -> str:
    """The tag of a fact from a schema source: ``Own`` or ``Sibling``."""
    return provenance.authority.capitalize()


def _sourced_description(text: str | None, provenance: Provenance, what: str) -> str:
    """A description whose first line says which source states the fact: ``Sibling: shape
    from octopus-energy-it (2026-02-10); ...``, then the source's own description."""
    source = f"{provenance.source} ({provenance.date})"
    marked = _marker(source_marker(provenance), what.format(source=source))
    return marked + ("\n\n" + text if text else "")


def _basis(basis: str, provenance: Provenance | None = None) -> dict[str, Any]:
    """The extensions that record a fact's basis (see gql.operations) on a built type."""
    mine = {"basis": basis} | ({"source": provenance.source} if provenance else {})
    return {EXTENSION: mine}


class _Builder:
    """Build one endpoint's schema; named types are created once and shared.

    Each named type comes from the most authoritative source that states its shape: the
    page (payloads, curated types), then the catalogue's enrichments in order (own sources
    before siblings); a type no source shapes stands in as a scalar.
    """

    def __init__(self, catalogue: Catalogue, endpoint: str) -> None:
        self.catalogue = catalogue
        self.declared = {t.name: t for t in catalogue.types}
        self.mutations = catalogue.mutations_of(endpoint)
        self.payloads = {m.payload_type: m for m in self.mutations}
        self.named: dict[str, GraphQLNamedType] = dict(specified_scalar_types)
        self.refs: dict[str, GraphQLType] = {}

    def output_ref(self, ref: str) -> GraphQLOutputType:
        return cast(GraphQLOutputType, self._ref(ref))

    def input_ref(self, ref: str) -> GraphQLInputType:
        return cast(GraphQLInputType, self._ref(ref))

    def _ref(self, ref: str) -> GraphQLType:
        # A schema source repeats a few hundred references thousands of times; parsing
        # each once keeps the enriched schema's build short.
        found = self.refs.get(ref)
        if found is None:
            found = self._canonical_ref(ref)
            # Anything else goes through the parser, which raises the error it always did.
            found = self.refs[ref] = found or self._wrap(parse_type(ref))
        return found

    def _canonical_ref(self, ref: str) -> GraphQLType | None:
        # The spec's references are canonical (``[Foo!]!``: no white space, no comments),
        # so they are read from the string; graphql-core's lexer and AST for each would
        # cost a fifth of the enriched build.
        if ref.endswith("!"):
            inner = self._canonical_ref(ref[:-1]) if not ref.endswith("!!") else None
            return None if inner is None else GraphQLNonNull(
                cast(GraphQLNullableType, inner))
        if ref.startswith("[") and ref.endswith("]"):
            item = self._canonical_ref(ref[1:-1])
            return None if item is None else GraphQLList(item)
        return self.named_type(ref) if _NAME.fullmatch(ref) else None

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
        sourced = self.catalogue.sourced_type(name)
        shape = self.catalogue.shape_of(name)
        declared = self.declared.get(name)
        result: GraphQLNamedType
        if name in self.payloads and (self.payloads[name].return_fields is not None
                                      or (sourced is not None and sourced[0].kind == "OBJECT")):
            result = self._payload(self.payloads[name], sourced)
        elif shape is not None:
            result = self._sourced(*shape)
        elif declared is not None:
            result = self._declared(declared)
        else:
            result = GraphQLScalarType(name, description=_marker(
                UNDOCUMENTED, "a schema source names this type without its shape; it stands "
                "in as a scalar."), extensions=_basis("stand-in"))
        self.named[name] = result
        return result

    def _payload(self, m: Mutation,
                 sourced: tuple[SourcedType, Provenance] | None) -> GraphQLObjectType:
        shape, provenance = sourced if sourced and sourced[0].kind == "OBJECT" else (None, None)
        extra = {f.name: f for f in shape.fields} if shape else {}

        def fields() -> dict[str, GraphQLField]:
            out: dict[str, GraphQLField] = {}
            for f in m.return_fields or ():
                known = extra.pop(f.name, None)
                if f.basis != "example":
                    out[f.name] = GraphQLField(self.output_ref(f.type),
                                               extensions=_basis("page"))
                elif known is not None and provenance is not None and self._is_leaf(known.type):
                    # A source's type is a stated fact; an example value only suggests one.
                    # Only a leaf refines it: the page's example selects the field as a
                    # leaf, and a source saying otherwise contradicts the page (drift).
                    out[f.name] = GraphQLField(self.output_ref(known.type), description=(
                        _sourced_description(known.description, provenance,
                                             "type from {source}.")
                        + f"\n\nThe page's example value {f.example} suggested {f.type}."),
                        # That it is a leaf is the page's own evidence (its example value).
                        extensions=_basis("inferred", provenance))
                else:
                    out[f.name] = GraphQLField(self.output_ref(f.type),
                                               description=_inferred(f.example),
                                               extensions=_basis("inferred"))
            assert provenance is not None or not extra
            for name, known in extra.items():
                assert provenance is not None
                out[name] = self._field(known, provenance, "field from {source}; the page's "
                                        "example does not select it.")
            return out

        if m.payload_source is not None:
            # The page shows the fields of an entry without heading; only the name of
            # their type is the source's.
            return GraphQLObjectType(m.payload_type, fields, description=_sourced_description(
                shape.description if shape else None, m.payload_source,
                "name from {source}; the page shows this payload's fields but not its name."),
                extensions=_basis(m.payload_source.authority, m.payload_source))
        return GraphQLObjectType(m.payload_type, fields, extensions=_basis("page"))

    def _is_leaf(self, ref: str) -> bool:
        name = named_type(ref)
        shape = self.catalogue.shape_of(name)
        return name in specified_scalar_types or (
            shape is not None and shape[0].kind in ("SCALAR", "ENUM"))

    def _field(self, f: SourcedField, provenance: Provenance | None,
               what: str = "") -> GraphQLField:
        description = (_sourced_description(f.description, provenance, what)
                       if provenance is not None else f.description)
        return GraphQLField(
            self.output_ref(f.type), description=description,
            deprecation_reason=f.deprecation_reason,
            extensions=_basis(provenance.authority, provenance) if provenance else None,
            args={a.name: GraphQLArgument(self.input_ref(a.type), description=a.description,
                                          default_value=self._default(a),
                                          deprecation_reason=a.deprecation_reason)
                  for a in f.arguments})

    def _default(self, f: SourcedField) -> object:
        if f.default is None:
            return Undefined
        # A default holds only if the type it names here reads it back: a source's object
        # literal for a type the page keeps as a stand-in scalar would not print.
        type_ = self.input_ref(f.type)
        value = value_from_ast(parse_value(f.default), type_)
        try:
            if value is Undefined or ast_from_value(value, type_) is None:
                return Undefined
        except (TypeError, GraphQLError):
            return Undefined
        return value

    def _sourced(self, t: SourcedType, provenance: Provenance) -> GraphQLNamedType:
        description = _sourced_description(
            t.description, provenance,
            "shape from {source}; the page names this type without it."
            if t.name in self.declared else "type from {source}; the page does not name it.")
        marks = _basis(provenance.authority, provenance)
        if t.kind in ("OBJECT", "INTERFACE"):
            cls = GraphQLObjectType if t.kind == "OBJECT" else GraphQLInterfaceType
            return cls(
                t.name, lambda: {f.name: self._field(f, None) for f in t.fields},
                interfaces=lambda: [i for i in map(self.named_type, t.interfaces)
                                    if isinstance(i, GraphQLInterfaceType)],
                description=description, extensions=marks)
        if t.kind == "UNION":
            return GraphQLUnionType(
                t.name, lambda: [m for m in map(self.named_type, t.members)
                                 if isinstance(m, GraphQLObjectType)],
                description=description, extensions=marks)
        if t.kind == "INPUT_OBJECT":
            return GraphQLInputObjectType(
                t.name,
                lambda: {f.name: GraphQLInputField(
                    self.input_ref(f.type), description=f.description,
                    default_value=self._default(f), deprecation_reason=f.deprecation_reason)
                    for f in t.fields},
                description=description, extensions=marks)
        if t.kind == "ENUM":
            return GraphQLEnumType(t.name, {
                v.name: GraphQLEnumValue(v.name, description=v.description,
                                         deprecation_reason=v.deprecation_reason)
                for v in t.values}, description=description, extensions=marks)
        return GraphQLScalarType(t.name, description=description, extensions=marks)

    def _declared(self, t: NamedType) -> GraphQLNamedType:
        description = _named_type_description(t) or None
        marks = _basis({"documented": "page", "undocumented": "stand-in",
                        "inferred": "inferred"}[t.status])
        if t.kind == "ENUM" and t.values:
            return GraphQLEnumType(t.name, {v: GraphQLEnumValue(v) for v in t.values},
                                   description=description, extensions=marks)
        if t.kind == "OBJECT" and t.fields:
            return GraphQLObjectType(
                t.name,
                lambda: {f.name: GraphQLField(self.output_ref(f.type), description=f.description)
                         for f in t.fields},
                description=description, extensions=marks)
        if t.kind == "INPUT_OBJECT" and t.fields:
            return GraphQLInputObjectType(
                t.name,
                lambda: {f.name: GraphQLInputField(self.input_ref(f.type),
                                                   description=f.description)
                         for f in t.fields},
                description=description, extensions=marks)
        return GraphQLScalarType(t.name, description=description, extensions=marks)

    def schema(self) -> GraphQLSchema:
        mutation_fields = {
            m.name: GraphQLField(
                self.output_ref(m.payload_sdl),
                args={a.name: GraphQLArgument(self.input_ref(a.type), description=a.description)
                      for a in m.arguments},
                description=mutation_description(m),
                deprecation_reason=m.deprecation_reason,
                # The field and its arguments are the page's facts even where a source
                # names the payload type: that fact is graded on the payload type itself.
                extensions=_basis("page"),
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
            extensions=_basis("placeholder"),
        )
        mutation = GraphQLObjectType("Mutation", mutation_fields, extensions=_basis("page"))
        collected = GraphQLSchema(query=query, mutation=mutation)
        extra = self._implementations(query, mutation, set(collected.type_map))
        if extra:
            collected = GraphQLSchema(query=query, mutation=mutation, types=extra)
        # The named types in name order, so printed SDL is sorted by type while fields and
        # arguments keep their documented order. The map is reordered in place rather than
        # the schema built again: only its order changes, and a build walks every type.
        collected.type_map = dict(sorted(collected.type_map.items()))
        return collected

    def _implementations(self, query: GraphQLObjectType, mutation: GraphQLObjectType,
                         reached: set[str]) -> list[GraphQLNamedType]:
        """The sourced objects implementing a reached interface: no field leads to them,
        but a fragment on an interface may select them, so they belong to the schema."""
        candidates = sorted({t.name for e in self.catalogue.enrichments for t in e.types
                             if t.kind == "OBJECT" and t.interfaces})
        added: list[GraphQLNamedType] = []
        while True:  # an implementation may reach further interfaces: one pass each
            found = [self.named_type(name) for name in candidates
                     if name not in reached and (shape := self.catalogue.shape_of(name))
                     and shape[0].kind == "OBJECT" and reached.intersection(shape[0].interfaces)]
            if not found:
                return added
            added.extend(found)
            _reach(found, reached)


def _reach(types: list[GraphQLNamedType], reached: set[str]) -> None:
    """Add to ``reached`` the names of ``types`` and of every type they lead to.

    The same walk as graphql-core's schema constructor, but from the new types only: a
    schema built to learn what they reach would walk every type again.
    """
    stack = list(types)
    while stack:
        t = stack.pop()
        if t.name in reached:
            continue
        reached.add(t.name)
        if isinstance(t, (GraphQLObjectType, GraphQLInterfaceType)):
            stack.extend(t.interfaces)
            for field in t.fields.values():
                stack.append(get_named_type(field.type))
                stack.extend(get_named_type(a.type) for a in field.args.values())
        elif isinstance(t, GraphQLUnionType):
            stack.extend(t.types)
        elif isinstance(t, GraphQLInputObjectType):
            stack.extend(get_named_type(f.type) for f in t.fields.values())


def build_endpoint_schema(catalogue: Catalogue, endpoint: str, *,
                          page_only: bool = False) -> GraphQLSchema:
    """The schema of one endpoint: its mutations and every type they reach, shaped by the
    page and then by the catalogue's schema sources (``page_only``: by the page alone)."""
    return _Builder(catalogue.page_only() if page_only else catalogue, endpoint).schema()


def _inferred(example: str | None) -> str | None:
    if example is None:
        return None
    also = candidates(example)
    could = f" (could also be {' or '.join(also)})" if also else ""
    return _marker(INFERRED, f"type from the example value {example}{could}.")


def examples_as_checked(document: DocumentNode, schema: GraphQLSchema) -> DocumentNode:
    """The page's examples rewritten so that what they do state can be checked.

    The page spreads fragments it never defines (``...PossibleErrorTypeFragment``): each
    spread becomes ``__typename``, which claims no field and is valid on any composite
    type. A selection under a type no source shapes (a stand-in scalar) cannot be checked
    and is dropped; everything else is kept as the page shows it, so a selection under a
    real leaf is still reported. All examples go through one visit: the visitor's setup
    costs more than a small operation's walk.
    """
    type_info = TypeInfo(schema)
    return cast(DocumentNode, visit(document, TypeInfoVisitor(type_info, _Rewrite(type_info))))


class _Rewrite(Visitor):
    def __init__(self, type_info: TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: object) -> FieldNode:
        return FieldNode(name=NameNode(value="__typename", loc=node.loc), arguments=(),
                         directives=(), loc=node.loc)

    def enter_field(self, node: FieldNode, *_: object) -> FieldNode | None:
        named = get_named_type(self.type_info.get_type())
        if node.selection_set is None or named is None or basis_of(named, "page")[0] \
                != "stand-in":
            return None
        stripped: FieldNode = copy(node)
        stripped.selection_set = None
        return stripped
