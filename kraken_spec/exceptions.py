"""The exception hierarchy of kraken-spec: one flat family under KrakenSpecError."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kraken_spec.diagnostics import Diagnostic


class KrakenSpecError(Exception):
    """Base class of every error kraken-spec raises on purpose."""


class PageError(KrakenSpecError):
    """The reference page could not be read; carries the page line where reading failed."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


class SpecInvalidError(KrakenSpecError):
    """The spec has problems; carries every diagnostic found."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        super().__init__(f"{len(diagnostics)} problem(s) in the spec")
        self.diagnostics = tuple(diagnostics)


class UnreadableFileError(KrakenSpecError):
    """A file was not read: missing, not a regular file, too large, or outside the root."""

    def __init__(self, path: str, reason: str, *, missing: bool = False) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        # A missing file is a gap in what was given; any other case is an input that
        # exists but could not be read, which commands report as an I/O failure.
        self.missing = missing


class OutputError(KrakenSpecError):
    """An output could not be written; nothing was left half-written."""
