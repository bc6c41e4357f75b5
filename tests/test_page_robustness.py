"""The page reader on damaged pages: a located PageError or a page, never another exception;
and an import of a damaged page never removes a mutation the plan does not list."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import BUNDLED_PAGE, MINI, REPO, CliRunner, file_tree
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from strategies import page_damage

from kraken_spec.exceptions import PageError
from kraken_spec.page.importer import ExistingSpec, plan_import, read_existing_spec
from kraken_spec.page.parse import parse_page
from kraken_spec.spec.files import mutation_path

MINI_PAGE = (MINI / "page.txt").read_text(encoding="utf-8")
LINES = MINI_PAGE.split("\n")
FULL_PAGE_LINES = BUNDLED_PAGE.read_text(encoding="utf-8").split("\n")


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


# --- damaged copies of the bundled page, imported over the committed spec ----------------------

_NAME_LINE = re.compile(r"^[a-z][A-Za-z0-9]*$")


def _entry_starts(lines: list[str]) -> list[int]:
    """Indexes of the entries' name lines (a name, then a Type line)."""
    return [i for i in range(len(lines) - 1)
            if _NAME_LINE.match(lines[i]) and lines[i + 1].startswith("Type: ")]


def _damage(lines: list[str], op: tuple[str, int, int, str]) -> list[str]:
    """Apply one damage; positions are taken modulo the current length, so any draw fits."""
    kind, a, b, text = op
    if not lines:
        return lines
    at = a % len(lines)
    if kind == "delete":
        return lines[:at] + lines[at + 1 + b % 40:]
    if kind == "duplicate":
        end = at + 1 + b % 60
        return lines[:end] + lines[at:end] + lines[end:]
    if kind == "truncate":
        return lines[:at]
    if kind.startswith("edit_"):
        line = lines[at]
        col = b % (len(line) + 1)
        after = col if kind == "edit_insert" else col + 1  # edit_delete: text is ignored
        new = line[:col] + ("" if kind == "edit_delete" else text) + line[after:]
        return [*lines[:at], new, *lines[at + 1:]]
    starts = _entry_starts(lines)
    if not starts:
        return lines
    k = a % len(starts)
    start = starts[k]
    end = starts[k + 1] if k + 1 < len(starts) else len(lines)
    if kind == "drop_entry":
        return lines[:start] + lines[end:]
    if kind == "dup_entry":
        return lines[:end] + lines[start:end] + lines[end:]
    assert kind == "cut_at_entry"
    return lines[:start]


@dataclass(frozen=True)
class SpecCopy:
    root: Path
    existing: ExistingSpec
    snapshot: dict[str, bytes]


@pytest.fixture(scope="module")
def spec_copy(tmp_path_factory: pytest.TempPathFactory) -> SpecCopy:
    """One copy of the committed spec for every example: the plan is computed in-process and
    the CLI only ever refuses, so nothing is written to it."""
    root = tmp_path_factory.mktemp("spec-copy")
    shutil.copytree(REPO / "spec", root / "spec")
    return SpecCopy(root, read_existing_spec(str(root)), file_tree(root))


# The cli fixture holds no state, so sharing it across examples is safe.
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(page_damage(len(FULL_PAGE_LINES)), min_size=1, max_size=3))
def test_damaged_page_never_removes_what_the_plan_does_not_list(
        spec_copy: SpecCopy, cli: CliRunner, damage: list[tuple[str, int, int, str]]) -> None:
    lines = FULL_PAGE_LINES
    for op in damage:
        lines = _damage(lines, op)
    text = "\n".join(lines)
    try:
        plan = plan_import(parse_page(text), spec_copy.existing)
    except PageError as exc:
        assert 0 <= exc.line <= text.count("\n") + 2
        assert exc.message
        event("refused by the page checks")
        return
    event("refused: it would remove" if plan.removes else "accepted: nothing removed")
    existing = set(spec_copy.existing.mutations)
    new = {m.name for m in plan.catalogue.mutations}
    assert set(plan.removed) == existing - new
    assert set(plan.added) == new - existing
    assert set(plan.changed) <= new & existing
    assert set(plan.removed_endpoints) == (set(spec_copy.existing.endpoints)
                                           - {e.name for e in plan.catalogue.endpoints})
    assert {mutation_path(name) for name in new} <= set(plan.files)
    assert not set(plan.removal_paths) & set(plan.files)
    if plan.removes:
        page = spec_copy.root / "page.txt"
        page.write_text(text, encoding="utf-8")
        code, out, err = cli("import-docs", str(page), "--root", str(spec_copy.root))
        page.unlink()
        assert (code, out) == (1, "")
        assert err.count("would remove mutation ") == len(plan.removed)
        assert err.count("would remove endpoint ") == len(plan.removed_endpoints)
        assert "nothing was written" in err
        assert file_tree(spec_copy.root) == spec_copy.snapshot
