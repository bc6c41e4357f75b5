"""GraphQL SDL per endpoint, printed by graphql-core."""

from __future__ import annotations

from graphql import build_schema, print_schema, validate_schema

from kraken_spec.gql.schema import build_endpoint_schema
from kraken_spec.model import Catalogue


def endpoint_sdl(catalogue: Catalogue, endpoint: str, *, page_only: bool = False) -> str:
    """The SDL of one endpoint (types by name, fields in documented order), newline-ended;
    shaped by the page and the schema sources, or with ``page_only`` by the page alone."""
    schema = build_endpoint_schema(catalogue, endpoint, page_only=page_only)
    problems = validate_schema(schema)
    if problems:
        raise ValueError(f"the schema of endpoint {endpoint!r} is not valid: "
                         + "; ".join(p.message for p in problems[:3]))
    sdl = print_schema(schema) + "\n"
    # The published file must survive a round trip through other tools unchanged.
    if print_schema(build_schema(sdl)) + "\n" != sdl:
        raise ValueError(f"the SDL of endpoint {endpoint!r} does not round-trip")
    return sdl


def generate_sdl(catalogue: Catalogue) -> dict[str, str]:
    """``schema/<endpoint>.graphql`` for every endpoint, and the page's own view of it in
    ``schema/page-only/<endpoint>.graphql`` (every type no page fact shapes a scalar)."""
    files: dict[str, str] = {}
    for e in catalogue.endpoints:
        files[f"schema/{e.name}.graphql"] = endpoint_sdl(catalogue, e.name)
        files[f"schema/page-only/{e.name}.graphql"] = endpoint_sdl(catalogue, e.name,
                                                                  page_only=True)
    return files
