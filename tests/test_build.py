"""`kraken-spec build`: outputs, determinism, atomicity, --check, and the committed build/."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import MINI, REPO, CliRunner, file_tree

from kraken_spec.cli.build import PYTHON_MODULE_OUTPUT, run_build
from kraken_spec.fs.outdir import MANIFEST
from kraken_spec.spec.loader import load_spec


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A catalogue root: the mini spec, the repository's templates, an unrelated file."""
    shutil.copytree(MINI / "spec", tmp_path / "spec")
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    (tmp_path / "notes.txt").write_text("not an output\n", encoding="utf-8")
    return tmp_path


def test_build_writes_every_output(root: Path, cli: CliRunner) -> None:
    code, out, err = cli("build", "--root", str(root))
    assert (code, err) == (0, "")
    assert "built" in out
    files = set(file_tree(root / "build"))
    assert {"catalogue.json", "schema/api.graphql", "schema/auth.graphql", "docs/README.md",
            "docs/errors.md", "docs/mutations/acceptGoodsQuote.md", "errors/errors.json",
            "errors/errors.ts"} <= files
    assert len([f for f in files if f.startswith("docs/mutations/")]) == 9
    # A root that is not a kraken-spec checkout gets the module in the output folder.
    assert PYTHON_MODULE_OUTPUT in files and MANIFEST in files
    assert not (root / "kraken_spec").exists()
    assert (root / "notes.txt").read_text(encoding="utf-8") == "not an output\n"


def test_build_is_deterministic(root: Path, tmp_path_factory: pytest.TempPathFactory,
                                cli: CliRunner) -> None:
    other = tmp_path_factory.mktemp("again")
    shutil.copytree(root / "spec", other / "spec")
    shutil.copytree(root / "templates", other / "templates")
    assert cli("build", "--root", str(root))[0] == 0
    assert cli("build", "--root", str(other))[0] == 0
    assert file_tree(root / "build") == file_tree(other / "build")
    # A second build over the first changes nothing.
    before = file_tree(root)
    code, out, _ = cli("build", "--root", str(root))
    assert code == 0 and out.rstrip().endswith("0 changed")
    assert file_tree(root) == before


def test_check_passes_when_fresh_and_writes_nothing(root: Path, cli: CliRunner) -> None:
    assert cli("build", "--root", str(root))[0] == 0
    before = file_tree(root)
    code, out, err = cli("build", "--root", str(root), "--check")
    assert (code, err) == (0, "")
    assert out.startswith("up to date")
    assert file_tree(root) == before


def test_check_names_stale_missing_and_extra_files(root: Path, cli: CliRunner) -> None:
    assert cli("build", "--root", str(root))[0] == 0
    errors = root / "spec" / "errors.yaml"
    errors.write_text(errors.read_text(encoding="utf-8").replace(
        "message: Unauthorized.", "message: Not authorized.", 1), encoding="utf-8")
    # A page an earlier build wrote (its manifest names it) that this build no longer makes,
    # and a file of somebody else's, which is none of the check's business.
    manifest = root / "build" / MANIFEST
    listed = json.loads(manifest.read_text(encoding="utf-8"))
    listed["files"].append("docs/stray.md")
    manifest.write_text(json.dumps(listed), encoding="utf-8")
    (root / "build" / "docs" / "stray.md").write_text("old\n", encoding="utf-8")
    (root / "build" / "docs" / "mine.md").write_text("mine\n", encoding="utf-8")
    (root / "build" / "schema" / "auth.graphql").unlink()
    before = file_tree(root)
    code, out, err = cli("build", "--root", str(root), "--check")
    assert code == 1 and out == ""
    lines = err.splitlines()
    build = root / "build"
    assert f"stale: {build / 'errors' / 'errors.json'}" in lines
    assert f"stale: {build / 'errors' / 'errors.ts'}" in lines
    assert f"stale: {build / 'docs' / 'errors.md'}" in lines
    assert f"stale: {build / 'catalogue.json'}" in lines
    assert f"stale: {build / 'errors' / 'errors.py'}" in lines
    assert f"missing: {build / 'schema' / 'auth.graphql'}" in lines
    assert f"extra: {build / 'docs' / 'stray.md'}" in lines
    assert f"stale: {manifest}" in lines
    assert not any("mine.md" in line for line in lines)
    # Untouched outputs are not named.
    assert not any(line.endswith("api.graphql") for line in lines)
    assert lines[-1].endswith("run 'kraken-spec build'")
    assert file_tree(root) == before


def test_failing_build_leaves_previous_output(root: Path, cli: CliRunner) -> None:
    assert cli("build", "--root", str(root))[0] == 0
    before = file_tree(root / "build")
    mutation = root / "spec" / "mutations" / "acceptGoodsQuote.yaml"
    mutation.write_text(mutation.read_text(encoding="utf-8").replace(
        "- KT-CT-8223", "- KT-CT-99999", 1), encoding="utf-8")
    code, out, err = cli("build", "--root", str(root))
    assert code == 1 and out == ""
    assert "unknown error code KT-CT-99999" in err
    assert "Traceback" not in err
    assert file_tree(root / "build") == before


def test_missing_template_is_reported_and_writes_nothing(root: Path, cli: CliRunner) -> None:
    assert cli("build", "--root", str(root))[0] == 0
    before = file_tree(root / "build")
    errors = root / "spec" / "errors.yaml"
    errors.write_text(errors.read_text(encoding="utf-8").replace(
        "message: Unauthorized.", "message: Changed.", 1), encoding="utf-8")
    (root / "templates" / "errors.md.j2").unlink()
    code, _, err = cli("build", "--root", str(root), "--templates", str(root / "templates"))
    assert code == 2
    assert f"{root / 'templates' / 'errors.md.j2'}: template not found" in err
    assert "Traceback" not in err
    assert file_tree(root / "build") == before


def test_a_root_holding_only_spec_builds_with_the_shipped_templates(
        tmp_path: Path, cli: CliRunner) -> None:
    shutil.copytree(MINI / "spec", tmp_path / "spec")
    code, _, err = cli("build", "--root", str(tmp_path))
    assert (code, err) == (0, "")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "spec"]
    assert (tmp_path / "build" / "docs" / "README.md").is_file()
    assert (tmp_path / "build" / PYTHON_MODULE_OUTPUT).is_file()


def test_build_into_custom_out_leaves_everything_else(root: Path, cli: CliRunner) -> None:
    (root / "build").mkdir()
    (root / "build" / "keep.txt").write_text("mine\n", encoding="utf-8")
    out_dir = root / "site" / "out"
    code, _, err = cli("build", "--root", str(root), "--out", str(out_dir))
    assert (code, err) == (0, "")
    assert (out_dir / "schema" / "api.graphql").is_file()
    assert (root / "build" / "keep.txt").read_text(encoding="utf-8") == "mine\n"
    assert (root / "notes.txt").is_file()


def test_build_prunes_only_what_its_manifest_names(root: Path, cli: CliRunner) -> None:
    catalogue = load_spec(str(root)).assert_valid()
    assert not run_build(catalogue, str(root)).failed
    mutations = root / "build" / "docs" / "mutations"
    (mutations / "mine.md").write_text("x\n", encoding="utf-8")
    # A catalogue without its last mutation: that page goes, the unrelated file stays.
    # (One of an endpoint with others: an endpoint without mutations is no valid catalogue.)
    last = next(m for m in reversed(catalogue.mutations)
                if len(catalogue.mutations_of(m.endpoint)) > 1)
    smaller = dataclasses.replace(
        catalogue, mutations=tuple(m for m in catalogue.mutations if m is not last))
    gone = f"{last.name}.md"
    assert not run_build(smaller, str(root)).failed
    assert not (mutations / gone).exists()
    assert (mutations / "mine.md").read_text(encoding="utf-8") == "x\n"
    assert (root / "notes.txt").is_file()
    assert not [p for p in os.listdir(root / "build") if p.startswith(".kraken-spec-")
                and p not in (MANIFEST, ".kraken-spec.lock")]
    # The unrelated file is not ours, so --check does not call it extra.
    assert not run_build(smaller, str(root), check=True).failed


def test_committed_build_is_fresh() -> None:
    """The repository's build/ and kraken_spec/runtime/errors.py match the spec."""
    catalogue = load_spec(str(REPO)).assert_valid()
    outcome = run_build(catalogue, str(REPO), check=True)
    assert not outcome.failed, "\n".join(outcome.messages)


def test_one_name_on_two_endpoints_is_refused_by_validate(root: Path, cli: CliRunner) -> None:
    """Outputs are keyed by mutation name, so validate refuses a name on two endpoints."""
    source = root / "spec" / "mutations" / "createMfaDevice.yaml"
    copy = root / "spec" / "mutations" / "api" / "createMfaDevice.yaml"
    copy.parent.mkdir()
    copy.write_text(source.read_text(encoding="utf-8").replace(
        "endpoint: auth", "endpoint: api"), encoding="utf-8")
    code, out, err = cli("build", "--root", str(root))
    assert code == 1 and out == ""
    assert "spec/mutations/createMfaDevice.yaml:" in err and "Traceback" not in err
    assert not (root / "build").exists()


def test_an_invalid_generated_example_fails_the_build_and_writes_nothing(
        root: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    from kraken_spec.cli import build
    from kraken_spec.generators.runnable import runnable_examples

    def broken(catalogue: object, schemas: object = None,
               names: object = None) -> dict[str, object]:
        made = runnable_examples(catalogue, schemas, names)  # type: ignore[arg-type]
        if "generatePreSignedToken" not in made:
            return made  # type: ignore[return-value]
        token = made["generatePreSignedToken"]
        assert token.variables is not None
        made["generatePreSignedToken"] = dataclasses.replace(
            token, variables={**token.variables, "numberOfDaysAllowed": "many"})
        return made  # type: ignore[return-value]

    monkeypatch.setattr(build, "runnable_examples", broken)
    code, _out, err = cli("build", "--root", str(root))
    assert code == 1, err
    assert "spec/mutations/generatePreSignedToken.yaml" in err
    assert "runnable example of generatePreSignedToken: variables:" in err
    assert "1 problem(s) in the generated examples; nothing was written" in err
    assert not (root / "build").exists()


def test_outputs_rendered_on_several_cores_are_the_same(
        root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kraken_spec import resources
    from kraken_spec.cli import build

    catalogue = load_spec(str(root)).catalogue
    assert catalogue is not None
    templates = str(resources.templates_dir())
    alone = build.render_outputs(catalogue, templates)
    monkeypatch.setattr(build, "PARALLEL_FROM", 0)
    monkeypatch.setattr("kraken_spec.parallel.workers", lambda: 2)
    assert build.render_outputs(catalogue, templates) == alone
