"""Runnable examples: complete operations, variables and responses for every mutation, checked."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, run_cli
from graphql import (
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
    get_variable_values,
    parse,
    validate,
)
from graphql.language import OperationDefinitionNode
from hypothesis import HealthCheck, given, settings
from strategies import adversarial_catalogues

from kraken_spec.contract.request import check_request
from kraken_spec.contract.runnable import check_runnable_example, check_runnable_examples
from kraken_spec.generators.runnable import (
    Note,
    RunnableExample,
    runnable_example,
    runnable_examples,
)
from kraken_spec.gql.schema import build_endpoint_schema
from kraken_spec.model import Catalogue


@cache
def published(endpoint: str) -> GraphQLSchema:
    """The built SDL of the endpoint as any client reads it: no provenance at all."""
    text = (REPO / "build" / "schema" / f"{endpoint}.graphql").read_text(encoding="utf-8")
    return build_schema(text)


@pytest.fixture(scope="module")
def schemas(full_catalogue: Catalogue) -> dict[str, GraphQLSchema]:
    return {e.name: build_endpoint_schema(full_catalogue, e.name)
            for e in full_catalogue.endpoints}


@pytest.fixture(scope="module")
def examples(full_catalogue: Catalogue,
             schemas: dict[str, GraphQLSchema]) -> dict[str, RunnableExample]:
    return runnable_examples(full_catalogue, schemas)


# --- every mutation of the bundled catalogue ------------------------------------------------


def test_every_mutation_has_one(full_catalogue: Catalogue,
                                examples: dict[str, RunnableExample]) -> None:
    names = {m.name for m in full_catalogue.mutations}
    assert set(examples) == names and len(names) == 236
    assert "nextOperationsTeamRoundRobin" in examples  # the entry shown without heading
    assert {e.endpoint for e in examples.values()} == {"api", "auth"}


def _graphql_core_problems(example: RunnableExample, schema: GraphQLSchema) -> list[str]:
    document = parse(example.operation)
    problems = [e.message for e in validate(schema, document)]
    (operation,) = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    coerced = get_variable_values(schema, operation.variable_definitions,
                                  example.variables or {})
    if isinstance(coerced, list):
        problems.extend(e.message for e in coerced)
    return problems


def test_each_validates_against_the_schema_in_memory_and_the_built_sdl(
        examples: dict[str, RunnableExample], schemas: dict[str, GraphQLSchema]) -> None:
    passed = 0
    for example in examples.values():
        for schema in (schemas[example.endpoint], published(example.endpoint)):
            assert _graphql_core_problems(example, schema) == [], example.mutation
        passed += 1
    assert passed == 236


def test_each_body_passes_check_request(examples: dict[str, RunnableExample],
                                       schemas: dict[str, GraphQLSchema]) -> None:
    # The published SDL records no basis: every fact it states counts as the endpoint's own,
    # so there each finding is an error.
    for example in examples.values():
        for schema in (schemas[example.endpoint], published(example.endpoint)):
            found = check_request(example.body(), schema)
            assert not [f for f in found if f.severity == "error"], (example.mutation, found)


@pytest.mark.parametrize("endpoint", ["api", "auth"])
@pytest.mark.parametrize("target", ["root", "schema"])
def test_the_check_request_command_accepts_every_body(
        endpoint: str, target: str, examples: dict[str, RunnableExample],
        tmp_path: Path) -> None:
    bodies = tmp_path / "bodies.jsonl"
    lines = [json.dumps(e.body()) for e in examples.values() if e.endpoint == endpoint]
    bodies.write_text("\n".join(lines) + "\n", encoding="utf-8")
    where = (["--root", str(REPO)] if target == "root"
             else ["--schema", str(REPO / "build" / "schema" / f"{endpoint}.graphql")])
    code, out, err = run_cli("check-request", *where, "--endpoint", endpoint, "--format",
                             "json", str(bodies))
    assert code == 0, (out, err)
    assert len(lines) == (233 if endpoint == "api" else 3)


def test_the_validator_finds_nothing(full_catalogue: Catalogue,
                                    examples: dict[str, RunnableExample],
                                    schemas: dict[str, GraphQLSchema]) -> None:
    assert check_runnable_examples(full_catalogue, examples, schemas) == []
    # Against the built SDL too, where no fact records its basis.
    sdl = {name: published(name) for name in schemas}
    assert check_runnable_examples(full_catalogue, examples, sdl) == []


def test_generation_is_deterministic(full_catalogue: Catalogue,
                                    examples: dict[str, RunnableExample]) -> None:
    # Schemas built afresh, and the mutations one at a time, give the same examples.
    fresh = {e.name: build_endpoint_schema(full_catalogue, e.name)
             for e in full_catalogue.endpoints}
    again = {m.name: runnable_example(full_catalogue, m.name, fresh[m.endpoint])
             for m in full_catalogue.mutations}
    assert again == examples
    assert [(e.operation, e.variables_json(), e.response_json()) for e in again.values()] \
        == [(examples[n].operation, examples[n].variables_json(), examples[n].response_json())
            for n in again]


def _empty_objects(value: Any, where: str) -> Iterator[str]:
    if value == {}:
        yield where
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _empty_objects(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _empty_objects(item, f"{where}[{index}]")


def test_every_stand_in_value_is_a_marked_placeholder(
        examples: dict[str, RunnableExample]) -> None:
    for example in examples.values():
        marked = [n.where for n in example.placeholders]
        found = [*_empty_objects(example.response["data"], "data")]
        for name, value in (example.variables or {}).items():
            found.extend(_empty_objects(value, f"${name}"))
        for where in found:
            assert any(where == w or where.startswith(w + "[") for w in marked), (
                example.mutation, where, example.notes)


def test_fragments_select_only_what_the_schema_states(
        full_catalogue: Catalogue, examples: dict[str, RunnableExample],
        schemas: dict[str, GraphQLSchema]) -> None:
    example = examples["obtainKrakenToken"]
    possible_error = schemas["api"].type_map["PossibleErrorType"]
    assert isinstance(possible_error, GraphQLObjectType)
    body = example.operation.split("fragment PossibleErrorTypeFragment on PossibleErrorType",
                                   1)[1]
    assert [line.strip() for line in body.splitlines()[1:-1]] == list(possible_error.fields)
    # The page's example stays as it was: flat, with its undefined fragment.
    (mutation,) = [m for m in full_catalogue.mutations if m.name == "obtainKrakenToken"]
    assert "{\n...PossibleErrorTypeFragment\n}" in mutation.example.operation


# --- exact output ----------------------------------------------------------------------------


def test_the_mini_fixture_exactly(mini_catalogue: Catalogue) -> None:
    schema = build_endpoint_schema(mini_catalogue, "api")
    example = runnable_example(mini_catalogue, "generatePreSignedToken", schema)
    assert example.operation == (
        "mutation GeneratePreSignedToken($email: String!, $numberOfDaysAllowed: Int!, "
        "$scope: PreSignedTokenScope!) {\n"
        "  generatePreSignedToken(\n"
        "    email: $email\n"
        "    numberOfDaysAllowed: $numberOfDaysAllowed\n"
        "    scope: $scope\n"
        "  ) {\n"
        "    possibleErrors\n"
        "    token\n"
        "    tokenExpiryDatetime\n"
        "    scope\n"
        "  }\n"
        "}")
    assert example.variables == {"email": "abc123", "numberOfDaysAllowed": 1,
                                 "scope": "SUBMIT_METER_READINGS"}
    assert example.response == {"data": {"generatePreSignedToken": {
        "possibleErrors": [{}],
        "token": "abc123",
        "tokenExpiryDatetime": "2020-01-01T00:00:00.000Z",
        "scope": "SUBMIT_METER_READINGS",
    }}}
    assert example.notes == (
        Note("$scope", "placeholder", "the page's example value, not checked: no source "
             "states the shape of PreSignedTokenScope"),
        Note("data.generatePreSignedToken.possibleErrors", "placeholder", "no source states "
             "the shape of PossibleErrorType, so it is selected without fields and {} stands "
             "in for its value; against the live endpoint it needs a selection"),
    )
    assert example.operation_name == "GeneratePreSignedToken" and example.endpoint == "api"
    assert example.body() == {"query": example.operation,
                              "operationName": "GeneratePreSignedToken",
                              "variables": example.variables}
    assert example.variables_json() == (
        '{\n  "email": "abc123",\n  "numberOfDaysAllowed": 1,\n'
        '  "scope": "SUBMIT_METER_READINGS"\n}')
    assert check_runnable_examples(mini_catalogue, runnable_examples(mini_catalogue)) == []


def test_the_bundled_token_mutation_exactly(examples: dict[str, RunnableExample]) -> None:
    example = examples["obtainKrakenToken"]
    assert example.operation == """\
mutation ObtainKrakenToken($input: ObtainJSONWebTokenInput!) {
  obtainKrakenToken(input: $input) {
    possibleErrors {
      ...PossibleErrorTypeFragment
    }
    token
    payload
    refreshToken
    refreshExpiresIn
  }
}

fragment PossibleErrorTypeFragment on PossibleErrorType {
  message
  code
  type
  description
}"""
    # The input type has no required field: its first optional one is shown.
    assert example.variables == {"input": {"email": "abc123"}}
    assert example.response["data"]["obtainKrakenToken"]["payload"] == "abc123"
    assert [n.kind for n in example.notes] == ["choice", "choice", "source"]
    assert example.placeholders == ()


def test_a_mutation_without_arguments_has_no_variables(
        examples: dict[str, RunnableExample]) -> None:
    example = examples["unlinkUserFromLine"]
    assert example.variables is None and "variables" not in example.body()
    # The page selects nothing of a union: __typename, answered by its first member.
    assert example.response == {"data": {"unlinkUserFromLine": {
        "__typename": "LineUnlinkedResponse"}}}


# --- broken examples are reported -------------------------------------------------------------


def _mini_example(mini_catalogue: Catalogue) -> RunnableExample:
    return runnable_examples(mini_catalogue)["generatePreSignedToken"]


BROKEN: dict[str, tuple[dict[str, Any], str]] = {
    "wrong scalar type": ({"variables": {"email": "abc123", "numberOfDaysAllowed": "one",
                                         "scope": "X"}}, "$numberOfDaysAllowed"),
    "missing variable": ({"variables": {"numberOfDaysAllowed": 1, "scope": "X"}}, "$email"),
    "unknown field": ({"operation": "mutation M($email: String!, $numberOfDaysAllowed: Int!, "
                                    "$scope: PreSignedTokenScope!) { generatePreSignedToken("
                                    "email: $email, numberOfDaysAllowed: $numberOfDaysAllowed,"
                                    " scope: $scope) { tokn } }"}, "operation 1:"),
    "syntax error": ({"operation": "mutation {"}, "operation"),
    "response value of the wrong type": (
        {"response": {"data": {"generatePreSignedToken": {
            "possibleErrors": [{}], "token": 1, "tokenExpiryDatetime": "x", "scope": "X"}}}},
        "data.generatePreSignedToken.token"),
    "response field missing": (
        {"response": {"data": {"generatePreSignedToken": {"possibleErrors": [{}]}}}},
        "data.generatePreSignedToken.token"),
    "response field extra": (
        {"response": {"data": {"generatePreSignedToken": {
            "possibleErrors": [{}], "token": "a", "tokenExpiryDatetime": "x", "scope": "X",
            "extra": 1}}}}, "data.generatePreSignedToken.extra"),
    "response without data": ({"response": {"errors": []}}, "response"),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_a_broken_example_is_reported(kind: str, mini_catalogue: Catalogue) -> None:
    changes, where = BROKEN[kind]
    broken = replace(_mini_example(mini_catalogue), **changes)
    schema = build_endpoint_schema(mini_catalogue, "api")
    problems = check_runnable_example(broken, "generatePreSignedToken", schema)
    assert any(p.where.startswith(where) for p in problems), problems
    found = check_runnable_examples(mini_catalogue, {
        **runnable_examples(mini_catalogue), "generatePreSignedToken": broken})
    assert found and {d.path for d in found} == {"spec/mutations/generatePreSignedToken.yaml"}
    assert all(d.is_error and d.rule == "runnable-example" for d in found)


def test_a_wrong_value_of_a_sibling_type_is_an_error(
        full_catalogue: Catalogue, examples: dict[str, RunnableExample],
        schemas: dict[str, GraphQLSchema]) -> None:
    # check-request only warns where a sibling states the type; graphql-core's coercion,
    # which holds the example to the schema it is built to, refuses it.
    example = examples["updateAccountConsents"]
    assert example.variables is not None
    consents = [{**example.variables["consents"][0], "value": "NOT_A_VALUE"}]
    broken = replace(example, variables={**example.variables, "consents": consents})
    found = check_request(broken.body(), schemas["api"])
    assert {f.severity for f in found if f.where.startswith("$consents")} == {"warning"}
    problems = check_runnable_example(broken, "updateAccountConsents", schemas["api"])
    assert [p.where for p in problems] == ["variables"]


def test_missing_and_extra_examples_are_reported(mini_catalogue: Catalogue) -> None:
    examples = runnable_examples(mini_catalogue)
    stray = examples.pop("obtainKrakenToken")
    found = check_runnable_examples(mini_catalogue, {**examples, "noSuchMutation": stray})
    assert [(d.path, d.message) for d in found] == [
        ("spec/mutations", "a runnable example of 'noSuchMutation', which is no mutation of "
                           "the catalogue"),
        ("spec/mutations/obtainKrakenToken.yaml",
         "mutation 'obtainKrakenToken' has no runnable example"),
    ]


def test_the_headless_entry_is_placed_at_its_own_file(
        full_catalogue: Catalogue, examples: dict[str, RunnableExample],
        schemas: dict[str, GraphQLSchema]) -> None:
    broken = replace(examples["nextOperationsTeamRoundRobin"], variables={})
    found = check_runnable_examples(full_catalogue, {**examples,
                                                     "nextOperationsTeamRoundRobin": broken},
                                    schemas)
    assert found and {d.path for d in found} == {
        "spec/headless/nextOperationsTeamRoundRobin.yaml"}


# --- any catalogue the spec admits --------------------------------------------------------------


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(adversarial_catalogues())
def test_adversarial_catalogues_give_valid_deterministic_examples(catalogue: Catalogue) -> None:
    # Their example texts are arbitrary, so the operation follows the return fields.
    made = runnable_examples(catalogue)
    assert check_runnable_examples(catalogue, made) == []
    assert runnable_examples(catalogue) == made


def test_fragments_of_one_name_in_two_examples_are_each_checked_as_their_own(
        mini_catalogue: Catalogue) -> None:
    # The build validates examples together; each keeps its own fragment definitions.
    examples = runnable_examples(mini_catalogue)
    good = replace(examples["obtainKrakenToken"], operation=examples["obtainKrakenToken"]
                   .operation.replace("    token\n", "    ...F\n")
                   + "\n\nfragment F on ObtainKrakenJSONWebToken {\n  token\n}")
    bad = replace(examples["generatePreSignedToken"], operation=examples[
        "generatePreSignedToken"].operation.replace("    token\n", "    ...F\n")
        + "\n\nfragment F on GeneratePreSignedToken {\n  tokn\n}")
    found = check_runnable_examples(mini_catalogue, {
        **examples, "obtainKrakenToken": good, "generatePreSignedToken": bad})
    assert [d.path for d in found] == ["spec/mutations/generatePreSignedToken.yaml"] * len(found)
    assert any("Cannot query field 'tokn' on type 'GeneratePreSignedToken'" in d.message
               for d in found), found
    assert not any("F__" in d.message for d in found), found
    assert check_runnable_example(good, "obtainKrakenToken",
                                  build_endpoint_schema(mini_catalogue, "api")) == []
