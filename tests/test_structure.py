"""The compiled JSON Schema check and jsonschema reach the same verdict on every document."""

from __future__ import annotations

import importlib
import json
import sys
import types
from typing import Any

import fastjsonschema
import pytest
import yaml
from conftest import MINI, REPO
from hypothesis import given
from hypothesis import strategies as st

from kraken_spec.spec.compile_checks import compiled_module
from kraken_spec.spec.shipped import compilable_schema, digest, schema_names
from kraken_spec.spec.structure import fast_schema_check, schema_validator

# A real document of each shipped schema, to damage.
SAMPLES: dict[str, Any] = {
    "endpoints": yaml.safe_load((MINI / "spec" / "endpoints.yaml").read_text(encoding="utf-8")),
    "errors": yaml.safe_load((MINI / "spec" / "errors.yaml").read_text(encoding="utf-8")),
    "mutation": yaml.safe_load((MINI / "spec" / "mutations" / "generatePreSignedToken.yaml")
                               .read_text(encoding="utf-8")),
    "types": yaml.safe_load((MINI / "spec" / "types" / "imported.yaml")
                            .read_text(encoding="utf-8")),
    "enriched": json.loads(
        (REPO / "tests" / "fixtures" / "structure" / "enriched.json").read_text(
            encoding="utf-8")),
}

# Values that probe each keyword: types, blank and control-character text, patterns.
ODD_VALUES = st.sampled_from([None, True, 0, 1.5, "", " ", "x", "\x1e", "a\tb\nc", "KT-CT-1",
                              "OBJECT", "THING", "[Foo!]!", "2026-02-10", [], {}, ["x"],
                              {"name": "x"}])


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _paths(value, (*path, i))
    return found


def _damaged(doc: Any, path: tuple[Any, ...], how: str, value: Any) -> Any:
    copy = json.loads(json.dumps(doc))
    if not path:
        return value
    parent = copy
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if how == "delete":
        del parent[last]
    elif how == "extra" and isinstance(parent, dict):
        parent["unexpected"] = value
    else:
        parent[last] = value
    return copy


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_samples_conform(name: str) -> None:
    assert list(schema_validator(name).iter_errors(SAMPLES[name])) == []
    fast_schema_check(name)(SAMPLES[name])


@given(data=st.data())
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_both_validators_agree(name: str, data: st.DataObject) -> None:
    doc = SAMPLES[name]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(doc)))
        how = data.draw(st.sampled_from(["replace", "delete", "extra"]))
        doc = _damaged(doc, path, how, data.draw(ODD_VALUES))
    precise = not list(schema_validator(name).iter_errors(doc))
    try:
        fast_schema_check(name)(doc)
        fast = True
    except fastjsonschema.JsonSchemaException:
        fast = False
    assert fast == precise, (name, doc)


@pytest.mark.parametrize("name", schema_names())
def test_each_schema_has_its_compiled_check(name: str) -> None:
    # The compiled module must come from the schema as shipped now: an edit to a schema
    # without `python -m kraken_spec.spec.compile_checks` fails here.
    module = importlib.import_module(f"kraken_spec.spec.compiled.{name}")
    assert digest(compilable_schema(name)) == module.SCHEMA_SHA256
    assert fast_schema_check(name) is module.check
    if fastjsonschema.VERSION == module.VERSION:
        committed = (REPO / "kraken_spec" / "spec" / "compiled" / f"{name}.py").read_text(
            encoding="utf-8")
        assert committed == compiled_module(name, compilable_schema(name))


def test_a_stale_compiled_check_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    stale = types.ModuleType("kraken_spec.spec.compiled.errors")
    stale.SCHEMA_SHA256 = "0" * 64  # type: ignore[attr-defined]
    stale.check = lambda data: data  # type: ignore[attr-defined]  # accepts anything
    monkeypatch.setitem(sys.modules, "kraken_spec.spec.compiled.errors", stale)
    fast_schema_check.cache_clear()
    try:
        check = fast_schema_check("errors")
        assert check is not stale.check  # type: ignore[attr-defined]
        with pytest.raises(fastjsonschema.JsonSchemaException):
            check({"errors": "not a list"})
    finally:
        fast_schema_check.cache_clear()
