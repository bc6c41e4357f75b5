"""Error-code outputs: the generated Python module, errors/errors.json and errors/errors.ts.

The mini catalogue's outputs are compared byte for byte with the golden tree by
tests/test_golden_tree.py; the tests here check what the outputs say. The committed
kraken_spec/runtime/errors.py is checked against the full catalogue; it is refreshed by
``kraken-spec build``.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import re
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI, REPO
from hypothesis import HealthCheck, given, settings
from strategies import any_text, error_catalogues, make_catalogue, responses, unicode_text

from kraken_spec.generators.error_codes import (
    generate_error_files,
    member_name,
    render_python_module,
)
from kraken_spec.model import Catalogue
from kraken_spec.runtime.errors import (
    MESSAGES,
    MUTATION_ERRORS,
    MUTATION_ERRORS_IN_ORDER,
    ErrorCode,
)
from kraken_spec.runtime.errors import response_errors as read_errors
from kraken_spec.runtime.responses import ResponseErrors, ValidationError, read_response_errors
from kraken_spec.spec.loader import load_spec

# Generated modules are exec'd or imported under fresh names, one per example.
_counter = iter(range(1_000_000))


def load_module_text(text: str) -> types.ModuleType:
    """Run generated module text as a fresh module (not registered in sys.modules)."""
    name = f"_generated_errors_{next(_counter)}"
    module = types.ModuleType(name)
    exec(compile(text, f"<{name}>", "exec"), module.__dict__)
    return module


def import_module_file(path: Path) -> types.ModuleType:
    """Import a module file under a fresh name, the way a client would import it."""
    name = f"_generated_errors_{next(_counter)}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[name]
    return module


def ts_constant(ts: str, name: str) -> Any:
    """The JSON value of ``export const NAME ... = <json>[ as const];`` in the TS text."""
    found = re.search(rf"^export const {name}(?:: [^=\n]*)? = (.*?)(?: as const)?;$", ts,
                      re.MULTILINE | re.DOTALL)
    assert found is not None, name
    return json.loads(found.group(1))


# --- the mini catalogue's outputs ------------------------------------------------------


def mini_outputs(catalogue: Catalogue) -> dict[str, str]:
    """The error-code files of the output folder, and the Python module."""
    return {**generate_error_files(catalogue), "errors.py": render_python_module(catalogue)}


def test_generated_file_names(mini_catalogue: Catalogue) -> None:
    assert sorted(generate_error_files(mini_catalogue)) == ["errors/errors.json",
                                                            "errors/errors.ts"]


def test_outputs_are_deterministic(mini_catalogue: Catalogue) -> None:
    assert mini_outputs(mini_catalogue) == mini_outputs(load_spec(str(MINI)).assert_valid())


def test_mini_module_imports_from_a_file(tmp_path: Path, mini_catalogue: Catalogue) -> None:
    path = tmp_path / "errors_mini.py"
    path.write_text(render_python_module(mini_catalogue), encoding="utf-8")
    module = import_module_file(path)
    code = module.ErrorCode.KT_CT_5450
    assert code.message == "Password is invalid." and code.domain == "CT"
    assert code is module.ErrorCode("KT-CT-5450") and str(code) == "KT-CT-5450"
    assert code.raised_by == ("resetUserPassword",)
    assert module.ErrorCode.KT_CT_1112.message == "'Authorization' header not provided."
    assert module.MUTATION_ERRORS_IN_ORDER["resetUserPassword"] == (
        module.ErrorCode.KT_CT_4125, module.ErrorCode.KT_CT_1132, code,
        module.ErrorCode.KT_CT_1113)
    assert module.MUTATION_ERRORS["linkUserToLine"] == frozenset()
    assert list(module.MUTATION_ERRORS) == sorted(m.name for m in mini_catalogue.mutations)


def test_json_document(mini_catalogue: Catalogue) -> None:
    doc = json.loads(generate_error_files(mini_catalogue)["errors/errors.json"])
    assert doc["formatVersion"] == 1
    assert [e["code"] for e in doc["errors"]] == [e.code for e in mini_catalogue.errors]
    first = doc["errors"][0]
    assert first == {"code": "KT-CT-1111", "message": "Unauthorized.", "domain": "CT",
                     "mutations": ["acceptGoodsQuote", "closeOpenPrintBatch",
                                   "createElectricityMeterReadings", "generatePreSignedToken"]}
    assert list(doc["mutations"]) == sorted(m.name for m in mini_catalogue.mutations)
    assert doc["mutations"]["resetUserPassword"] == [
        "KT-CT-4125", "KT-CT-1132", "KT-CT-5450", "KT-CT-1113"]
    for entry in doc["errors"]:
        for name in entry["mutations"]:
            assert entry["code"] in doc["mutations"][name]


def test_typescript_data(mini_catalogue: Catalogue) -> None:
    ts = generate_error_files(mini_catalogue)["errors/errors.ts"]
    assert "Do not edit by hand" in ts
    assert ts_constant(ts, "ERROR_CODES") == [e.code for e in mini_catalogue.errors]
    assert ts_constant(ts, "ERROR_MESSAGES") == {e.code: e.message for e in mini_catalogue.errors}
    assert ts_constant(ts, "MUTATION_NAMES") == sorted(m.name for m in mini_catalogue.mutations)
    assert ts_constant(ts, "MUTATION_ERRORS") == {m.name: list(m.errors)
                                                  for m in mini_catalogue.mutations}
    assert "export function responseErrorCodes(response: unknown): ResponseErrorCodes" in ts


# --- the generator refuses what it cannot write faithfully ------------------------------


@pytest.mark.parametrize("code", ["KT-CT-", "KT-ct-1", "XX-CT-1", "KT-CT-1; import os", "KT-C-1"])
def test_rejects_codes_that_are_no_identifiers(code: str) -> None:
    catalogue = make_catalogue([(code, "m")], {"m": [code]})
    with pytest.raises(ValueError, match="not of the form"):
        render_python_module(catalogue)


def test_rejects_unknown_code_in_a_mutation() -> None:
    catalogue = make_catalogue([("KT-CT-1", "m")], {"m": ["KT-CT-2"]})
    with pytest.raises(ValueError, match="unknown codes"):
        generate_error_files(catalogue)


@pytest.mark.parametrize("name", ["__proto__", "1abc", "a-b", ""])
def test_rejects_mutation_names_that_are_no_graphql_names(name: str) -> None:
    catalogue = make_catalogue([("KT-CT-1", "m")], {name: ["KT-CT-1"]})
    with pytest.raises(ValueError, match="not a GraphQL name"):
        generate_error_files(catalogue)


def test_rejects_a_mutation_name_served_by_two_endpoints() -> None:
    base = make_catalogue([("KT-CT-1", "m")], {"same": ["KT-CT-1"]})
    twin = dataclasses.replace(base.mutations[0], endpoint="auth")
    catalogue = Catalogue(base.endpoints, (*base.mutations, twin), base.errors, ())
    with pytest.raises(ValueError, match="served by both"):
        render_python_module(catalogue)


# --- arbitrary messages survive every output exactly ------------------------------------

PROPERTY = settings(deadline=None, max_examples=150,
                    suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(error_catalogues(any_text))
def test_python_module_keeps_every_message_exactly(catalogue: Catalogue) -> None:
    text = render_python_module(catalogue)
    assert text == render_python_module(catalogue)
    assert text.isascii()
    assert max(len(line) for line in text.splitlines()) < 100
    module = load_module_text(text)
    enum = module.ErrorCode
    assert [member.value for member in enum] == [e.code for e in catalogue.errors]
    for entry in catalogue.errors:
        member = enum[member_name(entry.code)]
        assert member is enum(entry.code)
        assert member.message == entry.message
        assert member.domain == entry.domain
    assert dict(module.MUTATION_ERRORS_IN_ORDER) == {
        m.name: tuple(enum(c) for c in m.errors) for m in catalogue.mutations}
    assert dict(module.MUTATION_ERRORS) == {
        m.name: frozenset(enum(c) for c in m.errors) for m in catalogue.mutations}


@PROPERTY
@given(error_catalogues(unicode_text))
def test_json_and_typescript_keep_every_message_exactly(catalogue: Catalogue) -> None:
    files = generate_error_files(catalogue)
    assert files == generate_error_files(catalogue)
    doc = json.loads(files["errors/errors.json"])
    assert [(e["code"], e["message"]) for e in doc["errors"]] == [
        (e.code, e.message) for e in catalogue.errors]
    ts = files["errors/errors.ts"]
    assert ts_constant(ts, "ERROR_MESSAGES") == {e.code: e.message for e in catalogue.errors}
    assert ts_constant(ts, "MUTATION_ERRORS") == {
        m.name: list(m.errors) for m in catalogue.mutations}


def test_lone_surrogates_are_escaped_in_json_and_typescript() -> None:
    catalogue = make_catalogue([("KT-CT-1", "a\ud800b")], {"m": ["KT-CT-1"]})
    for text in generate_error_files(catalogue).values():
        text.encode("utf-8")
        assert "a\\ud800b" in text
    doc = json.loads(generate_error_files(catalogue)["errors/errors.json"])
    assert doc["errors"][0]["message"] == "a\ud800b"


def test_long_messages_are_split_at_spaces() -> None:
    message = " ".join(["word"] * 60)
    text = render_python_module(make_catalogue([("KT-CT-1", message)], {"m": ["KT-CT-1"]}))
    assert "    ErrorCode.KT_CT_1: (\n        'word word" in text
    assert load_module_text(text).ErrorCode.KT_CT_1.message == message


# --- the committed module (full catalogue) ----------------------------------------------


def test_committed_module_is_fresh(full_catalogue: Catalogue) -> None:
    committed = (REPO / "kraken_spec" / "runtime" / "errors.py").read_text(encoding="utf-8")
    assert committed == render_python_module(full_catalogue), (
        "kraken_spec/runtime/errors.py is stale; regenerate it with 'kraken-spec build'")


def test_committed_module_content(full_catalogue: Catalogue) -> None:
    assert ErrorCode.KT_CT_1111.message == "Unauthorized."
    assert isinstance(ErrorCode.KT_CT_1111, str)
    assert ErrorCode("KT-CT-1111") is ErrorCode.KT_CT_1111
    assert f"{ErrorCode.KT_CT_1111}" == ErrorCode.KT_CT_1111.value == "KT-CT-1111"
    assert len(ErrorCode) == 450
    assert [(c.value, c.message, c.domain) for c in ErrorCode] == [
        (e.code, e.message, e.domain) for e in full_catalogue.errors]
    assert len(MESSAGES) == 450
    assert len(MUTATION_ERRORS) == 235
    assert {name: tuple(c.value for c in codes)
            for name, codes in MUTATION_ERRORS_IN_ORDER.items()} == {
        m.name: m.errors for m in full_catalogue.mutations}
    raisers = full_catalogue.raisers()
    assert all(set(c.raised_by) == set(raisers[c.value]) for c in ErrorCode)


def test_generated_modules_pass_mypy_strict(tmp_path: Path, mini_catalogue: Catalogue) -> None:
    api = pytest.importorskip("mypy.api")
    mini_module = tmp_path / "errors_mini.py"
    mini_module.write_text(render_python_module(mini_catalogue), encoding="utf-8")
    out, err, status = api.run([
        "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"),
        "--config-file", "", str(REPO / "kraken_spec" / "runtime" / "errors.py"), str(mini_module)])
    assert status == 0, out + err


# --- reading codes out of responses -----------------------------------------------------


def documented_error_response(full_catalogue: Catalogue) -> Any:
    """The error response that resetUserPassword's description shows, as the page gives it."""
    (mutation,) = [m for m in full_catalogue.mutations if m.name == "resetUserPassword"]
    assert mutation.description is not None
    # The page's code block sits between a "json" line and the prose that follows it.
    found = re.search(r"^json\n(.*?)\nThe validation error", mutation.description,
                      re.MULTILINE | re.DOTALL)
    assert found is not None
    return json.loads(found.group(1))


def test_documented_error_shape(full_catalogue: Catalogue) -> None:
    result = read_errors(documented_error_response(full_catalogue))
    assert result.known == (ErrorCode.KT_CT_5450,)
    assert result.unknown == () and result.uncoded == 0 and result.failed
    (error,) = result.errors
    assert error.code == "KT-CT-5450" and error.known is ErrorCode.KT_CT_5450
    assert error.message == "Password is invalid."
    assert error.path == ("resetUserPassword",)
    assert error.error_type == "VALIDATION"
    assert error.description == "Given password fails password policy requirements."
    assert error.validation_errors == (
        ValidationError("password_too_short",
                        "This password is too short. It must contain at least 7 characters.",
                        ("input", "password")),
        ValidationError("password_too_common", "This password is too common.",
                        ("input", "password")),
    )


def coded(code: object) -> dict[str, Any]:
    return {"message": "m", "extensions": {"errorCode": code}}


def test_unknown_codes_are_reported_in_response_order() -> None:
    response = {"data": None, "errors": [coded("KT-XX-9"), coded("KT-CT-1111"), coded(""),
                                         coded("KT-CT-1111"), {"message": "syntax error"}]}
    result = read_errors(response)
    assert result.known == (ErrorCode.KT_CT_1111, ErrorCode.KT_CT_1111)
    assert result.unknown == ("KT-XX-9", "")
    assert result.codes == ("KT-XX-9", "KT-CT-1111", "", "KT-CT-1111")
    assert result.uncoded == 1 and result.failed
    assert result.errors[0].known is None
    assert result.errors[0].path is None and result.errors[0].error_type is None


def test_a_clean_response_has_no_errors() -> None:
    result = read_errors({"data": {"resetUserPassword": {"passwordUpdated": True}}})
    assert result == ResponseErrors() and not result.failed


@pytest.mark.parametrize(("response", "uncoded"), [
    (None, 0), ([], 0), ("x", 0), (0, 0), (True, 0), ({}, 0), ({"errors": None}, 0),
    # An errors value that is present but not a list is a failure all the same.
    ({"errors": "x"}, 1), ({"errors": "Unauthorized"}, 1),
    ({"errors": {"0": coded("KT-CT-1111")}}, 1), ({"errors": 0}, 1), ({"errors": False}, 1),
    ({"errors": [1, {"extensions": None}]}, 2), ({"errors": [[], None, "KT-CT-1111"]}, 3),
    ({"errors": [coded(5), coded(None), coded(["KT-CT-1111"]), {"extensions": []}]}, 4),
    ({"errors": [{"errorCode": "KT-CT-1111"}]}, 1),
])
def test_malformed_responses_read_as_no_codes(response: object, uncoded: int) -> None:
    result = read_errors(response)
    assert result.known == () and result.unknown == () and result.errors == ()
    assert result.uncoded == uncoded


def test_malformed_optional_fields_read_as_none() -> None:
    entry = {"message": 3, "path": ["a", True], "extensions": {
        "errorCode": "KT-CT-1111", "errorType": None, "errorDescription": ["x"],
        "validationErrors": [1, {"code": 2, "message": "m", "inputPath": "input"}, {}]}}
    (error,) = read_errors({"errors": [entry]}).errors
    assert error.known is ErrorCode.KT_CT_1111
    assert (error.message, error.path, error.error_type, error.description) == (
        None, None, None, None)
    assert error.validation_errors == (ValidationError(None, "m", None),
                                       ValidationError(None, None, None))
    (error,) = read_errors({"errors": [{"path": ["a", 0], "extensions": {
        "errorCode": "KT-CT-1111", "validationErrors": "x"}}]}).errors
    assert error.path == ("a", 0) and error.validation_errors == ()


def test_the_reader_is_generic_over_the_known_codes() -> None:
    result = read_response_errors({"errors": [coded("A"), coded("B")]}, {"A": 1})
    assert result.known == (1,) and result.unknown == ("B",)


KNOWN = frozenset(code.value for code in ErrorCode)


def expected_codes(response: object) -> list[str]:
    """The codes of a response, restated from the documented reading rules."""
    if not isinstance(response, dict) or not isinstance(response.get("errors"), list):
        return []
    return [e["extensions"]["errorCode"] for e in response["errors"]
            if isinstance(e, dict) and isinstance(e.get("extensions"), dict)
            and isinstance(e["extensions"].get("errorCode"), str)]


@settings(deadline=None, max_examples=300)
@given(responses)
def test_any_json_value_reads_without_raising(response: object) -> None:
    result = read_errors(response)
    codes = expected_codes(response)
    assert list(result.codes) == codes
    assert list(result.known) == [ErrorCode(c) for c in codes if c in KNOWN]
    assert list(result.unknown) == [c for c in codes if c not in KNOWN]
    assert all(isinstance(c, ErrorCode) for c in result.known)
    entries = response.get("errors") if isinstance(response, dict) else None
    if isinstance(entries, list):
        assert result.uncoded == len(entries) - len(codes)
        assert result.failed == bool(entries)
    elif isinstance(response, dict) and entries is not None:
        assert result.uncoded == 1 and result.failed
    else:
        assert result.uncoded == 0 and not result.failed
    hash(result)  # frozen all the way down
