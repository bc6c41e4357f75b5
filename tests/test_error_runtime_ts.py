"""The TypeScript error-code runtime as client code adopts it, compiled by tsc from npm.

The committed build/errors/errors.ts is copied beside the client programs of
tests/fixtures/error_clients/typescript/ and compiled with ``tsc --strict`` twice: with
TypeScript's defaults (target ES5 and its libraries, CommonJS), and with ``--target es2022``
plus the stricter options modern projects turn on. Both builds run under node and must print
what the Python client prints (tests/fixtures/error_clients/expected.txt), and their reader
must read every response exactly as Python's ``response_errors`` does. The exhaustive
``switch`` over ``ObtainKrakenTokenErrorCode`` compiles, and fails to once a case is removed.

TypeScript 5 comes from npm through ``npx``, once per module. The tests skip, saying why,
when node or npx is missing or npm cannot provide TypeScript; once tsc runs, every failure
is a failure.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO
from strategies import ADVERSARIAL, make_catalogue

from kraken_spec.generators.error_codes import generate_error_files
from kraken_spec.runtime.errors import response_errors

CLIENTS = REPO / "tests" / "fixtures" / "error_clients"
RESPONSES = sorted((CLIENTS / "responses").glob("*.json"))
EXPECTED = (CLIENTS / "expected.txt").read_text(encoding="utf-8")
TYPESCRIPT = "typescript@5"
# What projects add to --strict; with them the client must compile all the same.
STRICTER = ("--noUncheckedIndexedAccess", "--exactOptionalPropertyTypes", "--noImplicitReturns",
            "--noFallthroughCasesInSwitch", "--noImplicitOverride",
            "--noPropertyAccessFromIndexSignature", "--isolatedModules")
# The client's lines that handle KT-CT-1113; without them its switch is not exhaustive.
REMOVABLE_CASE = "// case KT-CT-1113"

# Responses beyond the client's, for the two readers to agree on: every malformed shape the
# Python reader's rules name.
ODD_RESPONSES: list[Any] = [
    None, [], "x", 0, True, {}, {"errors": None}, {"errors": []}, {"errors": "Unauthorized"},
    {"errors": {"0": {"extensions": {"errorCode": "KT-CT-1111"}}}}, {"errors": 0},
    {"errors": False}, {"errors": [1, None, [], "KT-CT-1111", {"extensions": None}]},
    {"errors": [{"extensions": {"errorCode": code}} for code in (5, None, ["KT-CT-1111"])]},
    {"errors": [{"errorCode": "KT-CT-1111"}, {"extensions": []}]},
    {"errors": [{"message": 3, "path": ["a", True], "extensions": {
        "errorCode": "KT-CT-1111", "errorType": None, "errorDescription": ["x"],
        "validationErrors": [1, {"code": 2, "message": "m", "inputPath": "input"}, {}]}}]},
    {"errors": [{"path": ["a", 0, -1], "extensions": {
        "errorCode": "KT-XX-9", "validationErrors": "x"}},
        {"path": ["a", 1.5], "extensions": {"errorCode": "", "validationErrors": [
            {"inputPath": ["input", 0]}, {"inputPath": [None]}]}}]},
    {"data": {"x": None}, "errors": [{"message": "m", "extensions": {"errorCode": "KT-CT-1111"}},
                                     {"message": "no code"},
                                     {"message": "m", "extensions": {"errorCode": "KT-CT-1111"}}]},
]


def _run(argv: list[str | Path], cwd: Path,
         timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in argv], cwd=cwd, capture_output=True,
                          encoding="utf-8", timeout=timeout, check=False)


@pytest.fixture(scope="module")
def tsc(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The command running tsc; skips when node, npx or TypeScript from npm is missing."""
    missing = [tool for tool in ("node", "npx") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not found: the TypeScript clients are compiled "
                    f"with {TYPESCRIPT} from npm and run with node")
    command = ["npx", "--yes", "--package", TYPESCRIPT, "tsc"]
    try:
        done = _run([*command, "--version"], tmp_path_factory.mktemp("tsc"))
    except subprocess.TimeoutExpired:
        pytest.skip(f"npx could not provide {TYPESCRIPT} within 300 s")
    if done.returncode != 0 or not done.stdout.startswith("Version 5."):
        pytest.skip(f"npx could not provide {TYPESCRIPT} (exit status {done.returncode}): "
                    f"{(done.stderr or done.stdout).strip()[-500:]}")
    return command


def _project(folder: Path, errors_ts: str) -> Path:
    """A client project: errors.ts and the client programs."""
    folder.mkdir(parents=True)
    (folder / "errors.ts").write_text(errors_ts, encoding="utf-8")
    for program in (CLIENTS / "typescript").glob("*.ts"):
        shutil.copyfile(program, folder / program.name)
    return folder


def _compile(tsc: list[str], folder: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return _run([*tsc, "--strict", *options, "client.ts", "read.ts"], folder)


@pytest.fixture(scope="module")
def builds(tsc: list[str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The client project compiled with the default target and with ES2022, by name."""
    committed = (REPO / "build" / "errors" / "errors.ts").read_text(encoding="utf-8")
    folder = _project(tmp_path_factory.mktemp("ts") / "app", committed)
    targets = {"default": ["--outDir", "out-default"],
               "es2022": ["--target", "es2022", "--module", "commonjs", *STRICTER,
                          "--outDir", "out-es2022"]}
    for name, options in targets.items():
        done = _compile(tsc, folder, *options)
        assert (done.returncode, done.stdout, done.stderr) == (0, "", ""), name
    return {name: folder / f"out-{name}" for name in targets}


@pytest.mark.parametrize("target", ["default", "es2022"])
def test_the_client_handles_kraken_responses_as_the_python_client(
        builds: dict[str, Path], target: str) -> None:
    done = _run(["node", builds[target] / "client.js", *RESPONSES], builds[target])
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == EXPECTED


def _python_reading(response: object) -> dict[str, Any]:
    """What Python's response_errors reads, in the TypeScript reader's shape (camelCase,
    lists for tuples, null for None)."""
    result = response_errors(response)
    errors = []
    for error in result.errors:
        errors.append({
            "code": error.code, "known": error.known, "message": error.message,
            "path": error.path, "errorType": error.error_type,
            "description": error.description,
            "validationErrors": [{"code": v.code, "message": v.message,
                                  "inputPath": v.input_path} for v in error.validation_errors]})
    shape = {"errors": errors, "uncoded": result.uncoded, "known": result.known,
             "unknown": result.unknown, "codes": result.codes, "failed": result.failed}
    return json.loads(json.dumps(shape))


@pytest.mark.parametrize("target", ["default", "es2022"])
def test_the_reader_reads_as_pythons(builds: dict[str, Path], target: str,
                                     tmp_path: Path) -> None:
    files = list(RESPONSES)
    for i, response in enumerate(ODD_RESPONSES):
        files.append(tmp_path / f"odd-{i:02}.json")
        files[-1].write_text(json.dumps(response), encoding="utf-8")
    done = _run(["node", builds[target] / "read.js", *files], builds[target])
    assert (done.returncode, done.stderr) == (0, "")
    read = [json.loads(line) for line in done.stdout.splitlines()]
    assert read == [_python_reading(json.loads(f.read_text(encoding="utf-8"))) for f in files]
    assert read[RESPONSES.index(CLIENTS / "responses" / "resetUserPassword.too-weak.json")][
        "errors"][0]["validationErrors"][1] == {
        "code": "password_too_common", "message": "This password is too common.",
        "inputPath": ["input", "password"]}


def test_a_switch_missing_a_case_fails_to_compile(tsc: list[str], tmp_path: Path) -> None:
    committed = (REPO / "build" / "errors" / "errors.ts").read_text(encoding="utf-8")
    folder = _project(tmp_path / "app", committed)
    client = folder / "client.ts"
    lines = client.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if REMOVABLE_CASE not in line]
    assert len(lines) - len(kept) == 2
    client.write_text("".join(kept), encoding="utf-8")
    done = _run([*tsc, "--strict", "--noEmit", "client.ts"], folder)
    assert done.returncode != 0
    # The one error: the code left unhandled reaches the `never` of the default branch.
    (error,) = done.stdout.splitlines()
    assert re.fullmatch(r"client\.ts\(\d+,\d+\): error TS2322: Type '\"KT-CT-1113\"' is not "
                        r"assignable to type 'never'\.", error), error
    unhandled = kept[int(error.split("(")[1].split(",")[0]) - 1]
    assert "const unhandled: never = code;" in unhandled


def test_odd_catalogues_compile_and_keep_their_messages(tsc: list[str], tmp_path: Path) -> None:
    # Messages made of what breaks quoting or a documentation comment ("*/", "@", line
    # separators, lone surrogates), and a catalogue without codes or mutations.
    pieces = [*ADVERSARIAL, "*/ @deprecated", "\ud800", "\n@param x", "{@link ErrorCode}"]
    messages = [*pieces, "".join(pieces)]
    codes = [f"KT-CT-{i}" for i in range(len(messages))]
    odd = make_catalogue(list(zip(codes, messages, strict=True)),
                         {"first": codes[:3], "second": [], "_private": codes[-1:]})
    empty = make_catalogue([], {})
    for name, catalogue in (("odd", odd), ("empty", empty)):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "errors.ts").write_text(generate_error_files(catalogue)["errors/errors.ts"],
                                          encoding="utf-8")
        (folder / "show.ts").write_text(
            'import { ERROR_MESSAGES, ErrorCode, MUTATION_ERRORS } from "./errors";\n'
            "declare const console: { log(text: string): void };\n"
            "console.log(JSON.stringify([ERROR_MESSAGES, ErrorCode, MUTATION_ERRORS]));\n",
            encoding="utf-8")
        done = _run([*tsc, "--strict", "--lib", "es5", "--outDir", "out", "show.ts"], folder)
        assert (done.returncode, done.stdout) == (0, ""), name
        done = _run(["node", folder / "out" / "show.js"], folder)
        assert done.returncode == 0, done.stderr
        shown = json.loads(done.stdout)
        assert shown == [{e.code: e.message for e in catalogue.errors},
                         {e.code.replace("-", "_"): e.code for e in catalogue.errors},
                         {m.name: list(m.errors) for m in catalogue.mutations}], name
