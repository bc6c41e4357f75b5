"""Type inference from the page's example values, kept apart from documented facts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kraken_spec.model import Basis

_INT = re.compile(r"^-?\d+$")
_FLOAT = re.compile(r"^-?\d+\.\d+$")
_DATE = re.compile(r'^"\d{4}-\d{2}-\d{2}"$')
_DATETIME = re.compile(r'^"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})"$')
_UUID = re.compile(r'^"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"$')
_ENUM_VALUE = re.compile(r'^"[A-Z][A-Z0-9_]*"$')
_STRING = re.compile(r'^"(?:[^"\\]|\\.)*"$')
_TYPE_NAME = re.compile(r"^[A-Z][_A-Za-z0-9]*$")


@dataclass(frozen=True)
class InferredScalar:
    """A scalar the catalogue infers from example values; the page never names it."""

    name: str
    evidence: str


# The names follow the conventions of Graphene, which Kraken's examples match; they are
# inferences and say so in the catalogue.
INFERRED_SCALARS = (
    InferredScalar("Date", 'example values shaped like "2020-01-01"'),
    InferredScalar("DateTime", 'example values shaped like "2020-01-01T00:00:00.000Z"'),
    InferredScalar("GenericScalar", 'example values listing alternatives ("abc123" | 1 | ...)'),
    InferredScalar("JSONString", 'example values shaped like {"key": "value"}'),
    InferredScalar("UUID", "example values shaped like a UUID"),
)


@dataclass(frozen=True)
class Inference:
    """A return field's type and how it is known."""

    type: str
    basis: Basis


def infer_return_type(example: str, fragment_type: str | None) -> Inference:
    """Type a return field from its fragment spread, else from its example value text.

    List-ness comes from brackets around the example; nullability is never shown by the
    page, so every inferred type is nullable.
    """
    if example.startswith("[") and example.endswith("]") and " | " not in example:
        inner = infer_return_type(example[1:-1], fragment_type)
        return Inference(f"[{inner.type}]", inner.basis)
    if fragment_type is not None:
        return Inference(fragment_type, "fragment")
    if _TYPE_NAME.match(example):
        return Inference(example, "type-name")
    return Inference(_scalar_for(example), "example")


def _scalar_for(example: str) -> str:
    if " | " in example:
        return "GenericScalar"
    if example in ("true", "false"):
        return "Boolean"
    if _INT.match(example):
        return "Int"
    if _FLOAT.match(example):
        return "Float"
    if example.startswith("{") and example.endswith("}"):
        return "JSONString"
    if _DATE.match(example):
        return "Date"
    if _DATETIME.match(example):
        return "DateTime"
    if _UUID.match(example):
        return "UUID"
    # An UPPERCASE value is an enum value whose enum the page does not name; String is the
    # honest wire type, and the example stays beside it as the evidence.
    if _ENUM_VALUE.match(example) or _STRING.match(example):
        return "String"
    raise ValueError(f"no type can be inferred from the example value {example!r}")


def candidates(example: str) -> tuple[str, ...]:
    """What else a field with this example value could be, for readers of the catalogue."""
    if _ENUM_VALUE.match(example):
        return ("an enum the page does not name",)
    if _STRING.match(example) and not (_DATE.match(example) or _DATETIME.match(example)
                                       or _UUID.match(example)):
        return ("ID",)
    return ()
