"""Fixtures shared by the test modules; every test reads only files inside the repository."""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from hypothesis import Phase, settings

from kraken_spec.cli.main import main

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "fixtures" / "mini"

CliRunner = Callable[..., tuple[int, str, str]]

# No deadlines: the machine is shared and timing is noisy. The "explain" phase is left out
# because it imports libcst, whose DeprecationWarning fails a warnings-as-errors run.
settings.register_profile(
    "dev", deadline=None, phases=[p for p in Phase if p is not Phase.explain])
# CI explores more and is reproducible run to run.
settings.register_profile("ci", settings.get_profile("dev"), max_examples=300,
                          derandomize=True)
settings.load_profile(os.environ.get("KRAKEN_SPEC_HYPOTHESIS")
                      or ("ci" if os.environ.get("CI") else "dev"))


@pytest.fixture
def cli() -> CliRunner:
    """Run ``kraken-spec ARGS...`` in-process; return (exit status, stdout, stderr)."""

    def run(*argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        code = main(list(argv), out, err)
        return code, out.getvalue(), err.getvalue()

    return run


@pytest.fixture
def mini_root(tmp_path: Path) -> Path:
    """A catalogue root holding a fresh copy of the mini fixture's spec/."""
    shutil.copytree(MINI / "spec", tmp_path / "spec")
    return tmp_path


# --- golden files ----------------------------------------------------------------------------

GOLDEN = REPO / "tests" / "golden"
GOLDEN_VARIABLE = "KRAKEN_SPEC_UPDATE_GOLDEN"


def golden_refresh_requested() -> bool:
    """True only when the variable is exactly ``1``, and never under CI, where a refresh
    would turn every golden test into one that cannot fail."""
    if os.environ.get(GOLDEN_VARIABLE) != "1":
        return False
    if os.environ.get("CI"):
        pytest.fail(f"{GOLDEN_VARIABLE}=1 is refused under CI: golden files are refreshed and "
                    "reviewed by a person, never by the pipeline")
    return True


def _golden_tree(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_golden(folder: Path, files: Mapping[str, str]) -> None:
    """The golden tree under ``folder`` is exactly ``files``, compared byte for byte.

    With ``KRAKEN_SPEC_UPDATE_GOLDEN=1`` the tree is rewritten first (extra golden files
    removed); review the diff before committing it.
    """
    expected = {rel: text.encode("utf-8") for rel, text in files.items()}
    if golden_refresh_requested():
        for rel in set(_golden_tree(folder)) - set(expected):
            (folder / rel).unlink()
        for rel, data in expected.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_bytes(data)
    found = _golden_tree(folder)
    hint = f"refresh with {GOLDEN_VARIABLE}=1 python -m pytest, then review the diff"
    assert sorted(found) == sorted(expected), f"the set of files under {folder} changed; {hint}"
    for rel, data in expected.items():
        assert found[rel] == data, f"{folder / rel} differs from the generated file; {hint}"
