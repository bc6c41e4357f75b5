"""Reader for the scraped text of the Kraken "Mutations" reference page."""

from __future__ import annotations

import re
from dataclasses import dataclass

from graphql import GraphQLSyntaxError, parse
from graphql.language import (
    FieldNode,
    FragmentSpreadNode,
    ListTypeNode,
    NamedTypeNode,
    NonNullTypeNode,
    OperationDefinitionNode,
    TypeNode,
    VariableNode,
)

from kraken_spec.diagnostics import line_column
from kraken_spec.exceptions import PageError

AUTH_NOTICE = ("This field requires the Authorization", "header to be set.")
ERRORS_INTRO = "The possible errors that can be raised are:"
DEPRECATED_PREFIX = "DEPRECATED: "
ARGUMENTS_HEADING = "Arguments"
RETURN_FIELDS_HEADING = "Return fields"
TABLE_HEADER = "Name | Description |"
ARGUMENTS_RULE = "---|---|"
RETURN_FIELDS_RULE = "---|"

_NAME_RE = re.compile(r"^[a-z][A-Za-z0-9]*$")
_TYPE_RE = re.compile(r"^Type: ([A-Za-z_][A-Za-z0-9_]*)(!?)$")
_URL_RE = re.compile(r"^URL: (https?://\S+)$")
_ERROR_RE = re.compile(r"^- (KT-[A-Z]{2}-\d+): (.*)$")
_RESPONSE_LINE_RE = re.compile(r'^"([_A-Za-z][_A-Za-z0-9]*)": (.*?),?$')
# Looser than _TYPE_RE and _URL_RE on purpose: a damaged Type or URL line is still entry content.
_ENTRY_LINE_RE = re.compile(r"^(?:Type|URL): \S")

_BODY_STARTS = (ARGUMENTS_HEADING, TABLE_HEADER, RETURN_FIELDS_HEADING, "Mutation")
_ENTRY_MARKERS = frozenset((*_BODY_STARTS, "Variables", "Response", ERRORS_INTRO))


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
class Orphan:
    """An entry body the page shows without its heading; it cannot enter the catalogue."""

    line: int
    operation_line: int
    field: str | None


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


class _Cursor:
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


def _is_mutation_start(cur: _Cursor) -> bool:
    return _is_mutation_start_at(cur, 0)


def _is_entry_content(line: str) -> bool:
    """True for a line only an entry holds: its Type or URL line, a body marker, an error."""
    return (
        line in _ENTRY_MARKERS
        or _ENTRY_LINE_RE.match(line) is not None
        or _ERROR_RE.match(line) is not None
    )


def _is_heading_shaped(line: str) -> bool:
    """A line that may title a section: not a name, not a brace line, not entry content."""
    return _NAME_RE.match(line) is None and not line.startswith(("{", "}")) and (
        not _is_entry_content(line))


def _is_section_heading(cur: _Cursor) -> bool:
    return _is_section_heading_at(cur, 0)


def _is_section_heading_at(cur: _Cursor, ahead: int) -> bool:
    line = cur.peek(ahead)
    return line is not None and _is_heading_shaped(line) and _is_mutation_start_at(cur, ahead + 1)


def _is_mutation_start_at(cur: _Cursor, ahead: int) -> bool:
    line, nxt = cur.peek(ahead), cur.peek(ahead + 1)
    return (
        line is not None
        and nxt is not None
        and _NAME_RE.match(line) is not None
        and _TYPE_RE.match(nxt) is not None
    )


def parse_page(text: str) -> Page:
    """Parse the whole page; raise :class:`PageError` naming the line where reading failed."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    cur = _Cursor(lines)
    intro: list[str] = []
    while not cur.at_end() and not _is_section_heading(cur):
        intro.append(cur.take())
    _check_intro(intro)
    if cur.at_end():
        raise PageError(cur.lineno, "no section of mutations found (a heading followed by a "
                        "mutation name and a 'Type: ' line)")
    mutations: list[PageMutation] = []
    orphans: list[Orphan] = []
    sections: dict[str, int] = {}
    names: dict[str, int] = {}
    section = ""
    while not cur.at_end():
        if _is_section_heading(cur):
            heading_line = cur.lineno
            section = cur.take()
            # A repeated section is a page pasted twice or a scrape that restarted: taking
            # either copy silently would hide that the other one differs.
            first = sections.setdefault(section, heading_line)
            if first != heading_line:
                raise PageError(heading_line, f"section {section!r} appears twice: at line "
                                f"{first} and at line {heading_line}")
            continue
        if cur.peek() in _BODY_STARTS:
            orphans.append(_skip_headless_entry(cur))
            continue
        if not _is_mutation_start(cur):
            _check_empty_section(cur, sections)
            raise PageError(cur.lineno, f"expected a mutation name followed by 'Type: ...', "
                            f"found {cur.peek()!r}")
        name = cur.lines[cur.pos]
        first = names.setdefault(name, cur.lineno)
        if first != cur.lineno:
            raise PageError(cur.lineno, f"mutation {name!r} appears twice: at line {first} and "
                            f"at line {cur.lineno}")
        mutations.append(_parse_mutation(cur, section))
    return Page(intro="\n".join(intro), mutations=tuple(mutations), orphans=tuple(orphans))


def _check_intro(intro: list[str]) -> None:
    """Refuse an introduction holding entry content: the first entry's heading is damaged,
    so the reader took every entry up to the next intact section heading for intro text."""
    for lineno, line in enumerate(intro, start=1):
        if _is_entry_content(line):
            raise PageError(lineno, f"{line!r} belongs in a mutation entry but stands in the "
                            "introduction, before the first section heading: an entry heading "
                            "(section title, mutation name, 'Type: ...') above it seems "
                            "malformed")


def _check_empty_section(cur: _Cursor, sections: dict[str, int]) -> None:
    """Name a heading that no entry follows, rather than calling it a malformed name."""
    line = cur.peek()
    if line is None or not _is_heading_shaped(line):
        return
    nxt = cur.peek(1)
    if nxt is not None and not _is_section_heading_at(cur, 1):
        return
    if line in sections:
        raise PageError(cur.lineno, f"section {line!r} appears twice: at line "
                        f"{sections[line]} and at line {cur.lineno}")
    if nxt is None:
        raise PageError(cur.lineno, f"section {line!r} has no entries: the page ends after "
                        "its heading")
    if nxt == line:
        raise PageError(cur.lineno + 1, f"section {line!r} appears twice: at line "
                        f"{cur.lineno} and at line {cur.lineno + 1}")
    raise PageError(cur.lineno, f"section {line!r} has no entries: the next line starts "
                    f"the section {nxt!r}")


def _skip_headless_entry(cur: _Cursor) -> Orphan:
    """Step over an entry body whose heading (name, Type, URL) the page lacks."""
    start = cur.lineno
    while cur.peek() != "Mutation":
        if cur.at_end() or _is_mutation_start(cur):
            raise PageError(start, "an entry body without a mutation heading, and no example "
                            "operation follows it")
        cur.take()
    cur.take()
    op_line = cur.lineno
    operation = _take_until(cur, ("Variables", "Response"), "(entry without heading)")
    if cur.peek() == "Variables":
        cur.take()
        if cur.peek() != "Response":
            _take_json_block(cur, "(entry without heading)")
    cur.expect("Response")
    _take_json_block(cur, "(entry without heading)")
    return Orphan(line=start, operation_line=op_line, field=_selected_field(operation))


def _selected_field(operation: str) -> str | None:
    """The root field an example operation selects, for naming an entry without heading."""
    try:
        document = parse(operation)
    except GraphQLSyntaxError:
        return None
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            for selection in definition.selection_set.selections:
                if isinstance(selection, FieldNode):
                    return selection.name.value
    return None


_DESCRIPTION_ENDS = (ERRORS_INTRO, ARGUMENTS_HEADING, TABLE_HEADER, RETURN_FIELDS_HEADING,
                     "Mutation")


def _parse_mutation(cur: _Cursor, section: str) -> PageMutation:
    start = cur.lineno
    name = cur.take()
    type_match = cur.expect_match(_TYPE_RE, "'Type: <PayloadType>'")
    url = cur.expect_match(_URL_RE, "'URL: <endpoint>'").group(1)

    description_lines: list[str] = []
    requires_auth = False
    while True:
        line = cur.peek()
        if line is None:
            raise PageError(cur.lineno, f"unexpected end of page in the entry of {name!r}")
        if line == AUTH_NOTICE[0] and cur.peek(1) == AUTH_NOTICE[1]:
            requires_auth = True
            cur.pos += 2
            continue
        if line in _DESCRIPTION_ENDS:
            break
        description_lines.append(cur.take())

    deprecation: str | None = None
    if description_lines and description_lines[0].startswith(DEPRECATED_PREFIX):
        deprecation = description_lines.pop(0)[len(DEPRECATED_PREFIX):]
    description = "\n".join(description_lines) if description_lines else None

    errors: list[tuple[str, str, int]] = []
    if cur.peek() == ERRORS_INTRO:
        cur.take()
        while (line := cur.peek()) is not None and line.startswith("- "):
            match = _ERROR_RE.match(line)
            if match is None:
                raise PageError(cur.lineno, f"malformed error line {line!r} "
                                "(expected '- KT-XX-0000: message')")
            errors.append((match.group(1), match.group(2), cur.lineno))
            cur.take()
        if not errors:
            raise PageError(cur.lineno, f"{ERRORS_INTRO!r} is followed by no error line")

    descriptions: list[str | None] | None = None
    if cur.peek() == ARGUMENTS_HEADING:
        cur.take()
        if cur.peek() != TABLE_HEADER:
            raise PageError(cur.lineno, f"expected {TABLE_HEADER!r} after 'Arguments'")
    if cur.peek() == TABLE_HEADER and cur.peek(1) == ARGUMENTS_RULE:
        cur.pos += 2
        # A table with no rows documents no descriptions (the scrape lost them).
        descriptions = _parse_argument_rows(cur) or None
    if cur.peek() == RETURN_FIELDS_HEADING:
        cur.take()
        cur.expect(TABLE_HEADER)
        cur.expect(RETURN_FIELDS_RULE)
        # At the end of the page, expect() below names what is missing.
        if cur.peek() not in ("Mutation", None):
            raise PageError(cur.lineno, f"expected 'Mutation' after the return-fields table "
                            f"of {name!r}, found {cur.peek()!r} (this reader knows only the "
                            "empty table of the scraped page)")

    cur.expect("Mutation")
    op_start = cur.lineno
    operation = _take_until(cur, ("Variables", "Response"), name)
    variables: str | None = None
    if cur.peek() == "Variables":
        cur.take()
        # The page sometimes shows the heading with an empty block.
        variables = "" if cur.peek() == "Response" else _take_json_block(cur, name)
    cur.expect("Response")
    response_start = cur.lineno
    response = _take_json_block(cur, name)

    arguments, selections = _read_operation(operation, name, op_start)
    if descriptions is not None and len(descriptions) != len(arguments):
        raise PageError(op_start, f"{name!r}: the Arguments table has {len(descriptions)} rows "
                        f"but the example operation passes {len(arguments)} arguments")
    page_arguments = tuple(
        PageArgument(arg_name, arg_type, descriptions[i] if descriptions is not None else None)
        for i, (arg_name, arg_type) in enumerate(arguments)
    )
    return_fields: tuple[PageReturnField, ...] | None = None
    if selections is None:
        _check_bare_payload(response, name, type_match.group(1), response_start)
    else:
        values = _read_response(response, name, response_start)
        missing = [f for f, _ in selections if f not in values]
        if missing:
            raise PageError(response_start, f"{name!r}: the example response has no value for "
                            f"the selected field {missing[0]!r}")
        return_fields = tuple(PageReturnField(f, fragment, values[f]) for f, fragment in selections)
    return PageMutation(
        name=name,
        line=start,
        section=section,
        url=url,
        payload_type=type_match.group(1),
        payload_non_null=type_match.group(2) == "!",
        description=description,
        deprecation_reason=deprecation,
        requires_authorization=requires_auth,
        errors=tuple(errors),
        arguments=page_arguments,
        return_fields=return_fields,
        operation=operation,
        variables=variables,
        response=response,
    )


def _parse_argument_rows(cur: _Cursor) -> list[str | None]:
    """Read the Arguments rows: the scrape lost the name cells, so a row is ``|`` then
    ``description |``; an empty description leaves a bare ``|`` and the leading ``|`` is
    sometimes lost too."""
    rows: list[str | None] = []
    while (line := cur.peek()) is not None and line.endswith("|"):
        if line == "|":
            cur.take()
            nxt = cur.peek()
            if nxt is None:
                raise PageError(cur.lineno, "unexpected end of page in an Arguments table")
            if nxt == "|":
                cur.take()
                rows.append(None)
                continue
            if not nxt.endswith(" |"):
                raise PageError(cur.lineno, f"malformed Arguments row {nxt!r}")
            cur.take()
            rows.append(nxt[:-2])
        elif line.endswith(" |") and line != TABLE_HEADER:
            cur.take()
            rows.append(line[:-2])
        else:
            break
    return rows


def _take_until(cur: _Cursor, markers: tuple[str, ...], name: str) -> str:
    lines: list[str] = []
    while cur.peek() not in markers:
        wanted = " or ".join(repr(m) for m in markers)
        if cur.at_end():
            raise PageError(cur.lineno, f"{name!r}: the page ends before {wanted}")
        if _is_mutation_start(cur):
            raise PageError(cur.lineno, f"{name!r}: expected {wanted} before this line")
        lines.append(cur.take())
    return "\n".join(lines)


def _take_json_block(cur: _Cursor, name: str) -> str:
    """Take a brace-balanced block (the page's JSON-like examples hold bare type names)."""
    if cur.peek() != "{":
        raise PageError(cur.lineno, f"{name!r}: expected '{{' opening an example block, "
                        f"found {cur.peek()!r}")
    depth = 0
    lines: list[str] = []
    start = cur.lineno
    while True:
        if cur.at_end():
            raise PageError(start, f"{name!r}: the example block opened here is not closed "
                            f"by the end of the page (line {cur.lineno - 1})")
        line = cur.take()
        lines.append(line)
        depth += _brace_delta(line)
        if depth <= 0:
            return "\n".join(lines)


def _brace_delta(line: str) -> int:
    delta, in_string, escaped = 0, False, False
    for char in line:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "{":
            delta += 1
        elif char == "}":
            delta -= 1
    return delta


def _read_operation(
    operation: str, name: str, line: int
) -> tuple[list[tuple[str, str]], list[tuple[str, str | None]] | None]:
    """Return the field's (argument, type) pairs and its (selection, fragment type) pairs."""
    try:
        document = parse(operation, no_location=False)
    except GraphQLSyntaxError as exc:
        offset = next(iter(exc.positions or ()), 0)
        raise PageError(line + line_column(operation, offset)[0] - 1,
                        f"{name!r}: example operation: {exc.message}") from None
    ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(ops) != 1 or len(document.definitions) != 1:
        raise PageError(line, f"{name!r}: the example must hold exactly one operation")
    op = ops[0]
    variable_types = {v.variable.name.value: sdl_type(v.type) for v in op.variable_definitions}
    fields = [s for s in op.selection_set.selections if isinstance(s, FieldNode)]
    if len(fields) != 1 or fields[0].name.value != name:
        raise PageError(line, f"{name!r}: the example operation must select exactly the field "
                        f"{name!r}")
    field = fields[0]
    arguments: list[tuple[str, str]] = []
    for arg in field.arguments:
        if not isinstance(arg.value, VariableNode):
            raise PageError(line, f"{name!r}: argument {arg.name.value!r} is not a variable, so "
                            "its type is not documented")
        var = arg.value.name.value
        if var not in variable_types:
            raise PageError(line, f"{name!r}: variable ${var} is not defined")
        arguments.append((arg.name.value, variable_types[var]))
    if field.selection_set is None:
        return arguments, None
    selections: list[tuple[str, str | None]] = []
    for sel in field.selection_set.selections:
        if not isinstance(sel, FieldNode):
            raise PageError(line, f"{name!r}: unexpected selection at the payload level")
        selections.append((sel.name.value, _fragment_type(sel, name, line)))
    return arguments, selections


def _fragment_type(field: FieldNode, name: str, line: int) -> str | None:
    if field.selection_set is None:
        return None
    spreads = field.selection_set.selections
    if len(spreads) != 1 or not isinstance(spreads[0], FragmentSpreadNode):
        raise PageError(line, f"{name!r}: field {field.name.value!r} selects something other "
                        "than one fragment spread")
    fragment = spreads[0].name.value
    if not fragment.endswith("Fragment") or fragment == "Fragment":
        raise PageError(line, f"{name!r}: fragment {fragment!r} does not follow the "
                        "'<Type>Fragment' naming")
    return fragment[: -len("Fragment")]


def _check_bare_payload(response: str, name: str, payload: str, line: int) -> None:
    """A payload selected without fields must show just its type name in the response."""
    expected = ["{", '"data": {', f'"{name}": {payload}', "}", "}"]
    if response.split("\n") != expected:
        raise PageError(line, f"{name!r}: the example selects no payload fields, so the "
                        f"response should show the bare type {payload!r}")


def _read_response(response: str, name: str, line: int) -> dict[str, str]:
    """Map each payload field of the example response to its example value text."""
    lines = response.split("\n")
    header = ["{", '"data": {', f'"{name}": {{']
    if lines[:3] != header or lines[-3:] != ["}", "}", "}"]:
        raise PageError(line, f"{name!r}: example response is not shaped "
                        f'{{"data": {{"{name}": {{...}}}}}}')
    values: dict[str, str] = {}
    for offset, text in enumerate(lines[3:-3], start=3):
        match = _RESPONSE_LINE_RE.match(text)
        if match is None:
            raise PageError(line + offset, f"{name!r}: unreadable example response line {text!r}")
        values[match.group(1)] = match.group(2)
    return values
