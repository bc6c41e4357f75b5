"""Descriptions as prose (paragraphs, lists, code), read back by a CommonMark renderer."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from strategies import markdown_texts

from kraken_spec.generators.prose import (
    Code,
    Items,
    Paragraph,
    Terms,
    md_prose,
    md_prose_cell,
    prose_blocks,
)

# CommonMark, plus the GFM tables the docs use.
COMMONMARK = MarkdownIt("commonmark").enable("table")

# What prose may produce: paragraphs, lists and fenced code, holding text and code spans.
BLOCK_TOKENS = {"paragraph_open", "paragraph_close", "inline", "bullet_list_open",
                "bullet_list_close", "ordered_list_open", "ordered_list_close",
                "list_item_open", "list_item_close", "fence"}
INLINE_TOKENS = {"text", "code_inline"}
LANGUAGES = {"json", "graphql", "text"}
# What a list item's or a label line's markup may drop from the text: bullets, the
# punctuation after an item's number, and a code block's language label.
MARKERS = set("-*+•.)0123456789") | set("jsongraphqlJSONGRAPHQL")


def content(tokens: list[Token]) -> str:
    """The text a reader sees: text, code spans and code blocks, in order."""
    out: list[str] = []
    for token in tokens:
        if token.type == "fence":
            out.append(token.content)
        for child in token.children or ():
            if child.type in INLINE_TOKENS:
                out.append(child.content)
    return "".join(out)


def visible(text: str) -> str:
    # markdown-it reads U+0000 as U+FFFD, as CommonMark asks; white space is layout.
    return "".join(text.replace("\x00", "\ufffd").split())


def is_subsequence(short: str, long: str) -> bool:
    rest = iter(long)
    return all(ch in rest for ch in short)


def dropped(short: str, long: str) -> str:
    """The characters of ``long`` left out of its subsequence ``short`` (greedy match)."""
    out, i = [], 0
    for ch in long:
        if i < len(short) and short[i] == ch:
            i += 1
        else:
            out.append(ch)
    return "".join(out)


# --- the page's own texts ------------------------------------------------------------------

OBTAIN_TOKEN = ("Create a Kraken Token (JWT) for authentication.\n"
                "Provide the required input fields to obtain the token.\n"
                "The token should be used as the Authorization\n"
                "header for any authenticated requests.")

RESET_PASSWORD = """Reset the password of an account user.
Raises KT-CT-5450
if password validation fails. Inspect the validationErrors
extension to get the exact validation error:
json
{
"data": {"resetUserPassword": null},
"errors": [
{
"message": "Password is invalid.",
"path": ["resetUserPassword"]
}
]
}
The validation error's code
can be any of
- password_too_short
- password_reused"""

BOOST_REASONS = """Possible reasons include:
BC_DEVICE_NOT_YET_LIVE
(device is not yet live)BC_DEVICE_RETIRED
(device is retired)BC_DEVICE_SUSPENDED
(device is suspended)"""


def test_wrapped_lines_are_one_paragraph() -> None:
    assert md_prose(OBTAIN_TOKEN) == (
        "Create a Kraken Token (JWT) for authentication. Provide the required input fields to "
        "obtain the token. The token should be used as the Authorization header for any "
        "authenticated requests.")
    assert COMMONMARK.render(md_prose(OBTAIN_TOKEN)).count("<p>") == 1


def test_embedded_json_is_a_fenced_block_and_a_list_stays_a_list() -> None:
    assert prose_blocks(RESET_PASSWORD)[1:] == [
        Code('{\n"data": {"resetUserPassword": null},\n"errors": [\n{\n'
             '"message": "Password is invalid.",\n"path": ["resetUserPassword"]\n}\n]\n}',
             "json"),
        Paragraph("The validation error's code can be any of"),
        Items(("password_too_short", "password_reused")),
    ]
    assert md_prose(RESET_PASSWORD).split("\n\n")[1:] == [
        '```json\n{\n  "data": {"resetUserPassword": null},\n  "errors": [\n    {\n'
        '      "message": "Password is invalid.",\n      "path": ["resetUserPassword"]\n'
        '    }\n  ]\n}\n```',
        "The validation error's code can be any of",
        "- `password_too_short`\n- `password_reused`",
    ]


def test_codes_run_into_their_explanations_become_a_list() -> None:
    assert prose_blocks(BOOST_REASONS) == [
        Paragraph("Possible reasons include:"),
        Terms((("BC_DEVICE_NOT_YET_LIVE", "device is not yet live"),
               ("BC_DEVICE_RETIRED", "device is retired"),
               ("BC_DEVICE_SUSPENDED", "device is suspended")))]
    assert md_prose(BOOST_REASONS).endswith(
        "- `BC_DEVICE_RETIRED` (device is retired)\n- `BC_DEVICE_SUSPENDED` (device is suspended)")
    # The last code may come without an explanation.
    assert prose_blocks("A_B\n(x)C_D") == [Terms((("A_B", "x"), ("C_D", None)))]


def test_code_blocks_need_a_label_or_valid_json() -> None:
    assert prose_blocks('{"a": 1}') == [Code('{"a": 1}', "json")]
    # Brackets that do not parse as JSON stay text unless a label says they are code.
    assert prose_blocks("[see below] for details") == [Paragraph("[see below] for details")]
    assert prose_blocks("json\n{not json}") == [Code("{not json}", "text")]
    assert prose_blocks("graphql\nmutation { x }") == [Code("mutation { x }", "graphql")]
    # A label without code after it is a word.
    assert prose_blocks("the json\njson\nformat") == [Paragraph("the json json format")]
    # A labelled block whose brackets never close runs to the next blank line.
    assert prose_blocks("json\n{\n\"a\":\n\nafter") == [Code('{\n"a":', "text"),
                                                          Paragraph("after")]


def test_lists_and_paragraphs() -> None:
    assert prose_blocks("Steps:\n1. one\n2) two\n\n* star\n• dot") == [
        Paragraph("Steps:"), Items(("one", "two"), ("1", "2")), Items(("star", "dot"))]
    assert md_prose("1. one\n2. two") == "1. one\n2. two"
    # An item's own text cannot start a nested block.
    assert md_prose("- - x\n- 1. y\n- # z") == "- \\- x\n- 1\\. y\n- \\# z"


def test_a_lead_opens_the_first_paragraph() -> None:
    assert md_prose("Use x\ninstead", "**Deprecated.**") == "**Deprecated.** Use x instead"
    assert md_prose("- a", "**Deprecated.**") == "**Deprecated.**\n\n- a"
    assert md_prose(None, "**Deprecated.**") == "**Deprecated.**"


def test_cells_join_wrapped_lines_and_break_only_between_blocks() -> None:
    assert md_prose_cell(OBTAIN_TOKEN) == md_prose(OBTAIN_TOKEN)
    assert md_prose_cell("Pick one:\n- a_b\n- c d\n\nThen go.") == (
        "Pick one:<br>- `a_b`<br>- c d<br>Then go.")
    assert md_prose_cell('json\n{\n"a": "|"\n}') == '`{ "a": "\\|" }`'
    assert md_prose_cell(None) == md_prose_cell("  \n ") == ""


# --- properties for any text ---------------------------------------------------------------


def blocks_of(rendered: str) -> list[Token]:
    return COMMONMARK.parse(rendered)


@example("json\n{\n\"a\": 1\n}")
@example("A_B\n(x)C_D\n(y)")
@example("- `x`\n1) y\n\n[a](b) *c* <d> &amp;")
@example("\x00")
@given(markdown_texts)
def test_prose_opens_no_markup_and_keeps_the_text(text: str) -> None:
    rendered = md_prose(text)
    assert rendered == rendered.strip() and "\n\n\n" not in rendered
    tokens = blocks_of(rendered)
    assert {t.type for t in tokens} <= BLOCK_TOKENS, rendered
    for token in tokens:
        assert {c.type for c in token.children or ()} <= INLINE_TOKENS, rendered
        if token.type == "fence":
            assert token.info in LANGUAGES
    # Nothing is lost but list markers and code labels; nothing is added but white space.
    seen, given_text = visible(content(tokens)), visible(text)
    assert is_subsequence(seen, given_text), (rendered, text)
    assert set(dropped(seen, given_text)) <= MARKERS, (rendered, text)


@given(markdown_texts)
def test_prose_cells_keep_their_row(text: str) -> None:
    cell = md_prose_cell(text)
    row = f"| {cell} | end |"
    tokens = COMMONMARK.parse(f"| a | b |\n| --- | --- |\n{row}\n")
    cells = [t for t in tokens if t.type == "td_open"]
    assert len(cells) == 2, row
    inline = [t for t in tokens if t.type == "inline"][2]
    for child in inline.children or ():
        assert child.type in INLINE_TOKENS or (
            child.type == "html_inline" and child.content == "<br>"), row
    # A cell writes every list's items with ``-`` or their number and ``.``.
    seen = "".join(ch for ch in visible(content([inline])) if ch not in MARKERS)
    assert is_subsequence(seen, "".join(ch for ch in visible(text) if ch not in MARKERS))


@given(st.lists(st.sampled_from(["word", "Word.", "- item", "1. one", "json", '{"a": 1}',
                                 "A_B", "(x)C_D", "(y)", "", "```", "|"]), max_size=12))
def test_breaks_in_a_cell_fall_between_blocks(lines: list[str]) -> None:
    text = "\n".join(lines)
    blocks = prose_blocks(text)
    separate = sum(len(b.items) if isinstance(b, Items) else len(b.terms)
                   if isinstance(b, Terms) else 1 for b in blocks)
    assert md_prose_cell(text).count("<br>") == max(separate - 1, 0)
