"""The README's Python API example runs as written."""

from __future__ import annotations

import contextlib
import io

import pytest
from conftest import REPO


def test_the_python_api_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    code = text.split("## Python API", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(REPO)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), {})  # the example is the repository's own
    assert printed.getvalue().startswith("['createMfaDevice', 'deleteMfaDevice', ")
