"""The JSON Schemas shipped in ``kraken_spec/spec/schemas``, as the validators read them."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from typing import Any, cast

# Where each schema's check is kept compiled ahead of time (see ``compile_checks``).
COMPILED_PACKAGE = "kraken_spec.spec.compiled"


def schema_names() -> list[str]:
    """The shipped schemas, by the name ``shipped_schema`` takes."""
    folder = resources.files("kraken_spec.spec.schemas")
    return sorted(item.name.removesuffix(".schema.json") for item in folder.iterdir()
                  if item.name.endswith(".schema.json"))


@cache
def shipped_schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped in ``kraken_spec/spec/schemas``, its references inlined."""
    text = resources.files("kraken_spec.spec.schemas").joinpath(f"{name}.schema.json").read_text(
        encoding="utf-8"
    )
    schema = json.loads(text)
    # Resolving "$ref" costs a lookup per value validated; the shipped schemas refer only
    # to their own "$defs", so inline those once.
    return cast(dict[str, Any], _inline_refs(schema, schema.get("$defs", {})))


_ANNOTATIONS = frozenset({"description", "title"})


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        annotations = set(node) - {"$ref"}
        if isinstance(ref, str) and ref.startswith("#/$defs/") and annotations <= _ANNOTATIONS:
            target = _inline_refs(defs[ref.removeprefix("#/$defs/")], defs)
            return target | {key: node[key] for key in annotations}
        return {key: _inline_refs(value, defs) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline_refs(item, defs) for item in node]
    return node


def compilable_schema(name: str) -> dict[str, Any]:
    """A shipped schema as fastjsonschema compiles it."""
    schema = dict(shipped_schema(name))
    schema.pop("$schema", None)  # fastjsonschema knows drafts up to 7 by URI
    return schema


def digest(schema: dict[str, Any]) -> str:
    """The digest of a schema as compiled, its keys in a fixed order."""
    text = json.dumps(schema, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()
