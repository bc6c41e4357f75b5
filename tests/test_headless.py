"""Entries the page shows without their heading: read in full, kept in spec/headless/, and in
the catalogue only where a schema source confirms the payload type, with its provenance."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from conftest import BUNDLED_PAGE, MINI, REPO, CliRunner, file_tree

from kraken_spec.external.drift import compare
from kraken_spec.external.enrich import enrichment_from_schema
from kraken_spec.external.read import read_schema
from kraken_spec.generators.error_codes import generate_error_files
from kraken_spec.generators.export import catalogue_from_export, export_document, export_json
from kraken_spec.generators.markdown import generate_docs
from kraken_spec.generators.sdl import generate_sdl
from kraken_spec.model import (
    Argument,
    Catalogue,
    Example,
    Headless,
    NamedType,
    Provenance,
    ReturnField,
    SourcedField,
    SourcedPayload,
)
from kraken_spec.page.entries import PageArgument, PageReturnField
from kraken_spec.page.importer import (
    RemovalsNotAllowedError,
    catalogue_from_page,
    headless_warning,
    import_page,
    prepare_import,
)
from kraken_spec.page.parse import parse_page
from kraken_spec.resources import templates_dir
from kraken_spec.spec.headless import headless_summary
from kraken_spec.spec.loader import load_spec

# --- the bundled page ------------------------------------------------------------------------

BUNDLED_OPERATION = """mutation NextOperationsTeamRoundRobin($teamGroupName: String!) {
nextOperationsTeamRoundRobin(teamGroupName: $teamGroupName) {
possibleErrors {
...PossibleErrorTypeFragment
}
team {
...OperationsTeamTypeFragment
}
}
}"""
BUNDLED_VARIABLES = '{\n"teamGroupName": "abc123"\n}'
BUNDLED_RESPONSE = """{
"data": {
"nextOperationsTeamRoundRobin": {
"possibleErrors": [PossibleErrorType],
"team": OperationsTeamType
}
}
}"""
ITALY = Provenance("octopus-energy-it", "sibling", "2026-02-10")


@pytest.fixture(scope="module")
def bundled_page_catalogue() -> Catalogue:
    return catalogue_from_page(parse_page(BUNDLED_PAGE.read_text(encoding="utf-8")))


def test_the_reader_reads_the_bundled_headless_body_in_full() -> None:
    page = parse_page(BUNDLED_PAGE.read_text(encoding="utf-8"))
    (orphan,) = page.orphans
    assert (orphan.line, orphan.section, orphan.field, orphan.operation_line) == (
        4920, "API Site", "nextOperationsTeamRoundRobin", 4929)
    body = orphan.body
    assert body.arguments == (PageArgument(
        "teamGroupName", "String!", "The name of the operations team group to select from."),)
    assert body.return_fields == (
        PageReturnField("possibleErrors", "PossibleErrorType", "[PossibleErrorType]"),
        PageReturnField("team", "OperationsTeamType", "OperationsTeamType"))
    assert (body.operation, body.variables, body.response) == (
        BUNDLED_OPERATION, BUNDLED_VARIABLES, BUNDLED_RESPONSE)
    # Its heading's facts are nowhere: it is no mutation of the page.
    assert "nextOperationsTeamRoundRobin" not in {m.name for m in page.mutations}
    assert len(page.mutations) == 235


def test_the_page_catalogue_keeps_it_headless(bundled_page_catalogue: Catalogue) -> None:
    assert bundled_page_catalogue.headless == (Headless(
        name="nextOperationsTeamRoundRobin", endpoint="api", line=4920,
        arguments=(Argument("teamGroupName", "String!",
                            "The name of the operations team group to select from."),),
        return_fields=(ReturnField("possibleErrors", "[PossibleErrorType]", "fragment"),
                       ReturnField("team", "OperationsTeamType", "fragment")),
        example=Example(BUNDLED_OPERATION, BUNDLED_VARIABLES, BUNDLED_RESPONSE)),)
    assert len(bundled_page_catalogue.mutations) == 235
    # The types its body names are the page's: OperationsTeamType only it names.
    types = {t.name: t for t in bundled_page_catalogue.types}
    assert types["OperationsTeamType"] == NamedType("OperationsTeamType", "undocumented",
                                                    "output", None, None)


def test_the_committed_spec_holds_the_entry_and_the_sibling_confirms_it(
        full_catalogue: Catalogue, bundled_page_catalogue: Catalogue) -> None:
    assert full_catalogue.headless == bundled_page_catalogue.headless
    confirmed = full_catalogue.confirmed_headless()
    assert list(confirmed) == ["nextOperationsTeamRoundRobin"]
    m = confirmed["nextOperationsTeamRoundRobin"]
    assert (m.endpoint, m.payload_type, m.payload_non_null, m.payload_source) == (
        "api", "NextOperationsTeamRoundRobin", False, ITALY)
    assert (m.description, m.requires_authorization, m.deprecation_reason, m.errors) == (
        None, False, None, ())
    (entry,) = full_catalogue.headless
    assert (m.arguments, m.return_fields, m.example) == (
        entry.arguments, entry.return_fields, entry.example)
    (italy,) = full_catalogue.enrichments
    assert italy.payloads == (SourcedPayload(
        "nextOperationsTeamRoundRobin", "NextOperationsTeamRoundRobin", False,
        (SourcedField("teamGroupName", "String!"),)),)
    # The payload's closure is in the enrichment: the payload and what only it reaches.
    assert {"NextOperationsTeamRoundRobin", "Team", "TeamLocation", "TeamGroup"} <= {
        t.name for t in italy.types}
    # The page's own view: the page's 235 mutations and the entry, still headless.
    page = full_catalogue.page_only()
    assert len(page.mutations) == 235 and page.headless == full_catalogue.headless
    assert page.confirmed_headless() == {}
    assert headless_summary(full_catalogue) == (
        "1 headless entry, confirmed by octopus-energy-it (sibling)")
    assert headless_summary(page) == "1 headless entry, confirmed by no schema source"


def test_validate_notes_the_bundled_entry(cli: CliRunner) -> None:
    code, out, err = cli("validate", "--root", str(REPO), "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {"ok": True, "problems": [{
        "path": "spec/headless/nextOperationsTeamRoundRobin.yaml", "line": 2, "column": 7,
        "severity": "info", "rule": "headless-entry",
        "message": "the page shows nextOperationsTeamRoundRobin without its heading; its "
                   "payload type NextOperationsTeamRoundRobin is from octopus-energy-it "
                   "(sibling, 2026-02-10), so it is in the catalogue"}]}


def test_the_bundled_outputs_show_the_basis() -> None:
    api = (REPO / "build" / "schema" / "api.graphql").read_text(encoding="utf-8")
    assert ('  """\n  Sibling: payload type from octopus-energy-it (2026-02-10); the page shows '
            'this entry without its heading.\n  """\n  nextOperationsTeamRoundRobin(\n'
            '    """The name of the operations team group to select from."""\n'
            '    teamGroupName: String!\n  ): NextOperationsTeamRoundRobin\n') in api
    assert ('"""\nSibling: name from octopus-energy-it (2026-02-10); the page shows this '
            "payload's fields but not its name.\n\"\"\"\ntype NextOperationsTeamRoundRobin {\n"
            "  possibleErrors: [PossibleErrorType]\n  team: OperationsTeamType\n") in api
    page_only = (REPO / "build" / "schema" / "page-only" / "api.graphql").read_text("utf-8")
    assert "nextOperationsTeamRoundRobin" not in page_only
    assert "OperationsTeamType" not in page_only
    export = json.loads((REPO / "build" / "catalogue.json").read_text(encoding="utf-8"))
    (entry,) = [m for m in export["mutations"] if m["name"] == "nextOperationsTeamRoundRobin"]
    assert entry["payloadSource"] == {"source": "octopus-energy-it", "authority": "sibling",
                                      "date": "2026-02-10"}
    assert {m["payloadSource"] is None for m in export["mutations"]
            if m["name"] != "nextOperationsTeamRoundRobin"} == {True}
    assert [(h["name"], h["endpointName"], h["line"]) for h in export["headless"]] == [
        ("nextOperationsTeamRoundRobin", "api", 4920)]
    # The error-code outputs are the page's: the entry lists no errors, unknown not empty.
    for rel in ("build/errors/errors.json", "build/errors/errors.ts",
                "kraken_spec/runtime/errors.py"):
        assert "nextOperationsTeamRoundRobin" not in (REPO / rel).read_text("utf-8"), rel


def test_drift_compares_the_entry_on_its_body(full_catalogue: Catalogue) -> None:
    schema = read_schema(str(REPO / "spec" / "source" / "octopus-energy-it.introspection.json"))
    for catalogue in (full_catalogue, full_catalogue.page_only()):
        report = compare(catalogue, schema)
        assert "nextOperationsTeamRoundRobin" not in report.extra_mutations
        assert [(f.kind, f.coordinate) for f in report.findings
                if f.mutation == "nextOperationsTeamRoundRobin"] == [
            ("return-type", "NextOperationsTeamRoundRobin.team"),
            ("payload-field-extra", "NextOperationsTeamRoundRobin.location"),
            ("payload-field-extra", "NextOperationsTeamRoundRobin.teamGroups"),
            ("payload-field-extra", "NextOperationsTeamRoundRobin.allInferredRoutingAttributes"),
        ]


# --- a mini page with an entry shown without its heading -------------------------------------

HEADLESS_BODY = """Arguments
Name | Description |
---|---|
|
The team group. |
|
|
Return fields
Name | Description |
---|
Mutation
mutation AssignTeam($group: String!, $count: Int) {
assignTeam(group: $group, count: $count) {
possibleErrors {
...PossibleErrorTypeFragment
}
ok
}
}
Variables
{
"group": "abc123",
"count": 1
}
Response
{
"data": {
"assignTeam": {
"possibleErrors": [PossibleErrorType],
"ok": true
}
}
}""".splitlines()
MINI_LINES = (MINI / "page.txt").read_text(encoding="utf-8").split("\n")
# The mini page's first entry (acceptGoodsQuote) ends at line 54; the body follows it.
HEADLESS_LINE = 55
HEADLESS_FILE = "spec/headless/assignTeam.yaml"
HEADLESS_YAML = """\
# yaml-language-server: $schema=../../kraken_spec/spec/schemas/headless.schema.json
name: assignTeam
endpoint: api
line: 55
arguments:
- name: group
  type: String!
  description: The team group.
- name: count
  type: Int
  description: null
returnFields:
- name: possibleErrors
  type: '[PossibleErrorType]'
  basis: fragment
- name: ok
  type: Boolean
  basis: example
  example: 'true'
example:
  operation: |-
    mutation AssignTeam($group: String!, $count: Int) {
    assignTeam(group: $group, count: $count) {
    possibleErrors {
    ...PossibleErrorTypeFragment
    }
    ok
    }
    }
  variables: |-
    {
    "group": "abc123",
    "count": 1
    }
  response: |-
    {
    "data": {
    "assignTeam": {
    "possibleErrors": [PossibleErrorType],
    "ok": true
    }
    }
    }
"""


def _write_page(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def variant_lines() -> list[str]:
    assert MINI_LINES[HEADLESS_LINE - 2:HEADLESS_LINE] == ["}", "closeOpenPrintBatch"]
    return MINI_LINES[:HEADLESS_LINE - 1] + HEADLESS_BODY + MINI_LINES[HEADLESS_LINE - 1:]


@pytest.fixture
def variant(tmp_path: Path) -> tuple[Path, Path]:
    """(root, page): the mini page with a headless entry, imported into a new root."""
    page = _write_page(tmp_path / "page.txt", variant_lines())
    root = tmp_path / "root"
    root.mkdir()
    import_page(str(page), str(root))
    return root, page


def test_import_writes_the_entry_to_its_own_file(variant: tuple[Path, Path]) -> None:
    root, _ = variant
    tree = file_tree(root / "spec")
    # Everything else is the mini fixture's spec, byte for byte: no type of the entry is new.
    assert tree.pop("headless/assignTeam.yaml").decode() == HEADLESS_YAML
    assert tree == file_tree(MINI / "spec")


def test_the_import_warns_and_reimport_writes_nothing(variant: tuple[Path, Path],
                                                       cli: CliRunner) -> None:
    root, page = variant
    before = file_tree(root)
    code, out, err = cli("import-docs", str(page), "--root", str(root))
    assert code == 0
    assert out == ("imported 9 mutations, 20 error codes, 16 named types: 0 added, 0 changed, "
                   "0 removed; 0 file(s) written\n")
    # The wording after the field is the command's (cli/main.py); the place and the field
    # are fixed.
    assert err.startswith(f"{page}:{HEADLESS_LINE}: warning: an entry without its heading "
                          "(name, Type, URL) (it selects 'assignTeam')")
    assert file_tree(root) == before
    plan = prepare_import(str(page), str(root))
    assert (plan.headless_added, plan.headless_changed, plan.headless_removed) == ((), (), ())
    (orphan,) = plan.orphans
    assert headless_warning(orphan) == (
        "an entry without its heading (name, Type, URL) (it selects 'assignTeam') is kept in "
        "spec/headless/assignTeam.yaml and enters the catalogue only when a schema source "
        "confirms its payload type")


def test_a_changed_entry_is_rewritten(variant: tuple[Path, Path], tmp_path: Path) -> None:
    root, _ = variant
    lines = variant_lines()
    lines[lines.index("The team group. |")] = "The name of the team group. |"
    page = _write_page(tmp_path / "changed.txt", lines)
    plan = prepare_import(str(page), str(root))
    assert (plan.added, plan.changed, plan.removed) == ((), (), ())
    assert (plan.headless_added, plan.headless_changed, plan.headless_removed) == (
        (), ("assignTeam",), ())
    import_page(str(page), str(root))
    assert (root / HEADLESS_FILE).read_text(encoding="utf-8") == HEADLESS_YAML.replace(
        "description: The team group.", "description: The name of the team group.")


def test_an_entry_the_page_no_longer_has_is_a_removal(variant: tuple[Path, Path],
                                                      cli: CliRunner) -> None:
    root, _ = variant
    before = file_tree(root)
    page = MINI / "page.txt"
    plan = prepare_import(str(page), str(root))
    assert plan.removes and plan.removed == () and plan.headless_removed == ("assignTeam",)
    assert plan.removal_paths == (HEADLESS_FILE,)
    with pytest.raises(RemovalsNotAllowedError) as info:
        import_page(str(page), str(root))
    assert str(info.value) == ("the import would remove 0 mutation(s), 1 entry(ies) shown "
                               "without heading and 0 endpoint(s); nothing was written")
    code, out, err = cli("import-docs", str(page), "--root", str(root))
    assert (code, out) == (1, "")
    assert err.endswith("nothing was written; if the page is right, re-run with "
                        "--allow-removals to remove them\n")
    assert file_tree(root) == before
    code, out, err = cli("import-docs", str(page), "--root", str(root), "--allow-removals")
    assert (code, err) == (0, "")
    after = file_tree(root)
    assert set(before) - set(after) == {HEADLESS_FILE}
    assert after == {rel: data for rel, data in before.items() if rel != HEADLESS_FILE}


@pytest.mark.parametrize(("replace", "line", "message"), [
    # Two fields: nothing names the entry.
    (("assignTeam(group: $group, count: $count) {", "assignTeam(group: $group, count: $count) "
      "{ ok } other {"), 66, "the entry without heading at line 55: the example operation "
     "must select exactly one field, which names the entry"),
    # The name must be a mutation name: it becomes a file name.
    (("assignTeam(group: $group, count: $count) {", "AssignTeam(group: $group, count: $count) {"),
     66, "the entry without heading at line 55: the example selects 'AssignTeam', which is not "
     "a mutation name (a lower-case letter, then letters and digits)"),
    # A name the page documents with a heading.
    (("assignTeam", "acceptGoodsQuote"), 55,
     "the entry without heading at line 55 selects 'acceptGoodsQuote', which the entry at line "
     "12 documents too"),
    # Its response must show the field it selects.
    (('"assignTeam": {', '"other": {'), 80, "'assignTeam' (shown without its heading): "
     'example response is not shaped {"data": {"assignTeam": {...}}}'),
    # As many table rows as arguments.
    (("The team group. |", "The team group. |\n|\nA third row. |"), 68,
     "'assignTeam' (shown without its heading): the Arguments table has 3 rows but the "
     "example operation passes 2 arguments"),
])
def test_a_malformed_body_is_refused_at_its_line(replace: tuple[str, str], line: int,
                                                 message: str, tmp_path: Path,
                                                 cli: CliRunner) -> None:
    lines = "\n".join(variant_lines()).replace(*replace).split("\n")
    page = _write_page(tmp_path / "page.txt", lines)
    root = tmp_path / "root"
    shutil.copytree(MINI / "spec", root / "spec")
    code, out, err = cli("import-docs", str(page), "--root", str(root))
    assert (code, out, err) == (1, "", f"{page}:{line}: {message}\nnothing was written\n")
    assert file_tree(root / "spec") == file_tree(MINI / "spec")


def test_a_bare_payload_body_is_read(tmp_path: Path) -> None:
    text = "\n".join(variant_lines()).replace(
        "{\npossibleErrors {\n...PossibleErrorTypeFragment\n}\nok\n}\n}", "\n}").replace(
        '"assignTeam": {\n"possibleErrors": [PossibleErrorType],\n"ok": true\n}',
        '"assignTeam": AssignTeamPayload')
    (orphan,) = parse_page(text).orphans
    assert orphan.body.return_fields is None
    (entry,) = catalogue_from_page(parse_page(text)).headless
    assert entry.return_fields is None and entry.example.response == (
        '{\n"data": {\n"assignTeam": AssignTeamPayload\n}\n}')


# --- schema sources: which confirm the entry ---------------------------------------------------

SCHEMA = """\
type Query { x: Int }
type Mutation {
  assignTeam(group: String!, count: Int): AssignTeamPayload
}
type AssignTeamPayload {
  possibleErrors: [PossibleErrorType]
  ok: Boolean!
  team: Team
}
type Team { id: ID! lead: Person }
type Person { name: String }
type PossibleErrorType { message: String code: String }
union Either = Team | Person
"""


def _schema_file(folder: Path, text: str, name: str = "schema.graphql") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _variant_catalogue(root: Path) -> Catalogue:
    return load_spec(str(root)).assert_valid()


def test_a_schema_confirms_the_entry(variant: tuple[Path, Path], tmp_path: Path) -> None:
    root, _ = variant
    schema = read_schema(str(_schema_file(tmp_path, SCHEMA)))
    provenance = Provenance("other", "sibling", "2026-01-01")
    enrichment = enrichment_from_schema(_variant_catalogue(root), schema, provenance)
    assert enrichment.payloads == (SourcedPayload(
        "assignTeam", "AssignTeamPayload", False,
        (SourcedField("group", "String!"), SourcedField("count", "Int"))),)
    # The payload's closure is recorded; nothing else of the schema is reached.
    assert [t.name for t in enrichment.types] == [
        "AssignTeamPayload", "Person", "PossibleErrorType", "Team"]
    non_null = read_schema(str(_schema_file(tmp_path, SCHEMA.replace(
        "count: Int): AssignTeamPayload", "count: Int): AssignTeamPayload!"), "nn.graphql")))
    assert enrichment_from_schema(_variant_catalogue(root), non_null,
                                  provenance).payloads[0].non_null is True


@pytest.mark.parametrize("field", [
    "assignTeam(group: String, count: Int): AssignTeamPayload",  # another argument type
    "assignTeam(group: String!): AssignTeamPayload",  # an argument fewer
    "assignTeam(group: String!, count: Int, extra: Int): AssignTeamPayload",  # one more
    "assignTeam(group: String!, number: Int): AssignTeamPayload",  # another name
    "assignTeams(group: String!, count: Int): AssignTeamPayload",  # no such field
    "assignTeam(group: String!, count: Int): [AssignTeamPayload]",  # a list
    "assignTeam(group: String!, count: Int): Either",  # a union
    "assignTeam(group: String!, count: Int): String",  # a scalar
])
def test_a_schema_that_does_not_confirm(field: str, variant: tuple[Path, Path],
                                        tmp_path: Path) -> None:
    root, _ = variant
    text = SCHEMA.replace("assignTeam(group: String!, count: Int): AssignTeamPayload", field)
    schema = read_schema(str(_schema_file(tmp_path, text)))
    enrichment = enrichment_from_schema(_variant_catalogue(root), schema,
                                        Provenance("other", "sibling", "2026-01-01"))
    assert enrichment.payloads == ()
    # Unconfirmed, the payload reaches nothing: its types are not the page's concern.
    assert "AssignTeamPayload" not in {t.name for t in enrichment.types}


def _enrich(cli: CliRunner, root: Path, schema: Path, source: str, kind: str) -> str:
    code, out, err = cli("enrich", "--root", str(root), "--from", str(schema), "--source",
                         source, "--kind", kind, "--date", "2026-01-01")
    assert (code, err) == (0, ""), err
    return out


def _note(root: Path) -> str:
    (note,) = load_spec(str(root)).diagnostics
    assert (note.path, note.severity, note.rule) == (HEADLESS_FILE, "info", "headless-entry")
    return note.message


def test_a_confirmed_entry_enters_the_catalogue(variant: tuple[Path, Path], tmp_path: Path,
                                                cli: CliRunner) -> None:
    root, _ = variant
    assert _note(root) == ("the page shows assignTeam without its heading and it stays out "
                           "of the catalogue: no schema source confirms its payload type")
    out = _enrich(cli, root, _schema_file(tmp_path, SCHEMA), "other", "sibling")
    assert out == ("wrote spec/enriched/other.json: 4 types (4 OBJECT); shapes 1 of the page's "
                   "16 types without one; confirms the payload type of 1 of the page's 1 "
                   "entry without heading\n")
    # Byte-stable: the other source's confirmation does not feed back into the next run.
    assert _enrich(cli, root, _schema_file(tmp_path, SCHEMA), "other", "sibling").startswith(
        "unchanged spec/enriched/other.json")
    catalogue = _variant_catalogue(root)
    m = catalogue.confirmed_headless()["assignTeam"]
    assert (m.payload_type, m.payload_source) == (
        "AssignTeamPayload", Provenance("other", "sibling", "2026-01-01"))
    assert [x.name for x in catalogue.mutations_of("api")][:2] == [
        "acceptGoodsQuote", "assignTeam"]
    assert [x.name for x in catalogue.page_only().mutations] == [
        x.name for x in load_spec(str(MINI)).assert_valid().mutations]
    assert _note(root) == ("the page shows assignTeam without its heading; its payload type "
                           "AssignTeamPayload is from other (sibling, 2026-01-01), so it is in "
                           "the catalogue")
    assert headless_summary(catalogue) == "1 headless entry, confirmed by other (sibling)"


def test_an_own_source_wins_over_a_sibling(variant: tuple[Path, Path], tmp_path: Path,
                                           cli: CliRunner) -> None:
    root, _ = variant
    _enrich(cli, root, _schema_file(tmp_path, SCHEMA), "other", "sibling")
    own = SCHEMA.replace("AssignTeamPayload", "AssignTeamResult")
    _enrich(cli, root, _schema_file(tmp_path, own, "own.graphql"), "maingau", "own")
    m = _variant_catalogue(root).confirmed_headless()["assignTeam"]
    assert (m.payload_type, m.payload_source) == (
        "AssignTeamResult", Provenance("maingau", "own", "2026-01-01"))
    # An own record that no longer matches the page's arguments does not count: the
    # sibling's, which does, confirms the entry.
    path = root / "spec" / "enriched" / "maingau.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["payloads"][0]["arguments"][1]["type"] = "Int!"
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    m = _variant_catalogue(root).confirmed_headless()["assignTeam"]
    assert (m.payload_type, m.payload_source) == (
        "AssignTeamPayload", Provenance("other", "sibling", "2026-01-01"))
    (root / "spec" / "enriched" / "other.json").unlink()
    assert _variant_catalogue(root).confirmed_headless() == {}
    assert _note(root) == ("the page shows assignTeam without its heading and it stays out "
                           "of the catalogue: the record of maingau names other arguments than "
                           "the page; re-run enrich")


def test_the_page_wins_over_a_payload_name(variant: tuple[Path, Path], tmp_path: Path,
                                           cli: CliRunner) -> None:
    root, _ = variant
    # The page declares GoodsPurchase (an output it names without shape): a source that
    # calls the payload so cannot make it a payload type.
    text = SCHEMA.replace("AssignTeamPayload", "GoodsPurchase")
    _enrich(cli, root, _schema_file(tmp_path, text), "other", "sibling")
    assert _variant_catalogue(root).confirmed_headless() == {}
    assert _note(root) == ("the page shows assignTeam without its heading and it stays out "
                           "of the catalogue: other names its payload type GoodsPurchase, which "
                           "is a type the page declares")


# --- outputs of a confirmed entry ------------------------------------------------------------

@pytest.fixture
def confirmed(variant: tuple[Path, Path], tmp_path: Path, cli: CliRunner) -> Catalogue:
    root, _ = variant
    _enrich(cli, root, _schema_file(tmp_path, SCHEMA), "other", "sibling")
    return _variant_catalogue(root)


def test_the_sdl_marks_the_payload_source(confirmed: Catalogue) -> None:
    sdl = generate_sdl(confirmed)
    api = sdl["schema/api.graphql"]
    assert ('  """\n  Sibling: payload type from other (2026-01-01); the page shows this entry '
            'without its heading.\n  """\n  assignTeam(\n    """The team group."""\n'
            "    group: String!\n    count: Int\n  ): AssignTeamPayload\n") in api
    assert ('"""\nSibling: name from other (2026-01-01); the page shows this payload\'s fields '
            'but not its name.\n"""\ntype AssignTeamPayload {\n'
            "  possibleErrors: [PossibleErrorType]\n") in api
    page_only = sdl["schema/page-only/api.graphql"]
    assert "assignTeam" not in page_only and "AssignTeamPayload" not in page_only
    assert page_only == generate_sdl(load_spec(str(MINI)).assert_valid())[
        "schema/page-only/api.graphql"]


def test_the_docs_say_where_the_payload_type_comes_from(confirmed: Catalogue) -> None:
    docs = generate_docs(confirmed, str(templates_dir()))
    page = docs["docs/mutations/assignTeam.md"].split("\n")
    assert page[4:14] == [
        "**Shown without its heading.** The reference page shows this entry's arguments, "
        "return",
        "fields and example, but not its heading: the payload type is from",
        "other (sibling, 2026-01-01), a schema source; the description, authorization",
        "notice, deprecation and possible errors are not known.",
        "",
        "- **Endpoint:** API Site, `https://api.maingau-kraken.energy/v1/graphql/`",
        "- **Authorization:** unknown (the page shows no heading)",
        "- **Payload type:** `AssignTeamPayload` (nullable), from other (sibling, 2026-01-01), "
        "not the page",
        "- **Deprecated:** unknown (the page shows no heading)",
        "",
    ]
    assert ("Not known: the page lists error codes in an entry's heading, which it does not "
            "show for\nthis one.") in docs["docs/mutations/assignTeam.md"]
    index = docs["docs/README.md"]
    assert ("1 of them the page shows without a heading: a schema source names\nits payload "
            "type (marked *Shown without its heading* below).\n") in index
    assert ("| [assignTeam](mutations/assignTeam.md) | unknown | *Shown without its heading; "
            "payload type from other (sibling).* |\n") in index
    # The page's own view names the entry it leaves out.
    page_index = generate_docs(confirmed.page_only(), str(templates_dir()))["docs/README.md"]
    assert ("The page also shows 1 entry without a heading\nthat no schema source confirms, "
            "left out here:\n`assignTeam`.\n") in page_index
    assert "docs/mutations/assignTeam.md" not in generate_docs(confirmed.page_only(),
                                                               str(templates_dir()))


def test_the_export_carries_the_provenance_and_round_trips(confirmed: Catalogue) -> None:
    document = export_document(confirmed)
    (entry,) = [m for m in document["mutations"] if m["name"] == "assignTeam"]
    assert list(entry)[-2:] == ["payloadSource", "authorization"]
    assert entry["payloadSource"] == {"source": "other", "authority": "sibling",
                                      "date": "2026-01-01"}
    assert entry["payload"] == {"type": "AssignTeamPayload", "nonNull": False}
    assert [h["name"] for h in document["headless"]] == ["assignTeam"]
    assert document["enrichments"][0]["payloads"][0]["mutation"] == "assignTeam"
    text = export_json(confirmed)
    assert catalogue_from_export(text) == confirmed
    assert export_json(catalogue_from_export(text)) == text
    # An export written before these keys existed still reads: the page's facts only.
    for m in document["mutations"]:
        del m["payloadSource"]
    del document["headless"]
    old = catalogue_from_export(json.dumps(document))
    assert {m.payload_source for m in old.mutations} == {None} and old.headless == ()


def test_the_error_outputs_are_the_pages(confirmed: Catalogue) -> None:
    mini = load_spec(str(MINI)).assert_valid()
    assert generate_error_files(confirmed.page_only()) == generate_error_files(
        dataclasses.replace(mini, headless=confirmed.headless))


def test_build_and_check_with_a_confirmed_entry(confirmed: Catalogue, variant: tuple[Path, Path],
                                                cli: CliRunner, tmp_path: Path) -> None:
    root, _ = variant
    out = tmp_path / "out"
    assert cli("build", "--root", str(root), "--out", str(out))[0] == 0
    built = file_tree(out)
    assert "docs/mutations/assignTeam.md" in built
    assert b"assignTeam" not in built["errors/errors.json"]
    assert b"assignTeam" not in built["errors/errors.py"]
    code, text, err = cli("build", "--root", str(root), "--out", str(out), "--check")
    assert (code, err) == (0, "") and text.startswith("up to date: ")
