"""The README's Python API example runs as written."""

from __future__ import annotations

import contextlib
import io

import pytest
from conftest import REPO, readme_python_example


def test_the_python_api_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    # The example loads "." as a catalogue root: the repository is one.
    monkeypatch.chdir(REPO)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(readme_python_example(), "README.md", "exec"), {})  # the repository's own
    assert printed.getvalue().startswith("['createMfaDevice', 'deleteMfaDevice', ")
