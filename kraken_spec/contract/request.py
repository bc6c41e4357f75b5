"""Request bodies checked as the server would before executing, with verdicts by provenance."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLSyntaxError,
    OperationDefinitionNode,
    OperationType,
    coerce_input_value,
    get_named_type,
    is_input_type,
    parse,
    type_from_ast,
)

from kraken_spec.diagnostics import Diagnostic, excerpt
from kraken_spec.gql.operations import (
    Basis,
    Verdict,
    basis_of,
    check_document,
    sibling_note,
    weakest,
)

if TYPE_CHECKING:
    from kraken_spec.contract.check import Target

# The keys of a GraphQL-over-HTTP request body; "extensions" is allowed and not checked.
_KEYS = frozenset({"query", "variables", "operationName", "extensions"})


@dataclass(frozen=True)
class RequestFinding:
    """One finding about a request body: where (``query L:C`` inside the query text, or
    a JSON position), its verdict, message and rule id."""

    where: str
    severity: Verdict
    message: str
    rule: str


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
             int: "a number", float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _shape(body: object) -> Iterator[RequestFinding]:
    if not isinstance(body, dict):
        yield RequestFinding("body", "error", f"a request body is a JSON object, not "
                             f"{_json_type(body)}", "request-shape")
        return
    if "query" not in body:
        yield RequestFinding("body", "error", "the body has no \"query\"", "request-shape")
    elif not isinstance(body["query"], str):
        yield RequestFinding("query", "error", f"\"query\" must be a string, not "
                             f"{_json_type(body['query'])}", "request-shape")
    variables = body.get("variables")
    if variables is not None and not isinstance(variables, dict):
        yield RequestFinding("variables", "error", f"\"variables\" must be an object or "
                             f"null, not {_json_type(variables)}", "request-shape")
    name = body.get("operationName")
    if name is not None and not isinstance(name, str):
        yield RequestFinding("operationName", "error", f"\"operationName\" must be a string "
                             f"or null, not {_json_type(name)}", "request-shape")
    for key in sorted(set(body) - _KEYS):
        yield RequestFinding(key, "warning", f"{excerpt(key)} is not a key of a GraphQL "
                             "request body and is ignored", "request-shape")


def _operation(document: DocumentNode, name: str | None,
               ) -> tuple[OperationDefinitionNode | None, RequestFinding | None]:
    """The operation the server would execute, as GraphQL's GetOperation picks it."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        if len(operations) == 1:
            return operations[0], None
        what = "no operation" if not operations else "several operations"
        return None, RequestFinding("operationName", "error", f"the query holds {what}; "
                                    "\"operationName\" must name the one to run",
                                    "operation-selection")
    for op in operations:
        if op.name is not None and op.name.value == name:
            return op, None
    return None, RequestFinding("operationName", "error", f"no operation named "
                                f"{excerpt(name)} in the query", "operation-selection")


def _path_text(name: str, path: list[str | int]) -> str:
    return "$" + name + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def _types_along(var_type: GraphQLInputType, path: list[str | int]) -> list[GraphQLNamedType]:
    """The named types a value passes through from the variable down to ``path``."""
    found: list[GraphQLNamedType] = [get_named_type(var_type)]
    current: Any = var_type
    for step in path:
        while isinstance(current, GraphQLNonNull):
            current = current.of_type
        if isinstance(step, int) and isinstance(current, GraphQLList):
            current = current.of_type
        elif isinstance(step, str) and isinstance(current, GraphQLInputObjectType):
            field = current.fields.get(step)
            if field is None:
                break
            current = field.type
        else:
            break
        found.append(get_named_type(current))
    return found


def _grade(types: list[GraphQLNamedType], default: Basis) -> tuple[Verdict, str]:
    basis, source = weakest(types, default)
    if basis == "sibling":
        return "warning", sibling_note(source)
    return "error", ""


def _stand_ins(value: object, type_: Any, name: str,
               path: list[str | int], default: Basis) -> Iterator[RequestFinding]:
    """Values the server would check against a shape no source states: unverified."""
    while isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if value is None:
        return
    if isinstance(type_, GraphQLList):
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            yield from _stand_ins(item, type_.of_type, name, [*path, i], default)
    elif isinstance(type_, GraphQLInputObjectType) and isinstance(value, dict):
        for key, item in value.items():
            if key in type_.fields:
                yield from _stand_ins(item, type_.fields[key].type, name, [*path, key],
                                      default)
    elif isinstance(type_, GraphQLScalarType) and basis_of(type_, default)[0] == "stand-in":
        yield RequestFinding(_path_text(name, path), "unverified",
                             f"not checked: no source states the shape of {type_.name}",
                             "unverified-input")


def _variables(schema: GraphQLSchema, op: OperationDefinitionNode,
               inputs: Mapping[str, Any], default: Basis) -> Iterator[RequestFinding]:
    """Coerce the variables as the server would, each problem graded by provenance."""
    for definition in op.variable_definitions:
        name = definition.variable.name.value
        var_type = type_from_ast(schema, definition.type)
        if var_type is None or not is_input_type(var_type):
            continue  # validation has reported the unknown or output type
        where = f"${name}"
        if name not in inputs:
            if definition.default_value is None and isinstance(var_type, GraphQLNonNull):
                yield RequestFinding(where, "error", f"the variable of required type {var_type} "
                                     "was not provided", "variable-missing")
            continue
        value = inputs[name]
        if value is None and isinstance(var_type, GraphQLNonNull):
            yield RequestFinding(where, "error", f"the variable of non-null type {var_type} must "
                                 "not be null", "variable-null")
            continue
        found: list[RequestFinding] = []

        def on_error(path: list[str | int], invalid: Any, error: GraphQLError,
                     name: str = name, var_type: Any = var_type,
                     found: list[RequestFinding] = found) -> None:
            verdict, note = _grade(_types_along(var_type, path), default)
            found.append(RequestFinding(_path_text(name, path), verdict,
                                        f"{error.message}{note}", "variable-coercion"))

        coerce_input_value(value, cast(GraphQLInputType, var_type), on_error)
        yield from found
        yield from _stand_ins(value, var_type, name, [], default)
    for extra in sorted(set(inputs) - {d.variable.name.value for d in op.variable_definitions}):
        yield RequestFinding(f"${excerpt(extra)}", "warning", "the operation defines no such "
                             "variable; it is ignored", "variable-unknown")


def check_request(body: object, schema: GraphQLSchema, *,
                  default: Basis = "own") -> list[RequestFinding]:
    """Check one decoded request body against ``schema``: its shape, the query's syntax
    and validity, which operation would run, and its variables' coercion."""
    findings = list(_shape(body))
    if (findings and any(f.severity == "error" for f in findings)) or not isinstance(body, dict):
        return findings
    try:
        document = parse(body["query"])
    except GraphQLSyntaxError as exc:
        loc = exc.locations[0] if exc.locations else None
        where = f"query {loc.line}:{loc.column}" if loc else "query"
        return [*findings, RequestFinding(where, "error", exc.message, "graphql-syntax")]
    for f in check_document(schema, document, default=default):
        findings.append(RequestFinding(f"query {f.line}:{f.column}", f.severity, f.message,
                                       f.rule))
    op, problem = _operation(document, body.get("operationName"))
    if problem is not None:
        return [*findings, problem]
    assert op is not None
    if op.operation is OperationType.MUTATION:
        findings.extend(_variables(schema, op, body.get("variables") or {}, default))
    return findings


def decode_body(text: str) -> tuple[object, RequestFinding | None]:
    """One JSON body, or the located reason it is not JSON."""
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, RequestFinding(f"{exc.lineno}:{exc.colno}", "error",
                                    f"not JSON: {exc.msg}", "json-syntax")
    except RecursionError:
        return None, RequestFinding("body", "error", "not JSON this checker reads: nested "
                                    "too deeply", "json-syntax")


def _diagnostic(path: str, line: int, finding: RequestFinding) -> Diagnostic:
    column = 0
    message = f"{finding.where}: {finding.message}"
    if finding.rule == "json-syntax" and ":" in finding.where:
        inner_line, column = (int(n) for n in finding.where.split(":"))
        line += inner_line - 1
        message = finding.message
    return Diagnostic(path, line, column, message, severity=finding.severity,
                      rule=finding.rule)


def check_bodies(path: str, text: str, target: Target) -> tuple[list[Diagnostic], int]:
    """Check one JSON request body, or JSON Lines (one body per non-blank line), each
    finding placed at its body's line; and how many bodies were checked."""
    schema = target.schemas[target.default_endpoint]
    body, problem = decode_body(text)
    if problem is None:
        found = check_request(body, schema, default=target.default_basis)
        return [_diagnostic(path, 1, f) for f in found], 1
    lines = [(n, line) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
    if len(lines) < 2:
        return [_diagnostic(path, 1, problem)], len(lines)
    out: list[Diagnostic] = []
    for number, line in lines:
        body, problem = decode_body(line)
        found = [problem] if problem else check_request(body, schema,
                                                        default=target.default_basis)
        out.extend(_diagnostic(path, number, f) for f in found)
    return out, len(lines)
