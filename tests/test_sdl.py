"""SDL generation: validity, round trip, marking of undocumented and inferred types.

The mini catalogue's SDL is compared byte for byte with the golden tree by
tests/test_golden_tree.py.
"""

from __future__ import annotations

from graphql import (
    GraphQLInputObjectType,
    GraphQLObjectType,
    GraphQLScalarType,
    build_schema,
    print_schema,
    validate_schema,
)
from hypothesis import given
from strategies import spec_text

from kraken_spec.generators.sdl import endpoint_sdl, generate_sdl
from kraken_spec.gql.schema import build_endpoint_schema
from kraken_spec.model import (
    Catalogue,
    Endpoint,
    ErrorEntry,
    Example,
    Mutation,
    NamedType,
    ReturnField,
    TypeField,
)


def test_full_catalogue_sdl_is_valid_and_round_trips(full_catalogue: Catalogue) -> None:
    files = generate_sdl(full_catalogue)
    assert sorted(files) == ["schema/api.graphql", "schema/auth.graphql",
                             "schema/page-only/api.graphql", "schema/page-only/auth.graphql"]
    for sdl in files.values():
        schema = build_schema(sdl)
        assert validate_schema(schema) == []
        assert print_schema(schema) + "\n" == sdl


def test_full_catalogue_schema_has_every_mutation(full_catalogue: Catalogue) -> None:
    api = build_schema(generate_sdl(full_catalogue)["schema/api.graphql"])
    auth = build_schema(generate_sdl(full_catalogue)["schema/auth.graphql"])
    assert api.mutation_type is not None and auth.mutation_type is not None
    # The page's 232, and the entry it shows without heading, which the sibling confirms.
    assert len(api.mutation_type.fields) == 233
    assert set(auth.mutation_type.fields) == {"createMfaDevice", "deleteMfaDevice",
                                              "validateMfaDevice"}


def test_deprecation_and_descriptions_survive(full_catalogue: Catalogue) -> None:
    api = build_schema(generate_sdl(full_catalogue)["schema/api.graphql"])
    assert api.mutation_type is not None
    field = api.mutation_type.fields["updateUserDetails"]
    assert field.deprecation_reason == "Please use updateUser instead"
    reset = api.mutation_type.fields["resetUserPassword"]
    assert reset.description is not None
    assert reset.description.startswith("Reset the password of an account user.\nRaises KT-CT")
    assert "Possible errors: KT-CT-4125, KT-CT-1132, KT-CT-5450, KT-CT-1113." in (
        reset.description)
    electricity = api.mutation_type.fields["createElectricityMeterReadings"]
    assert "Requires the Authorization header." in (electricity.description or "")
    args = api.mutation_type.fields["generatePreSignedToken"].args
    assert list(args) == ["email", "numberOfDaysAllowed", "scope"]
    assert str(args["scope"].type) == "PreSignedTokenScope!"
    assert args["email"].description is None


def test_undocumented_and_inferred_types_are_marked(full_catalogue: Catalogue) -> None:
    """The page-only view: what the page alone states, stand-ins and inferences marked."""
    api = build_schema(generate_sdl(full_catalogue)["schema/page-only/api.graphql"])
    undocumented = api.type_map["AcceptGoodsQuoteInput"]
    assert isinstance(undocumented, GraphQLScalarType)
    assert (undocumented.description or "").startswith("Undocumented: ")
    date = api.type_map["Date"]
    assert isinstance(date, GraphQLScalarType)
    assert (date.description or "").startswith("Inferred: ")
    payload = api.type_map["GeneratePreSignedToken"]
    assert isinstance(payload, GraphQLObjectType)
    # A fragment-named type carries no inference mark; an example-typed field does.
    assert payload.fields["possibleErrors"].description is None
    assert payload.fields["token"].description == (
        'Inferred: type from the example value "abc123" (could also be ID).')
    assert str(payload.fields["possibleErrors"].type) == "[PossibleErrorType]"
    assert list(payload.fields) == ["possibleErrors", "token", "tokenExpiryDatetime", "scope"]


def test_the_enriched_view_marks_each_sourced_fact(full_catalogue: Catalogue) -> None:
    """The default view takes shapes from the sibling source, each marked with it."""
    api = build_schema(generate_sdl(full_catalogue)["schema/api.graphql"])
    sourced = api.type_map["AcceptGoodsQuoteInput"]
    assert isinstance(sourced, GraphQLInputObjectType)
    assert (sourced.description or "").startswith(
        "Sibling: shape from octopus-energy-it (2026-02-10); the page names this type "
        "without it.")
    errors = api.type_map["PossibleErrorType"]
    assert isinstance(errors, GraphQLObjectType)
    assert {"message", "code"} <= set(errors.fields)
    # A refined inference keeps the page's example beside the source's type.
    token = api.type_map["GeneratePreSignedToken"]
    assert isinstance(token, GraphQLObjectType)
    assert (token.fields["token"].description or "").startswith(
        "Sibling: type from octopus-energy-it (2026-02-10).")
    assert 'The page\'s example value "abc123" suggested String.' in (
        token.fields["token"].description or "")
    # A page-stated field type is never replaced, and carries no source mark.
    assert token.fields["possibleErrors"].description is None
    # A type no source shapes stays a marked stand-in.
    chat = api.type_map["InkLiveChat"]
    assert isinstance(chat, GraphQLScalarType)
    assert (chat.description or "").startswith("Undocumented: ")


def test_every_named_type_in_sdl_is_accounted_for(full_catalogue: Catalogue) -> None:
    """No type appears in the SDL that no source states: nothing is invented; and each one
    the page does not state is marked with the source that does."""
    page = ({t.name for t in full_catalogue.types}
            | {m.payload_type for m in full_catalogue.mutations}
            | {"Query", "Mutation", "String", "Int", "Float", "Boolean", "ID"})
    sourced = {t.name for e in full_catalogue.enrichments for t in e.types}
    assert sourced, "the bundled catalogue has a schema source"
    for path, sdl in generate_sdl(full_catalogue).items():
        types = {n: t for n, t in build_schema(sdl).type_map.items() if not n.startswith("__")}
        if path.startswith("schema/page-only/"):
            assert set(types) <= page
            continue
        assert set(types) <= page | sourced
        for name in set(types) - page:
            assert (types[name].description or "").startswith("Sibling: type from "), name


def test_types_sorted_by_name_fields_in_documented_order(mini_catalogue: Catalogue) -> None:
    sdl = endpoint_sdl(mini_catalogue, "api")
    heads = [line.split()[1] for line in sdl.splitlines()
             if line.startswith(("type ", "scalar ", "input ", "enum "))]
    assert heads == sorted(heads)


def _catalogue(description: str, field_description: str) -> Catalogue:
    return Catalogue(
        endpoints=(Endpoint("api", "API Site", "https://example.test/graphql/"),),
        mutations=(
            Mutation(
                name="doThing",
                endpoint="api",
                payload_type="DoThing",
                payload_non_null=False,
                description=description,
                requires_authorization=False,
                deprecation_reason=None,
                errors=("KT-CT-1",),
                arguments=(),
                return_fields=(ReturnField("ok", "Boolean", "example", "true"),
                               ReturnField("thing", "Thing", "fragment")),
                example=Example("mutation DoThing {\ndoThing {\nok\n}\n}", None, "{}"),
            ),
        ),
        errors=(ErrorEntry("KT-CT-1", "Nope."),),
        types=(NamedType("Thing", "documented", "output", "OBJECT", description,
                         fields=(TypeField("name", "String", field_description),)),),
    )


@given(spec_text, spec_text)
def test_descriptions_round_trip_exactly(description: str, field_description: str) -> None:
    catalogue = _catalogue(description, field_description)
    sdl = endpoint_sdl(catalogue, "api")
    schema = build_schema(sdl)
    thing = schema.type_map["Thing"]
    assert isinstance(thing, GraphQLObjectType)
    # graphql-core prints an empty description as none at all.
    assert (thing.description or "") == description
    assert (thing.fields["name"].description or "") == field_description
    assert schema.mutation_type is not None
    mutation_description = schema.mutation_type.fields["doThing"].description or ""
    assert mutation_description.startswith(description)
    assert print_schema(schema) + "\n" == sdl


def test_curated_documented_types_become_real_types() -> None:
    catalogue = _catalogue("A thing.", "Its name.")
    schema = build_endpoint_schema(catalogue, "api")
    assert validate_schema(schema) == []
    thing = schema.type_map["Thing"]
    assert isinstance(thing, GraphQLObjectType)
    assert list(thing.fields) == ["name"]
