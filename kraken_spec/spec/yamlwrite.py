"""Deterministic YAML writing of spec files."""

from __future__ import annotations

from typing import Any

import yaml

try:  # libyaml is an optional accelerator of PyYAML; both write the same text.
    from yaml import CSafeDumper as _BaseDumper
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]

_STR_TAG = "tag:yaml.org,2002:str"


class _SpecDumper(_BaseDumper):
    """Block style, insertion order, literal blocks for multi-line text."""


def _represent_str(dumper: _SpecDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar(_STR_TAG, value, style=style)


_SpecDumper.add_representer(str, _represent_str)


def dump_yaml(data: Any, schema_ref: str | None = None) -> str:
    """Serialize plain data as a spec file, optionally pointing editors at its JSON Schema."""
    body = yaml.dump(data, Dumper=_SpecDumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=2**31 - 1, indent=2)
    header = f"# yaml-language-server: $schema={schema_ref}\n" if schema_ref else ""
    return header + body
