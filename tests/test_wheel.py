"""The wheel installs into a fresh virtual environment and works there without the repository.

The repository is copied (without .git, caches and what earlier builds left in build/) and
built into a wheel with pip, which a new virtual environment installs with no index. The
dependencies (graphql-core, PyYAML, jsonschema, jinja2) come from the interpreter's own
site-packages, so the install needs no network; building the wheel does: pip builds it in
isolation with the setuptools that pyproject.toml's [build-system] asks for, from the package
index or pip's cache. (``--no-build-isolation`` would build offline, but this interpreter's
setuptools, 65.5 without the ``wheel`` package, has no ``bdist_wheel``.)

That interpreter also holds an editable install of kraken_spec, visible to the environment
through its system site-packages: a probe checks that the environment's Python imports the
installed copy, whose templates and bundled catalogue are package data, and the build must
render the golden tree with those templates. Each command runs in an empty working folder,
which must stay empty.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import GOLDEN, MINI, REPO, file_tree, readme_python_example

import kraken_spec
from kraken_spec.fs.outdir import MANIFEST

# Not part of a source distribution: version control, caches and virtual environments.
_LEFT_OUT = shutil.ignore_patterns(".git", "__pycache__", "*.egg-info", ".*_cache", ".hypothesis",
                                   ".benchmarks", ".venv", "dist")
# What building or installing from the checkout leaves in build/, beside the outputs that are
# the bundled catalogue's package data.
_BUILD_LEFTOVERS = shutil.ignore_patterns("lib", "bdist.*", ".kraken-spec.lock")
# The variables that could make the environment's Python import something other than what
# was installed into it.
_FOREIGN = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE")


@dataclass(frozen=True)
class Installed:
    venv: Path
    env: dict[str, str]

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def kraken_spec(self) -> Path:
        return self.venv / "bin" / "kraken-spec"


def _call(argv: list[str | Path], cwd: Path, env: dict[str, str],
          timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` in ``cwd`` with exactly ``env``; no command may end in a traceback."""
    done = subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def _copied_ignore(folder: str, names: list[str]) -> set[str]:
    left_out = set(_LEFT_OUT(folder, names))
    if Path(folder) == REPO / "build":
        left_out |= _BUILD_LEFTOVERS(folder, names)
    return left_out


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """A virtual environment with the wheel of the working tree installed in it."""
    base = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if k not in _FOREIGN}
    env["PYTHONNOUSERSITE"] = "1"  # a user site-packages could hold another kraken_spec
    source = base / "source"
    shutil.copytree(REPO, source, ignore=_copied_ignore, symlinks=True)
    wheels = base / "wheels"
    # An absolute path, or pip may take the folder's name for a project on the index.
    done = _call([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", wheels,
                  source.resolve()], base, env, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    (wheel,) = wheels.glob("kraken_spec-*.whl")
    assert wheel.name == f"kraken_spec-{kraken_spec.__version__}-py3-none-any.whl"

    venv = base / "venv"
    done = _call([sys.executable, "-m", "venv", "--system-site-packages", venv], base, env)
    assert done.returncode == 0, done.stderr
    # --ignore-installed: pip sees the interpreter's editable install through the system
    # site-packages, and must neither replace nor uninstall it.
    done = _call([venv / "bin" / "python", "-m", "pip", "install", "--no-deps", "--no-index",
                  "--ignore-installed", "--quiet", wheel], base, env)
    assert done.returncode == 0, done.stdout + done.stderr
    return Installed(venv, env)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """An empty folder to run a command in; the test checks it is still empty after."""
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


@pytest.fixture
def root_copy(tmp_path: Path) -> Path:
    """A catalogue root holding only a copy of the mini fixture's spec/ (no templates)."""
    root = tmp_path / "root"
    shutil.copytree(MINI / "spec", root / "spec")
    return root


def test_the_package_and_its_data_come_from_the_environment(installed: Installed,
                                                            workdir: Path) -> None:
    probe = ("import kraken_spec, kraken_spec.resources as r\n"
             "print(kraken_spec.__file__)\nprint(r.templates_dir())\n"
             "print(len(r.bundled_catalogue().mutations))\n")
    # As the console script runs: no -I, so what decides is the environment's own sys.path.
    done = _call([installed.python, "-c", probe], workdir, installed.env)
    assert done.returncode == 0, done.stderr
    module, templates, count = done.stdout.splitlines()
    site = installed.venv.resolve()
    assert Path(module).resolve().is_relative_to(site), module
    assert Path(templates).resolve() == Path(module).resolve().parent / "templates"
    assert count == "236"  # the page's 235 and the headless entry the sibling confirms
    assert list(workdir.iterdir()) == []


def test_version(installed: Installed, workdir: Path) -> None:
    done = _call([installed.kraken_spec, "--version"], workdir, installed.env)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"kraken-spec {kraken_spec.__version__}\n"
    assert list(workdir.iterdir()) == []


def test_validate(installed: Installed, workdir: Path, root_copy: Path) -> None:
    done = _call([installed.kraken_spec, "validate", "--root", root_copy], workdir,
                 installed.env)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == ("ok: 9 mutations (api: 8 mutations; auth: 1 mutations), "
                           "20 error codes, 16 named types\n")
    assert list(workdir.iterdir()) == []
    assert file_tree(root_copy / "spec") == file_tree(MINI / "spec")


def test_build_uses_the_shipped_templates(installed: Installed, workdir: Path,
                                          root_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = _call([installed.kraken_spec, "build", "--root", root_copy, "--out", out], workdir,
                 installed.env)
    assert (done.returncode, done.stderr) == (0, "")
    written = len(file_tree(out)) - 1  # the lock is no output
    assert done.stdout == f"built {written} files into {out}; {written} changed\n"
    assert list(workdir.iterdir()) == []
    # The root is no checkout of kraken-spec, so the Python module joins the output folder
    # (and its manifest); everything else is the installed tool's rendering of the golden tree.
    golden = file_tree(GOLDEN / "mini-tree")
    built = file_tree(out)
    assert built.pop("errors/errors.py") == golden.pop("errors.py")
    manifest = json.loads(built.pop(MANIFEST))
    expected = json.loads(golden.pop(f"out/{MANIFEST}"))
    expected["files"] = sorted([*expected["files"], "errors/errors.py"])
    assert manifest == expected
    assert built == {rel.removeprefix("out/"): data for rel, data in golden.items()}


def test_the_readme_python_example_runs(installed: Installed, root_copy: Path) -> None:
    # The example loads "." as a catalogue root, so it runs in a folder holding spec/ alone.
    before = file_tree(root_copy)
    # -I: the working folder stays off sys.path, as does anything the environment names.
    done = _call([installed.python, "-I", "-c", readme_python_example()], root_copy,
                 installed.env)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("['createMfaDevice', 'deleteMfaDevice', ")
    assert "spec/" not in done.stdout  # the mini spec is valid: no problem is printed
    assert sorted(p.name for p in root_copy.iterdir()) == ["spec"]
    assert file_tree(root_copy) == before


def test_check_and_check_request_use_the_bundled_catalogue(installed: Installed,
                                                          workdir: Path, tmp_path: Path) -> None:
    # Client files outside the working folder, which must stay empty.
    clients = tmp_path / "clients"
    shutil.copytree(REPO / "tests" / "fixtures" / "clients" / "app", clients)
    done = _call([installed.kraken_spec, "check", clients / "auth"], workdir, installed.env)
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == "2 documents checked: no findings\n"
    done = _call([installed.kraken_spec, "check", clients], workdir, installed.env)
    assert done.returncode == 1
    assert done.stderr.endswith("9 documents checked: 2 errors, 2 warnings, 2 unverified\n")
    body = REPO / "tests" / "fixtures" / "requests" / "login.json"
    done = _call([installed.kraken_spec, "check-request", body], workdir, installed.env)
    assert (done.returncode, done.stderr) == (0, "1 request checked: no findings\n")
    assert list(workdir.iterdir()) == []
