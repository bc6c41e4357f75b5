"""Error-code outputs: the generated Python module, errors/errors.json and errors/errors.ts.

The mini catalogue's outputs are compared byte for byte with the golden tree by
tests/test_golden_tree.py; the tests here check what the outputs say, what the generator
refuses, and how the Python runtime reads responses and raises ``KrakenError``. The committed
kraken_spec/runtime/errors.py is checked against the full catalogue; it is refreshed by
``kraken-spec build``. Client programs using the runtimes, outside the repository's
environment, are tests/test_error_runtime.py (Python) and tests/test_error_runtime_ts.py.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib.util
import inspect
import itertools
import json
import pickle
import re
import sys
import types
from pathlib import Path
from typing import Any, get_args

import pytest
from conftest import MINI, REPO, run_cli
from hypothesis import HealthCheck, given, settings
from strategies import any_text, error_catalogues, make_catalogue, responses, unicode_text

import kraken_spec
import kraken_spec.errors
import kraken_spec.runtime.errors
import kraken_spec.runtime.responses
from kraken_spec.generators import error_codes
from kraken_spec.generators.error_codes import (
    error_outputs,
    generate_error_files,
    member_name,
    render_python_module,
)
from kraken_spec.generators.error_tables import RAISERS_LISTED
from kraken_spec.model import Catalogue
from kraken_spec.runtime.errors import (
    MESSAGES,
    MUTATION_ERRORS,
    MUTATION_ERRORS_IN_ORDER,
    MUTATION_NAMES,
    ErrorCode,
    KrakenError,
    MutationName,
    is_mutation_name,
    raise_for_errors,
)
from kraken_spec.runtime.errors import response_errors as read_errors
from kraken_spec.runtime.responses import ResponseErrors, ValidationError, read_response_errors
from kraken_spec.spec.loader import load_spec

# Generated modules are exec'd or imported under fresh names, one per example.
_counter = iter(range(1_000_000))


def load_module_text(text: str) -> types.ModuleType:
    """Run generated module text as a fresh module, registered in sys.modules while it runs
    (dataclasses look their module up there)."""
    name = f"_generated_errors_{next(_counter)}"
    module = types.ModuleType(name)
    sys.modules[name] = module
    try:
        exec(compile(text, f"<{name}>", "exec"), module.__dict__)
    finally:
        del sys.modules[name]
    return module


def member_docstrings(text: str) -> dict[str, str]:
    """Each enum member's docstring as the module's source gives it (what editors show):
    the string statement right after the member's assignment, cleaned as inspect does."""
    (enum,) = [node for node in ast.parse(text).body
               if isinstance(node, ast.ClassDef) and node.name == "ErrorCode"]
    found: dict[str, str] = {}
    for node, after in itertools.pairwise(enum.body):
        if (isinstance(node, ast.Assign) and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant) and isinstance(after.value.value, str)):
            (target,) = node.targets
            assert isinstance(target, ast.Name)
            found[target.id] = inspect.cleandoc(after.value.value)
    return found


def squeezed(text: str) -> str:
    """``text`` without any whitespace: docstrings are reflowed, so only that is compared."""
    return "".join(text.split())


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
    names = sorted(m.name for m in mini_catalogue.mutations)
    assert list(module.MUTATION_ERRORS) == list(module.MUTATION_NAMES) == names
    assert list(get_args(module.MutationName)) == names
    assert get_args(module.ErrorDomain) == ("CT", "DE")
    # The docstring an editor shows, and the same text at run time.
    assert code.__doc__ == "Password is invalid.\n\nRaised by resetUserPassword."
    assert member_docstrings(path.read_text(encoding="utf-8"))["KT_CT_5450"] == code.__doc__


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
    assert "import " not in ts and "require(" not in ts
    assert ts_constant(ts, "ERROR_CODES") == [e.code for e in mini_catalogue.errors]
    assert ts_constant(ts, "ERROR_MESSAGES") == {e.code: e.message for e in mini_catalogue.errors}
    assert ts_constant(ts, "ERROR_DOMAINS") == ["CT", "DE"]
    assert ts_constant(ts, "MUTATION_NAMES") == sorted(m.name for m in mini_catalogue.mutations)
    assert ts_constant(ts, "MUTATION_ERRORS") == {m.name: list(m.errors)
                                                  for m in mini_catalogue.mutations}
    assert "export function responseErrors(response: unknown): ResponseErrors {" in ts
    assert "export function errorDomain(code: ErrorCode): ErrorDomain {" in ts


def test_typescript_documents_each_code_and_types_each_mutation(
        mini_catalogue: Catalogue) -> None:
    ts = generate_error_files(mini_catalogue)["errors/errors.ts"]
    # Hovering ErrorCode.KT_CT_1135 shows its message and the mutations raising it.
    assert ("  /**\n   * Invalid data.\n   *\n   * Raised by obtainKrakenToken.\n   */\n"
            '  KT_CT_1135: "KT-CT-1135",\n') in ts
    assert len(re.findall(r'^  KT_[A-Z]{2}_\d+: "KT-[A-Z]{2}-\d+",$', ts, re.MULTILINE)) == 20
    assert ('export type ObtainKrakenTokenErrorCode = "KT-CT-1135" | "KT-CT-1134" | '
            '"KT-CT-1113";\n') in ts
    assert "export type LinkUserToLineErrorCode = never;\n" in ts
    assert "  readonly obtainKrakenToken: ObtainKrakenTokenErrorCode;\n" in ts
    # No ES2015 library: the module compiles with the default ES5 target.
    for es2015 in ("Set<", "Map<", "new Set", ".includes(", "Number.isInteger", "Object.entries"):
        assert es2015 not in ts, es2015


def test_documentation_counts_raisers_beyond_the_listed_number() -> None:
    many = [f"m{i:02}" for i in range(RAISERS_LISTED + 1)]
    catalogue = make_catalogue([("KT-CT-1", "often"), ("KT-CT-2", "once"), ("KT-CT-3", "never")],
                               {name: ["KT-CT-1"] for name in many} | {"m00": ["KT-CT-1",
                                                                             "KT-CT-2"]})
    outputs = error_outputs(catalogue)
    module = load_module_text(outputs.python_module)
    assert module.ErrorCode.KT_CT_1.__doc__ == f"often\n\nRaised by {len(many)} mutations."
    assert module.ErrorCode.KT_CT_2.__doc__ == "once\n\nRaised by m00."
    assert module.ErrorCode.KT_CT_3.__doc__ == "never\n\nRaised by no mutation of the catalogue."
    docs = member_docstrings(outputs.python_module)
    assert docs == {m.name: m.__doc__ for m in module.ErrorCode}
    ts = outputs.files["errors/errors.ts"]
    assert f"   * Raised by {len(many)} mutations.\n" in ts
    assert "   * Raised by no mutation of the catalogue.\n" in ts


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


def test_rejects_a_code_listed_twice() -> None:
    catalogue = make_catalogue([("KT-CT-1", "a"), ("KT-CT-1", "b")], {"m": ["KT-CT-1"]})
    with pytest.raises(ValueError, match="'KT-CT-1' twice"):
        error_outputs(catalogue)


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


def test_rejects_names_that_give_one_typescript_type() -> None:
    catalogue = make_catalogue([("KT-CT-1", "m")], {"reset": ["KT-CT-1"], "Reset": []})
    with pytest.raises(ValueError, match="would share the TypeScript type ResetErrorCode"):
        error_outputs(catalogue)


def test_the_catalogue_is_checked_once_per_build(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    calls: list[Catalogue] = []
    checked = error_codes.error_tables

    def counting(catalogue: Catalogue) -> Any:
        calls.append(catalogue)
        return checked(catalogue)

    monkeypatch.setattr(error_codes, "error_tables", counting)
    code, _, err = run_cli("build", "--root", str(MINI), "--out", str(tmp_path / "out"),
                           "--python-module", str(tmp_path / "errors.py"))
    assert (code, err) == (0, "")
    assert len(calls) == 1
    assert (tmp_path / "errors.py").is_file() and (tmp_path / "out/errors/errors.ts").is_file()


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
    docs = member_docstrings(text)
    assert sorted(docs) == sorted(member.name for member in enum)
    for entry in catalogue.errors:
        member = enum[member_name(entry.code)]
        assert member is enum(entry.code)
        assert member.message == entry.message
        assert member.domain == entry.domain
        # The docstring in the source is the message and raisers, reflowed.
        assert squeezed(docs[member.name]) == squeezed(member.__doc__)
        assert member.__doc__.startswith(entry.message + "\n\nRaised by ")
    assert dict(module.MUTATION_ERRORS_IN_ORDER) == {
        m.name: tuple(enum(c) for c in m.errors) for m in catalogue.mutations}
    assert dict(module.MUTATION_ERRORS) == {
        m.name: frozenset(enum(c) for c in m.errors) for m in catalogue.mutations}
    names = tuple(sorted(m.name for m in catalogue.mutations))
    assert names == module.MUTATION_NAMES


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
    # No message ends its documentation comment early: every code keeps its member line
    # right after its comment (tests/test_error_runtime_ts.py compiles such files).
    comments = re.findall(r"^  /\*\*\n((?:   \*.*\n)*?)   \*/\n  (KT_\w+): ", ts, re.MULTILINE)
    assert [name for _, name in comments] == [member_name(e.code) for e in catalogue.errors]
    assert all("*/" not in body for body, _ in comments)


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
    assert '    KT_CT_1 = \'KT-CT-1\'\n    """word word' in text


def test_an_empty_catalogue_gives_a_module_that_loads() -> None:
    # Validation refuses a catalogue without codes or mutations; the module still loads.
    module = load_module_text(render_python_module(make_catalogue([], {})))
    assert list(module.ErrorCode) == [] and module.MUTATION_NAMES == ()
    assert module.response_errors({"errors": [coded("KT-CT-1")]}).unknown == ("KT-CT-1",)


# --- the committed module (full catalogue) ----------------------------------------------


def test_committed_module_is_fresh(full_catalogue: Catalogue) -> None:
    committed = (REPO / "kraken_spec" / "runtime" / "errors.py").read_text(encoding="utf-8")
    # The build renders the error codes from what the page states (Catalogue.page_only).
    assert committed == render_python_module(full_catalogue.page_only()), (
        "kraken_spec/runtime/errors.py is stale; regenerate it with 'kraken-spec build'")


def test_committed_module_content(full_catalogue: Catalogue) -> None:
    page = full_catalogue.page_only()
    assert ErrorCode.KT_CT_1111.message == "Unauthorized."
    assert isinstance(ErrorCode.KT_CT_1111, str)
    assert ErrorCode("KT-CT-1111") is ErrorCode.KT_CT_1111
    assert f"{ErrorCode.KT_CT_1111}" == ErrorCode.KT_CT_1111.value == "KT-CT-1111"
    assert len(ErrorCode) == 450
    assert [(c.value, c.message, c.domain) for c in ErrorCode] == [
        (e.code, e.message, e.domain) for e in page.errors]
    assert len(MESSAGES) == 450
    assert len(MUTATION_ERRORS) == len(MUTATION_NAMES) == 235
    assert {name: tuple(c.value for c in codes)
            for name, codes in MUTATION_ERRORS_IN_ORDER.items()} == {
        m.name: m.errors for m in page.mutations}
    assert get_args(MutationName) == MUTATION_NAMES
    assert all(is_mutation_name(name) for name in MUTATION_NAMES)
    assert not is_mutation_name("obtainKrakenTokn") and not is_mutation_name(None)
    raisers = page.raisers()
    assert all(set(c.raised_by) == set(raisers[c.value]) for c in ErrorCode)


def test_committed_members_document_their_message_and_raisers() -> None:
    path = REPO / "kraken_spec" / "runtime" / "errors.py"
    docs = member_docstrings(path.read_text(encoding="utf-8"))
    assert sorted(docs) == sorted(code.name for code in ErrorCode)
    for code in ErrorCode:
        assert code.__doc__ is not None
        assert squeezed(docs[code.name]) == squeezed(code.__doc__)
    # The 48 codes sharing "Invalid data." read apart by the mutations raising them.
    invalid = [code for code in ErrorCode if code.message == "Invalid data."]
    assert len(invalid) == 48
    assert ErrorCode.KT_CT_1135.__doc__ == "Invalid data.\n\nRaised by obtainKrakenToken."
    assert len({code.__doc__ for code in invalid}) == len({code.raised_by for code in invalid})
    assert all(code.raised_by for code in invalid)
    assert ErrorCode.KT_CT_1111.__doc__ == (
        f"Unauthorized.\n\nRaised by {len(ErrorCode.KT_CT_1111.raised_by)} mutations.")


def test_generated_modules_pass_mypy_strict(tmp_path: Path, mini_catalogue: Catalogue) -> None:
    api = pytest.importorskip("mypy.api")
    mini_module = tmp_path / "errors_mini.py"
    mini_module.write_text(render_python_module(mini_catalogue), encoding="utf-8")
    out, err, status = api.run([
        "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"),
        "--config-file", "", str(REPO / "kraken_spec" / "runtime" / "errors.py"),
        str(mini_module)])
    assert status == 0, out + err


def test_the_runtime_is_one_module_others_re_export() -> None:
    runtime = kraken_spec.runtime.errors
    # Only the standard library: no import of the package or of anything installed.
    imported = {node.module if isinstance(node, ast.ImportFrom) else alias.name
                for node in ast.walk(ast.parse(Path(runtime.__file__).read_text("utf-8")))
                if isinstance(node, ast.Import | ast.ImportFrom)
                for alias in node.names}
    assert imported <= {"__future__", "collections.abc", "dataclasses", "enum", "types",
                        "typing"}, imported
    assert all(name.partition(".")[0] in sys.stdlib_module_names for name in imported)
    # kraken_spec.errors and kraken_spec.runtime.responses hand out the very same objects.
    assert kraken_spec.errors.__all__ == runtime.__all__
    for name in runtime.__all__:
        assert getattr(kraken_spec.errors, name) is getattr(runtime, name), name
    for name in kraken_spec.runtime.responses.__all__:
        assert getattr(kraken_spec.runtime.responses, name) is getattr(runtime, name), name
    assert kraken_spec.ResponseErrors is runtime.ResponseErrors
    assert kraken_spec.read_response_errors is runtime.read_response_errors
    source = (REPO / "kraken_spec" / "errors.py").read_text(encoding="utf-8")
    modules = {node.module for node in ast.walk(ast.parse(source))
               if isinstance(node, ast.ImportFrom)}
    assert modules == {"__future__", "kraken_spec.runtime.errors"}


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


# --- KrakenError and raise_for_errors ---------------------------------------------------


def test_a_clean_response_raises_nothing() -> None:
    assert raise_for_errors({"data": {"obtainKrakenToken": {"token": "t"}}}) is None
    assert raise_for_errors({"data": None, "errors": []}) is None


def test_kraken_error_from_the_documented_response(full_catalogue: Catalogue) -> None:
    response = documented_error_response(full_catalogue)
    with pytest.raises(KrakenError) as caught:
        raise_for_errors(response)
    error = caught.value
    assert error.code is ErrorCode.KT_CT_5450 and error.raw_code == "KT-CT-5450"
    assert error.message == "Password is invalid."
    assert error.path == ("resetUserPassword",)
    assert error.error_type == "VALIDATION"
    assert error.description == "Given password fails password policy requirements."
    assert [v.code for v in error.validation_errors] == ["password_too_short",
                                                         "password_too_common"]
    # No mutation was named: the error's path names one of the catalogue.
    assert error.mutation == "resetUserPassword"
    assert error.errors == read_errors(response)
    assert str(error) == "resetUserPassword: KT-CT-5450: Password is invalid."
    match error:
        case KrakenError(ErrorCode.KT_CT_5450, "resetUserPassword"):
            pass
        case _:
            pytest.fail("the positional pattern did not match")


def test_kraken_error_names_the_mutation_it_is_told() -> None:
    # An alias hides the mutation in the path; the caller's word wins.
    response = {"errors": [{"message": "Unauthorized.", "path": ["login"],
                            "extensions": {"errorCode": "KT-CT-1135"}},
                           {"message": "again", "extensions": {"errorCode": "KT-CT-1134"}},
                           {"message": "no code"}]}
    with pytest.raises(KrakenError) as caught:
        raise_for_errors(response, mutation="obtainKrakenToken")
    error = caught.value
    assert error.mutation == "obtainKrakenToken" and error.path == ("login",)
    assert str(error) == "obtainKrakenToken: KT-CT-1135: Unauthorized. (and 2 more errors)"
    assert error.errors.known == (ErrorCode.KT_CT_1135, ErrorCode.KT_CT_1134)
    assert error.errors.uncoded == 1
    with pytest.raises(KrakenError) as caught:
        raise_for_errors(response)
    assert caught.value.mutation is None  # "login" is no mutation of the catalogue


@pytest.mark.parametrize(("response", "code", "raw_code", "text"), [
    ({"errors": [{"message": "Syntax Error: Expected Name, found <EOF>."}]}, None, None,
     "1 error without an error code"),
    ({"errors": "Unauthorized"}, None, None, "1 error without an error code"),
    ({"errors": [1, None]}, None, None, "2 errors without an error code"),
    ({"errors": [coded("KT-CT-1138")]}, None, "KT-CT-1138", "KT-CT-1138: m"),
    ({"errors": [{"extensions": {"errorCode": "KT-CT-1138"}}]}, None, "KT-CT-1138",
     "KT-CT-1138"),
    # Without a message in the response, the catalogue's message stands in.
    ({"errors": [{"extensions": {"errorCode": "KT-CT-1111"}}]}, ErrorCode.KT_CT_1111,
     "KT-CT-1111", "KT-CT-1111: Unauthorized."),
])
def test_kraken_error_without_a_known_code(response: object, code: ErrorCode | None,
                                           raw_code: str | None, text: str) -> None:
    with pytest.raises(KrakenError) as caught:
        raise_for_errors(response)
    error = caught.value
    assert (error.code, error.raw_code, str(error)) == (code, raw_code, text)
    assert error.errors.failed


def test_kraken_error_pickles(full_catalogue: Catalogue) -> None:
    with pytest.raises(KrakenError) as caught:
        raise_for_errors(documented_error_response(full_catalogue), mutation="resetUserPassword")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is KrakenError and str(copy) == str(caught.value)
    assert (copy.code, copy.mutation, copy.errors) == (
        caught.value.code, caught.value.mutation, caught.value.errors)
