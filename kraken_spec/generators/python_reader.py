"""The fixed code of the generated Python runtime: the response reader and ``KrakenError``.

It is pasted after the generated tables (it refers to ``ErrorCode``, ``MutationName`` and
``is_mutation_name``) and checked where it lands: ruff and mypy --strict cover the committed
kraken_spec/runtime/errors.py, and the tests run the reader's documented rules against it.
"""

from __future__ import annotations

READER = '''

# --- reading a GraphQL response -----------------------------------------------------------

_Known = TypeVar("_Known")

PathItem = str | int
"""A step of a GraphQL error path: a field name or a list index."""


@dataclass(frozen=True)
class ValidationError:
    """One entry of ``extensions.validationErrors``: which input failed and why."""

    code: str | None
    message: str | None
    input_path: tuple[PathItem, ...] | None


@dataclass(frozen=True)
class CodedError(Generic[_Known]):
    """A GraphQL error that carries a Kraken error code.

    ``code`` is the ``errorCode`` exactly as the response gives it; ``known`` is the value
    the known-code mapping gives for it (an ``ErrorCode`` member from ``response_errors``),
    or ``None`` when the code is not in the mapping.
    """

    code: str
    known: _Known | None
    message: str | None
    path: tuple[PathItem, ...] | None
    error_type: str | None
    description: str | None
    validation_errors: tuple[ValidationError, ...]


@dataclass(frozen=True)
class ResponseErrors(Generic[_Known]):
    """The errors of one response: the coded ones in response order, and how many others."""

    errors: tuple[CodedError[_Known], ...] = ()
    uncoded: int = 0

    @property
    def known(self) -> tuple[_Known, ...]:
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


def _coded_error(entry: object, known: Mapping[str, _Known]) -> CodedError[_Known] | None:
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


def read_response_errors(response: object, known: Mapping[str, _Known]) -> ResponseErrors[_Known]:
    """The errors of a GraphQL ``response`` (as from ``json.loads``), read against ``known``,
    a mapping from code text to any value (``response_errors`` passes the members).

    Never raises on a JSON value. It reads what it can and reports the rest:

    * a response that is not an object, has no ``errors`` or a null or empty one, has no
      errors; an ``errors`` that is neither a list nor null is one uncoded error: the server
      said something went wrong, and a reader must not turn that into success;
    * an entry is *coded* when it is an object whose ``extensions`` is an object whose
      ``errorCode`` is a string; every other entry (a GraphQL error without a Kraken code,
      such as a syntax error, or a malformed one) is counted in ``uncoded``;
    * a code that is no key of ``known`` is kept, as given, in ``unknown``, never dropped;
    * a string field that is absent or no string reads as ``None``, as does a path that is
      not a list of strings and integers; ``validationErrors`` entries that are not objects
      are skipped.
    """
    if not isinstance(response, dict):
        return ResponseErrors()
    entries = response.get("errors")
    if entries is None:
        return ResponseErrors()
    if not isinstance(entries, list | tuple):
        return ResponseErrors(uncoded=1)
    coded: list[CodedError[_Known]] = []
    uncoded = 0
    for entry in entries:
        error = _coded_error(entry, known)
        if error is None:
            uncoded += 1
        else:
            coded.append(error)
    return ResponseErrors(tuple(coded), uncoded)


def response_errors(response: object) -> ResponseErrors[ErrorCode]:
    """The errors of a GraphQL ``response`` (as from ``json.loads``), in response order.

    ``.known`` holds the codes of the catalogue as members, ``.unknown`` any other code as
    given, ``.uncoded`` counts errors without a code, ``.errors`` has each coded error with
    its message, path and validation errors. Never raises: see ``read_response_errors``.
    """
    return read_response_errors(response, _BY_CODE)


# --- raising ------------------------------------------------------------------------------


class KrakenError(Exception):
    """A failed GraphQL response, raised by ``raise_for_errors``.

    The attributes describe the response's first coded error: ``code`` is its member
    (``None`` when no error carries a code, or the code is one this module does not list),
    ``raw_code`` the code as given (``None`` when no error carries one), then ``message``,
    ``path``, ``validation_errors``, ``error_type`` and ``description`` as the response gives
    them. ``mutation`` is the mutation the caller named, else the first step of the error's
    path when that is a mutation name (a response key: an alias hides the mutation).
    ``errors`` holds every error of the response. ``match`` on ``error.code``, or on the
    error itself: ``case KrakenError(ErrorCode.KT_CT_1111):``.
    """

    __match_args__ = ("code", "mutation")

    def __init__(self, errors: ResponseErrors[ErrorCode],
                 mutation: MutationName | None = None) -> None:
        first = errors.errors[0] if errors.errors else None
        self.errors: ResponseErrors[ErrorCode] = errors
        self.code: ErrorCode | None = first.known if first else None
        self.raw_code: str | None = first.code if first else None
        self.message: str | None = first.message if first else None
        self.path: tuple[PathItem, ...] | None = first.path if first else None
        self.validation_errors: tuple[ValidationError, ...] = (
            first.validation_errors if first else ())
        self.error_type: str | None = first.error_type if first else None
        self.description: str | None = first.description if first else None
        if mutation is None and self.path and is_mutation_name(self.path[0]):
            mutation = self.path[0]
        self.mutation: MutationName | None = mutation
        super().__init__(self._summary())

    def _summary(self) -> str:
        if self.raw_code is None:
            count = self.errors.uncoded
            text = f"{count} error{'s' if count != 1 else ''} without an error code"
        else:
            message = self.message
            if message is None and self.code is not None:
                message = self.code.message
            text = f"{self.raw_code}: {message}" if message is not None else self.raw_code
            others = len(self.errors.errors) - 1 + self.errors.uncoded
            if others:
                text += f" (and {others} more error{'s' if others != 1 else ''})"
        return f"{self.mutation}: {text}" if self.mutation is not None else text

    def __reduce__(self) -> tuple[type[KrakenError], tuple[ResponseErrors[ErrorCode],
                                                             MutationName | None]]:
        return (type(self), (self.errors, self.mutation))


def raise_for_errors(response: object, *, mutation: MutationName | None = None) -> None:
    """Raise ``KrakenError`` when the GraphQL ``response`` (as from ``json.loads``) has
    errors, coded or not; return when it has none. ``mutation`` names the mutation the
    request ran, for the error's ``mutation``; it is typed, so a misspelled name fails type
    checking."""
    errors = response_errors(response)
    if errors.failed:
        raise KrakenError(errors, mutation)
'''
