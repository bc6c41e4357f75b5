"""One located diagnostic type shared by every check, printed compiler-style."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# How much a diagnostic matters: only errors fail a command; "unverified" marks a fact the
# tool could not check (reported like a warning, never failing).
Severity = Literal["error", "warning", "info", "unverified"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info", "unverified")

# The rule id of a diagnostic that was built without one; every check names its own rule.
FALLBACK_RULE = "spec"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem at ``path:line:column`` (1-based; 0 when the whole file is meant).

    ``severity`` and ``rule`` (a stable kebab-case id such as ``yaml-syntax``) describe the
    problem but take no part in equality, hashing or ordering: diagnostics still sort by
    place and message, and one problem found twice is still reported once.
    """

    path: str
    line: int
    column: int
    message: str
    severity: Severity = field(default="error", compare=False)
    rule: str = field(default=FALLBACK_RULE, compare=False)

    @property
    def is_error(self) -> bool:
        """Whether the diagnostic fails the command (warnings and notes do not)."""
        return self.severity == "error"

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
