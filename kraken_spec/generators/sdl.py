"""GraphQL SDL per endpoint, printed by graphql-core."""

from __future__ import annotations

from collections.abc import Sequence

from graphql import GraphQLSchema, build_schema, print_schema, validate_schema

from kraken_spec.gql.schema import build_endpoint_schema
from kraken_spec.model import Catalogue
from kraken_spec.parallel import chunked, map_chunks

# Below this many mutations, starting worker processes costs more than it saves.
PARALLEL_FROM = 1000


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
    """Every file of ``sdl_files`` with its text."""
    jobs = list(sdl_files(catalogue).items())

    def render(chunk: Sequence[tuple[str, tuple[str, bool]]]) -> dict[str, str]:
        return {path: endpoint_sdl(catalogue, name, page_only=page_only)
                for path, (name, page_only) in chunk}

    # Each file's round trip parses all of it again: with many mutations, the files are
    # printed on several cores when the catalogue is large enough to pay for the workers.
    size = len(jobs) if len(catalogue.mutations) < PARALLEL_FROM else 1
    return {path: text for done in map_chunks(render, chunked(jobs, size))
            for path, text in done.items()}
