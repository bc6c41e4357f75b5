"""Lexical scanners of client source: where the string literals, templates and comments that
may hold GraphQL documents are, in Python and in JavaScript or TypeScript.

Python is read with :mod:`tokenize`, whose columns are exact, also for the pieces of an
implicitly concatenated literal. JavaScript has no tokenizer in the standard library: a small
scanner knows just enough of its lexical grammar to tell code from line and block comments,
quoted strings, regular expression literals and template literals (nested through ``${...}``
to any depth, without recursion), so that a backtick or the word ``gql`` inside a comment or
a string is never taken for a document. Three script forms are GraphQL documents:

* a tagged template: ``gql`...``` or ``graphql`...```, also with TypeScript type
  arguments (``gql<Data, Vars>`...```) and as the last name of a member (``Apollo.gql```);
* a call whose whole first argument is a template: ``gql(`...`)``, ``graphql(`...`, [F])``;
* a template directly after a ``/* GraphQL */`` comment (any case, white space around).

Quoted script strings end at a line break they do not escape, silently: JSX text such as
``<p>Don't</p>`` holds an apostrophe that opens no string.
"""

from __future__ import annotations

import io
import re
import sys
import tokenize
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Literal


class LineIndex:
    """Offsets of one text turned into 1-based lines and columns (LF ends a line)."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


# --- JavaScript and TypeScript ---------------------------------------------------------------


Kind = Literal["tag", "call", "comment"]

TAGS = frozenset({"gql", "graphql"})
# After these words, and after these characters, a "/" starts a regular expression literal;
# after any other word, a number, ")" or "]", it is a division.
_REGEX_AFTER_WORDS = frozenset({"return", "typeof", "instanceof", "in", "of", "new", "delete",
                                "void", "throw", "case", "do", "else", "yield", "await"})
_REGEX_AFTER = frozenset("(,=:[!&|?{};+-*%<>~^")
# How far type arguments between a tag and its template may reach.
_TYPE_ARGS_LIMIT = 2000


@dataclass(frozen=True)
class Template:
    """A GraphQL template literal whose content is ``text[start:end]`` (inside the
    backticks); ``substitution`` is the offset of its first ``${``, None when it has none."""

    kind: Kind
    start: int
    end: int
    substitution: int | None


@dataclass(frozen=True)
class ScriptScan:
    """What a script scan found: GraphQL templates, line comments (offset of ``//`` and the text
    after it) and the first lexical error (offset and message) at which the scan stopped."""

    templates: tuple[Template, ...]
    line_comments: tuple[tuple[int, str], ...]
    error: tuple[int, str] | None


@dataclass
class _Frame:
    """An open template literal: where its content starts, what kind of GraphQL candidate it
    is (None when it is none), its first substitution, and the brace depth around it."""

    start: int
    kind: Kind | None
    outer_depth: int
    substitution: int | None = field(default=None)


def _is_ident(char: str) -> bool:
    return char.isalnum() or char in "_$"


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index].isspace():
        index += 1
    return index


def scan_script(text: str) -> ScriptScan:
    """Scan ``text`` (LF line ends) for GraphQL templates; see the module's docstring."""
    n = len(text)
    templates: list[Template] = []
    comments: list[tuple[int, str]] = []
    marked: dict[int, Kind] = {}  # offset of a backtick -> the GraphQL form it opens
    frames: list[_Frame] = []  # open templates, innermost last
    in_template = False  # scanning template characters (else code: top level or ${...})
    depth = 0  # braces open in the current code
    regex_ok = True
    i = 0
    while i < n:
        char = text[i]
        if in_template:
            frame = frames[-1]
            if char == "\\":
                i += 2
                continue
            if char == "`":
                frames.pop()
                after = _skip_space(text, i + 1)
                if frame.kind is not None and (
                        frame.kind != "call" or text[after:after + 1] in (",", ")")):
                    templates.append(Template(frame.kind, frame.start, i, frame.substitution))
                in_template, depth, regex_ok = False, frame.outer_depth, False
            elif char == "$" and text.startswith("{", i + 1):
                if frame.substitution is None:
                    frame.substitution = i
                in_template, depth, regex_ok = False, 0, True
                i += 1
            i += 1
            continue
        nxt = text[i + 1:i + 2]
        if char.isspace():
            i += 1
        elif char == "/" and nxt == "/":
            end = text.find("\n", i)
            end = n if end == -1 else end
            comments.append((i, text[i + 2:end]))
            i = end
        elif char == "/" and nxt == "*":
            end = text.find("*/", i + 2)
            if end == -1:
                unclosed = (i, "unterminated block comment")
                return ScriptScan(tuple(templates), tuple(comments), unclosed)
            after = _skip_space(text, end + 2)
            if text[i + 2:end].strip().lower() == "graphql" and text.startswith("`", after):
                marked[after] = "comment"
            i = end + 2
        elif char in "'\"":
            i, regex_ok = _skip_string(text, i), False
        elif char == "`":
            frames.append(_Frame(i + 1, marked.pop(i, None), depth))
            in_template = True
            i += 1
        elif char == "/" and regex_ok and (close := _skip_regex(text, i)) is not None:
            i, regex_ok = close, False
        elif _is_ident(char):
            end = i
            while end < n and _is_ident(text[end]):
                end += 1
            word = text[i:end]
            if word in TAGS:
                _mark_after_tag(text, end, marked)
            i, regex_ok = end, word in _REGEX_AFTER_WORDS
        elif char == "}" and depth == 0 and frames:
            in_template = True  # the end of a substitution: back into its template
            i += 1
        else:
            if char == "{":
                depth += 1
            elif char == "}":
                depth = max(depth - 1, 0)
            regex_ok = char in _REGEX_AFTER
            i += 1
    error = (frames[-1].start - 1, "unterminated template literal") if frames else None
    return ScriptScan(tuple(templates), tuple(comments), error)


def _skip_string(text: str, start: int) -> int:
    """The offset after the quoted string opening at ``start``, or of the line break that
    ends it unclosed (JSX text), or the end of ``text``."""
    quote, index = text[start], start + 1
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == quote:
            return index + 1
        if char == "\n":
            return index
        index += 1
    return len(text)


def _skip_regex(text: str, start: int) -> int | None:
    """The offset after the regular expression literal opening at ``start`` (its flags
    are read as a word next), or None when no literal closes on the line (a division)."""
    in_class = False
    index = start + 1
    while index < len(text):
        char = text[index]
        if char == "\n":
            return None
        if char == "\\":
            index += 2
            continue
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "/" and not in_class:
            return index + 1
        index += 1
    return None


def _mark_after_tag(text: str, index: int, marked: dict[int, Kind]) -> None:
    """After the word ``gql`` or ``graphql``: mark the backtick of a tagged template, or of
    a call's template argument, that follows (type arguments between are passed over)."""
    index = _skip_space(text, index)
    if text.startswith("<", index):
        index = _skip_type_arguments(text, index)
        if index < 0:
            return
        index = _skip_space(text, index)
    if text.startswith("`", index):
        marked[index] = "tag"
    elif text.startswith("(", index):
        index = _skip_space(text, index + 1)
        if text.startswith("`", index):
            marked[index] = "call"


def _skip_type_arguments(text: str, start: int) -> int:
    """The offset after the balanced ``<...>`` at ``start`` (an arrow's ``=>`` does not
    close it), or -1 when it does not close before a backtick or within the limit."""
    depth = 0
    for index in range(start, min(len(text), start + _TYPE_ARGS_LIMIT)):
        char = text[index]
        if char == "<":
            depth += 1
        elif char == ">" and text[index - 1] != "=":
            depth -= 1
            if depth == 0:
                return index + 1
        elif char == "`":
            return -1
    return -1


# The escape sequences of a template literal, and what each is cooked to (as a tag function
# such as graphql-tag's receives it): a backslash before a line break joins the lines, and
# one before any other character without a meaning of its own (a backtick, a dollar, a
# backslash, a quote) stands for that character.
SCRIPT_ESCAPE = re.compile(r"\\(?:\n|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|u\{[0-9a-fA-F]+\}|.)", re.S)
_SCRIPT_SIMPLE = {"\n": "", "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "v": "\v",
                  "0": "\0"}


def cook_script(escape: str) -> str:
    """The cooked value of one escape sequence that :data:`SCRIPT_ESCAPE` matched."""
    body = escape[1:]
    if body in _SCRIPT_SIMPLE:
        return _SCRIPT_SIMPLE[body]
    if len(body) > 1:
        try:
            return chr(int(body[1:].strip("{}"), 16))
        except ValueError:
            return escape
    return body


# --- Python ----------------------------------------------------------------------------------

# Escape sequences of a non-raw Python string; an unknown or invalid one stays as written.
PYTHON_ESCAPE = re.compile(r"\\(?:\n|[0-7]{1,3}|x[0-9a-fA-F]{2}|N\{[^}\n]*\}|u[0-9a-fA-F]{4}"
                           r"|U[0-9a-fA-F]{8}|.)", re.S)
_PYTHON_SIMPLE = {"\n": "", "\\": "\\", "'": "'", '"': '"', "a": "\a", "b": "\b", "f": "\f",
                  "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def cook_python(escape: str) -> str:
    """The value of one escape sequence that :data:`PYTHON_ESCAPE` matched."""
    body = escape[1:]
    if body in _PYTHON_SIMPLE:
        return _PYTHON_SIMPLE[body]
    try:
        if body[0] in "01234567":
            return chr(int(body, 8))
        if body[0] in "xuU":
            return chr(int(body[1:], 16))
        if body[0] == "N":
            return unicodedata.lookup(body[2:-1])
    except (KeyError, ValueError):
        pass
    return escape


@dataclass(frozen=True)
class PythonString:
    """One string token: its prefix (lower case), quote, and content (between the quotes,
    as written), which starts at 1-based ``line``/``column``."""

    prefix: str
    quote: str
    content: str
    line: int
    column: int


@dataclass(frozen=True)
class PythonLiteral:
    """Adjacent string tokens, one implicitly concatenated literal; ``in_call`` when they
    are the whole first argument of a call of ``gql`` (or of ``anything.gql``)."""

    pieces: tuple[PythonString, ...]
    in_call: bool


@dataclass(frozen=True)
class PythonScan:
    """What a Python scan found: string literals, comments (line, column and the text after
    ``#``) and the first lexical error (line, column, message) at which it stopped."""

    literals: tuple[PythonLiteral, ...]
    comments: tuple[tuple[int, int, str], ...]
    error: tuple[int, int, str] | None


_STRING = re.compile("([A-Za-z]*)('''|\"\"\"|'|\")")
_UNTERMINATED = re.compile(r"[A-Za-z]{0,2}['\"]")
# Python 3.12 tokenizes with the interpreter's own tokenizer: f-strings come in pieces, and
# errors have other words and 1-based columns.
_FSTRING_START = getattr(tokenize, "FSTRING_START", -1)
_FSTRING_END = getattr(tokenize, "FSTRING_END", -1)
_ERROR_BASE = 0 if sys.version_info >= (3, 12) else 1
_MESSAGES = {"EOF in multi-line string": "unterminated triple-quoted string literal",
             "EOF in multi-line statement": "unexpected end of file: a bracket is not closed",
             "unexpected EOF in multi-line statement":
                 "unexpected end of file: a bracket is not closed"}


def _python_tokens(text: str) -> tuple[list[tokenize.TokenInfo], tuple[int, int, str] | None]:
    """The tokens of Python ``text`` up to its first lexical error, and that error."""
    tokens: list[tokenize.TokenInfo] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.ERRORTOKEN and _UNTERMINATED.match(token.string):
                return tokens, (token.start[0], token.start[1] + 1, "unterminated string literal")
            tokens.append(token)
    except tokenize.TokenError as exc:
        message, (line, column) = exc.args
        message = _MESSAGES.get(message, re.sub(r" \(detected at line \d+\)$", "", message))
        return tokens, (line, max(column + _ERROR_BASE, 1), message)
    except SyntaxError as exc:  # an IndentationError
        return tokens, (exc.lineno or 1, max((exc.offset or 0) + _ERROR_BASE, 1), exc.msg)
    return tokens, None


def _join_fstrings(tokens: list[tokenize.TokenInfo], text: str) -> list[tokenize.TokenInfo]:
    """The tokens, with each f-string that Python 3.12 splits joined into one STRING."""
    starts = LineIndex(text).starts
    joined: list[tokenize.TokenInfo] = []
    depth, first = 0, None
    for token in tokens:
        if token.type == _FSTRING_START:
            depth, first = depth + 1, first or token
        elif depth == 0:
            joined.append(token)
        elif token.type == _FSTRING_END and (depth := depth - 1) == 0 and first:
            begin = starts[first.start[0] - 1] + first.start[1]
            string = text[begin:starts[token.end[0] - 1] + token.end[1]]
            joined.append(first._replace(type=tokenize.STRING, string=string, end=token.end))
            first = None
    return joined


def _piece(token: tokenize.TokenInfo) -> PythonString:
    match = _STRING.match(token.string)
    prefix, quote = (match.group(1), match.group(2)) if match else ("", "")
    content = token.string[len(prefix) + len(quote):len(token.string) - len(quote)]
    return PythonString(prefix.lower(), quote, content, token.start[0],
                        token.start[1] + len(prefix) + len(quote) + 1)


def scan_python(text: str) -> PythonScan:
    """Scan Python ``text`` (LF line ends) for string literals and comments."""
    tokens, error = _python_tokens(text)
    comments = tuple((t.start[0], t.start[1] + 1, t.string[1:])
                     for t in tokens if t.type == tokenize.COMMENT)
    code = [t for t in _join_fstrings(tokens, text)
            if t.type not in (tokenize.NL, tokenize.COMMENT)]
    literals: list[PythonLiteral] = []
    start = 0
    while start < len(code):
        end = start
        while end < len(code) and code[end].type == tokenize.STRING:
            end += 1
        if end == start:
            start += 1
            continue
        in_call = (start >= 2 and code[start - 1].string == "("
                   and code[start - 2].string == "gql" and end < len(code)
                   and code[end].string in (",", ")"))
        literals.append(PythonLiteral(tuple(map(_piece, code[start:end])), in_call))
        start = end
    return PythonScan(tuple(literals), comments, error)
