"""Hypothesis strategies the tests share: text the spec admits, and adversarial values."""

from __future__ import annotations

from hypothesis import strategies as st

# Control characters the spec's text fields refuse (all but tab and line feed): see the
# "text" pattern of the JSON Schemas.
SPEC_CONTROLS = "".join(
    chr(c) for c in (*range(0x00, 0x20), *range(0x7F, 0xA0)) if chr(c) not in "\t\n")

# Any text a spec file may hold in a description or message (surrogates cannot be encoded).
spec_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",),
                                           blacklist_characters=SPEC_CONTROLS))
