"""Safe YAML reading with positions, and the deterministic writer."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kraken_spec.yamlio import Located, dump_yaml, load_located


def _load(text: str) -> Located:
    doc, problems = load_located(text, "f.yaml")
    assert problems == []
    assert doc is not None
    return doc


def _problems(text: str) -> list[str]:
    doc, problems = load_located(text, "f.yaml")
    assert doc is None
    return [str(p) for p in problems]


# --- what is refused --------------------------------------------------------------------------


def test_duplicate_keys() -> None:
    assert _problems("a: 1\nb:\n  c: 2\n  c: 3\na: 4\n") == [
        "f.yaml:4:3: duplicate key 'c' (first at line 3)",
        "f.yaml:5:1: duplicate key 'a' (first at line 1)",
    ]


def test_keys_must_be_plain_strings() -> None:
    assert _problems("1: a\n") == ["f.yaml:1:1: mapping keys must be plain strings"]
    assert _problems("? [a]\n: b\n") == ["f.yaml:1:3: mapping keys must be plain strings"]
    # Quoted, the same text is an ordinary key.
    assert _load("'1': a\n'<<': b\n").data == {"1": "a", "<<": "b"}


def test_merge_keys() -> None:
    assert _problems("base: {x: 1}\nmore:\n  <<: {x: 1}\n") == [
        "f.yaml:3:3: merge keys ('<<') are not allowed in spec files",
    ]


@pytest.mark.parametrize(("text", "tag", "column"), [
    ('a: !!python/object/apply:os.system ["echo hi"]\n', "!!python/object/apply:os.system", 4),
    ("a: !!python/name:os.system ''\n", "!!python/name:os.system", 4),
    ("a: !!binary aGk=\n", "!!binary", 4),
    ("a: !!set {x}\n", "!!set", 4),
    ("a: !!omap [x: 1]\n", "!!omap", 4),
    ("a: !local x\n", "!local", 4),
    ("- !!float 1\n", "!!float", None),
    ("!!python/tuple [1, 2]\n", "!!python/tuple", 1),
])
def test_tags(text: str, tag: str, column: int | None) -> None:
    if column is None:  # !!float has a JSON meaning: it is read, as a number
        assert _load(text).data == [1.0]
        return
    assert _problems(text) == [
        f"f.yaml:1:{column}: the tag {tag!r} is not allowed in spec files (only plain "
        "strings, numbers, booleans, null, lists and mappings)",
    ]


def test_explicit_string_tag_is_a_string() -> None:
    assert _load("a: !!str 1\nb: !!str no\n").data == {"a": "1", "b": "no"}


def test_aliases_are_placed_at_the_alias() -> None:
    assert _problems("a: &x hello\nb:\n  - *x\n  - *x\n") == [
        "f.yaml:3:5: alias '*x' (anchor at line 1): anchors and aliases are not allowed in "
        "spec files",
        "f.yaml:4:5: alias '*x' (anchor at line 1): anchors and aliases are not allowed in "
        "spec files",
    ]


def test_recursive_alias() -> None:
    assert _problems("a: &r [*r]\n") == [
        "f.yaml:1:8: alias '*r' (anchor at line 1): anchors and aliases are not allowed in "
        "spec files",
    ]


def test_undefined_alias() -> None:
    (problem,) = _problems("a: *nope\n")
    assert problem.startswith("f.yaml:1:4: YAML syntax error: found undefined alias")


def test_alias_bomb_is_refused_before_it_expands() -> None:
    # Expanded, this is 10**12 strings; the reader never expands it.
    levels = ["a0: &a0 lol"] + [
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 13)
    ]
    problems = _problems("\n".join(levels) + "\n")
    assert len(problems) == 120
    assert problems[0] == ("f.yaml:2:10: alias '*a0' (anchor at line 1): anchors and aliases "
                           "are not allowed in spec files")


def test_syntax_error_names_where_the_construct_started() -> None:
    assert _problems("a: [1, 2\nb: 3\n") == [
        "f.yaml:2:2: YAML syntax error: did not find expected ',' or ']' (while parsing a flow "
        "sequence started at line 1, column 4)",
    ]
    assert _problems("a: 1\n b: 2\n") == [
        "f.yaml:2:3: YAML syntax error: mapping values are not allowed in this context",
    ]


def test_one_document_per_file() -> None:
    (problem,) = _problems("a: 1\n---\nb: 2\n")
    assert problem.startswith("f.yaml:2:1: YAML syntax error: but found another document")


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_file(text: str) -> None:
    assert _problems(text) == ["f.yaml:1:1: the file is empty"]


# --- what YAML 1.1 makes of plain scalars -----------------------------------------------------


def test_yaml_1_1_readings_that_the_loader_explains() -> None:
    doc = _load("a: no\nb: on\nc: Off\nd: 12:30\ne: 017\nf: 0x1F\ng: 1_000\nh: ~\n"
                "i: 2020-01-01\nj: 1.0e+3\n")
    assert doc.data == {"a": False, "b": True, "c": False, "d": 750, "e": 15, "f": 31,
                        "g": 1000, "h": None, "i": datetime.date(2020, 1, 1), "j": 1000.0}
    # The text as written is kept, so a type error can say what YAML made of it.
    assert doc.raw[("a",)] == "no"
    assert doc.raw[("d",)] == "12:30"


def test_exponents_without_a_dot_or_sign_stay_strings() -> None:
    # YAML 1.1 (PyYAML) reads a float only with a dot and a signed exponent.
    assert _load("a: 1e3\nb: 1.5e3\nc: 0o17\n").data == {"a": "1e3", "b": "1.5e3", "c": "0o17"}


# --- positions --------------------------------------------------------------------------------


MARKED = """\
# a comment
name: x
payload:
  type: T
  nonNull: false
errors:
- KT-CT-1111
-   KT-CT-1112
flow: {k: [1, "two"]}
text: |-
  line one
  line two
"""


def test_marks() -> None:
    doc = _load(MARKED)
    assert doc.marks[()] == (2, 1)
    assert doc.marks[("name",)] == (2, 7)
    assert doc.marks[("payload",)] == (4, 3)
    assert doc.marks[("payload", "nonNull")] == (5, 12)
    assert doc.marks[("errors", 0)] == (7, 3)
    assert doc.marks[("errors", 1)] == (8, 5)
    assert doc.marks[("flow", "k", 1)] == (9, 15)
    assert doc.marks[("text",)] == (10, 7)  # a block scalar is marked at its indicator
    assert doc.key_marks[("payload", "nonNull")] == (5, 3)
    assert doc.key_marks[("text",)] == (10, 1)
    assert doc.lines[10] == "  line one"
    assert doc.data["text"] == "line one\nline two"


def test_mark_falls_back_to_the_nearest_located_parent() -> None:
    doc = _load(MARKED)
    assert doc.mark(("payload", "missing", 3)) == (4, 3)
    assert doc.mark(("absent",)) == (2, 1)


# --- the writer -------------------------------------------------------------------------------


def test_dump_layout() -> None:
    text = dump_yaml({"name": "x", "list": ["a", 1, None, True], "empty": [], "text": "a\nb",
                      "quoted": "no"}, "../schema.json")
    assert text == ("# yaml-language-server: $schema=../schema.json\n"
                    "name: x\n"
                    "list:\n- a\n- 1\n- null\n- true\n"
                    "empty: []\n"
                    "text: |-\n  a\n  b\n"
                    "quoted: 'no'\n")


def test_dump_keeps_key_order() -> None:
    assert dump_yaml({"b": 1, "a": 2}) == "b: 1\na: 2\n"


JSON_LIKE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children,
                                                                      max_size=4),
    max_leaves=12,
)


@given(data=JSON_LIKE, schema_ref=st.none() | st.just("../schemas/x.schema.json"))
def test_dump_round_trip(data: Any, schema_ref: str | None) -> None:
    text = dump_yaml(data, schema_ref)
    doc, problems = load_located(text, "f.yaml")
    assert problems == []
    assert doc is not None
    assert doc.data == data
