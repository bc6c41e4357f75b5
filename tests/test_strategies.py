"""kraken_spec.strategies: drawn requests pass or fail every check as their reasons say."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import uuid
from datetime import date, datetime, time
from typing import Any

import pytest
from conftest import REPO, run_cli
from graphql import (
    GraphQLError,
    GraphQLList,
    GraphQLScalarType,
    GraphQLSchema,
    get_operation_ast,
    parse,
    validate,
)
from graphql.execution.values import get_variable_values
from hypothesis import HealthCheck, Phase, event, example, find, given, settings
from hypothesis import strategies as st

from kraken_spec.contract.request import RequestFinding, check_request, decode_body
from kraken_spec.model import (
    Argument,
    Catalogue,
    Endpoint,
    ErrorEntry,
    Example,
    Mutation,
    NamedType,
    ReturnField,
    TypeField,
)
from kraken_spec.runtime.errors import MUTATION_ERRORS, ErrorCode, response_errors
from kraken_spec.spec.loader import load_spec
from kraken_spec.strategies import (
    KINDS,
    SCALAR_FORMATS,
    Reason,
    Request,
    error_responses,
    invalid_requests,
    requests,
    valid_requests,
)
from kraken_spec.strategies import _bundled as default_catalogue
from kraken_spec.strategies.bodies import endpoint_schema
from kraken_spec.strategies.values import _page_datetime, sites

# The catalogue the strategies draw from by default, so that its schemas are built once.
BUNDLED = default_catalogue()
NAMES = [m.name for m in BUNDLED.mutations]
MINI = load_spec(str(REPO / "tests" / "fixtures" / "mini")).assert_valid()
# Drawing requests for the whole catalogue is slow to start (its schemas are built once) and
# each example is checked twice: none of this is a deadline matter.
def prop(max_examples: int) -> settings:
    """The settings of a property here: its example budget, and no health check on speed."""
    return settings(max_examples=max_examples,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def schema_of(endpoint: str, catalogue: Catalogue = BUNDLED) -> GraphQLSchema:
    """The schema the strategies drew from (built once per catalogue and endpoint)."""
    return endpoint_schema(catalogue, endpoint)


# --- what graphql-core and check-request say about a body --------------------------------


def graphql_core_problems(body: object, schema: GraphQLSchema) -> list[str]:
    """What graphql-core finds wrong in a body (raw text is decoded first): JSON, syntax,
    validation with the specified rules, the operation to run, and variable coercion."""
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except json.JSONDecodeError as exc:
            return [f"JSON: {exc}"]
    assert isinstance(body, dict)
    try:
        document = parse(body["query"])
    except GraphQLError as exc:
        return [f"syntax: {exc.message}"]
    found = [e.message for e in validate(schema, document)]
    operation = get_operation_ast(document, body.get("operationName"))
    if operation is None:
        return [*found, "no operation to run"]
    coerced = get_variable_values(schema, operation.variable_definitions,
                                  body.get("variables") or {})
    if isinstance(coerced, list):
        found.extend(e.message for e in coerced)
    return found


def check(body: object, schema: GraphQLSchema) -> list[RequestFinding]:
    """check-request's findings on a body as a client sends it (raw text is decoded first)."""
    if isinstance(body, str):
        decoded, problem = decode_body(body)
        if problem is not None:
            return [problem]
        body = decoded
    return check_request(body, schema)


def assert_accepted(body: dict[str, Any], schema: GraphQLSchema) -> None:
    """No error, and no warning but a deprecation (unverified parts are fine: a stand-in's
    value is arbitrary JSON); graphql-core agrees."""
    assert json.loads(json.dumps(body)) == body
    found = check(body, schema)
    wrong = [f for f in found if f.severity == "error"
             or (f.severity == "warning" and f.rule != "no-deprecated")]
    assert not wrong, (body, wrong)
    assert graphql_core_problems(body, schema) == [], body


def reported(reason: Reason, found: list[RequestFinding]) -> bool:
    """Whether check-request reports ``reason``: its rule, its severity, and its place (a
    variable path exactly; a place in the query text by prefix)."""
    for f in found:
        if f.rule != reason.rule:
            continue
        if reason.where.startswith("$") and f.where != reason.where:
            continue
        if f.severity == reason.severity:
            return True
    return False


def assert_refused(body: object, reason: Reason, schema: GraphQLSchema) -> None:
    found = check(body, schema)
    assert reported(reason, found), (body, str(reason), found)
    assert graphql_core_problems(body, schema), (body, str(reason))
    event(f"{reason.kind} ({reason.severity})")


# --- valid requests ----------------------------------------------------------------------


@prop(200)
@given(requests())
def test_valid_requests_pass_check_request_and_graphql_core(request: Request) -> None:
    assert_accepted(request.body(), schema_of(request.endpoint))


# Every mutation of the catalogue, a few requests each (the random-mutation property above
# carries the volume).
@prop(2)
@pytest.mark.parametrize("name", NAMES)
@given(data=st.data())
def test_every_mutation_gets_valid_requests(name: str, data: st.DataObject) -> None:
    request = data.draw(requests(name))
    assert request.mutation == name
    assert_accepted(request.body(), schema_of(request.endpoint))


_ISO_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
_FORMAT_CHECKS: dict[str, Any] = {
    "Date": date.fromisoformat, "Time": time.fromisoformat, "UUID": uuid.UUID,
    "JSONString": json.loads, "BigInt": int,
    "DateTime": lambda v: _ISO_DATETIME.fullmatch(v) or pytest.fail(v),
    "NonEmptyString": lambda v: v or pytest.fail("empty"),
}


@prop(150)
@given(requests(endpoint="api"))
def test_custom_scalars_take_the_format_the_page_shows(request: Request) -> None:
    for name, value in (request.variables or {}).items():
        for site in sites(request.var_types[name], value):
            scalar = site.inner
            if (isinstance(scalar, GraphQLScalarType) and scalar.name in _FORMAT_CHECKS
                    and site.value is not None):
                _FORMAT_CHECKS[scalar.name](site.value)
                event(f"a {scalar.name} value")


# Found by the property above: strftime wrote the year 999 with three digits.
@example(datetime(999, 1, 1))
@given(st.datetimes())
def test_datetimes_are_written_as_the_page_writes_them(moment: datetime) -> None:
    text = _page_datetime(moment)
    assert _ISO_DATETIME.fullmatch(text), text
    assert datetime.fromisoformat(text.replace("Z", "")) == moment.replace(
        microsecond=moment.microsecond // 1000 * 1000)


@pytest.mark.parametrize("what, mutation, predicate", [
    ("an alias", None, lambda b: re.search(r"\b\w+_\d+: \w", b["query"])),
    ("a named fragment", None, lambda b: "\nfragment Fragment" in b["query"]),
    ("an inline fragment", None, lambda b: "... on " in b["query"]),
    ("__typename", None, lambda b: "__typename" in b["query"]),
    ("a variable of an input object", None, lambda b: any(
        isinstance(v, dict) for v in (b.get("variables") or {}).values())),
    ("two operations and an operationName", None,
     lambda b: b["query"].count("mutation ") == 2 and b["operationName"]),
    # createNewsletterSignup's firstName is nullable.
    ("a nullable variable left out", "createNewsletterSignup",
     lambda b: "$firstName" in b["query"] and "firstName" not in b.get("variables", {})),
])
def test_requests_use_what_clients_write(what: str, mutation: str | None, predicate: Any) -> None:
    found = find(valid_requests(mutation, endpoint="api"), predicate,
                 settings=settings(max_examples=1000, database=None, phases=[Phase.generate]))
    assert predicate(found), what


def _lone(request: Request) -> bool:
    return any(isinstance(s.inner, GraphQLList) and s.value is not None
               and not isinstance(s.value, list)
               for n, v in (request.variables or {}).items()
               for s in sites(request.var_types[n], v))


def test_a_lone_value_stands_for_a_list() -> None:
    # Coercion reads a lone value as a list of one, and clients send that too.
    found = find(requests(endpoint="api"), _lone,
                 settings=settings(max_examples=1000, database=None, phases=[Phase.generate]))
    assert_accepted(found.body(), schema_of("api"))


FIXED = "2000-01-01T00:00:00.000Z"


FIXED_DATETIMES = requests("createExternalAccountEvent", scalars={"DateTime": st.just(FIXED)})


@prop(30)
@given(FIXED_DATETIMES)
def test_user_formats_replace_the_defaults(request: Request) -> None:
    assert request.variables is not None
    for name, value in request.variables.items():
        for site in sites(request.var_types[name], value):
            if isinstance(site.inner, GraphQLScalarType) and site.inner.name == "DateTime":
                assert site.value in (None, FIXED)
    assert "DateTime" in SCALAR_FORMATS


def test_a_user_format_is_drawn() -> None:
    # The input's occurredAt, a DateTime, is optional: a search finds it drawn.
    found = find(FIXED_DATETIMES, lambda r: (r.variables or {})["input"].get("occurredAt"),
                 settings=settings(max_examples=500, database=None, phases=[Phase.generate]))
    assert found.variables and found.variables["input"]["occurredAt"] == FIXED


# --- invalid requests --------------------------------------------------------------------

# The first failure the property below found: linkUserToLine's payload is a union only the
# sibling shapes, and check-request graded its unknown argument by the payload's basis, a
# warning, although the page states every mutation's arguments (fixed in gql/operations.py).
LINK_USER_TO_LINE = (
    {"query": "mutation ($input: LinkUserToLineInput!) {\n  linkUserToLine(input: $input, "
              "input_: 1) {\n    __typename\n  }\n}",
     "variables": {"input": {"linkToken": "abc123"}}},
    Reason("unknown-argument", "known-argument-names", "query", "error",
           "linkUserToLine takes no argument 'input_'"))


@prop(300)
@example(case=LINK_USER_TO_LINE)
@given(case=invalid_requests())
def test_invalid_requests_are_refused_with_their_reason(case: tuple[Any, Reason]) -> None:
    body, reason = case
    assert reason.rule in KINDS[reason.kind]
    assert isinstance(body, str) == (reason.kind == "malformed-json")
    schema = schema_of("auth" if _on_auth(body) else "api")
    assert_refused(body, reason, schema)


def _on_auth(body: object) -> bool:
    auth = {m.name for m in BUNDLED.mutations_of("auth")}
    text = body if isinstance(body, str) else json.dumps(body)
    return any(re.search(rf"\b{name}\b", text) for name in auth)


def test_an_unknown_argument_is_an_error_whatever_the_payload() -> None:
    body, reason = LINK_USER_TO_LINE
    found = check(body, schema_of("api"))
    assert [(f.rule, f.severity) for f in found] == [(reason.rule, reason.severity)]
    # The same where no source shapes the payload (the mini catalogue's linkUserToLine).
    found = check(body, schema_of("api", MINI))
    assert ("known-argument-names", "error") in [(f.rule, f.severity) for f in found]


@prop(20)
@pytest.mark.parametrize("kind", list(KINDS))
@given(data=st.data())
def test_each_kind_is_refused_with_its_reason(kind: str, data: st.DataObject) -> None:
    body, reason = data.draw(invalid_requests(endpoint="api", kinds=[kind]))
    assert reason.kind == kind
    assert_refused(body, reason, schema_of("api"))


@pytest.mark.deep_examples(1000)
@prop(15)
@given(st.lists(st.one_of(valid_requests(endpoint="api").map(lambda b: (b, None)),
                          invalid_requests(endpoint="api")), min_size=2, max_size=8))
def test_check_request_reads_drawn_bodies_as_json_lines(
        tmp_path_factory: pytest.TempPathFactory, cases: list[tuple[Any, Reason | None]]) -> None:
    path = tmp_path_factory.mktemp("bodies") / "bodies.jsonl"
    lines = [b if isinstance(b, str) else json.dumps(b) for b, _ in cases]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run_cli("check-request", "--format", "json", str(path))
    assert "Traceback" not in out + err
    problems = json.loads(out)["problems"]
    errors = any(r is not None and r.severity == "error" for _, r in cases)
    assert code == (1 if errors else 0), err
    for line, (_, reason) in enumerate(cases, 1):
        here = [p for p in problems if p["line"] == line]
        if reason is None:
            assert all(p["severity"] != "error" for p in here), here
        else:
            assert any(p["rule"] == reason.rule for p in here), (line, str(reason), here)


# --- grading: the page's facts, a sibling's, and shapes nobody states --------------------


def curated_catalogue() -> Catalogue:
    """One mutation whose input type and enum the page itself documents (curated facts)."""
    mutation = Mutation(
        name="payThing", endpoint="api", payload_type="PayThing", payload_non_null=False,
        description=None, requires_authorization=False, deprecation_reason=None,
        errors=("KT-CT-1111",),
        arguments=(Argument("input", "PayInput!", None), Argument("count", "Int", None)),
        return_fields=(ReturnField("ok", "Boolean", "type-name"),),
        example=Example("mutation { payThing(input: {}) { ok } }", None, "{}"))
    types = (
        NamedType("PayInput", "documented", "input", "INPUT_OBJECT", None, fields=(
            TypeField("amount", "Int!"), TypeField("kind", "PayKind"),
            TypeField("lines", "[PayLine!]"), TypeField("note", "String"))),
        NamedType("PayLine", "documented", "input", "INPUT_OBJECT", None, fields=(
            TypeField("code", "String!"), TypeField("when", "Date"))),
        NamedType("PayKind", "documented", "input", "ENUM", None, values=("CARD", "DEBIT")),
        NamedType("Date", "inferred", "input", "SCALAR", None),
    )
    return Catalogue((Endpoint("api", "API", "https://api.example.invalid/graphql/"),),
                     (mutation,), (ErrorEntry("KT-CT-1111", "Unauthorized."),), types)


CURATED = curated_catalogue()


@prop(150)
@given(valid=valid_requests(catalogue=CURATED),
       case=invalid_requests(catalogue=CURATED))
def test_the_pages_own_types_are_errors(valid: dict[str, Any],
                                        case: tuple[Any, Reason]) -> None:
    schema = schema_of("api", CURATED)
    assert_accepted(valid, schema)
    body, reason = case
    # Every type here is the page's: every damage is an error, never a warning.
    assert reason.severity == "error"
    assert_refused(body, reason, schema)


@prop(100)
@given(request=requests(catalogue=MINI, endpoint="api"),
       case=invalid_requests(catalogue=MINI, endpoint="api"))
def test_stand_ins_take_any_json_and_are_never_damaged_inside(
        request: Request, case: tuple[Any, Reason]) -> None:
    # No source shapes the mini catalogue's input types: their values are arbitrary JSON,
    # which check-request reports unverified and never refuses.
    schema = schema_of("api", MINI)
    assert_accepted(request.body(), schema)
    body, reason = case
    assert reason.where in ("query", "body") or "." not in reason.where
    assert_refused(body, reason, schema)


# --- error responses ---------------------------------------------------------------------


@prop(200)
@given(error_responses())
def test_error_responses_raise_only_the_mutations_codes(response: dict[str, Any]) -> None:
    assert json.loads(json.dumps(response)) == response
    (name,) = response["data"]
    read = response_errors(response)
    assert read.failed and read.uncoded == 0 and not read.unknown
    assert set(read.known) <= MUTATION_ERRORS[name]
    for entry, coded in zip(response["errors"], read.errors, strict=True):
        assert coded.message == ErrorCode(coded.code).message
        assert coded.path == (name,)
        assert coded.error_type and coded.description
        for problem in coded.validation_errors:
            assert problem.input_path is not None
            argument = problem.input_path[0]
            assert argument in {a.name for a in BUNDLED_BY_NAME[name].arguments}
        assert set(entry["extensions"]) <= {"errorType", "errorCode", "errorDescription",
                                            "validationErrors"}


BUNDLED_BY_NAME = {m.name: m for m in BUNDLED.mutations}


@settings(max_examples=20)
@given(error_responses("resetUserPassword"))
def test_error_responses_for_one_mutation(response: dict[str, Any]) -> None:
    assert list(response["data"]) == ["resetUserPassword"]
    assert {e["extensions"]["errorCode"] for e in response["errors"]} <= set(
        BUNDLED_BY_NAME["resetUserPassword"].errors)


def test_arguments_are_checked_at_once() -> None:
    with pytest.raises(ValueError, match="no mutation 'payThng'"):
        valid_requests("payThng", catalogue=CURATED)
    with pytest.raises(ValueError, match="on endpoint 'auth'"):
        invalid_requests("collectPayment", endpoint="auth")
    with pytest.raises(ValueError, match="unknown kinds"):
        invalid_requests(kinds=["typo"])
    no_codes = next(m.name for m in BUNDLED.mutations if not m.errors)
    with pytest.raises(ValueError, match="lists no error codes"):
        error_responses(no_codes)


# --- packaging: an optional extra ---------------------------------------------------------

_BLOCK = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("hypothesis", "hypothesis_graphql"):
            raise ModuleNotFoundError(f"No module named {name!r}")
        return None
sys.meta_path.insert(0, Block())
"""


def test_kraken_spec_works_without_hypothesis() -> None:
    code = _BLOCK + """
import kraken_spec
from kraken_spec.cli.main import main
catalogue = kraken_spec.bundled_catalogue()
kraken_spec.build_endpoint_schema(catalogue, "auth")
try:
    import kraken_spec.strategies
except ImportError as exc:
    print(exc)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "pip install 'kraken-spec[strategies]'" in done.stdout


def test_the_readme_example_runs() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("## Hypothesis strategies", 1)[1].split("```python\n", 1)[1]
    namespace: dict[str, Any] = {}
    exec(compile(block.split("```", 1)[0], "<README example>", "exec"), namespace)
    tests = [v for k, v in namespace.items() if k.startswith("test_") and callable(v)]
    assert tests
    for test in tests:
        settings(max_examples=5, database=None)(test)()
