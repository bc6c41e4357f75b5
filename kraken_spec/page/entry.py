"""Reader of one mutation entry of the page: its heading, then its body (tables, example)."""

from __future__ import annotations

import re

from graphql import GraphQLSyntaxError, parse
from graphql.language import (
    FieldNode,
    FragmentSpreadNode,
    OperationDefinitionNode,
    VariableNode,
)

from kraken_spec.diagnostics import line_column
from kraken_spec.exceptions import PageError
from kraken_spec.jsonscan import bracket_steps
from kraken_spec.page.entries import (
    ARGUMENTS_HEADING,
    ARGUMENTS_RULE,
    AUTH_NOTICE,
    DEPRECATED_PREFIX,
    ERROR_RE,
    ERRORS_INTRO,
    NAME_RE,
    RESPONSE_LINE_RE,
    RETURN_FIELDS_HEADING,
    RETURN_FIELDS_RULE,
    TABLE_HEADER,
    TYPE_RE,
    URL_RE,
    Cursor,
    Orphan,
    PageArgument,
    PageBody,
    PageMutation,
    PageReturnField,
    is_mutation_start,
    sdl_type,
)

_DESCRIPTION_ENDS = (ERRORS_INTRO, ARGUMENTS_HEADING, TABLE_HEADER, RETURN_FIELDS_HEADING,
                     "Mutation")


def parse_entry(cur: Cursor, section: str) -> PageMutation:
    """One entry: its heading (name, Type, URL, description, errors), then its body."""
    start = cur.lineno
    name = cur.take()
    type_match = cur.expect_match(TYPE_RE, "'Type: <PayloadType>'")
    url = cur.expect_match(URL_RE, "'URL: <endpoint>'").group(1)

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
            match = ERROR_RE.match(line)
            if match is None:
                raise PageError(cur.lineno, f"malformed error line {line!r} "
                                "(expected '- KT-XX-0000: message')")
            errors.append((match.group(1), match.group(2), cur.lineno))
            cur.take()
        if not errors:
            raise PageError(cur.lineno, f"{ERRORS_INTRO!r} is followed by no error line")

    body = _parse_body(cur, repr(name), name, type_match.group(1))
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
        arguments=body.arguments,
        return_fields=body.return_fields,
        operation=body.operation,
        variables=body.variables,
        response=body.response,
    )


def parse_headless(cur: Cursor, section: str) -> Orphan:
    """An entry body the page shows without its heading: read as any entry's body, and
    named by the root field its example operation selects."""
    start = cur.lineno
    return Orphan(start, section, _parse_body(cur, f"the entry without heading at line {start}",
                                              None, None))


def _parse_body(cur: Cursor, who: str, name: str | None, payload: str | None) -> PageBody:
    """The body of an entry: Arguments table, return-fields table and the example.

    ``name`` is the field the example must select (None: whichever one field it selects
    names the entry), ``payload`` the type a bare payload shows in the response (None: any
    type name), ``who`` names the entry in messages.
    """
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
                            f"of {who}, found {cur.peek()!r} (this reader knows only the "
                            "empty table of the scraped page)")

    cur.expect("Mutation")
    op_start = cur.lineno
    operation = take_until(cur, ("Variables", "Response"), who)
    variables: str | None = None
    if cur.peek() == "Variables":
        cur.take()
        # The page sometimes shows the heading with an empty block.
        variables = "" if cur.peek() == "Response" else take_json_block(cur, who)
    cur.expect("Response")
    response_start = cur.lineno
    response = take_json_block(cur, who)

    field, arguments, selections = _read_operation(operation, name, who, op_start)
    if name is None:
        who = f"{field!r} (shown without its heading)"
    if descriptions is not None and len(descriptions) != len(arguments):
        raise PageError(op_start, f"{who}: the Arguments table has {len(descriptions)} rows "
                        f"but the example operation passes {len(arguments)} arguments")
    page_arguments = tuple(
        PageArgument(arg_name, arg_type, descriptions[i] if descriptions is not None else None)
        for i, (arg_name, arg_type) in enumerate(arguments)
    )
    return_fields: tuple[PageReturnField, ...] | None = None
    if selections is None:
        _check_bare_payload(response, field, payload, who, response_start)
    else:
        values = _read_response(response, field, who, response_start)
        missing = [f for f, _ in selections if f not in values]
        if missing:
            raise PageError(response_start, f"{who}: the example response has no value for "
                            f"the selected field {missing[0]!r}")
        return_fields = tuple(PageReturnField(f, fragment, values[f]) for f, fragment in selections)
    return PageBody(field=field, arguments=page_arguments, return_fields=return_fields,
                    operation=operation, operation_line=op_start, variables=variables,
                    response=response)


def _parse_argument_rows(cur: Cursor) -> list[str | None]:
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


def take_until(cur: Cursor, markers: tuple[str, ...], who: str) -> str:
    lines: list[str] = []
    while cur.peek() not in markers:
        wanted = " or ".join(repr(m) for m in markers)
        if cur.at_end():
            raise PageError(cur.lineno, f"{who}: the page ends before {wanted}")
        if is_mutation_start(cur):
            raise PageError(cur.lineno, f"{who}: expected {wanted} before this line")
        lines.append(cur.take())
    return "\n".join(lines)


def take_json_block(cur: Cursor, who: str) -> str:
    """Take a brace-balanced block (the page's JSON-like examples hold bare type names)."""
    if cur.peek() != "{":
        raise PageError(cur.lineno, f"{who}: expected '{{' opening an example block, "
                        f"found {cur.peek()!r}")
    depth = 0
    lines: list[str] = []
    start = cur.lineno
    while True:
        if cur.at_end():
            raise PageError(start, f"{who}: the example block opened here is not closed "
                            f"by the end of the page (line {cur.lineno - 1})")
        line = cur.take()
        lines.append(line)
        depth += sum(bracket_steps(line, "{", "}"))
        if depth <= 0:
            return "\n".join(lines)




def _read_operation(
    operation: str, name: str | None, who: str, line: int
) -> tuple[str, list[tuple[str, str]], list[tuple[str, str | None]] | None]:
    """Return the selected field's name, its (argument, type) pairs and its (selection,
    fragment type) pairs; ``name`` is the field it must select (None: any one field)."""
    try:
        document = parse(operation, no_location=False)
    except GraphQLSyntaxError as exc:
        offset = next(iter(exc.positions or ()), 0)
        raise PageError(line + line_column(operation, offset)[0] - 1,
                        f"{who}: example operation: {exc.message}") from None
    ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(ops) != 1 or len(document.definitions) != 1:
        raise PageError(line, f"{who}: the example must hold exactly one operation")
    op = ops[0]
    variable_types = {v.variable.name.value: sdl_type(v.type) for v in op.variable_definitions}
    fields = [s for s in op.selection_set.selections if isinstance(s, FieldNode)]
    if name is None:
        if len(fields) != 1 or len(op.selection_set.selections) != 1:
            raise PageError(line, f"{who}: the example operation must select exactly one "
                            "field, which names the entry")
        name = fields[0].name.value
        # The name becomes a file name and a mutation name: the heading's rule applies.
        if NAME_RE.match(name) is None:
            raise PageError(line, f"{who}: the example selects {name!r}, which is not a "
                            "mutation name (a lower-case letter, then letters and digits)")
        who = f"{name!r} (shown without its heading)"
    elif len(fields) != 1 or fields[0].name.value != name:
        raise PageError(line, f"{who}: the example operation must select exactly the field "
                        f"{name!r}")
    field = fields[0]
    arguments: list[tuple[str, str]] = []
    for arg in field.arguments:
        if not isinstance(arg.value, VariableNode):
            raise PageError(line, f"{who}: argument {arg.name.value!r} is not a variable, so "
                            "its type is not documented")
        var = arg.value.name.value
        if var not in variable_types:
            raise PageError(line, f"{who}: variable ${var} is not defined")
        arguments.append((arg.name.value, variable_types[var]))
    if field.selection_set is None:
        return name, arguments, None
    selections: list[tuple[str, str | None]] = []
    for sel in field.selection_set.selections:
        if not isinstance(sel, FieldNode):
            raise PageError(line, f"{who}: unexpected selection at the payload level")
        selections.append((sel.name.value, _fragment_type(sel, who, line)))
    return name, arguments, selections


def _fragment_type(field: FieldNode, who: str, line: int) -> str | None:
    if field.selection_set is None:
        return None
    spreads = field.selection_set.selections
    if len(spreads) != 1 or not isinstance(spreads[0], FragmentSpreadNode):
        raise PageError(line, f"{who}: field {field.name.value!r} selects something other "
                        "than one fragment spread")
    fragment = spreads[0].name.value
    if not fragment.endswith("Fragment") or fragment == "Fragment":
        raise PageError(line, f"{who}: fragment {fragment!r} does not follow the "
                        "'<Type>Fragment' naming")
    return fragment[: -len("Fragment")]


_BARE_PAYLOAD_RE = re.compile(r'^"([_A-Za-z][_0-9A-Za-z]*)": [_A-Za-z][_0-9A-Za-z]*$')


def _check_bare_payload(response: str, name: str, payload: str | None, who: str,
                        line: int) -> None:
    """A payload selected without fields must show just its type name in the response
    (``payload``; None: the heading that names it is missing, so any type name)."""
    lines = response.split("\n")
    if payload is not None:
        if lines != ["{", '"data": {', f'"{name}": {payload}', "}", "}"]:
            raise PageError(line, f"{who}: the example selects no payload fields, so the "
                            f"response should show the bare type {payload!r}")
        return
    bare = _BARE_PAYLOAD_RE.match(lines[2]) if len(lines) == 5 else None
    if (bare is None or bare.group(1) != name or lines[:2] != ["{", '"data": {']
            or lines[3:] != ["}", "}"]):
        raise PageError(line, f"{who}: the example selects no payload fields, so the "
                        f"response should show {name!r} with a bare type name")


def _read_response(response: str, name: str, who: str, line: int) -> dict[str, str]:
    """Map each payload field of the example response to its example value text."""
    lines = response.split("\n")
    header = ["{", '"data": {', f'"{name}": {{']
    if lines[:3] != header or lines[-3:] != ["}", "}", "}"]:
        raise PageError(line, f"{who}: example response is not shaped "
                        f'{{"data": {{"{name}": {{...}}}}}}')
    values: dict[str, str] = {}
    for offset, text in enumerate(lines[3:-3], start=3):
        match = RESPONSE_LINE_RE.match(text)
        if match is None:
            raise PageError(line + offset, f"{who}: unreadable example response line {text!r}")
        values[match.group(1)] = match.group(2)
    return values
