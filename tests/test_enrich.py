"""Enrichment from schema sources: the enrich command, its file, precedence and the outputs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import MINI, REPO, CliRunner, run_tool
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    build_schema,
    parse,
    print_type,
    validate,
)

from kraken_spec import resources
from kraken_spec.generators.export import catalogue_from_export, export_document, export_json
from kraken_spec.generators.markdown import generate_docs
from kraken_spec.generators.sdl import generate_sdl
from kraken_spec.model import Catalogue
from kraken_spec.spec.loader import load_spec

FIXTURES = REPO / "tests" / "fixtures" / "enrich"
SIBLING = FIXTURES / "sibling.graphql"
OWN = FIXTURES / "own.graphql"
SOURCE = "octo-sib"
DATE = "2026-01-02"
TARGET = f"spec/enriched/{SOURCE}.json"
ORIGIN = "hand-written, tests/fixtures/enrich/sibling.graphql"
SUMMARY = (f"{TARGET}: 27 types (2 ENUM, 6 INPUT_OBJECT, 1 INTERFACE, 14 OBJECT, 3 SCALAR, "
           "1 UNION); shapes 12 of the page's 16 types without one\n")
# The first lines of the descriptions the schema builder writes for sourced facts.
SHAPE = f"Sibling: shape from {SOURCE} ({DATE}); the page names this type without it."
NEW_TYPE = f"Sibling: type from {SOURCE} ({DATE}); the page does not name it."
REFINED = f"Sibling: type from {SOURCE} ({DATE})."
EXTRA = f"Sibling: field from {SOURCE} ({DATE}); the page's example does not select it."
STAND_IN_OUTPUT = ("Undocumented: the reference page names an output type without its shape; "
                   "it stands in as a scalar until its shape is known.")
# What a client sends to log in: the token fields and the errors' message and code.
LOGIN = ("mutation Login($input: ObtainJSONWebTokenInput!) { obtainKrakenToken(input: $input) "
         "{ token refreshToken refreshExpiresIn possibleErrors { message code } } }")


def _enrich(cli: CliRunner, root: Path, schema: Path = SIBLING, source: str = SOURCE,
            kind: str = "sibling", date: str = DATE, *extra: str) -> tuple[int, str, str]:
    """Run ``kraken-spec enrich`` on ``root`` (always a temporary copy)."""
    return cli("enrich", "--root", str(root), "--from", str(schema), "--source", source,
               "--kind", kind, "--date", date, *extra)


@pytest.fixture
def enriched_root(mini_root: Path, cli: CliRunner) -> Path:
    """The mini spec enriched from the hand-written sibling schema."""
    assert _enrich(cli, mini_root, SIBLING, SOURCE, "sibling", DATE,
                   "--origin", ORIGIN) == (0, f"wrote {SUMMARY}", "")
    return mini_root


@pytest.fixture
def enriched(enriched_root: Path) -> Catalogue:
    """The catalogue of :func:`enriched_root`."""
    return load_spec(str(enriched_root)).assert_valid()


def _api(catalogue: Catalogue) -> GraphQLSchema:
    """The enriched schema of the api endpoint, as generate_sdl prints it."""
    return build_schema(generate_sdl(catalogue)["schema/api.graphql"])


def _written(root: Path) -> dict[str, dict[str, object]]:
    """The types of the written enrichment file, by name."""
    data = json.loads((root / TARGET).read_text("utf-8"))
    return {t["name"]: t for t in data["types"]}


def _with_fragments(operation: str) -> str:
    """The page's example with each fragment it spreads defined as selecting __typename."""
    spreads = sorted(set(re.findall(r"\.\.\.\s*(\w+)", operation)))
    # Every spread on the page names a fragment XFragment on the type X.
    assert all(s.endswith("Fragment") for s in spreads), spreads
    return operation + "".join(f"\nfragment {s} on {s.removesuffix('Fragment')} "
                               "{ __typename }" for s in spreads)


def _failing_examples(catalogue: Catalogue, schemas: dict[str, GraphQLSchema]) -> set[str]:
    """The mutations whose example (fragments defined) the endpoint's schema refuses."""
    return {m.name for m in catalogue.mutations
            if validate(schemas[m.endpoint], parse(_with_fragments(m.example.operation)))}


# --- 1. the enrich command and its file --------------------------------------------------------


def test_enrich_records_every_type_the_mutations_reach(enriched_root: Path) -> None:
    """The file holds exactly the reachable types, with the provenance given on the command line."""
    data = json.loads((enriched_root / TARGET).read_text("utf-8"))
    assert list(data) == ["source", "authority", "date", "origin", "types"]
    assert (data["source"], data["authority"], data["date"], data["origin"]) == (
        SOURCE, "sibling", DATE, ORIGIN)
    assert [t["name"] for t in data["types"]] == [
        "AcceptGoodsQuote", "AcceptGoodsQuoteInput", "CloseOpenPrintBatch",
        "CreateElectricityMeterReadings", "DateTime", "Duration", "ErrorType",
        "GeneratePreSignedToken", "GenericScalar",
        # Reached by the page's name only: the source's own payload field says
        # GoodsPurchaseType, which is reached from the source's payload and recorded too.
        "GoodsPurchase", "GoodsPurchaseType",
        # Reached only as an implementation of Node, which a fragment may select.
        "Ledger",
        "LineLinkRedirectResponse",
        # Reached only through the source's mutation field of the same name (its argument).
        "LineLocale",
        "LinkTokenNotFound", "LinkUserToLineInput", "LinkUserToLineResponse", "Node",
        "ObtainJSONWebTokenInput", "ObtainKrakenJSONWebToken", "PossibleErrorType",
        "PreSignedTokenScope", "PrintBatchType",
        # Reached through the source's payload field although the builder will not use it.
        "ReadingDate",
        "ReadingsInput", "UpdateAccountUserMutationInput", "UpdateAccountUserMutationPayload"]
    # Viewer and ArchiveViewerInput hang off the query root and a mutation the catalogue does
    # not have; Query, Mutation, built-in scalars and introspection types are never recorded.


def test_enrich_writes_each_fact_and_leaves_absent_ones_out(enriched_root: Path) -> None:
    """Descriptions, defaults, deprecations, arguments, members and interfaces as stated."""
    types = _written(enriched_root)
    assert types["ObtainJSONWebTokenInput"] == {
        "name": "ObtainJSONWebTokenInput", "kind": "INPUT_OBJECT",
        "description": "Input fields to obtain a Kraken Token.",
        "fields": [{"name": "email", "type": "String"}, {"name": "password", "type": "String"},
                   {"name": "rememberMe", "type": "Boolean",
                    "description": "Keep the session for thirty days.", "default": "false"}]}
    assert types["PreSignedTokenScope"] == {
        "name": "PreSignedTokenScope", "kind": "ENUM",
        "description": "How far a pre-signed token reaches.",
        "values": [{"name": "SUBMIT_METER_READINGS", "description": "Submit meter readings only."},
                   {"name": "BROKER_PORTAL", "deprecationReason": "Use SUBMIT_METER_READINGS."}]}
    assert types["PossibleErrorType"] == {
        "name": "PossibleErrorType", "kind": "OBJECT",
        "fields": [{"name": "message", "type": "String", "description": "The error's message."},
                   {"name": "code", "type": "String"}]}
    assert types["ObtainKrakenJSONWebToken"] == {
        "name": "ObtainKrakenJSONWebToken", "kind": "OBJECT",
        "fields": [{"name": "possibleErrors", "type": "[PossibleErrorType]"},
                   {"name": "token", "type": "String!", "description": "The Kraken Token."},
                   {"name": "payload", "type": "GenericScalar!"},
                   {"name": "refreshToken", "type": "String"},
                   {"name": "refreshExpiresIn", "type": "Int"},
                   {"name": "tokenExpiresIn", "type": "Duration",
                    "description": "How long the token lasts.",
                    "deprecationReason": "Use refreshExpiresIn."}]}
    assert types["LinkUserToLineResponse"] == {
        "name": "LinkUserToLineResponse", "kind": "UNION",
        "members": ["LineLinkRedirectResponse", "LinkTokenNotFound"]}
    assert types["GoodsPurchase"] == {
        "name": "GoodsPurchase", "kind": "OBJECT", "interfaces": ["Node"],
        "fields": [{"name": "id", "type": "ID!"},
                   {"name": "items", "type": "[String]",
                    "description": "The purchased items, newest first.",
                    "arguments": [{"name": "first", "type": "Int", "default": "10"}]}]}
    assert types["Node"] == {"name": "Node", "kind": "INTERFACE",
                             "fields": [{"name": "id", "type": "ID!"}]}
    assert types["Duration"] == {"name": "Duration", "kind": "SCALAR",
                                 "description": "A number of seconds."}
    assert types["ErrorType"] == {
        "name": "ErrorType", "kind": "INPUT_OBJECT",
        "description": "The page's output type ErrorType, which this source states as an "
                       "input object.",
        "fields": [{"name": "field", "type": "String!"}]}


def test_enrich_file_is_indented_json_ending_in_a_newline(enriched_root: Path) -> None:
    """The file is JSON indented by two, head first, ending in a newline."""
    text = (enriched_root / TARGET).read_text("utf-8")
    assert text.startswith('{\n  "source": "octo-sib",\n  "authority": "sibling",\n')
    assert text.endswith("\n  ]\n}\n")


def test_enrich_rerun_is_byte_stable(enriched_root: Path, cli: CliRunner) -> None:
    """A second run from the same schema says unchanged and leaves the bytes alone."""
    before = (enriched_root / TARGET).read_bytes()
    assert _enrich(cli, enriched_root, SIBLING, SOURCE, "sibling", DATE,
                   "--origin", ORIGIN) == (0, f"unchanged {SUMMARY}", "")
    assert (enriched_root / TARGET).read_bytes() == before


def test_enrich_rewrites_its_own_file_when_the_facts_change(enriched_root: Path,
                                                            cli: CliRunner) -> None:
    """A new date (and no origin) replaces the source's earlier file."""
    assert _enrich(cli, enriched_root, SIBLING, SOURCE, "sibling",
                   "2026-03-04") == (0, f"wrote {SUMMARY}", "")
    data = json.loads((enriched_root / TARGET).read_text("utf-8"))
    assert list(data)[:4] == ["source", "authority", "date", "types"]
    assert data["date"] == "2026-03-04"


def test_validate_counts_the_sources_types(enriched_root: Path, cli: CliRunner) -> None:
    """The validate summary names the source, its authority and its number of types."""
    assert cli("validate", "--root", str(enriched_root)) == (
        0, "ok: 9 mutations (api: 8 mutations; auth: 1 mutations), 20 error codes, "
        f"16 named types; 27 types from {SOURCE} (sibling)\n", "")


# --- 1. the SDL: which fact shapes each type ---------------------------------------------------


def test_page_stated_field_types_are_never_replaced(enriched: Catalogue) -> None:
    """A return field whose type the page states (fragment, type name) keeps it, unmarked."""
    api = _api(enriched)
    # The source says goodsPurchase is a GoodsPurchaseType ...
    quote = api.type_map["AcceptGoodsQuote"]
    assert isinstance(quote, GraphQLObjectType)
    assert {n: (str(f.type), f.description) for n, f in quote.fields.items()} == {
        "possibleErrors": ("[PossibleErrorType]", None), "goodsPurchase": ("GoodsPurchase", None)}
    # ... which, used by nothing else, is then no part of the schema.
    assert "GoodsPurchaseType" not in api.type_map
    # The source says [PossibleErrorType!]!: the page's list stays as the page states it.
    batch = api.type_map["CloseOpenPrintBatch"]
    assert isinstance(batch, GraphQLObjectType)
    assert {n: (str(f.type), f.description) for n, f in batch.fields.items()} == {
        "possibleErrors": ("[PossibleErrorType]", None), "printBatch": ("PrintBatchType", None)}


def test_an_inferred_field_takes_the_sources_leaf_type(enriched: Catalogue) -> None:
    """An example only suggests a type: a source's leaf type wins, the example is kept."""
    token = _api(enriched).type_map["ObtainKrakenJSONWebToken"]
    assert isinstance(token, GraphQLObjectType)
    suggested = "The page's example value {} suggested {}."
    assert {n: (str(f.type), f.description, f.deprecation_reason)
            for n, f in token.fields.items()} == {
        "possibleErrors": ("[PossibleErrorType]", None, None),
        "token": ("String!", f"{REFINED}\n\nThe Kraken Token.\n\n"
                  + suggested.format('"abc123"', "String"), None),
        "payload": ("GenericScalar!", f"{REFINED}\n\n" + suggested.format(
            '"abc123" | 1 | 1.0 | true | ["abc123"] | AccountType', "GenericScalar"), None),
        "refreshToken": ("String", f"{REFINED}\n\n" + suggested.format('"abc123"', "String"),
                         None),
        "refreshExpiresIn": ("Int", f"{REFINED}\n\n" + suggested.format("1", "Int"), None),
        "tokenExpiresIn": ("Duration", f"{EXTRA}\n\nHow long the token lasts.",
                           "Use refreshExpiresIn.")}
    # The page's fields keep their order; the source's extra field comes last.
    assert list(token.fields) == ["possibleErrors", "token", "payload", "refreshToken",
                                  "refreshExpiresIn", "tokenExpiresIn"]


def test_an_inferred_field_takes_a_sourced_enum(enriched: Catalogue) -> None:
    """An enum the source states is a leaf too, so it refines an inferred String."""
    scope = _api(enriched).type_map["GeneratePreSignedToken"]
    assert isinstance(scope, GraphQLObjectType)
    assert str(scope.fields["scope"].type) == "PreSignedTokenScope"
    assert scope.fields["scope"].description == (
        f'{REFINED}\n\nThe page\'s example value "SUBMIT_METER_READINGS" suggested String.')


def test_an_inferred_field_keeps_its_type_when_the_source_says_composite(
        enriched: Catalogue) -> None:
    """An inferred field keeps the page's type where the source states an object type."""
    # The page's example selects readingDate as a leaf: the source's object type contradicts
    # the page (drift), and is not taken.
    api = _api(enriched)
    readings = api.type_map["CreateElectricityMeterReadings"]
    assert isinstance(readings, GraphQLObjectType)
    assert (str(readings.fields["readingDate"].type),
            readings.fields["readingDate"].description) == (
        "Date", 'Inferred: type from the example value "2020-01-01".')
    assert "ReadingDate" not in api.type_map
    # numberOfReadingsCreated agrees with the source (Int), which is then named.
    assert readings.fields["numberOfReadingsCreated"].description == (
        f"{REFINED}\n\nThe page's example value 1 suggested Int.")


def test_a_type_the_page_names_without_shape_takes_the_sources(enriched: Catalogue) -> None:
    """An object, an input object (its default kept) and an enum take the source's shape."""
    api = _api(enriched)
    assert print_type(api.type_map["PossibleErrorType"]) == f'''"""
{SHAPE}
"""
type PossibleErrorType {{
  """The error's message."""
  message: String
  code: String
}}'''
    assert print_type(api.type_map["ObtainJSONWebTokenInput"]) == f'''"""
{SHAPE}

Input fields to obtain a Kraken Token.
"""
input ObtainJSONWebTokenInput {{
  email: String
  password: String

  """Keep the session for thirty days."""
  rememberMe: Boolean = false
}}'''
    assert print_type(api.type_map["PreSignedTokenScope"]) == f'''"""
{SHAPE}

How far a pre-signed token reaches.
"""
enum PreSignedTokenScope {{
  """Submit meter readings only."""
  SUBMIT_METER_READINGS
  BROKER_PORTAL @deprecated(reason: "Use SUBMIT_METER_READINGS.")
}}'''
    # An inferred scalar of the page is a type without a shape too.
    assert api.type_map["GenericScalar"].description == f"{SHAPE}\n\nAny JSON value."


def test_a_union_payload_and_an_interface_take_the_sources_shape(enriched: Catalogue) -> None:
    """A union payload, its members and an interface with its implementer are sourced."""
    api = _api(enriched)
    response = api.type_map["LinkUserToLineResponse"]
    assert isinstance(response, GraphQLUnionType)
    assert [t.name for t in response.types] == ["LineLinkRedirectResponse", "LinkTokenNotFound"]
    assert response.description == SHAPE
    assert api.type_map["LineLinkRedirectResponse"].description == NEW_TYPE
    assert print_type(api.type_map["GoodsPurchase"]) == f'''"""
{SHAPE}
"""
type GoodsPurchase implements Node {{
  id: ID!

  """The purchased items, newest first."""
  items(first: Int = 10): [String]
}}'''
    assert print_type(api.type_map["Node"]) == f'''"""{NEW_TYPE}"""
interface Node {{
  id: ID!
}}'''
    batch = api.type_map["PrintBatchType"]
    assert isinstance(batch, GraphQLObjectType)
    assert str(batch.fields["owner"].type) == "Node"


def test_a_custom_scalar_the_page_does_not_name_is_marked(enriched: Catalogue) -> None:
    """A scalar reached only through the source's extra field is marked as the source's."""
    assert print_type(_api(enriched).type_map["Duration"]) == f'''"""
{NEW_TYPE}

A number of seconds.
"""
scalar Duration'''


def test_a_source_kind_that_does_not_fit_the_pages_role_is_ignored(enriched: Catalogue) -> None:
    """The page uses ErrorType as an output; the source's input object cannot stand there."""
    api = _api(enriched)
    assert print_type(api.type_map["ErrorType"]) == f'"""\n{STAND_IN_OUTPUT}\n"""\nscalar ErrorType'
    # A type no source states stays a stand-in too.
    assert (api.type_map["ResetUserPasswordInput"].description or "").startswith("Undocumented: ")


def test_an_interface_implementation_reaches_the_sdl(enriched: Catalogue) -> None:
    """An implementation the enrichment records is in the SDL, so a fragment may select it."""
    # The enrichment records Ledger only because a fragment on a Node field may select it;
    # without Ledger in the SDL the published schema refuses a client's `... on Ledger`.
    api = _api(enriched)
    assert "Ledger" in api.type_map
    operation = parse("mutation { closeOpenPrintBatch { printBatch { owner { id "
                      "... on Ledger { balance } } } } }")
    assert [e.message for e in validate(api, operation)] == []


def test_page_only_view_is_the_sdl_without_enrichment(enriched: Catalogue,
                                                      mini_catalogue: Catalogue) -> None:
    """schema/page-only/ is byte for byte the SDL of the catalogue without enrichment."""
    files = generate_sdl(enriched)
    plain = generate_sdl(mini_catalogue)
    assert sorted(files) == sorted(plain) == [
        "schema/api.graphql", "schema/auth.graphql",
        "schema/page-only/api.graphql", "schema/page-only/auth.graphql"]
    for endpoint in ("api", "auth"):
        assert files[f"schema/page-only/{endpoint}.graphql"] == plain[f"schema/{endpoint}.graphql"]
        assert files[f"schema/page-only/{endpoint}.graphql"] == plain[
            f"schema/page-only/{endpoint}.graphql"]
        # The auth endpoint's possibleErrors are shaped too: the enriched view differs.
        assert files[f"schema/{endpoint}.graphql"] != plain[f"schema/{endpoint}.graphql"]


def test_mini_examples_against_the_enriched_schema(enriched: Catalogue) -> None:
    """All mini examples but two validate against the enriched schema."""
    # linkUserToLine selects no subfield of its union payload; updateUserDetails spreads a
    # fragment on ErrorType, whose source shape does not fit an output (it stays a scalar).
    files = generate_sdl(enriched)
    schemas = {e: build_schema(files[f"schema/{e}.graphql"]) for e in ("api", "auth")}
    assert _failing_examples(enriched, schemas) == {"linkUserToLine", "updateUserDetails"}


def _type_link(name: str) -> str:
    """A type named in a mutation page's table, linked to its type page."""
    return f"[`{name}`](../types/{name}.md)"


def test_markdown_shows_what_lies_beyond_the_page(enriched: Catalogue,
                                                  mini_catalogue: Catalogue) -> None:
    """A mutation page lists the sourced types and extra fields, only with enrichments."""
    docs = generate_docs(enriched, str(resources.templates_dir()))
    page = docs["docs/mutations/obtainKrakenToken.md"]
    section = page.split("## Beyond the page\n", 1)[1].split("## Possible errors", 1)[0]
    label = f"{SOURCE} (sibling, {DATE})"
    assert section.split("\n\n")[1:] == [
        "| Type | Used by | Shape | Source |\n| --- | --- | --- | --- |\n"
        f"| {_type_link('ObtainJSONWebTokenInput')} | argument input | input object, 3 fields "
        f"| {label} |\n"
        f"| {_type_link('PossibleErrorType')} | return field possibleErrors | object, 2 fields "
        f"| {label} |\n"
        f"| {_type_link('GenericScalar')} | return field payload | scalar | {label} |",
        f"Fields of {_type_link('ObtainKrakenJSONWebToken')} that the page's example does not "
        "select:",
        "| Name | Type | Source |\n| --- | --- | --- |\n"
        f"| `tokenExpiresIn` | {_type_link('Duration')} | {label} |",
        ""]
    plain = generate_docs(mini_catalogue, str(resources.templates_dir()))
    assert "## Beyond the page" not in plain["docs/mutations/obtainKrakenToken.md"]


def test_markdown_credits_no_source_for_a_shape_the_schema_does_not_use(
        enriched: Catalogue) -> None:
    """The docs credit no source for ErrorType, which the SDL keeps a stand-in scalar."""
    # An input object cannot stand where the page uses ErrorType as an output.
    page = generate_docs(enriched, str(resources.templates_dir()))[
        "docs/mutations/updateUserDetails.md"]
    row = next(line for line in page.splitlines()
               if line.startswith("| [`ErrorType`](../types/ErrorType.md) |"))
    assert [cell.strip() for cell in row.strip("|").split("|")][3] == "—", row


def test_a_source_default_on_a_type_the_page_keeps_as_output_builds(
        mini_root: Path, cli: CliRunner, tmp_path: Path) -> None:
    """validate and build agree, without a crash, on a default for a stand-in input type."""
    # The source uses ErrorType as an input with an object default; the page keeps ErrorType
    # an output, so it stays a stand-in scalar that the default must still fit.
    schema = tmp_path / "default.graphql"
    schema.write_text('type Query { ok: Boolean }\n'
                      'type Mutation { updateUserDetails(input: UpdateAccountUserMutationInput!): '
                      'Boolean }\n'
                      'input UpdateAccountUserMutationInput { filter: ErrorType = {field: "x"} }\n'
                      'input ErrorType { field: String }\n', encoding="utf-8")
    assert _enrich(cli, mini_root, schema, "defaults", "own", DATE)[0] == 0
    validated = cli("validate", "--root", str(mini_root))[0]
    # In a separate process, so that a crash is a failure with its traceback, not an error.
    built = run_tool("build", "--root", str(mini_root), "--out", str(tmp_path / "out"))
    assert "Traceback" not in built.stderr, built.stderr[-200:]
    assert (validated, built.returncode) in ((0, 0), (1, 1)), built.stderr


# --- 2. precedence between sources -------------------------------------------------------------


@pytest.mark.parametrize("own", ["maingau", "zz-maingau"])
def test_own_source_wins_whatever_the_file_names(own: str, mini_root: Path,
                                                 cli: CliRunner) -> None:
    """Own before sibling, whether the own file's name sorts before or after the sibling's."""
    assert _enrich(cli, mini_root, SIBLING)[0] == 0
    assert _enrich(cli, mini_root, OWN, own, "own", "2026-03-01") == (
        0, f"wrote spec/enriched/{own}.json: 3 types (1 INPUT_OBJECT, 2 OBJECT); shapes 2 of "
           "the page's 16 types without one\n", "")
    assert cli("validate", "--root", str(mini_root))[1].endswith(
        f"; 3 types from {own} (own); 27 types from {SOURCE} (sibling)\n")
    catalogue = load_spec(str(mini_root)).assert_valid()
    assert [e.provenance.source for e in catalogue.enrichments] == [own, SOURCE]
    api = _api(catalogue)
    own_shape = f"Own: shape from {own} (2026-03-01); the page names this type without it."
    assert print_type(api.type_map["ObtainJSONWebTokenInput"]) == f'''"""
{own_shape}

As the Maingau endpoint states it.
"""
input ObtainJSONWebTokenInput {{
  email: String!
  password: String!
}}'''
    errors = api.type_map["PossibleErrorType"]
    assert isinstance(errors, GraphQLObjectType)
    assert errors.description == own_shape
    assert {n: str(f.type) for n, f in errors.fields.items()} == {
        "message": "String!", "code": "String!"}
    # The payload's shape is the own source's too: its token refines the inference, the
    # sibling's extra field is not added, and a field the own source does not state keeps
    # the page's inference.
    token = api.type_map["ObtainKrakenJSONWebToken"]
    assert isinstance(token, GraphQLObjectType)
    assert list(token.fields) == ["possibleErrors", "token", "payload", "refreshToken",
                                  "refreshExpiresIn"]
    assert token.fields["token"].description == (
        f"Own: type from {own} (2026-03-01).\n\nThe page's example value \"abc123\" suggested "
        "String.")
    assert token.fields["refreshExpiresIn"].description == (
        "Inferred: type from the example value 1.")
    assert "Duration" not in api.type_map
    # A type only the sibling states keeps the sibling's shape.
    scope = api.type_map["PreSignedTokenScope"]
    assert isinstance(scope, GraphQLEnumType)
    assert (scope.description or "").startswith(SHAPE)
    assert isinstance(api.type_map["AcceptGoodsQuoteInput"], GraphQLInputObjectType)
    assert api.type_map["AcceptGoodsQuoteInput"].description == SHAPE


def test_mixed_sources_give_a_schema_build_can_write(mini_root: Path, cli: CliRunner,
                                                     tmp_path: Path) -> None:
    """validate and build agree on sources that are valid alone but clash when mixed."""
    # The own source's Node has two fields, the sibling's implementation of Node one: with
    # own types first, the sibling's GoodsPurchase implements the own Node without name.
    own = tmp_path / "own-node.graphql"
    own.write_text("type Query { ok: Boolean }\n"
                   "type Mutation { closeOpenPrintBatch: CloseOpenPrintBatch! }\n"
                   "type CloseOpenPrintBatch { printBatch: PrintBatchType }\n"
                   "interface Node { id: ID! name: String! }\n"
                   "type PrintBatchType implements Node { id: ID! name: String! }\n",
                   encoding="utf-8")
    sibling = tmp_path / "sibling-node.graphql"
    sibling.write_text("type Query { ok: Boolean }\n"
                       "type Mutation { acceptGoodsQuote: AcceptGoodsQuote }\n"
                       "type AcceptGoodsQuote { goodsPurchase: GoodsPurchase }\n"
                       "interface Node { id: ID! }\n"
                       "type GoodsPurchase implements Node { id: ID! }\n", encoding="utf-8")
    assert _enrich(cli, mini_root, own, "maingau", "own")[0] == 0
    assert _enrich(cli, mini_root, sibling, "other-brand", "sibling")[0] == 0
    validated = cli("validate", "--root", str(mini_root))[0]
    built = run_tool("build", "--root", str(mini_root), "--out", str(tmp_path / "out"))
    assert "Traceback" not in built.stderr, built.stderr[-200:]
    assert (validated, built.returncode) in ((0, 0), (1, 1)), built.stderr


# --- 3. refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["Octo", ".octo", "octo_it", "octo/it", ""])
def test_enrich_refuses_a_bad_source_name(source: str, mini_root: Path, cli: CliRunner) -> None:
    """A source name must be lower case, digits, '-' and '.', not starting with '-' or '.'."""
    assert _enrich(cli, mini_root, SIBLING, source) == (
        2, "", f"kraken-spec enrich: --source {source!r}: use lower-case letters, digits, "
               "'-' and '.'\n")
    assert not (mini_root / "spec" / "enriched").exists()


# 20260102 is an ISO date to Python 3.11 and 2026-02-30 is shaped right but no date.
@pytest.mark.parametrize("date", ["20260102", "2026-02-30", "2026-1-2", "02/01/2026", ""])
def test_enrich_refuses_a_bad_date(date: str, mini_root: Path, cli: CliRunner) -> None:
    """The date must be a real calendar date written YYYY-MM-DD."""
    assert _enrich(cli, mini_root, SIBLING, SOURCE, "sibling", date) == (
        2, "", f"kraken-spec enrich: --date {date!r}: give the date as YYYY-MM-DD\n")
    assert not (mini_root / "spec" / "enriched").exists()


def test_enrich_refuses_an_unreadable_schema(mini_root: Path, cli: CliRunner,
                                             tmp_path: Path) -> None:
    """A missing, invalid, empty or non-regular schema is refused with exit 2."""
    missing = tmp_path / "missing.graphql"
    invalid = tmp_path / "invalid.graphql"
    invalid.write_text("type Query {\n  x: Strin\n}\n", encoding="utf-8")
    empty = tmp_path / "empty.graphql"
    empty.write_text("", encoding="utf-8")
    expected = {
        missing: f"kraken-spec: {missing}: file not found\n",
        invalid: f"kraken-spec: {invalid}:2:6: an invalid schema: Unknown type 'Strin'. "
                 "Did you mean 'String'?\n",
        empty: f"kraken-spec: {empty}: an empty file: expected GraphQL SDL or an "
               "introspection result in JSON\n",
        tmp_path: f"kraken-spec: {tmp_path}: not a regular file (a directory); only regular "
                  "files are read\n"}
    for schema, message in expected.items():
        assert _enrich(cli, mini_root, schema) == (2, "", message)
    assert not (mini_root / "spec" / "enriched").exists()


def test_enrich_refuses_a_folder_in_the_files_place(mini_root: Path, cli: CliRunner) -> None:
    """A folder named like the file is not the source's: it is left as it is, exit 2."""
    target = mini_root / TARGET
    target.mkdir(parents=True)
    assert _enrich(cli, mini_root) == (
        2, "", f"kraken-spec: {target}: is a directory; refusing to replace it with a "
               "regular file\n")
    assert target.is_dir() and not any(target.iterdir())


def test_enrich_leaves_another_sources_file_in_its_place(enriched_root: Path,
                                                         cli: CliRunner) -> None:
    """A file of another source under the name is left unchanged (exit 1, nothing written)."""
    # The loader's file-name rule refuses the spec before enrich could consider the file.
    target = enriched_root / "spec" / "enriched" / "other.json"
    (enriched_root / TARGET).rename(target)
    before = target.read_bytes()
    assert _enrich(cli, enriched_root, OWN, "other", "own") == (
        1, "", "spec/enriched/other.json:2:13: source 'octo-sib' is in the file other.json; "
               "its file must be named 'octo-sib.json'\n1 problem(s) found; nothing was written\n")
    assert target.read_bytes() == before


def test_enrich_refuses_an_invalid_spec(mini_root: Path, cli: CliRunner) -> None:
    """An invalid spec is reported and nothing is written (exit 1)."""
    mutation = mini_root / "spec" / "mutations" / "createMfaDevice.yaml"
    mutation.write_text(mutation.read_text("utf-8").replace("endpoint: auth\n",
                                                            "endpoint: authentication\n"),
                        encoding="utf-8")
    assert _enrich(cli, mini_root) == (
        1, "", "spec/mutations/createMfaDevice.yaml:3:11: unknown endpoint 'authentication' "
               "(known: api, auth)\n1 problem(s) found; nothing was written\n")
    assert not (mini_root / "spec" / "enriched").exists()


# --- 5. the export -----------------------------------------------------------------------------


def test_export_round_trips_the_enrichments(enriched: Catalogue, enriched_root: Path) -> None:
    """catalogue_from_export(export_json(c)) == c, enrichments included."""
    text = export_json(enriched)
    assert catalogue_from_export(text) == enriched
    # The export's entry is the enrichment file's document, unchanged.
    assert export_document(enriched)["enrichments"] == [
        json.loads((enriched_root / TARGET).read_text("utf-8"))]
    assert json.loads(export_json(load_spec(str(MINI)).assert_valid()))["enrichments"] == []


# --- 6. the bundled catalogue and its published SDL --------------------------------------------


def test_bundled_examples_against_the_published_sdl(full_catalogue: Catalogue) -> None:
    """227 of the catalogue's 236 examples (the page's 235 and the one of the entry it shows
    without heading) validate against build/schema once its fragments exist."""
    schemas = {e: build_schema((REPO / "build" / "schema" / f"{e}.graphql").read_text("utf-8"))
               for e in ("api", "auth")}
    assert len(full_catalogue.mutations) == 236
    assert _failing_examples(full_catalogue, schemas) == {
        # The page names a type and its example selects the field as a leaf; the sibling
        # states a union there (ActionType, EnrollmentProcess, InkMessage), which needs a
        # selection of subfields.
        "backendScreenEvent", "cancelEnrollment", "createInkInboundMessage", "enrollment",
        # The example selects fragments on types no source knows (InkLiveChat, ElectricityQuote,
        # GasQuote, QuotedSupplyPointType): they stay scalars, which allow no selection.
        "closeInkLiveChat", "createInkLiveChatMessage", "createQuote",
        # The sibling states the payload as a union; the page's example selects nothing on it.
        "linkUserToLine", "unlinkUserFromLine"}


def test_a_client_login_validates_only_against_the_enriched_sdl() -> None:
    """A real login operation validates against build/schema/api.graphql, not page-only."""
    operation = parse(LOGIN)
    enriched = build_schema((REPO / "build" / "schema" / "api.graphql").read_text("utf-8"))
    page_only = build_schema(
        (REPO / "build" / "schema" / "page-only" / "api.graphql").read_text("utf-8"))
    assert validate(enriched, operation) == []
    # The page names PossibleErrorType without its shape: a stand-in scalar allows no
    # selection of message and code.
    assert [e.message for e in validate(page_only, operation)] == [
        "Field 'possibleErrors' must not have a selection since type '[PossibleErrorType]' "
        "has no subfields."]
