"""Deterministic example values for GraphQL types, in the formats the reference page shows."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from graphql import (
    GraphQLEnumType,
    GraphQLEnumValue,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLType,
    Undefined,
)

from kraken_spec.gql.operations import basis_of

NoteKind = Literal["placeholder", "choice", "source"]


@dataclass(frozen=True)
class Note:
    """Why a part of a runnable example is as it is: ``where`` names the part (``$input``,
    ``fragment XFragment``, ``data.x.y``); a ``placeholder`` stands where nothing is known,
    a ``choice`` says what was picked among valid options, a ``source`` names who states
    the facts the example rests on."""

    where: str
    kind: NoteKind
    text: str

    def __str__(self) -> str:
        return f"{self.where}: {self.text}"


class Notes:
    """The notes of one example in the order they arise, each once."""

    def __init__(self) -> None:
        self._notes: dict[Note, None] = {}

    def add(self, where: str, kind: NoteKind, text: str) -> None:
        self._notes.setdefault(Note(where, kind, text), None)

    def has(self, where: str, kind: NoteKind) -> bool:
        """Whether a note of ``kind`` was made on ``where`` or on a list holding it."""
        return any(n.kind == kind and (where == n.where or where.startswith(n.where + "["))
                   for n in self._notes)

    def __iter__(self) -> Iterator[Note]:
        return iter(self._notes)


def _string(value: object) -> bool:
    return isinstance(value, str)


def _int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and -(2**31) <= value < 2**31


def _big_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _float(value: object) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))


def _boolean(value: object) -> bool:
    return isinstance(value, bool)


def _non_empty(value: object) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _matches(pattern: str) -> Callable[[object], bool]:
    compiled = re.compile(pattern)
    return lambda value: isinstance(value, str) and compiled.fullmatch(value) is not None


def _json_text(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        json.loads(value)
    except ValueError:
        return False
    return True


def _any(value: object) -> bool:
    return True


_DECIMAL = _matches(r"-?\d+(\.\d+)?")


@dataclass(frozen=True)
class ScalarFormat:
    """A scalar's example value and what values of it look like on the wire."""

    example: Any
    fits: Callable[[object], bool]


# The page's own example values for the built-in scalars ("abc123", 1, 1.0, true), and the
# custom scalars in the formats its examples show (its one UUID among them); the others in
# the formats the schema sources describe (Graphene's: Decimal as a string, JSONString as
# JSON text). An ID is shown as a string, the form every server returns it in.
SCALARS: Mapping[str, ScalarFormat] = {
    "String": ScalarFormat("abc123", _string),
    "ID": ScalarFormat("abc123", _string),
    "Int": ScalarFormat(1, _int),
    "Float": ScalarFormat(1.0, _float),
    "Boolean": ScalarFormat(True, _boolean),
    "Date": ScalarFormat("2020-01-01", _matches(r"\d{4}-\d{2}-\d{2}")),
    "DateTime": ScalarFormat("2020-01-01T00:00:00.000Z", _matches(
        r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")),
    "Time": ScalarFormat("00:00:00", _matches(r"\d{2}:\d{2}(:\d{2}(\.\d+)?)?")),
    "UUID": ScalarFormat("500c164d-38c7-4f74-9ac6-be210197e9e4", _matches(
        r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")),
    "JSONString": ScalarFormat('{"key": "value"}', _json_text),
    "GenericScalar": ScalarFormat("abc123", _any),
    "Decimal": ScalarFormat("1.0", lambda v: _DECIMAL(v) or _float(v)),
    "BigInt": ScalarFormat(1, _big_int),
    "Email": ScalarFormat("abc123@example.com", _matches(r"[^@\s]+@[^@\s]+\.[^@\s]+")),
    "NonEmptyString": ScalarFormat("abc123", _non_empty),
    "NonEmptyID": ScalarFormat("abc123", _non_empty),
}

# Graphene's role scalars list their values in the description ("Available roles:\n- ADMIN").
_LISTED = re.compile(r"^- ([A-Z][A-Z0-9_]*)$", re.MULTILINE)
# The value of a type no source shapes: an empty object claims no field. Most such types
# are input objects (``...Input``) or objects the page spreads a fragment on; the value is a
# marked placeholder either way.
STAND_IN_VALUE: dict[str, Any] = {}


def is_stand_in(named: GraphQLNamedType) -> bool:
    """Whether no source states the type's shape (it stands in as a scalar)."""
    return isinstance(named, GraphQLScalarType) and basis_of(named, "own")[0] == "stand-in"


def scalar_format(scalar: GraphQLScalarType) -> ScalarFormat | None:
    """How the scalar's values look, if known: by name, or the values its description lists."""
    found = SCALARS.get(scalar.name)
    if found is not None:
        return found
    listed: list[str] = _LISTED.findall(scalar.description or "")
    if listed:
        known = frozenset(listed)
        return ScalarFormat(listed[0], lambda value: isinstance(value, str) and value in known)
    return None


def enum_example(enum: GraphQLEnumType) -> str:
    """The first value of the enum that is not deprecated (else its first value)."""
    values: dict[str, GraphQLEnumValue] = enum.values
    live = [name for name, v in values.items() if v.deprecation_reason is None]
    return (live or list(values))[0]


def _nullable(type_: GraphQLType) -> GraphQLType:
    return type_.of_type if isinstance(type_, GraphQLNonNull) else type_


def fits_leaf(named: GraphQLNamedType, value: object) -> bool:
    """Whether ``value`` is a wire value of the leaf type (a stand-in takes any value)."""
    if isinstance(named, GraphQLEnumType):
        return isinstance(value, str) and value in named.values
    if not isinstance(named, GraphQLScalarType):
        return False
    if is_stand_in(named):
        return True
    known = scalar_format(named)
    if known is not None:
        return known.fits(value)
    return value is not None


def fits_input(type_: GraphQLType, value: object) -> bool:
    """Whether variable coercion accepts ``value`` for ``type_`` and each custom scalar's
    value is in its format."""
    if isinstance(type_, GraphQLNonNull):
        return value is not None and fits_input(type_.of_type, value)
    if value is None:
        return True
    if isinstance(type_, GraphQLList):
        items = value if isinstance(value, list) else [value]
        return all(fits_input(type_.of_type, item) for item in items)
    if isinstance(type_, GraphQLInputObjectType):
        if not isinstance(value, dict) or set(value) - set(type_.fields):
            return False
        return all(
            fits_input(f.type, value[name]) if name in value
            else not isinstance(f.type, GraphQLNonNull) or f.default_value is not Undefined
            for name, f in type_.fields.items())
    assert isinstance(type_, GraphQLScalarType | GraphQLEnumType)
    return fits_leaf(type_, value)


def fits_output(type_: GraphQLType, value: object) -> bool:
    """Whether ``value`` is what a response may hold for a leaf-typed (or list of leaves)
    field: objects are never taken from the page, whose examples name them by type."""
    if isinstance(type_, GraphQLNonNull):
        return value is not None and fits_output(type_.of_type, value)
    if value is None:
        return True
    if isinstance(type_, GraphQLList):
        return isinstance(value, list) and all(fits_output(type_.of_type, v) for v in value)
    if isinstance(type_, GraphQLScalarType | GraphQLEnumType):
        return fits_leaf(type_, value)
    return False


def page_values(text: str | None) -> list[Any]:
    """The JSON values a page example value shows, in its order: one, or the alternatives of
    ``"abc123" | 1 | ...``; type names (``AccountType``) are no values."""
    if text is None:
        return []
    found: list[Any] = []
    for part in [text, *(text.split(" | ") if " | " in text else ())]:
        try:
            found.append(json.loads(part))
        except ValueError:
            continue
    return found


_VARIABLE_LINE = re.compile(r'^\s*"([_A-Za-z][_0-9A-Za-z]*)"\s*:\s*(.*?)\s*,?\s*$')


def page_variables(text: str | None) -> dict[str, Any]:
    """The concrete values the page's variables example gives, by variable: the page writes
    one variable a line, a JSON value or the name of its type (which is no value)."""
    found: dict[str, Any] = {}
    for line in (text or "").splitlines():
        match = _VARIABLE_LINE.match(line)
        if match is None:
            continue
        try:
            found[match[1]] = json.loads(match[2])
        except ValueError:
            continue
    return found


def as_wire(named: GraphQLNamedType, value: Any) -> Any:
    """A page value in the scalar's wire format: the page shows a JSONString's value as the
    object it encodes."""
    if named.name == "JSONString" and isinstance(value, dict | list):
        return json.dumps(value)
    return value


def required_fields(type_: GraphQLInputObjectType) -> list[str]:
    """The fields a value of the input object must give: non-null without a default."""
    return [name for name, f in type_.fields.items()
            if isinstance(f.type, GraphQLNonNull) and f.default_value is Undefined]


def _named(type_: GraphQLType) -> GraphQLNamedType:
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    assert isinstance(type_, GraphQLNamedType)
    return type_


def _chosen_optional(type_: GraphQLInputObjectType, path: tuple[str, ...]) -> str | None:
    """The optional field shown when an input object has no required one: its first field
    that is not deprecated and whose type is not already on the way here (a type may nest
    itself through optional fields)."""
    for name, f in type_.fields.items():
        if f.deprecation_reason is None and _named(f.type).name not in path:
            chosen: str = name
            return chosen
    return None


class Values:
    """Builds the values of one example, noting what stands in and what was chosen.

    Input objects give their required fields; one without any gives its first optional
    field, so that the example shows a field of it; other optional fields are left out.
    Lists hold one item; enums take their first value that is not deprecated; scalars take
    :data:`SCALARS`' example. ``used`` learns every named type a value is built from.
    """

    def __init__(self, notes: Notes, used: Callable[[GraphQLNamedType], None]) -> None:
        self.notes = notes
        self.used = used

    def argument(self, type_: GraphQLInputType, where: str, page: list[Any]) -> Any:
        """A variable's value: the page's own value where it fits the type, else one built
        from the type."""
        named = _named(type_)
        for candidate in page:
            value = as_wire(named, candidate)
            if fits_input(type_, value):
                self.used(named)
                if is_stand_in(named):
                    self.notes.add(where, "placeholder", f"the page's example value, not "
                                   f"checked: no source states the shape of {named.name}")
                return value
        if page:
            self.notes.add(where, "choice", f"the page's example value does not fit "
                           f"{type_}; a value built from the type instead")
        return self.input(type_, where, ())

    def input(self, type_: GraphQLType, where: str, path: tuple[str, ...]) -> Any:
        """A value of the input type, never null."""
        type_ = _nullable(type_)
        if isinstance(type_, GraphQLList):
            return [self.input(type_.of_type, f"{where}[0]", path)]
        named = _named(type_)
        self.used(named)
        if isinstance(named, GraphQLInputObjectType):
            names = required_fields(named)
            if not names:
                chosen = _chosen_optional(named, path)
                names = [chosen] if chosen is not None else []
                if chosen is not None and len(named.fields) > 1:
                    self.notes.add(where, "choice", f"{named.name} has no required field; "
                                   f"its first optional field, {chosen}, is shown")
            inner = (*path, named.name)
            return {name: self.input(named.fields[name].type, f"{where}.{name}", inner)
                    for name in names}
        return self.leaf(named, where)

    def leaf(self, named: GraphQLNamedType, where: str) -> Any:
        """A value of an enum or scalar (a stand-in's value is a marked placeholder)."""
        self.used(named)
        if isinstance(named, GraphQLEnumType):
            return enum_example(named)
        assert isinstance(named, GraphQLScalarType)
        if is_stand_in(named):
            # A selection left out under it has said so already, placeholder value included.
            if not self.notes.has(where, "placeholder"):
                self.notes.add(where, "placeholder", f"no source states the shape of "
                               f"{named.name}; {{}} stands in for its value")
            return dict(STAND_IN_VALUE)
        known = scalar_format(named)
        if known is None:
            self.notes.add(where, "placeholder", f"no source states the format of the "
                           f"scalar {named.name}; \"abc123\" stands in for its value")
            return "abc123"
        return known.example
