"""Schema sources: external schemas read from SDL or introspection JSON, and every refusal."""

from __future__ import annotations

import contextlib
import copy
import functools
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO
from graphql import build_schema, introspection_from_schema, print_schema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kraken_spec.external import read
from kraken_spec.external.read import (
    SchemaSourceError,
    is_introspection_result,
    read_schema,
    schema_from_introspection,
    schema_from_text,
)

API_SDL = REPO / "build" / "schema" / "api.graphql"
OCTOPUS = REPO / "spec" / "source" / "octopus-energy-it.introspection.json"

# A small schema with every kind of named type, directives, defaults and deprecations: the
# seed that the property below damages in every place.
SMALL_SDL = '''
"""A small schema."""
schema { query: Query mutation: Mutation }
directive @tag(name: String! = "x") repeatable on FIELD_DEFINITION | OBJECT
scalar Date @specifiedBy(url: "https://example.com/date")
enum Colour { RED GREEN BLUE @deprecated(reason: "gone") }
interface Node { id: ID! }
type Thing implements Node @tag { id: ID! colour: Colour when: Date }
type Other { name: String }
union Found = Thing | Other
input Filter { colour: Colour = RED, limit: Int = 10, tags: [String!] old: Int @deprecated }
type Query { node(id: ID!): Node find(filter: Filter, first: Int = 3): [Found!]! }
type Mutation { paint(id: ID!, colour: Colour!, old: Int @deprecated): Thing @tag(name: "y") }
'''


@functools.cache
def _api_printed() -> str:
    return print_schema(build_schema(API_SDL.read_text(encoding="utf-8")))


@functools.cache
def _api_introspection_json(shape: str) -> str:
    introspection = introspection_from_schema(build_schema(API_SDL.read_text(encoding="utf-8")))
    document = {
        "data": {"data": introspection},
        "bare": introspection,
        "response": {"data": introspection, "extensions": {"cost": 1}},
    }[shape]
    return json.dumps(document, indent=2)


def _write(tmp_path: Path, content: str | bytes, name: str = "schema.txt") -> str:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return str(path)


@contextlib.contextmanager
def _default_recursion_limit() -> Iterator[None]:
    """Python's default recursion limit, whatever other tests (or Hypothesis, which raises
    it while it runs) left: the nesting tests must exceed it, and a limit raised far enough
    would let the C JSON decoder overflow the C stack instead."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


def _failure(tmp_path: Path, content: str | bytes) -> SchemaSourceError:
    path = _write(tmp_path, content)
    with pytest.raises(SchemaSourceError) as caught, _default_recursion_limit():
        read_schema(path)
    assert caught.value.path == path
    return caught.value


# --- what is read ----------------------------------------------------------------------------


def test_reads_the_sdl_of_the_api() -> None:
    schema = read_schema(str(API_SDL))
    assert print_schema(schema) == _api_printed()
    assert schema.mutation_type is not None
    assert "obtainKrakenToken" in schema.mutation_type.fields


@pytest.mark.parametrize("shape", ["data", "bare", "response"])
def test_reads_an_introspection_result_with_or_without_its_wrapper(tmp_path: Path,
                                                                   shape: str) -> None:
    path = _write(tmp_path, _api_introspection_json(shape), "api.json")
    assert print_schema(read_schema(path)) == _api_printed()


def test_reads_the_octopus_energy_italy_introspection() -> None:
    schema = read_schema(str(OCTOPUS))
    assert schema.mutation_type is not None
    assert len(schema.mutation_type.fields) == 278
    assert "obtainKrakenToken" in schema.mutation_type.fields
    assert schema.query_type is not None and schema.query_type.name == "Query"


def test_the_content_decides_not_the_extension(tmp_path: Path) -> None:
    sdl = _write(tmp_path, "\ufeff\n  type Query { a: Int }\n", "looks.json")
    assert print_schema(read_schema(sdl)) == "type Query {\n  a: Int\n}"
    introspection = introspection_from_schema(build_schema("type Query { a: Int }"))
    # A byte-order mark and JSON's own whitespace before the "{".
    data = b"\xef\xbb\xbf \t\r\n" + json.dumps({"data": introspection}).encode()
    schema = read_schema(_write(tmp_path, data, "looks.graphql"))
    assert print_schema(schema) == "type Query {\n  a: Int\n}"


def test_schema_from_text_reads_text_in_memory() -> None:
    schema = schema_from_text("type Query { a: Int }", "<memory>")
    assert schema.query_type is not None and list(schema.query_type.fields) == ["a"]
    with pytest.raises(SchemaSourceError) as caught:
        schema_from_text("type Query {", "<memory>")
    assert str(caught.value) == "<memory>:1:13: Syntax Error: Expected Name, found <EOF>."


# --- every refusal, with its place -----------------------------------------------------------

_UNKNOWN_TYPE = json.dumps({"__schema": {
    "queryType": {"name": "Query"},
    "types": [{"kind": "OBJECT", "name": "Query", "interfaces": [], "fields": [
        {"name": "a", "args": [], "type": {"kind": "SCALAR", "name": "Nope"}}]}]}})
_NO_FIELDS = json.dumps({"__schema": {
    "queryType": {"name": "Query"},
    "types": [{"kind": "OBJECT", "name": "Query", "interfaces": [], "fields": []}]}})
_FIVE_ERRORS = json.dumps({"data": None, "errors": [{"message": f"m{i}"} for i in range(5)]})

FAILURES: list[tuple[str, str | bytes, int, int, str]] = [
    ("empty", "", 0, 0,
     "an empty file: expected GraphQL SDL or an introspection result in JSON"),
    ("blank", " \n\t\n", 0, 0,
     "an empty file: expected GraphQL SDL or an introspection result in JSON"),
    ("binary", b"\x00\xff\xfe junk", 1, 2,
     "not UTF-8 text: the byte 0xFF starts no UTF-8 character"),
    ("bad UTF-8 late", b"type Query {\n  a: Int\n}\n\xc3(", 4, 1,
     "not UTF-8 text: the byte 0xC3 starts no UTF-8 character"),
    ("JSON syntax", '{\n  "data":\n}', 3, 1, "not valid JSON: Expecting value"),
    ("JSON extra data", '{"__schema": {}} {}', 1, 18, "not valid JSON: Extra data"),
    ("JSON nested too deeply", '{"a": ' + "[" * 100_000, 0, 0,
     "not valid JSON: nested too deeply"),
    ("no __schema", '{"a": 1}', 0, 0, "not an introspection result: no __schema"),
    ("data without __schema", '{"data": {"a": 1}}', 0, 0,
     "not an introspection result: no __schema"),
    ("__schema not an object", '{"data": {"__schema": []}}', 0, 0,
     "not an introspection result: __schema is [], not an object"),
    ("errors, data null", '{"data": null, "errors": [{"message": "denied"}]}', 0, 0,
     "an introspection result with errors: denied"),
    ("errors, no data", '{"errors": [{"message": "bad\\nquery"}, "odd"]}', 0, 0,
     "an introspection result with errors: bad\\x0aquery; 'odd'"),
    ("many errors", _FIVE_ERRORS, 0, 0,
     "an introspection result with errors: m0; m1; m2 (and 2 more)"),
    ("incomplete introspection", '{"__schema": {}}', 0, 0,
     "not a valid introspection result: missing 'types'"),
    ("unknown type", _UNKNOWN_TYPE, 0, 0,
     "not a valid introspection result: Query fields cannot be resolved. Invalid or "
     "incomplete schema, unknown type: Nope. Ensure that a full introspection query is "
     "used in order to build a client schema."),
    ("wrong JSON type", '{"__schema": {"types": "no"}}', 0, 0,
     "not a valid introspection result: string indices must be integers, not 'str'"),
    ("invalid introspected schema", _NO_FIELDS, 0, 0,
     "an invalid schema: Type Query must define one or more fields."),
    ("SDL syntax", "type Query {\n  a: Int\n", 3, 1, "Syntax Error: Expected Name, found <EOF>."),
    ("SDL junk", "\x00", 1, 1, "Syntax Error: Unexpected character: U+0000."),
    ("SDL unknown type", "type Query { a: Foo }", 1, 17, "an invalid schema: Unknown type 'Foo'."),
    ("SDL duplicate type", "type Query { a: Int }\ntype Query { b: Int }", 1, 6,
     "an invalid schema: There can be only one type named 'Query'."),
    ("SDL many problems", "type Query { a: A b: B c: C d: D e: E }", 1, 17,
     "an invalid schema: Unknown type 'A'.; Unknown type 'B'.; Unknown type 'C'. "
     "(and 2 more)"),
    ("SDL without a query type", "scalar X", 0, 0,
     "an invalid schema: Query root type must be provided."),
    ("SDL wrong root", "schema { query: Q }\nscalar Q", 1, 17,
     "an invalid schema: Query root type must be Object type, it cannot be Q."),
]


def test_sdl_nested_too_deeply_is_one_located_error(tmp_path: Path) -> None:
    """graphql-core 3.2.14 stops such a document itself, at the token where it gave up;
    earlier 3.2 releases recursed until Python's limit, which the reader reports whole."""
    found = _failure(tmp_path, "type Query { a: " + "[" * 5000 + "Int" + "]" * 5000 + " }")
    assert (found.line, found.column, found.message) in (
        (1, 218, "Syntax Error: Document is nested too deeply. Parsing aborted."),
        (0, 0, "GraphQL SDL nested too deeply"))


@pytest.mark.parametrize(("content", "line", "column", "message"),
                         [f[1:] for f in FAILURES], ids=[f[0] for f in FAILURES])
def test_each_failure_is_located_and_named(tmp_path: Path, content: str | bytes, line: int,
                                           column: int, message: str) -> None:
    found = _failure(tmp_path, content)
    assert (found.line, found.column, found.message) == (line, column, message)
    where = found.path if line == 0 else f"{found.path}:{line}:{column}"
    assert str(found) == f"{where}: {message}"
    assert found.diagnostic.rule == "schema-source"
    assert not found.unreadable


def test_an_integer_past_pythons_digit_limit_is_invalid_json(tmp_path: Path) -> None:
    found = _failure(tmp_path, '{"a": ' + "1" * 5000 + "}")
    assert found.message.startswith("not valid JSON: Exceeds the limit (4300 digits)")


def test_a_type_reference_nested_past_the_recursion_limit() -> None:
    ref: dict[str, Any] = {"kind": "SCALAR", "name": "Int"}
    for _ in range(5000):
        ref = {"kind": "LIST", "ofType": ref}
    document = {"__schema": {"queryType": {"name": "Query"}, "types": [
        {"kind": "OBJECT", "name": "Query", "interfaces": [],
         "fields": [{"name": "a", "args": [], "type": ref}]}]}}
    with pytest.raises(SchemaSourceError) as caught, _default_recursion_limit():
        schema_from_introspection(document, "deep.json")
    assert str(caught.value) == ("deep.json: not a valid introspection result: Query fields "
                                 "cannot be resolved. maximum recursion depth exceeded")


def test_huge_names_are_quoted_as_excerpts(tmp_path: Path) -> None:
    name = "N" * 1_000_000
    found = _failure(tmp_path, _UNKNOWN_TYPE.replace('"Nope"', f'"{name}"'))
    assert found.message.startswith("not a valid introspection result: Query fields cannot be "
                                    "resolved. Invalid or incomplete schema, unknown type: NNN")
    assert found.message.endswith("… (1000160 characters)")
    assert len(found.message) < 400
    found = _failure(tmp_path, f"type Query {{ a: {name} }}")
    assert found.message == ("an invalid schema: Unknown type "
                             f"'{'N' * 77}…' (1000000 characters).")
    found = _failure(tmp_path, json.dumps({"errors": [{"message": "E" * 10_000}]}))
    assert len(found.message) < 400


@pytest.mark.parametrize(("make", "reason"), [
    (lambda p: None, "file not found"),
    (lambda p: p.mkdir(), "not a regular file (a directory); only regular files are read"),
    (lambda p: os.mkfifo(p), "not a regular file (a FIFO); only regular files are read"),
])
def test_unreadable_files(tmp_path: Path, make: Any, reason: str) -> None:
    path = tmp_path / "schema.graphql"
    make(path)
    with pytest.raises(SchemaSourceError) as caught:
        read_schema(str(path))
    assert str(caught.value) == f"{path}: {reason}"
    assert caught.value.unreadable


def test_a_file_over_the_limit_is_not_read(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "MAX_SCHEMA_BYTES", 1024 * 1024)
    path = _write(tmp_path, "#" * (1024 * 1024 + 1))
    with pytest.raises(SchemaSourceError) as caught:
        read_schema(path)
    assert caught.value.message == ("the file is larger than the limit of 1 MB (over 1048576 "
                                    "bytes); it is not read")
    assert caught.value.unreadable


# --- which files an introspect --out may replace ---------------------------------------------


@pytest.mark.parametrize(("data", "expected"), [
    (b'{"data": {"__schema": {}}}', True),
    (b'\xef\xbb\xbf\n{"__schema": {"types": []}}', True),
    (b'{"data": {"__schema": {}}, "errors": [{"message": "partial"}]}', True),
    (b"type Query { a: Int }", False),
    (b"", False),
    (b"\xff\xfe", False),
    (b'{"data": {"a": 1}}', False),
    (b'{"data": null, "errors": [{"message": "denied"}]}', False),
    (b'{"__schema": 1}', False),
    (b'{"a": ' + b"[" * 100_000, False),
    (b'["__schema"]', False),
])
def test_is_introspection_result(data: bytes, expected: bool) -> None:
    with _default_recursion_limit():
        assert is_introspection_result(data) is expected


def test_the_octopus_file_is_an_introspection_result() -> None:
    assert is_introspection_result(OCTOPUS.read_bytes())


# --- properties: hostile input raises SchemaSourceError and nothing else ----------------------

PROPERTY = settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Pieces of SDL, so that random text reaches the validator and the builder, not only the lexer.
_SDL_TOKENS = ["type", "Query", "Mutation", "schema", "query:", "{", "}", "(", ")", "[", "]",
               "!", ":", "=", "|", "&", "@", "a", "b:", "Int", "String", "ID", "enum",
               "input", "union", "interface", "implements", "scalar", "extend", "directive",
               "on", "FIELD", "repeatable", '"""doc"""', '"s"', "1", "1.5", "true", "null",
               "$x", "...", "\n", "#", "\x00", "\ufeff", "\u00e9"]
sdl_like = st.lists(st.sampled_from(_SDL_TOKENS), max_size=40).map(" ".join)


@PROPERTY
@given(content=st.one_of(st.binary(max_size=400), st.text(max_size=400),
                         sdl_like.map(str.encode)))
def test_any_file_raises_only_schema_source_errors(tmp_path: Path,
                                                   content: str | bytes) -> None:
    path = _write(tmp_path, content)
    assert is_introspection_result(Path(path).read_bytes()) in (True, False)
    try:
        read_schema(path)
    except SchemaSourceError as exc:
        assert exc.path == path and exc.message
        assert exc.line >= 0 and exc.column >= 0


@PROPERTY
@given(text=st.one_of(st.text(), sdl_like, sdl_like.map(lambda s: "{" + s)))
def test_any_text_raises_only_schema_source_errors(text: str) -> None:
    try:
        schema_from_text(text, "<text>")
    except SchemaSourceError as exc:
        assert exc.message


_SEED = json.loads(json.dumps(introspection_from_schema(build_schema(SMALL_SDL))))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
    | st.sampled_from(["OBJECT", "SCALAR", "LIST", "NON_NULL", "ENUM", "INPUT_OBJECT",
                       "UNION", "INTERFACE", "Query", "Thing", "Colour", "Int", "RED", "FIELD"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["kind", "name", "ofType", "fields", "type", "args", "types"]),
        inner, max_size=3),
    max_leaves=8)


def _places(value: Any, trail: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``value`` (dictionary keys and list indexes)."""
    found = [trail]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _places(item, (*trail, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _places(item, (*trail, index))
    return found


_SEED_PLACES = _places(_SEED)[1:]


def test_the_seed_itself_builds() -> None:
    schema = schema_from_introspection(_SEED, "seed")
    assert print_schema(schema) == print_schema(build_schema(SMALL_SDL))


@PROPERTY
@given(damage=st.lists(st.tuples(st.sampled_from(_SEED_PLACES),
                                 st.one_of(json_values, st.just("<delete>"))),
                       min_size=1, max_size=3))
def test_a_damaged_introspection_result_raises_only_schema_source_errors(
        damage: list[tuple[tuple[Any, ...], Any]]) -> None:
    document = copy.deepcopy(_SEED)
    for place, value in damage:
        holder: Any = document
        try:
            for step in place[:-1]:
                holder = holder[step]
            if value == "<delete>":
                del holder[place[-1]]
            else:
                holder[place[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed this place
    try:
        schema_from_introspection(document, "damaged.json")
    except SchemaSourceError as exc:
        assert exc.message and len(exc.message) < 1000
