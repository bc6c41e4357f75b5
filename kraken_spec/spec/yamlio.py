"""Safe YAML reading with source positions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.reader import ReaderError

from kraken_spec.diagnostics import Diagnostic, excerpt

try:  # libyaml is an optional accelerator of PyYAML; both give the same events and marks.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
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


class DeferredLocated(Located):
    """A document whose positions are found only when something first asks for one, by
    reading its text again with positions.

    A file that reads cleanly seldom needs a position: keeping its text instead of a
    position per node keeps a large catalogue's memory small. Machine-written JSON files,
    read by the JSON parser, are deferred the same way: JSON is YAML.
    """

    def __init__(self, path: str, data: Any, text: str) -> None:
        # The position fields are left unset: __getattr__ fills them on first use.
        self.path = path
        self.data = data
        self._text = text

    def __getattr__(self, name: str) -> Any:
        if name not in ("marks", "key_marks", "raw", "lines"):
            raise AttributeError(name)
        located, _ = _load(self._text, self.path, positions=True)
        self.marks = located.marks if located else {}
        self.key_marks = located.key_marks if located else {}
        self.raw = located.raw if located else {}
        self.lines = self._text.split("\n")
        return getattr(self, name)


# The real spec files nest about six levels: far deeper nesting is a mistake or an attack,
# and refusing it at once keeps the reader's stack, and its work, small.
MAX_DEPTH = 64

_STR = _TAG + "str"
_MAP = _TAG + "map"
_SEQ = _TAG + "seq"
_MERGE = _TAG + "merge"
_ALIAS_MESSAGE = "anchors and aliases are not allowed in spec files"
_DEPTH_MESSAGE = f"nesting deeper than {MAX_DEPTH} levels; spec files nest a few levels at most"
# A YAML error's problem or context is library text, but it may quote the input.
_PROBLEM_LIMIT = 200
# What SafeConstructor's scalar constructors raise on text their tag cannot read:
# `!!bool maybe` (KeyError), `!!timestamp x` (AttributeError), `!!int ''` (IndexError).
_UNREADABLE = (ConstructorError, ValueError, LookupError, AttributeError, TypeError,
               OverflowError)


def _clip(text: str, limit: int, size: int | None = None) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) if size is None else size} characters)"


def load_located(text: str, path: str) -> tuple[Located | None, list[Diagnostic]]:
    """Read one YAML document safely; on failure return the located diagnostics instead.

    The document's positions are found when first asked for (``DeferredLocated``): the
    read that checks the file records none, which makes it faster and far smaller.
    """
    try:
        located, problems = _load(text, path, positions=False)
    except _NeedPositions:
        # A duplicate key's diagnostic names the line of the first occurrence.
        return _load(text, path, positions=True)
    if located is None:
        return None, problems
    return DeferredLocated(path, located.data, text), []


class _NeedPositions(Exception):
    """Raised by a read without positions that found a problem whose wording needs them."""


def _load(text: str, path: str, *, positions: bool) -> tuple[Located | None, list[Diagnostic]]:
    loader: Any = None
    try:
        try:
            loader = _Loader(text)
        except UnicodeEncodeError as exc:
            # libyaml is handed UTF-8, which cannot hold a lone surrogate; PyYAML's own
            # reader refuses one with this error.
            raise ReaderError("<unicode string>", exc.start, ord(text[exc.start]), "unicode",
                              "special characters are not allowed") from None
        return _read(loader, text, path, positions)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_error(path, exc, text)]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(path, 1, 1, f"YAML error: {_clip(str(exc), _PROBLEM_LIMIT)}",
                                  rule="yaml-syntax")]
    finally:
        if loader is not None:
            loader.dispose()


def _syntax_error(path: str, exc: yaml.MarkedYAMLError, text: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, column = _place(mark, text) if mark else (1, 1)
    problem = _clip(exc.problem or "invalid YAML", _PROBLEM_LIMIT)
    context = _clip(exc.context, _PROBLEM_LIMIT) if exc.context else ""
    detail = f" ({context})" if context else ""
    # The problem is often noticed lines after its cause (an unclosed '[' is found out
    # at the next key): name where the construct being read started.
    start = exc.context_mark
    if context and start is not None and _place(start, text) != (line, column):
        start_line, start_column = _place(start, text)
        detail = f" ({context} started at line {start_line}, column {start_column})"
    return Diagnostic(path, line, column, f"YAML syntax error: {problem}{detail}",
                      rule="yaml-syntax")


# Where YAML 1.1 (so libyaml, and every position of a node) breaks lines.
_YAML_LINE_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _place(mark: yaml.Mark, text: str) -> tuple[int, int]:
    """A mark's line and column as libyaml counts them, kept inside the text: libyaml reads
    a file without a final line break as if it had one, placing its end past the last."""
    lines = _YAML_LINE_BREAKS.split(text)
    if mark.line + 1 > len(lines):
        return len(lines), len(lines[-1]) + 1
    return mark.line + 1, mark.column + 1


class _Frame:
    """An open collection: where its items go, and what its next node is."""

    __slots__ = ("index", "is_map", "items", "key", "path", "want_key")

    def __init__(self, items: Any, path: JsonPath, is_map: bool) -> None:
        self.items = items  # the dict or list being filled; None inside a refused node
        self.path = path
        self.is_map = is_map
        self.index = 0  # in a sequence, the next item's index
        self.want_key = True  # in a mapping, whether the next node is a key or a value
        self.key: str | None = None  # the key awaiting its value; None if it was refused


# Nothing inside a refused node (bad tag, non-string key, value of a refused key) is kept,
# so one frame serves them all; it is never changed.
_SKIPPED = _Frame(None, (), False)


def _read(loader: Any, text: str, path: str,
          positions: bool) -> tuple[Located | None, list[Diagnostic]]:
    """Build the plain data from the parser's events, with a stack instead of recursion.

    PyYAML's composers recurse once per level (libyaml's in C, crashing the process near
    100 000 levels), and so did the conversion of composed nodes; events arrive flat.
    Without ``positions`` no node's path or position is kept; a duplicate key, whose
    diagnostic names the first occurrence, then raises ``_NeedPositions``.
    """
    # Locals: this loop runs once per YAML event, 240 files per run.
    get_event = loader.get_event
    resolve = loader.resolve
    constructors = SafeConstructor.yaml_constructors
    scalar_tags = _SCALAR_TAGS
    scalar_event, alias_event = ScalarEvent, AliasEvent
    mapping_start, sequence_start = MappingStartEvent, SequenceStartEvent
    mapping_end, sequence_end = MappingEndEvent, SequenceEndEvent
    located = Located(path, None)
    marks, key_marks, raw = located.marks, located.key_marks, located.raw
    problems: list[Diagnostic] = []
    # Every alias, listed after the other problems. An alias inside a node refused already
    # (as in '<<: *base') adds nothing to that node's diagnostic, unless an alias is found
    # where data is kept: then the file's aliases must go, all of them are listed.
    alias_problems: list[Diagnostic] = []
    aliases_kept = False
    anchors: dict[str, Any] = {}  # anchor -> the start mark of its node
    stack: list[_Frame] = []
    root: Any = None
    root_mark: Any = None
    get_event()  # STREAM-START
    while True:
        event: Any = get_event()
        cls = event.__class__
        if cls is scalar_event:
            is_collection = False
        elif cls is mapping_start or cls is sequence_start:
            if len(stack) >= MAX_DEPTH:
                # Stop here: the rest of a file this deep is not worth parsing.
                mark = event.start_mark
                return None, [Diagnostic(path, mark.line + 1, mark.column + 1, _DEPTH_MESSAGE,
                                         rule="yaml-depth")]
            is_collection = True
        elif cls is mapping_end or cls is sequence_end:
            stack.pop()
            continue
        elif cls is alias_event:
            alias_problems.append(_alias_problem(path, event, anchors))
            frame = stack[-1] if stack else _SKIPPED
            if frame.items is None:  # inside a refused node
                continue
            if not frame.is_map:
                frame.index += 1
            elif frame.want_key:
                frame.want_key = False
                frame.key = None  # an alias key is refused, and so its value is skipped
            else:
                frame.want_key = True
                if frame.key is None:  # the value of a refused key, such as '<<: *base'
                    continue
            aliases_kept = True
            continue
        elif cls is DocumentStartEvent:
            if root_mark is not None:
                raise ComposerError("expected a single document in the stream", root_mark,
                                    "but found another document", event.start_mark)
            continue
        elif cls is StreamEndEvent:
            break
        else:  # DOCUMENT-END
            continue

        mark = event.start_mark
        pos = (mark.line + 1, mark.column + 1)
        anchor = event.anchor
        if anchor is not None:
            # An anchor alone is harmless; refusing its aliases is enough.
            first = anchors.get(anchor)
            if first is not None:
                raise ComposerError(f"found duplicate anchor {excerpt(anchor)}; first occurrence",
                                    first, "second occurrence", mark)
            anchors[anchor] = mark

        # Where the node goes: the root, the next item of a sequence, or a mapping's key or
        # value.
        parent: _Frame | None = None
        if stack:
            parent = stack[-1]
            items = parent.items
            if items is None:
                if is_collection:
                    stack.append(_SKIPPED)
                continue
            if parent.is_map:
                if parent.want_key:
                    parent.want_key = False
                    parent.key = None
                    if is_collection:
                        problems.append(Diagnostic(path, pos[0], pos[1],
                                                   "mapping keys must be plain strings",
                                                   rule="yaml-key"))
                        stack.append(_SKIPPED)
                        continue
                    tag = event.tag
                    if tag is None or tag == "!":
                        tag = resolve(ScalarNode, event.value, event.implicit)
                    if tag == _STR:
                        key = event.value
                        key_path = (*parent.path, key) if positions else ()
                        if key in items:
                            if not positions:
                                raise _NeedPositions
                            first_line = key_marks[key_path][0]
                            problems.append(Diagnostic(
                                path, pos[0], pos[1],
                                f"duplicate key {excerpt(key)} (first at line {first_line})",
                                rule="duplicate-key"))
                        else:
                            if positions:
                                key_marks[key_path] = pos
                            parent.key = key
                    # A plain '<<' is tagged as a merge key, not a string (a quoted '<<' is
                    # an ordinary key): name it for what it is.
                    elif tag == _MERGE:
                        problems.append(Diagnostic(
                            path, pos[0], pos[1],
                            "merge keys ('<<') are not allowed in spec files", rule="yaml-key"))
                    else:
                        problems.append(Diagnostic(path, pos[0], pos[1],
                                                   "mapping keys must be plain strings",
                                                   rule="yaml-key"))
                    continue
                parent.want_key = True
                if parent.key is None:  # the value of a refused key is not read
                    if is_collection:
                        stack.append(_SKIPPED)
                    continue
                node_path: JsonPath = (*parent.path, parent.key) if positions else ()
            else:
                node_path = (*parent.path, parent.index) if positions else ()
                parent.index += 1
        else:
            root_mark = mark
            node_path = ()
        if positions:
            marks[node_path] = pos

        tag = event.tag
        if is_collection:
            if cls is mapping_start:
                if tag is None or tag == "!":
                    tag = resolve(MappingNode, None, event.implicit)
                opened = _Frame({}, node_path, True) if tag == _MAP else _SKIPPED
                expected = _MAP
            else:
                if tag is None or tag == "!":
                    tag = resolve(SequenceNode, None, event.implicit)
                opened = _Frame([], node_path, False) if tag == _SEQ else _SKIPPED
                expected = _SEQ
            if tag != expected:
                problems.append(_bad_tag(path, pos, tag))
            stack.append(opened)
            value = opened.items
        else:
            text_value = event.value
            if tag is None or tag == "!":
                tag = resolve(ScalarNode, text_value, event.implicit)
            if tag == _STR:
                # What the str constructor returns (the text), without a node to build.
                value = text_value
                if positions:
                    raw[node_path] = text_value
            elif tag in scalar_tags:
                if positions:
                    raw[node_path] = text_value
                try:
                    # Call the tag's constructor directly: construct_object() caches by
                    # node, and a cache keyed by short-lived nodes could hand back another
                    # file's value.
                    value = constructors[tag](_SCALARS, ScalarNode(
                        tag, text_value, mark, event.end_mark, event.style))
                except _UNREADABLE as exc:
                    problems.append(Diagnostic(path, pos[0], pos[1],
                                               _unreadable(text_value, tag, exc),
                                               rule="yaml-scalar"))
                    value = None
            else:
                problems.append(_bad_tag(path, pos, tag))
                value = None
        if parent is None:
            root = value
        elif parent.is_map:
            parent.items[parent.key] = value
        else:
            parent.items.append(value)

    if aliases_kept:
        problems += alias_problems
    if problems:
        return None, problems
    if root_mark is None:
        return None, [Diagnostic(path, 1, 1, "the file is empty", rule="empty-file")]
    located.data = root
    if positions:
        located.lines = text.split("\n")
    return located, []


def _alias_problem(path: str, event: Any, anchors: dict[str, Any]) -> Diagnostic:
    """A diagnostic at an alias, naming the line of its anchor."""
    mark = event.start_mark
    anchor = event.anchor
    first = anchors.get(anchor)
    if first is None:
        raise ComposerError(None, None, f"found undefined alias {excerpt(anchor)}", mark)
    return Diagnostic(path, mark.line + 1, mark.column + 1,
                      f"alias {excerpt('*' + anchor)} (anchor at line {first.line + 1}): "
                      f"{_ALIAS_MESSAGE}", rule="yaml-alias")


def _bad_tag(path: str, pos: tuple[int, int], tag: str) -> Diagnostic:
    return Diagnostic(path, pos[0], pos[1],
                      f"the tag {excerpt(tag.replace(_TAG, '!!'))} is not allowed in spec files "
                      "(only plain strings, numbers, booleans, null, lists and mappings)",
                      rule="yaml-tag")


def _unreadable(value: str, tag: str, exc: Exception) -> str:
    """Name the value (an excerpt) and why its tag cannot read it, briefly."""
    # A ValueError says why (a month of 13, an integer of 5000 digits); what follows a ';'
    # is advice to programmers (sys.set_int_max_str_digits()).
    reason = str(exc).partition("\n")[0].partition("; ")[0] if isinstance(exc, ValueError) else ""
    # int() and float() repeat the value in their messages: it is shown once already.
    if not reason or repr(value)[:40] in reason:
        reason = f"not a valid {tag.replace(_TAG, '!!')}"
    return f"unreadable scalar {excerpt(value)}: {_clip(reason, 150)}"


_SCALARS = SafeConstructor()
