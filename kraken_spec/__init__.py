"""kraken-spec: a declarative, machine-checked catalogue of the Kraken GraphQL API mutations."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# The public API, imported on first use: `import kraken_spec` stays cheap for the CLI's start.
_EXPORTS = {
    "Catalogue": "kraken_spec.model",
    "Mutation": "kraken_spec.model",
    "NamedType": "kraken_spec.model",
    "ErrorEntry": "kraken_spec.model",
    "Diagnostic": "kraken_spec.diagnostics",
    "KrakenSpecError": "kraken_spec.exceptions",
    "SpecInvalidError": "kraken_spec.exceptions",
    "LoadResult": "kraken_spec.spec.loader",
    "load_spec": "kraken_spec.spec.loader",
    "build_endpoint_schema": "kraken_spec.gql.schema",
    "endpoint_sdl": "kraken_spec.generators.sdl",
    "export_json": "kraken_spec.generators.export",
    "catalogue_from_export": "kraken_spec.generators.export",
    "bundled_catalogue": "kraken_spec.resources",
    "bundled_sdl": "kraken_spec.resources",
    "read_response_errors": "kraken_spec.runtime.responses",
    "ResponseErrors": "kraken_spec.runtime.responses",
}

__all__ = [
    "Catalogue",
    "Diagnostic",
    "ErrorEntry",
    "KrakenSpecError",
    "LoadResult",
    "Mutation",
    "NamedType",
    "ResponseErrors",
    "SpecInvalidError",
    "__version__",
    "build_endpoint_schema",
    "bundled_catalogue",
    "bundled_sdl",
    "catalogue_from_export",
    "endpoint_sdl",
    "export_json",
    "load_spec",
    "read_response_errors",
]

if TYPE_CHECKING:
    from kraken_spec.diagnostics import Diagnostic
    from kraken_spec.exceptions import KrakenSpecError, SpecInvalidError
    from kraken_spec.generators.export import catalogue_from_export, export_json
    from kraken_spec.generators.sdl import endpoint_sdl
    from kraken_spec.gql.schema import build_endpoint_schema
    from kraken_spec.model import Catalogue, ErrorEntry, Mutation, NamedType
    from kraken_spec.resources import bundled_catalogue, bundled_sdl
    from kraken_spec.runtime.responses import ResponseErrors, read_response_errors
    from kraken_spec.spec.loader import LoadResult, load_spec


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kraken_spec' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
