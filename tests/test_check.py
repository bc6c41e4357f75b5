"""kraken-spec check and check-request: verdicts by provenance on realistic client code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINI, REPO, CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

CLIENTS = "tests/fixtures/clients"
REQUESTS = "tests/fixtures/requests"


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    # Paths in the expected output are relative to the repository, as a CI job gives them.
    monkeypatch.chdir(REPO)


def _lines(text: str) -> list[str]:
    return text.splitlines()


def test_the_client_app_gets_a_verdict_per_fact(cli: CliRunner) -> None:
    code, out, err = cli("check", f"{CLIENTS}/app")
    assert (code, out) == (1, "")
    assert _lines(err) == [
        # Only the sibling (another brand) knows KrakenFlexDeviceType's fields: a warning.
        f"{CLIENTS}/app/smart_charging.py:11:7: warning: Cannot query field "
        "'batteryTemperature' on type 'KrakenFlexDeviceType'. (a fact of octopus-energy-it, "
        "another Kraken brand: the Maingau endpoint may differ) [fields-on-correct-type]",
        # The page documents the mutations: an unknown one is an error, with a suggestion.
        f"{CLIENTS}/app/web/payments.js:21:5: error: Cannot query field 'collectPaymnt' on "
        "type 'Mutation'. Did you mean 'collectPayment', 'cancelPayment', or "
        "'collectDeposit'? [fields-on-correct-type]",
        f"{CLIENTS}/app/web/payments.js:30:61: error: Variable '$unused' is never used in "
        "operation 'Profile'. [no-unused-variables]",
        f"{CLIENTS}/app/web/payments.js:31:5: warning: The field Mutation.updateUserDetails is "
        "deprecated. Please use updateUser instead [no-deprecated]",
        f"{CLIENTS}/app/web/payments.js:38:3: unverified: query Viewer is not checked: the "
        "catalogue documents mutations only [outside-catalogue]",
        # No source knows ReadingsInput: a literal for it is not checked, and says so.
        f"{CLIENTS}/app/web/readings.ts:21:43: unverified: the value of argument input "
        "(ReadingsInput) is not checked (at createElectricityMeterReadings: no source states "
        "this type's shape, so this part of the operation is not checked) [stand-in-values]",
        "9 documents checked: 2 errors, 2 warnings, 2 unverified",
    ]


def test_documents_that_match_pass_on_both_endpoints(cli: CliRunner) -> None:
    # login.graphql targets the API; mfa.graphql names the auth endpoint in a comment.
    assert cli("check", f"{CLIENTS}/app/auth") == (
        0, "", "2 documents checked: no findings\n")


def test_every_kind_of_mistake_is_an_error(cli: CliRunner) -> None:
    code, _, err = cli("check", f"{CLIENTS}/mistakes.graphql")
    assert code == 1
    path = f"{CLIENTS}/mistakes.graphql"
    assert _lines(err) == [
        f"{path}:2:3: error: Field 'generatePreSignedToken' argument 'numberOfDaysAllowed' of "
        "type 'Int!' is required, but it was not provided. [provided-required-arguments]",
        f"{path}:2:3: error: Field 'generatePreSignedToken' argument 'scope' of type "
        "'PreSignedTokenScope!' is required, but it was not provided. "
        "[provided-required-arguments]",
        f"{path}:8:36: error: Unknown argument 'remember' on field "
        "'Mutation.obtainKrakenToken'. [known-argument-names]",
        f"{path}:13:28: error: Variable '$input' of type 'String!' used in position expecting "
        "type 'ObtainJSONWebTokenInput!'. [variables-in-allowed-position]",
        f"{path}:21:5: error: Cannot query field 'tokn' on type 'ObtainKrakenJSONWebToken'. "
        "Did you mean 'token'? [fields-on-correct-type]",
        # The page's example value says token is a leaf: an error although the sibling
        # gave its exact type.
        f"{path}:27:11: error: Field 'token' must not have a selection since type 'String!' "
        "has no subfields. [scalar-leafs]",
        f"{path}:34:28: error: Variable '$credentials' is not defined by operation "
        "'UndefinedVariable'. [no-undefined-variables]",
        f"{path}:41:8: error: Unknown fragment 'TokenFields'. [known-fragment-names]",
        f"{path}:45:1: error: Fragment 'Unused' is never used. [no-unused-fragments]",
        "1 document checked: 9 errors",
    ]


def test_strict_fails_on_warnings_and_unverified(cli: CliRunner) -> None:
    assert cli("check", f"{CLIENTS}/app/smart_charging.py")[0] == 0
    assert cli("check", "--strict", f"{CLIENTS}/app/smart_charging.py")[0] == 1
    assert cli("check", f"{CLIENTS}/app/web/readings.ts")[0] == 0
    assert cli("check", "--strict", f"{CLIENTS}/app/web/readings.ts")[0] == 1


def test_unreadable_input_and_syntax_errors(cli: CliRunner, tmp_path: Path) -> None:
    code, _, err = cli("check", f"{CLIENTS}/broken.graphql", str(tmp_path / "gone.graphql"))
    assert code == 2  # an input that cannot be read: the run is incomplete
    assert _lines(err) == [
        f"{tmp_path / 'gone.graphql'}: error: file not found [unreadable-file]",
        f"{CLIENTS}/broken.graphql:4:1: error: Syntax Error: Expected Name, found <EOF>. "
        "[graphql-syntax]",
        "1 document checked: 2 errors",
    ]


def test_formats(cli: CliRunner) -> None:
    code, out, err = cli("check", "--format", "json", f"{CLIENTS}/app/smart_charging.py")
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["ok"] is True
    assert [(p["line"], p["column"], p["severity"], p["rule"]) for p in document["problems"]] \
        == [(11, 7, "warning", "fields-on-correct-type")]
    code, out, _ = cli("check", "--format", "github", f"{CLIENTS}/mistakes.graphql")
    assert code == 1
    assert out.splitlines()[0] == (
        f"::error file={CLIENTS}/mistakes.graphql,line=2,col=3,title=provided-required-arguments"
        "::Field 'generatePreSignedToken' argument 'numberOfDaysAllowed' of type 'Int!' is "
        "required, but it was not provided.")
    code, out, _ = cli("check", "--format", "markdown", f"{CLIENTS}/app")
    assert out.startswith("**6 problem(s) found** (2 error(s), 2 warning(s))\n\n| where |")


def test_a_schema_file_decides_with_its_own_authority(cli: CliRunner, tmp_path: Path) -> None:
    # The same schema as an own source: what a sibling's fact only warned about now fails.
    schema = REPO / "build" / "schema" / "api.graphql"
    code, _, err = cli("check", "--schema", str(schema), f"{CLIENTS}/app/smart_charging.py")
    assert code == 1
    assert ": error: Cannot query field 'batteryTemperature'" in err
    code, _, err = cli("check", "--schema", str(schema), "--schema-kind", "sibling",
                       f"{CLIENTS}/app/smart_charging.py")
    assert code == 0
    assert ": warning: Cannot query field 'batteryTemperature'" in err


def test_root_selects_another_catalogue(cli: CliRunner) -> None:
    # The mini catalogue has no payments: collectPayment is unknown there.
    code, _, err = cli("check", "--root", str(MINI), f"{CLIENTS}/app/web/payments.js")
    assert code == 1
    assert "Cannot query field 'collectPayment' on type 'Mutation'." in err
    code, _, err = cli("check", "--root", str(REPO / "tests"), f"{CLIENTS}/app")
    assert code == 2
    assert "no spec/ folder here" in err


def test_unknown_endpoint(cli: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "x.graphql"
    doc.write_text("# kraken-spec: endpoint=billing\nmutation { a }\n", encoding="utf-8")
    code, _, err = cli("check", str(doc))
    assert code == 1
    # Placed where the document starts: the whole file.
    assert err.splitlines()[0] == (f"{doc}:1:1: error: unknown endpoint 'billing' (known: "
                                   "api, auth) [unknown-endpoint]")
    assert cli("check", "--endpoint", "billing", str(doc))[0] == 2


def test_works_from_an_empty_folder_with_the_bundled_catalogue(tmp_path: Path) -> None:
    doc = tmp_path / "login.graphql"
    doc.write_text((REPO / CLIENTS / "app" / "auth" / "login.graphql").read_text(
        encoding="utf-8"), encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    done = subprocess.run([sys.executable, "-m", "kraken_spec", "check", str(doc)], cwd=empty,
                          capture_output=True, text=True, timeout=120,
                          env=os.environ | {"PYTHONPATH": str(REPO)})
    assert (done.returncode, done.stderr) == (0, "1 document checked: no findings\n")
    assert list(empty.iterdir()) == []


# --- check-request ------------------------------------------------------------------------


def test_one_body(cli: CliRunner) -> None:
    assert cli("check-request", f"{REQUESTS}/login.json") == (
        0, "", "1 request checked: no findings\n")


def test_json_lines_one_result_per_line(cli: CliRunner) -> None:
    code, _, err = cli("check-request", f"{REQUESTS}/bodies.jsonl")
    assert code == 1
    path = f"{REQUESTS}/bodies.jsonl"
    sibling = "(a fact of octopus-energy-it, another Kraken brand: the Maingau endpoint may differ)"
    assert _lines(err) == [
        f"{path}:2: error: $input: the variable of required type ObtainJSONWebTokenInput! was "
        "not provided [variable-missing]",
        f"{path}:3: error: $input: the variable of non-null type ObtainJSONWebTokenInput! must "
        "not be null [variable-null]",
        f"{path}:4: warning: $input: Field 'emial' is not defined by type "
        f"'ObtainJSONWebTokenInput'. Did you mean 'email'? {sibling} [variable-coercion]",
        f"{path}:5: error: $days: Int cannot represent non-integer value: '7' "
        "[variable-coercion]",
        f"{path}:6: warning: $scope: Value 'NO_SUCH_SCOPE' does not exist in "
        f"'PreSignedTokenScope' enum. {sibling} [variable-coercion]",
        f"{path}:7: unverified: $input: not checked: no source states the shape of "
        "ReadingsInput [unverified-input]",
        f"{path}:8: error: operationName: the query holds several operations; "
        "\"operationName\" must name the one to run [operation-selection]",
        f"{path}:9: error: query: \"query\" must be a string, not a number [request-shape]",
        f"{path}:10:23: error: not JSON: Expecting ',' delimiter [json-syntax]",
        "10 requests checked: 6 errors, 2 warnings, 1 unverified",
    ]


def test_request_from_standard_input(tmp_path: Path) -> None:
    body = (REPO / REQUESTS / "login.json").read_bytes()
    done = subprocess.run([sys.executable, "-m", "kraken_spec", "check-request", "-",
                           "--format", "json"], input=body, capture_output=True, timeout=120,
                          cwd=tmp_path, env=os.environ | {"PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"ok": True, "problems": []}


def test_unreadable_request(cli: CliRunner, tmp_path: Path) -> None:
    code, _, err = cli("check-request", str(tmp_path / "none.json"))
    assert (code, err) == (2, f"kraken-spec: {tmp_path / 'none.json'}: file not found\n"
                              "0 requests checked: no findings\n")
    (tmp_path / "bad.json").write_bytes(b"\xff{}")
    code, _, err = cli("check-request", str(tmp_path / "bad.json"))
    assert code == 2 and "not UTF-8" in err


@settings(max_examples=60)
@given(st.text(max_size=300) | st.binary(max_size=300).map(lambda b: b.decode("latin-1")))
def test_arbitrary_bodies_never_crash(text: str) -> None:
    from kraken_spec.contract.request import check_bodies
    from kraken_spec.diagnostics import SEVERITIES
    target = _TARGET
    found, _ = check_bodies("x.json", text, target)
    assert all(d.severity in SEVERITIES for d in found)


@settings(max_examples=60)
@given(st.text(max_size=300))
def test_arbitrary_documents_never_crash(text: str) -> None:
    from kraken_spec.contract.check import check_found
    from kraken_spec.contract.documents import find_documents
    documents, _ = find_documents("x.graphql", text)
    for found in documents:
        check_found(found, _TARGET)


def _target() -> object:
    from kraken_spec.contract.check import Target
    from kraken_spec.gql.schema import build_endpoint_schema
    from kraken_spec.resources import bundled_catalogue
    catalogue = bundled_catalogue()
    return Target({e.name: build_endpoint_schema(catalogue, e.name)
                   for e in catalogue.endpoints}, "api")


_TARGET = _target()


def test_many_documents_are_checked_in_parallel_with_the_same_findings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kraken_spec.contract import check

    source = (REPO / CLIENTS / "mistakes.graphql").read_text(encoding="utf-8")
    count = check.PARALLEL_FROM + 10
    for i in range(count):
        (tmp_path / f"op{i:03d}.graphql").write_text(source, encoding="utf-8")
    parallel, checked = check.check_paths([str(tmp_path)], _TARGET)  # type: ignore[arg-type]
    monkeypatch.setattr(check, "PARALLEL_FROM", 10**9)
    serial, _ = check.check_paths([str(tmp_path)], _TARGET)  # type: ignore[arg-type]
    assert checked == count
    assert len(parallel) == 9 * checked
    assert [(d.path, d.line, d.column, d.severity, d.rule, d.message) for d in parallel] == [
        (d.path, d.line, d.column, d.severity, d.rule, d.message) for d in serial]
