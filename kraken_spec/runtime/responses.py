"""Read the error codes out of a Kraken GraphQL response.

Kraken reports a failed mutation as a GraphQL error whose ``extensions`` carry the code::

    {"data": {"resetUserPassword": null},
     "errors": [{"message": "Password is invalid.",
                 "path": ["resetUserPassword"],
                 "extensions": {
                     "errorType": "VALIDATION",
                     "errorCode": "KT-CT-5450",
                     "errorDescription": "Given password fails password policy requirements.",
                     "validationErrors": [{"code": "password_too_short",
                                           "message": "This password is too short. ...",
                                           "inputPath": ["input", "password"]}]}}]}

:func:`read_response_errors` is generic over the codes it knows, given as a mapping from
code text to any value (the generated :mod:`kraken_spec.runtime.errors` passes its ``ErrorCode``
members), so the logic lives here, tested once, and the generated module only holds data.

The reader never raises on a value produced by ``json.loads``. It reads what it can and
reports the rest instead of guessing:

* a response that is not an object, has no ``errors`` key, or whose ``errors`` is null
  or an empty list, has no errors;
* an ``errors`` that is present but neither a list nor null (``"errors": "Unauthorized"``)
  is one malformed error, counted in :attr:`ResponseErrors.uncoded`: the server said
  something went wrong, and a reader must not turn that into success;
* an entry of ``errors`` is *coded* when it is an object whose ``extensions`` is an object
  whose ``errorCode`` is a string. Every other entry (a GraphQL error without a Kraken code,
  such as a query syntax error, or a malformed entry such as ``1``) is counted in
  :attr:`ResponseErrors.uncoded`, so that a caller never mistakes a failed response for a
  clean one;
* a coded entry's code is *known* when it is a key of the mapping, else it is reported, as
  given, in :attr:`ResponseErrors.unknown`: a code the catalogue does not list yet is never
  dropped;
* the other fields of a coded entry are optional: a string field that is absent or not a
  string reads as ``None``; a path that is absent or not a list of strings and integers reads
  as ``None``; entries of ``validationErrors`` that are not objects are skipped.

Objects are read as ``dict`` and lists as ``list`` or ``tuple``, as ``json.loads`` makes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

C = TypeVar("C")

PathItem = str | int


@dataclass(frozen=True)
class ValidationError:
    """One entry of ``extensions.validationErrors``: which input failed and why."""

    code: str | None
    message: str | None
    input_path: tuple[PathItem, ...] | None


@dataclass(frozen=True)
class CodedError(Generic[C]):
    """A GraphQL error that carries a Kraken error code.

    ``code`` is the ``errorCode`` exactly as the response gives it; ``known`` is the value
    the known-code mapping gives for it, or ``None`` when the code is not in the mapping.
    """

    code: str
    known: C | None
    message: str | None
    path: tuple[PathItem, ...] | None
    error_type: str | None
    description: str | None
    validation_errors: tuple[ValidationError, ...]


@dataclass(frozen=True)
class ResponseErrors(Generic[C]):
    """The errors of one response: the coded ones in response order, and how many others."""

    errors: tuple[CodedError[C], ...] = ()
    uncoded: int = 0

    @property
    def known(self) -> tuple[C, ...]:
        """The known codes, in response order (a code raised twice is listed twice)."""
        return tuple(e.known for e in self.errors if e.known is not None)

    @property
    def unknown(self) -> tuple[str, ...]:
        """The codes the mapping does not know, as given, in response order."""
        return tuple(e.code for e in self.errors if e.known is None)

    @property
    def codes(self) -> tuple[str, ...]:
        """Every code, known or not, as given, in response order."""
        return tuple(e.code for e in self.errors)

    @property
    def failed(self) -> bool:
        """True when the response has at least one error, coded or not."""
        return bool(self.errors) or self.uncoded > 0


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _path(value: object) -> tuple[PathItem, ...] | None:
    if not isinstance(value, list | tuple):
        return None
    items: list[PathItem] = []
    for item in value:
        # bool is an int subclass, but true/false is no path item.
        if isinstance(item, str) or (isinstance(item, int) and not isinstance(item, bool)):
            items.append(item)
        else:
            return None
    return tuple(items)


def _validation_errors(value: object) -> tuple[ValidationError, ...]:
    if not isinstance(value, list | tuple):
        return ()
    return tuple(
        ValidationError(_text(v.get("code")), _text(v.get("message")), _path(v.get("inputPath")))
        for v in value
        if isinstance(v, dict)
    )


def _coded_error(entry: object, known: Mapping[str, C]) -> CodedError[C] | None:
    if not isinstance(entry, dict):
        return None
    extensions = entry.get("extensions")
    if not isinstance(extensions, dict):
        return None
    code = extensions.get("errorCode")
    if not isinstance(code, str):
        return None
    return CodedError(
        code=code,
        known=known.get(code),
        message=_text(entry.get("message")),
        path=_path(entry.get("path")),
        error_type=_text(extensions.get("errorType")),
        description=_text(extensions.get("errorDescription")),
        validation_errors=_validation_errors(extensions.get("validationErrors")),
    )


def read_response_errors(response: object, known: Mapping[str, C]) -> ResponseErrors[C]:
    """The errors of a GraphQL ``response`` (as from ``json.loads``), read against ``known``.

    Never raises on a JSON value; see the module documentation for how malformed parts read.
    """
    if not isinstance(response, dict):
        return ResponseErrors()
    entries = response.get("errors")
    if entries is None:
        return ResponseErrors()
    if not isinstance(entries, list | tuple):
        return ResponseErrors(uncoded=1)
    coded: list[CodedError[C]] = []
    uncoded = 0
    for entry in entries:
        error = _coded_error(entry, known)
        if error is None:
            uncoded += 1
        else:
            coded.append(error)
    return ResponseErrors(tuple(coded), uncoded)
