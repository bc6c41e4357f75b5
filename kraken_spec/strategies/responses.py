"""Kraken error responses for a mutation: only the codes it can raise, in Kraken's error shape."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLInputObjectType, GraphQLSchema, get_named_type
from hypothesis import strategies as st

from kraken_spec.model import Catalogue, Mutation

# The page shows one error response, whose errorType is VALIDATION; other types exist
# but the page does not name them, so any upper-case word may stand there.
ERROR_TYPES = st.just("VALIDATION") | st.from_regex(r"[A-Z][A-Z_]{2,24}", fullmatch=True)
_WORDS = st.from_regex(r"[a-z][a-z_]{2,30}", fullmatch=True)


@st.composite
def _input_path(draw: st.DrawFn, mutation: Mutation, schema: GraphQLSchema | None) -> list[Any]:
    """Where a validation error points: an argument, then maybe a field of its input type."""
    argument = draw(st.sampled_from(mutation.arguments))
    path: list[Any] = [argument.name]
    if schema is not None and schema.mutation_type is not None:
        field = schema.mutation_type.fields.get(mutation.name)
        arg = field.args.get(argument.name) if field else None
        named = get_named_type(arg.type) if arg else None
        if isinstance(named, GraphQLInputObjectType) and named.fields and draw(st.booleans()):
            path.append(draw(st.sampled_from(sorted(named.fields))))
    return path


@st.composite
def _entry(draw: st.DrawFn, catalogue: Catalogue, mutation: Mutation,
           schema: GraphQLSchema | None) -> dict[str, Any]:
    code = draw(st.sampled_from(mutation.errors))
    extensions: dict[str, Any] = {
        "errorType": draw(ERROR_TYPES),
        "errorCode": code,
        "errorDescription": draw(st.text(min_size=1, max_size=80)),
    }
    # Validation errors point into the arguments: a mutation without any has none.
    if len(mutation.arguments) > 0 and draw(st.booleans()):
        extensions["validationErrors"] = draw(st.lists(st.fixed_dictionaries(
            {"message": st.text(min_size=1, max_size=60),
             "inputPath": _input_path(mutation, schema)},
            optional={"code": _WORDS}), min_size=1, max_size=3))
    entry: dict[str, Any] = {"message": catalogue.error(code).message,
                             "path": [mutation.name], "extensions": extensions}
    if draw(st.booleans()):
        entry["locations"] = [{"line": draw(st.integers(1, 200)),
                               "column": draw(st.integers(1, 120))}]
    return entry


def error_response_strategy(catalogue: Catalogue, mutations: list[Mutation],
                            schemas: dict[str, GraphQLSchema]) -> st.SearchStrategy[dict[str, Any]]:
    """Responses to one of ``mutations`` (each raising at least one code): one to three errors,
    each with a code the mutation lists and that code's message, and null data."""

    @st.composite
    def response(draw: st.DrawFn) -> dict[str, Any]:
        mutation = draw(st.sampled_from(mutations))
        schema = schemas.get(mutation.endpoint)
        errors = draw(st.lists(_entry(catalogue, mutation, schema), min_size=1, max_size=3))
        return {"data": {mutation.name: None}, "errors": errors}

    return response()
