"""What the page reader produces (entries, arguments, return fields) and its line cursor."""


from __future__ import annotations

import re
from dataclasses import dataclass

from graphql.language import (
    ListTypeNode,
    NamedTypeNode,
    NonNullTypeNode,
    TypeNode,
)

from kraken_spec.exceptions import PageError

AUTH_NOTICE = ("This field requires the Authorization", "header to be set.")
ERRORS_INTRO = "The possible errors that can be raised are:"
DEPRECATED_PREFIX = "DEPRECATED: "
ARGUMENTS_HEADING = "Arguments"
RETURN_FIELDS_HEADING = "Return fields"
TABLE_HEADER = "Name | Description |"
ARGUMENTS_RULE = "---|---|"
RETURN_FIELDS_RULE = "---|"

NAME_RE = re.compile(r"^[a-z][A-Za-z0-9]*$")
TYPE_RE = re.compile(r"^Type: ([A-Za-z_][A-Za-z0-9_]*)(!?)$")
URL_RE = re.compile(r"^URL: (https?://\S+)$")
ERROR_RE = re.compile(r"^- (KT-[A-Z]{2}-\d+): (.*)$")
RESPONSE_LINE_RE = re.compile(r'^"([_A-Za-z][_A-Za-z0-9]*)": (.*?),?$')
# Looser than TYPE_RE and URL_RE on purpose: a damaged Type or URL line is still entry content.
ENTRY_LINE_RE = re.compile(r"^(?:Type|URL): \S")

BODY_STARTS = (ARGUMENTS_HEADING, TABLE_HEADER, RETURN_FIELDS_HEADING, "Mutation")
ENTRY_MARKERS = frozenset((*BODY_STARTS, "Variables", "Response", ERRORS_INTRO))


@dataclass(frozen=True)
class PageArgument:
    """An argument as the page shows it: from the example operation and the table."""

    name: str
    type: str
    description: str | None


@dataclass(frozen=True)
class PageReturnField:
    """A return field with the evidence for its type: a fragment spread or an example value."""

    name: str
    fragment_type: str | None
    example: str


@dataclass(frozen=True)
class PageMutation:
    """Everything the page states about one mutation, in page order."""

    name: str
    line: int
    section: str
    url: str
    payload_type: str
    payload_non_null: bool
    description: str | None
    deprecation_reason: str | None
    requires_authorization: bool
    errors: tuple[tuple[str, str, int], ...]
    arguments: tuple[PageArgument, ...]
    # None when the example selects nothing: the payload's fields are not documented.
    return_fields: tuple[PageReturnField, ...] | None
    operation: str
    variables: str | None
    response: str


@dataclass(frozen=True)
class PageBody:
    """An entry below its heading: the tables and the example, as the page shows them."""

    # The root field the example operation selects: an entry's name, or the only name a
    # body without heading has.
    field: str
    arguments: tuple[PageArgument, ...]
    # None when the example selects nothing: the payload's fields are not documented.
    return_fields: tuple[PageReturnField, ...] | None
    operation: str
    operation_line: int
    variables: str | None
    response: str


@dataclass(frozen=True)
class Orphan:
    """An entry body the page shows without its heading (name, Type, URL): every fact of
    its body, named by the field its example selects; its payload type is not on the page."""

    line: int
    section: str
    body: PageBody

    @property
    def field(self) -> str:
        """The root field the example operation selects, which names the entry."""
        return self.body.field

    @property
    def operation_line(self) -> int:
        """The page line of the example operation's first line."""
        return self.body.operation_line


@dataclass(frozen=True)
class Page:
    """The parsed page: its intro text, its mutations in page order, and headless entries."""

    intro: str
    mutations: tuple[PageMutation, ...]
    orphans: tuple[Orphan, ...]


def sdl_type(node: TypeNode) -> str:
    """Render a GraphQL type reference in SDL notation, e.g. ``[ConsentInput]!``."""
    if isinstance(node, NonNullTypeNode):
        return sdl_type(node.type) + "!"
    if isinstance(node, ListTypeNode):
        return "[" + sdl_type(node.type) + "]"
    assert isinstance(node, NamedTypeNode)
    return node.name.value


class Cursor:
    """Line cursor over the page with 1-based line numbers for error messages."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.pos = 0

    @property
    def lineno(self) -> int:
        return self.pos + 1

    def at_end(self) -> bool:
        return self.pos >= len(self.lines)

    def peek(self, ahead: int = 0) -> str | None:
        index = self.pos + ahead
        return self.lines[index] if index < len(self.lines) else None

    def take(self) -> str:
        if self.at_end():
            raise PageError(self.lineno, "unexpected end of page")
        line = self.lines[self.pos]
        self.pos += 1
        return line

    def expect(self, text: str) -> None:
        line = self.peek()
        if line != text:
            found = "end of page" if line is None else repr(line)
            raise PageError(self.lineno, f"expected {text!r}, found {found}")
        self.pos += 1

    def expect_match(self, pattern: re.Pattern[str], what: str) -> re.Match[str]:
        line = self.peek()
        match = pattern.match(line) if line is not None else None
        if match is None:
            found = "end of page" if line is None else repr(line)
            raise PageError(self.lineno, f"expected {what}, found {found}")
        self.pos += 1
        return match


def is_mutation_start(cur: Cursor, ahead: int = 0) -> bool:
    """True where a mutation entry begins: its name, then its ``Type:`` line."""
    line, nxt = cur.peek(ahead), cur.peek(ahead + 1)
    return (
        line is not None
        and nxt is not None
        and NAME_RE.match(line) is not None
        and TYPE_RE.match(nxt) is not None
    )
