"""Tests of the Markdown reference docs: structure, links, tables, templates and filters.

The mini catalogue's docs are compared byte for byte with the golden tree by
tests/test_golden_tree.py; the tests here check properties of the real and of random docs.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest
from conftest import MINI, REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import doc_catalogues, markdown_texts

from kraken_spec.exceptions import OutputError
from kraken_spec.generators.markdown import (
    generate_docs,
    md_cell,
    md_code_cell,
    md_fence,
    md_text,
    summary,
)
from kraken_spec.model import BUILTIN_SCALARS, Catalogue, named_type
from kraken_spec.spec.loader import load_spec

TEMPLATES = str(REPO / "templates")


@pytest.fixture(scope="module")
def mini_docs(mini_catalogue: Catalogue) -> dict[str, str]:
    return generate_docs(mini_catalogue, TEMPLATES)


@pytest.fixture(scope="module")
def full_docs(full_catalogue: Catalogue) -> dict[str, str]:
    return generate_docs(full_catalogue, TEMPLATES)


# --- reading the generated Markdown back -------------------------------------------------

_FENCE_OPEN = re.compile(r"^(`{3,})[^`]*$")
_LINK = re.compile(r"(?<!\\)\[(?:[^\]\\]|\\.)*\]\(([^()\s]*)\)")
_ANCHOR = re.compile(r'<a id="([^"]*)"></a>')


def outside_code(text: str) -> list[str]:
    """The lines of a page outside its fenced code blocks (fences are backtick runs)."""
    lines: list[str] = []
    fence = ""
    for line in text.split("\n"):
        if fence:
            if line.startswith(fence) and not line.strip("`"):
                fence = ""
        elif opening := _FENCE_OPEN.match(line):
            fence = opening[1]
        else:
            lines.append(line)
    assert not fence, "a fenced code block is never closed"
    return lines


def separators(row: str) -> int:
    """The cell separators of a table row: pipes not escaped by a backslash.

    GFM (cmark-gfm, markdown-it) treats a pipe right after a backslash as part of the cell,
    whatever precedes that backslash.
    """
    return sum(1 for i, ch in enumerate(row) if ch == "|" and (i == 0 or row[i - 1] != "\\"))


def tables(text: str) -> list[list[str]]:
    """Every table of a page, as its lines: header, delimiter row, then the body rows.

    A table must stand between blank lines: a line break leaking out of a cell would leave
    a line that does not start with a pipe right after the table.
    """
    found: list[list[str]] = []
    current: list[str] = []
    lines = [*outside_code(text), ""]
    for number, line in enumerate(lines):
        if line.startswith("|"):
            if not current:
                assert number == 0 or lines[number - 1] == "", f"text before table: {line!r}"
            current.append(line)
        elif current:
            assert line == "", f"text right after a table: {line!r}"
            found.append(current)
            current = []
    return found


_BACKTICKS = re.compile(r"(?<!\\)(?:\\\\)*(`+)")


def without_code_spans(line: str) -> str:
    """A line with its inline code spans blanked: a link's syntax inside one is literal text.

    CommonMark closes a span only with a backtick run of the opening run's length; an
    unmatched run is literal backticks.
    """
    out: list[str] = []
    pos = 0
    while (opening := _BACKTICKS.search(line, pos)) is not None:
        run = opening[1]
        closing = re.compile(rf"(?<!`){run}(?!`)").search(line, opening.end())
        if closing is None:
            out.append(line[pos:opening.end()])
            pos = opening.end()
            continue
        out.append(line[pos:opening.start(1)] + " ")
        pos = closing.end()
    out.append(line[pos:])
    return "".join(out)


def links(text: str) -> list[str]:
    return [m[1] for line in outside_code(text)
            for m in _LINK.finditer(without_code_spans(line))]


def anchors(text: str) -> list[str]:
    return [m[1] for line in outside_code(text) for m in _ANCHOR.finditer(line)]


def assert_tables_well_formed(docs: dict[str, str]) -> int:
    count = 0
    for path, text in docs.items():
        for table in tables(text):
            count += 1
            header = separators(table[0])
            assert len(table) >= 2, f"{path}: a table without a delimiter row: {table[0]!r}"
            assert re.fullmatch(r"\|( --- \|)+", table[1]), f"{path}: {table[1]!r}"
            for row in table:
                assert row.endswith("|"), f"{path}: {row!r}"
                assert separators(row) == header, f"{path}: column count differs: {row!r}"
    return count


def assert_links_resolve(docs: dict[str, str]) -> int:
    ids = {path: anchors(text) for path, text in docs.items()}
    for path, found in ids.items():
        assert len(found) == len(set(found)), f"{path}: an anchor id is used twice"
    count = 0
    for path, text in docs.items():
        for target in links(text):
            count += 1
            if re.match(r"[a-z]+:", target):
                continue
            file_part, _, fragment = target.partition("#")
            resolved = (posixpath.normpath(posixpath.join(posixpath.dirname(path), file_part))
                        if file_part else path)
            assert resolved in docs, f"{path}: link {target!r} points to no generated file"
            if fragment:
                assert fragment in ids[resolved], f"{path}: link {target!r}: no such anchor"
    return count


def assert_tidy(docs: dict[str, str]) -> None:
    for path, text in docs.items():
        assert text.endswith("\n") and not text.endswith("\n\n"), path
        assert "\r" not in text, path
        for number, line in enumerate(text.split("\n"), 1):
            assert line == line.rstrip(), f"{path}:{number}: trailing white space"


# --- the files written ---------------------------------------------------------------------


def test_one_page_per_mutation_and_named_type_plus_indexes(
        mini_catalogue: Catalogue, mini_docs: dict[str, str]) -> None:
    expected = {"docs/README.md", "docs/errors.md", "docs/types.md"}
    expected |= {f"docs/mutations/{m.name}.md" for m in mini_catalogue.mutations}
    # Every named type the page mentions, payloads included; built-in scalars have no page.
    named = {t.name for t in mini_catalogue.types}
    for m in mini_catalogue.mutations:
        named |= {m.payload_type, *(named_type(a.type) for a in m.arguments),
                  *(named_type(f.type) for f in m.return_fields or ())}
    expected |= {f"docs/types/{name}.md" for name in named - BUILTIN_SCALARS}
    assert set(mini_docs) == expected


# --- structure of the real output ---------------------------------------------------------


@pytest.mark.parametrize("which", ["mini_docs", "full_docs"])
def test_links_and_anchors_resolve(which: str, request: pytest.FixtureRequest) -> None:
    docs: dict[str, str] = request.getfixturevalue(which)
    assert assert_links_resolve(docs) > len(docs)


@pytest.mark.parametrize("which", ["mini_docs", "full_docs"])
def test_tables_and_layout_are_well_formed(which: str, request: pytest.FixtureRequest) -> None:
    docs: dict[str, str] = request.getfixturevalue(which)
    assert assert_tables_well_formed(docs) >= len(docs)
    assert_tidy(docs)


def test_every_error_code_lists_its_raisers(full_catalogue: Catalogue,
                                            full_docs: dict[str, str]) -> None:
    catalogue = full_catalogue
    errors = full_docs["docs/errors.md"]
    sections = re.split(r"^### ", errors, flags=re.MULTILINE)[1:]
    assert len(sections) == len(catalogue.errors)
    by_code = {s.split("</a>", 1)[1].split("\n", 1)[0]: s for s in sections}
    for code, names in catalogue.raisers().items():
        section = by_code[code]
        assert f'<a id="{code}"></a>' in section
        for name in names:
            assert f"(mutations/{name}.md)" in section
        assert section.count("(mutations/") == len(names)


def test_pages_state_missing_facts_plainly(mini_docs: dict[str, str]) -> None:
    assert "documents no payload fields" in mini_docs["docs/mutations/linkUserToLine.md"]
    page = mini_docs["docs/mutations/closeOpenPrintBatch.md"]
    assert "takes no arguments" in page and "takes no variables" in page
    assert "lists no error codes" in mini_docs["docs/mutations/updateUserDetails.md"]


def test_deprecation_is_shown_on_the_page_and_in_the_index(mini_docs: dict[str, str]) -> None:
    page = mini_docs["docs/mutations/updateUserDetails.md"]
    assert "**Deprecated.** Please use updateUser instead" in page
    row = next(line for line in mini_docs["docs/README.md"].split("\n")
               if line.startswith("| [updateUserDetails]"))
    assert "**Deprecated.**" in row


def test_arguments_table_marks_required_and_missing_descriptions(
        mini_docs: dict[str, str]) -> None:
    page = mini_docs["docs/mutations/generatePreSignedToken.md"]
    assert "| `email` | `String!` | yes | *No description.* |" in page
    assert ("| `scope` | [`PreSignedTokenScope!`](../types/PreSignedTokenScope.md) | yes | "
            "Define (and limit) the scope") in page


def test_example_values_with_pipes_stay_in_one_cell(mini_docs: dict[str, str]) -> None:
    page = mini_docs["docs/mutations/obtainKrakenToken.md"]
    assert '`"abc123" \\| 1 \\| 1.0 \\| true \\| ["abc123"] \\| AccountType`' in page


def test_generation_is_deterministic(mini_catalogue: Catalogue,
                                     full_catalogue: Catalogue) -> None:
    assert generate_docs(mini_catalogue, TEMPLATES) == generate_docs(mini_catalogue, TEMPLATES)
    assert generate_docs(full_catalogue, TEMPLATES) == generate_docs(full_catalogue, TEMPLATES)
    # Freshly loaded, the same spec gives the same docs.
    assert generate_docs(load_spec(str(MINI)).assert_valid(), TEMPLATES) == generate_docs(
        mini_catalogue, TEMPLATES)


# --- template problems ---------------------------------------------------------------------


def test_missing_template_is_a_clear_error(tmp_path: Path, mini_catalogue: Catalogue) -> None:
    catalogue = mini_catalogue
    with pytest.raises(OutputError, match=r"index\.md\.j2: template not found") as info:
        generate_docs(catalogue, str(tmp_path))
    assert str(tmp_path) in str(info.value)


def test_template_syntax_error_names_file_and_line(tmp_path: Path,
                                                   mini_catalogue: Catalogue) -> None:
    for name in ("index.md.j2", "mutation.md.j2", "errors.md.j2"):
        (tmp_path / name).write_text((Path(TEMPLATES) / name).read_text(encoding="utf-8"),
                                     encoding="utf-8")
    (tmp_path / "errors.md.j2").write_text("# Errors\n{% for %}\n", encoding="utf-8")
    catalogue = mini_catalogue
    with pytest.raises(OutputError, match=r"errors\.md\.j2:2: template syntax error"):
        generate_docs(catalogue, str(tmp_path))


def test_undefined_name_in_a_template_is_an_error(tmp_path: Path,
                                                  mini_catalogue: Catalogue) -> None:
    for name in ("index.md.j2", "mutation.md.j2"):
        (tmp_path / name).write_text((Path(TEMPLATES) / name).read_text(encoding="utf-8"),
                                     encoding="utf-8")
    (tmp_path / "errors.md.j2").write_text("{{ no_such_name }}\n", encoding="utf-8")
    catalogue = mini_catalogue
    with pytest.raises(OutputError, match="no_such_name"):
        generate_docs(catalogue, str(tmp_path))


# --- the filters ---------------------------------------------------------------------------


def test_summary_is_the_first_sentence_of_the_first_paragraph() -> None:
    assert summary(None) == ""
    assert summary(" \n ") == ""
    assert summary("Do it. Then more.") == "Do it."
    assert summary("Reset the\npassword. Raises X") == "Reset the password."
    assert summary("No full stop") == "No full stop"
    assert summary("Version 1.2 is out. Yes.") == "Version 1.2 is out."
    long = "word " * 60
    assert summary(long).endswith("…") and len(summary(long)) <= 161


def test_running_text_keeps_line_breaks_and_paragraphs() -> None:
    assert md_text("one\ntwo\n\nthree") == "one<br>\ntwo\n\nthree"
    assert md_text("- a\n1. b\n# c\n> d\n===") == (
        "\\- a<br>\n1\\. b<br>\n\\# c<br>\n&gt; d<br>\n\\===")
    assert md_text("a_b *c* `d` <e> [f](g) x|y") == (
        "a\\_b \\*c\\* \\`d\\` &lt;e&gt; \\[f\\](g) x\\|y")


def test_cell_text_is_one_line() -> None:
    assert md_cell("a | b\nc\\") == "a \\| b<br>c\\\\"
    assert md_cell("`x` & <br>") == "\\`x\\` &amp; &lt;br&gt;"


def test_fence_is_longer_than_any_backtick_run() -> None:
    assert md_fence("a ```` b", "json") == "`````json\na ```` b\n`````"
    assert md_fence("plain") == "```\nplain\n```"


# --- properties for any text ---------------------------------------------------------------

LINE_BREAKS = ("\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


def unescaped_pipes(text: str) -> int:
    """Pipes preceded by an even number of backslashes (the strictest reading)."""
    count = 0
    for match in re.finditer(r"(\\*)\|", text):
        count += len(match[1]) % 2 == 0
    return count


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(doc_catalogues())
def test_tables_keep_their_columns_for_any_text(catalogue: Catalogue) -> None:
    docs = generate_docs(catalogue, TEMPLATES)
    assert assert_tables_well_formed(docs) >= 3
    assert_links_resolve(docs)
    assert_tidy(docs)
    assert docs == generate_docs(catalogue, TEMPLATES)


@given(markdown_texts)
def test_cell_text_never_breaks_its_cell(text: str) -> None:
    cell = md_cell(text)
    assert not any(brk in cell for brk in LINE_BREAKS)
    assert separators(cell) == 0
    assert unescaped_pipes(cell) == 0
    assert separators(f"| {cell} | {md_code_cell(text)} |") == 3
    assert not any(brk in md_code_cell(text) for brk in LINE_BREAKS)


@given(markdown_texts)
def test_running_text_starts_no_block_and_opens_no_markup(text: str) -> None:
    out = md_text(text)
    assert "\n\n\n" not in out and out == out.strip()
    for line in out.split("\n"):
        assert line == line.strip()
        assert not re.match(r"[-+=*#>|`~<_]|\d+[.)]", line), line
    assert unescaped_pipes(out) == 0
    assert not re.search(r"(?<!\\)(?:\\\\)*[`*_\[\]]", out.replace("<br>", ""))


@given(markdown_texts, st.sampled_from(["", "json", "graphql"]))
def test_fenced_block_closes_only_at_its_end(text: str, info: str) -> None:
    lines = md_fence(text, info).split("\n")
    fence = re.match(r"`+", lines[0])
    assert fence is not None and len(fence[0]) >= 3 and lines[0] == fence[0] + info
    assert lines[-1] == fence[0]
    for line in lines[1:-1]:
        assert fence[0] not in line


def test_link_syntax_inside_a_code_span_is_not_a_link() -> None:
    # Found by the deep profile: an endpoint URL `[](0)` printed in a code span.
    assert links("Endpoint: `[](0)` and [x](#y)") == ["#y"]
    assert links("``a ` [](0) ``, [z](other.md)") == ["other.md"]
    # An unmatched backtick run is literal, so the link after it is real.
    assert links("a `` b [c](#d)") == ["#d"]
    assert links(r"\`[e](#f)\`") == ["#f"]
