"""Runnable examples checked as the server would check their requests, and their responses."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from copy import copy
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from graphql import (
    DefinitionNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLResolveInfo,
    GraphQLSchema,
    NameNode,
    OperationDefinitionNode,
    Source,
    execute_sync,
    get_variable_values,
    parse,
    specified_rules,
    validate,
    visit,
)
from graphql.language import Visitor
from graphql.validation import LoneAnonymousOperationRule, UniqueOperationNamesRule

from kraken_spec.contract.request import check_request
from kraken_spec.diagnostics import Diagnostic, excerpt
from kraken_spec.gql.schema import build_endpoint_schema
from kraken_spec.model import Catalogue, Mutation
from kraken_spec.parallel import chunked, map_chunks
from kraken_spec.spec.files import headless_path, mutation_path

RULE = "runnable-example"

_Named = TypeVar("_Named", FragmentDefinitionNode, FragmentSpreadNode)


class RunnableLike(Protocol):
    """What is checked of a runnable example (``generators.runnable.RunnableExample``)."""

    @property
    def operation(self) -> str: ...

    @property
    def variables(self) -> Mapping[str, Any] | None: ...

    @property
    def response(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class ExampleProblem:
    """One problem of an example: where (``operation L:C``, ``$input.amount``,
    ``data.x.y``, ``response``) and what."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def check_runnable_example(example: RunnableLike, mutation: str,
                           schema: GraphQLSchema) -> list[ExampleProblem]:
    """Every problem of one example of ``mutation`` against ``schema``: the operation by
    graphql-core's validation, the request body by check-request (its errors), the
    variables by graphql-core's coercion, and the response by executing the operation over
    it: it must hold exactly what the selection gives, each value fitting its type."""
    parsed = _parse(example)
    if isinstance(parsed, ExampleProblem):
        return [parsed]
    problems = [_graphql_problem("operation", e) for e in validate(schema, parsed)]
    body: dict[str, Any] = {"query": example.operation}
    if example.variables is not None:
        body["variables"] = dict(example.variables)
    problems.extend(ExampleProblem(finding.where, f"check-request: {finding.message} "
                                   f"[{finding.rule}]")
                    for finding in check_request(body, schema) if finding.severity == "error")
    return _after_validation(example, mutation, schema, parsed, problems)


def _parse(example: RunnableLike, name: str = "GraphQL request") -> DocumentNode | ExampleProblem:
    try:
        return parse(Source(example.operation, name))
    except GraphQLError as exc:
        return _graphql_problem("operation", exc)


def _after_validation(example: RunnableLike, mutation: str, schema: GraphQLSchema,
                      document: DocumentNode,
                      problems: list[ExampleProblem]) -> list[ExampleProblem]:
    """``problems`` (the operation's, so far) and those of its shape, its variables'
    coercion and, when all is well, its response."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1:
        return [*problems, ExampleProblem("operation", "the example must hold exactly one "
                                          "operation")]
    (operation,) = operations
    roots = operation.selection_set.selections
    if len(roots) != 1 or not isinstance(roots[0], FieldNode) or roots[0].alias is not None \
            or roots[0].name.value != mutation:
        problems.append(ExampleProblem("operation", f"the operation must select the field "
                                       f"{mutation!r} alone, unaliased"))
    variables = dict(example.variables) if example.variables is not None else None
    coerced = get_variable_values(schema, operation.variable_definitions, variables or {})
    if isinstance(coerced, list):
        problems.extend(_graphql_problem("variables", e) for e in coerced)
    elif not problems:
        problems.extend(_response_problems(example.response, schema, document, variables))
    return list(dict.fromkeys(problems))


# The examples are validated as one document per chunk, as the page's are: the rules' setup
# is shared, and chunks of a large catalogue go to several cores. Operation names may repeat
# across examples, and each example is separately required to hold one operation.
_BATCH_RULES = tuple(r for r in specified_rules
                     if r not in (UniqueOperationNamesRule, LoneAnonymousOperationRule))
EXAMPLES_PER_CHUNK = 500


def _check_batch(examples: Sequence[tuple[str, RunnableLike]],
                 schema: GraphQLSchema) -> list[tuple[str, ExampleProblem]]:
    """The problems of examples (by mutation) of one endpoint: graphql-core's validation,
    variable coercion and the response; check-request's own reading of the body is left to
    ``check_runnable_example`` (the build relies on graphql-core, as the server does)."""
    found: dict[str, list[ExampleProblem]] = {}
    documents: dict[str, DocumentNode] = {}
    for name, example in examples:
        parsed = _parse(example, name)
        if isinstance(parsed, ExampleProblem):
            found[name] = [parsed]
        else:
            documents[name] = parsed
            found[name] = []
    # Examples define fragments of the same names: each example's are renamed apart, and
    # their names restored in what the rules say of them.
    renames: dict[str, dict[str, str]] = {}
    definitions: list[DefinitionNode] = []
    for index, (name, document) in enumerate(documents.items()):
        renames[name] = {d.name.value: f"{d.name.value}__{index}"
                         for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        renamed = visit(document, _RenameFragments(renames[name])) if renames[name] else document
        definitions.extend(renamed.definitions)
    for error in validate(schema, DocumentNode(definitions=tuple(definitions)), _BATCH_RULES):
        owner = error.source.name if error.source is not None else None
        if owner in found:
            problem = _graphql_problem("operation", error)
            message = problem.message
            for original, renamed_name in renames[owner].items():
                message = message.replace(f"'{renamed_name}'", f"'{original}'")
            found[owner].append(ExampleProblem(problem.where, message))
    by_name = dict(examples)
    for name, document in documents.items():
        found[name] = _after_validation(by_name[name], name, schema, document, found[name])
    return [(name, problem) for name, problems in found.items() for problem in problems]


class _RenameFragments(Visitor):
    def __init__(self, names: Mapping[str, str]) -> None:
        super().__init__()
        self.names = names

    def enter_fragment_definition(self, node: FragmentDefinitionNode,
                                  *_: object) -> FragmentDefinitionNode:
        return _renamed(node, self.names)

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: object) -> FragmentSpreadNode:
        return _renamed(node, self.names)


def _renamed(node: _Named, names: Mapping[str, str]) -> _Named:
    # A spread of a fragment the example does not define keeps its name (and its error).
    new = copy(node)
    new.name = NameNode(value=names.get(node.name.value, node.name.value), loc=node.name.loc)
    return new


def check_runnable_examples(catalogue: Catalogue, examples: Mapping[str, RunnableLike],
                            schemas: Mapping[str, GraphQLSchema] | None = None,
                            names: Collection[str] | None = None) -> list[Diagnostic]:
    """Every problem of the runnable examples (by mutation name) of the catalogue's
    mutations (or of those ``names``), each an error placed at the spec file of its
    mutation; a mutation without an example, or an example of no mutation, is one too.
    ``schemas`` maps endpoints to their schemas (built from the catalogue where not
    given)."""
    built = dict(schemas or {})
    out: list[Diagnostic] = []
    by_endpoint: dict[str, list[tuple[str, RunnableLike]]] = {}
    paths: dict[str, str] = {}
    wanted = None if names is None else set(names)
    for m in catalogue.mutations:
        if wanted is not None and m.name not in wanted:
            continue
        paths[m.name] = _spec_path(m)
        example = examples.get(m.name)
        if example is None:
            out.append(Diagnostic(paths[m.name], 0, 0, f"mutation {m.name!r} has no runnable "
                                  "example", rule=RULE))
        else:
            by_endpoint.setdefault(m.endpoint, []).append((m.name, example))
    for endpoint, pairs in by_endpoint.items():
        if endpoint not in built:
            built[endpoint] = build_endpoint_schema(catalogue, endpoint)
        schema = built[endpoint]

        def check(chunk: Sequence[tuple[str, RunnableLike]],
                  schema: GraphQLSchema = schema) -> list[tuple[str, ExampleProblem]]:
            return _check_batch(chunk, schema)

        for found in map_chunks(check, chunked(pairs, EXAMPLES_PER_CHUNK)):
            out.extend(Diagnostic(paths[name], 0, 0, f"runnable example of {name}: {problem}",
                                  rule=RULE) for name, problem in found)
    known = {m.name for m in catalogue.mutations}
    out.extend(Diagnostic("spec/mutations", 0, 0, f"a runnable example of {excerpt(name)}, "
                          "which is no mutation of the catalogue", rule=RULE)
               for name in sorted(set(examples) - known))
    return sorted(out)


def _spec_path(m: Mutation) -> str:
    # An entry the page shows without its heading lives apart; a source names its payload.
    return headless_path(m.name) if m.payload_source is not None else mutation_path(m.name)


def _graphql_problem(part: str, error: GraphQLError) -> ExampleProblem:
    where = part
    if part == "operation" and error.locations:
        location = error.locations[0]
        where = f"operation {location.line}:{location.column}"
    return ExampleProblem(where, error.message)


def _by_response_key(source: object, info: GraphQLResolveInfo, **_: object) -> object:
    """Read a field from the response itself, under its response key (an alias or name)."""
    return source.get(info.path.key) if isinstance(source, Mapping) else None


def _response_problems(response: object, schema: GraphQLSchema, document: DocumentNode,
                       variables: dict[str, Any] | None) -> list[ExampleProblem]:
    if not isinstance(response, Mapping) or set(response) != {"data"} \
            or not isinstance(response["data"], Mapping):
        return [ExampleProblem("response", "a response is {\"data\": {...}} and nothing else")]
    # Executing the operation with the response as the data source gives what a server
    # would send for that data: each value serialized by its type, abstract types resolved
    # by __typename, and exactly the selected fields. The response must be that.
    result = execute_sync(schema, document, root_value=response["data"],
                          variable_values=variables, field_resolver=_by_response_key)
    if result.errors:
        return [ExampleProblem(_path_text(e.path) if e.path else "response", e.message)
                for e in result.errors]
    found = _difference(result.data, response["data"], "data")
    return [] if found is None else [found]


def _path_text(path: list[str | int]) -> str:
    return "data" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def _kind(value: object) -> str:
    if value is None or isinstance(value, bool | str | dict | list):
        return type(value).__name__
    return "number" if isinstance(value, int | float) else type(value).__name__


def _difference(expected: object, actual: object, where: str) -> ExampleProblem | None:
    """The first place where the response (``actual``) differs from what executing the
    operation over it gives (``expected``), compared as JSON: 1 and 1.0 are one number,
    but true is no number."""
    if _kind(expected) != _kind(actual):
        return ExampleProblem(where, f"the response holds {excerpt(actual)} where the "
                              f"selection gives {excerpt(expected)}")
    if isinstance(expected, dict):
        assert isinstance(actual, dict)
        for key in expected:
            if key not in actual:
                return ExampleProblem(f"{where}.{key}", "the selection gives this field but "
                                      "the response lacks it")
        for key in actual:
            if key not in expected:
                return ExampleProblem(f"{where}.{key}", "the response holds a field the "
                                      "selection does not give")
        for key, value in expected.items():
            found = _difference(value, actual[key], f"{where}.{key}")
            if found is not None:
                return found
        return None
    if isinstance(expected, list):
        assert isinstance(actual, list)
        if len(expected) != len(actual):
            return ExampleProblem(where, "the list differs in length")
        for index, (left, right) in enumerate(zip(expected, actual, strict=True)):
            found = _difference(left, right, f"{where}[{index}]")
            if found is not None:
                return found
        return None
    if expected != actual:
        return ExampleProblem(where, f"the response holds {excerpt(actual)} where the "
                              f"selection gives {excerpt(expected)}")
    return None
