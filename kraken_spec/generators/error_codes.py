"""Error codes for client code: a Python module, a JSON file and a TypeScript module.

The three outputs carry the same facts: every code with its message and domain, and the
codes each mutation can raise, in the order the page documents them. Each is self-contained,
so client code adopts it without the tool: the Python module needs the standard library
only (:mod:`kraken_spec.generators.errors_python`), the TypeScript module imports nothing
(:mod:`kraken_spec.generators.errors_typescript`), and the JSON is plain data. Both modules
also read the errors out of a GraphQL response, by the same rules and into the same shape.

The catalogue is checked once (:func:`~kraken_spec.generators.error_tables.error_tables`)
and every output is rendered from the checked tables. Everything is deterministic: codes in
catalogue order, mutations by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kraken_spec.generators.error_tables import (
    GENERATED_MARK,
    ErrorTables,
    error_tables,
    json_text,
    member_name,
)
from kraken_spec.generators.errors_python import render_python
from kraken_spec.generators.errors_typescript import render_typescript
from kraken_spec.model import Catalogue

__all__ = [
    "ERRORS_FORMAT_VERSION",
    "GENERATED_MARK",
    "ErrorOutputs",
    "error_outputs",
    "errors_document",
    "generate_error_files",
    "member_name",
    "render_python_module",
]

ERRORS_FORMAT_VERSION = 1


def errors_document(tables: ErrorTables) -> dict[str, Any]:
    """The content of ``errors/errors.json`` as plain data; key names are an interface."""
    return {
        "formatVersion": ERRORS_FORMAT_VERSION,
        "errors": [
            {"code": e.code, "message": e.message, "domain": e.domain,
             "mutations": list(tables.raised_by[e.code])}
            for e in tables.errors
        ],
        "mutations": {name: list(codes) for name, codes in tables.mutations},
    }


@dataclass(frozen=True)
class ErrorOutputs:
    """Every error-code output of one catalogue."""

    # errors/errors.json and errors/errors.ts, relative to the output folder.
    files: dict[str, str]
    # The Python module; where it goes is the build's decision.
    python_module: str


def error_outputs(catalogue: Catalogue) -> ErrorOutputs:
    """Every error-code output; the catalogue is checked once, before anything is rendered.

    Raises ValueError for a catalogue the outputs cannot carry faithfully (see
    :func:`~kraken_spec.generators.error_tables.error_tables`).
    """
    tables = error_tables(catalogue)
    return ErrorOutputs(
        files={
            "errors/errors.json": json_text(errors_document(tables)) + "\n",
            "errors/errors.ts": render_typescript(tables),
        },
        python_module=render_python(tables),
    )


def generate_error_files(catalogue: Catalogue) -> dict[str, str]:
    """``errors/errors.json`` and ``errors/errors.ts``."""
    return error_outputs(catalogue).files


def render_python_module(catalogue: Catalogue) -> str:
    """The text of the Python module (``kraken_spec/runtime/errors.py`` in a checkout)."""
    return error_outputs(catalogue).python_module
