"""Page import is stable: import, export and re-import give the same catalogue, byte for byte."""

from __future__ import annotations

import itertools
import re
import tempfile
from pathlib import Path

from conftest import BUNDLED_PAGE, file_tree
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kraken_spec.generators.export import catalogue_from_export, export_json
from kraken_spec.page.importer import import_page
from kraken_spec.spec.loader import load_spec

LINES = BUNDLED_PAGE.read_text(encoding="utf-8").split("\n")
_NAME = re.compile(r"^[a-z][A-Za-z0-9]*$")
STARTS = [i for i in range(len(LINES) - 1)
          if _NAME.match(LINES[i]) and LINES[i + 1].startswith("Type: ")]


def _sections() -> tuple[list[str], list[tuple[str, list[list[str]]]]]:
    """The page's introduction, and each section: its heading and its entries' lines (a
    section's heading is the line before its first entry)."""
    bounds = [*STARTS, len(LINES)]
    blocks = [LINES[a:b] for a, b in itertools.pairwise(bounds)]
    intro = LINES[:STARTS[0] - 1]
    sections: list[tuple[str, list[list[str]]]] = [(LINES[STARTS[0] - 1], [])]
    for block in blocks:
        sections[-1][1].append(block)
        if block[-1] and not _NAME.match(block[-1]) and block[-1] not in ("}", ""):
            # The block ends with the next section's heading: it opens that section.
            sections.append((block.pop(), []))
    return intro, sections


INTRO, SECTIONS = _sections()
ENTRIES = [(s, e) for s, (_, blocks) in enumerate(SECTIONS) for e in range(len(blocks))]


def sub_page(chosen: set[int]) -> tuple[str, list[str]]:
    """The page holding only the chosen entries (in page order, each section that keeps one
    under its heading), and the names of those entries."""
    lines, names = list(INTRO), []
    for s, (heading, blocks) in enumerate(SECTIONS):
        kept = [blocks[e] for i, (s2, e) in enumerate(ENTRIES) if s2 == s and i in chosen]
        if kept:
            lines.append(heading)
            for block in kept:
                lines.extend(block)
                names.append(block[0])
    return "\n".join(lines), names


def test_the_sections_are_found() -> None:
    assert [len(blocks) for _, blocks in SECTIONS] == [232, 3]
    assert sub_page(set(range(len(ENTRIES))))[0] == "\n".join(LINES)


# That random damage to the page never removes mutations silently is
# test_page_robustness.test_damaged_page_never_removes_what_the_plan_does_not_list.
@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(st.sets(st.integers(0, len(ENTRIES) - 1), min_size=1, max_size=20))
def test_import_export_and_reimport_agree(chosen: set[int]) -> None:
    text, names = sub_page(chosen)
    with tempfile.TemporaryDirectory() as tmp:
        root, page = Path(tmp), Path(tmp) / "page.txt"
        page.write_text(text, encoding="utf-8")
        imported = import_page(str(page), str(root))
        first = file_tree(root / "spec")
        loaded = load_spec(str(root)).assert_valid()
        assert loaded == imported.catalogue
        # No entry is lost: every mutation the page shows with its heading is there (the
        # one shown without its heading stays out, and says so).
        assert {m.name for m in loaded.mutations} == set(names)
        event(f"{len(loaded.endpoints)} endpoint(s)")
        # The export reads back into the same catalogue.
        assert catalogue_from_export(export_json(loaded)) == loaded
        # Importing the same page again changes nothing, byte for byte.
        again = import_page(str(page), str(root))
        assert not (again.plan.added or again.plan.changed or again.plan.removed)
        assert file_tree(root / "spec") == first
        assert load_spec(str(root)).assert_valid() == loaded
