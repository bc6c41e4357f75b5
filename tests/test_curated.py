"""Curated type facts: they replace imported entries, reach the schema, and are checked."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import REPO, CliRunner
from graphql import GraphQLEnumType, GraphQLObjectType, build_schema

CURATED = """\
types:
- name: PossibleErrorType
  status: documented
  role: output
  kind: OBJECT
  description: An error the mutation may report.
  fields:
  - name: code
    type: String
  - name: message
    type: String
    description: What went wrong.
- name: PreSignedTokenScope
  status: documented
  role: input
  kind: ENUM
  values: [SUBMIT_METER_READINGS, MANAGE_ACCOUNT]
"""


def _write(root: Path, text: str) -> None:
    (root / "spec" / "types" / "curated.yaml").write_text(text, encoding="utf-8")


def test_curated_types_replace_imported_ones(mini_root: Path, cli: CliRunner) -> None:
    _write(mini_root, CURATED)
    code, out, err = cli("validate", "--root", str(mini_root))
    assert (code, err) == (0, "")
    # The examples still validate: the page's undefined fragment spreads on what is now an
    # object type are checked as far as they go.
    assert out.startswith("ok: 9 mutations")
    code, out, err = cli("export", "--root", str(mini_root), "--out", "-")
    assert (code, err) == (0, "")
    types = {t["name"]: t for t in json.loads(out)["types"]}
    assert types["PossibleErrorType"]["status"] == "documented"
    assert types["PossibleErrorType"]["fields"][1] == {
        "name": "message", "type": "String", "description": "What went wrong."}
    assert types["PreSignedTokenScope"]["values"] == ["SUBMIT_METER_READINGS", "MANAGE_ACCOUNT"]


def test_curated_types_reach_the_sdl(mini_root: Path, cli: CliRunner) -> None:
    _write(mini_root, CURATED)
    code, _, err = cli("build", "--root", str(mini_root), "--out", str(mini_root / "out"),
                       "--templates", str(REPO / "templates"))
    assert (code, err) == (0, "")
    api = build_schema((mini_root / "out" / "schema" / "api.graphql").read_text(
        encoding="utf-8"))
    possible = api.type_map["PossibleErrorType"]
    assert isinstance(possible, GraphQLObjectType)
    assert list(possible.fields) == ["code", "message"]
    assert possible.description == "An error the mutation may report."
    scope = api.type_map["PreSignedTokenScope"]
    assert isinstance(scope, GraphQLEnumType)
    assert list(scope.values) == ["SUBMIT_METER_READINGS", "MANAGE_ACCOUNT"]


def test_curated_type_is_checked(mini_root: Path, cli: CliRunner) -> None:
    _write(mini_root, CURATED.replace("    type: String\n    description",
                                      "    type: Strin\n    description"))
    code, out, err = cli("validate", "--root", str(mini_root))
    assert (code, out) == (1, "")
    assert err == ("spec/types/curated.yaml:11:11: unknown type 'Strin'\n"
                   "1 problem(s) found\n")


def test_curated_type_in_the_wrong_role(mini_root: Path, cli: CliRunner) -> None:
    _write(mini_root, CURATED.replace("  role: input\n", "  role: output\n"))
    code, _, err = cli("validate", "--root", str(mini_root))
    assert code == 1
    assert err == ("spec/mutations/generatePreSignedToken.yaml:25:9: 'PreSignedTokenScope' is "
                   "declared as an output type but used as an input type\n"
                   "1 problem(s) found\n")


def test_curated_type_declared_twice(mini_root: Path, cli: CliRunner) -> None:
    _write(mini_root, CURATED)
    (mini_root / "spec" / "types" / "more.yaml").write_text(
        "types:\n- name: PossibleErrorType\n  status: undocumented\n  role: output\n",
        encoding="utf-8")
    code, _, err = cli("validate", "--root", str(mini_root))
    assert code == 1
    assert err == ("spec/types/more.yaml:2:9: type 'PossibleErrorType' is declared twice "
                   "(first in spec/types/curated.yaml:2)\n"
                   "1 problem(s) found\n")
