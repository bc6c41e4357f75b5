"""JSON values that fit GraphQL input types all the way down, as variable coercion reads them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from graphql import (
    BooleanValueNode,
    FloatValueNode,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLScalarType,
    IntValueNode,
    ListValueNode,
    NameNode,
    NullValueNode,
    ObjectFieldNode,
    ObjectValueNode,
    StringValueNode,
    Undefined,
    ValueNode,
    get_named_type,
)
from hypothesis import strategies as st

from kraken_spec.gql.operations import basis_of

BUILTIN_SCALARS = frozenset({"String", "Int", "Float", "Boolean", "ID"})
# Input objects nest this deep at most: past it only required fields and empty lists are
# drawn (a valid schema has no cycle of required input fields, so drawing ends).
MAX_DEPTH = 4
INT_RANGE = (-(2**31), 2**31 - 1)

# JSON leaves, null apart: numbers as JSON carries them exactly (doubles hold 2**53).
_JSON_LEAVES = (st.booleans() | st.integers(-(2**53), 2**53)
                | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20))


def _containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3)


# Any JSON value: what a value may be where no source states the type's shape.
json_values: st.SearchStrategy[Any] = st.recursive(st.none() | _JSON_LEAVES, _containers,
                                                   max_leaves=8)
# Any JSON value but null at the top: a value present where a type's shape is unknown (null
# is drawn apart, and only where the type allows it).
present_json: st.SearchStrategy[Any] = _JSON_LEAVES | _containers(json_values)


def _page_datetime(moment: datetime) -> str:
    """A DateTime the way the page's examples show it: ``2020-01-01T00:00:00.000Z``."""
    # strftime would not pad a year before 1000 to the four digits ISO 8601 asks for.
    return (f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T{moment.hour:02d}:"
            f"{moment.minute:02d}:{moment.second:02d}.{moment.microsecond // 1000:03d}Z")


# The formats of the custom scalars the page and the sibling schema show, by name: dates and
# times in ISO 8601 as the page's examples give them, a JSONString as JSON text, UUIDs.
SCALAR_FORMATS: Mapping[str, st.SearchStrategy[Any]] = {
    "Date": st.dates().map(lambda d: d.isoformat()),
    "DateTime": st.datetimes().map(_page_datetime),
    "Time": st.times().map(lambda t: t.isoformat()),
    "UUID": st.uuids().map(str),
    "JSONString": json_values.map(json.dumps),
    "GenericScalar": present_json,
    "Decimal": st.decimals(min_value=-(10**9), max_value=10**9, places=2).map(str),
    "BigInt": st.integers(-(2**63), 2**63 - 1),
    "Email": st.emails(),
    "NonEmptyString": st.text(min_size=1),
    "NonEmptyID": st.text(min_size=1),
}

# Graphene's role scalars list their values in the description ("Available roles:\n- ADMIN").
_LISTED = re.compile(r"^- ([A-Z][A-Z0-9_]*)$", re.MULTILINE)


def scalar_values(scalar: GraphQLScalarType,
                  formats: Mapping[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """Values of one scalar: the built-ins by their rules, a known format by name, the values
    a description lists, and any JSON where nothing is known (a stand-in, an unknown format)."""
    name = scalar.name
    if name == "Int":
        return st.integers(*INT_RANGE)
    if name == "Float":
        return st.floats(allow_nan=False, allow_infinity=False) | st.integers(*INT_RANGE)
    if name == "String":
        return st.text()
    if name == "Boolean":
        return st.booleans()
    if name == "ID":
        return st.text(min_size=1, max_size=12) | st.integers(0, 2**31 - 1)
    if basis_of(scalar, "own")[0] == "stand-in":
        return present_json
    if name in formats:
        return formats[name]
    listed = _LISTED.findall(scalar.description or "")
    if listed:
        return st.sampled_from(listed)
    return present_json


class InputValues:
    """Draws JSON values for input types; one per schema, since scalars are looked up by name."""

    def __init__(self, formats: Mapping[str, st.SearchStrategy[Any]]) -> None:
        self.formats = formats
        self._scalars: dict[str, st.SearchStrategy[Any]] = {}

    def scalar(self, scalar: GraphQLScalarType) -> st.SearchStrategy[Any]:
        found = self._scalars.get(scalar.name)
        if found is None:
            found = self._scalars[scalar.name] = scalar_values(scalar, self.formats)
        return found

    def draw(self, draw: st.DrawFn, type_: GraphQLInputType, depth: int = 0) -> Any:
        """A value of ``type_``: null sometimes where it is nullable."""
        if isinstance(type_, GraphQLNonNull):
            return self._present(draw, type_.of_type, depth)
        if draw(st.integers(0, 7)) == 0:
            return None
        return self._present(draw, type_, depth)

    def _present(self, draw: st.DrawFn, type_: Any, depth: int) -> Any:
        if isinstance(type_, GraphQLList):
            # Coercion reads a lone value as a list of one: clients send that too.
            if depth < MAX_DEPTH and draw(st.integers(0, 9)) == 0:
                return self._present(draw, _nullable(type_.of_type), depth + 1)
            count = draw(st.integers(0, 3)) if depth < MAX_DEPTH else 0
            return [self.draw(draw, type_.of_type, depth + 1) for _ in range(count)]
        if isinstance(type_, GraphQLInputObjectType):
            return self._object(draw, type_, depth)
        if isinstance(type_, GraphQLEnumType):
            return draw(st.sampled_from(sorted(type_.values)))
        assert isinstance(type_, GraphQLScalarType)
        return draw(self.scalar(type_))

    def _object(self, draw: st.DrawFn, type_: GraphQLInputObjectType, depth: int) -> Any:
        fields = type_.fields
        if getattr(type_, "is_one_of", False):
            name = draw(st.sampled_from(sorted(fields)))
            return {name: self._present(draw, _nullable(fields[name].type), depth + 1)}
        out: dict[str, Any] = {}
        for name, field in fields.items():
            required = isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined
            if required or (depth < MAX_DEPTH and draw(st.booleans())):
                out[name] = self.draw(draw, field.type, depth + 1)
        return out


def _nullable(type_: Any) -> Any:
    return type_.of_type if isinstance(type_, GraphQLNonNull) else type_


# --- where a value can be made wrong ------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """A place in a variable's value: its path (as coercion reports it), the type expected
    there, the named types the value passed through, and whether the place may hold null."""

    path: tuple[str | int, ...]
    type: Any
    along: tuple[GraphQLNamedType, ...]
    value: Any

    @property
    def inner(self) -> Any:
        """The type expected here without its non-null wrapper."""
        return _nullable(self.type)


def sites(var_type: GraphQLInputType, value: Any) -> Iterator[Site]:
    """Every place in ``value`` whose type the schema states, walked as graphql-core's
    ``coerce_input_value`` walks it, so each path is the one an error there names."""
    yield from _walk(var_type, value, (), (_named(var_type),))


def _named(type_: Any) -> GraphQLNamedType:
    named: GraphQLNamedType = get_named_type(type_)
    return named


def _walk(type_: Any, value: Any, path: tuple[str | int, ...],
          along: tuple[GraphQLNamedType, ...]) -> Iterator[Site]:
    yield Site(path, type_, along, value)
    inner = _nullable(type_)
    if value is None or (isinstance(inner, GraphQLScalarType)
                         and basis_of(inner, "own")[0] == "stand-in"):
        return
    if isinstance(inner, GraphQLList):
        item = inner.of_type
        named = (*along, _named(item))
        if isinstance(value, list):
            for index, entry in enumerate(value):
                yield from _walk(item, entry, (*path, index), named)
        else:
            # A lone value for a list: coercion reads it at the list's own path; only its
            # non-null wrapper is dropped, since null there is a null list.
            yield from _walk(_nullable(item), value, path, along)
    elif isinstance(inner, GraphQLInputObjectType) and isinstance(value, dict):
        for key, entry in value.items():
            field = inner.fields.get(key)
            if field is not None:
                yield from _walk(field.type, entry, (*path, key),
                                 (*along, _named(field.type)))


def path_text(variable: str, path: tuple[str | int, ...]) -> str:
    """A place as check-request names it: ``$input.items[0].amount``."""
    return "$" + variable + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def replaced(value: Any, path: tuple[str | int, ...], new: Any) -> Any:
    """A copy of ``value`` with the place at ``path`` replaced by ``new``."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, list):
        assert isinstance(head, int)
        return [replaced(v, rest, new) if i == head else v for i, v in enumerate(value)]
    assert isinstance(value, dict)
    return {k: replaced(v, rest, new) if k == head else v for k, v in value.items()}


# --- literals, for arguments of nested fields ----------------------------------------------


def literal(value: Any) -> ValueNode:
    """A JSON value as a GraphQL literal (for a scalar: strings stay strings)."""
    if value is None:
        return NullValueNode()
    if isinstance(value, bool):
        return BooleanValueNode(value=value)
    if isinstance(value, int):
        return IntValueNode(value=str(value))
    if isinstance(value, float):
        return FloatValueNode(value=repr(value))
    if isinstance(value, str):
        return StringValueNode(value=value)
    if isinstance(value, list):
        return ListValueNode(values=tuple(literal(v) for v in value))
    return ObjectValueNode(fields=tuple(
        ObjectFieldNode(name=NameNode(value=k), value=literal(v)) for k, v in value.items()
        if re.fullmatch(r"[_A-Za-z][_0-9A-Za-z]*", k)))
