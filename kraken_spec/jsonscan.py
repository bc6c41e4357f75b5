"""Brackets in JSON-like text, counted outside its strings, one line at a time."""

from __future__ import annotations

from collections.abc import Iterator


def bracket_steps(line: str, opening: str = "{[", closing: str = "}]") -> Iterator[int]:
    """+1 for each opening and -1 for each closing bracket of ``line`` that stands outside a
    JSON string (a string may not span lines, so each line starts outside one)."""
    in_string = escaped = False
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
        elif char in opening:
            yield 1
        elif char in closing:
            yield -1
