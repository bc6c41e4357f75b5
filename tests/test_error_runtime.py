"""The Python error-code runtime as client code adopts it, without the generator's dependencies.

Two ways in, each in a virtual environment made without pip and without system site-packages,
so without graphql-core, PyYAML, jsonschema, Jinja2 or anything else this interpreter has:

* vendored (the lean way the README recommends): the generated kraken_spec/runtime/errors.py
  copied beside the client as ``kraken_errors.py``;
* installed: the kraken-spec wheel, built once per module from a copy of the working tree (as
  tests/test_wheel.py does: building needs setuptools from the index or pip's cache),
  installed non-editably with ``--no-deps``; the client imports ``kraken_spec.errors``.

In both, the client program tests/fixtures/error_clients/python/service.py handles saved Kraken
responses and must print tests/fixtures/error_clients/expected.txt (as the TypeScript client
must: tests/test_error_runtime_ts.py), importing nothing outside the standard library, and
``mypy --strict`` must accept it with the runtime resolved as the client's environment
resolves it. The program's deliberate mistakes carry ``# type: ignore[...]`` comments that
strict mode reports when they silence nothing, so mypy must also catch each mistake.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO

import kraken_spec

CLIENTS = REPO / "tests" / "fixtures" / "error_clients"
RESPONSES = sorted((CLIENTS / "responses").glob("*.json"))
EXPECTED = (CLIENTS / "expected.txt").read_text(encoding="utf-8")
RUNTIME = REPO / "kraken_spec" / "runtime" / "errors.py"
# What the client imports when the runtime is vendored, and when kraken-spec is installed.
VENDORED_IMPORT = "from kraken_errors import ("
INSTALLED_IMPORT = "from kraken_spec.errors import ("
# What the generator needs and the runtime must not.
GENERATOR_DEPENDENCIES = ("graphql", "yaml", "jsonschema", "fastjsonschema", "jinja2")

# Not part of a source distribution, or left in build/ by earlier builds and installs.
_LEFT_OUT = shutil.ignore_patterns(".git", "__pycache__", "*.egg-info", ".*_cache", ".hypothesis",
                                   ".benchmarks", ".venv", "dist")
_BUILD_LEFTOVERS = shutil.ignore_patterns("lib", "bdist.*", ".kraken-spec.lock")
# Variables that could make a Python import something other than what its environment holds.
_FOREIGN = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE")

# Run in the client's environment: what importing ``module`` adds to sys.modules beyond the
# standard library, then where the module lives.
_PROBE = """\
import sys
before = set(sys.modules)
import {module} as runtime
added = {{name.partition(".")[0] for name in set(sys.modules) - before}}
print(sorted(added - set(sys.stdlib_module_names)))
print(runtime.ErrorCode.KT_CT_1135.message, len(runtime.ErrorCode), len(runtime.MUTATION_NAMES))
print(runtime.__file__)
"""


@dataclass(frozen=True)
class Venv:
    path: Path
    env: dict[str, str]

    @property
    def python(self) -> Path:
        return self.path / "bin" / "python"


def _run(argv: list[str | Path], cwd: Path, env: dict[str, str],
         timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)


def _bare_venv(base: Path) -> Venv:
    """A virtual environment with nothing installed: no pip, no system site-packages."""
    env = {k: v for k, v in os.environ.items() if k not in _FOREIGN}
    env["PYTHONNOUSERSITE"] = "1"
    venv = Venv(base / "venv", env)
    done = _run([sys.executable, "-m", "venv", "--without-pip", venv.path], base, env)
    assert done.returncode == 0, done.stderr
    return venv


def _copied_ignore(folder: str, names: list[str]) -> set[str]:
    left_out = set(_LEFT_OUT(folder, names))
    if Path(folder) == REPO / "build":
        left_out |= _BUILD_LEFTOVERS(folder, names)
    return left_out


def _client(folder: Path, import_line: str) -> Path:
    """The client program in ``folder``, importing the runtime with ``import_line``."""
    text = (CLIENTS / "python" / "service.py").read_text(encoding="utf-8")
    assert text.count(VENDORED_IMPORT) == 1
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / "service.py"
    program.write_text(text.replace(VENDORED_IMPORT, import_line), encoding="utf-8")
    return program


def _mypy_strict(program: Path, venv: Venv, cache: Path) -> None:
    """``mypy --strict`` on the client, resolving imports as ``venv`` resolves them.

    It runs in the client's folder: mypy looks for modules in its working folder first, and
    from the repository it would find kraken_spec there rather than in the environment.
    """
    pytest.importorskip("mypy")
    done = _run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir",
                 cache, "--config-file", "", "--python-executable", venv.python, program.name],
                program.parent, venv.env)
    assert (done.returncode, done.stderr) == (0, ""), done.stdout + done.stderr
    assert done.stdout.startswith("Success: no issues found in 1 source file"), done.stdout


def _probe(venv: Venv, module: str, cwd: Path) -> list[str]:
    done = _run([venv.python, "-E", "-s", "-c", _PROBE.format(module=module)], cwd, venv.env)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    return done.stdout.splitlines()


def _handles_the_responses(venv: Venv, program: Path) -> None:
    # -E -s: no variables or user site; the program's own folder is on sys.path, as usual.
    done = _run([venv.python, "-E", "-s", program, *RESPONSES], program.parent, venv.env)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == EXPECTED


# --- vendored: one file copied beside the client ------------------------------------------


@pytest.fixture(scope="module")
def vendored(tmp_path_factory: pytest.TempPathFactory) -> tuple[Venv, Path]:
    """A bare environment, and a client folder holding the runtime as kraken_errors.py."""
    base = tmp_path_factory.mktemp("vendored")
    app = base / "app"
    program = _client(app, VENDORED_IMPORT)
    shutil.copyfile(RUNTIME, app / "kraken_errors.py")
    return _bare_venv(base), program


def test_the_bare_environment_lacks_the_generators_dependencies(
        vendored: tuple[Venv, Path]) -> None:
    venv, program = vendored
    check = ("import importlib.util as u, sys\n"
             f"print([n for n in {GENERATOR_DEPENDENCIES!r} if u.find_spec(n)])\n"
             "print(sys.prefix != sys.base_prefix)\n")
    done = _run([venv.python, "-E", "-s", "-c", check], program.parent, venv.env)
    assert (done.returncode, done.stdout) == (0, "[]\nTrue\n"), done.stderr


def test_the_vendored_runtime_imports_with_the_standard_library_only(
        vendored: tuple[Venv, Path]) -> None:
    venv, program = vendored
    outside, facts, where = _probe(venv, "kraken_errors", program.parent)
    assert outside == "['kraken_errors']"
    assert facts == "Invalid data. 450 235"
    assert Path(where) == program.parent / "kraken_errors.py"


def test_the_vendored_client_handles_kraken_responses(vendored: tuple[Venv, Path]) -> None:
    _handles_the_responses(*vendored)


def test_the_vendored_client_passes_mypy_strict(vendored: tuple[Venv, Path],
                                                tmp_path: Path) -> None:
    venv, program = vendored
    _mypy_strict(program, venv, tmp_path / "cache")


# --- installed: the kraken-spec wheel without its dependencies --------------------------


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """A bare environment with the wheel of the working tree installed, no dependencies."""
    base = tmp_path_factory.mktemp("installed")
    venv = _bare_venv(base)
    source = base / "source"
    shutil.copytree(REPO, source, ignore=_copied_ignore, symlinks=True)
    wheels = base / "wheels"
    # An absolute path, or pip may take the folder's name for a project on the index.
    done = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", wheels,
                 source.resolve()], base, venv.env)
    assert done.returncode == 0, done.stdout + done.stderr
    (wheel,) = wheels.glob("kraken_spec-*.whl")
    assert wheel.name == f"kraken_spec-{kraken_spec.__version__}-py3-none-any.whl"
    # This interpreter's pip installs into the environment, which has none of its own.
    done = _run([sys.executable, "-m", "pip", "--python", venv.python, "install", "--no-deps",
                 "--no-index", "--quiet", wheel], base, venv.env)
    assert done.returncode == 0, done.stdout + done.stderr
    return venv


def test_installed_errors_import_with_the_standard_library_only(installed: Venv,
                                                                tmp_path: Path) -> None:
    outside, facts, where = _probe(installed, "kraken_spec.errors", tmp_path)
    # kraken_spec's __init__ imports its API lazily: only the runtime is loaded.
    assert outside == "['kraken_spec']"
    assert facts == "Invalid data. 450 235"
    assert Path(where).resolve().is_relative_to(installed.path.resolve()), where
    assert list(tmp_path.iterdir()) == []


def test_the_installed_client_handles_responses_and_passes_mypy_strict(
        installed: Venv, tmp_path: Path) -> None:
    # The same program, importing kraken_spec.errors; mypy reads the installed package
    # (non-editable, with its py.typed), since it resolves imports as that Python does.
    program = _client(tmp_path / "app", INSTALLED_IMPORT)
    _handles_the_responses(installed, program)
    _mypy_strict(program, installed, tmp_path / "cache")
