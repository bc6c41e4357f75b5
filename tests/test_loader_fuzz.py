"""The loader on random YAML and damaged spec files: every problem is a located diagnostic."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import MINI
from hypothesis import HealthCheck, Phase, event, example, given, settings
from hypothesis import strategies as st
from strategies import spec_node_values, yamlish_text

from kraken_spec.diagnostics import Diagnostic
from kraken_spec.spec.loader import load_spec

SPEC_FILES = sorted(p.relative_to(MINI).as_posix() for p in (MINI / "spec").rglob("*.yaml"))
MUTATION_FILES = [f for f in SPEC_FILES if f.startswith("spec/mutations/")]
PROPERTY = settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow,
                                                             HealthCheck.data_too_large])


@contextmanager
def mini_copy() -> Iterator[Path]:
    """A fresh copy of the mini catalogue's root, removed afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(MINI / "spec", Path(tmp) / "spec")
        yield Path(tmp)


def assert_located(root: Path, diagnostics: tuple[Diagnostic, ...], *,
                   strict: bool = False) -> None:
    """Each diagnostic names a file of the root and a line and column inside it (0 for the
    whole file); its message is one short line."""
    for d in diagnostics:
        path = root / d.path
        assert path.resolve().is_relative_to(root.resolve()), d
        assert path.exists(), d
        if d.line:
            assert path.is_file(), d
            text = path.read_bytes().decode("utf-8", "replace")
            # Lines as YAML 1.1 counts them (PyYAML): NEL and the Unicode separators break
            # lines too.
            lines = re.split(r"\r\n|[\r\n\x85\u2028\u2029]", text)
            if not strict and _known_misplacement(d, text, lines):
                continue
            assert 1 <= d.line <= len(lines), (str(d), len(lines))
            assert 0 <= d.column <= len(lines[d.line - 1]) + 1, str(d)
        assert d.message.strip() and len(d.message) < 2000, d


def _known_misplacement(d: Diagnostic, text: str, lines: list[str]) -> bool:
    """Whether ``d`` is misplaced by one of the known bugs (reported, not fixed here: the
    YAML layer is another team's); each has an explicit failing example below."""
    if d.line == len(lines) + 1 and d.column == 1 and not text.endswith("\n"):
        # spec/yamlio.py: a node at the end of a file without a final line break (an empty
        # document's null) is marked on the line after its last.
        event("known bug: placed past the last line")
        return True
    if d.rule == "example-invalid" and not (1 <= d.line <= len(lines) and d.column
                                            <= len(lines[d.line - 1]) + 1):
        # spec/examples.py: a place inside an example written as a quoted (flow) scalar is
        # mapped as if it were a literal block.
        event("known bug: a place in a quoted example scalar")
        return True
    return False


# --- random YAML in place of a spec file ----------------------------------------------------


@PROPERTY
@example(rel="spec/errors.yaml", text="errors:\n- code: KT-CT-1111\n  message: [")
@example(rel="spec/endpoints.yaml", text="\ufeff%YAML 1.1\n---\n!!binary x")
@example(rel="spec/endpoints.yaml", text="---")
@given(rel=st.sampled_from(SPEC_FILES), text=yamlish_text)
def test_random_yaml_gives_located_diagnostics(rel: str, text: str) -> None:
    with mini_copy() as root:
        (root / rel).write_text(text, encoding="utf-8")
        result = load_spec(str(root))
        assert_located(root, result.diagnostics)
        errors = [d for d in result.diagnostics if d.is_error]
        event("refused" if errors else "still a valid spec")
        if errors:
            assert result.catalogue is None
            assert rel in {d.path for d in errors}, [str(d) for d in errors]


# Found by the property above: a syntax error at the end of a file without a final line
# break was placed past its last line (fixed in spec/yamlio.py); the deep profile then found
# the same for an empty document, which is not fixed yet.
@settings(phases=[Phase.explicit])
@example(rel="spec/errors.yaml", text="errors:\n- code: KT-CT-1111\n  message: [")
@given(rel=st.sampled_from(SPEC_FILES), text=yamlish_text)
def test_a_syntax_error_at_the_end_of_a_file_is_on_its_last_line(rel: str, text: str) -> None:
    with mini_copy() as root:
        (root / rel).write_text(text, encoding="utf-8")
        assert_located(root, load_spec(str(root)).diagnostics, strict=True)


@pytest.mark.xfail(strict=True, reason="spec/yamlio.py keeps syntax errors inside the text "
                   "but not node marks: load_located('---') marks the root at 2:1 (reported)")
@settings(phases=[Phase.explicit])
@example(rel="spec/endpoints.yaml", text="---")
@given(rel=st.sampled_from(SPEC_FILES), text=yamlish_text)
def test_an_empty_document_is_placed_in_its_file(rel: str, text: str) -> None:
    with mini_copy() as root:
        (root / rel).write_text(text, encoding="utf-8")
        assert_located(root, load_spec(str(root)).diagnostics, strict=True)


# --- random mutations of valid spec files, each one that must be refused --------------------
# A damage that breaks the spec is reported in the file it damaged, at a line inside it.

# A value no key of a spec file admits: a list holding an object the schemas do not know.
_WRONG = [{"unexpected": [1]}]


def _mutate(data: dict[str, Any], how: str, key: str, draw: st.DrawFn) -> str:
    """Damage a mutation file's data in place; the name of what was done."""
    if how == "delete":
        del data[key]
    elif how == "misspell":
        data[key + "x"] = data.pop(key)
    elif how == "wrong-type":
        data[key] = _WRONG
    elif how == "unknown-key":
        data[draw(st.sampled_from(["remarks", "Name", "errorCodes", "payloadType"]))] = 1
    elif how == "unknown-code":
        data["errors"] = [*data["errors"], "KT-ZZ-99999"]
    elif how == "unknown-endpoint":
        data["endpoint"] = "nowhere"
    elif how == "unknown-type":
        argument = {"name": "extraArg", "type": "NoSuchInput!", "description": None}
        data["arguments"] = [*(data["arguments"] or []), argument]
    elif how == "renamed":
        data["name"] = data["name"] + "Renamed"
    elif how == "duplicate-argument" and data["arguments"]:
        data["arguments"] = [*data["arguments"], data["arguments"][0]]
    else:
        data[key] = draw(spec_node_values.filter(lambda v: v != data[key]))
        return "any-value"
    return how


MUTATION_DAMAGE = ["delete", "misspell", "wrong-type", "unknown-key", "unknown-code",
                   "unknown-endpoint", "unknown-type", "renamed", "duplicate-argument",
                   "any-value"]


# Found by the property below under the deep profile: the mutation file as PyYAML writes it
# (its example operation a quoted scalar), its arguments emptied.
@pytest.mark.xfail(strict=True, reason="spec/examples.py maps a place inside an example "
                   "written as a quoted scalar as if it were a literal block (reported)")
def test_a_problem_in_a_quoted_example_is_placed_in_it() -> None:
    with mini_copy() as root:
        path = root / "spec" / "mutations" / "acceptGoodsQuote.yaml"
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        spec["arguments"] = []
        path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True),
                        encoding="utf-8")
        assert_located(root, load_spec(str(root)).diagnostics, strict=True)


@PROPERTY
@given(rel=st.sampled_from(MUTATION_FILES), how=st.sampled_from(MUTATION_DAMAGE),
       data=st.data())
def test_a_damaged_mutation_file_is_reported_where_it_is_damaged(rel: str, how: str,
                                                                 data: st.DataObject) -> None:
    with mini_copy() as root:
        path = root / rel
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        key = data.draw(st.sampled_from(sorted(spec)))
        done = _mutate(spec, how, key, data.draw)
        path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True),
                        encoding="utf-8")
        result = load_spec(str(root))
        assert_located(root, result.diagnostics)
        errors = [d for d in result.diagnostics if d.is_error]
        if done == "any-value":
            # Another value may be as valid as the first: only its diagnostics are checked.
            event(f"any value: {'refused' if errors else 'accepted'}")
            return
        event(done)
        assert result.catalogue is None and errors, (done, key)
        assert rel in {d.path for d in errors}, (done, key, [str(d) for d in errors])
