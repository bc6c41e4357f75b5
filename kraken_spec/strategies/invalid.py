"""Invalid request bodies: a valid one damaged one named way, with the reason it must fail."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from copy import deepcopy
from dataclasses import dataclass
from typing import Any, Literal

from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    NameNode,
    SelectionSetNode,
    get_named_type,
    is_leaf_type,
)
from hypothesis import strategies as st

from kraken_spec.gql.operations import Basis, weakest
from kraken_spec.strategies.bodies import Request
from kraken_spec.strategies.values import Site, path_text, replaced, sites

_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")
Severity = Literal["error", "warning"]

# The named ways to damage a valid request, each with the check-request rules that report
# it (a null for a non-null variable is "variable-null"; deeper in its value, coercion's).
KINDS: dict[str, tuple[str, ...]] = {
    "missing-required-variable": ("variable-missing",),
    "wrong-scalar-type": ("variable-coercion",),
    "null-for-non-null": ("variable-null", "variable-coercion"),
    "unknown-argument": ("known-argument-names",),
    "unknown-field": ("fields-on-correct-type",),
    "misspelled-input-field": ("variable-coercion",),
    "bad-enum-value": ("variable-coercion",),
    "syntax-error": ("graphql-syntax",),
    "malformed-json": ("json-syntax",),
}


@dataclass(frozen=True)
class Reason:
    """Why a request body is invalid: the damage done (``kind``), the rule id check-request
    reports it under, where (a variable path like ``$input.amount``, ``query`` for the
    query text, ``body`` for the JSON text), its severity by provenance (``error`` where
    the page states the broken fact, ``warning`` where only a sibling schema does), and a
    sentence for people."""

    kind: str
    rule: str
    where: str
    severity: Severity
    detail: str

    def __str__(self) -> str:
        return f"{self.kind} at {self.where} ({self.severity}, {self.rule}): {self.detail}"


Damaged = tuple[dict[str, Any] | str, Reason]


def _severity(things: Sequence[GraphQLNamedType | None], default: Basis = "own") -> Severity:
    return "warning" if weakest(things, default)[0] == "sibling" else "error"


def _misspelt(draw: st.DrawFn, known: Sequence[str], taken: Sequence[str]) -> str:
    """A name that is not in ``taken``: a known name with a typo, or a new word."""
    base = draw(st.sampled_from(sorted(known))) if known else "field"
    rotated = base[1:] + base[0] if len(base) > 1 else "z" + base
    candidates = [base + "x", base[:-1] if len(base) > 1 else base + "Y", rotated,
                  base.upper() + "_", base + "_"]
    name = draw(st.sampled_from(candidates))
    if not _NAME.fullmatch(name) or name.startswith("__"):
        name = "x" + name.strip("_")
    while name in taken:
        name += "q"
    return name


def _variable_sites(request: Request) -> list[tuple[str, Site]]:
    if not request.variables:
        return []
    return [(name, site) for name, value in request.variables.items()
            for site in sites(request.var_types[name], value)]


def _with_value(request: Request, name: str, site: Site, new: Any) -> dict[str, Any]:
    assert request.variables is not None
    variables = dict(request.variables)
    variables[name] = replaced(variables[name], site.path, new)
    return request.body(variables=variables)


# Where each kind of damage can be done to a request: variables, places in their values,
# or the request as a whole (None).
_Place = Any
_Finder = Callable[[Request, list[tuple[str, Site]]], list[_Place]]
_Maker = Callable[[st.DrawFn, Request, _Place], Damaged]

# Values each built-in scalar refuses (never a list, which coercion would read as items).
_WRONG: dict[str, list[Any]] = {
    "Int": ["1", True, 1.5, 2**31, {"value": 1}],
    "Float": ["1.5", False, {"value": 1.5}],
    "String": [1, 2.5, True, {"text": "x"}],
    "Boolean": ["true", 0, 1, {"value": True}],
    "ID": [True, 1.5, {"id": "x"}],
}


def _missing(draw: st.DrawFn, request: Request, name: str) -> Damaged:
    variables = {k: v for k, v in (request.variables or {}).items() if k != name}
    return request.body(variables=variables), Reason(
        "missing-required-variable", "variable-missing", f"${name}", "error",
        f"${name} of type {request.var_types[name]} is required and not given")


def _wrong_scalar(draw: st.DrawFn, request: Request, place: tuple[str, Site]) -> Damaged:
    name, site = place
    scalar = site.inner.name
    wrong = draw(st.sampled_from(_WRONG[scalar]))
    where = path_text(name, site.path)
    return _with_value(request, name, site, wrong), Reason(
        "wrong-scalar-type", "variable-coercion", where, _severity(site.along),
        f"{where} is {scalar} and given {json.dumps(wrong)}")


def _null(draw: st.DrawFn, request: Request, place: tuple[str, Site]) -> Damaged:
    name, site = place
    where = path_text(name, site.path)
    top = not site.path
    return _with_value(request, name, site, None), Reason(
        "null-for-non-null", "variable-null" if top else "variable-coercion", where,
        "error" if top else _severity(site.along),
        f"{where} is of non-null type {site.type} and given null")


def _misspelled_field(draw: st.DrawFn, request: Request, place: tuple[str, Site]) -> Damaged:
    name, site = place
    fields = site.inner.fields
    present = sorted(site.value)
    key = draw(st.sampled_from(present)) if present else None
    bad = _misspelt(draw, [key] if key else sorted(fields), sorted(fields))
    value = {(bad if k == key else k): v for k, v in site.value.items()}
    if key is None:
        value[bad] = draw(st.sampled_from([1, "x", True, None]))
    where = path_text(name, site.path)
    return _with_value(request, name, site, value), Reason(
        "misspelled-input-field", "variable-coercion", where, _severity(site.along),
        f"{site.inner.name} has no field {bad!r}")


def _bad_enum(draw: st.DrawFn, request: Request, place: tuple[str, Site]) -> Damaged:
    name, site = place
    values = sorted(site.inner.values)
    bad = draw(st.sampled_from([site.value.lower(), site.value + "_", site.value[1:],
                                "UNKNOWN_VALUE"]))
    while bad in values:
        bad += "_"
    where = path_text(name, site.path)
    return _with_value(request, name, site, bad), Reason(
        "bad-enum-value", "variable-coercion", where, _severity(site.along),
        f"{site.inner.name} has no value {bad!r}")


def _unknown_argument(draw: st.DrawFn, request: Request, _: None) -> Damaged:
    document = deepcopy(request.document)
    field = _root_field(request, document)
    bad = _misspelt(draw, sorted(request.field.args), sorted(request.field.args))
    field.arguments = (*field.arguments, ArgumentNode(name=NameNode(value=bad),
                                                      value=IntValueNode(value="1")))
    return request.body(document=document), Reason(
        "unknown-argument", "known-argument-names", "query", "error",
        f"{request.mutation} takes no argument {bad!r}")


def _unknown_field(draw: st.DrawFn, request: Request, _: None) -> Damaged:
    document = deepcopy(request.document)
    holder, parent = draw(st.sampled_from(list(_selections(request.schema, document,
                                                           request))))
    known = sorted(parent.fields) if isinstance(parent, GraphQLObjectType
                                                 | GraphQLInterfaceType) else []
    bad = _misspelt(draw, known, known)
    assert holder.selection_set is not None
    holder.selection_set = SelectionSetNode(selections=(
        *holder.selection_set.selections,
        FieldNode(name=NameNode(value=bad), arguments=(), directives=())))
    return request.body(document=document), Reason(
        "unknown-field", "fields-on-correct-type", "query", _severity([parent]),
        f"{parent.name} has no field {bad!r}")


def _syntax(draw: st.DrawFn, request: Request, _: None) -> Damaged:
    body = request.body()
    text: str = body["query"]
    how = draw(st.sampled_from(["unclosed", "stray", "keyword"]))
    if how == "unclosed":
        # The last definition loses its closing brace.
        damaged = text[:text.rindex("}")]
    elif how == "stray":
        # The first opening brace belongs to an operation header, before any string.
        at = text.index("{") + 1
        damaged = text[:at] + ")" + text[at:]
    else:
        damaged = "mutaton" + text.removeprefix("mutation")
    return {**body, "query": damaged}, Reason(
        "syntax-error", "graphql-syntax", "query", "error", f"the query is not GraphQL ({how})")


def _json(draw: st.DrawFn, request: Request, _: None) -> Damaged:
    text = json.dumps(request.body())
    how = draw(st.sampled_from(["truncated", "trailing-comma", "single-quotes", "prefix"]))
    damaged = {"truncated": text[:-1], "trailing-comma": text[:-1] + ",}",
               "single-quotes": text.replace('"', "'", 2), "prefix": "body=" + text}[how]
    return damaged, Reason("malformed-json", "json-syntax", "body", "error",
                           f"the body is not JSON ({how})")


_WHOLE: list[_Place] = [None]
DAMAGES: dict[str, tuple[_Finder, _Maker]] = {
    "missing-required-variable": (
        lambda r, _: sorted(n for n, t in r.var_types.items() if isinstance(t, GraphQLNonNull)),
        _missing),
    "wrong-scalar-type": (
        lambda _, found: [(n, s) for n, s in found if s.value is not None
                          and not isinstance(s.value, list)
                          and isinstance(s.inner, GraphQLScalarType) and s.inner.name in _WRONG],
        _wrong_scalar),
    "null-for-non-null": (
        lambda _, found: [(n, s) for n, s in found
                          if isinstance(s.type, GraphQLNonNull) and s.value is not None],
        _null),
    "unknown-argument": (lambda r, _: _WHOLE, _unknown_argument),
    "unknown-field": (
        lambda r, _: _WHOLE if _root_field(r, r.document).selection_set else [],
        _unknown_field),
    "misspelled-input-field": (
        lambda _, found: [(n, s) for n, s in found
                          if isinstance(s.inner, GraphQLInputObjectType)
                          and isinstance(s.value, dict)],
        _misspelled_field),
    "bad-enum-value": (
        lambda _, found: [(n, s) for n, s in found
                          if isinstance(s.inner, GraphQLEnumType) and isinstance(s.value, str)],
        _bad_enum),
    "syntax-error": (lambda r, _: _WHOLE, _syntax),
    "malformed-json": (lambda r, _: _WHOLE, _json),
}


def may_apply(kind: str, field: GraphQLField) -> bool:
    """Whether some request for the mutation ``field`` can take damage of ``kind``: what its
    arguments' types reach allows it (a drawn request may still leave that part out)."""
    if kind == "unknown-field":
        return not is_leaf_type(get_named_type(field.type))
    if kind in ("missing-required-variable", "null-for-non-null"):
        # A nullable argument's variable may be declared non-null.
        return bool(field.args)
    reached = _reached([a.type for a in field.args.values()])
    if kind == "wrong-scalar-type":
        return any(isinstance(t, GraphQLScalarType) and t.name in _WRONG for t in reached)
    if kind == "bad-enum-value":
        return any(isinstance(t, GraphQLEnumType) for t in reached)
    if kind == "misspelled-input-field":
        return any(isinstance(t, GraphQLInputObjectType) for t in reached)
    return True


def _reached(types: list[Any]) -> list[GraphQLNamedType]:
    """The named input types reachable from ``types`` through input object fields."""
    seen: dict[str, GraphQLNamedType] = {}
    todo = [get_named_type(t) for t in types]
    while todo:
        named = todo.pop()
        if named.name in seen:
            continue
        seen[named.name] = named
        if isinstance(named, GraphQLInputObjectType):
            todo.extend(get_named_type(f.type) for f in named.fields.values())
    return list(seen.values())


def damage(draw: st.DrawFn, request: Request, kinds: Sequence[str]) -> Damaged | None:
    """One damage, of a kind drawn among ``kinds`` that apply to ``request`` (None if none
    does), at a place drawn among those the kind can damage."""
    found = _variable_sites(request)
    places = {kind: DAMAGES[kind][0](request, found) for kind in kinds}
    applicable = [kind for kind in kinds if places[kind]]
    if not applicable:
        return None
    kind = draw(st.sampled_from(applicable))
    return DAMAGES[kind][1](draw, request, draw(st.sampled_from(places[kind])))


def _root_field(request: Request, document: DocumentNode) -> FieldNode:
    (field,) = request.operation(document).selection_set.selections
    assert isinstance(field, FieldNode)
    return field


def _selections(schema: GraphQLSchema, document: DocumentNode, request: Request,
                ) -> Iterator[tuple[FieldNode | InlineFragmentNode | FragmentDefinitionNode,
                                    GraphQLNamedType]]:
    """Every node of the executed operation holding a selection set below the mutation
    field, with the type it selects from (named fragments included)."""
    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, FragmentDefinitionNode)}
    root = _root_field(request, document)
    if root.selection_set is None:
        return
    yield from _walk(schema, root, get_named_type(request.field.type), fragments)


def _walk(schema: GraphQLSchema, holder: Any, type_: GraphQLNamedType,
          fragments: dict[str, FragmentDefinitionNode]) -> Iterator[Any]:
    yield holder, type_
    for node in holder.selection_set.selections:
        if isinstance(node, FieldNode) and node.selection_set is not None:
            assert isinstance(type_, GraphQLObjectType | GraphQLInterfaceType)
            child = get_named_type(type_.fields[node.name.value].type)
            yield from _walk(schema, node, child, fragments)
        elif isinstance(node, InlineFragmentNode) and node.type_condition is not None:
            yield from _walk(schema, node, schema.type_map[node.type_condition.name.value],
                             fragments)
        elif not isinstance(node, FieldNode | InlineFragmentNode):
            definition = fragments[node.name.value]
            yield from _walk(schema, definition,
                             schema.type_map[definition.type_condition.name.value], fragments)

