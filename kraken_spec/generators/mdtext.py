"""Markdown text primitives: escaping for running text, table cells, code spans and fences."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

# Characters that can open or close inline markup, a link, raw HTML, an entity, a table cell,
# GFM strikethrough or GitHub math, wherever they stand in a line. Every other character is
# inert inside a line. `<`, `>` and `&` become entities, which every renderer understands;
# the rest take a backslash, which CommonMark allows before any ASCII punctuation.
_INLINE_ESCAPES = {
    "\\": "\\\\",
    "`": "\\`",
    "*": "\\*",
    "_": "\\_",
    "[": "\\[",
    "]": "\\]",
    "|": "\\|",
    "~": "\\~",
    "$": "\\$",
    "#": "\\#",
    "<": "&lt;",
    ">": "&gt;",
    "&": "&amp;",
}
_INLINE_SPECIAL = re.compile("[" + re.escape("".join(_INLINE_ESCAPES)) + "]")

# What would start a block (list item, setext underline, thematic break) at the start of a line
# once the characters above are escaped: a bullet or underline character, or an ordered list
# marker such as ``1.`` or ``2)``.
_BLOCK_START = re.compile(r"^(?:[-+=]|\d+(?=[.)]))")

# The end of a sentence: terminal punctuation followed by white space or the end of the text.
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
SUMMARY_LIMIT = 160

_BACKTICK_RUN = re.compile(r"`+")
_ANCHOR_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def text_lines(text: str) -> list[str]:
    """The lines of ``text``, split at every line boundary Python knows, trailing space removed."""
    return [line.rstrip() for line in text.splitlines()]


def escape_inline(text: str) -> str:
    """Text with every character that could open markup inside a line escaped."""
    return _INLINE_SPECIAL.sub(lambda match: _INLINE_ESCAPES[match[0]], text)


def escape_line(line: str) -> str:
    """One line of running text: inline specials escaped, no block marker at its start."""
    escaped = escape_inline(line.strip())
    marker = _BLOCK_START.match(escaped)
    if marker is None:
        return escaped
    if marker[0] in "-+=":
        return "\\" + escaped
    # An ordered list marker: escape the punctuation after the digits.
    return escaped[: marker.end()] + "\\" + escaped[marker.end() :]


def md_text(text: str) -> str:
    """Running text as Markdown paragraphs: every line break kept, nothing read as markup.

    Blank lines separate paragraphs; inside a paragraph each line ends with ``<br>`` so that
    the text keeps its line breaks when rendered.
    """
    paragraphs: list[list[str]] = [[]]
    for line in text_lines(text):
        if line.strip():
            paragraphs[-1].append(escape_line(line))
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join("<br>\n".join(lines) for lines in paragraphs if lines)


def md_inline(text: str) -> str:
    """Text on one line (a heading, a list item): line breaks become spaces, all else escaped."""
    return escape_line(" ".join(line.strip() for line in text_lines(text) if line.strip()))


def md_cell(text: str) -> str:
    """Text in a GFM table cell: ``|`` escaped, line breaks as ``<br>``, nothing read as markup."""
    return "<br>".join(escape_inline(line.strip()) for line in text_lines(text.strip()))


def _code_span(text: str) -> str:
    content = " ".join(text.splitlines())
    if not content:
        return ""
    longest = max((len(run) for run in _BACKTICK_RUN.findall(content)), default=0)
    fence = "`" * (longest + 1)
    # CommonMark strips one space from each end of a code span, so pad whenever the content
    # would otherwise lose a space or fuse a backtick with the fence.
    if content[0] in "` " or content[-1] in "` ":
        content = f" {content} "
    return f"{fence}{content}{fence}"


def md_code(text: str) -> str:
    """Text as an inline code span in running text; line breaks become spaces."""
    return _code_span(text)


def md_code_cell(text: str) -> str:
    """Text as an inline code span inside a GFM table cell, where ``|`` must be escaped."""
    return _code_span(text).replace("|", "\\|")


def md_fence(text: str, info: str = "") -> str:
    """Text as a fenced code block whose backtick fence is longer than any run inside it."""
    body = "\n".join(text_lines(text))
    longest = max((len(run) for run in _BACKTICK_RUN.findall(body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{body}\n{fence}" if body else f"{fence}{info}\n{fence}"


def md_url(text: str) -> str:
    """A path segment of a relative link, percent-encoded."""
    return quote(text, safe="")


def anchor(text: str) -> str:
    """The HTML id of an entry (an error code, a domain): safe in an attribute and a URL."""
    return _ANCHOR_UNSAFE.sub("-", text)


def summary(description: str | None) -> str:
    """The first sentence of a description's first paragraph, shortened if long; "" if none."""
    paragraph: list[str] = []
    for line in text_lines(description or ""):
        if line.strip():
            paragraph.append(line.strip())
        elif paragraph:
            break
    text = " ".join(paragraph)
    end = _SENTENCE_END.search(text)
    if end is not None:
        text = text[: end.end()]
    if len(text) > SUMMARY_LIMIT:
        cut = text.rfind(" ", 0, SUMMARY_LIMIT)
        text = text[: cut if cut > 0 else SUMMARY_LIMIT].rstrip() + "…"
    return text


def plural(count: int, noun: str) -> str:
    """``1 mutation``, ``2 mutations``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def is_blank(text: str | None) -> bool:
    """True when the spec gives no text, or only white space."""
    return text is None or not text.strip()


def is_json(text: str) -> bool:
    """True when ``text`` parses as JSON, so that a code block can be labelled ``json``."""
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True
