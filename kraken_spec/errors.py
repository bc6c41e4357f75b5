"""Kraken error codes for client code: ``from kraken_spec.errors import ErrorCode``.

A re-export of the generated :mod:`kraken_spec.runtime.errors`, which needs the standard
library only: importing it loads none of the generator's dependencies. The same module can be
copied into a project as one file instead of installing kraken-spec; see the README's "Error
codes in client code".
"""

from __future__ import annotations

from kraken_spec.runtime.errors import (
    MESSAGES,
    MUTATION_ERRORS,
    MUTATION_ERRORS_IN_ORDER,
    MUTATION_NAMES,
    CodedError,
    ErrorCode,
    ErrorDomain,
    KrakenError,
    MutationName,
    PathItem,
    ResponseErrors,
    ValidationError,
    is_mutation_name,
    raise_for_errors,
    read_response_errors,
    response_errors,
)

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
