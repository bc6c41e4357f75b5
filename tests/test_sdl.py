"""SDL generation: validity, round trip, marking of undocumented and inferred types, goldens.

Refresh the golden files with
``KRAKEN_SPEC_UPDATE_GOLDEN=1 python -m pytest tests/test_sdl.py`` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assert_golden
from graphql import (
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
from kraken_spec.spec.loader import load_spec

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "fixtures" / "mini"
GOLDEN = REPO / "tests" / "golden" / "mini"


@pytest.fixture(scope="module")
def full() -> Catalogue:
    return load_spec(str(REPO)).assert_valid()


@pytest.fixture(scope="module")
def mini() -> Catalogue:
    return load_spec(str(MINI)).assert_valid()


def test_full_catalogue_sdl_is_valid_and_round_trips(full: Catalogue) -> None:
    files = generate_sdl(full)
    assert sorted(files) == ["schema/api.graphql", "schema/auth.graphql"]
    for sdl in files.values():
        schema = build_schema(sdl)
        assert validate_schema(schema) == []
        assert print_schema(schema) + "\n" == sdl


def test_full_catalogue_schema_has_every_mutation(full: Catalogue) -> None:
    api = build_schema(generate_sdl(full)["schema/api.graphql"])
    auth = build_schema(generate_sdl(full)["schema/auth.graphql"])
    assert api.mutation_type is not None and auth.mutation_type is not None
    assert len(api.mutation_type.fields) == 232
    assert set(auth.mutation_type.fields) == {"createMfaDevice", "deleteMfaDevice",
                                              "validateMfaDevice"}


def test_deprecation_and_descriptions_survive(full: Catalogue) -> None:
    api = build_schema(generate_sdl(full)["schema/api.graphql"])
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


def test_undocumented_and_inferred_types_are_marked(full: Catalogue) -> None:
    api = build_schema(generate_sdl(full)["schema/api.graphql"])
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


def test_every_named_type_in_sdl_is_accounted_for(full: Catalogue) -> None:
    """No type appears in the SDL that the catalogue does not know: nothing is invented."""
    known = ({t.name for t in full.types} | {m.payload_type for m in full.mutations}
             | {"Query", "Mutation", "String", "Int", "Float", "Boolean", "ID"})
    for sdl in generate_sdl(full).values():
        names = {n for n in build_schema(sdl).type_map if not n.startswith("__")}
        assert names <= known


def test_types_sorted_by_name_fields_in_documented_order(mini: Catalogue) -> None:
    sdl = endpoint_sdl(mini, "api")
    heads = [line.split()[1] for line in sdl.splitlines()
             if line.startswith(("type ", "scalar ", "input ", "enum "))]
    assert heads == sorted(heads)


def test_golden_sdl(mini: Catalogue) -> None:
    assert_golden(GOLDEN / "schema", {rel.removeprefix("schema/"): text
                                      for rel, text in generate_sdl(mini).items()})


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
