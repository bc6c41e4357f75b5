"""The spec files' structure: the shipped JSON Schemas, checked fast and explained plainly."""

from __future__ import annotations

import datetime
import importlib
import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any, cast

import fastjsonschema

from kraken_spec.diagnostics import EXCERPT_LIMIT, Diagnostic, excerpt
from kraken_spec.spec.shipped import COMPILED_PACKAGE, compilable_schema, digest, shipped_schema
from kraken_spec.spec.yamlio import JsonPath, Located

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError

# graphql-core quotes names and tokens verbatim, in '...' or "...", however long they are
# (a 1 MB name in an example operation comes back whole in "Unexpected Name '...'").
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def bounded(message: str) -> str:
    """``message`` with each quoted run longer than an excerpt cut to one."""
    return _QUOTED.sub(lambda m: m[0] if len(m[0]) <= EXCERPT_LIMIT else excerpt(m[0][1:-1]),
                       message)


@cache
def schema_validator(name: str) -> Draft202012Validator:
    """jsonschema's validator of a shipped schema, which explains every problem."""
    # Imported here: a spec that conforms never needs jsonschema, whose import costs
    # more than checking the whole catalogue with the compiled check.
    from jsonschema import Draft202012Validator

    return Draft202012Validator(shipped_schema(name))


@cache
def fast_schema_check(name: str) -> Callable[[Any], Any]:
    """A compiled yes/no check of a shipped JSON Schema.

    fastjsonschema turns the schema into Python code that answers about ten times faster
    than jsonschema's interpreter, but stops at the first problem and words it its own way;
    so it only says whether a file conforms, and jsonschema explains every problem of a
    file that does not. The shipped schemas use only keywords whose meaning draft 7 and
    2020-12 share, and a test holds the two validators to the same verdicts.

    The code is compiled ahead of time (``compile_checks``) and used while it was compiled
    from this very schema; otherwise it is compiled now.
    """
    schema = compilable_schema(name)
    try:
        module = importlib.import_module(f"{COMPILED_PACKAGE}.{name}")
    except ImportError:
        module = None
    if module is not None and getattr(module, "SCHEMA_SHA256", None) == digest(schema):
        return cast(Callable[[Any], Any], module.check)
    return cast(Callable[[Any], Any], fastjsonschema.compile(schema))


def schema_problems(doc: Located, schema: str) -> Iterator[Diagnostic]:
    try:
        fast_schema_check(schema)(doc.data)
        return
    except fastjsonschema.JsonSchemaException:
        pass
    for error in schema_validator(schema).iter_errors(doc.data):
        yield _explain(doc, error)


# The rule id of every file-shape problem found by the JSON Schemas.
_SCHEMA_RULE = "json-schema"
# The schemas' pattern for text that must hold more than white space.
# Text must hold more than white space, and no control character but tab and line feed:
# graphql-core's block strings do not carry every control character through SDL unchanged.
_TEXT = "^(?=[\\s\\S]*\\S)[^\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f]*$"


def _explain(doc: Located, error: ValidationError) -> Diagnostic:
    """Turn a JSON Schema error into a located, plain-language diagnostic."""
    path: JsonPath = tuple(error.absolute_path)
    line, column = doc.mark(path)
    where = json_path(path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "additionalProperties":
        properties = schema.get("properties", {})
        instance = error.instance if isinstance(error.instance, dict) else {}
        extra = sorted(set(instance) - set(properties))
        if extra and (*path, extra[0]) in doc.key_marks:
            line, column = doc.key_marks[(*path, extra[0])]
        allowed = ", ".join(sorted(properties))
        return Diagnostic(doc.path, line, column,
                          f"{where}: unknown key {excerpt(extra[0])} (allowed: {allowed})",
                          rule=_SCHEMA_RULE)
    if error.validator == "required":
        return Diagnostic(doc.path, line, column, f"{where}: {error.message}",
                          rule=_SCHEMA_RULE)
    if error.validator == "pattern" and error.validator_value == _TEXT:
        # jsonschema would quote the pattern, which explains nothing.
        text = error.instance if isinstance(error.instance, str) else ""
        bad = next((c for c in text if (ord(c) < 32 and c not in "\t\n")
                    or 0x7F <= ord(c) <= 0x9F), None)
        what = ("must not be blank" if bad is None
                else f"must not hold the control character U+{ord(bad):04X}")
        return Diagnostic(doc.path, line, column, f"{where}: {what}", rule=_SCHEMA_RULE)
    if error.validator == "type" and path in doc.raw:
        expected = error.validator_value
        wanted = " or ".join(expected) if isinstance(expected, list) else str(expected)
        got = describe_scalar(error.instance)
        hint = "; quote it" if "string" in wanted and error.instance is not None else ""
        if wanted == "boolean" and isinstance(error.instance, str):
            hint = "; write true or false, unquoted"
        return Diagnostic(doc.path, line, column,
                          f"{where}: expected {wanted}, but YAML reads "
                          f"{excerpt(doc.raw[path])} as {got}{hint}", rule=_SCHEMA_RULE)
    return Diagnostic(doc.path, line, column, f"{where}: {_schema_message(error)}",
                      rule=_SCHEMA_RULE)


def _schema_message(error: ValidationError) -> str:
    """jsonschema's message, with the value it quotes whole (``repr(instance)``) cut to an
    excerpt, and any other long quoted run as well."""
    whole = repr(error.instance)
    message = error.message
    if len(whole) > EXCERPT_LIMIT:
        message = message.replace(whole, excerpt(error.instance))
    return bounded(message)


def json_path(path: JsonPath) -> str:
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def describe_scalar(value: Any) -> str:
    """Name the JSON kind YAML gave a scalar, for 'quote it' hints."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, datetime.date):
        return "a date"
    if isinstance(value, str):
        return "a string"
    return type(value).__name__
