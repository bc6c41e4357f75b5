"""Every generator stays valid (SDL, Python, TypeScript, JSON, Markdown) for adversarial text."""

from __future__ import annotations

import json
import sys
import types

from conftest import REPO
from graphql import build_schema, print_schema
from hypothesis import HealthCheck, given, settings
from strategies import adversarial_catalogues
from test_markdown import assert_links_resolve, assert_tables_well_formed, assert_tidy

from kraken_spec.generators.error_codes import generate_error_files, render_python_module
from kraken_spec.generators.export import catalogue_from_export, export_json
from kraken_spec.generators.markdown import generate_docs
from kraken_spec.generators.runnable import runnable_examples
from kraken_spec.generators.sdl import generate_sdl
from kraken_spec.model import Catalogue

TEMPLATES = str(REPO / "templates")


def ts_tokens_close(text: str) -> None:
    """Every comment, string and template literal of a TypeScript file closes, and brackets
    balance outside them: what adversarial text could break without a compiler noticing the
    JSON the file holds. (Regular expression literals are not expected in generated code.)"""
    stack: list[str] = []
    i, n = 0, len(text)
    pairs = {")": "(", "]": "[", "}": "{"}
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            assert end >= 0, f"a comment opened at {i} never closes"
            i = end + 2
        elif c in "\"'`":
            j = i + 1
            while j < n and text[j] != c:
                # Since ES2019 (and so TypeScript) U+2028 and U+2029 may stand in strings.
                assert c == "`" or text[j] not in "\n\r", (
                    f"a line break inside a string at {j}: {text[i:j + 1]!r}")
                j += 2 if text[j] == "\\" else 1
            assert j < n, f"a string opened at {i} never closes"
            i = j + 1
        else:
            if c in "([{":
                stack.append(c)
            elif c in pairs:
                assert stack and stack.pop() == pairs[c], f"unbalanced {c!r} at {i}"
            i += 1
    assert not stack, f"unclosed {stack}"


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow,
                                                  HealthCheck.data_too_large])
@given(adversarial_catalogues())
def test_every_generator_stays_valid(catalogue: Catalogue) -> None:
    # SDL: builds, round-trips, and keeps each description the page gave.
    for path, sdl in generate_sdl(catalogue).items():
        schema = build_schema(sdl)
        assert print_schema(schema) + "\n" == sdl, path
        assert schema.mutation_type is not None
        for m in catalogue.mutations:
            description = schema.mutation_type.fields[m.name].description or ""
            assert description.startswith(m.description or ""), path
    # The export: JSON, read back into the same catalogue.
    exported = export_json(catalogue)
    json.loads(exported)
    assert catalogue_from_export(exported) == catalogue
    # Error codes: the Python module parses and runs; JSON loads; TypeScript lexes whole.
    # Registered while it runs: dataclasses look their module up in sys.modules.
    module = sys.modules["_adversarial_errors"] = types.ModuleType("_adversarial_errors")
    try:
        exec(compile(render_python_module(catalogue), "<errors.py>", "exec"), module.__dict__)
    finally:
        del sys.modules["_adversarial_errors"]
    assert [(c.value, c.message) for c in module.ErrorCode] == [
        (e.code, e.message) for e in catalogue.errors]
    files = generate_error_files(catalogue)
    assert [path.rsplit(".", 1)[1] for path in sorted(files)] == ["json", "ts"]
    for path, text in files.items():
        if path.endswith(".json"):
            json.loads(text)
        else:
            ts_tokens_close(text)
    # Markdown: tables keep their columns, links resolve, files are tidy.
    docs = generate_docs(catalogue, TEMPLATES, runnable_examples(catalogue))
    assert assert_tables_well_formed(docs) >= 2
    assert_links_resolve(docs)
    assert_tidy(docs)
