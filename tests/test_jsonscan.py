"""Brackets counted outside JSON strings."""

from __future__ import annotations

from kraken_spec.jsonscan import bracket_steps


def test_brackets_inside_strings_and_after_escapes_do_not_count() -> None:
    assert list(bracket_steps('{"a": "}]", "b": [1, {"c": "\\"{"}]}')) == [1, 1, 1, -1, -1, -1]
    assert sum(bracket_steps('{"x": "\\\\"}')) == 0  # an escaped backslash ends the escape
    assert list(bracket_steps("[{]}", "{", "}")) == [1, -1]  # only the brackets asked for
