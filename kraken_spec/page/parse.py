"""Reader for the scraped text of the Kraken "Mutations" reference page: sections, entries."""

from __future__ import annotations

from kraken_spec.exceptions import PageError
from kraken_spec.page.entries import (
    BODY_STARTS,
    ENTRY_LINE_RE,
    ENTRY_MARKERS,
    ERROR_RE,
    NAME_RE,
    Cursor,
    Orphan,
    Page,
    PageMutation,
    is_mutation_start,
)
from kraken_spec.page.entry import parse_entry, parse_headless


def _is_entry_content(line: str) -> bool:
    """True for a line only an entry holds: its Type or URL line, a body marker, an error."""
    return (
        line in ENTRY_MARKERS
        or ENTRY_LINE_RE.match(line) is not None
        or ERROR_RE.match(line) is not None
    )


def _is_heading_shaped(line: str) -> bool:
    """A line that may title a section: not a name, not a brace line, not entry content."""
    return NAME_RE.match(line) is None and not line.startswith(("{", "}")) and (
        not _is_entry_content(line))


def _is_section_heading(cur: Cursor) -> bool:
    return _is_section_heading_at(cur, 0)


def _is_section_heading_at(cur: Cursor, ahead: int) -> bool:
    line = cur.peek(ahead)
    return line is not None and _is_heading_shaped(line) and is_mutation_start(cur, ahead + 1)


def parse_page(text: str) -> Page:
    """Parse the whole page; raise :class:`PageError` naming the line where reading failed."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    cur = Cursor(lines)
    intro: list[str] = []
    while not cur.at_end() and not _is_section_heading(cur):
        intro.append(cur.take())
    _check_intro(intro)
    if cur.at_end():
        raise PageError(cur.lineno, "no section of mutations found (a heading followed by a "
                        "mutation name and a 'Type: ' line)")
    mutations: list[PageMutation] = []
    orphans: list[Orphan] = []
    sections: dict[str, int] = {}
    names: dict[str, int] = {}
    section = ""
    while not cur.at_end():
        if _is_section_heading(cur):
            heading_line = cur.lineno
            section = cur.take()
            # A repeated section is a page pasted twice or a scrape that restarted: taking
            # either copy silently would hide that the other one differs.
            first = sections.setdefault(section, heading_line)
            if first != heading_line:
                raise PageError(heading_line, f"section {section!r} appears twice: at line "
                                f"{first} and at line {heading_line}")
            continue
        if cur.peek() in BODY_STARTS:
            orphans.append(parse_headless(cur, section))
            continue
        if not is_mutation_start(cur):
            _check_empty_section(cur, sections)
            raise PageError(cur.lineno, f"expected a mutation name followed by 'Type: ...', "
                            f"found {cur.peek()!r}")
        name = cur.lines[cur.pos]
        first = names.setdefault(name, cur.lineno)
        if first != cur.lineno:
            raise PageError(cur.lineno, f"mutation {name!r} appears twice: at line {first} and "
                            f"at line {cur.lineno}")
        mutations.append(parse_entry(cur, section))
    _check_headless_names(orphans, names)
    return Page(intro="\n".join(intro), mutations=tuple(mutations), orphans=tuple(orphans))


def _check_intro(intro: list[str]) -> None:
    """Refuse an introduction holding entry content: the first entry's heading is damaged,
    so the reader took every entry up to the next intact section heading for intro text."""
    for lineno, line in enumerate(intro, start=1):
        if _is_entry_content(line):
            raise PageError(lineno, f"{line!r} belongs in a mutation entry but stands in the "
                            "introduction, before the first section heading: an entry heading "
                            "(section title, mutation name, 'Type: ...') above it seems "
                            "malformed")


def _check_empty_section(cur: Cursor, sections: dict[str, int]) -> None:
    """Name a heading that no entry follows, rather than calling it a malformed name."""
    line = cur.peek()
    if line is None or not _is_heading_shaped(line):
        return
    nxt = cur.peek(1)
    if nxt is not None and not _is_section_heading_at(cur, 1):
        return
    if line in sections:
        raise PageError(cur.lineno, f"section {line!r} appears twice: at line "
                        f"{sections[line]} and at line {cur.lineno}")
    if nxt is None:
        raise PageError(cur.lineno, f"section {line!r} has no entries: the page ends after "
                        "its heading")
    if nxt == line:
        raise PageError(cur.lineno + 1, f"section {line!r} appears twice: at line "
                        f"{cur.lineno} and at line {cur.lineno + 1}")
    raise PageError(cur.lineno, f"section {line!r} has no entries: the next line starts "
                    f"the section {nxt!r}")


def _check_headless_names(orphans: list[Orphan], names: dict[str, int]) -> None:
    """A body without heading is named by the field it selects: that name must be free,
    or the page would document one mutation twice."""
    seen: dict[str, int] = {}
    for orphan in orphans:
        first = names.get(orphan.field, seen.get(orphan.field))
        if first is not None:
            raise PageError(orphan.line, f"the entry without heading at line {orphan.line} "
                            f"selects {orphan.field!r}, which the entry at line {first} "
                            "documents too")
        seen[orphan.field] = orphan.line
