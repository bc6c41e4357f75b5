"""One located diagnostic type shared by every check, printed compiler-style."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem at ``path:line:column`` (1-based; 0 when the whole file is meant)."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        if self.line == 0:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


def line_column(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of a character offset in ``text``.

    Used instead of graphql-core 3.2's ``SourceLocation``, which places the first
    character of a line at the end of the line before it.
    """
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# A diagnostic points at a value; it need not reprint a 5 MB one.
EXCERPT_LIMIT = 80


def excerpt(value: object, limit: int = EXCERPT_LIMIT) -> str:
    """``repr(value)``, or when longer than ``limit`` its start and its size, as in
    ``'aaaa…' (5242880 characters)``."""
    text = repr(value)
    if len(text) <= limit:
        return text
    if isinstance(value, str):
        # Closed by its quote, the excerpt is no longer than ``limit`` and reads as a string.
        return f"{text[:limit - 2]}…{text[-1]} ({len(value)} characters)"
    return f"{text[:limit - 1]}… ({len(text)} characters)"
