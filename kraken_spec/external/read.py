"""Read an external GraphQL schema from SDL or from an introspection result in JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, cast

from graphql import (
    GraphQLError,
    GraphQLSchema,
    GraphQLSyntaxError,
    IntrospectionQuery,
    build_ast_schema,
    build_client_schema,
    parse,
    validate_schema,
)
from graphql.validation.validate import validate_sdl

from kraken_spec.diagnostics import EXCERPT_LIMIT, Diagnostic, excerpt, line_column
from kraken_spec.exceptions import KrakenSpecError, UnreadableFileError
from kraken_spec.fs.files import read_regular

# Introspection results of large APIs run to tens of megabytes; the spec files' 10 MB bound
# would refuse real schemas, while no schema comes near this one.
MAX_SCHEMA_BYTES = 64 * 1024 * 1024

# A message quoted from graphql-core or a server is cut here: it may hold a whole hostile name.
MESSAGE_LIMIT = 300
# How many messages of an error list a message quotes.
SHOWN_ERRORS = 3

_JSON_SPACE = " \t\r\n"
_UTF8_BOM = b"\xef\xbb\xbf"
# graphql-core quotes names and tokens verbatim, however long; control characters from a
# server could rewrite the terminal that shows the message.
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

# What build_client_schema raises on malformed input: it indexes and calls methods on the
# JSON without checking its shape, and recurses once per level of a wrapped type.
_BUILD_ERRORS = (GraphQLError, TypeError, ValueError, KeyError, AttributeError, IndexError,
                 RecursionError)


class SchemaSourceError(KrakenSpecError):
    """A schema source could not be read or is no valid schema; located when known."""

    def __init__(self, path: str, line: int, column: int, message: str, *,
                 unreadable: bool = False) -> None:
        self.diagnostic = Diagnostic(path, line, column, message, rule="schema-source")
        super().__init__(str(self.diagnostic))
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        # The file itself could not be read (missing, not regular, too large): for a command
        # an input failure, not a finding about a schema.
        self.unreadable = unreadable


def bounded(message: str, limit: int = MESSAGE_LIMIT) -> str:
    """``message`` fit for one line of a report: control characters escaped, long quoted
    runs cut to an excerpt, and the whole cut at ``limit`` characters."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", message)
    text = _QUOTED.sub(lambda m: m[0] if len(m[0]) <= EXCERPT_LIMIT else excerpt(m[0][1:-1]),
                       text)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"


def error_messages(errors: object) -> str:
    """The first messages of a GraphQL ``errors`` array, bounded, joined by ``; ``."""
    if not isinstance(errors, list) or not errors:
        return excerpt(errors)
    quoted = [bounded(e["message"]) if isinstance(e, dict) and isinstance(e.get("message"), str)
              else excerpt(e) for e in errors[:SHOWN_ERRORS]]
    more = f" (and {len(errors) - SHOWN_ERRORS} more)" if len(errors) > SHOWN_ERRORS else ""
    return "; ".join(quoted) + more


def read_schema(path: str) -> GraphQLSchema:
    """The schema in the file at ``path``: GraphQL SDL, or an introspection result in JSON
    (with or without its ``data`` wrapper). Raises :class:`SchemaSourceError`."""
    try:
        data = read_regular(path, limit=MAX_SCHEMA_BYTES)
    except UnreadableFileError as exc:
        raise SchemaSourceError(path, 0, 0, exc.reason, unreadable=True) from None
    return schema_from_text(_decode(data, path), path)


def schema_from_text(text: str, path: str) -> GraphQLSchema:
    """The schema in ``text``, read from ``path``: JSON when it starts with ``{``, else SDL."""
    start = text.lstrip(_JSON_SPACE)
    if not start:
        raise SchemaSourceError(path, 0, 0, "an empty file: expected GraphQL SDL or an "
                                "introspection result in JSON")
    if start.startswith("{"):
        return schema_from_introspection(_parse_json(text, path), path)
    return _schema_from_sdl(text, path)


def is_introspection_result(data: bytes) -> bool:
    """Whether ``data`` is a JSON introspection result (so a fresh one may replace it)."""
    try:
        text = _decode(data, "")
        if not text.lstrip(_JSON_SPACE).startswith("{"):
            return False
        _introspection_of(_parse_json(text, ""), "")
    except SchemaSourceError:
        return False
    return True


def schema_from_introspection(document: object, path: str) -> GraphQLSchema:
    """The schema of a decoded introspection result: ``{"data": {"__schema": ...}}``,
    ``{"__schema": ...}``, or a whole response holding it. Raises :class:`SchemaSourceError`."""
    introspection = _introspection_of(document, path)
    try:
        schema = build_client_schema(cast(IntrospectionQuery, introspection))
        # Field thunks are resolved only here, so their errors surface here too.
        problems = validate_schema(schema)
    except _BUILD_ERRORS as exc:
        raise SchemaSourceError(path, 0, 0, "not a valid introspection result: "
                                + _describe(exc)) from None
    if problems:
        raise _invalid(path, problems)
    return schema


def _decode(data: bytes, path: str) -> str:
    # A byte-order mark, which some editors write, is no part of the text.
    body = data[len(_UTF8_BOM):] if data.startswith(_UTF8_BOM) else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = body[:exc.start].decode("utf-8")
        line, column = line_column(good, len(good))
        raise SchemaSourceError(path, line, column, f"not UTF-8 text: the byte "
                                f"0x{body[exc.start]:02X} starts no UTF-8 character") from None


def _parse_json(text: str, path: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SchemaSourceError(path, exc.lineno, exc.colno,
                                f"not valid JSON: {exc.msg}") from None
    except ValueError as exc:  # an integer longer than Python's digit limit converts
        raise SchemaSourceError(path, 0, 0, f"not valid JSON: {bounded(str(exc))}") from None
    except RecursionError:
        raise SchemaSourceError(path, 0, 0, "not valid JSON: nested too deeply") from None


def _introspection_of(document: object, path: str) -> dict[str, Any]:
    """The object holding ``__schema``: the document itself or its ``data``."""
    if isinstance(document, dict):
        holder = document if "__schema" in document else document.get("data")
        if isinstance(holder, dict) and isinstance(holder.get("__schema"), dict):
            return holder
        # A response with errors and no schema: quote the server, not a missing key.
        if document.get("errors"):
            raise SchemaSourceError(path, 0, 0, "an introspection result with errors: "
                                    + error_messages(document["errors"]))
        if isinstance(holder, dict) and "__schema" in holder:
            raise SchemaSourceError(path, 0, 0, "not an introspection result: __schema is "
                                    f"{excerpt(holder['__schema'])}, not an object")
    raise SchemaSourceError(path, 0, 0, "not an introspection result: no __schema")


def _describe(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing {excerpt(exc.args[0] if exc.args else None)}"
    if isinstance(exc, RecursionError):
        return "a type reference nested too deeply"
    return bounded(exc.message if isinstance(exc, GraphQLError) else str(exc))


def _location(error: GraphQLError) -> tuple[int, int]:
    if error.source is None or not error.positions:
        return 0, 0
    return line_column(error.source.body, next(iter(error.positions)))


def _invalid(path: str, errors: Sequence[GraphQLError]) -> SchemaSourceError:
    """One error for a schema's problems: at the first, quoting the first few."""
    shown = "; ".join(bounded(e.message) for e in errors[:SHOWN_ERRORS])
    more = f" (and {len(errors) - SHOWN_ERRORS} more)" if len(errors) > SHOWN_ERRORS else ""
    line, column = _location(errors[0])
    return SchemaSourceError(path, line, column, f"an invalid schema: {shown}{more}")


def _schema_from_sdl(text: str, path: str) -> GraphQLSchema:
    try:
        document = parse(text)
        # The check build_ast_schema runs when assume_valid_sdl is False, run first for its
        # located errors (build_ast_schema would join them into one unlocated TypeError).
        problems = validate_sdl(document)
        if not problems:
            schema = build_ast_schema(document, assume_valid_sdl=True)
            problems = validate_schema(schema)
    except GraphQLSyntaxError as exc:
        line, column = _location(exc)
        raise SchemaSourceError(path, line, column, bounded(exc.message)) from None
    except RecursionError:
        raise SchemaSourceError(path, 0, 0, "GraphQL SDL nested too deeply") from None
    except (GraphQLError, TypeError, ValueError) as exc:  # build_ast_schema's own checks
        line, column = _location(exc) if isinstance(exc, GraphQLError) else (0, 0)
        raise SchemaSourceError(path, line, column,
                                f"an invalid schema: {_describe(exc)}") from None
    if problems:
        raise _invalid(path, problems)
    return schema
