"""The mini fixture's whole build, every file `kraken-spec build` writes, against one golden tree.

tests/golden/mini-tree/ mirrors the folder the build writes into: ``out/`` is the output folder
(SDL, docs, error-code files, the export, the manifest and the build's lock file) and
``errors.py`` the Python module, written beside it with ``--python-module``. It is the only
golden copy of each generated file. After an intended change, refresh it and review the diff:

    KRAKEN_SPEC_UPDATE_GOLDEN=1 python -m pytest tests/test_golden_tree.py
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import GOLDEN, MINI, CliRunner, assert_golden, file_tree

from kraken_spec.fs.outdir import LOCK, MANIFEST

MINI_TREE = GOLDEN / "mini-tree"


@pytest.fixture
def built(tmp_path: Path, cli: CliRunner) -> Path:
    """The folder holding ``out/`` and ``errors.py`` as the build of a copy of the mini
    fixture's root wrote them; the copy itself lies elsewhere and must stay as it was."""
    root = tmp_path / "root"
    shutil.copytree(MINI, root)
    result = tmp_path / "result"
    result.mkdir()
    out, module = result / "out", result / "errors.py"
    code, stdout, err = cli("build", "--root", str(root), "--out", str(out),
                            "--python-module", str(module))
    assert (code, err) == (0, "")
    # The count takes in the manifest and the module; the lock is no output.
    written = len(file_tree(result)) - 1
    assert stdout == f"built {written} files into {out} and {module}; {written} changed\n"
    assert file_tree(root) == file_tree(MINI)
    return result


def test_the_mini_build_is_the_golden_tree(built: Path) -> None:
    # Decoded strictly: a generated file that is not UTF-8 fails here rather than being
    # compared as something it is not.
    assert_golden(MINI_TREE, {rel: data.decode("utf-8")
                              for rel, data in file_tree(built).items()})


def test_the_manifest_names_every_output_but_itself_and_the_lock(built: Path) -> None:
    # Only files the manifest names are ever replaced or removed by a later build.
    out = built / "out"
    listed = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert listed == sorted(set(file_tree(out)) - {MANIFEST, LOCK})
    assert (out / LOCK).read_bytes() == b""
