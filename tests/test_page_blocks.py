"""The page reader's example blocks: braces inside JSON strings do not open or close them."""

from __future__ import annotations

from conftest import MINI

from kraken_spec.page.parse import parse_page

PAGE = (MINI / "page.txt").read_text(encoding="utf-8")


def _entry(page: str, name: str) -> str:
    (found,) = [m for m in parse_page(page).mutations if m.name == name]
    return found.variables or ""


def test_braces_inside_strings_do_not_end_a_block() -> None:
    # Without string tracking the '}}' closes the variables block two lines early, and
    # the reader then fails on the lines left over.
    page = PAGE.replace('"email": "abc123",', '"email": "}} and {",', 1)
    variables = _entry(page, "generatePreSignedToken")
    assert '"email": "}} and {",' in variables
    assert variables.endswith("}")
    assert len(parse_page(page).mutations) == len(parse_page(PAGE).mutations)


def test_escaped_quotes_do_not_end_a_string() -> None:
    page = PAGE.replace('"email": "abc123",', '"email": "a \\" } b",', 1)
    assert '"email": "a \\" } b",' in _entry(page, "generatePreSignedToken")
