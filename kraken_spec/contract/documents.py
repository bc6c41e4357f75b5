"""The GraphQL documents in client source files, each with its place in the original file.

* ``.graphql``, ``.gql``: the whole file is one document.
* ``.py`` (strings found with :mod:`tokenize`, whose columns stay exact for implicitly
  concatenated pieces): the first argument of ``gql(...)`` (also ``x.gql(...)``) when it is
  only string literals; any triple-quoted string that starts, after white space and ``#``
  lines, like an operation (``query``/``mutation``/``subscription``, an optional name, then
  ``(``, ``{`` or ``@``), a fragment (``fragment A on B``) or a selection set that parses
  (``{``, white space, a field: not a format template, a dict or a C block). Plain and raw
  strings only: byte strings are passed over, f-strings reported.
* ``.ts``, ``.tsx``, ``.js``, ``.jsx``, ``.mjs``, ``.cjs``: what :mod:`.scanners` finds; a
  template with ``${...}`` cannot be checked statically, and is reported, never guessed at.

A document's text is the raw source between the quotes or backticks: verbatim for a raw
literal or one without a backslash, else with its escapes decoded as the language does (a
two-character ``\\n`` is one line break, a backslash before a line break joins the lines),
keeping an anchor after each escape so that places still map. A comment
``kraken-spec: endpoint=NAME`` (``#`` in Python and GraphQL, ``//`` in scripts) sets the
endpoint of every document of its file; a GraphQL ``#`` one inside a document sets that
document's, and wins.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from graphql import GraphQLError, parse
from graphql.language import Lexer, Source, TokenKind

from kraken_spec.contract import scanners
from kraken_spec.contract.scanners import LineIndex, PythonLiteral
from kraken_spec.diagnostics import Diagnostic
from kraken_spec.exceptions import UnreadableFileError
from kraken_spec.fs.files import read_regular

GRAPHQL_SUFFIXES = (".graphql", ".gql")
PYTHON_SUFFIXES = (".py",)
SCRIPT_SUFFIXES = (".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs")
SOURCE_SUFFIXES = GRAPHQL_SUFFIXES + PYTHON_SUFFIXES + SCRIPT_SUFFIXES
# Folders a walk never enters, besides hidden ones: tools' output and other people's code.
SKIPPED_FOLDERS = frozenset({".git", "node_modules", "__pycache__", ".venv", "venv", "build",
                             "dist"})
SOURCE_LIMIT = 10 * 1024 * 1024

# (offset in the document text, file line, file column): from that offset on, characters
# map to consecutive columns of that file line, up to the next anchor.
Anchor = tuple[int, int, int]


@dataclass(frozen=True)
class FoundDocument:
    """A GraphQL document found in ``path``. ``text`` is exactly what is parsed; ``line``
    and ``column`` (1-based) place its first character in the file; ``line_map`` holds the
    anchors :func:`position` maps with (one per line, and one after each decoded escape or
    at each joined piece); ``verbatim`` is False when escapes were decoded or pieces
    joined, so that ``text`` is not one slice of the file."""

    path: str
    text: str
    line: int
    column: int
    endpoint: str | None
    line_map: tuple[Anchor, ...]
    verbatim: bool = True


# The line terminators of GraphQL source, by which graphql-core counts lines in locations.
_LINE_BREAK = re.compile("\r\n|[\n\r]")


def position(doc: FoundDocument, line: int, column: int) -> tuple[int, int]:
    """The file line and column of a 1-based ``line``/``column`` in ``doc.text``, counted as
    graphql-core counts ``GraphQLError.locations`` (``\\r\\n``, ``\\r`` and ``\\n`` end a
    line). A column past the end of its line continues that line. (Early 3.2 releases split
    lines with ``str.splitlines``; :func:`locate` with ``GraphQLError.positions`` is exact
    whatever the release.)"""
    start, line = 0, max(line, 1)
    for number, match in enumerate(_LINE_BREAK.finditer(doc.text), 2):
        if number > line:
            break
        start = match.end()
    end = _LINE_BREAK.search(doc.text, start)
    line_end = end.start() if end else len(doc.text)
    offset = start + max(column, 1) - 1
    file_line, file_column = locate(doc, min(offset, line_end))
    return file_line, file_column + max(offset - line_end, 0)


def locate(doc: FoundDocument, offset: int) -> tuple[int, int]:
    """The file line and column of the character at ``offset`` in ``doc.text`` (an offset
    past its end continues its last line)."""
    index = max(bisect_right(doc.line_map, (offset, 1 << 62, 0)) - 1, 0)
    anchor, file_line, file_column = doc.line_map[index]
    return file_line, file_column + offset - anchor


# --- a document's text, assembled with its anchors ------------------------------------------


def _advance(line: int, column: int, written: str) -> tuple[int, int]:
    """The file position after ``written``, which starts at ``line``/``column``."""
    breaks = written.count("\n")
    if breaks:
        return line + breaks, len(written) - written.rfind("\n")
    return line, column + len(written)


class _Builder:
    """The text of one document, assembled from pieces of the file, and its anchors."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.anchors: list[Anchor] = []
        self.verbatim = True

    def _add(self, value: str, line: int, column: int) -> None:
        self.anchors.append((self.size, line, column))
        self.anchors.extend((self.size + m.end(), line + k, 1)
                            for k, m in enumerate(re.finditer("\n", value), 1))
        self.parts.append(value)
        self.size += len(value)

    def piece(self, raw: str, line: int, column: int,
              escapes: re.Pattern[str] | None, cook: Callable[[str], str]) -> None:
        """Add a literal's content ``raw``, which starts in the file at ``line``/``column``;
        decode the escapes that ``escapes`` matches with ``cook``, unless it is None."""
        if self.parts:
            self.verbatim = False
        if escapes is None or "\\" not in raw:
            self._add(raw, line, column)
            return
        done = 0
        for match in escapes.finditer(raw):
            if match.start() > done:
                self._add(raw[done:match.start()], line, column)
                line, column = _advance(line, column, raw[done:match.start()])
            value = cook(match.group())
            self.verbatim = self.verbatim and value == match.group()
            self.anchors.append((self.size, line, column))
            self.parts.append(value)
            self.size += len(value)
            line, column = _advance(line, column, match.group())
            done = match.end()
        self._add(raw[done:], line, column)

    def document(self, path: str, endpoint: str | None,
                 diagnostics: list[Diagnostic]) -> FoundDocument:
        """The document, with the endpoint its own directive comments set, if any."""
        _, line, column = self.anchors[0]
        doc = FoundDocument(path, "".join(self.parts), line, column, endpoint,
                            tuple(self.anchors), self.verbatim)
        comments = [(*locate(doc, offset), body) for offset, body in _graphql_comments(doc.text)]
        own = _endpoint(path, comments, diagnostics)
        return replace(doc, endpoint=own) if own else doc


# --- directives ----------------------------------------------------------------------------


_DIRECTIVE = re.compile(r"\s*kraken-spec:(.*)", re.S)
_ENDPOINT = re.compile(r"\s*endpoint\s*=\s*([A-Za-z0-9_.-]+)\s*")


def _endpoint(path: str, comments: Iterable[tuple[int, int, str]],
              diagnostics: list[Diagnostic]) -> str | None:
    """The endpoint the ``kraken-spec:`` comments among ``comments`` (file line, column and
    text after the comment mark) name; a malformed or conflicting one is a warning."""
    chosen: str | None = None
    for line, column, body in comments:
        directive = _DIRECTIVE.match(body)
        if not directive:
            continue
        setting = _ENDPOINT.fullmatch(directive.group(1))
        if setting is None:
            diagnostics.append(Diagnostic(
                path, line, column, f"unknown kraken-spec directive "
                f"{directive.group(1).strip()!r}; the one directive is "
                "'kraken-spec: endpoint=NAME'", "warning", "directive"))
        elif chosen is None:
            chosen = setting.group(1)
        elif setting.group(1) != chosen:
            diagnostics.append(Diagnostic(
                path, line, column, f"a second endpoint {setting.group(1)!r} is ignored: "
                f"an earlier directive chose {chosen!r}", "warning", "directive"))
    return chosen


_COMMENT_LINE = re.compile(r"^[ \t,]*#(.*)$", re.M)


def _graphql_comments(text: str) -> list[tuple[int, str]]:
    """The ``#`` comments of GraphQL ``text`` (offset and text after ``#``); when the text
    does not lex, the comments that start a line."""
    if "kraken-spec" not in text:
        return []
    lexer = Lexer(Source(text))
    try:
        while lexer.advance().kind != TokenKind.EOF:
            pass
    except GraphQLError:
        return [(m.start(1) - 1, m.group(1)) for m in _COMMENT_LINE.finditer(text)]
    found: list[tuple[int, str]] = []
    token = lexer.token.prev
    while token is not None:
        if token.kind == TokenKind.COMMENT:
            found.append((token.start, token.value or ""))
        token = token.prev
    return found[::-1]


# --- finding documents ---------------------------------------------------------------------


def normalise_newlines(text: str) -> str:
    """``text`` with CRLF and CR line ends turned into LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def find_documents(path: str, text: str) -> tuple[list[FoundDocument], list[Diagnostic]]:
    """The GraphQL documents in ``text``, the content of ``path`` (whose suffix says which
    language it is), and the problems met finding them. Line ends are normalised first, so
    positions count lines as the text read by :func:`read_source`."""
    text = normalise_newlines(text)
    suffix = os.path.splitext(path)[1].lower()
    diagnostics: list[Diagnostic] = []
    if suffix in GRAPHQL_SUFFIXES:
        builder = _Builder()
        builder.piece(text, 1, 1, None, str)
        return [builder.document(path, None, diagnostics)], diagnostics
    if suffix in PYTHON_SUFFIXES:
        return _python_documents(path, text, diagnostics), diagnostics
    if suffix in SCRIPT_SUFFIXES:
        return _script_documents(path, text, diagnostics), diagnostics
    return [], diagnostics


def _script_documents(path: str, text: str,
                      diagnostics: list[Diagnostic]) -> list[FoundDocument]:
    found = scanners.scan_script(text)
    lines = LineIndex(text)
    comments = [(*lines.at(offset), body) for offset, body in found.line_comments]
    endpoint = _endpoint(path, comments, diagnostics)
    docs: list[FoundDocument] = []
    for template in found.templates:
        if template.substitution is not None:
            diagnostics.append(Diagnostic(
                path, *lines.at(template.start - 1), "a GraphQL template with ${...} "
                "substitutions cannot be checked statically; it is skipped", "unverified",
                "interpolated-document"))
            continue
        builder = _Builder()
        builder.piece(text[template.start:template.end], *lines.at(template.start),
                      scanners.SCRIPT_ESCAPE, scanners.cook_script)
        docs.append(builder.document(path, endpoint, diagnostics))
    if found.error:
        diagnostics.append(Diagnostic(path, *lines.at(found.error[0]), found.error[1],
                                      "error", "source-syntax"))
    return docs


# Where a triple-quoted Python string starts like GraphQL (after white space and # lines).
_LOOKS_LIKE_GRAPHQL = re.compile(
    r"(?:\s|#[^\n]*(?:\n|\Z))*"
    r"(?:(?:query|mutation|subscription)\b\s*(?:[_A-Za-z]\w*\s*)?[({@]"
    r"|fragment\s+[_A-Za-z]\w*\s+on\s+[_A-Za-z]"
    r"|(?P<selection>\{\s+(?:[_A-Za-z]|\.\.\.)))", re.A)


def _python_documents(path: str, text: str,
                      diagnostics: list[Diagnostic]) -> list[FoundDocument]:
    found = scanners.scan_python(text)
    endpoint = _endpoint(path, found.comments, diagnostics)
    docs = [doc for literal in found.literals
            if (doc := _python_literal(path, literal, endpoint, diagnostics)) is not None]
    if found.error:
        diagnostics.append(Diagnostic(path, *found.error, "error", "source-syntax"))
    return docs


def _python_literal(path: str, literal: PythonLiteral, endpoint: str | None,
                    diagnostics: list[Diagnostic]) -> FoundDocument | None:
    """The document a string literal holds when it is a ``gql(...)`` argument or a
    triple-quoted string that looks like GraphQL; None otherwise."""
    first = literal.pieces[0]
    if (not literal.in_call and len(first.quote) != 3) or any(
            "b" in piece.prefix for piece in literal.pieces):
        return None
    if any("f" in piece.prefix for piece in literal.pieces):
        if literal.in_call or _LOOKS_LIKE_GRAPHQL.match("".join(p.content for p in literal.pieces)):
            diagnostics.append(Diagnostic(path, first.line, first.column - len(first.quote)
                                          - len(first.prefix), "an f-string is not checked",
                                          "info", "interpolated-document"))
        return None
    builder = _Builder()
    for piece in literal.pieces:
        builder.piece(piece.content, piece.line, piece.column,
                      None if "r" in piece.prefix else scanners.PYTHON_ESCAPE,
                      scanners.cook_python)
    text = "".join(builder.parts)
    if not literal.in_call and not _looks_like_graphql(text):
        return None
    return builder.document(path, endpoint, diagnostics)


def _looks_like_graphql(text: str) -> bool:
    """Whether a string starts like GraphQL; a bare selection set (``{ a }``), a weak sign
    that a dict's or a C block's text also gives, only when it parses."""
    match = _LOOKS_LIKE_GRAPHQL.match(text)
    if match is None or not match.group("selection"):
        return match is not None
    try:
        parse(text, no_location=True)
    except (GraphQLError, RecursionError):
        return False
    return True


# --- which files, and their text -----------------------------------------------------------


def iter_source_files(paths: Sequence[str]) -> tuple[list[str], list[Diagnostic]]:
    """The source files that the command-line ``paths`` name: files as given (one with
    another suffix is a warning), folders walked in sorted order without following links,
    leaving out hidden folders and :data:`SKIPPED_FOLDERS`. Each file is listed once."""
    files: list[str] = []
    diagnostics: list[Diagnostic] = []
    for path in paths:
        if os.path.isdir(path):
            found, problems = _walk(path)
            files.extend(found)
            diagnostics.extend(Diagnostic(p.path, 0, 0, p.reason, "error", "unreadable-file")
                               for p in problems)
        elif not os.path.lexists(path):
            diagnostics.append(Diagnostic(path, 0, 0, "file not found", "error",
                                          "unreadable-file"))
        elif path.lower().endswith(SOURCE_SUFFIXES):
            files.append(path)
        else:
            diagnostics.append(Diagnostic(
                path, 0, 0, "not a GraphQL, Python, TypeScript or JavaScript file; skipped",
                "warning", "source-kind"))
    unique: dict[str, str] = {}
    for name in files:
        unique.setdefault(os.path.normpath(name), name)
    return list(unique.values()), diagnostics


def _walk(folder: str) -> tuple[list[str], list[UnreadableFileError]]:
    """Like :func:`kraken_spec.fs.files.regular_files`, but never entering a skipped folder:
    ``node_modules`` or ``.git`` can hold more files than the rest of a project."""
    found: list[str] = []
    problems: list[UnreadableFileError] = []

    def failed(exc: OSError) -> None:
        where = exc.filename if isinstance(exc.filename, str) else folder
        problems.append(UnreadableFileError(where, f"cannot list the folder: "
                                            f"{exc.strerror or exc}"))

    for dirpath, dirnames, filenames in os.walk(folder, onerror=failed):
        dirnames[:] = sorted(d for d in dirnames
                             if d not in SKIPPED_FOLDERS and not d.startswith("."))
        found.extend(os.path.join(dirpath, n) for n in filenames
                     if n.lower().endswith(SOURCE_SUFFIXES))
    return sorted(found), problems


def read_source(path: str) -> tuple[str | None, list[Diagnostic]]:
    """The text of the source file ``path`` (UTF-8, a byte order mark dropped, LF line
    ends), or None and the diagnostic saying why it could not be read."""
    try:
        data = read_regular(path, limit=SOURCE_LIMIT)
    except UnreadableFileError as exc:
        return None, [Diagnostic(path, 0, 0, exc.reason, "error", "unreadable-file")]
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        column = len(data[line_start:exc.start].decode("utf-8", "replace")) + 1
        return None, [Diagnostic(path, line, column, f"not valid UTF-8: byte "
                                 f"0x{data[exc.start]:02x} cannot be decoded", "error",
                                 "file-encoding")]
    return normalise_newlines(text), []
