"""The page reader on damaged pages: a located PageError or a page, never another exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kraken_spec.exceptions import PageError
from kraken_spec.page import parse_page

MINI_PAGE = (Path(__file__).resolve().parent / "fixtures" / "mini" / "page.txt").read_text(
    encoding="utf-8")
LINES = MINI_PAGE.split("\n")


def _read(text: str) -> None:
    try:
        page = parse_page(text)
    except PageError as exc:
        assert 0 <= exc.line <= text.count("\n") + 2
        assert exc.message
    else:
        assert all(m.name for m in page.mutations)


@given(st.integers(min_value=0, max_value=len(LINES)))
def test_truncated_page(cut: int) -> None:
    _read("\n".join(LINES[:cut]))


@given(st.lists(st.integers(min_value=0, max_value=len(LINES) - 1), min_size=1, max_size=4))
def test_page_with_lines_removed(drop: list[int]) -> None:
    _read("\n".join(line for i, line in enumerate(LINES) if i not in set(drop)))


@given(st.integers(min_value=0, max_value=len(LINES) - 1), st.text(max_size=40))
def test_page_with_a_line_replaced(index: int, replacement: str) -> None:
    _read("\n".join([*LINES[:index], replacement, *LINES[index + 1:]]))


@given(st.text())
def test_arbitrary_text(text: str) -> None:
    _read(text)


def test_truncated_entry_names_its_line() -> None:
    cut = LINES.index("Variables", LINES.index("generatePreSignedToken"))
    with pytest.raises(PageError) as info:
        parse_page("\n".join(LINES[:cut + 3]))
    # The block opened on the line after "Variables" and the page ends before it closes.
    assert info.value.line == cut + 2
    assert "not closed by the end of the page" in info.value.message


def test_unknown_section_shape_names_its_line() -> None:
    # Free text after the URL line is description; a new block after the error list is not.
    at = LINES.index("Return fields", LINES.index("closeOpenPrintBatch"))
    changed = [*LINES[:at], "Examples", "Some new section", *LINES[at:]]
    with pytest.raises(PageError) as info:
        parse_page("\n".join(changed))
    assert info.value.line == at + 1
    assert info.value.message == "expected 'Mutation', found 'Examples'"
