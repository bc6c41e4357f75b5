"""Hypothesis strategies for Kraken request bodies and error responses (extra: strategies)."""

from __future__ import annotations

# The extra's packages, imported first so that a missing one is named with the remedy.
try:
    import hypothesis_graphql  # noqa: F401 - used by .bodies
    from hypothesis import reject
    from hypothesis import strategies as st
except ImportError as exc:  # exercised in a subprocess by the tests
    raise ImportError("kraken_spec.strategies needs Hypothesis and hypothesis-graphql: "
                      "pip install 'kraken-spec[strategies]'") from exc

from collections.abc import Callable, Collection, Mapping
from functools import lru_cache
from typing import Any

from graphql import GraphQLField

from kraken_spec.model import Catalogue, Mutation
from kraken_spec.resources import bundled_catalogue
from kraken_spec.strategies.bodies import Drawer, Request, endpoint_schema
from kraken_spec.strategies.invalid import KINDS, Damaged, Reason, damage, may_apply
from kraken_spec.strategies.responses import error_response_strategy
from kraken_spec.strategies.values import SCALAR_FORMATS, json_values

__all__ = ["KINDS", "SCALAR_FORMATS", "Reason", "Request", "error_responses",
           "invalid_requests", "json_values", "requests", "valid_requests"]

@lru_cache(maxsize=1)
def _bundled() -> Catalogue:
    return bundled_catalogue()


def _chosen(catalogue: Catalogue, mutation: str | None, endpoint: str | None) -> list[Mutation]:
    """The mutations to draw from; a name the catalogue lacks is refused at once."""
    found = [m for m in catalogue.mutations
             if (mutation is None or m.name == mutation)
             and (endpoint is None or m.endpoint == endpoint)]
    if not found:
        where = f" on endpoint {endpoint!r}" if endpoint else ""
        what = f"no mutation {mutation!r}" if mutation else "no mutations"
        raise ValueError(f"the catalogue has {what}{where}")
    return found


def requests(mutation: str | None = None, *, catalogue: Catalogue | None = None,
             endpoint: str | None = None,
             scalars: Mapping[str, st.SearchStrategy[Any]] | None = None,
             ) -> st.SearchStrategy[Request]:
    """Valid requests as :class:`Request` objects (the mutation, its endpoint, the parsed
    document and the variables; ``.body()`` is the JSON body).

    ``mutation`` names one mutation (default: any of the catalogue, or of ``endpoint``);
    ``catalogue`` defaults to the bundled one; ``scalars`` maps a custom scalar's name to a
    strategy of its JSON values, over :data:`SCALAR_FORMATS`.
    """
    cat = catalogue if catalogue is not None else _bundled()
    return _requests(cat, _chosen(cat, mutation, endpoint), scalars)


def _requests(catalogue: Catalogue, chosen: list[Mutation],
              scalars: Mapping[str, st.SearchStrategy[Any]] | None,
              keep: Callable[[str, GraphQLField], bool] | None = None,
              ) -> st.SearchStrategy[Request]:
    def build() -> st.SearchStrategy[Request]:
        # Schemas are built at the first draw, not when a test module is imported.
        endpoints = sorted({m.endpoint for m in chosen})
        drawers = {ep: Drawer(catalogue, ep, scalars) for ep in endpoints}
        names = [(m.endpoint, m.name) for m in chosen if keep is None or keep(
            m.name, drawers[m.endpoint].field(m.name))]
        if not names:
            raise ValueError("no mutation of the choice can take that damage")

        @st.composite
        def one(draw: st.DrawFn) -> Request:
            ep, name = draw(st.sampled_from(names))
            return drawers[ep].request(draw, name)

        return one()

    return st.deferred(build)


def valid_requests(mutation: str | None = None, *, catalogue: Catalogue | None = None,
                   endpoint: str | None = None,
                   scalars: Mapping[str, st.SearchStrategy[Any]] | None = None,
                   ) -> st.SearchStrategy[dict[str, Any]]:
    """Request bodies ``{"query", "variables", "operationName"}`` a server must accept, as
    far as the catalogue knows: where only a sibling schema states a type, its values follow
    the sibling's shape; where no source does, they are arbitrary JSON. The arguments are as
    for :func:`requests`."""
    return requests(mutation, catalogue=catalogue, endpoint=endpoint,
                    scalars=scalars).map(lambda r: r.body())


def invalid_requests(mutation: str | None = None, *, catalogue: Catalogue | None = None,
                     endpoint: str | None = None, kinds: Collection[str] | None = None,
                     scalars: Mapping[str, st.SearchStrategy[Any]] | None = None,
                     ) -> st.SearchStrategy[Damaged]:
    """``(body, reason)`` pairs: a valid request damaged one way of ``kinds`` (default:
    every one of :data:`KINDS`); ``body`` is a dict, or raw text for malformed JSON."""
    chosen_kinds = [k for k in KINDS if kinds is None or k in kinds]
    unknown = sorted(set(kinds or ()) - set(KINDS))
    if unknown or not chosen_kinds:
        raise ValueError(f"unknown kinds {unknown} (known: {', '.join(KINDS)})")
    cat = catalogue if catalogue is not None else _bundled()
    # Only the mutations whose types let one of the kinds apply, so that few draws are lost.
    drawn = _requests(cat, _chosen(cat, mutation, endpoint), scalars,
                      lambda _, field: any(may_apply(k, field) for k in chosen_kinds))

    @st.composite
    def one(draw: st.DrawFn) -> Damaged:
        found = damage(draw, draw(drawn), chosen_kinds)
        if found is None:
            reject()  # none of the kinds applies to this request: draw another
        assert found is not None
        return found

    return one()


def error_responses(mutation: str | None = None, *, catalogue: Catalogue | None = None,
                    endpoint: str | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """Kraken error responses to ``mutation`` (default: any mutation that lists codes): one
    to three errors, each with a code the mutation can raise, the message the page gives it,
    and Kraken's ``extensions`` (``errorType``, ``errorCode``, ``errorDescription``, maybe
    ``validationErrors`` pointing into the mutation's arguments)."""
    cat = catalogue if catalogue is not None else _bundled()
    chosen = [m for m in _chosen(cat, mutation, endpoint) if m.errors]
    if not chosen:
        raise ValueError(f"{mutation!r} lists no error codes" if mutation
                         else "no mutation lists error codes")

    def build() -> st.SearchStrategy[dict[str, Any]]:
        schemas = {ep: endpoint_schema(cat, ep) for ep in sorted({m.endpoint for m in chosen})}
        return error_response_strategy(cat, chosen, schemas)

    return st.deferred(build)
