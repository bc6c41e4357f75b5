"""Hypothesis strategies the tests share: text the spec admits, and adversarial values."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st

from kraken_spec import model
from kraken_spec.model import (
    Argument,
    Catalogue,
    Endpoint,
    ErrorEntry,
    Example,
    Mutation,
    ReturnField,
)
from kraken_spec.runtime.errors import ErrorCode

# --- spec text -------------------------------------------------------------------------------

# Control characters the spec's text fields refuse (all but tab and line feed): see the
# "text" pattern of the JSON Schemas.
SPEC_CONTROLS = "".join(
    chr(c) for c in (*range(0x00, 0x20), *range(0x7F, 0xA0)) if chr(c) not in "\t\n")

# Any text a spec file may hold in a description or message (surrogates cannot be encoded).
spec_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",),
                                           blacklist_characters=SPEC_CONTROLS))


# --- error-code outputs (test_error_codes.py) ------------------------------------------------

# Pieces that break a naive quoting of a message in Python, JSON or TypeScript.
ADVERSARIAL = ['"""', "'''", "'", '"', "\\", "\\n", "\\'", "\n", "\r", "\r\n", "\t", "\x00",
               "\x0b", "\x1c", "\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "é", "ß", "\u0430",
               "\U0001f600", "{", "}", "%s", "{0}", "#", "*/", "${x}", "`", "</script>", " "]

# Every code point, including NUL and lone surrogates: the Python literals escape them.
any_text = st.text(st.characters(exclude_categories=()))
# Text that UTF-8 can carry (JSON and TypeScript files are UTF-8).
unicode_text = st.text()


def error_messages(base: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Messages from ``base``, mixed with adversarial pieces, long runs and repetitions."""
    pieces = st.one_of(st.sampled_from(ADVERSARIAL), base)
    return st.one_of(base, st.lists(pieces, max_size=40).map("".join),
                     st.text(min_size=80, max_size=400), base.map(lambda s: s * 30))


# Well-formed error codes, leading zeros included ("KT-CT-0" and "KT-CT-00" are two codes).
error_code_strings = st.builds(
    "KT-{}-{}".format, st.from_regex(r"[A-Z]{2}", fullmatch=True),
    st.integers(0, 99_999).map(str) | st.from_regex(r"0[0-9]{0,4}", fullmatch=True))
# GraphQL names that are not reserved (no leading "__").
mutation_names = st.from_regex(r"[a-z_][A-Za-z0-9_]{0,30}", fullmatch=True).filter(
    lambda n: not n.startswith("__"))


def make_catalogue(errors: list[tuple[str, str]], raises: dict[str, list[str]]) -> Catalogue:
    """A catalogue built directly from the model: one endpoint, the codes in the given order."""
    mutations = tuple(
        model.Mutation(
            name=name, endpoint="api", payload_type=f"P{i}", payload_non_null=False,
            description=None, requires_authorization=False, deprecation_reason=None,
            errors=tuple(codes), arguments=(), return_fields=None,
            example=model.Example("mutation { x }", None, "{}"),
        )
        for i, (name, codes) in enumerate(sorted(raises.items()))
    )
    return Catalogue(
        endpoints=(model.Endpoint("api", "API", "https://api.example.invalid/graphql/"),),
        mutations=mutations, errors=tuple(model.ErrorEntry(c, m) for c, m in errors), types=(),
    )


@st.composite
def error_catalogues(draw: st.DrawFn, text: st.SearchStrategy[str]) -> Catalogue:
    """Catalogues of up to 8 codes with messages drawn from ``text``, raised by up to 5
    mutations."""
    code_list = sorted(draw(st.lists(error_code_strings, unique=True, max_size=8)),
                       key=lambda c: model.ErrorEntry(c, "").sort_key)
    errors = [(c, draw(error_messages(text))) for c in code_list]
    names = draw(st.lists(mutation_names, unique=True, max_size=5))
    raises = {n: draw(st.lists(st.sampled_from(code_list), unique=True)) if code_list else []
              for n in names}
    return make_catalogue(errors, raises)


# Any JSON value, with words a GraphQL error response uses among the strings.
response_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text()
    | st.sampled_from(["KT-CT-1111", "KT-CT-5450", "KT-XX-9", "errors", "extensions"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
# An errorCode value: any JSON, a known code, or any string.
code_values = response_json | st.sampled_from([e.value for e in ErrorCode]) | st.text()
# An entry of extensions.validationErrors, well-shaped or not.
validation_entries = response_json | st.fixed_dictionaries(
    {}, optional={"code": response_json, "message": response_json, "inputPath": response_json})
# The extensions of an error entry, well-shaped or not.
error_extensions = response_json | st.fixed_dictionaries({}, optional={
    "errorCode": code_values, "errorType": response_json, "errorDescription": response_json,
    "validationErrors": response_json | st.lists(validation_entries, max_size=3)})
# An entry of a response's errors list, well-shaped or not.
error_entries = response_json | st.fixed_dictionaries(
    {}, optional={"message": response_json, "path": response_json,
                  "extensions": error_extensions})
# A whole GraphQL response, well-shaped or not.
responses = response_json | st.fixed_dictionaries(
    {}, optional={"data": response_json, "errors": response_json | st.lists(error_entries)})


# --- Markdown docs (test_markdown.py) --------------------------------------------------------

# Characters with a meaning in Markdown, or that break a line or a table row.
MARKDOWN_SPECIALS = "|`*_<>[]()\\#-+=.!~&$ 0123456789\n\r\t\u2028"
# Any text, text of Markdown specials only, and a mix of both.
markdown_texts = st.one_of(st.text(), st.text(alphabet=MARKDOWN_SPECIALS), st.text(
    alphabet=st.one_of(st.sampled_from(MARKDOWN_SPECIALS), st.characters())))
# An optional text field.
maybe_markdown_texts = st.one_of(st.none(), markdown_texts)


@st.composite
def doc_catalogues(draw: st.DrawFn) -> Catalogue:
    """Two mutations and two codes whose every text field is drawn from markdown_texts."""
    texts, maybe_texts = markdown_texts, maybe_markdown_texts
    codes = ("KT-CT-1111", "KT-DE-2")
    errors = tuple(ErrorEntry(code, draw(texts)) for code in codes)
    mutations = []
    for name in ("alpha", "beta"):
        arguments = tuple(Argument(arg, draw(texts), draw(maybe_texts))
                          for arg in draw(st.lists(st.sampled_from(["a", "b", "c"]),
                                                   unique=True, max_size=3)))
        fields = draw(st.one_of(st.none(), st.lists(st.builds(
            ReturnField, st.sampled_from(["x", "y"]), texts,
            st.sampled_from(["fragment", "type-name", "example"]), maybe_texts),
            max_size=3).map(tuple)))
        mutations.append(Mutation(
            name=name, endpoint="api", payload_type=draw(texts),
            payload_non_null=draw(st.booleans()), description=draw(maybe_texts),
            requires_authorization=draw(st.booleans()), deprecation_reason=draw(maybe_texts),
            errors=tuple(draw(st.lists(st.sampled_from(codes), unique=True))),
            arguments=arguments, return_fields=fields,
            example=Example(draw(texts), draw(maybe_texts), draw(texts))))
    endpoint = Endpoint("api", draw(texts), draw(texts))
    return Catalogue((endpoint,), tuple(mutations), errors, ())


# --- damaged pages (test_page_robustness.py) -------------------------------------------------

# What one damage to a page does; test_page_robustness._damage carries each one out.
PAGE_DAMAGE_KINDS = ["delete", "duplicate", "truncate", "edit_replace", "edit_insert",
                     "edit_delete", "drop_entry", "dup_entry", "cut_at_entry"]


def page_damage(line_count: int) -> st.SearchStrategy[tuple[str, int, int, str]]:
    """One damage to a page of ``line_count`` lines: (kind, position, extent, one character)."""
    return st.tuples(
        st.sampled_from(PAGE_DAMAGE_KINDS),
        st.integers(min_value=0, max_value=line_count),
        st.integers(min_value=0, max_value=200),
        st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\n"), min_size=1,
                max_size=1),
    )


# --- damaged specs (test_spec_fuzz.py) -------------------------------------------------------

# Values to put in place of a YAML node: JSON values and strings the spec rules single out.
spec_node_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=30) | st.sampled_from(["__x", "Query", "true", "KT-CT-1111", "", " ",
                                              "String!", "[[Int]]", "a" * 5000]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                max_size=4),
    max_leaves=10,
)


@st.composite
def byte_damage(draw: st.DrawFn) -> tuple[str, Any]:
    """("bytes", (start, length, data)): replace a run of a file's bytes with ``data``."""
    return ("bytes", (draw(st.integers(0, 10_000)), draw(st.integers(0, 50)),
                      draw(st.binary(max_size=40) | st.sampled_from(
                          [b"[" * 200, b"{a: " * 80, b"\t", b"&a x\n*a", b"\xff\xfe", b"\r\n",
                           b"!!python/object:os.system", b": :", b"- - -"]))))


@st.composite
def node_damage(draw: st.DrawFn) -> tuple[str, Any]:
    """("node", (path, value)): replace the YAML node that ``path`` leads to."""
    return ("node", (draw(st.lists(st.integers(0, 20), min_size=0, max_size=6)),
                     draw(spec_node_values)))


# What a spec file may be replaced with; test_spec_fuzz.apply lays each one out.
FILE_KINDS = ["fifo", "dev-zero", "outside", "directory", "empty", "missing", "huge"]


def spec_damage(files: Sequence[str]) -> st.SearchStrategy[tuple[str, tuple[str, Any]]]:
    """(file, damage): one of ``files`` and what is done to its bytes, a node, or its kind."""
    return st.tuples(
        st.sampled_from(files),
        byte_damage() | node_damage() | st.tuples(st.just("kind"), st.sampled_from(FILE_KINDS)),
    )


# --- YAML reading and writing (test_yamlio.py) -----------------------------------------------

# Text made of YAML syntax, tags, directives, YAML 1.1 scalars and deep nesting.
yamlish_text = st.lists(
    st.sampled_from([
        "[", "]", "{", "}", "- ", "-", ":", ": ", ",", "? ", "'", '"', "\\", "#", "|", ">", "|-",
        "\n", "\n  ", "\n    ", "  ", "\t", "&a ", "&b ", "*a", "*b", "!!str ", "!!int ",
        "!!float ", "!!bool ", "!!timestamp ", "!!null ", "!!map ", "!!seq ", "!!set ",
        "!!binary ", "!!python/object:os.system ", "!local ", "!e!x ", "! ",
        "%TAG !e! tag:e.com,2000:\n", "%YAML 1.1\n", "---", "---\n", "...\n", "<<", "a", "key",
        "1", "0x1f", "017", "1_000", "12:30", "2020-01-01", "2020-13-45", "no", "on", "~",
        "null", "1.5e+3", ".inf", "é", "\x85", "\ufeff", "\x00", "\u2028",
    ])
    | st.builds(lambda piece, count: piece * count,
                st.sampled_from(["[", "{a: ", "- ", " ", "x", "\n", "9", "'", "a:\n "]),
                st.integers(1, 300)),
    max_size=40,
).map("".join)

# Data the YAML writer must round-trip: null, booleans, integers, strings, lists, mappings.
json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children,
                                                                      max_size=4),
    max_leaves=12,
)


# --- adversarial catalogues through every generator (test_generators_adversarial.py) -------

# Pieces that break a naive writer of SDL, Python, TypeScript, JSON or Markdown, as far as
# the spec admits them (its text fields refuse control characters but tab and line feed).
ADMISSIBLE_PIECES = sorted({p for p in (*ADVERSARIAL, *MARKDOWN_SPECIALS, '"""', '\\"""',
                                        "*/", "/*", "//", "<!--", "-->", "${", "\\u0041",
                                        "\n\n", "  ", "\t", "|---|")
                            if not any(c in SPEC_CONTROLS for c in p)})
# Free text the spec admits (at least one non-space character, as its "text" pattern asks).
adversarial_text = st.one_of(
    spec_text, st.lists(st.sampled_from(ADMISSIBLE_PIECES) | spec_text, max_size=12).map(
        "".join),
).filter(lambda t: t.strip() != "")
maybe_adversarial_text = st.none() | adversarial_text

# GraphQL names for types: PascalCase, never a built-in or a root type's name.
type_names = st.from_regex(r"[A-Z][A-Za-z0-9]{2,12}", fullmatch=True).filter(
    lambda n: n not in {"String", "Int", "Float", "Boolean", "Query", "Mutation"})


@st.composite
def adversarial_catalogues(draw: st.DrawFn) -> Catalogue:
    """Catalogues the spec admits whose every free-text field is adversarial: descriptions,
    messages, deprecation reasons, example texts, endpoint titles, a curated type's fields
    and a sibling schema's descriptions of an input type, its fields and an enum's values."""
    text, maybe = adversarial_text, maybe_adversarial_text
    codes = sorted(draw(st.lists(error_code_strings, min_size=1, max_size=5, unique=True)),
                   key=lambda c: model.ErrorEntry(c, "").sort_key)
    errors = tuple(ErrorEntry(c, draw(text)) for c in codes)
    names = draw(st.lists(mutation_names, min_size=1, max_size=3, unique=True))
    taken = set(names)
    payloads = [f"P{i}{draw(type_names)}" for i in range(len(names))]
    thing, the_input, kind = "CuratedThing", "SourcedInput", "SourcedKind"
    mutations = []
    for i, name in enumerate(sorted(names)):
        arguments = (Argument("input", f"{the_input}!", draw(maybe)),
                     Argument("count", "Int", draw(maybe)))
        fields = (ReturnField("ok", "Boolean", "example", draw(text)),
                  ReturnField("thing", thing, "fragment"))
        mutations.append(Mutation(
            name=name, endpoint="api", payload_type=payloads[i],
            payload_non_null=draw(st.booleans()), description=draw(maybe),
            requires_authorization=draw(st.booleans()), deprecation_reason=draw(maybe),
            errors=tuple(draw(st.lists(st.sampled_from(codes), unique=True))),
            arguments=arguments, return_fields=fields,
            example=Example(draw(text), draw(maybe), draw(text))))
    assert not taken & {thing, the_input, kind}
    types = (
        model.NamedType(thing, "documented", "output", "OBJECT", draw(maybe), fields=(
            model.TypeField("label", "String", draw(maybe)),)),
        model.NamedType(the_input, "undocumented", "input", None, None),
    )
    provenance = model.Provenance("sibling-brand", "sibling", "2026-01-01")
    sourced = (
        model.SourcedType(the_input, "INPUT_OBJECT", draw(maybe), fields=(
            model.SourcedField("amount", "Int!", draw(maybe)),
            model.SourcedField("kind", kind, draw(maybe), deprecation_reason=draw(maybe)))),
        model.SourcedType(kind, "ENUM", draw(maybe), values=(
            model.SourcedValue("CARD", draw(maybe)),
            model.SourcedValue("DEBIT", draw(maybe), draw(maybe)))),
    )
    endpoint = Endpoint("api", draw(text), "https://api.example.invalid/graphql/")
    return Catalogue((endpoint,), tuple(mutations), errors, types,
                     enrichments=(model.Enrichment(provenance, None, sourced),))
