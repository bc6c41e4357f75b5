"""Descriptions as Markdown prose: wrapped lines joined, lists kept, embedded code fenced."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kraken_spec.generators.mdtext import (
    escape_inline,
    escape_line,
    is_json,
    md_code_cell,
    md_fence,
    text_lines,
)
from kraken_spec.jsonscan import bracket_steps

# The scraped page breaks lines where its HTML wrapped them, mostly mid-sentence (72 of the
# 88 breaks of the bundled page). A paragraph is therefore one run of non-blank lines,
# joined with spaces; only a blank line, a list item, a term list or a code block ends it.

# A list item as the page writes one: a bullet (``-``, ``*``, ``+``, ``•``) or a number
# with ``.`` or ``)``, then white space and the item's text.
_BULLET = re.compile(r"[-*+•]\s+(\S.*)")
_NUMBERED = re.compile(r"(\d{1,9})[.)]\s+(\S.*)")
# A code the page writes in capitals with underscores (``BC_DEVICE_RETIRED``). The page
# lists such codes as "CODE (explanation)" items whose markup was lost, so the next code
# runs into the explanation's closing parenthesis: ``(device is not yet live)BC_DEVICE_RETIRED``.
_CODE = r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+"
_TERM_START = re.compile(_CODE)
_TERM_NEXT = re.compile(rf"\(([^()]*)\)({_CODE})?")
# A list item that is one identifier with an underscore reads as code (``password_reused``).
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+")
# A line naming the language of the block that follows it, as the page leaves it when a
# code block's markup is lost, and how each starts.
_LABELS = {"json": "json", "graphql": "graphql", "gql": "graphql"}
_GRAPHQL_START = re.compile(r"(?:[{\[]|(?:mutation|query|subscription|fragment)\b)")
# Each line that opens a bracket may start a code block, found by reading on until its
# brackets close; the longest block looked for bounds that reading, so that a text of many
# unclosed brackets still renders in linear time. The page's longest is 30 lines.
MAX_CODE_LINES = 200


@dataclass(frozen=True)
class Paragraph:
    """Running text, its wrapped lines joined."""

    text: str


@dataclass(frozen=True)
class Items:
    """A list: ``numbers`` holds each item's number, empty for a bulleted list."""

    items: tuple[str, ...]
    numbers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Terms:
    """Codes, each with the explanation the page gives it (None where it gives none)."""

    terms: tuple[tuple[str, str | None], ...]


@dataclass(frozen=True)
class Code:
    """An embedded code block as the page gives it, and its language (``json``,
    ``graphql`` or ``text``)."""

    text: str
    language: str


Block = Paragraph | Items | Terms | Code


class _Brackets:
    """Bracket depth across lines, outside JSON strings (a string may not span lines)."""

    def __init__(self) -> None:
        self.depth = 0
        self.broken = False  # a bracket closed that was never opened

    def feed(self, line: str) -> None:
        for step in bracket_steps(line):
            self.depth += step
            self.broken |= self.depth < 0


def _depths(lines: list[str]) -> list[int]:
    """The indentation depth of each line: the bracket depth at its start, one less for a
    line that starts by closing a bracket."""
    brackets = _Brackets()
    depths: list[int] = []
    for line in lines:
        depths.append(max(brackets.depth - line.startswith(("}", "]")), 0))
        brackets.feed(line)
    return depths


def _balanced_end(lines: list[str], start: int) -> int | None:
    """The index of the line at whose end every bracket opened from ``start`` on is closed,
    if that happens before a blank line and within ``MAX_CODE_LINES``."""
    brackets = _Brackets()
    for end in range(start, min(len(lines), start + MAX_CODE_LINES)):
        if not lines[end]:
            return None
        brackets.feed(lines[end])
        if brackets.broken:
            return None
        if brackets.depth == 0:
            return end
    return None


def _indented(lines: list[str]) -> str:
    """JSON whose indentation the page lost, indented again by bracket depth."""
    return "\n".join("  " * depth + line for line, depth in zip(lines, _depths(lines),
                                                                strict=True))


def _code_block(lines: list[str], i: int) -> tuple[Code, int] | None:
    """The code block starting at line ``i`` and the index after it, if one starts there:
    a language label followed by code, or unlabelled JSON that parses."""
    line = lines[i]
    language = _LABELS.get(line.lower())
    if language is not None and i + 1 < len(lines) and lines[i + 1]:
        first = lines[i + 1]
        if language == "json" and first[0] not in "{[":
            return None
        if language == "graphql" and not _GRAPHQL_START.match(first):
            return None
        start = i + 1
    elif line.startswith(("{", "[")):
        start = i
    else:
        return None
    end = _balanced_end(lines, start) if lines[start][0] in "{[" else None
    if end is None:
        if start == i:
            return None
        # A labelled block whose brackets never close runs to the next blank line.
        end = start
        while end + 1 < len(lines) and lines[end + 1] and end - start < MAX_CODE_LINES:
            end += 1
    body = lines[start:end + 1]
    text = "\n".join(body)
    if language == "graphql":
        return Code(text, "graphql"), end + 1
    if is_json(text):
        return Code(text, "json"), end + 1
    if start == i:
        return None
    return Code(text, "text"), end + 1


def _terms(lines: list[str], i: int) -> tuple[Terms, int] | None:
    """A run of codes with explanations (see ``_TERM_NEXT``) starting at line ``i``."""
    if not _TERM_START.fullmatch(lines[i]) or i + 1 >= len(lines) \
            or not _TERM_NEXT.fullmatch(lines[i + 1]):
        return None
    terms: list[tuple[str, str | None]] = []
    code: str | None = lines[i]
    j = i + 1
    while code is not None:
        following = _TERM_NEXT.fullmatch(lines[j]) if j < len(lines) else None
        if following is None:
            terms.append((code, None))
            break
        terms.append((code, following[1].strip()))
        code = following[2]
        j += 1
    return Terms(tuple(terms)), j


def _items(lines: list[str], i: int) -> tuple[Items, int] | None:
    """A run of list items of one kind (bulleted or numbered) starting at line ``i``."""
    pattern = _BULLET if _BULLET.fullmatch(lines[i]) else _NUMBERED
    items: list[str] = []
    numbers: list[str] = []
    j = i
    while j < len(lines) and (found := pattern.fullmatch(lines[j])) is not None:
        if pattern is _NUMBERED:
            numbers.append(found[1])
        items.append(found[found.lastindex or 1])
        j += 1
    return (Items(tuple(items), tuple(numbers)), j) if items else None


def prose_blocks(text: str | None) -> list[Block]:
    """The blocks of a description: paragraphs, lists, term lists and code blocks."""
    lines = [line.strip() for line in text_lines(text or "")]
    blocks: list[Block] = []
    paragraph: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line:
            i += 1
            if paragraph:
                blocks.append(Paragraph(" ".join(paragraph)))
                paragraph = []
            continue
        found = _code_block(lines, i) or _terms(lines, i) or _items(lines, i)
        if found is None:
            paragraph.append(line)
            i += 1
            continue
        if paragraph:
            blocks.append(Paragraph(" ".join(paragraph)))
            paragraph = []
        blocks.append(found[0])
        i = found[1]
    if paragraph:
        blocks.append(Paragraph(" ".join(paragraph)))
    return blocks


def _item_text(item: str) -> str:
    # An identifier is letters, digits and underscores only: safe in a one-backtick span.
    return f"`{item}`" if _IDENTIFIER.fullmatch(item) else escape_inline(item)


def _term_text(code: str, explanation: str | None) -> str:
    # The code is capitals, digits and underscores only: safe in a one-backtick span.
    return f"`{code}`" + ("" if explanation is None else f" ({escape_inline(explanation)})")


def md_prose(text: str | None, lead: str = "") -> str:
    """A description as Markdown blocks: paragraphs whose wrapped lines are joined, lists,
    code lists and fenced code with a language. Nothing in the text is read as markup.

    ``lead`` (Markdown, such as ``**Deprecated.**``) opens the first paragraph, or stands
    as a paragraph of its own when the text starts with another block.
    """
    out: list[str] = []
    blocks = prose_blocks(text)
    if lead and not (blocks and isinstance(blocks[0], Paragraph)):
        out.append(lead)
        lead = ""
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(f"{lead} {escape_line(block.text)}" if lead else escape_line(block.text))
            lead = ""
        elif isinstance(block, Items):
            if block.numbers:
                out.append("\n".join(f"{n}. {_item_line(item)}"
                                     for n, item in zip(block.numbers, block.items,
                                                        strict=True)))
            else:
                out.append("\n".join(f"- {_item_line(item)}" for item in block.items))
        elif isinstance(block, Terms):
            out.append("\n".join(f"- {_term_text(c, e)}" for c, e in block.terms))
        elif block.language == "json":
            out.append(md_fence(_indented(block.text.split("\n")), "json"))
        else:
            out.append(md_fence(block.text, block.language))
    return "\n\n".join(out)


def _item_line(item: str) -> str:
    # Escaped as a line, so that an item's own text never starts a nested block.
    return f"`{item}`" if _IDENTIFIER.fullmatch(item) else escape_line(item)


def md_prose_cell(text: str | None) -> str:
    """A description in a GFM table cell: wrapped lines joined with spaces; ``<br>`` only
    between paragraphs and before list items; code as a code span."""
    out: list[str] = []
    for block in prose_blocks(text):
        if isinstance(block, Paragraph):
            out.append(escape_inline(block.text))
        elif isinstance(block, Items):
            marks = [f"{n}." for n in block.numbers] or ["-"] * len(block.items)
            out.extend(f"{mark} {_item_text(item)}" for mark, item in zip(
                marks, block.items, strict=True))
        elif isinstance(block, Terms):
            out.extend(f"- {_term_text(c, e)}" for c, e in block.terms)
        else:
            out.append(md_code_cell(block.text))
    return "<br>".join(out)
