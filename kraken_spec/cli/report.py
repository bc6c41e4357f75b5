"""Reporters: write diagnostics in one of several formats, chosen by name from REPORTERS.

Each reporter takes the diagnostics, a :class:`Summary` of them and a stream. Together with
the command line, this is the only module that prints.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TextIO

from kraken_spec.diagnostics import Diagnostic


@dataclass(frozen=True)
class Summary:
    """How many diagnostics of each severity a report holds, and how its text ends.

    ``footer`` is the text format's closing line: None for ``N problem(s) found``, "" for
    none at all (a report in the middle of a command's output).
    """

    errors: int = 0
    warnings: int = 0
    infos: int = 0
    unverified: int = 0
    footer: str | None = None

    @classmethod
    def of(cls, diagnostics: Sequence[Diagnostic], footer: str | None = None) -> Summary:
        """The counts of ``diagnostics``."""
        severities = [d.severity for d in diagnostics]
        return cls(errors=severities.count("error"), warnings=severities.count("warning"),
                   infos=severities.count("info"),
                   unverified=severities.count("unverified"), footer=footer)

    @property
    def total(self) -> int:
        return self.errors + self.warnings + self.infos + self.unverified

    @property
    def ok(self) -> bool:
        """No errors (warnings, notes and unverified facts do not fail a command)."""
        return self.errors == 0


Reporter = Callable[[Sequence[Diagnostic], Summary, TextIO], None]


def _where(d: Diagnostic) -> str:
    """``path``, ``path:line`` or ``path:line:column``, as much as is known."""
    if d.line == 0:
        return d.path
    if d.column == 0:
        return f"{d.path}:{d.line}"
    return f"{d.path}:{d.line}:{d.column}"


def text_line(d: Diagnostic) -> str:
    """One diagnostic, compiler-style; an error reads exactly as ``str(d)`` when it has a
    column or no line, and any other severity is named before the message."""
    severity = "" if d.severity == "error" else f"{d.severity}: "
    return f"{_where(d)}: {severity}{d.message}"


def full_text_line(d: Diagnostic) -> str:
    """One diagnostic with every part named: ``path:line:col: severity: message [rule]``,
    the form of the contract checks, whose readers filter by severity and rule."""
    return f"{_where(d)}: {d.severity}: {d.message} [{d.rule}]"


def report_text(diagnostics: Sequence[Diagnostic], summary: Summary, stream: TextIO,
                line: Callable[[Diagnostic], str] = text_line) -> None:
    """A line per diagnostic, then ``N problem(s) found`` (or the summary's footer)."""
    for d in diagnostics:
        print(line(d), file=stream)
    footer = f"{summary.total} problem(s) found" if summary.footer is None else summary.footer
    if footer:
        print(footer, file=stream)


def report_json(diagnostics: Sequence[Diagnostic], summary: Summary, stream: TextIO) -> None:
    """One JSON document: ``{"ok": ..., "problems": [...]}``."""
    document = {
        "ok": summary.ok,
        "problems": [
            {"path": d.path, "line": d.line, "column": d.column, "severity": d.severity,
             "rule": d.rule, "message": d.message}
            for d in diagnostics
        ],
    }
    print(json.dumps(document, indent=2), file=stream)


# GitHub Actions workflow commands: https://docs.github.com/actions/reference/workflow-commands
_GITHUB_COMMANDS = {"error": "error", "warning": "warning", "info": "notice",
                    "unverified": "warning"}


def escape_github_data(text: str) -> str:
    """A workflow command's message, with ``%``, CR and LF escaped."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_github_property(text: str) -> str:
    """A workflow command's property value: the message escapes plus ``:`` and ``,``."""
    return escape_github_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(d: Diagnostic) -> str:
    """``::error file=PATH,line=L,col=C,title=RULE::MESSAGE`` (line and col when known)."""
    properties = [f"file={escape_github_property(d.path)}"]
    if d.line:
        properties.append(f"line={d.line}")
        if d.column:
            properties.append(f"col={d.column}")
    properties.append(f"title={escape_github_property(d.rule)}")
    command = _GITHUB_COMMANDS[d.severity]
    return f"::{command} {','.join(properties)}::{escape_github_data(d.message)}"


def report_github(diagnostics: Sequence[Diagnostic], summary: Summary, stream: TextIO) -> None:
    """A GitHub Actions annotation per diagnostic (the summary adds no line: each would be
    one more annotation)."""
    for d in diagnostics:
        print(github_line(d), file=stream)


def escape_markdown_cell(text: str) -> str:
    """Text that stays inside one table cell: ``|`` escaped, line breaks as ``<br>``."""
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("\r\n", "<br>").replace("\r", "<br>").replace("\n", "<br>")


MARKDOWN_HEADER = ("where", "severity", "rule", "message")


def report_markdown(diagnostics: Sequence[Diagnostic], summary: Summary,
                    stream: TextIO) -> None:
    """A count line and, when there is anything to show, a table of the diagnostics."""
    print(f"**{summary.total} problem(s) found** ({summary.errors} error(s), "
          f"{summary.warnings} warning(s))", file=stream)
    if not diagnostics:
        return
    print("", file=stream)
    print("| " + " | ".join(MARKDOWN_HEADER) + " |", file=stream)
    print("|" + "---|" * len(MARKDOWN_HEADER), file=stream)
    for d in diagnostics:
        cells = (_where(d), d.severity, d.rule, d.message)
        print("| " + " | ".join(escape_markdown_cell(c) for c in cells) + " |", file=stream)


REPORTERS: dict[str, Reporter] = {
    "text": report_text,
    "json": report_json,
    "github": report_github,
    "markdown": report_markdown,
}
FORMATS = tuple(REPORTERS)


def report(fmt: str, diagnostics: Sequence[Diagnostic], stream: TextIO,
           footer: str | None = None, *, full: bool = False) -> Summary:
    """Write ``diagnostics`` in the format ``fmt`` and return their summary; ``full``
    names every part of each text line (see :func:`full_text_line`)."""
    summary = Summary.of(diagnostics, footer)
    if fmt == "text" and full:
        report_text(diagnostics, summary, stream, full_text_line)
    else:
        REPORTERS[fmt](diagnostics, summary, stream)
    return summary
