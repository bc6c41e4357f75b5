"""Safe YAML reading with positions, and the deterministic writer."""

from __future__ import annotations

import contextlib
import datetime
import sys
from collections.abc import Iterator
from types import FrameType
from typing import Any
from unittest import mock

import pytest
import yaml
from conftest import MINI
from hypothesis import given
from hypothesis import strategies as st
from strategies import json_like, yamlish_text

from kraken_spec.diagnostics import Diagnostic, excerpt
from kraken_spec.spec import yamlio
from kraken_spec.spec.yamlio import MAX_DEPTH, Located, load_located
from kraken_spec.spec.yamlwrite import dump_yaml

# The reader must behave the same over libyaml and over PyYAML's pure-Python parser (what
# PyYAML falls back on when it was built without libyaml).
LOADERS = [
    pytest.param(getattr(yaml, "CSafeLoader", None), id="libyaml",
                 marks=pytest.mark.skipif(not yaml.__with_libyaml__, reason="no libyaml")),
    pytest.param(yaml.SafeLoader, id="python"),
]


@pytest.fixture(params=LOADERS)
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> type[Any]:
    """Each parser in turn, as the one the reader uses."""
    monkeypatch.setattr(yamlio, "_Loader", request.param)
    return request.param  # type: ignore[no-any-return]


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


def test_duplicate_keys(loader: type[Any]) -> None:
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


def test_aliases_are_placed_at_the_alias(loader: type[Any]) -> None:
    assert _problems("a: &x hello\nb:\n  - *x\n  - *x\n") == [
        "f.yaml:3:5: alias '*x' (anchor at line 1): anchors and aliases are not allowed in "
        "spec files",
        "f.yaml:4:5: alias '*x' (anchor at line 1): anchors and aliases are not allowed in "
        "spec files",
    ]


def test_recursive_alias(loader: type[Any]) -> None:
    assert _problems("a: &r [*r]\n") == [
        "f.yaml:1:8: alias '*r' (anchor at line 1): anchors and aliases are not allowed in "
        "spec files",
    ]


def test_undefined_alias(loader: type[Any]) -> None:
    assert _problems("a: *nope\n") == [
        "f.yaml:1:4: YAML syntax error: found undefined alias 'nope'",
    ]


def test_an_anchor_alone_is_accepted(loader: type[Any]) -> None:
    assert _load("a: &x 1\nb: &y [2]\nc: &z {d: 3}\n").data == {"a": 1, "b": [2], "c": {"d": 3}}


def test_an_alias_key_is_refused(loader: type[Any]) -> None:
    # Composed, an alias key was the very string it names, and passed for a plain key.
    assert _problems("a: &k foo\n*k : 1\n") == [
        "f.yaml:2:1: alias '*k' (anchor at line 1): anchors and aliases are not allowed in "
        "spec files",
    ]


def test_an_alias_inside_a_refused_node_is_listed_only_with_other_aliases(
        loader: type[Any]) -> None:
    # The merge key is the problem: the alias it merges adds nothing to it.
    assert _problems("base: &b {x: 1}\nmore:\n  <<: *b\n") == [
        "f.yaml:3:3: merge keys ('<<') are not allowed in spec files",
    ]
    # Once the file's aliases must go, all of them are listed, after the other problems.
    assert _problems("a: &x 1\nb: *x\nc:\n  <<: *x\nd: !!set {k: *x}\n") == [
        "f.yaml:4:3: merge keys ('<<') are not allowed in spec files",
        "f.yaml:5:4: the tag '!!set' is not allowed in spec files (only plain strings, numbers, "
        "booleans, null, lists and mappings)",
        "f.yaml:2:4: alias '*x' (anchor at line 1): anchors and aliases are not allowed in "
        "spec files",
        "f.yaml:4:7: alias '*x' (anchor at line 1): anchors and aliases are not allowed in "
        "spec files",
        "f.yaml:5:14: alias '*x' (anchor at line 1): anchors and aliases are not allowed in "
        "spec files",
    ]


def test_duplicate_anchor(loader: type[Any]) -> None:
    assert _problems("a: &x 1\nb: &x 2\n") == [
        "f.yaml:2:4: YAML syntax error: second occurrence (found duplicate anchor 'x'; first "
        "occurrence started at line 1, column 4)",
    ]


def test_alias_bomb_is_refused_before_it_expands(loader: type[Any]) -> None:
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


@pytest.mark.parametrize(("text", "problem"), [
    ("a: 1\n---\nb: 2\n", "f.yaml:2:1: YAML syntax error: but found another document "
     "(expected a single document in the stream started at line 1, column 1)"),
    # An empty second document is a second document all the same.
    ("a: 1\n---\n", "f.yaml:2:1: YAML syntax error: but found another document "
     "(expected a single document in the stream started at line 1, column 1)"),
    # The second document is refused before it is read: its own problems are not listed.
    ("---\na: 1\n...\n--- !!set\n[: b\n", "f.yaml:4:1: YAML syntax error: but found another "
     "document (expected a single document in the stream started at line 2, column 1)"),
    # So are the first document's problems: the file is not a spec file at all.
    ("a: 1\na: 2\n--- x\n", "f.yaml:3:1: YAML syntax error: but found another document "
     "(expected a single document in the stream started at line 1, column 1)"),
])
def test_one_document_per_file(text: str, problem: str, loader: type[Any]) -> None:
    assert _problems(text) == [problem]


def test_document_markers_around_one_document(loader: type[Any]) -> None:
    assert _load("---\na: 1\n...\n").data == {"a": 1}
    assert _load("--- |\n  x\n").data == "x\n"
    assert _load("---\n").data is None  # an empty document is a null, not an empty file


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


def test_marks(loader: type[Any]) -> None:
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


# --- scalars a tag cannot read, and long values -----------------------------------------------


@pytest.mark.parametrize(("text", "problem"), [
    pytest.param("a: 2020-13-45\n",
                 "f.yaml:1:4: unreadable scalar '2020-13-45': month must be in 1..12", id="date"),
    pytest.param("a: !!float abc\n", "f.yaml:1:4: unreadable scalar 'abc': not a valid !!float",
                 id="float"),
    pytest.param("a: !!int 12a\n", "f.yaml:1:4: unreadable scalar '12a': not a valid !!int",
                 id="int"),
    # These three escaped SafeConstructor as KeyError, AttributeError and IndexError.
    pytest.param("a: !!bool maybe\n",
                 "f.yaml:1:4: unreadable scalar 'maybe': not a valid !!bool", id="bool"),
    pytest.param("a: !!timestamp x\n",
                 "f.yaml:1:4: unreadable scalar 'x': not a valid !!timestamp", id="timestamp"),
    pytest.param("a: !!int ''\n", "f.yaml:1:4: unreadable scalar '': not a valid !!int",
                 id="empty int"),
    pytest.param("a: " + "1" * 5000 + "\n",
                 "f.yaml:1:4: unreadable scalar '" + "1" * 77 + "…' (5000 characters): Exceeds "
                 "the limit (4300 digits) for integer string conversion: value has 5000 digits",
                 id="5000 digits"),
])
def test_unreadable_scalars(text: str, problem: str, loader: type[Any]) -> None:
    assert _problems(text) == [problem]


def test_excerpt() -> None:
    assert excerpt("abc") == "'abc'"
    assert excerpt(None) == "None"
    assert excerpt("x" * 78) == "'" + "x" * 78 + "'"  # 80 characters: shown whole
    # A cut string keeps its closing quote, so the excerpt still reads as a string.
    assert excerpt("x" * 79) == "'" + "x" * 77 + "…' (79 characters)"
    assert excerpt("x" * 5_000_000) == "'" + "x" * 77 + "…' (5000000 characters)"
    # A string is measured as written; anything else by its repr.
    assert excerpt("é\n" * 100, limit=10) == "'é\\né\\né…' (200 characters)"
    shown = repr(list(range(100)))
    assert excerpt(list(range(100)), limit=10) == f"{shown[:9]}… ({len(shown)} characters)"


def _huge(loader: type[Any]) -> int:
    # PyYAML's pure-Python scanner reads a character at a time: 5 MB would take seconds.
    return 5_000_000 if loader is not yaml.SafeLoader else 200_000


@pytest.mark.parametrize(("template", "start", "shown"), [
    pytest.param("a: !!int {x}\n", "f.yaml:1:4: unreadable scalar 'xxx", 0, id="int"),
    pytest.param("a: !!bool {x}\n", "f.yaml:1:4: unreadable scalar 'xxx", 0, id="bool"),
    pytest.param("a: !!float {x}\n", "f.yaml:1:4: unreadable scalar 'xxx", 0, id="float"),
    pytest.param("a: !{x} 1\n", "f.yaml:1:4: the tag '!xxx", 1, id="tag"),
    pytest.param("a: *{x}\n", "f.yaml:1:4: YAML syntax error: found undefined alias 'xxx", 0,
                 id="alias"),
    pytest.param("? {x}\n: 1\n? {x}\n: 2\n", "f.yaml:3:3: duplicate key 'xxx", 0,
                 id="duplicate key"),
])
def test_a_huge_value_is_echoed_as_an_excerpt(template: str, start: str, shown: int,
                                              loader: type[Any]) -> None:
    size = _huge(loader)
    (problem,) = _problems(template.format(x="x" * size))
    assert problem.startswith(start)
    # The length of what was written: the value, or the tag with its '!'.
    assert "characters)" in problem and f" ({size + shown} characters)" in problem
    assert len(problem) < 300


def test_a_huge_scalar_is_refused_in_a_short_message() -> None:
    (problem,) = _problems("a: " + "9" * 5_000_000 + "\n")
    assert problem.startswith("f.yaml:1:4: unreadable scalar '999")
    assert "(5000000 characters)" in problem
    assert len(problem) < 300


def test_a_yaml_error_quoting_the_input_is_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    # PyYAML's own parser names an undefined tag handle in full.
    monkeypatch.setattr(yamlio, "_Loader", yaml.SafeLoader)
    (problem,) = _problems("a: !" + "h" * 100_000 + "!x 1\n")
    assert problem.startswith("f.yaml:1:4: YAML syntax error: found undefined tag handle '!hhh")
    assert problem.endswith(" characters) (while parsing a node)")
    assert len(problem) < 300


def test_a_lone_surrogate_is_a_yaml_error(loader: type[Any]) -> None:
    # libyaml is handed UTF-8, which cannot encode it: refused as PyYAML's reader does.
    assert _problems("a: \ud800\n") == [
        'f.yaml:1:1: YAML error: unacceptable character #xd800: special characters are not '
        'allowed\n  in "<unicode string>", position 3',
    ]


# --- nesting ----------------------------------------------------------------------------------


def _nested(shape: str, depth: int) -> tuple[str, Any, tuple[int, int]]:
    """A document of ``depth`` nested collections, its data if it is read, and where its
    collection one level deeper than the limit starts."""
    if shape == "flow sequence":
        data: Any = []
        for _ in range(depth - 1):
            data = [data]
        return "[" * depth + "]" * depth, data, (1, 1 + MAX_DEPTH)
    if shape == "flow mapping":
        data = 1
        for _ in range(depth):
            data = {"a": data}
        return "{a: " * depth + "1" + "}" * depth, data, (1, 1 + 4 * MAX_DEPTH)
    if shape == "block sequence":  # compact: '- - - x', each level two columns in
        data = "x"
        for _ in range(depth):
            data = [data]
        return "- " * depth + "x\n", data, (1, 1 + 2 * MAX_DEPTH)
    assert shape == "block mapping"
    data = "x"
    for _ in range(depth):
        data = {"a": data}
    text = "".join(" " * i + "a:\n" for i in range(depth)) + " " * depth + "x\n"
    return text, data, (1 + MAX_DEPTH, 1 + MAX_DEPTH)


SHAPES = ["flow sequence", "flow mapping", "block sequence", "block mapping"]


@contextlib.contextmanager
def _stack_limited(frames: int) -> Iterator[None]:
    """Allow only ``frames`` more Python frames than the caller has: any recursion over the
    nesting of a document fails."""
    depth = 0
    frame: FrameType | None = sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + frames)
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


@pytest.mark.parametrize("shape", SHAPES)
def test_nesting_up_to_the_limit_is_read_without_recursion(shape: str,
                                                           loader: type[Any]) -> None:
    text, data, _ = _nested(shape, MAX_DEPTH)
    with _stack_limited(40):
        doc, problems = load_located(text, "f.yaml")
    assert problems == []
    assert doc is not None
    assert doc.data == data


@pytest.mark.parametrize(("shape", "depth"), [
    (shape, depth) for shape in SHAPES for depth in (MAX_DEPTH + 1, 500, 999, 1000, 5000, 100_000)
    # Indented block mappings 100 000 deep would take 5 GB of spaces.
    if (shape, depth) != ("block mapping", 100_000)
])
def test_deeper_nesting_is_one_diagnostic(shape: str, depth: int, loader: type[Any]) -> None:
    text, _, (line, column) = _nested(shape, depth)
    with _stack_limited(40):
        result = load_located(text, "f.yaml")
    ours = (None, [Diagnostic(
        "f.yaml", line, column,
        f"nesting deeper than {MAX_DEPTH} levels; spec files nest a few levels at most")])
    if result != ours:
        # Newer libyaml builds (PyYAML 6.0.4) refuse flow nesting past 1000 levels while
        # scanning ahead, before the parser yields the events this reader counts: also one
        # clean, located diagnostic.
        doc, problems = result
        assert doc is None and len(problems) == 1, result
        assert depth >= 1000 and "exceeded maximum nesting depth" in problems[0].message


def test_reading_stops_at_the_depth_limit(loader: type[Any],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    events = 0

    class Counting(loader):  # type: ignore[misc]
        def get_event(self) -> Any:
            nonlocal events
            events += 1
            return super().get_event()

    monkeypatch.setattr(yamlio, "_Loader", Counting)
    doc, problems = load_located("[" * 1_000_000 + "]" * 1_000_000, "f.yaml")
    assert doc is None
    assert len(problems) == 1
    # Stream start, document start, and the sequence starts up to the first too deep (newer
    # libyaml builds stop even earlier, at their own flow-depth limit while scanning ahead).
    assert events <= 2 + MAX_DEPTH + 1


# --- any text ---------------------------------------------------------------------------------


def test_spec_files_read_as_pyyaml_reads_them(loader: type[Any]) -> None:
    paths = sorted((MINI / "spec").rglob("*.yaml"))
    assert paths
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert repr(_load(text).data) == repr(yaml.load(text, Loader=loader)), path


@pytest.mark.parametrize("parser", LOADERS)
@given(text=yamlish_text)
def test_any_text_gives_data_or_located_diagnostics(parser: type[Any], text: str) -> None:
    with mock.patch.object(yamlio, "_Loader", parser):
        doc, problems = load_located(text, "f.yaml")
    if doc is None:
        assert problems
    else:
        assert problems == []
        # What is accepted is what PyYAML reads (nesting within the limit, it can).
        assert repr(doc.data) == repr(yaml.load(text, Loader=parser))
    for problem in problems:
        assert problem.path == "f.yaml"
        assert problem.line >= 1
        assert problem.column >= 1
        assert len(problem.message) < 600


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


@given(data=json_like, schema_ref=st.none() | st.just("../schemas/x.schema.json"))
def test_dump_round_trip(data: Any, schema_ref: str | None) -> None:
    text = dump_yaml(data, schema_ref)
    doc, problems = load_located(text, "f.yaml")
    assert problems == []
    assert doc is not None
    assert doc.data == data
