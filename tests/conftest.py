"""Fixtures shared by the test modules; every test reads only files inside the repository."""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import Phase, settings

from kraken_spec.cli import main

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
