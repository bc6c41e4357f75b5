"""The response reader, kept importable where it used to live.

The reader now lives in the generated :mod:`kraken_spec.runtime.errors`, so that the runtime
is one self-contained file a client can copy; these are the same objects, re-exported
(``kraken_spec.ResponseErrors`` and ``kraken_spec.read_response_errors`` come from here).
The reading rules are documented on :func:`read_response_errors`.
"""

from __future__ import annotations

from kraken_spec.runtime.errors import (
    CodedError,
    PathItem,
    ResponseErrors,
    ValidationError,
    read_response_errors,
)

__all__ = ["CodedError", "PathItem", "ResponseErrors", "ValidationError", "read_response_errors"]
