"""HTTP headers given on the command line, checked without the HTTP machinery loaded."""

from __future__ import annotations

import re

from kraken_spec.diagnostics import excerpt

# How long a fetch may take as a whole, unless the command line says otherwise.
DEFAULT_TIMEOUT = 30.0
# RFC 9110 token characters: anything else in a header name is a mistake or an injection.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# Header values may hold tabs but no other control character (CR or LF would inject lines).
_BAD_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def parse_header(text: str) -> tuple[str, str]:
    """``NAME: VALUE`` as a (name, value) pair. The ValueError raised for a malformed one
    never quotes the text: it may be a token typed without its name."""
    name, colon, value = text.partition(":")
    if not colon:
        raise ValueError("expected NAME:VALUE, as in 'Authorization: Bearer ...' (no colon "
                         "found)")
    check_header(name.strip(), value.strip())
    return name.strip(), value.strip()


def check_header(name: str, value: str) -> None:
    """Raise ValueError, quoting the name but never the value, unless both are sendable."""
    if not name:
        raise ValueError("expected NAME:VALUE, as in 'Authorization: Bearer ...' (the name "
                         "is empty)")
    if not _TOKEN.fullmatch(name):
        raise ValueError(f"the header name {excerpt(name)} holds a character that header "
                         "names may not hold")
    if _BAD_VALUE.search(value):
        raise ValueError(f"the value of the header {excerpt(name)} holds a line break or "
                         "another control character")
    if not value.isascii():
        # http.client sends values as Latin-1 and would quote the offending character.
        raise ValueError(f"the value of the header {excerpt(name)} holds a character outside "
                         "ASCII")
