"""Fixtures and helpers shared by the test modules: paths, runners of the tool, fixture
catalogues, the broken-spec cases and the golden-file check."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

from kraken_spec.cli.main import main
from kraken_spec.model import Catalogue
from kraken_spec.spec.loader import load_spec

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "fixtures" / "mini"
# The reference page the committed spec/ was imported from.
BUNDLED_PAGE = REPO / "spec" / "source" / "maingau-mutations.txt"

CliRunner = Callable[..., tuple[int, str, str]]

# No deadlines: the machine is shared and timing is noisy. The "explain" phase is left out
# because it imports libcst, whose DeprecationWarning fails a warnings-as-errors run.
settings.register_profile(
    "dev", deadline=None, phases=[p for p in Phase if p is not Phase.explain])
# CI explores more and is reproducible run to run: the same examples every run (no example
# database), each property within the budget its test states, so the run stays bounded.
settings.register_profile("ci", settings.get_profile("dev"), max_examples=300,
                          derandomize=True, database=None, print_blob=True)
# Long runs (KRAKEN_SPEC_HYPOTHESIS=deep): every property runs at least DEEP_EXAMPLES
# examples in total over its parameters, whatever budget its test states (see
# pytest_collection_modifyitems). Random, with the example database, so that a failure
# replays on the next run; a failure found once is then kept in its test as an @example.
DEEP_EXAMPLES = int(os.environ.get("KRAKEN_SPEC_DEEP_EXAMPLES") or 10_000)
settings.register_profile("deep", settings.get_profile("dev"), max_examples=DEEP_EXAMPLES,
                          print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.function_scoped_fixture])
PROFILE = os.environ.get("KRAKEN_SPEC_HYPOTHESIS") or ("ci" if os.environ.get("CI") else "dev")
settings.load_profile(PROFILE)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under the deep profile, raise each property's budget to its share of DEEP_EXAMPLES.

    A test's own ``@settings(max_examples=...)`` is its budget for CI and would override
    the profile, so the budget is raised here: a property parametrized N ways runs
    DEEP_EXAMPLES / N examples per parameter, DEEP_EXAMPLES in all.
    """
    if PROFILE != "deep":
        return
    tests = [getattr(item, "obj", None) for item in items]
    shares = Counter(id(t) for t in tests if getattr(t, "is_hypothesis_test", False))
    budgets = {id(getattr(item, "obj", None)): marker.args[0] for item in items
               if (marker := item.get_closest_marker("deep_examples")) is not None}
    for test in {id(t): t for t in tests if id(t) in shares}.values():
        own = getattr(test, "_hypothesis_internal_use_settings", None)
        need = -(-budgets.get(id(test), DEEP_EXAMPLES) // shares[id(test)])
        if own is not None and own.max_examples < need:
            test._hypothesis_internal_use_settings = settings(own, max_examples=need)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "deep_examples(n): the examples this property runs in all under the deep "
        "profile, for one whose every example is a whole command run (its family's other "
        "properties carry the volume)")


# --- running the tool ------------------------------------------------------------------------


def run_cli(*argv: str) -> tuple[int, str, str]:
    """Run ``kraken-spec ARGS...`` in-process; return (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def cli() -> CliRunner:
    """:func:`run_cli`, for tests that take it as a fixture."""
    return run_cli


# ``python -m kraken_spec`` under the interpreter running the tests.
TOOL_COMMAND = (sys.executable, "-m", "kraken_spec")


def run_tool(*argv: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``kraken-spec ARGS...`` in a separate process, from the repository.

    For what the in-process runner cannot show: the module entry point, and reads that may
    block (a FIFO, a device), where the timeout fails the test instead of hanging it.
    """
    return subprocess.run([*TOOL_COMMAND, *argv], capture_output=True, text=True,
                          timeout=timeout, check=False, cwd=REPO)


# --- fixture data ----------------------------------------------------------------------------


@pytest.fixture
def mini_root(tmp_path: Path) -> Path:
    """A catalogue root holding a fresh copy of the mini fixture's spec/."""
    shutil.copytree(MINI / "spec", tmp_path / "spec")
    return tmp_path


# Catalogues are frozen all the way down, so one load serves every test of the session.
@pytest.fixture(scope="session")
def mini_catalogue() -> Catalogue:
    """The mini fixture's catalogue (nine mutations on two endpoints)."""
    return load_spec(str(MINI)).assert_valid()


@pytest.fixture(scope="session")
def full_catalogue() -> Catalogue:
    """The committed catalogue (236 mutations: the page's 235, and the one it shows without
    heading, whose payload type the sibling source confirms)."""
    return load_spec(str(REPO)).assert_valid()


def file_tree(folder: Path, *, links: bool = True) -> dict[str, bytes]:
    """Every regular file below ``folder`` (relative POSIX path -> bytes); {} when there is
    no such folder. With ``links=False`` a symbolic link to a file is left out."""
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and (links or not p.is_symlink())}


def readme_python_example() -> str:
    """The README's Python API example: the first ```python block under "## Python API"."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return text.split("## Python API", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]


# --- broken-spec cases (tests/cases/, described in its README.md) ----------------------------

CASES = REPO / "tests" / "cases"
# The files of a case folder that say how to run it rather than overlay the spec.
CASE_CONTROL_FILES = frozenset({"expected.txt", "delete.txt", "xfail.txt"})


def case_overlay_files(case: Path) -> list[Path]:
    """The files of a case folder that replace or add spec files."""
    return sorted(p for p in case.rglob("*")
                  if p.is_file() and p.relative_to(case).as_posix() not in CASE_CONTROL_FILES)


def case_root(case: Path, root: Path) -> Path:
    """Lay the mini spec with the case's overlay and deletions applied out under ``root``."""
    spec = root / "spec"
    shutil.copytree(MINI / "spec", spec)
    for source in case_overlay_files(case):
        target = spec / source.relative_to(case)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    deletions = case / "delete.txt"
    if deletions.is_file():
        for rel in deletions.read_text(encoding="utf-8").split():
            (spec / rel).unlink()
    return root


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


def assert_golden(folder: Path, files: Mapping[str, str]) -> None:
    """The golden tree under ``folder`` is exactly ``files``, compared byte for byte.

    With ``KRAKEN_SPEC_UPDATE_GOLDEN=1`` the tree is rewritten first (extra golden files
    removed); review the diff before committing it.
    """
    expected = {rel: text.encode("utf-8") for rel, text in files.items()}
    if golden_refresh_requested():
        for rel in set(file_tree(folder)) - set(expected):
            (folder / rel).unlink()
        for rel, data in expected.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_bytes(data)
    found = file_tree(folder)
    hint = f"refresh with {GOLDEN_VARIABLE}=1 python -m pytest, then review the diff"
    assert sorted(found) == sorted(expected), f"the set of files under {folder} changed; {hint}"
    for rel, data in expected.items():
        assert found[rel] == data, f"{folder / rel} differs from the generated file; {hint}"
