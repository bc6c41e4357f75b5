"""Safe YAML reading with source positions, and deterministic YAML writing."""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kraken_spec.diagnostics import Diagnostic

try:  # libyaml is an optional accelerator of PyYAML; both give the same nodes and marks.
    from yaml import CSafeDumper as _BaseDumper
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

JsonPath = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
# Tags with a JSON meaning (plus timestamp, so a bare date gets a precise "quote it" error).
_SCALAR_TAGS = frozenset(_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp"))


@dataclass
class Located:
    """A YAML document as plain data, with the position and source text of each node."""

    path: str
    data: Any
    # JSON path -> (line, column), both 1-based, of the node holding the value.
    marks: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)
    # JSON path of a mapping entry -> position of its key.
    key_marks: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)
    # JSON path -> the scalar as written, to explain YAML 1.1 surprises such as `no`.
    raw: dict[JsonPath, str] = field(default_factory=dict)
    # The source lines, to place positions inside block scalars.
    lines: list[str] = field(default_factory=list)

    def mark(self, json_path: JsonPath) -> tuple[int, int]:
        """The position of the value at ``json_path``, or of its nearest located parent."""
        current = tuple(json_path)
        while current not in self.marks and current:
            current = current[:-1]
        return self.marks.get(current, (1, 1))


def load_located(text: str, path: str) -> tuple[Located | None, list[Diagnostic]]:
    """Read one YAML document safely; on failure return the located diagnostics instead."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        detail = f" ({exc.context})" if exc.context else ""
        # The problem is often noticed lines after its cause (an unclosed '[' is found out
        # at the next key): name where the construct being read started.
        start = exc.context_mark
        if exc.context and start is not None and (start.line + 1, start.column + 1) != (
                line, column):
            detail = (f" ({exc.context} started at line {start.line + 1}, "
                      f"column {start.column + 1})")
        return None, [Diagnostic(path, line, column, f"YAML syntax error: {problem}{detail}")]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(path, 1, 1, f"YAML error: {exc}")]
    if node is None:
        return None, [Diagnostic(path, 1, 1, "the file is empty")]
    located = Located(path, None, lines=text.split("\n"))
    problems: list[Diagnostic] = []
    located.data = _convert(node, (), located, problems, set())
    if any(p.message == _ALIAS_MESSAGE for p in problems):
        # The composed nodes cannot tell an alias from the node it names: place each
        # alias from the event stream instead (only on this rare path).
        problems = [p for p in problems if p.message != _ALIAS_MESSAGE]
        problems.extend(_alias_problems(text, path))
    return (None if problems else located), problems


_ALIAS_MESSAGE = "anchors and aliases are not allowed in spec files"


def _alias_problems(text: str, path: str) -> list[Diagnostic]:
    """A diagnostic at each alias, naming the line of its anchor."""
    anchors: dict[str, int] = {}
    problems: list[Diagnostic] = []
    for event in yaml.parse(text, Loader=_Loader):
        if not isinstance(event, yaml.NodeEvent) or event.anchor is None:
            continue
        mark = event.start_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        if isinstance(event, yaml.AliasEvent):
            anchor_line = anchors.get(event.anchor)
            where = f" (anchor at line {anchor_line})" if anchor_line else ""
            problems.append(Diagnostic(path, line, column,
                                       f"alias '*{event.anchor}'{where}: {_ALIAS_MESSAGE}"))
        else:
            anchors[event.anchor] = line
    return problems


def _pos(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _convert(node: Node, path: JsonPath, out: Located, problems: list[Diagnostic],
             seen: set[int]) -> Any:
    """Turn a composed node into plain data, refusing what spec files have no use for."""
    line, column = _pos(node)
    out.marks[path] = (line, column)
    # PyYAML resolves an alias to the very node it names: a repeat is an alias, and refusing
    # it here also stops "billion laughs" documents before they expand.
    if id(node) in seen:
        problems.append(Diagnostic(out.path, line, column, _ALIAS_MESSAGE))
        return None
    seen.add(id(node))
    if isinstance(node, MappingNode):
        if node.tag != _TAG + "map":
            return _bad_tag(node, out, problems)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            kline, kcol = _pos(key_node)
            # A plain '<<' is tagged as a merge key, not a string (a quoted '<<' is an
            # ordinary key): name it for what it is.
            if key_node.tag == _TAG + "merge":
                problems.append(Diagnostic(out.path, kline, kcol,
                                           "merge keys ('<<') are not allowed in spec files"))
                continue
            if not isinstance(key_node, ScalarNode) or key_node.tag != _TAG + "str":
                problems.append(Diagnostic(out.path, kline, kcol,
                                           "mapping keys must be plain strings"))
                continue
            key = key_node.value
            if key in result:
                first = out.key_marks[(*path, key)]
                problems.append(Diagnostic(out.path, kline, kcol,
                                           f"duplicate key {key!r} (first at line {first[0]})"))
                continue
            out.key_marks[(*path, key)] = (kline, kcol)
            result[key] = _convert(value_node, (*path, key), out, problems, seen)
        return result
    if isinstance(node, SequenceNode):
        if node.tag != _TAG + "seq":
            return _bad_tag(node, out, problems)
        return [_convert(item, (*path, i), out, problems, seen)
                for i, item in enumerate(node.value)]
    assert isinstance(node, ScalarNode)
    if node.tag not in _SCALAR_TAGS:
        return _bad_tag(node, out, problems)
    out.raw[path] = node.value
    try:
        # Call the tag's constructor directly: construct_object() caches by node, and a
        # cache keyed by short-lived nodes could hand back another file's value.
        return SafeConstructor.yaml_constructors[node.tag](_SCALARS, node)
    except (ConstructorError, ValueError) as exc:
        problems.append(Diagnostic(out.path, line, column, f"unreadable scalar: {exc}"))
        return None


def _bad_tag(node: Node, out: Located, problems: list[Diagnostic]) -> None:
    line, column = _pos(node)
    tag = node.tag.replace(_TAG, "!!")
    problems.append(Diagnostic(out.path, line, column,
                               f"the tag {tag!r} is not allowed in spec files (only plain "
                               "strings, numbers, booleans, null, lists and mappings)"))


_SCALARS = SafeConstructor()


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


class _SpecDumper(_BaseDumper):
    """Block style, insertion order, literal blocks for multi-line text."""


def _represent_str(dumper: _SpecDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar(_TAG + "str", value, style=style)


_SpecDumper.add_representer(str, _represent_str)


def dump_yaml(data: Any, schema_ref: str | None = None) -> str:
    """Serialize plain data as a spec file, optionally pointing editors at its JSON Schema."""
    body = yaml.dump(data, Dumper=_SpecDumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=2**31 - 1, indent=2)
    header = f"# yaml-language-server: $schema={schema_ref}\n" if schema_ref else ""
    return header + body


def iter_yaml_files(directory: str) -> Iterator[str]:
    """Spec files below ``directory`` in a stable order (sorted relative paths)."""
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(directory):
        dirnames.sort()
        found.extend(os.path.join(dirpath, n) for n in filenames if n.endswith(".yaml"))
    yield from sorted(found)
