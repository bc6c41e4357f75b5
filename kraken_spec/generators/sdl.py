"""GraphQL SDL per endpoint, printed by graphql-core."""

from __future__ import annotations

from graphql import build_schema, print_schema

from kraken_spec.gql.schema import build_endpoint_schema
from kraken_spec.model import Catalogue


def endpoint_sdl(catalogue: Catalogue, endpoint: str) -> str:
    """The SDL of one endpoint (types by name, fields in documented order), newline-ended."""
    sdl = print_schema(build_endpoint_schema(catalogue, endpoint)) + "\n"
    # The published file must survive a round trip through other tools unchanged.
    if print_schema(build_schema(sdl)) + "\n" != sdl:
        raise ValueError(f"the SDL of endpoint {endpoint!r} does not round-trip")
    return sdl


def generate_sdl(catalogue: Catalogue) -> dict[str, str]:
    """``schema/<endpoint>.graphql`` for every endpoint."""
    return {f"schema/{e.name}.graphql": endpoint_sdl(catalogue, e.name)
            for e in catalogue.endpoints}
