"""The golden-file helper: byte-for-byte comparison, refresh only on request and never in CI."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GOLDEN_VARIABLE, assert_golden, golden_refresh_requested


@pytest.mark.parametrize("value", ["0", "", "true", "yes", " 1", "1 "])
def test_only_exactly_1_requests_a_refresh(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv(GOLDEN_VARIABLE, value)
    assert not golden_refresh_requested()
    monkeypatch.setenv(GOLDEN_VARIABLE, "1")
    assert golden_refresh_requested()


def test_a_refresh_is_refused_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv(GOLDEN_VARIABLE, "1")
    with pytest.raises(pytest.fail.Exception, match="refused under CI"):
        golden_refresh_requested()


def test_line_endings_and_extra_files_fail_the_comparison(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(GOLDEN_VARIABLE, raising=False)
    (tmp_path / "a.md").write_bytes(b"one\r\ntwo\r\n")
    with pytest.raises(AssertionError, match="differs"):
        assert_golden(tmp_path, {"a.md": "one\ntwo\n"})
    (tmp_path / "a.md").write_bytes(b"one\ntwo\n")
    assert_golden(tmp_path, {"a.md": "one\ntwo\n"})
    (tmp_path / "b.md").write_bytes(b"stale\n")
    with pytest.raises(AssertionError, match="set of files"):
        assert_golden(tmp_path, {"a.md": "one\ntwo\n"})


def test_a_refresh_rewrites_the_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv(GOLDEN_VARIABLE, "1")
    (tmp_path / "old.md").write_bytes(b"old\n")
    assert_golden(tmp_path, {"sub/new.md": "new\n"})
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.md")) == [
        "sub/new.md"]
