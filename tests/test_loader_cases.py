"""Broken specs, one folder each under tests/cases/, checked through `kraken-spec validate`.

A case folder is an overlay on the mini fixture's spec/: each file in it replaces (or adds)
the file at the same path below spec/, ``delete.txt`` lists files to remove (paths below
spec/), ``expected.txt`` is the exact stderr of ``kraken-spec validate --root ROOT`` (paths
relative to ROOT, then the count line), and an optional ``xfail.txt`` names a known bug that
keeps the case from passing yet.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import CASES, MINI, REPO, CliRunner, case_overlay_files, case_root

from kraken_spec.spec.loader import load_spec


def _case_params() -> list[object]:
    params: list[object] = []
    for folder in sorted(p for p in CASES.iterdir() if p.is_dir()):
        marks = []
        if (folder / "xfail.txt").is_file():
            reason = (folder / "xfail.txt").read_text(encoding="utf-8").strip()
            marks.append(pytest.mark.xfail(strict=True, reason=reason))
        params.append(pytest.param(folder, id=folder.name, marks=marks))
    return params


@pytest.mark.parametrize("case", _case_params())
def test_broken_spec(case: Path, tmp_path: Path, cli: CliRunner) -> None:
    root = case_root(case, tmp_path)
    code, out, err = cli("validate", "--root", str(root))
    assert "Traceback" not in out + err
    assert code == 1
    assert out == ""
    assert err == (case / "expected.txt").read_text(encoding="utf-8")
    assert load_spec(str(root)).catalogue is None


def test_every_case_folder_is_complete() -> None:
    folders = [p for p in CASES.iterdir() if p.is_dir()]
    assert len(folders) >= 20
    for folder in folders:
        assert (folder / "expected.txt").is_file(), folder.name
        assert case_overlay_files(folder) or (folder / "delete.txt").is_file(), folder.name
        lines = (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
        assert lines[-1] == f"{len(lines) - 1} problem(s) found", folder.name


def test_mini_fixture_is_valid(cli: CliRunner) -> None:
    # Each case's expected diagnostics are all its own only while the base it overlays is clean.
    code, out, err = cli("validate", "--root", str(MINI))
    assert (code, err) == (0, "")
    assert out.startswith("ok: 9 mutations")


def test_bundled_catalogue_is_valid(cli: CliRunner) -> None:
    code, out, err = cli("validate", "--root", str(REPO))
    assert (code, err) == (0, "")
    assert re.fullmatch(r"ok: 236 mutations \(api: 233 mutations; auth: 3 mutations\), "
                        r"450 error codes, 326 named types; 1263 types from "
                        r"octopus-energy-it \(sibling\); 1 headless entry, confirmed by "
                        r"octopus-energy-it \(sibling\)\n", out)


def test_billion_laughs_is_refused_without_expanding(tmp_path: Path) -> None:
    # Expanded, the document would hold 9**9 strings; refused, it is a handful of nodes.
    root = case_root(CASES / "billion_laughs", tmp_path)
    result = load_spec(str(root))
    assert result.catalogue is None
    assert len(result.diagnostics) == 81
    assert all("anchors and aliases are not allowed" in d.message for d in result.diagnostics)


def test_object_tag_is_never_constructed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr("os.system", lambda command: calls.append(command) or 0)
    root = case_root(CASES / "python_object_tag", tmp_path)
    assert load_spec(str(root)).catalogue is None
    assert calls == []


EXAMPLE_CASES = ["example_selects_under_leaf", "example_selects_unknown_field",
                 "example_syntax_error", "example_unknown_argument"]


@pytest.mark.parametrize("name", EXAMPLE_CASES)
def test_examples_checked_in_forked_chunks_report_the_same(
        name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A large catalogue's examples are checked in chunks over the cores: one example per
    # chunk here, so every chunk but none of the findings crosses a process boundary.
    root = case_root(CASES / name, tmp_path)
    whole = load_spec(str(root)).diagnostics
    assert any(d.rule == "example-invalid" or d.rule == "example-selection" for d in whole)
    monkeypatch.setattr("kraken_spec.spec.examples.EXAMPLES_PER_CHUNK", 1)
    monkeypatch.setattr("kraken_spec.parallel.workers", lambda: 2)
    assert load_spec(str(root)).diagnostics == whole
