"""The generated Python runtime: error codes and a response reader, in one self-contained file.

The module needs Python 3.11 and the standard library only, so a client can copy it into its
own source tree under any name; kraken-spec itself imports it as ``kraken_spec.runtime.errors``
(re-exported as ``kraken_spec.errors``). The catalogue's data (members with their docstrings,
messages, the codes of each mutation, the ``Literal`` of mutation names) is generated here; the
code that reads responses and raises ``KrakenError`` is the fixed text below, checked where it
lands: the committed module is under ruff and mypy --strict like the rest of the package.

Messages are arbitrary text, so none is pasted between quotes as it is: literals are written
with :func:`ascii` (the module is plain ASCII, whatever the messages hold) and docstrings with
:func:`_doc_escape`. Lines stay below ruff's limit.
"""

from __future__ import annotations

import re

from kraken_spec.generators.error_tables import (
    GENERATED_MARK,
    RAISERS_LISTED,
    ErrorTables,
    member_name,
    raisers_sentence,
)
from kraken_spec.generators.python_reader import READER

MAX_LINE = 99
INDENT = "    "


def _py_literal(text: str) -> str:
    """A Python string literal of ``text``, in plain ASCII.

    :func:`ascii` escapes backslashes, the quote it needs, control characters (newlines,
    ``\\r``, NUL), lone surrogates and every non-ASCII character, so the literal reads back
    as exactly ``text`` and the module's encoding never matters.
    """
    return ascii(text)


def _words(text: str) -> list[str]:
    """``text`` cut after each run of whitespace; joined, the pieces give ``text`` back."""
    return re.split(r"(?<=\s)(?=\S)", text)


def _py_chunks(text: str, width: int) -> list[str]:
    """``text`` cut into pieces whose literals are at most ``width`` long.

    Cuts fall after whitespace where possible, inside a word only when it is too long.
    """
    pieces: list[str] = []
    current = ""
    for word in _words(text):
        if len(_py_literal(current + word)) <= width:
            current += word
            continue
        if current:
            pieces.append(current)
            current = ""
        for char in word:
            if current and len(_py_literal(current + char)) > width:
                pieces.append(current)
                current = ""
            current += char
    if current or not pieces:
        pieces.append(current)
    return pieces


def _py_entry(key: str, text: str, depth: int = 1) -> list[str]:
    """Lines of a dict entry ``key: <literal of text>,`` within the line limit."""
    pad = INDENT * depth
    line = f"{pad}{key}: {_py_literal(text)},"
    if len(line) <= MAX_LINE:
        return [line]
    inner = pad + INDENT
    return [f"{pad}{key}: (",
            *(inner + _py_literal(p) for p in _py_chunks(text, MAX_LINE - len(inner))),
            f"{pad}),"]


def _doc_escape(text: str) -> str:
    """``text`` as the inside of a ``\"\"\"`` literal, in plain ASCII.

    Backslashes and every double quote are escaped (so no run of quotes can end the literal),
    printable ASCII stays as it is, anything else is written as :func:`ascii` escapes it.
    """
    out: list[str] = []
    for char in text:
        if char in '\\"':
            out.append("\\" + char)
        elif " " <= char <= "~":
            out.append(char)
        else:
            out.append(ascii(char)[1:-1])
    return "".join(out)


def _doc_lines(text: str, width: int) -> list[str]:
    """The escaped ``text`` wrapped into lines at most ``width`` long.

    Lines break at whitespace (a space at a break is dropped: the docstring is read with
    its lines reflowed), inside a word only when it is too long.
    """
    lines: list[str] = []
    current = ""
    for word in _words(text):
        escaped = _doc_escape(word)
        if len(current) + len(escaped.rstrip(" ")) <= width:
            current += escaped
            continue
        if current.strip(" "):
            lines.append(current.rstrip(" "))
        current = ""
        for char in word:
            unit = _doc_escape(char)
            if current and len(current) + len(unit.rstrip(" ")) > width:
                lines.append(current.rstrip(" "))
                current = ""
            current += unit
    lines.append(current.rstrip(" "))
    return lines


def _member_lines(tables: ErrorTables) -> list[str]:
    """Each member, with its message and raisers as its docstring (what editors show)."""
    lines: list[str] = []
    width = MAX_LINE - len(INDENT) - 3
    for error in tables.errors:
        message = _doc_lines(error.message, width)
        raisers = _doc_lines(raisers_sentence(tables.raised_by[error.code]), width)
        lines += [f"{INDENT}{member_name(error.code)} = {_py_literal(error.code)}",
                  f'{INDENT}"""{message[0]}',
                  *(f"{INDENT}{line}".rstrip() for line in (*message[1:], "", *raisers)),
                  f'{INDENT}"""', ""]
    return lines[:-1]


def _literal_alias(name: str, values: tuple[str, ...], doc: str) -> list[str]:
    """``name = Literal[...]`` with a docstring; ``Never`` when there are no values."""
    if not values:
        return [f"{name}: TypeAlias = Never", f'"""{doc}"""', ""]
    return [f"{name} = Literal[", *(f"{INDENT}{_py_literal(v)}," for v in values), "]",
            f'"""{doc}"""', ""]


_PY_DOC = '''\
"""Kraken error codes for client code: a member per code with its message, the codes each
mutation can raise, and a reader of GraphQL error responses that raises ``KrakenError``.

@MARK@ from spec/errors.yaml and the error lists of
spec/mutations/*.yaml. Do not edit by hand: change the spec and rebuild.

@CODES@ error codes and @MUTATIONS@ mutations.

The module is self-contained: Python 3.11 or later and the standard library only. Copy it into
a project as one file (under any name), or import it from an installed kraken-spec as
``kraken_spec.errors``.

``ErrorCode.KT_CT_1111`` is a ``str`` equal to ``"KT-CT-1111"``; its docstring, what an editor
shows, gives its message and the mutations raising it; ``.message`` is the message verbatim,
``.domain`` its two-letter domain and ``.raised_by`` the mutations. ``MUTATION_ERRORS`` maps
each ``MutationName`` (a ``Literal`` of the mutation names, so that a misspelled name fails
type checking) to the codes it can raise; ``MUTATION_ERRORS_IN_ORDER`` keeps their documented
order. ``response_errors(response)`` reads every error of a response, with its code, message,
path and validation errors, and never raises; ``raise_for_errors`` raises ``KrakenError``::

    try:
        raise_for_errors(response, mutation="obtainKrakenToken")
    except KrakenError as error:
        match error.code:
            case ErrorCode.KT_CT_1135 | ErrorCode.KT_CT_1134:
                ...  # the input was refused: see error.validation_errors
            case None:
                ...  # no code, or one this module does not list: error.raw_code
            case _:
                raise
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import @TYPING@

__all__ = [
    "MESSAGES",
    "MUTATION_ERRORS",
    "MUTATION_ERRORS_IN_ORDER",
    "MUTATION_NAMES",
    "CodedError",
    "ErrorCode",
    "ErrorDomain",
    "KrakenError",
    "MutationName",
    "PathItem",
    "ResponseErrors",
    "ValidationError",
    "is_mutation_name",
    "raise_for_errors",
    "read_response_errors",
    "response_errors",
]

'''

_PY_CLASS = '''
class ErrorCode(StrEnum):
    """An error code of the catalogue; its value is the code, e.g. ``"KT-CT-1111"``."""
'''

_PY_MEMBERS_END = '''
    @property
    def message(self) -> str:
        """The message of the code, verbatim."""
        return MESSAGES[self]

    @property
    def domain(self) -> ErrorDomain:
        """The two-letter domain, e.g. ``"CT"`` for ``KT-CT-1111``."""
        return cast(ErrorDomain, self.value[3:5])

    @property
    def raised_by(self) -> tuple[MutationName, ...]:
        """The names of the mutations that can raise the code, by name."""
        return _RAISED_BY[self]


# The message of each code, verbatim.
MESSAGES: Final[Mapping[ErrorCode, str]] = MappingProxyType({'''

_PY_TABLES_END = '''\
# The codes each mutation can raise, as a set.
MUTATION_ERRORS: Final[Mapping[MutationName, frozenset[ErrorCode]]] = MappingProxyType(
    {name: frozenset(codes) for name, codes in MUTATION_ERRORS_IN_ORDER.items()}
)

# Every mutation name, sorted.
MUTATION_NAMES: Final[tuple[MutationName, ...]] = tuple(MUTATION_ERRORS_IN_ORDER)

_BY_CODE: Final[Mapping[str, ErrorCode]] = MappingProxyType(
    {code.value: code for code in ErrorCode}
)


def _raisers() -> dict[ErrorCode, tuple[MutationName, ...]]:
    found: dict[ErrorCode, list[MutationName]] = {code: [] for code in ErrorCode}
    for name, codes in MUTATION_ERRORS_IN_ORDER.items():
        for code in dict.fromkeys(codes):
            found[code].append(name)
    return {code: tuple(names) for code, names in found.items()}


_RAISED_BY: Final[Mapping[ErrorCode, tuple[MutationName, ...]]] = MappingProxyType(_raisers())


def _describe(code: ErrorCode) -> str:
    """A member's docstring as the source shows it: its message and the mutations."""
    names = code.raised_by
    if not names:
        raisers = "Raised by no mutation of the catalogue."
    elif len(names) > @LISTED@:
        raisers = f"Raised by {len(names)} mutations."
    else:
        raisers = f"Raised by {', '.join(names)}."
    return f"{code.message}\\n\\n{raisers}"


for _code in ErrorCode:
    _code.__doc__ = _describe(_code)


def is_mutation_name(value: object) -> TypeGuard[MutationName]:
    """True when ``value`` names a mutation of the catalogue."""
    return isinstance(value, str) and value in MUTATION_ERRORS
'''


def _isort_key(name: str) -> tuple[bool, str]:
    """Names imported from one module in isort's order: classes, then functions."""
    return (name[0].islower(), name)


def render_python(tables: ErrorTables) -> str:
    """The text of the module (``kraken_spec/runtime/errors.py`` in a kraken-spec checkout)."""
    domains = tables.domains
    names = tuple(name for name, _ in tables.mutations)
    typing_names = {"Final", "Generic", "TypeGuard", "TypeVar", "cast"}
    typing_names |= {"Literal"} if domains or names else set()
    typing_names |= {"Never", "TypeAlias"} if not (domains and names) else set()
    head = (_PY_DOC.replace("@MARK@", GENERATED_MARK)
            .replace("@CODES@", str(len(tables.errors)))
            .replace("@MUTATIONS@", str(len(tables.mutations)))
            .replace("@TYPING@", ", ".join(sorted(typing_names, key=_isort_key))))
    lines = [head.rstrip("\n"), ""]
    lines += _literal_alias("ErrorDomain", domains,
                            'The two-letter domain of a code: ``"CT"`` for ``KT-CT-1111``.')
    lines += _literal_alias("MutationName", names, "The name of a mutation of the catalogue.")
    lines.append(_PY_CLASS)
    lines += _member_lines(tables)
    lines.append(_PY_MEMBERS_END)
    for e in tables.errors:
        lines += _py_entry(f"ErrorCode.{member_name(e.code)}", e.message)
    lines += ["})", "", "# The codes each mutation can raise, in documented order.",
              "MUTATION_ERRORS_IN_ORDER: Final[Mapping[MutationName, tuple[ErrorCode, ...]]] = "
              "MappingProxyType({"]
    for name, codes in tables.mutations:
        if not codes:
            lines.append(f"{INDENT}{_py_literal(name)}: (),")
            continue
        lines.append(f"{INDENT}{_py_literal(name)}: (")
        lines += [f"{INDENT * 2}ErrorCode.{member_name(code)}," for code in codes]
        lines.append(f"{INDENT}),")
    lines += ["})", "", _PY_TABLES_END.replace("@LISTED@", str(RAISERS_LISTED)) + READER]
    return "\n".join(lines)
