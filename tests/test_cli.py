"""The command line: usage, validate (text and JSON), export, and a missing --root."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BUNDLED_PAGE, MINI, REPO, CliRunner, run_tool
from jsonschema import Draft202012Validator

# --- usage ------------------------------------------------------------------------------------


def test_help(cli: CliRunner, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("--help")[0] == 0
    printed = capsys.readouterr().out
    assert printed.startswith("usage: kraken-spec")
    for command in ("import-docs", "validate", "export", "build"):
        assert command in printed


@pytest.mark.parametrize("command", ["import-docs", "validate", "export", "build"])
def test_command_help(command: str, cli: CliRunner, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(command, "--help")[0] == 0
    assert capsys.readouterr().out.startswith(f"usage: kraken-spec {command}")


@pytest.mark.parametrize("argv", [["bogus"], [], ["validate", "--format", "xml"],
                                  ["validate", "--no-such-option"]])
def test_usage_errors_exit_2(argv: list[str], cli: CliRunner,
                             capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(*argv)[0] == 2
    assert "usage: kraken-spec" in capsys.readouterr().err


def test_unknown_command_is_named(cli: CliRunner, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("bogus")[0] == 2
    assert "invalid choice: 'bogus'" in capsys.readouterr().err


def test_module_entry_point() -> None:
    done = run_tool("validate", "--root", str(MINI))
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("ok: 9 mutations")


# --- validate ---------------------------------------------------------------------------------


def test_validate_text(cli: CliRunner) -> None:
    code, out, err = cli("validate", "--root", str(MINI))
    assert (code, err) == (0, "")
    assert out == ("ok: 9 mutations (api: 8 mutations; auth: 1 mutations), 20 error codes, "
                   "16 named types\n")


def test_validate_json_ok(cli: CliRunner) -> None:
    code, out, err = cli("validate", "--root", str(MINI), "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {"ok": True, "problems": []}


def test_validate_json_problems(mini_root: Path, cli: CliRunner) -> None:
    path = mini_root / "spec" / "mutations" / "acceptGoodsQuote.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "description: Accept a goods quote.\n", "description: no\n"), encoding="utf-8")
    code, out, err = cli("validate", "--root", str(mini_root), "--format", "json")
    assert (code, err) == (1, "")
    assert json.loads(out) == {"ok": False, "problems": [{
        "path": "spec/mutations/acceptGoodsQuote.yaml", "line": 7, "column": 14,
        "severity": "error", "rule": "json-schema",
        "message": "$.description: expected string or null, but YAML reads 'no' as a boolean; "
                   "quote it",
    }]}


def test_validate_text_problems_go_to_stderr(mini_root: Path, cli: CliRunner) -> None:
    (mini_root / "spec" / "errors.yaml").unlink()
    code, out, err = cli("validate", "--root", str(mini_root))
    assert (code, out) == (1, "")
    assert err == "spec/errors.yaml: file not found\n1 problem(s) found\n"


@pytest.mark.parametrize("command", [["validate"], ["validate", "--format", "json"], ["export"],
                                     ["build"], ["build", "--check"]])
def test_missing_root(command: list[str], tmp_path: Path, cli: CliRunner) -> None:
    missing = tmp_path / "no-such-folder"
    code, out, err = cli(*command, "--root", str(missing))
    assert (code, out) == (2, "")
    assert err == f"kraken-spec: {missing}: no such folder\n"
    assert not missing.exists()


def test_root_without_spec(tmp_path: Path, cli: CliRunner) -> None:
    code, out, err = cli("validate", "--root", str(tmp_path))
    assert (code, out) == (2, "")
    assert err == (f"kraken-spec: {tmp_path}: no spec/ folder here (--root names the folder "
                   "that holds spec/)\n")


# --- export -----------------------------------------------------------------------------------


def _page_messages() -> dict[str, str]:
    messages: dict[str, str] = {}
    for line in BUNDLED_PAGE.read_text(encoding="utf-8").split("\n"):
        if line.startswith("- KT-"):
            code, message = line[2:].split(": ", 1)
            messages.setdefault(code, message)
    return messages


def test_export_of_the_bundled_catalogue(tmp_path: Path, cli: CliRunner) -> None:
    shutil.copytree(REPO / "spec", tmp_path / "spec", ignore=shutil.ignore_patterns("source"))
    code, out, err = cli("export", "--root", str(tmp_path))
    target = tmp_path / "build" / "catalogue.json"
    assert (code, err) == (0, "")
    assert out == f"wrote {target}\n"
    text = target.read_text(encoding="utf-8")
    document = json.loads(text)

    schema_file = REPO / "kraken_spec" / "spec" / "schemas" / "catalogue.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert list(Draft202012Validator(schema).iter_errors(document)) == []

    assert document["formatVersion"] == 1
    # 235 the page heads, and the entry it shows without heading that the sibling confirms.
    assert len(document["mutations"]) == 236
    assert {m["endpoint"] for m in document["mutations"]} == {
        "https://api.maingau-kraken.energy/v1/graphql/",
        "https://auth.maingau-kraken.energy/graphql/",
    }
    assert {e["code"]: e["message"] for e in document["errors"]} == _page_messages()
    assert len(document["errors"]) == 450
    assert all(e["domain"] == e["code"].split("-")[1] for e in document["errors"])
    assert text.endswith("}\n")


def test_export_to_stdout(cli: CliRunner) -> None:
    code, out, err = cli("export", "--root", str(MINI), "--out", "-")
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert len(document["mutations"]) == 9
    assert not (MINI / "build").exists()


def test_export_refuses_an_invalid_spec(mini_root: Path, cli: CliRunner) -> None:
    (mini_root / "spec" / "mutations" / "linkUserToLine.yaml").write_text("", encoding="utf-8")
    code, out, err = cli("export", "--root", str(mini_root))
    assert (code, out) == (1, "")
    assert err == "spec/mutations/linkUserToLine.yaml:1:1: the file is empty\n1 problem(s) found\n"
    assert not (mini_root / "build").exists()


def test_help_and_version_import_no_command_module() -> None:
    # What keeps `kraken-spec --help` about as fast as Python itself: the parser is built
    # without graphql-core, PyYAML, jsonschema or jinja2, nor any command's own module.
    probe = ("import sys, contextlib, io\n"
             "from kraken_spec.cli import main\n"
             "for argv in (['--version'], ['--help'], ['validate', '--help']):\n"
             "    with contextlib.redirect_stdout(io.StringIO()):\n"
             "        assert main(argv) == 0\n"
             "heavy = ('graphql', 'yaml', 'jsonschema', 'fastjsonschema', 'jinja2',\n"
             "         'kraken_spec.cli.commands', 'kraken_spec.spec.loader')\n"
             "print(sorted(m for m in heavy if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=REPO, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "[]\n", "")


def test_every_command_resolves_to_its_function() -> None:
    from kraken_spec.cli.main import COMMANDS, _command, _parser

    parsers = next(a for a in _parser()._actions
                   if isinstance(a, argparse._SubParsersAction))
    assert sorted(COMMANDS) == sorted(parsers.choices)
    for name in COMMANDS:
        assert callable(_command(name))
