"""Exit statuses of the command line, and the status a command's diagnostics give."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kraken_spec.diagnostics import Diagnostic


class ExitCode(IntEnum):
    """Process exit statuses.

    Only diagnostics of severity "error" make a command fail: warnings, notes and
    unverified facts are reported and the status stays OK.
    """

    OK = 0  # done; any diagnostics reported were warnings, notes or unverified facts
    PROBLEMS = 1  # findings: errors in the spec, the page or the outputs (all listed)
    FAILURE = 2  # the command could not do its job: a wrong command line (argparse's
    #              convention), --root is no catalogue, an input could not be read, or an
    #              output could not be written (nothing is half-written)


# Diagnostics that say an input could not be read rather than that it is wrong.
_IO_RULES = frozenset({"unreadable-file"})


def status(diagnostics: Sequence[Diagnostic]) -> ExitCode:
    """The exit status for a command whose result is these diagnostics."""
    if any(d.rule in _IO_RULES for d in diagnostics):
        return ExitCode.FAILURE
    if any(d.severity == "error" for d in diagnostics):
        return ExitCode.PROBLEMS
    return ExitCode.OK
