"""The drift report: the catalogue against a real schema, finding by finding."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import MINI, REPO
from graphql import (
    GraphQLSchema,
    build_client_schema,
    build_schema,
    introspection_from_schema,
)

from kraken_spec.cli.drift import default_source, run_drift
from kraken_spec.external.drift import (
    KINDS,
    NOT_ON_PAGE_RULE,
    DriftReport,
    compare,
    counts,
    listed_errors,
    to_diagnostics,
)
from kraken_spec.generators.sdl import endpoint_sdl
from kraken_spec.model import Catalogue, Mutation, ReturnField
from kraken_spec.resources import bundled_catalogue
from kraken_spec.spec.loader import LoadResult, load_spec
from kraken_spec.spec.sources import SourceMap

ITALY = REPO / "spec" / "source" / "octopus-energy-it.introspection.json"


@pytest.fixture(scope="module")
def loaded() -> LoadResult:
    return load_spec(str(MINI))


@pytest.fixture(scope="module")
def mini(loaded: LoadResult) -> Catalogue:
    return loaded.assert_valid()


@pytest.fixture(scope="module")
def sdl(mini: Catalogue) -> str:
    return endpoint_sdl(mini, "api")


def _introspected(schema: GraphQLSchema) -> GraphQLSchema:
    """The schema as a client sees it after introspecting an endpoint."""
    return build_client_schema(introspection_from_schema(schema))


def _mutation(catalogue: Catalogue, name: str) -> Mutation:
    return next(m for m in catalogue.mutations if m.name == name)


def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def _edit_field(text: str, type_name: str, field: str, declaration: str) -> str:
    """Replace the declaration of one field inside ``type TYPE { ... }``."""
    start = text.index(f"type {type_name} {{\n")
    end = text.index("\n}", start)
    body, count = re.subn(rf"^  {field}: .*$", declaration, text[start:end], flags=re.MULTILINE)
    assert count == 1, (type_name, field)
    return text[:start] + body + text[end:]


# --- the acceptance criterion: N known changes, exactly N findings ----------------------------

KRAKEN_ERRORS = '''  """
  Create electricity meter reading(s) with the given value(s) for the given MaLo.

  Requires the Authorization header.

  The possible errors that can be raised are:

  - KT-DE-6414: Reading invalid.
  - KT-DE-6411: Malo not found.
  - KT-DE-6413: Too many readings.
  - KT-CT-1113: Disabled GraphQL field requested.
  - KT-CT-1111: Unauthorized.
  - KT-CT-1112: 'Authorization' header not provided.
  - KT-CT-9999: A code the page does not list.
  """
  createElectricityMeterReadings('''


def _drifted(sdl: str) -> str:
    """The mini SDL changed in known ways: one for each kind of finding (two for the kinds
    whose contradiction flag or basis varies)."""
    s = sdl
    # mutation-absent (and closePrintBatch becomes a mutation the page lacks)
    s = _edit(s, "  closeOpenPrintBatch: CloseOpenPrintBatch!", "  closePrintBatch: "
              "CloseOpenPrintBatch!")
    # deprecation
    s = _edit(s, "): ObtainKrakenJSONWebToken\n",
              '): ObtainKrakenJSONWebToken @deprecated(reason: "Use obtainToken.")\n')
    # payload-type: the payload renamed, its fields unchanged
    s = re.sub(r"\bAcceptGoodsQuote\b", "AcceptGoodsQuoteResult", s)
    # payload-nullability
    s = _edit(s, "): LinkUserToLineResponse!", "): LinkUserToLineResponse")
    # argument-missing
    s = _edit(s, "  generatePreSignedToken(\n    email: String!\n\n", "  generatePreSignedToken(\n")
    # argument-type
    s = _edit(s, "input: ResetUserPasswordInput!", "input: String!")
    # argument-nullability
    s = _edit(s, "input: ReadingsInput!", "input: ReadingsInput")
    # argument-extra, required (a contradiction) and optional (not one)
    s = _edit(s, "    input: AcceptGoodsQuoteInput!\n",
              "    input: AcceptGoodsQuoteInput!\n    quoteId: ID!\n")
    s = _edit(s, "    input: ObtainJSONWebTokenInput!\n",
              "    input: ObtainJSONWebTokenInput!\n    locale: String = \"de\"\n")
    # payload-field-missing
    s = _edit(s, '\n  """Inferred: type from the example value 1."""\n  refreshExpiresIn: Int\n',
              "\n")
    # payload-field-extra
    s = _edit_field(s, "GeneratePreSignedToken", "scope", "  scope: String\n  issuedAt: DateTime")
    # return-type: a stated type given another list structure
    s = _edit_field(s, "UpdateAccountUserMutationPayload", "errors", "  errors: ErrorType")
    # return-type-refined: a stated type made non-null, and an inferred String that is an ID
    s = _edit_field(s, "CreateElectricityMeterReadings", "possibleErrors",
                    "  possibleErrors: [PossibleErrorType!]!")
    s = _edit_field(s, "GeneratePreSignedToken", "token", "  token: ID!")
    # return-type-contradicts-inference: an inferred Boolean that is a String
    s = _edit_field(s, "ResetUserPasswordOutput", "passwordUpdated", "  passwordUpdated: String")
    # errors-missing (KT-DE-6412) and errors-extra (KT-CT-9999), in Kraken's own wording
    # The field's description is the block string just before it.
    field = s.index("  createElectricityMeterReadings(\n")
    start = s.rindex('  """\n', 0, s.rindex('  """\n', 0, field))
    end = field + len("  createElectricityMeterReadings(")
    return s[:start] + KRAKEN_ERRORS.rstrip("\n") + s[end:]


# (kind, coordinate, contradiction) of each change, in the report's order: catalogue order,
# then KINDS order within a mutation.
EXPECTED = [
    ("payload-type", "Mutation.acceptGoodsQuote", True),
    ("argument-extra", "Mutation.acceptGoodsQuote(quoteId:)", True),
    ("mutation-absent", "Mutation.closeOpenPrintBatch", True),
    ("argument-nullability", "Mutation.createElectricityMeterReadings(input:)", True),
    ("return-type-refined", "CreateElectricityMeterReadings.possibleErrors", False),
    ("errors-missing", "Mutation.createElectricityMeterReadings", False),
    ("errors-extra", "Mutation.createElectricityMeterReadings", False),
    ("argument-missing", "Mutation.generatePreSignedToken(email:)", True),
    ("return-type-refined", "GeneratePreSignedToken.token", False),
    ("payload-field-extra", "GeneratePreSignedToken.issuedAt", False),
    ("payload-nullability", "Mutation.linkUserToLine", True),
    ("deprecation", "Mutation.obtainKrakenToken", False),
    ("argument-extra", "Mutation.obtainKrakenToken(locale:)", False),
    ("payload-field-missing", "ObtainKrakenJSONWebToken.refreshExpiresIn", True),
    ("argument-type", "Mutation.resetUserPassword(input:)", True),
    ("return-type-contradicts-inference", "ResetUserPasswordOutput.passwordUpdated", False),
    ("return-type", "UpdateAccountUserMutationPayload.errors", True),
]


def _summary(report: DriftReport) -> list[tuple[str, str, bool]]:
    return [(f.kind, f.coordinate, f.contradiction) for f in report.findings]


@pytest.mark.parametrize("via", ["sdl", "introspection"])
def test_an_unchanged_schema_gives_no_finding(via: str, mini: Catalogue, sdl: str) -> None:
    schema = build_schema(sdl)
    report = compare(mini, schema if via == "sdl" else _introspected(schema))
    assert report == DriftReport((), (), 8)
    assert counts(report) == {}


@pytest.mark.parametrize("via", ["sdl", "introspection"])
def test_n_known_changes_give_exactly_n_findings(via: str, mini: Catalogue, sdl: str) -> None:
    schema = build_schema(_drifted(sdl))
    report = compare(mini, schema if via == "sdl" else _introspected(schema))
    assert _summary(report) == EXPECTED
    assert report.extra_mutations == ("closePrintBatch",)
    assert report.compared == 8
    # Every kind is exercised by the changes.
    assert {kind for kind, _, _ in EXPECTED} == set(KINDS)


def test_messages_name_both_sides(mini: Catalogue, sdl: str) -> None:
    report = compare(mini, build_schema(_drifted(sdl)))
    by_coordinate = {f.coordinate: f for f in report.findings}
    assert by_coordinate["GeneratePreSignedToken.issuedAt"].message == (
        "the schema's GeneratePreSignedToken has the field issuedAt: DateTime, which the page "
        "does not show")
    assert by_coordinate["Mutation.closeOpenPrintBatch"].message == (
        "the page documents closeOpenPrintBatch; the schema's Mutation type has no such field")
    assert by_coordinate["Mutation.resetUserPassword(input:)"].message == (
        "the page types input as ResetUserPasswordInput!; the schema as String!")
    assert by_coordinate["Mutation.createElectricityMeterReadings(input:)"].message == (
        "the page types input as ReadingsInput!; the schema as ReadingsInput "
        "(only the nullability differs)")
    assert by_coordinate["GeneratePreSignedToken.token"].message.endswith(
        "the schema's ID! refines the inference")
    assert "does not allow" in by_coordinate["ResetUserPasswordOutput.passwordUpdated"].message
    assert by_coordinate["UpdateAccountUserMutationPayload.errors"].message == (
        "the page types errors as [ErrorType]; the schema as ErrorType "
        "(the list structure differs)")
    assert [f.message for f in report.findings if f.kind.startswith("errors-")] == [
        "the page lists KT-DE-6412 among the possible errors of createElectricityMeterReadings;"
        " the schema's description does not",
        "the schema's description lists KT-CT-9999 among the possible errors of "
        "createElectricityMeterReadings; the page does not",
    ]
    assert by_coordinate["Mutation.obtainKrakenToken"].message == (
        "the schema deprecates obtainKrakenToken ('Use obtainToken.'); the page does not")


def test_payload_fields_the_page_shows_none_of(mini: Catalogue, sdl: str) -> None:
    # linkUserToLine's page example selects no field (return_fields is None).
    assert _mutation(mini, "linkUserToLine").return_fields is None
    changed = _edit(sdl, "scalar LinkUserToLineResponse",
                    "type LinkUserToLineResponse {\n  ok: Boolean!\n  user: String\n}")
    changed = _edit(changed, "  printBatch: PrintBatchType\n}",
                    "  printBatch: PrintBatchType\n  printedAt: DateTime\n}")
    report = compare(mini, build_schema(changed))
    assert _summary(report) == [
        ("payload-field-extra", "CloseOpenPrintBatch.printedAt", False),
        ("payload-field-extra", "LinkUserToLineResponse.ok", False),
        ("payload-field-extra", "LinkUserToLineResponse.user", False),
    ]
    assert all(f.spec_path == ("returnFields",) for f in report.findings)
    assert counts(report) == {"payload-field-extra": 3}


def test_a_schema_without_mutations(mini: Catalogue) -> None:
    report = compare(mini, build_schema("type Query { a: Int }"))
    assert [f.kind for f in report.findings] == ["mutation-absent"] * 8
    assert report.extra_mutations == ()
    # The other endpoint's mutations are compared with its own schema only.
    assert compare(mini, build_schema("type Query { a: Int }"), "auth").compared == 1


def test_a_union_payload_has_no_field_to_compare(mini: Catalogue, sdl: str) -> None:
    changed = _edit(sdl, "): AcceptGoodsQuote\n", "): Outcome\n") + (
        "\nunion Outcome = AcceptGoodsQuote | CloseOpenPrintBatch\n")
    report = compare(mini, build_schema(changed))
    assert _summary(report) == [
        ("payload-type", "Mutation.acceptGoodsQuote", True),
        ("payload-field-missing", "Outcome.possibleErrors", True),
        ("payload-field-missing", "Outcome.goodsPurchase", True),
    ]


def test_a_mutation_the_page_puts_on_another_endpoint_is_not_extra(
        mini: Catalogue, sdl: str) -> None:
    changed = _edit(sdl, "type Mutation {\n", "type Mutation {\n  createMfaDevice: Boolean\n")
    assert compare(mini, build_schema(changed)).extra_mutations == ()


# --- the rule for inferred types -----------------------------------------------------------------

@pytest.mark.parametrize(("inferred", "example", "schema_type", "kind"), [
    ("String", '"abc123"', "String!", "return-type-refined"),
    ("String", '"abc123"', "ID", "return-type-refined"),
    ("String", '"abc123"', "DateTime", "return-type-refined"),
    ("String", '"BATTERIES"', "Color!", "return-type-refined"),
    ("String", '"abc123"', "Color", "return-type-contradicts-inference"),
    ("String", '"BATTERIES"', "ID", "return-type-contradicts-inference"),
    ("Int", "1", "Float", "return-type-refined"),
    ("Int", "1", "Decimal!", "return-type-refined"),
    ("Int", "1", "String", "return-type-contradicts-inference"),
    ("Float", "1.0", "Int", "return-type-contradicts-inference"),
    ("Boolean", "true", "String", "return-type-contradicts-inference"),
    ("Boolean", "true", "Thing", "return-type-contradicts-inference"),
    ("DateTime", '"2020-01-01T00:00:00.000Z"', "String", "return-type-contradicts-inference"),
    ("Date", '"2020-01-01"', "DateTime", "return-type-contradicts-inference"),
    ("GenericScalar", '"abc123" | 1', "JSONString", "return-type-refined"),
    ("GenericScalar", '"abc123" | 1', "Thing", "return-type-contradicts-inference"),
    ("[String]", '["abc123"]', "[ID!]!", "return-type-refined"),
    ("[String]", '["abc123"]', "String", "return-type-contradicts-inference"),
    ("String", '"abc123"', "[String]", "return-type-contradicts-inference"),
])
def test_inferred_types(inferred: str, example: str, schema_type: str, kind: str,
                        mini: Catalogue) -> None:
    mutation = replace(_mutation(mini, "resetUserPassword"),
                       return_fields=(ReturnField("value", inferred, "example", example),))
    catalogue = replace(mini, mutations=(mutation,))
    schema = build_schema(f"""
        type Query {{ a: Int }}
        scalar ResetUserPasswordInput
        scalar DateTime
        scalar Decimal
        scalar JSONString
        enum Color {{ RED }}
        type Thing {{ id: ID }}
        type ResetUserPasswordOutput {{ value: {schema_type} }}
        type Mutation {{
          resetUserPassword(input: ResetUserPasswordInput!): ResetUserPasswordOutput
        }}""")
    report = compare(catalogue, schema)
    assert _summary(report) == [(kind, "ResetUserPasswordOutput.value", False)]
    assert report.findings[0].spec_path == ("returnFields", 0, "type")


def test_a_stated_type_is_contradicted_and_only_refined_by_nullability(
        mini: Catalogue) -> None:
    mutation = replace(_mutation(mini, "acceptGoodsQuote"), return_fields=(
        ReturnField("a", "GoodsPurchase", "fragment"), ReturnField("b", "Thing", "type-name"),
        ReturnField("c", "[Thing]", "fragment")))
    schema = build_schema("""
        type Query { a: Int }
        scalar AcceptGoodsQuoteInput
        scalar GoodsPurchase
        type Thing { id: ID }
        type AcceptGoodsQuote { a: GoodsPurchase! b: GoodsPurchase c: [Thing!]! }
        type Mutation { acceptGoodsQuote(input: AcceptGoodsQuoteInput!): AcceptGoodsQuote }""")
    report = compare(replace(mini, mutations=(mutation,)), schema)
    assert _summary(report) == [
        ("return-type-refined", "AcceptGoodsQuote.a", False),
        ("return-type", "AcceptGoodsQuote.b", True),
        ("return-type-refined", "AcceptGoodsQuote.c", False),
    ]
    assert report.findings[1].message == (
        "the page types b as Thing; the schema as GoodsPurchase (the named type differs)")


# --- possible errors in a description ------------------------------------------------------------

@pytest.mark.parametrize(("description", "codes"), [
    (None, None),
    ("", None),
    ("Create an account.", None),
    ("Create an account.\n\nThe possible errors that can be raised are:\n\n"
     "- KT-IT-4111: Invalid data.\n- KT-CT-4110: Unable to create account.\n",
     ("KT-IT-4111", "KT-CT-4110")),
    ("X.\r\n\r\nThe possible errors that can be raised are:\r\n\r\n- KT-CT-1111: A.\r\n"
     "- KT-CT-1111: A.\r\nMore prose.\r\n- KT-CT-2222: not in the list", ("KT-CT-1111",)),
    ("The possible errors that can be raised are:\n\nNone.", None),
    ("Accept.\n\nPossible errors: KT-CT-8223, KT-CT-1112.", ("KT-CT-8223", "KT-CT-1112")),
    ("Possible errors: none.", None),
])
def test_listed_errors(description: str | None, codes: tuple[str, ...] | None) -> None:
    assert listed_errors(description) == codes


def test_no_error_list_in_the_schema_means_no_finding(mini: Catalogue, sdl: str) -> None:
    schema = build_schema(sdl)
    assert schema.mutation_type is not None
    for field in schema.mutation_type.fields.values():
        field.description = None
    assert any(m.errors for m in mini.mutations)
    assert compare(mini, schema).findings == ()


# --- diagnostics: severities, rules and places -------------------------------------------------

def test_severities_by_authority(mini: Catalogue, sdl: str) -> None:
    report = compare(mini, build_schema(_drifted(sdl)))
    for authority, severity in (("own", "error"), ("sibling", "warning")):
        found = to_diagnostics(report, authority=authority, source="maingau",
                               schema_path="api.graphql")
        assert len(found) == len(EXPECTED) + 1
        for finding, d in zip(report.findings, found, strict=False):
            assert d.rule == f"drift-{finding.kind}"
            assert d.severity == (severity if finding.contradiction else "info")
            assert d.message == f"{finding.coordinate}: {finding.message} (in maingau)"
            assert (d.path, d.line, d.column) == ("api.graphql", 0, 0)
        assert found[-1].rule == NOT_ON_PAGE_RULE
        assert (found[-1].path, found[-1].line, found[-1].severity) == ("api.graphql", 0, "info")
        assert found[-1].message == ("maingau has the mutation closePrintBatch, which the page "
                                     "does not document")
    # Without a schema path, the source names the place.
    assert to_diagnostics(report, authority="own", source="x")[0].path == "x"


def test_counts(mini: Catalogue, sdl: str) -> None:
    found = counts(compare(mini, build_schema(_drifted(sdl))))
    assert found == {"mutation-absent": 1, "deprecation": 1, "payload-type": 1,
                     "payload-nullability": 1, "argument-missing": 1, "argument-type": 1,
                     "argument-nullability": 1, "argument-extra": 2, "payload-field-missing": 1,
                     "return-type": 1, "return-type-refined": 2,
                     "return-type-contradicts-inference": 1, "payload-field-extra": 1,
                     "errors-missing": 1,
                     "errors-extra": 1}
    assert list(found) == [k for k in KINDS if k in found]  # in the order of KINDS


# --- the command ---------------------------------------------------------------------------------

def _line_of(rel: str, text: str) -> tuple[int, int]:
    """The 1-based line and column where ``text`` starts in a mini spec file."""
    lines = (MINI / rel).read_text(encoding="utf-8").splitlines()
    line = next(i for i, s in enumerate(lines, 1) if text in s)
    return line, lines[line - 1].index(text) + 1


def _run(loaded: LoadResult, schema: Path, *, authority: str = "own", fmt: str = "json",
         source: str | None = None, endpoint: str = "api") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_drift(loaded, str(schema), authority=authority, source=source,
                     endpoint=endpoint, fmt=fmt, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def drifted_file(tmp_path: Path, sdl: str) -> Path:
    path = tmp_path / "maingau-live.graphql"
    path.write_text(_drifted(sdl), encoding="utf-8")
    return path


def test_json_report_located_in_the_spec_files(loaded: LoadResult, drifted_file: Path) -> None:
    code, out, err = _run(loaded, drifted_file)
    assert (code, err) == (1, "")
    document = json.loads(out)
    assert document["ok"] is False
    problems = document["problems"]
    assert len(problems) == len(EXPECTED) + 1
    by_rule = {p["rule"]: p for p in problems}
    argument = by_rule["drift-argument-type"]
    assert argument["path"] == "spec/mutations/resetUserPassword.yaml"
    line, column = _line_of("spec/mutations/resetUserPassword.yaml",
                            "ResetUserPasswordInput!")
    assert (argument["line"], argument["column"]) == (line, column)
    assert argument["severity"] == "error"
    assert argument["message"].endswith("(in maingau-live)")
    missing = by_rule["drift-payload-field-missing"]
    assert missing["path"] == "spec/mutations/obtainKrakenToken.yaml"
    assert missing["line"] == _line_of("spec/mutations/obtainKrakenToken.yaml",
                                       "name: refreshExpiresIn")[0]
    not_on_page = by_rule[NOT_ON_PAGE_RULE]
    assert (not_on_page["path"], not_on_page["line"]) == (str(drifted_file), 0)
    # Sorted by file and place, so the report reads top to bottom.
    places = [(p["path"], p["line"], p["column"], p["message"]) for p in problems]
    assert places == sorted(places)


def test_a_sibling_never_fails(loaded: LoadResult, drifted_file: Path) -> None:
    code, out, _ = _run(loaded, drifted_file, authority="sibling", source="octopus")
    document = json.loads(out)
    assert (code, document["ok"]) == (0, True)
    assert {p["severity"] for p in document["problems"]} == {"warning", "info"}
    assert all(p["message"].endswith("(in octopus)") or p["rule"] == NOT_ON_PAGE_RULE
               for p in document["problems"])


def test_text_report_and_footer(loaded: LoadResult, drifted_file: Path) -> None:
    code, out, err = _run(loaded, drifted_file, authority="sibling", fmt="text")
    assert (code, out) == (0, "")
    lines = err.splitlines()
    assert len(lines) == len(EXPECTED) + 2
    assert lines[-1] == (
        "drift of 8 api mutation(s) against maingau-live (sibling): 1 mutation-absent, "
        "1 deprecation, 1 payload-type, 1 payload-nullability, 1 argument-missing, "
        "1 argument-type, 1 argument-nullability, 2 argument-extra, 1 payload-field-missing, "
        "1 return-type, 2 return-type-refined, 1 return-type-contradicts-inference, "
        "1 payload-field-extra, 1 errors-missing, 1 errors-extra; 1 mutation(s) of the schema "
        "are not on the page")
    assert any(line.startswith("spec/mutations/resetUserPassword.yaml:") and ": warning: "
               in line for line in lines)


def test_an_unchanged_schema_passes(loaded: LoadResult, tmp_path: Path, sdl: str) -> None:
    path = tmp_path / "same.graphql"
    path.write_text(sdl, encoding="utf-8")
    code, out, err = _run(loaded, path, fmt="text")
    assert (code, out) == (0, "")
    assert err == ("drift of 8 api mutation(s) against same (own): no disagreement; "
                   "0 mutation(s) of the schema are not on the page\n")


@pytest.mark.parametrize("fmt", ["github", "markdown"])
def test_other_formats(fmt: str, loaded: LoadResult, drifted_file: Path) -> None:
    code, out, err = _run(loaded, drifted_file, fmt=fmt)
    assert (code, err) == (1, "")
    assert "drift-argument-type" in out


@pytest.mark.parametrize("content", ["", "type Query {", "{\"data\": 1}", "\udcff"])
def test_an_unreadable_schema_exits_2(content: str, loaded: LoadResult,
                                      tmp_path: Path) -> None:
    path = tmp_path / "broken.graphql"
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    code, out, err = _run(loaded, path)
    assert (code, out) == (2, "")
    assert err.startswith(f"kraken-spec: {path}") and err.count("\n") == 1
    code, out, err = _run(loaded, tmp_path / "missing.graphql")
    assert (code, out) == (2, "")
    assert err.startswith("kraken-spec: ") and "Traceback" not in err


@pytest.mark.parametrize(("option", "value", "expected"), [
    ("authority", "cousin", "kraken-spec: unknown authority 'cousin' (known: own, sibling)"),
    ("fmt", "xml", "kraken-spec: unknown format 'xml'"),
    ("endpoint", "shop", "kraken-spec: no endpoint 'shop' in the catalogue (known: api, auth)"),
])
def test_usage_problems_exit_2(option: str, value: str, expected: str, loaded: LoadResult,
                               drifted_file: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    arguments = {"authority": "own", "source": None, "endpoint": "api", "fmt": "json"}
    arguments[option] = value
    code = run_drift(loaded, str(drifted_file), out=out, err=err, **arguments)
    assert (code, out.getvalue()) == (2, "")
    assert err.getvalue().startswith(expected)


def test_an_invalid_spec_is_not_compared(drifted_file: Path) -> None:
    invalid = LoadResult(None, SourceMap(), ())
    code, out, err = _run(invalid, drifted_file)
    assert (code, out) == (1, "")
    assert err.startswith("kraken-spec: the spec has problems")


@pytest.mark.parametrize(("path", "name"), [
    ("spec/source/octopus-energy-it.introspection.json", "octopus-energy-it"),
    ("schema.graphql", "schema"),
    ("/tmp/.hidden", ".hidden"),
])
def test_default_source(path: str, name: str) -> None:
    assert default_source(path) == name


# --- the pinned Octopus Energy Italy schema ------------------------------------------------------

def test_the_italy_schema_against_the_bundled_catalogue(
        capsys: pytest.CaptureFixture[str]) -> None:
    schema = build_client_schema(json.loads(ITALY.read_text(encoding="utf-8"))["data"])
    catalogue = bundled_catalogue()
    report = compare(catalogue, schema)
    # Measured figures of this pinned introspection (spec/source/) against the bundled
    # catalogue: a new introspection or a new import of the page changes them.
    assert counts(report) == {
        "mutation-absent": 15, "deprecation": 19, "payload-type": 3, "argument-type": 3,
        "payload-field-missing": 15, "return-type": 10, "return-type-refined": 55,
        "payload-field-extra": 14, "errors-missing": 4, "errors-extra": 28,
    }
    assert len(report.extra_mutations) == 57
    # The entry the page shows without heading is compared on its body (in the catalogue
    # too, since the sibling confirms its payload type).
    assert report.compared == len(catalogue.mutations_of("api")) == 233
    assert sorted(f.kind for f in report.findings
                  if f.mutation == "nextOperationsTeamRoundRobin") == [
        "payload-field-extra", "payload-field-extra", "payload-field-extra", "return-type"]
    # Invariants that hold whatever the figures: the order is the catalogue's, nothing of
    # the auth endpoint is compared, and every extra mutation is one the page lacks.
    order = [m.name for m in catalogue.mutations_of("api")]
    assert [f.mutation for f in report.findings] == sorted(
        (f.mutation for f in report.findings), key=order.index)
    assert not {f.mutation for f in report.findings} & {m.name for m in
                                                        catalogue.mutations_of("auth")}
    assert not set(report.extra_mutations) & {m.name for m in catalogue.mutations}
    assert compare(catalogue, schema) == report  # deterministic
    # A sibling never fails: no error among its diagnostics.
    found = to_diagnostics(report, authority="sibling", source="octopus-energy-it")
    assert not any(d.is_error for d in found)
    assert capsys.readouterr() == ("", "")
