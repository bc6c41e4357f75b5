"""GraphQL SDL per endpoint, printed by graphql-core."""

from __future__ import annotations

from graphql import GraphQLSchema, build_schema, print_schema, validate_schema

from kraken_spec.gql.schema import build_endpoint_schema
from kraken_spec.model import Catalogue


def endpoint_sdl(catalogue: Catalogue, endpoint: str, *, page_only: bool = False,
                 schema: GraphQLSchema | None = None) -> str:
    """The SDL of one endpoint (types by name, fields in documented order), newline-ended;
    shaped by the page and the schema sources, or with ``page_only`` by the page alone.
    ``schema`` is that endpoint's schema when the caller has built it already."""
    if schema is None:
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


def sdl_files(catalogue: Catalogue) -> dict[str, tuple[str, bool]]:
    """The SDL files of the output folder, each with its endpoint and whether it is the
    page-only view: ``schema/<endpoint>.graphql`` for every endpoint, and the page's own
    view of it in ``schema/page-only/<endpoint>.graphql`` (every type no page fact shapes a
    scalar)."""
    return {(f"schema/page-only/{e.name}.graphql" if page_only
             else f"schema/{e.name}.graphql"): (e.name, page_only)
            for e in catalogue.endpoints for page_only in (False, True)}


def generate_sdl(catalogue: Catalogue) -> dict[str, str]:
    """Every file of ``sdl_files`` with its text (the build runs each as a task of its own)."""
    return {path: endpoint_sdl(catalogue, name, page_only=page_only)
            for path, (name, page_only) in sdl_files(catalogue).items()}
