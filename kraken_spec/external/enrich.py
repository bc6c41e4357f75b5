"""Enrichment: a schema source's facts on the types the mutations reach, and headless payloads."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    Undefined,
    ast_from_value,
    get_named_type,
    get_nullable_type,
    print_ast,
    specified_scalar_types,
)

from kraken_spec.model import (
    Catalogue,
    Enrichment,
    Headless,
    Mutation,
    Provenance,
    SourcedField,
    SourcedPayload,
    SourcedType,
    SourcedValue,
    named_type,
)

# Characters the spec's text refuses (all controls but tab and line feed): a source's
# description keeps its words and loses only these.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _text(value: str | None) -> str | None:
    """A source's description as spec text: line breaks normalised, controls dropped, and
    None for a blank one (the spec has no blank text)."""
    if value is None:
        return None
    cleaned = _CONTROLS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return cleaned if cleaned.strip() else None


def _default(value: GraphQLInputField | GraphQLArgument) -> str | None:
    if value.default_value is Undefined:
        return None
    node = ast_from_value(value.default_value, value.type)
    return None if node is None else print_ast(node)


def _input_value(name: str, value: GraphQLInputField | GraphQLArgument) -> SourcedField:
    return SourcedField(name=name, type=str(value.type), description=_text(value.description),
                        default=_default(value),
                        deprecation_reason=_text(value.deprecation_reason))


def _field(name: str, f: GraphQLField) -> SourcedField:
    return SourcedField(
        name=name, type=str(f.type), description=_text(f.description),
        deprecation_reason=_text(f.deprecation_reason),
        arguments=tuple(_input_value(n, a) for n, a in f.args.items()))


def sourced_type(t: GraphQLNamedType) -> SourcedType:
    """A graphql-core named type as the facts of a :class:`SourcedType`."""
    description = _text(t.description)
    if isinstance(t, GraphQLObjectType | GraphQLInterfaceType):
        return SourcedType(
            t.name, "OBJECT" if isinstance(t, GraphQLObjectType) else "INTERFACE", description,
            fields=tuple(_field(n, f) for n, f in t.fields.items()),
            interfaces=tuple(i.name for i in t.interfaces))
    if isinstance(t, GraphQLInputObjectType):
        return SourcedType(t.name, "INPUT_OBJECT", description,
                           fields=tuple(_input_value(n, f) for n, f in t.fields.items()))
    if isinstance(t, GraphQLEnumType):
        return SourcedType(t.name, "ENUM", description, values=tuple(
            SourcedValue(n, _text(v.description), _text(v.deprecation_reason))
            for n, v in t.values.items()))
    if isinstance(t, GraphQLUnionType):
        return SourcedType(t.name, "UNION", description,
                           members=tuple(m.name for m in t.types))
    assert isinstance(t, GraphQLScalarType)
    return SourcedType(t.name, "SCALAR", description)


def _roots(mutations: Iterable[Mutation | Headless], schema: GraphQLSchema) -> Iterator[str]:
    """The named types the mutations and confirmed headless entries use, by the page and
    by the schema (which alone names a headless entry's payload type)."""
    fields = schema.mutation_type.fields if schema.mutation_type else {}
    for m in mutations:
        if isinstance(m, Mutation):
            yield m.payload_type
        yield from (named_type(a.type) for a in m.arguments)
        yield from (named_type(f.type) for f in m.return_fields or ())
        found = fields.get(m.name)
        if found is not None:
            yield get_named_type(found.type).name
            yield from (get_named_type(a.type).name for a in found.args.values())


def confirmed_payload(entry: Headless, schema: GraphQLSchema) -> SourcedPayload | None:
    """The payload ``schema`` gives the entry the page shows without its heading, when it
    confirms the entry: its Mutation type has the field, with exactly the page's arguments
    (names and types; the example's order is no fact of the schema), typed by an object
    type (a list, a scalar or an abstract type is no mutation payload the page could show
    fields of)."""
    mutation_type = schema.mutation_type
    field = mutation_type.fields.get(entry.name) if mutation_type is not None else None
    if field is None:
        return None
    theirs = {name: str(a.type) for name, a in field.args.items()}
    if theirs != {a.name: a.type for a in entry.arguments} or len(theirs) != len(
            entry.arguments):
        return None
    payload = get_nullable_type(field.type)
    if not isinstance(payload, GraphQLObjectType):
        return None
    return SourcedPayload(
        mutation=entry.name, type=payload.name, non_null=isinstance(field.type, GraphQLNonNull),
        arguments=tuple(SourcedField(a.name, a.type) for a in entry.arguments))


def reachable_types(schema: GraphQLSchema, roots: Iterable[str]) -> list[GraphQLNamedType]:
    """Every named type of ``schema`` reachable from ``roots`` through fields, arguments,
    input fields, interfaces, union members and an interface's implementations (which a
    fragment may select), built-in scalars and introspection types left out; by name."""
    seen: set[str] = set()
    stack = [name for name in roots]
    while stack:
        name = stack.pop()
        t = schema.type_map.get(name)
        if name in seen or t is None or name.startswith("__"):
            continue
        seen.add(name)
        if isinstance(t, GraphQLObjectType | GraphQLInterfaceType):
            for f in t.fields.values():
                stack.append(get_named_type(f.type).name)
                stack.extend(get_named_type(a.type).name for a in f.args.values())
            stack.extend(i.name for i in t.interfaces)
            if isinstance(t, GraphQLInterfaceType):
                stack.extend(p.name for p in schema.get_possible_types(t))
        elif isinstance(t, GraphQLUnionType):
            stack.extend(m.name for m in t.types)
        elif isinstance(t, GraphQLInputObjectType):
            stack.extend(get_named_type(f.type).name for f in t.fields.values())
    return [schema.type_map[n] for n in sorted(seen - set(specified_scalar_types))]


def enrichment_from_schema(catalogue: Catalogue, schema: GraphQLSchema,
                           provenance: Provenance, origin: str | None = None) -> Enrichment:
    """What ``schema`` states about every type the catalogue's mutations reach.

    The source's facts are recorded as it states them, page-known types included: which
    fact wins is decided where they are used (the page first), and a disagreement with the
    page is the drift report's to show, so nothing here is dropped or merged. The entries
    the page shows without heading that the schema confirms get their payload types, and
    the types those reach are recorded too. Only the page's facts count (another source's
    confirmations do not), so re-running it gives the same file.
    """
    page = catalogue.page_only()
    payloads = tuple(p for h in page.headless if (p := confirmed_payload(h, schema)))
    confirmed = {p.mutation for p in payloads}
    roots = _roots([*page.mutations, *(h for h in page.headless if h.name in confirmed)],
                   schema)
    types = tuple(sourced_type(t) for t in reachable_types(schema, roots))
    return Enrichment(provenance=provenance, origin=_text(origin), types=types,
                      payloads=payloads)
